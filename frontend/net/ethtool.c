// SPDX-License-Identifier: GPL-2.0-only
/*
 * ethtool.c - pvnet front end: counters (ethtool -S, totals then
 * "q<N>_<counter>" per queue, as the back end names them) and queues
 * (ethtool -l/-L).
 *
 * A new queue count takes a reconnection: the rings of every queue are
 * negotiated together (multi-queue-num-queues), so the device closes,
 * the back end goes Closed and offers itself again, and we connect with
 * the count asked for.  Traffic stops for that handshake, as when a
 * guest is restored.
 *
 * The hash (ethtool -x/-X): a Toeplitz key of PVNET_HASH_KEY_MAX bytes
 * and a table of PVNETFRONT_RSS_TABLE queues, programmed into the back
 * end over the control ring (ctrl.c); without one, -X is refused.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/version.h>

#include "pvnetfront.h"

#define QSTAT(n)	PVSPLIT_STAT(struct pvnetfront_qstats, n)

static const struct pvsplit_stat qstats[] = {
	QSTAT(tx_packets), QSTAT(tx_bytes), QSTAT(tx_errors), QSTAT(tx_busy),
	QSTAT(rx_packets), QSTAT(rx_bytes), QSTAT(rx_errors),
	QSTAT(rx_dropped), QSTAT(rx_spurious), QSTAT(rx_zerocopy),
};

/**
 * pvnetfront_stats_add() - add the counters of @n queues to @to
 * @to: totals
 * @qs: the queues
 * @n: how many
 */
void pvnetfront_stats_add(struct pvnetfront_qstats *to,
			  const struct pvnetfront_queue *qs, unsigned int n)
{
	unsigned int i;

	for (i = 0; qs && i < n; i++)
		pvsplit_stats_add(to, &qs[i].st, qstats, ARRAY_SIZE(qstats));
}

static void pvnetfront_get_drvinfo(struct net_device *dev,
				   struct ethtool_drvinfo *info)
{
	struct pvnetfront *np = netdev_priv(dev);

	strscpy(info->driver, "pvnetfront", sizeof(info->driver));
	strscpy(info->bus_info, dev_name(&np->dev->dev), sizeof(info->bus_info));
}

/* the control ring's and the connection's, last: device-wide */
static const char *const ctrl_stats[] = {
	"ctrl_requests", "ctrl_errors", "hash_programmed", "hash_flags",
	"hash_table_size", "trusted",
};

static int pvnetfront_sset_count(struct net_device *dev, int sset)
{
	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return ARRAY_SIZE(qstats) * (1 + dev->real_num_tx_queues) +
	       ARRAY_SIZE(ctrl_stats);
}

static void pvnetfront_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	if (sset != ETH_SS_STATS)
		return;
	pvsplit_stats_strings(data, qstats, ARRAY_SIZE(qstats),
			      dev->real_num_tx_queues, ctrl_stats,
			      ARRAY_SIZE(ctrl_stats));
}

static void pvnetfront_get_ethtool_stats(struct net_device *dev,
					 struct ethtool_stats *stats, u64 *data)
{
	struct pvnetfront *np = netdev_priv(dev);
	struct pvnetfront_queue *qs;
	struct pvnetfront_qstats sum;
	unsigned int n;

	pvnetfront_stats_sum(np, &sum);
	data = pvsplit_stats_fill(data, &sum, qstats, ARRAY_SIZE(qstats));
	rcu_read_lock();
	qs = READ_ONCE(np->queues);
	n = READ_ONCE(np->nr_queues);
	data = pvsplit_stats_fill_queues(data, qstats, ARRAY_SIZE(qstats),
					 qs ? &qs->st : NULL, sizeof(*qs), n,
					 dev->real_num_tx_queues);
	rcu_read_unlock();
	/* written under the control lock; a reading may be one behind */
	*data++ = READ_ONCE(np->ctrl.requests);
	*data++ = READ_ONCE(np->ctrl.errors);
	*data++ = READ_ONCE(np->ctrl.programmed);
	*data++ = READ_ONCE(np->ctrl.flags);
	*data++ = READ_ONCE(np->ctrl.size);
	*data++ = READ_ONCE(np->trusted);
}

static int pvnetfront_get_rxnfc(struct net_device *dev,
				struct ethtool_rxnfc *info, u32 *rules)
{
	struct pvnetfront *np = netdev_priv(dev);

	if (info->cmd != ETHTOOL_GRXRINGS)
		return -EOPNOTSUPP;
	info->data = READ_ONCE(np->nr_queues) ?: dev->real_num_rx_queues;
	return 0;
}

static u32 pvnetfront_rxfh_key_size(struct net_device *dev)
{
	return PVNET_HASH_KEY_MAX;
}

static u32 pvnetfront_rxfh_indir_size(struct net_device *dev)
{
	return PVNETFRONT_RSS_TABLE;
}

#if KERNEL_VERSION(6, 8, 0) <= LINUX_VERSION_CODE
static int pvnetfront_get_rxfh(struct net_device *dev,
			       struct ethtool_rxfh_param *p)
{
	p->hfunc = ETH_RSS_HASH_TOP;
	pvnetfront_rss_get(netdev_priv(dev), p->indir, p->key);
	return 0;
}

static int pvnetfront_set_rxfh(struct net_device *dev,
			       struct ethtool_rxfh_param *p,
			       struct netlink_ext_ack *extack)
{
	if (p->hfunc != ETH_RSS_HASH_NO_CHANGE && p->hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	return pvnetfront_rss_set(netdev_priv(dev), p->indir, p->key);
}
#else
static int pvnetfront_get_rxfh(struct net_device *dev, u32 *indir, u8 *key,
			       u8 *hfunc)
{
	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	pvnetfront_rss_get(netdev_priv(dev), indir, key);
	return 0;
}

static int pvnetfront_set_rxfh(struct net_device *dev, const u32 *indir,
			       const u8 *key, const u8 hfunc)
{
	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP)
		return -EOPNOTSUPP;
	return pvnetfront_rss_set(netdev_priv(dev), indir, key);
}
#endif

static void pvnetfront_get_channels(struct net_device *dev,
				    struct ethtool_channels *ch)
{
	struct pvnetfront *np = netdev_priv(dev);

	ch->max_combined = pvnetfront_queues_max(np);
	ch->combined_count = READ_ONCE(np->nr_queues) ?: dev->real_num_tx_queues;
}

static int pvnetfront_set_channels(struct net_device *dev,
				   struct ethtool_channels *ch)
{
	struct pvnetfront *np = netdev_priv(dev);

	if (ch->rx_count || ch->tx_count || ch->other_count ||
	    !ch->combined_count || ch->combined_count > pvnetfront_queues_max(np))
		return -EINVAL;
	return pvnetfront_set_queues(np, ch->combined_count);
}

const struct ethtool_ops pvnetfront_ethtool_ops = {
	.get_drvinfo = pvnetfront_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_sset_count = pvnetfront_sset_count,
	.get_strings = pvnetfront_get_strings,
	.get_ethtool_stats = pvnetfront_get_ethtool_stats,
	.get_channels = pvnetfront_get_channels,
	.set_channels = pvnetfront_set_channels,
	.get_rxnfc = pvnetfront_get_rxnfc,
	.get_rxfh_key_size = pvnetfront_rxfh_key_size,
	.get_rxfh_indir_size = pvnetfront_rxfh_indir_size,
	.get_rxfh = pvnetfront_get_rxfh,
	.set_rxfh = pvnetfront_set_rxfh,
};
