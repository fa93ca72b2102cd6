// SPDX-License-Identifier: GPL-2.0-only
/*
 * ethtool.c - pvnet back end: per-queue counters through ethtool -S.
 *
 * Names follow "q<N>_<counter>" after the totals, so a script can watch
 * one queue of a multi-queue vif; the control ring's counters and the
 * hash the guest programmed come last (vif-wide).
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "pvnetback.h"

#define QSTAT(n)	PVSPLIT_STAT(struct pvnetback_qstats, n)

static const struct pvsplit_stat qstats[] = {
	QSTAT(rx_packets), QSTAT(rx_bytes), QSTAT(rx_dropped), QSTAT(rx_bad),
	QSTAT(rx_copy_err), QSTAT(tx_packets), QSTAT(tx_bytes),
	QSTAT(tx_dropped), QSTAT(tx_stopped), QSTAT(tx_stalls),
	QSTAT(tx_yields), QSTAT(tx_mcast_filtered), QSTAT(mcast_updates),
	QSTAT(rate_waits), QSTAT(polls), QSTAT(copy_ops), QSTAT(copy_calls),
};

/* vif-wide: the control ring (ctrl.c) and the hash it programmed */
static const char *const ctrl_stats[] = {
	"ctrl_requests", "ctrl_errors", "ctrl_copy_errors", "ctrl_eois",
	"ctrl_eois_spurious", "hash_steered", "hash_alg", "hash_flags",
	"hash_mapping_size",
};

static u64 *ctrl_fill(struct pvnetback *be, u64 *data)
{
	const struct pvnetback_ctrl *c = &be->ctrl;
	const struct pvnetback_hash *h;

	*data++ = READ_ONCE(c->requests);
	*data++ = READ_ONCE(c->errors);
	*data++ = READ_ONCE(c->copy_err);
	*data++ = READ_ONCE(c->eois);
	*data++ = READ_ONCE(c->spurious);
	*data++ = atomic_long_read(&c->steered);
	rcu_read_lock();
	h = rcu_dereference(be->hash);
	*data++ = h ? h->cfg.alg : 0;
	*data++ = h ? h->cfg.flags : 0;
	*data++ = h ? h->cfg.size : 0;
	rcu_read_unlock();
	return data;
}

/**
 * pvnetback_stats_sum() - the vif's totals: queues torn down and live
 * @be: vif
 * @sum: result
 *
 * Reads live counters without stopping their writers: a total may be a
 * packet behind, never torn (u64 on 64-bit).
 */
void pvnetback_stats_sum(struct pvnetback *be, struct pvnetback_qstats *sum)
{
	struct pvnetback_queue *qs;
	unsigned int n, i;

	/* disconnect frees the queues only after a grace period */
	rcu_read_lock();
	qs = READ_ONCE(be->queues);
	n = READ_ONCE(be->nr_queues);
	*sum = be->base;
	for (i = 0; qs && i < n; i++)
		pvsplit_stats_add(sum, &qs[i].st, qstats, ARRAY_SIZE(qstats));
	rcu_read_unlock();
}

/**
 * pvnetback_stats_fold() - keep the counters of queues being torn down
 * @be: vif
 * @qs: its queues, no longer reachable by readers
 * @n: how many
 */
void pvnetback_stats_fold(struct pvnetback *be, const struct pvnetback_queue *qs,
			  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		pvsplit_stats_add(&be->base, &qs[i].st, qstats, ARRAY_SIZE(qstats));
}

static int pvnetback_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return ARRAY_SIZE(qstats) * (1 + dev->real_num_tx_queues) +
	       ARRAY_SIZE(ctrl_stats);
}

static void pvnetback_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset != ETH_SS_STATS)
		return;
	pvsplit_stats_strings(data, qstats, ARRAY_SIZE(qstats),
			      dev->real_num_tx_queues, ctrl_stats,
			      ARRAY_SIZE(ctrl_stats));
}

static void pvnetback_get_ethtool_stats(struct net_device *dev,
					struct ethtool_stats *stats, u64 *data)
{
	struct pvnetback *be = netdev_priv(dev);
	struct pvnetback_queue *qs;
	struct pvnetback_qstats sum;
	unsigned int n;

	pvnetback_stats_sum(be, &sum);
	data = pvsplit_stats_fill(data, &sum, qstats, ARRAY_SIZE(qstats));
	rcu_read_lock();
	qs = READ_ONCE(be->queues);
	n = READ_ONCE(be->nr_queues);
	data = pvsplit_stats_fill_queues(data, qstats, ARRAY_SIZE(qstats),
					 qs ? &qs->st : NULL, sizeof(*qs), n,
					 dev->real_num_tx_queues);
	rcu_read_unlock();
	ctrl_fill(be, data);
}

const struct ethtool_ops pvnetback_ethtool_ops = {
	.get_link = ethtool_op_get_link,
	.get_sset_count = pvnetback_sset_count,
	.get_strings = pvnetback_get_strings,
	.get_ethtool_stats = pvnetback_get_ethtool_stats,
};
