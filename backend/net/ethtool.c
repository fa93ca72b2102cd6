// SPDX-License-Identifier: GPL-2.0-only
/*
 * ethtool.c - pvnet back end: per-queue counters through ethtool -S.
 *
 * Names follow "q<N>_<counter>" after the totals, so a script can watch
 * one queue of a multi-queue vif.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "pvnetback.h"

#define QSTAT(n)	{ #n, offsetof(struct pvnetback_qstats, n) }

static const struct {
	const char *name;
	size_t off;
} qstats[] = {
	QSTAT(rx_packets), QSTAT(rx_bytes), QSTAT(rx_dropped), QSTAT(rx_bad),
	QSTAT(rx_copy_err), QSTAT(tx_packets), QSTAT(tx_bytes),
	QSTAT(tx_dropped), QSTAT(tx_stopped), QSTAT(tx_stalls),
	QSTAT(rate_waits), QSTAT(polls), QSTAT(copy_ops),
	QSTAT(copy_calls),
};

static u64 qstat(const struct pvnetback_qstats *st, unsigned int i)
{
	return *(const u64 *)((const u8 *)st + qstats[i].off);
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
	unsigned int n, i, j;

	/* disconnect frees the queues only after a grace period */
	rcu_read_lock();
	qs = READ_ONCE(be->queues);
	n = READ_ONCE(be->nr_queues);
	*sum = be->base;
	for (i = 0; qs && i < n; i++)
		for (j = 0; j < ARRAY_SIZE(qstats); j++)
			*(u64 *)((u8 *)sum + qstats[j].off) += qstat(&qs[i].st, j);
	rcu_read_unlock();
}

static int pvnetback_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return ARRAY_SIZE(qstats) * (1 + dev->real_num_tx_queues);
}

static void pvnetback_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(qstats); i++)
		ethtool_sprintf(&data, "%s", qstats[i].name);
	for (q = 0; q < dev->real_num_tx_queues; q++)
		for (i = 0; i < ARRAY_SIZE(qstats); i++)
			ethtool_sprintf(&data, "q%u_%s", q, qstats[i].name);
}

static void pvnetback_get_ethtool_stats(struct net_device *dev,
					struct ethtool_stats *stats, u64 *data)
{
	struct pvnetback *be = netdev_priv(dev);
	struct pvnetback_queue *qs;
	struct pvnetback_qstats sum;
	unsigned int n, q, i;

	pvnetback_stats_sum(be, &sum);
	for (i = 0; i < ARRAY_SIZE(qstats); i++)
		*data++ = qstat(&sum, i);
	rcu_read_lock();
	qs = READ_ONCE(be->queues);
	n = READ_ONCE(be->nr_queues);
	for (q = 0; q < dev->real_num_tx_queues; q++)
		for (i = 0; i < ARRAY_SIZE(qstats); i++)
			*data++ = qs && q < n ? qstat(&qs[q].st, i) : 0;
	rcu_read_unlock();
}

const struct ethtool_ops pvnetback_ethtool_ops = {
	.get_link = ethtool_op_get_link,
	.get_sset_count = pvnetback_sset_count,
	.get_strings = pvnetback_get_strings,
	.get_ethtool_stats = pvnetback_get_ethtool_stats,
};
