// SPDX-License-Identifier: GPL-2.0-only
/*
 * netdev.c - pvnet back end: the net_device dom0 sees for a vif.
 *
 * Named vif<domid>.<handle>, as Xen's vif-bridge hotplug script expects,
 * and created when the xenbus device is probed, before the toolstack runs
 * that script.  Its carrier is on while the guest is connected; the
 * offloads it offers dom0's stack are what the guest said it can take.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>

#include "pvnetback.h"

static int pvnetback_open(struct net_device *dev)
{
	struct pvnetback *be = netdev_priv(dev);

	if (READ_ONCE(be->nr_queues))
		netif_tx_start_all_queues(dev);
	return 0;
}

static int pvnetback_stop(struct net_device *dev)
{
	netif_tx_stop_all_queues(dev);
	return 0;
}

static void pvnetback_get_stats64(struct net_device *dev,
				  struct rtnl_link_stats64 *s)
{
	struct pvnetback *be = netdev_priv(dev);
	struct pvnetback_qstats sum;

	pvnetback_stats_sum(be, &sum);
	s->rx_packets = sum.rx_packets;
	s->rx_bytes = sum.rx_bytes;
	s->rx_dropped = sum.rx_dropped;
	s->rx_errors = sum.rx_bad + sum.rx_copy_err;
	s->tx_packets = sum.tx_packets;
	s->tx_bytes = sum.tx_bytes;
	s->tx_dropped = sum.tx_dropped + atomic_long_read(&be->xmit_dropped);
}

/* Offer the stack only what the guest can receive. */
static netdev_features_t pvnetback_fix_features(struct net_device *dev,
						netdev_features_t features)
{
	struct pvnetback *be = netdev_priv(dev);

	if (!be->fe.sg)
		features &= ~(NETIF_F_SG | NETIF_F_TSO | NETIF_F_TSO6);
	if (!be->fe.csum)
		features &= ~NETIF_F_IP_CSUM;
	if (!be->fe.ipv6_csum)
		features &= ~NETIF_F_IPV6_CSUM;
	if (!be->fe.gso_v4 || !(features & NETIF_F_IP_CSUM))
		features &= ~NETIF_F_TSO;
	if (!be->fe.gso_v6 || !(features & NETIF_F_IPV6_CSUM))
		features &= ~NETIF_F_TSO6;
	return features;
}

static int pvnetback_change_mtu(struct net_device *dev, int mtu)
{
	struct pvnetback *be = netdev_priv(dev);

	/* without SG every packet must fit one page of the guest's */
	if (READ_ONCE(be->nr_queues) && !be->fe.sg && mtu > ETH_DATA_LEN)
		return -EINVAL;
	dev->mtu = mtu;
	return 0;
}

static const struct net_device_ops pvnetback_netdev_ops = {
	.ndo_open = pvnetback_open,
	.ndo_stop = pvnetback_stop,
	.ndo_start_xmit = pvnetback_start_xmit,
	.ndo_select_queue = pvnetback_select_queue,
	.ndo_get_stats64 = pvnetback_get_stats64,
	.ndo_fix_features = pvnetback_fix_features,
	.ndo_change_mtu = pvnetback_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void fatal_work(struct work_struct *work)
{
	struct pvnetback *be = container_of(work, struct pvnetback, fatal_work);

	/* the guest will see Closing and close; disconnect frees the rest */
	xenbus_dev_fatal(be->dev, -EPROTO, "%s", be->fatal_why);
}

/**
 * pvnetback_broken() - a front end broke the protocol: disable its vif
 * @q: the queue it broke
 * @why: what it did (a constant string)
 *
 * Any context: the data paths stop at once, the carrier goes off, and the
 * xenbus report, which sleeps, runs from a work item.
 */
void pvnetback_broken(struct pvnetback_queue *q, const char *why)
{
	struct pvnetback *be = q->be;

	WRITE_ONCE(q->dead, true);
	q->tx.stats.protocol_errors++;
	netif_carrier_off(be->netdev);
	if (test_and_set_bit(0, &be->fatal_pending))
		return;
	netdev_err(be->netdev, "queue %u: %s; vif disabled\n", q->index, why);
	be->fatal_why = why;
	schedule_work(&be->fatal_work);
}

/**
 * pvnetback_carrier_update() - carrier on unless something holds it off
 * @be: vif
 *
 * Off while not connected, while a queue's guest has stopped reading, and
 * for good once the front end broke the protocol.
 */
void pvnetback_carrier_update(struct pvnetback *be)
{
	if (READ_ONCE(be->nr_queues) && !atomic_read(&be->stalled) &&
	    !test_bit(0, &be->fatal_pending))
		netif_carrier_on(be->netdev);
	else
		netif_carrier_off(be->netdev);
}

/**
 * pvnetback_netdev_connected() - a guest connected: offer its features
 * @be: vif with its queues started and @fe read
 *
 * Return: 0, -EPROTO when a queue already found the front end broken
 * (the carrier stays off), or the errno of resizing the netdev's queues.
 */
int pvnetback_netdev_connected(struct pvnetback *be)
{
	struct net_device *dev = be->netdev;
	int err;

	rtnl_lock();
	err = netif_set_real_num_tx_queues(dev, be->nr_queues);
	if (!err)
		err = netif_set_real_num_rx_queues(dev, be->nr_queues);
	if (err) {
		rtnl_unlock();
		return err;
	}
	netdev_update_features(dev);
	if (!be->fe.sg && dev->mtu > ETH_DATA_LEN)
		dev_set_mtu(dev, ETH_DATA_LEN);
	rtnl_unlock();
	pvnetback_carrier_update(be);
	if (test_bit(0, &be->fatal_pending))
		return -EPROTO;
	if (netif_running(dev))
		netif_tx_wake_all_queues(dev);
	return 0;
}

/**
 * pvnetback_netdev_create() - set up and register vif<domid>.<handle>
 * @be: the vif, the private area of @be->netdev (allocated, named)
 * @handle: the vif's handle (its devid)
 *
 * Return: 0 or a negative errno.
 */
int pvnetback_netdev_create(struct pvnetback *be, unsigned int handle)
{
	static const u8 addr[ETH_ALEN] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct net_device *dev = be->netdev;
	int err;

	INIT_WORK(&be->fatal_work, fatal_work);
	dev->netdev_ops = &pvnetback_netdev_ops;
	dev->ethtool_ops = &pvnetback_ethtool_ops;
	dev->hw_features = NETIF_F_SG | NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM |
			   NETIF_F_TSO | NETIF_F_TSO6 | NETIF_F_RXCSUM;
	dev->features = dev->hw_features;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU - VLAN_ETH_HLEN;
	/*
	 * The bridge takes the lowest address of its ports: this one is
	 * never it (the guest's own address lives in the guest).
	 */
	eth_hw_addr_set(dev, addr);
	netif_carrier_off(dev);
	err = register_netdev(dev);
	if (err)
		netdev_err(dev, "vif%u.%u: register failed (%d)\n", be->domid,
			   handle, err);
	return err;
}

/**
 * pvnetback_netdev_destroy() - unregister and free a vif's net_device
 * @be: the vif, disconnected; freed with the device
 */
void pvnetback_netdev_destroy(struct pvnetback *be)
{
	struct net_device *dev = be->netdev;

	unregister_netdev(dev);
	free_netdev(dev);
}
