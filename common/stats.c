// SPDX-License-Identifier: GPL-2.0-only
/*
 * stats.c - per-ring counters and histograms in debugfs.
 *
 * Counters are written by the ring owner without locks and read here
 * racily: a report may mix values from slightly different moments.
 */
#include <linux/ethtool.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include "pvsplit/pvsplit.h"
#include "internal.h"

static int ring_show(struct seq_file *m, void *v)
{
	struct pvsplit_ring *ring = m->private;
	const struct pvring_stats *s = &ring->stats;
	unsigned int b;

	seq_printf(m, "size %u\norder %u\n", ring->r.size, ring->order);
	seq_printf(m, "prod_pvt %u\npublished %u\ncons %u\npeer_seen %u\n",
		   ring->r.prod_pvt, ring->r.published, ring->r.cons,
		   ring->r.peer_seen);
	seq_printf(m, "broken %d\n", ring->r.broken);
	/* the shared header as the peer sees it (either end may write it) */
	seq_printf(m, "shared req_prod %u req_event %u rsp_prod %u rsp_event %u\n",
		   READ_ONCE(ring->r.sring->req_prod),
		   READ_ONCE(ring->r.sring->req_event),
		   READ_ONCE(ring->r.sring->rsp_prod),
		   READ_ONCE(ring->r.sring->rsp_event));
	seq_printf(m, "produced %llu\nconsumed %llu\npublishes %llu\n",
		   s->produced, s->consumed, s->publishes);
	seq_printf(m, "notify_sent %llu\nnotify_suppressed %llu\n",
		   s->notify_sent, s->notify_suppressed);
	seq_printf(m, "wakeups %llu\nspurious %llu\nprotocol_errors %llu\n",
		   s->wakeups, s->spurious, s->protocol_errors);
	seq_puts(m, "batch");
	for (b = 0; b < PVSTATS_BATCH_BUCKETS; b++)
		seq_printf(m, " %llu", s->batch[b]);
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ring);

static int hist_show(struct seq_file *m, void *v)
{
	const struct pvhist *h = m->private;
	unsigned int b;

	seq_printf(m, "count %llu\nsum %llu\nmean %llu\n", h->count, h->sum,
		   h->count ? div64_u64(h->sum, h->count) : 0);
	seq_printf(m, "p50 %llu\np90 %llu\np99 %llu\n",
		   pvhist_percentile(h, 500), pvhist_percentile(h, 900),
		   pvhist_percentile(h, 990));
	for (b = 0; b < PVHIST_BUCKETS; b++)
		if (h->bucket[b])
			seq_printf(m, ">=%llu %llu\n", pvhist_lower(b),
				   h->bucket[b]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hist);

/**
 * pvsplit_debugfs_dir() - a directory under /sys/kernel/debug/pvsplit
 * @name: its name
 * @parent: parent directory, NULL for the pvsplit root
 *
 * Return: the directory (an error pointer is accepted by the other calls).
 */
struct dentry *pvsplit_debugfs_dir(const char *name, struct dentry *parent)
{
	return debugfs_create_dir(name, parent ? parent : pvsplit_debugfs_root);
}
PVSPLIT_EXPORT(pvsplit_debugfs_dir);

/**
 * pvsplit_debugfs_ring() - show a ring's indices and counters
 * @dir: directory from pvsplit_debugfs_dir()
 * @name: file name
 * @ring: the ring, which must outlive the file
 */
void pvsplit_debugfs_ring(struct dentry *dir, const char *name,
			  struct pvsplit_ring *ring)
{
	debugfs_create_file(name, 0444, dir, ring, &ring_fops);
}
PVSPLIT_EXPORT(pvsplit_debugfs_ring);

/**
 * pvsplit_debugfs_hist() - show a histogram with its percentiles
 * @dir: directory from pvsplit_debugfs_dir()
 * @name: file name
 * @hist: the histogram, which must outlive the file
 */
void pvsplit_debugfs_hist(struct dentry *dir, const char *name,
			  struct pvhist *hist)
{
	debugfs_create_file(name, 0444, dir, hist, &hist_fops);
}
PVSPLIT_EXPORT(pvsplit_debugfs_hist);

/**
 * pvsplit_debugfs_remove() - remove a directory and all files below it
 * @dir: directory; NULL and error pointers are ignored
 */
void pvsplit_debugfs_remove(struct dentry *dir)
{
	debugfs_remove_recursive(dir);
}
PVSPLIT_EXPORT(pvsplit_debugfs_remove);

static u64 *stat_at(const void *st, const struct pvsplit_stat *d)
{
	return (u64 *)((const u8 *)st + d->off);
}

/**
 * pvsplit_stats_add() - add one set of counters to another
 * @to: totals
 * @from: counters to add (read racily when live: a total may be a packet
 *	  behind, never torn, u64 being one store on 64-bit)
 * @tab: the counters, as offsets into both structs
 * @n: entries in @tab
 */
void pvsplit_stats_add(void *to, const void *from,
		       const struct pvsplit_stat *tab, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		*stat_at(to, &tab[i]) += READ_ONCE(*stat_at(from, &tab[i]));
}
PVSPLIT_EXPORT(pvsplit_stats_add);

/**
 * pvsplit_stats_fill() - copy counters out, in @tab's order, for ethtool -S
 * @data: where the values go
 * @from: the counters, or NULL for a queue not connected (zeros)
 * @tab: the counters, as offsets into @from
 * @n: entries in @tab
 *
 * Return: @data past the values written.
 */
u64 *pvsplit_stats_fill(u64 *data, const void *from,
			const struct pvsplit_stat *tab, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		*data++ = from ? READ_ONCE(*stat_at(from, &tab[i])) : 0;
	return data;
}
PVSPLIT_EXPORT(pvsplit_stats_fill);

/**
 * pvsplit_stats_fill_queues() - copy each queue's counters out, for ethtool -S
 * @data: where the values go, @nr_queues * @n of them
 * @tab: the counters, as offsets into each queue's counters struct
 * @n: entries in @tab
 * @first: the first queue's counters struct, or NULL when none is
 *	   connected; the caller keeps the array alive (RCU, a lock)
 * @stride: bytes from one queue's counters to the next's (the size of
 *	    the queue struct they sit in)
 * @live: queues in the array at @first
 * @nr_queues: queues the device reports (zeros past @live: the names
 *	       were given for the netdev's queue count, which may be ahead
 *	       of the rings connected)
 *
 * Return: @data past the values written.
 */
u64 *pvsplit_stats_fill_queues(u64 *data, const struct pvsplit_stat *tab,
			       unsigned int n, const void *first, size_t stride,
			       unsigned int live, unsigned int nr_queues)
{
	unsigned int q;

	for (q = 0; q < nr_queues; q++)
		data = pvsplit_stats_fill(data, first && q < live ?
					  (const u8 *)first + q * stride : NULL,
					  tab, n);
	return data;
}
PVSPLIT_EXPORT(pvsplit_stats_fill_queues);

/**
 * pvsplit_stats_strings() - ethtool -S names: the totals, then each
 * queue's as "q<N>_<name>", then the device-wide ones
 * @data: ETH_GSTRING_LEN bytes per name, (1 + @nr_queues) * @n + @n_dev names
 * @tab: the counters
 * @n: entries in @tab
 * @nr_queues: queues whose counters follow the totals
 * @dev: names of device-wide values that come last, or NULL
 * @n_dev: entries in @dev
 */
void pvsplit_stats_strings(u8 *data, const struct pvsplit_stat *tab,
			   unsigned int n, unsigned int nr_queues,
			   const char *const *dev, unsigned int n_dev)
{
	unsigned int q, i;

	for (i = 0; i < n; i++, data += ETH_GSTRING_LEN)
		strscpy((char *)data, tab[i].name, ETH_GSTRING_LEN);
	for (q = 0; q < nr_queues; q++)
		for (i = 0; i < n; i++, data += ETH_GSTRING_LEN)
			snprintf((char *)data, ETH_GSTRING_LEN, "q%u_%s", q,
				 tab[i].name);
	for (i = 0; i < n_dev; i++, data += ETH_GSTRING_LEN)
		strscpy((char *)data, dev[i], ETH_GSTRING_LEN);
}
PVSPLIT_EXPORT(pvsplit_stats_strings);
