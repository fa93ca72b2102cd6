// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c - pvnet front end (xenbus type "vif"): negotiation and states.
 *
 *   probe                     -> net_device with the MAC the toolstack
 *                                wrote, registered, carrier off
 *   back end InitWait         -> queues (rings, pools, channels) set up,
 *                                keys written, Connected: netif back ends
 *                                (the stock one too) connect when we are
 *                                Connected, not Initialised
 *   back end Connected        -> carrier on, peers told (gratuitous ARP)
 *   back end Closing/Closed   -> carrier off, queues torn down, Closed
 *   resume (restore, migrate) -> queues torn down, Initialising again; the
 *                                new back end may offer fewer queues
 *
 * Shared with every pvsplit front end: pvsplit_front_backend_changed().
 * Every value read from the back end's directory is bounded before use.
 */
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "pvnetfront.h"

static struct dentry *pvnetfront_dbg;

unsigned int pvnetfront_max_queues = 8;
module_param_named(max_queues, pvnetfront_max_queues, uint, 0644);
MODULE_PARM_DESC(max_queues, "Most queues per device (also bounded by vCPUs and the back end)");

bool pvnetfront_trusted = true;
module_param_named(trusted, pvnetfront_trusted, bool, 0444);
MODULE_PARM_DESC(trusted, "Trust back ends (else: every received byte is copied out of the pages granted to them)");

static void read_backend(struct pvnetfront *np)
{
	const char *be = np->dev->otherend;

	np->be.sg = xenbus_read_unsigned(be, "feature-sg", 0);
	np->be.gso_v4 = np->be.sg && xenbus_read_unsigned(be, "feature-gso-tcpv4", 0);
	np->be.gso_v6 = np->be.sg && xenbus_read_unsigned(be, "feature-gso-tcpv6", 0);
	np->be.ipv6_csum = xenbus_read_unsigned(be, "feature-ipv6-csum-offload", 0);
	np->be.split = xenbus_read_unsigned(be, "feature-split-event-channels", 0);
	np->be.max_queues = clamp(xenbus_read_unsigned(be, "multi-queue-max-queues", 1),
				  1u, 8u);
}

static int write_keys(struct xenbus_transaction xbt, void *arg)
{
	static const char *const keys[] = {
		"request-rx-copy", "feature-rx-notify", "feature-sg",
		"feature-gso-tcpv4", "feature-gso-tcpv6",
		"feature-ipv6-csum-offload",
	};
	/* an earlier connection's, maybe with more queues (ethtool -L) */
	static const char *const stale[] = {
		"multi-queue-num-queues", "tx-ring-ref", "rx-ring-ref",
		"event-channel", "event-channel-tx", "event-channel-rx",
		"ctrl-ring-ref", "event-channel-ctrl",
	};
	struct pvnetfront *np = arg;
	const char *node = np->dev->nodename;
	unsigned int i;
	int err;

	err = pvsplit_xb_drop_keys(xbt, node, stale, ARRAY_SIZE(stale),
				   np->netdev->num_tx_queues);
	for (i = 0; !err && i < ARRAY_SIZE(keys); i++)
		err = xenbus_printf(xbt, node, keys[i], "%u", 1);
	if (!err && np->nr_queues > 1)
		err = xenbus_printf(xbt, node, "multi-queue-num-queues", "%u",
				    np->nr_queues);
	for (i = 0; !err && i < np->nr_queues; i++)
		err = pvnetfront_queue_write(xbt, &np->queues[i]);
	if (!err)
		err = pvnetfront_ctrl_write(xbt, np);
	return err;
}

static void pvnetfront_closing(void *data)
{
	struct pvnetfront *np = data;
	struct pvnetfront_queue *qs;
	unsigned int i, n;

	mutex_lock(&np->lock);
	n = np->nr_queues;
	if (!n)
		goto out;
	/* no count: xmit drops; none that saw the old one runs after this */
	pvnetfront_ctrl_stop(np);
	WRITE_ONCE(np->nr_queues, 0);
	netif_carrier_off(np->netdev);
	netif_tx_disable(np->netdev);
	qs = np->queues;
	for (i = 0; i < n; i++)
		pvnetfront_queue_stop(&qs[i]);
	pvnetfront_stats_add(&np->base, qs, n);
	WRITE_ONCE(np->queues, NULL);
	synchronize_rcu();	/* statistics readers are done with qs */
	kvfree(qs);
	netdev_info(np->netdev, "disconnected\n");
out:
	mutex_unlock(&np->lock);
}

static int pvnetfront_connect(void *data)
{
	struct pvnetfront *np = data;
	struct xenbus_device *dev = np->dev;
	struct pvnetfront_queue *qs;
	unsigned int nr, i;
	int err;

	mutex_lock(&np->lock);
	if (!xenbus_read_unsigned(dev->otherend, "feature-rx-copy", 0)) {
		err = -EOPNOTSUPP;
		xenbus_dev_fatal(dev, err, "back end offers no rx-copy");
		goto out;
	}
	read_backend(np);
	/* each connection: a restore or migration may bring another back end */
	WRITE_ONCE(np->trusted, pvnetfront_trusted &&
		   xenbus_read_unsigned(dev->nodename, "trusted", 1));
	nr = pvnetfront_queues_max(np);
	if (np->want_queues)
		nr = min(nr, np->want_queues);
	np->queues = kvcalloc(nr, sizeof(*np->queues), GFP_KERNEL);
	if (!np->queues) {
		err = -ENOMEM;
		xenbus_dev_fatal(dev, err, "allocating %u queues", nr);
		goto out;
	}
	np->nr_queues = nr;
	for (i = 0; i < nr; i++) {
		np->queues[i].np = np;
		np->queues[i].index = i;
		err = pvnetfront_queue_start(&np->queues[i]);
		if (err) {
			xenbus_dev_fatal(dev, err, "setting up queue %u", i);
			goto stop;
		}
	}
	err = pvnetfront_ctrl_start(np);
	if (err) {
		xenbus_dev_fatal(dev, err, "setting up the control ring");
		goto stop;
	}
	err = pvsplit_xb_txn(dev, write_keys, np);
	if (err) {
		xenbus_dev_fatal(dev, err, "writing keys");
		goto stop;
	}
	clear_bit(0, &np->broken);
	rtnl_lock();
	err = netif_set_real_num_tx_queues(np->netdev, nr);
	if (!err)
		err = netif_set_real_num_rx_queues(np->netdev, nr);
	if (!err)
		netdev_update_features(np->netdev);
	rtnl_unlock();
	if (err) {
		xenbus_dev_fatal(dev, err, "setting up %u queues", nr);
		goto stop;
	}
	goto out;

stop:
	pvnetfront_ctrl_stop(np);
	WRITE_ONCE(np->nr_queues, 0);
	while (i--)
		pvnetfront_queue_stop(&np->queues[i]);
	qs = np->queues;
	WRITE_ONCE(np->queues, NULL);
	synchronize_rcu();
	kvfree(qs);
out:
	mutex_unlock(&np->lock);
	return err;
}

static int pvnetfront_connected(void *data)
{
	struct pvnetfront *np = data;

	netdev_info(np->netdev, "connected: %u queue(s), %s event channels, sg %d gso %d/%d, %strusted\n",
		    np->nr_queues, np->be.split ? "split" : "shared", np->be.sg,
		    np->be.gso_v4, np->be.gso_v6, np->trusted ? "" : "not ");
	netif_carrier_on(np->netdev);
	if (netif_running(np->netdev))
		netif_tx_wake_all_queues(np->netdev);
	/* after a move, let the switches know where we are now */
	netdev_notify_peers(np->netdev);
	pvnetfront_ctrl_connected(np);
	return 0;
}

static const struct pvsplit_front_ops pvnetfront_front_ops = {
	.connect = pvnetfront_connect,
	.connected = pvnetfront_connected,
	.closing = pvnetfront_closing,
	.connect_state = XenbusStateConnected,
};

/**
 * pvnetfront_queues_max() - most queues this device can have now
 * @np: device
 *
 * Return: the back end's offer (1 before it made one), bounded by our
 * vCPUs and the max_queues parameter.
 */
unsigned int pvnetfront_queues_max(struct pvnetfront *np)
{
	return min3(np->be.max_queues ?: 1u, num_online_cpus(),
		    clamp(READ_ONCE(pvnetfront_max_queues), 1u,
			  np->netdev->num_tx_queues));
}

/**
 * pvnetfront_set_queues() - use @n queues from the next connection on
 * @np: device
 * @n: queues, 1 to pvnetfront_queues_max()
 *
 * A connected device with another count closes now; once the back end has
 * closed too we go Initialising, it offers itself again (InitWait) and we
 * connect with @n.
 *
 * Return: 0 or a negative errno from the state switch.
 */
int pvnetfront_set_queues(struct pvnetfront *np, unsigned int n)
{
	bool again;

	mutex_lock(&np->lock);
	np->want_queues = n;
	again = np->nr_queues && np->nr_queues != n;
	if (again)
		set_bit(0, &np->reconnect);
	mutex_unlock(&np->lock);
	if (!again)
		return 0;
	netdev_info(np->netdev, "reconnecting for %u queue(s)\n", n);
	return pvsplit_xb_switch(np->dev, XenbusStateClosing);
}

static void pvnetfront_backend_changed(struct xenbus_device *dev,
				       enum xenbus_state bstate)
{
	struct pvnetfront *np = dev_get_drvdata(&dev->dev);

	/* both ends closed for ethtool -L: start over */
	if (bstate == XenbusStateClosed && dev->state == XenbusStateClosed &&
	    test_and_clear_bit(0, &np->reconnect)) {
		pvsplit_xb_switch(dev, XenbusStateInitialising);
		return;
	}
	pvsplit_front_backend_changed(dev, bstate, &pvnetfront_front_ops, np);
}

static int read_mac(struct pvnetfront *np)
{
	u8 addr[ETH_ALEN];
	char *mac;
	int err;

	mac = xenbus_read(XBT_NIL, np->dev->nodename, "mac", NULL);
	if (IS_ERR(mac))
		return PTR_ERR(mac);
	err = sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &addr[0], &addr[1],
		     &addr[2], &addr[3], &addr[4], &addr[5]) == ETH_ALEN &&
	      is_valid_ether_addr(addr) ? 0 : -EINVAL;
	kfree(mac);
	if (!err)
		eth_hw_addr_set(np->netdev, addr);
	return err;
}

static int pvnetfront_probe(struct xenbus_device *dev,
			    const struct xenbus_device_id *id)
{
	struct net_device *netdev;
	struct pvnetfront *np;
	char name[32];
	int err;

	netdev = alloc_etherdev_mq(sizeof(*np), 8);
	if (!netdev)
		return -ENOMEM;
	np = netdev_priv(netdev);
	np->netdev = netdev;
	np->dev = dev;
	mutex_init(&np->lock);
	pvnetfront_ctrl_init(np);
	SET_NETDEV_DEV(netdev, &dev->dev);
	pvnetfront_netdev_setup(np);
	err = read_mac(np);
	if (err) {
		xenbus_dev_fatal(dev, err, "reading mac");
		goto free_netdev;
	}
	dev_set_drvdata(&dev->dev, np);
	err = register_netdev(netdev);
	if (err) {
		xenbus_dev_fatal(dev, err, "registering the net device");
		goto clear_drvdata;
	}
	/* device/vif/<devid> -> pvnetfront/vif-<devid> */
	snprintf(name, sizeof(name), "vif-%s", kbasename(dev->nodename));
	np->dbg = pvsplit_debugfs_dir(name, pvnetfront_dbg);
	return 0;

clear_drvdata:
	dev_set_drvdata(&dev->dev, NULL);
free_netdev:
	free_netdev(netdev);
	return err;
}

static int pvnetfront_resume(struct xenbus_device *dev)
{
	/* the new back end's InitWait sets up anew, maybe fewer queues */
	pvnetfront_closing(dev_get_drvdata(&dev->dev));
	return 0;
}

static void pvnetfront_remove(struct xenbus_device *dev)
{
	struct pvnetfront *np = dev_get_drvdata(&dev->dev);

	unregister_netdev(np->netdev);
	pvnetfront_closing(np);
	cancel_work_sync(&np->broken_work);
	pvsplit_debugfs_remove(np->dbg);
	dev_set_drvdata(&dev->dev, NULL);
	free_netdev(np->netdev);
}

static const struct xenbus_device_id pvnetfront_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver pvnetfront_driver = {
	.name = "pvnetfront",	/* not "vif", the stock name */
	.ids = pvnetfront_ids,
	.probe = pvnetfront_probe,
	.remove = pvnetfront_remove,
	.resume = pvnetfront_resume,
	.otherend_changed = pvnetfront_backend_changed,
};

static int __init pvnetfront_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	pvnetfront_dbg = pvsplit_debugfs_dir("pvnetfront", NULL);
	err = xenbus_register_frontend(&pvnetfront_driver);
	if (err)
		pvsplit_debugfs_remove(pvnetfront_dbg);
	return err;
}

static void __exit pvnetfront_exit(void)
{
	xenbus_unregister_driver(&pvnetfront_driver);
	pvsplit_debugfs_remove(pvnetfront_dbg);
}

module_init(pvnetfront_init);
module_exit(pvnetfront_exit);

MODULE_DESCRIPTION("pvsplit: Xen virtual network device front end");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vif");
PVSPLIT_IMPORT_NS();
