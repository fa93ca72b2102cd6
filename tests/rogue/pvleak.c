// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvleak - keeps Xen resources on purpose, for tests only.
 *
 * The lab's leak checks compare counts with a baseline, and a check that
 * cannot fail proves nothing.  This module takes one resource of a kind
 * when told to and holds it until told to let go or unloaded, so that a
 * lab case can show each check reports it.  Commands, written to
 * /sys/kernel/debug/pvleak/keep:
 *
 *   grant DOMID      grant a page of ours to DOMID (pvsplit_grant_pages:
 *                    counted in "grants" of pvsplit's resources file)
 *   map DOMID REF    map grant REF of DOMID (pvsplit_gpool_map: counted in
 *                    "maps", and by Xen as an active entry of DOMID's table)
 *   evtchn DOMID     allocate an event channel port for DOMID and leave it
 *                    unbound (counted by Xen as a port of ours in use)
 *   release          give everything back
 *
 * Reading the file lists what is held, one "kind value" a line: "grant
 * REF", "map DOMID REF", "evtchn PORT".  One of each kind at a time.
 */
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <xen/events.h>
#include <xen/grant_table.h>
#include <xen/interface/event_channel.h>
#include <xen/xen.h>
#include <asm/xen/hypercall.h>

#include "pvsplit/pvsplit.h"

static DEFINE_MUTEX(pvleak_lock);
static struct dentry *pvleak_dir;

static struct page *grant_page;		/* granted while set */
static grant_ref_t grant_ref;

static struct pvsplit_gpool pool;	/* the mapping's pool */
static struct page *map_page;		/* mapped while set */
static grant_handle_t map_handle;
static domid_t map_dom;
static grant_ref_t map_ref;

static evtchn_port_t port;		/* allocated while not 0 */

static int keep_grant(domid_t domid)
{
	struct page *pg;
	int err;

	if (grant_page)
		return -EBUSY;
	pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!pg)
		return -ENOMEM;
	err = pvsplit_grant_pages(domid, &pg, 1, false, &grant_ref);
	if (err) {
		__free_page(pg);
		return err;
	}
	grant_page = pg;
	return 0;
}

static void release_grant(void)
{
	if (!grant_page)
		return;
	/* a peer still mapping it gets the page handed over (grants_deferred) */
	pvsplit_grant_revoke(&grant_ref, &grant_page, 1);
	if (grant_page)
		__free_page(grant_page);
	grant_page = NULL;
}

static int keep_map(domid_t domid, grant_ref_t ref)
{
	int err;

	if (map_page)
		return -EBUSY;
	err = pvsplit_gpool_init(&pool, domid, 1, 1);
	if (err)
		return err;
	err = pvsplit_gpool_map(&pool, &ref, 1, true, &map_page, &map_handle);
	if (err) {
		pvsplit_gpool_unmap(&pool, &map_page, &map_handle, 1);
		pvsplit_gpool_destroy(&pool);
		map_page = NULL;
		return err;
	}
	map_dom = domid;
	map_ref = ref;
	return 0;
}

static void release_map(void)
{
	if (!map_page)
		return;
	pvsplit_gpool_unmap(&pool, &map_page, &map_handle, 1);
	pvsplit_gpool_destroy(&pool);
	map_page = NULL;
}

static int keep_evtchn(domid_t domid)
{
	struct evtchn_alloc_unbound alloc = {
		.dom = DOMID_SELF,
		.remote_dom = domid,
	};
	int err;

	if (port)
		return -EBUSY;
	err = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);
	if (err)
		return err;
	port = alloc.port;
	return 0;
}

static void release_evtchn(void)
{
	struct evtchn_close close = { .port = port };

	if (!port)
		return;
	/* nothing bound it to an irq: closing the port is all there is */
	WARN_ON_ONCE(HYPERVISOR_event_channel_op(EVTCHNOP_close, &close));
	port = 0;
}

static void release_all(void)
{
	release_map();
	release_grant();
	release_evtchn();
}

static int run(char *cmd)
{
	unsigned int dom, ref;
	char kind[8];
	int n;

	n = sscanf(cmd, "%7s %u %u", kind, &dom, &ref);
	if (n == 1 && !strcmp(kind, "release")) {
		release_all();
		return 0;
	}
	if (n < 2 || dom >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	if (n == 2 && !strcmp(kind, "grant"))
		return keep_grant(dom);
	if (n == 2 && !strcmp(kind, "evtchn"))
		return keep_evtchn(dom);
	if (n == 3 && !strcmp(kind, "map"))
		return keep_map(dom, ref);
	return -EINVAL;
}

static ssize_t keep_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	char buf[48];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mutex_lock(&pvleak_lock);
	err = run(buf);
	mutex_unlock(&pvleak_lock);
	return err ? err : len;
}

static int keep_show(struct seq_file *m, void *v)
{
	mutex_lock(&pvleak_lock);
	if (grant_page)
		seq_printf(m, "grant %u\n", grant_ref);
	if (map_page)
		seq_printf(m, "map %u %u\n", map_dom, map_ref);
	if (port)
		seq_printf(m, "evtchn %u\n", port);
	mutex_unlock(&pvleak_lock);
	return 0;
}

static int keep_open(struct inode *inode, struct file *file)
{
	return single_open(file, keep_show, NULL);
}

static const struct file_operations keep_fops = {
	.owner = THIS_MODULE,
	.open = keep_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = keep_write,
};

static int __init pvleak_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	pvleak_dir = debugfs_create_dir("pvleak", NULL);
	debugfs_create_file("keep", 0600, pvleak_dir, NULL, &keep_fops);
	return 0;
}

static void __exit pvleak_exit(void)
{
	/* the file is gone first: no command runs while we let go */
	debugfs_remove_recursive(pvleak_dir);
	release_all();
}

module_init(pvleak_init);
module_exit(pvleak_exit);

MODULE_DESCRIPTION("pvsplit test: keeps a grant, a grant mapping or an event channel on purpose");
MODULE_LICENSE("GPL");
PVSPLIT_IMPORT_NS();
