// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvbench_rogue - a hostile pvbench front end, for tests only.
 *
 * Binds xenbus type "pvbench" in a test guest, connects like the real front
 * end, then sends what a malicious guest would: malformed requests, grants
 * the back end may not use, and a producer index far ahead of the ring.
 * Writing a case name to /sys/bus/xen/devices/pvbench-N/inject sends it;
 * last_status then reads the back end's answer (or "none").  The lab checks
 * that pvbenchback answers errors, disconnects the device on a broken ring,
 * and that dom0 and other devices carry on.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "pvsplit/pvsplit.h"
#include "pvbench.h"

#define ROGUE_NO_ANSWER	1000

struct rogue {
	struct xenbus_device *dev;
	struct mutex lock;		/* one injection at a time */
	struct pvsplit_ring ring;
	struct pvsplit_evtchn ev;
	wait_queue_head_t wq;
	atomic_t kicked;
	struct page *page;		/* payload page, granted read-only */
	grant_ref_t ro_ref;
	bool granted;
	int last_status;
	u64 id;
};

static irqreturn_t rogue_interrupt(int irq, void *data)
{
	struct rogue *rg = data;

	atomic_set(&rg->kicked, 1);
	wake_up(&rg->wq);
	return IRQ_HANDLED;
}

static int publish(struct xenbus_transaction xbt, void *arg)
{
	struct rogue *rg = arg;

	return pvsplit_xb_write_ring(xbt, rg->dev, NULL, &rg->ring, "ring-ref",
				     "event-channel", rg->ev.port);
}

static int rogue_connect(struct rogue *rg)
{
	int err;

	err = pvsplit_ring_alloc(&rg->ring, rg->dev, 0, PVBENCH_SLOT_SIZE);
	if (err)
		return err;
	err = pvsplit_evtchn_alloc(&rg->ev, rg->dev, rogue_interrupt,
				   "pvbench_rogue", rg);
	if (err)
		goto free_ring;
	err = pvsplit_grant_pages(rg->dev->otherend_id, &rg->page, 1, true,
				  &rg->ro_ref);
	if (err)
		goto close_evtchn;
	rg->granted = true;
	err = pvsplit_xb_txn(rg->dev, publish, rg);
	if (err)
		goto revoke;
	return 0;

revoke:
	pvsplit_grant_revoke(&rg->ro_ref, &rg->page, 1);
	rg->granted = false;
close_evtchn:
	pvsplit_evtchn_close(&rg->ev, rg);
free_ring:
	pvsplit_ring_free(&rg->ring);
	return err;
}

static void rogue_disconnect(struct rogue *rg)
{
	pvsplit_evtchn_close(&rg->ev, rg);
	/* a page the back end still maps is handed over and set to NULL */
	if (rg->granted)
		pvsplit_grant_revoke(&rg->ro_ref, &rg->page, 1);
	rg->granted = false;
	pvsplit_ring_free(&rg->ring);
}

/* Send the request case @what describes; wait up to 5 s for the answer. */
static int send_one(struct rogue *rg, const char *what)
{
	struct pvbench_request req = { .id = ++rg->id };
	struct pvbench_response rsp;
	int n;

	if (!strcmp(what, "badop")) {
		req.op = 7;
	} else if (!strcmp(what, "badflags")) {
		req.flags = 0x80;
	} else if (!strcmp(what, "nopsegs")) {
		req.nr_segs = 2;
	} else if (!strcmp(what, "nosegs")) {
		req.op = PVBENCH_OP_READ;
		req.len = 4096;
	} else if (!strcmp(what, "badlen")) {
		req.op = PVBENCH_OP_READ;
		req.nr_segs = 1;
		req.len = 5000;
	} else if (!strcmp(what, "toomanysegs")) {
		req.op = PVBENCH_OP_WRITE;
		req.nr_segs = 200;
		req.len = 200 * PVBENCH_SEG_SIZE;
	} else if (!strcmp(what, "badgref")) {
		req.op = PVBENCH_OP_READ;
		req.nr_segs = 1;
		req.len = 4096;
		req.gref[0] = 0xfffffff0;
	} else if (!strcmp(what, "rogrant")) {
		/* ask the back end to write into a read-only grant */
		req.op = PVBENCH_OP_READ;
		req.nr_segs = 1;
		req.len = 4096;
		req.gref[0] = rg->ro_ref;
	} else if (!strcmp(what, "rogrant-copy")) {
		req.op = PVBENCH_OP_READ;
		req.flags = PVBENCH_F_COPY;
		req.nr_segs = 1;
		req.len = 4096;
		req.gref[0] = rg->ro_ref;
	} else if (!strcmp(what, "good")) {
		req.op = PVBENCH_OP_WRITE;
		req.nr_segs = 1;
		req.len = 4096;
		req.gref[0] = rg->ro_ref;
	} else {
		return -EINVAL;
	}
	*pvbench_ring_req(&rg->ring.r, 0) = req;
	pvring_produce(&rg->ring.r, 1);
	atomic_set(&rg->kicked, 0);
	pvsplit_ring_push(&rg->ring, &rg->ev);
	wait_event_timeout(rg->wq, pvring_arm(&rg->ring.r, 1) != 0, 5 * HZ);
	n = pvbench_ring_take_rsps(&rg->ring.r, &rsp, 1);
	if (n <= 0) {
		rg->last_status = ROGUE_NO_ANSWER;
		return n < 0 ? n : -ETIMEDOUT;
	}
	rg->last_status = rsp.id == req.id ? rsp.status : ROGUE_NO_ANSWER;
	dev_dbg(&rg->dev->dev, "%s: sent id %llu, answer id %llu status %d\n",
		what, req.id, rsp.id, rsp.status);
	return 0;
}

static ssize_t inject_store(struct device *d, struct device_attribute *a,
			    const char *buf, size_t len)
{
	struct rogue *rg = dev_get_drvdata(d);
	char what[32];
	int err;

	if (!rg->ring.area)
		return -ENOTCONN;
	strscpy(what, buf, sizeof(what));
	strim(what);
	mutex_lock(&rg->lock);
	if (!strcmp(what, "prodahead")) {
		/* a producer index far past anything the ring can hold */
		WRITE_ONCE(rg->ring.r.sring->req_prod,
			   rg->ring.r.published + rg->ring.r.size + 7);
		pvsplit_evtchn_notify(&rg->ev);
		err = 0;
	} else if (!strcmp(what, "flood")) {
		unsigned int i;

		/* events without requests: lateeoi must throttle them */
		for (i = 0; i < 100000; i++)
			pvsplit_evtchn_notify(&rg->ev);
		err = 0;
	} else {
		err = send_one(rg, what);
	}
	mutex_unlock(&rg->lock);
	return err ? err : len;
}
static DEVICE_ATTR_WO(inject);

static ssize_t last_status_show(struct device *d, struct device_attribute *a,
				char *buf)
{
	struct rogue *rg = dev_get_drvdata(d);

	if (rg->last_status == ROGUE_NO_ANSWER)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%d\n", rg->last_status);
}
static DEVICE_ATTR_RO(last_status);

static struct attribute *rogue_attrs[] = {
	&dev_attr_inject.attr,
	&dev_attr_last_status.attr,
	NULL,
};
ATTRIBUTE_GROUPS(rogue);

static void rogue_backend_changed(struct xenbus_device *dev,
				  enum xenbus_state bstate)
{
	struct rogue *rg = dev_get_drvdata(&dev->dev);

	switch (bstate) {
	case XenbusStateInitWait:
		if (dev->state != XenbusStateInitialising)
			break;
		mutex_lock(&rg->lock);
		if (!rogue_connect(rg))
			pvsplit_xb_switch(dev, XenbusStateInitialised);
		mutex_unlock(&rg->lock);
		break;
	case XenbusStateConnected:
		pvsplit_xb_switch(dev, XenbusStateConnected);
		break;
	case XenbusStateClosing:
	case XenbusStateClosed:
	case XenbusStateUnknown:
		if (dev->state == XenbusStateClosed)
			break;
		mutex_lock(&rg->lock);
		rogue_disconnect(rg);
		mutex_unlock(&rg->lock);
		xenbus_frontend_closed(dev);
		break;
	default:
		break;
	}
}

static int rogue_probe(struct xenbus_device *dev,
		       const struct xenbus_device_id *id)
{
	struct rogue *rg = kzalloc(sizeof(*rg), GFP_KERNEL);

	if (!rg)
		return -ENOMEM;
	rg->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!rg->page) {
		kfree(rg);
		return -ENOMEM;
	}
	rg->dev = dev;
	rg->last_status = ROGUE_NO_ANSWER;
	mutex_init(&rg->lock);
	init_waitqueue_head(&rg->wq);
	dev_set_drvdata(&dev->dev, rg);
	return 0;
}

static void rogue_remove(struct xenbus_device *dev)
{
	struct rogue *rg = dev_get_drvdata(&dev->dev);

	mutex_lock(&rg->lock);
	rogue_disconnect(rg);
	mutex_unlock(&rg->lock);
	if (rg->page)
		__free_page(rg->page);
	kfree(rg);
}

static const struct xenbus_device_id rogue_ids[] = {
	{ "pvbench" },
	{ "" }
};

static struct xenbus_driver rogue_driver = {
	.name = "pvbench_rogue",
	.ids = rogue_ids,
	.probe = rogue_probe,
	.remove = rogue_remove,
	.otherend_changed = rogue_backend_changed,
	.driver.dev_groups = rogue_groups,
};

static int __init rogue_init(void)
{
	if (!xen_domain())
		return -ENODEV;
	return xenbus_register_frontend(&rogue_driver);
}

static void __exit rogue_exit(void)
{
	xenbus_unregister_driver(&rogue_driver);
}

module_init(rogue_init);
module_exit(rogue_exit);

MODULE_DESCRIPTION("pvsplit tests: hostile pvbench front end");
MODULE_LICENSE("GPL");
PVSPLIT_IMPORT_NS();
