// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvbenchback - back end of the pvbench ring benchmark device (dom0).
 *
 * xenbus states of the back end, and what moves it:
 *
 *   probe                         -> InitWait
 *   front Initialised/Connected   -> map ring, start worker, Connected
 *   front Closing                 -> stop worker, unmap ring, Closing
 *   front Closed                  -> the same, Closed
 *   front Initialising after that -> InitWait again
 *   front Closed while offline, or front gone (Unknown) -> unregister
 *
 * The ring is mapped and the worker started on the way to Connected and
 * torn down on the way out of it, whatever the front end does next.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "pvbenchback.h"

unsigned int pvbenchback_max_ring_order = PVRING_MAX_ORDER;
module_param_named(max_ring_page_order, pvbenchback_max_ring_order, uint, 0444);
MODULE_PARM_DESC(max_ring_page_order, "Largest ring a front end may use (log2 pages, 0-4)");

unsigned int pvbenchback_poll_max_us = 2000;
module_param_named(poll_max_us, pvbenchback_poll_max_us, uint, 0644);
MODULE_PARM_DESC(poll_max_us, "Spin for the next request while requests come closer than this (us); 0: never");

static void pvbenchback_connect(void *data)
{
	struct pvbench_back *be = data;
	struct pvsplit_ring_layout lay;
	int err;

	mutex_lock(&be->lock);
	if (be->task)
		goto out;
	err = pvsplit_xb_read_ring(be->dev, NULL, pvbenchback_max_ring_order,
				   "ring-ref", "event-channel", &lay);
	if (err)
		goto out;
	err = pvbenchback_start(be, &lay);
	if (err) {
		xenbus_dev_fatal(be->dev, err, "connecting ring");
		goto out;
	}
	/* refuse rmmod while a guest uses us; detach first */
	__module_get(THIS_MODULE);
	dev_info(&be->dev->dev, "connected: ring order %u (%u slots, ref %u), event channel %u\n",
		 lay.order, be->ring.r.size, lay.gref[0], lay.evtchn);
	pvsplit_xb_switch(be->dev, XenbusStateConnected);
out:
	mutex_unlock(&be->lock);
}

static void pvbenchback_disconnect(void *data)
{
	struct pvbench_back *be = data;

	mutex_lock(&be->lock);
	if (be->task) {
		pvbenchback_stop(be);
		module_put(THIS_MODULE);
		dev_info(&be->dev->dev, "disconnected\n");
	}
	mutex_unlock(&be->lock);
}

static const struct pvsplit_back_ops pvbenchback_back_ops = {
	.connect = pvbenchback_connect,
	.disconnect = pvbenchback_disconnect,
};

static void pvbenchback_frontend_changed(struct xenbus_device *dev,
					  enum xenbus_state fstate)
{
	pvsplit_back_frontend_changed(dev, fstate, &pvbenchback_back_ops,
				      dev_get_drvdata(&dev->dev));
}

static int pvbenchback_probe(struct xenbus_device *dev,
			     const struct xenbus_device_id *id)
{
	static const char *const keys[] = {
		"max-ring-page-order", "max-segments", "feature-grant-copy",
	};
	unsigned int vals[] = {
		min(pvbenchback_max_ring_order, PVRING_MAX_ORDER),
		PVBENCH_MAX_SEGS, 1,
	};
	struct pvbench_back *be;
	int err;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be)
		return -ENOMEM;
	be->dev = dev;
	be->domid = dev->otherend_id;
	mutex_init(&be->lock);
	init_waitqueue_head(&be->wq);
	dev_set_drvdata(&dev->dev, be);

	err = pvsplit_xb_write_features(dev, keys, vals, ARRAY_SIZE(keys));
	if (err)
		goto free_be;
	err = pvsplit_xb_switch(dev, XenbusStateInitWait);
	if (err)
		goto free_be;
	return 0;

free_be:
	dev_set_drvdata(&dev->dev, NULL);
	kfree(be);
	return err;
}

static void pvbenchback_remove(struct xenbus_device *dev)
{
	struct pvbench_back *be = dev_get_drvdata(&dev->dev);

	pvbenchback_disconnect(be);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(be);
}

static const struct xenbus_device_id pvbenchback_ids[] = {
	{ "pvbench" },
	{ "" }
};

static struct xenbus_driver pvbenchback_driver = {
	.name = "pvbenchback",
	.ids = pvbenchback_ids,
	.probe = pvbenchback_probe,
	.remove = pvbenchback_remove,
	.otherend_changed = pvbenchback_frontend_changed,
};

static int __init pvbenchback_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	if (pvbenchback_max_ring_order > PVRING_MAX_ORDER)
		pvbenchback_max_ring_order = PVRING_MAX_ORDER;
	return xenbus_register_backend(&pvbenchback_driver);
}

static void __exit pvbenchback_exit(void)
{
	xenbus_unregister_driver(&pvbenchback_driver);
}

module_init(pvbenchback_init);
module_exit(pvbenchback_exit);

MODULE_DESCRIPTION("pvsplit: pvbench ring benchmark back end");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:pvbench");
PVSPLIT_IMPORT_NS();
