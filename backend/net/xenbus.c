// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c - pvnet back end (xenbus type "vif"): negotiation and states.
 *
 *   probe                     -> create vif<domid>.<handle>, write our
 *                                features, InitWait (the toolstack's
 *                                vif-bridge script then bridges the vif)
 *   front Initialised or      -> read its features and queues, map the
 *   Connected                    rings, bind the channels, start NAPI and
 *                                the RX threads, carrier on, Connected
 *   front Closing / Closed    -> stop everything, unmap, carrier off,
 *                                follow (shared with every pvsplit back
 *                                end: pvsplit_back_frontend_changed())
 *   front gone or offline     -> unregister; the vif goes with the device
 *
 * Keys follow xen/include/public/io/netif.h.  Every value the front end
 * wrote is bounded before use: multi-queue-num-queues must be 1..what we
 * offered (0 is refused, not allocated), request-rx-copy must be 1 (flip
 * mode is long gone from Linux), the rings are one page each.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "pvnetback.h"

unsigned int pvnetback_max_queues;
module_param_named(max_queues, pvnetback_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues, "Most queues per vif (default: online CPUs, at most 8)");

bool pvnetback_split_evtchn = true;
module_param_named(separate_tx_rx_irq, pvnetback_split_evtchn, bool, 0644);
MODULE_PARM_DESC(separate_tx_rx_irq, "Offer one event channel per ring (feature-split-event-channels)");

unsigned int pvnetback_rx_queue_kb = 1024;
module_param_named(rx_queue_kb, pvnetback_rx_queue_kb, uint, 0644);
MODULE_PARM_DESC(rx_queue_kb, "KiB queued per queue for a guest before its queue is stopped (twice that: dropped)");

unsigned int pvnetback_fatal_slots = PVNET_FATAL_FOLLOW;
module_param_named(fatal_skb_slots, pvnetback_fatal_slots, uint, 0444);
MODULE_PARM_DESC(fatal_skb_slots, "Follow-on slots in one guest packet that disable its vif (18-20)");

unsigned int pvnetback_stall_ms = 10000;
module_param_named(rx_stall_ms, pvnetback_stall_ms, uint, 0644);
MODULE_PARM_DESC(rx_stall_ms, "A guest that takes no packet for this long has its queue dropped and carrier turned off (0: never)");

static void pvnetback_disconnect(void *data)
{
	struct pvnetback *be = data;
	struct pvnetback_queue *qs;
	unsigned int i, n;

	mutex_lock(&be->lock);
	n = be->nr_queues;
	if (!n)
		goto out;
	/*
	 * No queue count: xmit drops, and no queue wakes the netdev or turns
	 * the carrier on again; once netif_tx_disable() returns no xmit that
	 * saw the old count is still running.
	 */
	/* first: its requests judge mappings against the queue count */
	pvnetback_ctrl_stop(be);
	WRITE_ONCE(be->nr_queues, 0);
	netif_carrier_off(be->netdev);
	netif_tx_disable(be->netdev);
	qs = be->queues;
	for (i = 0; i < n; i++)
		pvnetback_queue_stop(&qs[i]);
	WRITE_ONCE(be->queues, NULL);
	synchronize_rcu();		/* statistics readers are done with qs */
	pvnetback_stats_fold(be, qs, n);
	kvfree(qs);
	pvsplit_debugfs_remove(be->dbg);
	be->dbg = NULL;
	module_put(THIS_MODULE);
	netdev_info(be->netdev, "disconnected\n");
out:
	mutex_unlock(&be->lock);
}

static void read_features(struct pvnetback *be)
{
	const char *fe = be->dev->otherend;

	be->fe.sg = xenbus_read_unsigned(fe, "feature-sg", 0);
	/* GSO packets span pages: only with SG */
	be->fe.gso_v4 = be->fe.sg && xenbus_read_unsigned(fe, "feature-gso-tcpv4", 0);
	be->fe.gso_v6 = be->fe.sg && xenbus_read_unsigned(fe, "feature-gso-tcpv6", 0);
	be->fe.csum = !xenbus_read_unsigned(fe, "feature-no-csum-offload", 0);
	be->fe.ipv6_csum = xenbus_read_unsigned(fe, "feature-ipv6-csum-offload", 0);
	be->fe.rx_notify = xenbus_read_unsigned(fe, "feature-rx-notify", 0);
	be->tx_lim.gso_mask = (1u << PVNET_GSO_TCPV4) | (1u << PVNET_GSO_TCPV6);
	be->tx_lim.mcast = xenbus_read_unsigned(fe, "request-multicast-control", 0);
	pvnetback_mcast_reset(be, be->tx_lim.mcast);
	be->tx_lim.fatal_follow = clamp(pvnetback_fatal_slots, PVNET_MAX_FOLLOW,
					PVNET_FATAL_FOLLOW);
}

static unsigned int max_queues(void)
{
	return clamp(READ_ONCE(pvnetback_max_queues), 1u, 8u);
}

static void pvnetback_connect(void *data)
{
	struct pvnetback *be = data;
	struct xenbus_device *dev = be->dev;
	struct pvnetback_queue *qs;
	unsigned int nr = 1, i, v, maxq;
	char name[48], *rate;
	int err;

	mutex_lock(&be->lock);
	if (be->nr_queues)
		goto out;
	err = pvsplit_xb_read_uint(dev->otherend, "request-rx-copy", 0, 1, &v);
	if (err || !v) {
		xenbus_dev_fatal(dev, -EINVAL, "front end must request rx-copy");
		goto out;
	}
	/* what we offered: never more than the net_device was made with */
	maxq = be->max_queues;
	err = pvsplit_xb_read_uint(dev->otherend, "multi-queue-num-queues", 1,
				   maxq, &nr);
	if (err == -EINVAL) {
		xenbus_dev_fatal(dev, err, "bad multi-queue-num-queues (1-%u)",
				 maxq);
		goto out;
	}
	if (err)
		nr = 1;
	read_features(be);
	clear_bit(0, &be->fatal_pending);
	rate = xenbus_read(XBT_NIL, dev->nodename, "rate", NULL);
	pvnetback_rate_parse(be, IS_ERR(rate) ? NULL : rate);
	if (!IS_ERR(rate))
		kfree(rate);
	be->queues = kvcalloc(nr, sizeof(*be->queues), GFP_KERNEL);
	if (!be->queues) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating %u queues", nr);
		goto out;
	}
	snprintf(name, sizeof(name), "pvnetback-%u-%s", be->domid,
		 strrchr(dev->nodename, '/') + 1);
	be->dbg = pvsplit_debugfs_dir(name, NULL);
	/* queue_start reads keys by queue count; the carrier stays off */
	be->nr_queues = nr;
	for (i = 0; i < nr; i++) {
		be->queues[i].be = be;
		be->queues[i].index = i;
		err = pvnetback_queue_start(&be->queues[i]);
		if (err) {
			xenbus_dev_fatal(dev, err, "starting queue %u", i);
			goto stop;
		}
	}
	if (pvnetback_ctrl_start(be))
		goto stop;
	/* refuse rmmod while a guest uses us; detach first */
	__module_get(THIS_MODULE);
	err = pvnetback_netdev_connected(be);
	if (err) {
		/* -EPROTO: the guest broke a ring already, fatal_work reports it */
		if (err != -EPROTO)
			xenbus_dev_fatal(dev, err, "setting up %u queues", nr);
		goto out;
	}
	netdev_info(be->netdev, "connected: %u queue(s), %s event channels, sg %d gso %d/%d csum %d/%d rx-notify %d ctrl-ring %d\n",
		    nr, be->queues[0].tx_chan == be->queues[0].rx_chan ?
		    "shared" : "split", be->fe.sg, be->fe.gso_v4, be->fe.gso_v6,
		    be->fe.csum, be->fe.ipv6_csum, be->fe.rx_notify,
		    be->ctrl.on);
	pvsplit_xb_switch(dev, XenbusStateConnected);
	goto out;

stop:
	pvnetback_ctrl_stop(be);
	WRITE_ONCE(be->nr_queues, 0);
	while (i--)
		pvnetback_queue_stop(&be->queues[i]);
	qs = be->queues;
	WRITE_ONCE(be->queues, NULL);
	synchronize_rcu();		/* statistics readers are done with qs */
	kvfree(qs);
	pvsplit_debugfs_remove(be->dbg);
	be->dbg = NULL;
out:
	mutex_unlock(&be->lock);
}

static const struct pvsplit_back_ops pvnetback_back_ops = {
	.connect = pvnetback_connect,
	.disconnect = pvnetback_disconnect,
};

static void pvnetback_frontend_changed(struct xenbus_device *dev,
				       enum xenbus_state fstate)
{
	pvsplit_back_frontend_changed(dev, fstate, &pvnetback_back_ops,
				      dev_get_drvdata(&dev->dev));
}

static int write_features(struct xenbus_device *dev, unsigned int maxq)
{
	static const char *const keys[] = {
		"feature-sg", "feature-gso-tcpv4", "feature-gso-tcpv6",
		"feature-ipv6-csum-offload", "feature-rx-copy",
		"feature-rx-flip", "feature-split-event-channels",
		"multi-queue-max-queues", "feature-multicast-control",
		"feature-ctrl-ring",
	};
	unsigned int vals[] = {
		1, 1, 1, 1, 1, 0, pvnetback_split_evtchn, maxq, 1, 1,
	};

	return pvsplit_xb_write_features(dev, keys, vals, ARRAY_SIZE(keys));
}

static int pvnetback_probe(struct xenbus_device *dev,
			   const struct xenbus_device_id *id)
{
	const char *devid = strrchr(dev->nodename, '/');
	unsigned int handle = 0, v;
	struct net_device *netdev;
	struct pvnetback *be;
	char name[IFNAMSIZ];
	int err;

	if (!devid || kstrtouint(devid + 1, 10, &handle) || handle > 0xffff) {
		xenbus_dev_fatal(dev, -EINVAL, "bad device path");
		return -EINVAL;
	}
	if (snprintf(name, sizeof(name), "vif%u.%u", dev->otherend_id,
		     handle) >= (int)sizeof(name))
		return -EINVAL;
	netdev = alloc_netdev_mq(sizeof(*be), name, NET_NAME_PREDICTABLE,
				 ether_setup, max_queues());
	if (!netdev)
		return -ENOMEM;
	be = netdev_priv(netdev);
	be->netdev = netdev;
	be->dev = dev;
	be->domid = dev->otherend_id;
	mutex_init(&be->lock);
	spin_lock_init(&be->rate.lock);
	spin_lock_init(&be->mcast.lock);
	atomic_set(&be->stalled, 0);
	pvnetback_ctrl_init(be);
	SET_NETDEV_DEV(netdev, &dev->dev);
	dev_set_drvdata(&dev->dev, be);

	/*
	 * The toolstack may offer this vif fewer queues (pvsplit attach vif
	 * --queues); a value out of range is ignored, it is not the guest's.
	 */
	be->max_queues = netdev->num_tx_queues;
	if (!pvsplit_xb_read_uint(dev->nodename, "pvsplit-max-queues", 1,
				  be->max_queues, &v))
		be->max_queues = v;

	err = pvnetback_netdev_create(be, handle);
	if (err)
		goto free_netdev;
	err = write_features(dev, be->max_queues);
	if (err)
		goto destroy;
	err = pvsplit_xb_switch(dev, XenbusStateInitWait);
	if (err)
		goto destroy;
	return 0;

destroy:
	dev_set_drvdata(&dev->dev, NULL);
	pvnetback_netdev_destroy(be);
	return err;
free_netdev:
	dev_set_drvdata(&dev->dev, NULL);
	free_netdev(netdev);
	return err;
}

static void pvnetback_remove(struct xenbus_device *dev)
{
	struct pvnetback *be = dev_get_drvdata(&dev->dev);

	pvnetback_disconnect(be);
	cancel_work_sync(&be->fatal_work);
	dev_set_drvdata(&dev->dev, NULL);
	pvnetback_netdev_destroy(be);
}

static const struct xenbus_device_id pvnetback_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver pvnetback_driver = {
	.name = "pvnetback",	/* not "vif", the stock name */
	.ids = pvnetback_ids,
	.probe = pvnetback_probe,
	.remove = pvnetback_remove,
	.otherend_changed = pvnetback_frontend_changed,
};

static int __init pvnetback_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	if (!pvnetback_max_queues)
		pvnetback_max_queues = min(num_online_cpus(), 8u);
	return xenbus_register_backend(&pvnetback_driver);
}

static void __exit pvnetback_exit(void)
{
	xenbus_unregister_driver(&pvnetback_driver);
}

module_init(pvnetback_init);
module_exit(pvnetback_exit);

MODULE_DESCRIPTION("pvsplit: Xen virtual network device back end");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vif");
PVSPLIT_IMPORT_NS();
