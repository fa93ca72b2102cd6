/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * internal.h - state private to pvsplit_common.
 */
#ifndef PVSPLIT_COMMON_INTERNAL_H
#define PVSPLIT_COMMON_INTERNAL_H

#include <linux/atomic.h>
#include <linux/debugfs.h>

/*
 * Resources handed out through this module and not yet given back, so a
 * test can check that loading, using and unloading the drivers leaks
 * nothing: /sys/kernel/debug/pvsplit/resources, one "name value" line
 * each.  Every key but grants_deferred is 0 once no device is connected.
 * maps counts every foreign grant a back end has mapped (ring pages and
 * all data pages, persistent or not, of every pvsplit_gpool); pages counts
 * the ballooned pages the pools hold, mapped or not.
 */
struct pvsplit_counts {
	atomic_long_t rings;		/* rings allocated or mapped */
	atomic_long_t grants;		/* our pages granted to a peer */
	atomic_long_t grants_deferred;	/* revoked while the peer held them */
	atomic_long_t maps;		/* foreign grants mapped */
	atomic_long_t pages;		/* ballooned pages held by grant pools */
	atomic_long_t evtchns;		/* event channels bound */
};

extern struct pvsplit_counts pvsplit_counts;
extern struct dentry *pvsplit_debugfs_root;

#endif /* PVSPLIT_COMMON_INTERNAL_H */
