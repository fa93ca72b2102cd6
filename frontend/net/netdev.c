// SPDX-License-Identifier: GPL-2.0-only
/*
 * netdev.c - pvnet front end: the guest's net_device.
 *
 * Offloads follow what the back end offers; a back end that breaks the
 * protocol turns the carrier off for good (until it reconnects) and is
 * reported from process context.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>

#include "pvnetfront.h"

static int pvnetfront_open(struct net_device *dev)
{
	struct pvnetfront *np = netdev_priv(dev);

	if (READ_ONCE(np->nr_queues))
		netif_tx_start_all_queues(dev);
	return 0;
}

static int pvnetfront_stop(struct net_device *dev)
{
	netif_tx_stop_all_queues(dev);
	return 0;
}

/**
 * pvnetfront_stats_sum() - totals of queues torn down and live
 * @np: device
 * @sum: result
 */
void pvnetfront_stats_sum(struct pvnetfront *np, struct pvnetfront_qstats *sum)
{
	rcu_read_lock();
	*sum = np->base;
	pvnetfront_stats_add(sum, READ_ONCE(np->queues), READ_ONCE(np->nr_queues));
	rcu_read_unlock();
}

static void pvnetfront_get_stats64(struct net_device *dev,
				   struct rtnl_link_stats64 *s)
{
	struct pvnetfront *np = netdev_priv(dev);
	struct pvnetfront_qstats sum;

	pvnetfront_stats_sum(np, &sum);
	s->tx_packets = sum.tx_packets;
	s->tx_bytes = sum.tx_bytes;
	s->tx_errors = sum.tx_errors;
	s->tx_dropped = dev->stats.tx_dropped;
	s->rx_packets = sum.rx_packets;
	s->rx_bytes = sum.rx_bytes;
	s->rx_errors = sum.rx_errors;
	s->rx_dropped = sum.rx_dropped;
}

static netdev_features_t pvnetfront_fix_features(struct net_device *dev,
						 netdev_features_t features)
{
	struct pvnetfront *np = netdev_priv(dev);

	if (!np->be.sg)
		features &= ~(NETIF_F_SG | NETIF_F_TSO | NETIF_F_TSO6);
	if (!np->be.ipv6_csum)
		features &= ~NETIF_F_IPV6_CSUM;
	if (!np->be.gso_v4 || !(features & NETIF_F_IP_CSUM))
		features &= ~NETIF_F_TSO;
	if (!np->be.gso_v6 || !(features & NETIF_F_IPV6_CSUM))
		features &= ~NETIF_F_TSO6;
	return features;
}

static int pvnetfront_change_mtu(struct net_device *dev, int mtu)
{
	struct pvnetfront *np = netdev_priv(dev);

	if (!np->be.sg && mtu > ETH_DATA_LEN)
		return -EINVAL;
	dev->mtu = mtu;
	return 0;
}

const struct net_device_ops pvnetfront_netdev_ops = {
	.ndo_open = pvnetfront_open,
	.ndo_stop = pvnetfront_stop,
	.ndo_start_xmit = pvnetfront_start_xmit,
	.ndo_get_stats64 = pvnetfront_get_stats64,
	.ndo_fix_features = pvnetfront_fix_features,
	.ndo_change_mtu = pvnetfront_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void broken_work(struct work_struct *work)
{
	struct pvnetfront *np = container_of(work, struct pvnetfront,
					     broken_work);

	xenbus_dev_fatal(np->dev, -EPROTO, "back end broke the protocol; disabled");
}

/**
 * pvnetfront_broken() - the back end broke the protocol: stop the device
 * @q: the queue it broke
 * @why: what it did (a constant string)
 *
 * Any context.  Nothing more is taken from any ring until the device
 * reconnects; the report, which sleeps, runs from a work item.
 */
void pvnetfront_broken(struct pvnetfront_queue *q, const char *why)
{
	struct pvnetfront *np = q->np;

	netif_carrier_off(np->netdev);
	if (test_and_set_bit(0, &np->broken))
		return;
	netdev_err(np->netdev, "queue %u: %s; device disabled\n", q->index, why);
	schedule_work(&np->broken_work);
}

/**
 * pvnetfront_netdev_setup() - a new device's netdev fields
 * @np: device, the private area of @np->netdev
 */
void pvnetfront_netdev_setup(struct pvnetfront *np)
{
	struct net_device *dev = np->netdev;

	INIT_WORK(&np->broken_work, broken_work);
	dev->netdev_ops = &pvnetfront_netdev_ops;
	dev->ethtool_ops = &pvnetfront_ethtool_ops;
	dev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			   NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM;
	dev->features = dev->hw_features;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = U16_MAX - ETH_HLEN;
	netif_carrier_off(dev);
}
