// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvbenchfront - front end of the pvbench ring benchmark device (guest).
 *
 * xenbus states of the front end, and what moves it:
 *
 *   probe                          -> Initialising
 *   back InitWait                  -> publish ring, Initialised
 *   back Connected                 -> Connected, runs allowed
 *   back Closing, Closed, gone     -> stop run, free ring, Closed
 *   back InitWait after that       -> publish a new ring
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "pvbenchfront.h"

unsigned int pvbenchfront_ring_order = 2;
module_param_named(ring_page_order, pvbenchfront_ring_order, uint, 0644);
MODULE_PARM_DESC(ring_page_order, "Ring size to ask for (log2 pages, 0-4)");

static void pvbenchfront_backend_changed(struct xenbus_device *dev,
					 enum xenbus_state bstate)
{
	struct pvbench_front *fe = dev_get_drvdata(&dev->dev);

	dev_dbg(&dev->dev, "back end %s, we are %s\n", xenbus_strstate(bstate),
		xenbus_strstate(dev->state));
	switch (bstate) {
	case XenbusStateInitWait:
		if (dev->state != XenbusStateInitialising &&
		    dev->state != XenbusStateClosed)
			break;
		mutex_lock(&fe->lock);
		if (!pvbenchfront_connect(fe))
			pvsplit_xb_switch(dev, XenbusStateInitialised);
		mutex_unlock(&fe->lock);
		break;
	case XenbusStateConnected:
		if (dev->state != XenbusStateInitialised)
			break;
		mutex_lock(&fe->lock);
		WRITE_ONCE(fe->connected, true);
		mutex_unlock(&fe->lock);
		pvsplit_xb_switch(dev, XenbusStateConnected);
		break;
	case XenbusStateClosing:
	case XenbusStateClosed:
	case XenbusStateUnknown:
		if (dev->state == XenbusStateClosed)
			break;
		/* stop a run before waiting for its lock */
		WRITE_ONCE(fe->connected, false);
		wake_up(&fe->wq);
		mutex_lock(&fe->lock);
		pvbenchfront_disconnect(fe);
		mutex_unlock(&fe->lock);
		xenbus_frontend_closed(dev);
		break;
	default:
		break;
	}
}

static int pvbenchfront_probe(struct xenbus_device *dev,
			      const struct xenbus_device_id *id)
{
	struct pvbench_front *fe;

	fe = kzalloc(sizeof(*fe), GFP_KERNEL);
	if (!fe)
		return -ENOMEM;
	fe->lat = vzalloc(sizeof(*fe->lat));
	if (!fe->lat) {
		kfree(fe);
		return -ENOMEM;
	}
	fe->dev = dev;
	mutex_init(&fe->lock);
	init_waitqueue_head(&fe->wq);
	fe->params = (struct pvbench_params) {
		.qd = 32, .batch = 16, .count = 100000, .duration_ms = 1000,
		.op = PVBENCH_OP_READ, .xfer = PVBENCH_XFER_MAP,
	};
	dev_set_drvdata(&dev->dev, fe);
	return 0;
}

static void pvbenchfront_remove(struct xenbus_device *dev)
{
	struct pvbench_front *fe = dev_get_drvdata(&dev->dev);

	WRITE_ONCE(fe->connected, false);
	wake_up(&fe->wq);
	mutex_lock(&fe->lock);
	pvbenchfront_disconnect(fe);
	mutex_unlock(&fe->lock);
	dev_set_drvdata(&dev->dev, NULL);
	vfree(fe->lat);
	kfree(fe);
}

static const struct xenbus_device_id pvbenchfront_ids[] = {
	{ "pvbench" },
	{ "" }
};

static struct xenbus_driver pvbenchfront_driver = {
	.name = "pvbenchfront",
	.ids = pvbenchfront_ids,
	.probe = pvbenchfront_probe,
	.remove = pvbenchfront_remove,
	.otherend_changed = pvbenchfront_backend_changed,
	.driver.dev_groups = pvbenchfront_groups,
};

static int __init pvbenchfront_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	return xenbus_register_frontend(&pvbenchfront_driver);
}

static void __exit pvbenchfront_exit(void)
{
	xenbus_unregister_driver(&pvbenchfront_driver);
}

module_init(pvbenchfront_init);
module_exit(pvbenchfront_exit);

MODULE_DESCRIPTION("pvsplit: pvbench ring benchmark front end");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:pvbench");
PVSPLIT_IMPORT_NS();
