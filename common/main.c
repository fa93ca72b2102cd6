// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvsplit_common - shared base of the pvsplit Xen split drivers.
 *
 * Holds no devices of its own: it exports the ring, grant, event channel,
 * xenbus and statistics helpers in namespace PVSPLIT and keeps the count of
 * what its users hold, shown in debugfs.
 */
#include <linux/module.h>
#include <linux/seq_file.h>
#include <xen/xen.h>

#include "pvsplit/pvsplit.h"
#include "internal.h"

struct pvsplit_counts pvsplit_counts;
struct dentry *pvsplit_debugfs_root;

static int resources_show(struct seq_file *m, void *v)
{
	seq_printf(m, "rings %ld\n", atomic_long_read(&pvsplit_counts.rings));
	seq_printf(m, "grants %ld\n", atomic_long_read(&pvsplit_counts.grants));
	seq_printf(m, "grants_deferred %ld\n",
		   atomic_long_read(&pvsplit_counts.grants_deferred));
	seq_printf(m, "maps %ld\n", atomic_long_read(&pvsplit_counts.maps));
	seq_printf(m, "pages %ld\n", atomic_long_read(&pvsplit_counts.pages));
	seq_printf(m, "evtchns %ld\n",
		   atomic_long_read(&pvsplit_counts.evtchns));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(resources);

static int __init pvsplit_common_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	pvsplit_debugfs_root = debugfs_create_dir("pvsplit", NULL);
	debugfs_create_file("resources", 0444, pvsplit_debugfs_root, NULL,
			    &resources_fops);
	return 0;
}

static void __exit pvsplit_common_exit(void)
{
	debugfs_remove_recursive(pvsplit_debugfs_root);
}

module_init(pvsplit_common_init);
module_exit(pvsplit_common_exit);

MODULE_DESCRIPTION("pvsplit: shared rings, grants and xenbus helpers");
MODULE_LICENSE("GPL");
