// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvbenchfront - front end of the pvbench ring benchmark device (guest).
 *
 * The xenbus states follow pvsplit_front_backend_changed(); this device's
 * steps:
 *
 *   probe                          -> Initialising
 *   back InitWait                  -> publish ring, Initialised
 *   back Connected                 -> Connected, runs allowed
 *   back Closing, Closed, gone     -> stop run, free ring, Closed
 *   back InitWait after that       -> publish a new ring
 *   resume (restore, migrate)      -> stop run, free ring; Initialising
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

static int pvbenchfront_ops_connect(void *data)
{
	struct pvbench_front *fe = data;
	int err;

	mutex_lock(&fe->lock);
	err = pvbenchfront_connect(fe);
	mutex_unlock(&fe->lock);
	return err;
}

static int pvbenchfront_ops_connected(void *data)
{
	struct pvbench_front *fe = data;

	mutex_lock(&fe->lock);
	WRITE_ONCE(fe->connected, true);
	mutex_unlock(&fe->lock);
	return 0;
}

/* Stop a run, then free the ring; harmless when there is none. */
static void pvbenchfront_stop(void *data)
{
	struct pvbench_front *fe = data;

	/* stop a run before waiting for its lock */
	WRITE_ONCE(fe->connected, false);
	wake_up(&fe->wq);
	mutex_lock(&fe->lock);
	pvbenchfront_disconnect(fe);
	mutex_unlock(&fe->lock);
}

static const struct pvsplit_front_ops pvbenchfront_ops = {
	.connect = pvbenchfront_ops_connect,
	.connected = pvbenchfront_ops_connected,
	.closing = pvbenchfront_stop,
};

static void pvbenchfront_backend_changed(struct xenbus_device *dev,
					 enum xenbus_state bstate)
{
	pvsplit_front_backend_changed(dev, bstate, &pvbenchfront_ops,
				      dev_get_drvdata(&dev->dev));
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

	pvbenchfront_stop(fe);
	dev_set_drvdata(&dev->dev, NULL);
	vfree(fe->lat);
	kfree(fe);
}

/*
 * After restore or migration: the ring and event channel belong to the old
 * back end.  Drop them; the xenbus core has put us in Initialising, so the
 * new back end's InitWait connects a fresh ring.  A run was cut short by
 * the freezer already.
 */
static int pvbenchfront_resume(struct xenbus_device *dev)
{
	pvbenchfront_stop(dev_get_drvdata(&dev->dev));
	return 0;
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
	.resume = pvbenchfront_resume,
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
