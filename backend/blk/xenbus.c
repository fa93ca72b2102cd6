// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c - pvblk back end (xenbus type "vbd"): negotiation and states.
 *
 *   probe                         -> write device-independent features,
 *                                    watch physical-device, InitWait
 *   physical-device written       -> open it, write its features
 *   front Initialised/Connected   -> (device open) map rings, start
 *                                    workers, write size, Connected
 *   backing device grows/shrinks  -> new "sectors", state rewritten
 *   front Closing                 -> stop workers, unmap all, Closing
 *   front Closed                  -> the same, Closed (unregister when
 *                                    the toolstack set online=0)
 *   front gone (Unknown)          -> unregister
 *
 * physical-device is "major:minor" in hex, as Xen's block hotplug script
 * and the pvsplit CLI write it; "mode" must be there too ("r" or "w"),
 * else the device is not opened and the xenbus error says why.
 * Everything read from the front end's directory is bounded before use.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "pvblkback.h"

unsigned int pvblkback_max_ring_order = PVRING_MAX_ORDER;
module_param_named(max_ring_page_order, pvblkback_max_ring_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order, "Largest ring a front end may use (log2 pages, 0-4)");

unsigned int pvblkback_max_queues = 4;
module_param_named(max_queues, pvblkback_max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "Most rings (queues) per device");

unsigned int pvblkback_max_indirect = 256;
module_param_named(max_indirect_segments, pvblkback_max_indirect, uint, 0444);
MODULE_PARM_DESC(max_indirect_segments, "Most segments of an indirect request (0 disables)");

unsigned int pvblkback_max_pgrants = 4096;
module_param_named(max_persistent_grants, pvblkback_max_pgrants, uint, 0644);
MODULE_PARM_DESC(max_persistent_grants, "Persistent grants kept mapped per ring");

bool pvblkback_persistent = true;
module_param_named(feature_persistent, pvblkback_persistent, bool, 0644);
MODULE_PARM_DESC(feature_persistent, "Offer persistent grants");

unsigned int pvblkback_poll_max_us = 2000;
module_param_named(poll_max_us, pvblkback_poll_max_us, uint, 0644);
MODULE_PARM_DESC(poll_max_us, "Longest a ring's worker spins for the next request before it sleeps, when requests come at least that often (0: never spin)");

static void pvblkback_disconnect(void *data)
{
	struct pvblkback *be = data;
	unsigned int i;

	mutex_lock(&be->lock);
	if (!be->nr_rings)
		goto out;
	cancel_delayed_work_sync(&be->resize);
	for (i = 0; i < be->nr_rings; i++) {
		pvblkback_ring_stop(be->rings[i]);
		pvblkback_stats_add(&be->base, &be->rings[i]->st);
		kvfree(be->rings[i]);
	}
	kfree(be->rings);
	be->rings = NULL;
	be->nr_rings = 0;
	pvsplit_debugfs_remove(be->dbg);
	be->dbg = NULL;
	module_put(THIS_MODULE);
	dev_info(&be->dev->dev, "disconnected\n");
out:
	mutex_unlock(&be->lock);
}

static int read_protocol(struct pvblkback *be)
{
	char *proto = xenbus_read(XBT_NIL, be->dev->otherend, "protocol", NULL);

	be->abi = PVBLK_ABI_64;
	if (IS_ERR(proto))
		return 0;	/* absent: native */
	if (!strcmp(proto, "x86_32-abi"))
		be->abi = PVBLK_ABI_32;
	else if (strcmp(proto, "x86_64-abi") && strcmp(proto, "native")) {
		xenbus_dev_fatal(be->dev, -EINVAL, "unknown protocol %.16s", proto);
		kfree(proto);
		return -EINVAL;
	}
	kfree(proto);
	return 0;
}

static int start_rings(struct pvblkback *be, unsigned int nr)
{
	struct pvsplit_ring_layout lay;
	char queue[20];
	unsigned int i;
	int err;

	be->rings = kcalloc(nr, sizeof(*be->rings), GFP_KERNEL);
	if (!be->rings)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct pvblkback_ring *rg;

		snprintf(queue, sizeof(queue), "queue-%u", i);
		err = pvsplit_xb_read_ring(be->dev, nr > 1 ? queue : NULL,
					   pvblkback_max_ring_order, "ring-ref",
					   "event-channel", &lay);
		if (err)
			goto stop;
		rg = kvzalloc(sizeof(*rg), GFP_KERNEL);
		if (!rg) {
			err = -ENOMEM;
			goto stop;
		}
		rg->be = be;
		rg->index = i;
		err = pvblkback_ring_start(rg, &lay);
		if (err) {
			kvfree(rg);
			xenbus_dev_fatal(be->dev, err, "starting ring %u", i);
			goto stop;
		}
		be->rings[i] = rg;
	}
	return 0;

stop:
	while (i--) {
		pvblkback_ring_stop(be->rings[i]);
		kvfree(be->rings[i]);
	}
	kfree(be->rings);
	be->rings = NULL;
	return err;
}

struct size_info {
	struct pvblkback *be;
	u64 sectors;
	bool restate;
};

static int write_size(struct xenbus_transaction xbt, void *arg)
{
	struct size_info *si = arg;
	struct pvblkback *be = si->be;
	const char *node = be->dev->nodename;
	unsigned int info = be->lim.readonly ? PVBLK_VDISK_READONLY : 0;
	int err;

	err = xenbus_printf(xbt, node, "sectors", "%llu", si->sectors);
	if (!err && !si->restate)
		err = xenbus_printf(xbt, node, "info", "%u", info);
	if (!err && !si->restate)
		err = xenbus_printf(xbt, node, "sector-size", "%u",
				    bdev_logical_block_size(be->bd.bdev));
	if (!err && !si->restate)
		err = xenbus_printf(xbt, node, "physical-sector-size", "%u",
				    bdev_physical_block_size(be->bd.bdev));
	/* rewriting state fires the front end's watch: it re-reads sectors */
	if (!err && si->restate)
		err = xenbus_printf(xbt, node, "state", "%d", be->dev->state);
	return err;
}

static void pvblkback_resize_work(struct work_struct *work)
{
	struct pvblkback *be = container_of(to_delayed_work(work),
					    struct pvblkback, resize);
	struct size_info si = { .be = be, .restate = true };

	si.sectors = bdev_nr_sectors(be->bd.bdev);
	if (si.sectors != READ_ONCE(be->lim.capacity)) {
		dev_info(&be->dev->dev, "size changed: %llu -> %llu sectors\n",
			 be->lim.capacity, si.sectors);
		WRITE_ONCE(be->lim.capacity, si.sectors);
		pvsplit_xb_txn(be->dev, write_size, &si);
	}
	schedule_delayed_work(&be->resize, HZ);
}

static void pvblkback_connect(void *data)
{
	struct pvblkback *be = data;
	struct xenbus_device *dev = be->dev;
	struct size_info si = { .be = be };
	unsigned int nr = 1;
	char name[48];
	int err;

	mutex_lock(&be->lock);
	if (be->nr_rings || !be->bd.bdev)
		goto out;
	if (read_protocol(be))
		goto out;
	err = pvsplit_xb_read_uint(dev->otherend, "multi-queue-num-queues", 1,
				   max(pvblkback_max_queues, 1u), &nr);
	if (err == -EINVAL) {
		xenbus_dev_fatal(dev, err, "bad multi-queue-num-queues");
		goto out;
	}
	if (err)
		nr = 1;
	be->persistent = pvblkback_persistent &&
			 xenbus_read_unsigned(dev->otherend, "feature-persistent", 0);
	be->lim.capacity = bdev_nr_sectors(be->bd.bdev);
	snprintf(name, sizeof(name), "pvblkback-%u-%s", be->domid,
		 strrchr(dev->nodename, '/') + 1);
	be->dbg = pvsplit_debugfs_dir(name, NULL);
	err = start_rings(be, nr);
	if (err)
		goto remove_dbg;
	be->nr_rings = nr;
	si.sectors = be->lim.capacity;
	err = pvsplit_xb_txn(dev, write_size, &si);
	if (err)
		xenbus_dev_fatal(dev, err, "writing disk size");
	/* refuse rmmod while a guest uses us; detach first */
	__module_get(THIS_MODULE);
	dev_info(&dev->dev, "connected: %u ring(s) of order %u, %s abi, persistent %s, indirect %u, %llu sectors\n",
		 nr, be->rings[0]->ring.order,
		 be->abi == PVBLK_ABI_32 ? "x86_32" : "x86_64",
		 be->persistent ? "on" : "off", be->lim.max_indirect_segs,
		 be->lim.capacity);
	pvsplit_xb_switch(dev, XenbusStateConnected);
	schedule_delayed_work(&be->resize, HZ);
	goto out;

remove_dbg:
	pvsplit_debugfs_remove(be->dbg);
	be->dbg = NULL;
out:
	mutex_unlock(&be->lock);
}

static void write_device_features(struct pvblkback *be)
{
	static const char *const keys[] = {
		"feature-flush-cache", "feature-barrier",
		"feature-max-indirect-segments", "feature-discard",
		"discard-granularity", "discard-alignment", "discard-secure",
	};
	struct block_device *bdev = be->bd.bdev;
	unsigned int vals[ARRAY_SIZE(keys)] = {
		be->lim.flush, be->lim.barrier, be->lim.max_indirect_segs,
		be->lim.discard, bdev_discard_granularity(bdev),
		bdev_discard_alignment(bdev), be->lim.secure,
	};

	pvsplit_xb_write_features(be->dev, keys, vals,
				  be->lim.discard ? ARRAY_SIZE(keys) : 4);
}

static int open_device(struct pvblkback *be, dev_t pdev)
{
	struct xenbus_device *dev = be->dev;
	char *mode, *type;
	bool ro, cdrom;
	int err;

	/*
	 * The toolstack writes mode with physical-device; without it we
	 * cannot tell whether the disk may be written, so serve nothing
	 * rather than guess read-write.
	 */
	mode = xenbus_read(XBT_NIL, dev->nodename, "mode", NULL);
	if (IS_ERR(mode)) {
		xenbus_dev_fatal(dev, PTR_ERR(mode),
				 "no mode key: not opening %u:%u (read-only or read-write unknown)",
				 MAJOR(pdev), MINOR(pdev));
		return PTR_ERR(mode);
	}
	ro = strchr(mode, 'w') == NULL;
	kfree(mode);
	type = xenbus_read(XBT_NIL, dev->nodename, "device-type", NULL);
	cdrom = !IS_ERR(type) && !strcmp(type, "cdrom");
	if (!IS_ERR(type))
		kfree(type);

	err = pvsplit_bdev_open(&be->bd, pdev, !ro && !cdrom);
	if (err) {
		xenbus_dev_fatal(dev, err, "opening device %u:%u", MAJOR(pdev),
				 MINOR(pdev));
		return err;
	}
	be->pdev = pdev;
	memset(&be->lim, 0, sizeof(be->lim));
	be->lim.readonly = ro || cdrom;
	be->lim.lbs_sectors = bdev_logical_block_size(be->bd.bdev) >>
			      PVBLK_SECTOR_SHIFT;
	be->lim.max_indirect_segs = min(pvblkback_max_indirect,
					PVBLK_MAX_INDIRECT_SEGS);
	be->lim.flush = !be->lim.readonly;
	be->lim.barrier = !be->lim.readonly;
	be->lim.discard = !be->lim.readonly &&
			  bdev_max_discard_sectors(be->bd.bdev) &&
			  xenbus_read_unsigned(dev->nodename, "discard-enable", 1);
	be->lim.secure = be->lim.discard &&
			 bdev_max_secure_erase_sectors(be->bd.bdev);
	write_device_features(be);
	dev_info(&dev->dev, "serving %u:%u (%s), %u-byte sectors\n",
		 MAJOR(pdev), MINOR(pdev), be->lim.readonly ? "ro" : "rw",
		 bdev_logical_block_size(be->bd.bdev));
	return 0;
}

static void pdev_changed(struct xenbus_watch *watch, const char *path,
			 const char *token)
{
	struct pvblkback *be = container_of(watch, struct pvblkback, watch);
	struct xenbus_device *dev = be->dev;
	unsigned int major, minor;
	enum xenbus_state fstate;
	char *val;
	dev_t pdev;
	int err;

	val = xenbus_read(XBT_NIL, dev->nodename, "physical-device", NULL);
	if (IS_ERR(val))
		return;		/* not written yet: the watch fires once at setup */
	err = sscanf(val, "%x:%x", &major, &minor);
	kfree(val);
	if (err != 2 || major >= (1u << (32 - MINORBITS)) ||
	    minor > MINORMASK) {
		xenbus_dev_fatal(dev, -EINVAL, "bad physical-device");
		return;
	}
	pdev = MKDEV(major, minor);
	mutex_lock(&be->lock);
	if (be->pdev) {
		if (be->pdev != pdev)
			xenbus_dev_error(dev, -EBUSY,
					 "physical-device may not change");
		mutex_unlock(&be->lock);
		return;
	}
	err = open_device(be, pdev);
	mutex_unlock(&be->lock);
	if (err)
		return;
	fstate = xenbus_read_driver_state(dev->otherend);
	if (fstate == XenbusStateInitialised || fstate == XenbusStateConnected)
		pvblkback_connect(be);
}

static const struct pvsplit_back_ops pvblkback_back_ops = {
	.connect = pvblkback_connect,
	.disconnect = pvblkback_disconnect,
};

static void pvblkback_frontend_changed(struct xenbus_device *dev,
				       enum xenbus_state fstate)
{
	pvsplit_back_frontend_changed(dev, fstate, &pvblkback_back_ops,
				      dev_get_drvdata(&dev->dev));
}

static int pvblkback_probe(struct xenbus_device *dev,
			   const struct xenbus_device_id *id)
{
	static const char *const keys[] = {
		"max-ring-page-order", "multi-queue-max-queues",
		"feature-persistent",
	};
	unsigned int vals[] = {
		min(pvblkback_max_ring_order, PVRING_MAX_ORDER),
		max(pvblkback_max_queues, 1u), pvblkback_persistent,
	};
	struct pvblkback *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be)
		return -ENOMEM;
	be->dev = dev;
	be->domid = dev->otherend_id;
	mutex_init(&be->lock);
	INIT_DELAYED_WORK(&be->resize, pvblkback_resize_work);
	dev_set_drvdata(&dev->dev, be);

	err = pvsplit_xb_write_features(dev, keys, vals, ARRAY_SIZE(keys));
	if (err)
		goto free_be;
	err = xenbus_watch_pathfmt(dev, &be->watch, NULL, pdev_changed,
				   "%s/physical-device", dev->nodename);
	if (err)
		goto free_be;
	be->watching = true;
	err = pvsplit_xb_switch(dev, XenbusStateInitWait);
	if (err)
		goto unwatch;
	return 0;

unwatch:
	unregister_xenbus_watch(&be->watch);
	kfree(be->watch.node);
free_be:
	dev_set_drvdata(&dev->dev, NULL);
	kfree(be);
	return err;
}

static void pvblkback_remove(struct xenbus_device *dev)
{
	struct pvblkback *be = dev_get_drvdata(&dev->dev);

	if (be->watching) {
		unregister_xenbus_watch(&be->watch);
		kfree(be->watch.node);
	}
	pvblkback_disconnect(be);
	pvsplit_bdev_close(&be->bd);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(be);
}

static const struct xenbus_device_id pvblkback_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver pvblkback_driver = {
	.name = "pvblkback",	/* not "vbd", the stock name */
	.ids = pvblkback_ids,
	.probe = pvblkback_probe,
	.remove = pvblkback_remove,
	.otherend_changed = pvblkback_frontend_changed,
	.driver.dev_groups = pvblkback_groups,
};

static int __init pvblkback_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	pvblkback_max_ring_order = min(pvblkback_max_ring_order, PVRING_MAX_ORDER);
	return xenbus_register_backend(&pvblkback_driver);
}

static void __exit pvblkback_exit(void)
{
	xenbus_unregister_driver(&pvblkback_driver);
}

module_init(pvblkback_init);
module_exit(pvblkback_exit);

MODULE_DESCRIPTION("pvsplit: Xen virtual block device back end");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:vbd");
PVSPLIT_IMPORT_NS();
