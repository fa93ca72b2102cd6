// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvrogue - the core of the hostile peers, for tests only.
 *
 * It connects a rogue device like a real front end (or back end) would,
 * follows the other end's state, and turns writes to the device's
 * "inject" file into cases sent on the real ring (see pvrogue.h).
 * pvbench_rogue, pvblk_rogue and pvnet_rogue (front ends) and
 * pvblkback_rogue and pvnetback_rogue (back ends) add what their
 * protocols need.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "pvrogue.h"

/*
 * pvsplit_evtchn_alloc() binds lateeoi: one EOI per interrupt, or no
 * second event ever comes.  The sender looks at the ring itself, so the
 * handler cannot tell a spurious event and never calls one so.
 */
static irqreturn_t pvrogue_interrupt(int irq, void *data)
{
	struct pvrogue *rg = data;

	if (rg->ops->event)
		rg->ops->event(rg);
	wake_up(&rg->wq);
	pvsplit_evtchn_eoi(&rg->ev, false);
	return IRQ_HANDLED;
}

static int publish(struct xenbus_transaction xbt, void *arg)
{
	struct pvrogue *rg = arg;
	int err;

	err = pvsplit_xb_write_ring(xbt, rg->dev, NULL, &rg->ring,
				    rg->ops->ring_key ? rg->ops->ring_key :
				    "ring-ref", "event-channel", rg->ev.port);
	if (!err && rg->ring.order)
		err = xenbus_printf(xbt, rg->dev->nodename, "ring-page-order",
				    "%u", rg->ring.order);
	if (!err && rg->ops->publish)
		err = rg->ops->publish(xbt, rg);
	return err;
}

/* A page the back end still maps is handed over and its pointer cleared. */
static void revoke(struct pvrogue *rg)
{
	if (rg->granted)
		pvsplit_grant_revoke(rg->ref, rg->pg, rg->ops->nr_pages);
	rg->granted = false;
}

static int grant(struct pvrogue *rg)
{
	const struct pvrogue_page *p;
	unsigned int i;
	int err;

	for (i = 0; i < rg->ops->nr_pages; i++) {
		p = &rg->ops->pages[i];
		err = pvsplit_grant_pages(p->foreign ? PVROGUE_FOREIGN_DOM :
					  rg->dev->otherend_id, &rg->pg[i], 1,
					  p->readonly, &rg->ref[i]);
		if (err) {
			pvsplit_grant_revoke(rg->ref, rg->pg, i);
			return err;
		}
	}
	rg->granted = true;
	return 0;
}

/* Caller holds rg->lock. */
static int connect(struct pvrogue *rg)
{
	int err;

	err = pvsplit_ring_alloc(&rg->ring, rg->dev, rg->ops->ring_order,
				 rg->ops->slot_size);
	if (err)
		return err;
	err = pvsplit_evtchn_alloc(&rg->ev, rg->dev, pvrogue_interrupt,
				   rg->ops->name, rg);
	if (err)
		goto free_ring;
	err = rg->ops->setup ? rg->ops->setup(rg) : 0;
	if (err)
		goto close_evtchn;
	err = grant(rg);
	if (err)
		goto teardown;
	err = pvsplit_xb_txn(rg->dev, publish, rg);
	if (err)
		goto revoke;
	return 0;

revoke:
	revoke(rg);
teardown:
	if (rg->ops->teardown)
		rg->ops->teardown(rg);
close_evtchn:
	pvsplit_evtchn_close(&rg->ev, rg);
free_ring:
	pvsplit_ring_free(&rg->ring);
	return err;
}

/* Caller holds rg->lock; harmless when not connected. */
static void disconnect(struct pvrogue *rg)
{
	pvsplit_evtchn_close(&rg->ev, rg);
	if (rg->ops->back) {
		if (rg->ring.area && rg->ops->disconnect)
			rg->ops->disconnect(rg);
		pvsplit_ring_unmap(&rg->ring, rg->dev);
		return;
	}
	revoke(rg);
	if (rg->ops->teardown)
		rg->ops->teardown(rg);
	pvsplit_ring_free(&rg->ring);
}

/**
 * pvrogue_send() - publish the request written in the first free slot
 * @rg: rogue device
 *
 * Notifies the back end and waits up to 5 s for a response.
 * Return: true when a response is there to be consumed.
 */
bool pvrogue_send(struct pvrogue *rg)
{
	pvring_produce(&rg->ring.r, 1);
	pvsplit_ring_push(&rg->ring, &rg->ev);
	return wait_event_timeout(rg->wq, pvring_arm(&rg->ring.r, 1) != 0,
				  5 * HZ) != 0;
}
EXPORT_SYMBOL_GPL(pvrogue_send);

static ssize_t inject_store(struct device *d, struct device_attribute *a,
			    const char *buf, size_t len)
{
	struct pvrogue *rg = dev_get_drvdata(d);
	unsigned int i;
	char what[32];
	int err = 0;

	strscpy(what, buf, sizeof(what));
	strim(what);
	mutex_lock(&rg->lock);
	if (!rg->ring.area) {
		err = -ENOTCONN;
	} else if (!strcmp(what, "prodahead")) {
		/* req_prod for a front end, rsp_prod for a back end */
		WRITE_ONCE(*rg->ring.r.my_prod,
			   rg->ring.r.published + rg->ring.r.size + 7);
		pvsplit_evtchn_notify(&rg->ev);
		rg->last_status = 0;
	} else if (!strcmp(what, "flood")) {
		/* lateeoi must throttle these */
		for (i = 0; i < 100000; i++)
			pvsplit_evtchn_notify(&rg->ev);
		rg->last_status = 0;
	} else {
		rg->last_status = PVROGUE_NO_ANSWER;
		rg->id++;
		err = rg->ops->inject(rg, what);
	}
	mutex_unlock(&rg->lock);
	return err ? err : len;
}
static DEVICE_ATTR_WO(inject);

static ssize_t last_status_show(struct device *d, struct device_attribute *a,
				char *buf)
{
	struct pvrogue *rg = dev_get_drvdata(d);

	if (rg->last_status == PVROGUE_NO_ANSWER)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%d\n", rg->last_status);
}
static DEVICE_ATTR_RO(last_status);

static struct attribute *pvrogue_attrs[] = {
	&dev_attr_inject.attr,
	&dev_attr_last_status.attr,
	NULL,
};

/* inject and last_status, for a rogue driver that adds groups of its own */
const struct attribute_group pvrogue_group = {
	.attrs = pvrogue_attrs,
};
EXPORT_SYMBOL_GPL(pvrogue_group);

/* The sysfs files of a rogue device: its driver's .driver.dev_groups. */
const struct attribute_group *pvrogue_groups[] = {
	&pvrogue_group,
	NULL,
};
EXPORT_SYMBOL_GPL(pvrogue_groups);

/**
 * pvrogue_probe() - a rogue driver's probe, after its own checks
 * @dev: its xenbus device
 * @ops: its protocol
 * @size: size of the protocol's structure, which starts with struct pvrogue
 *
 * Return: 0, -ENOMEM, or -EINVAL for @ops or @size that cannot be right.
 */
int pvrogue_probe(struct xenbus_device *dev, const struct pvrogue_ops *ops,
		  size_t size)
{
	struct pvrogue *rg;
	unsigned int i;

	if (WARN_ON_ONCE(size < sizeof(*rg) || ops->nr_pages > PVROGUE_MAX_PAGES))
		return -EINVAL;
	rg = kzalloc(size, GFP_KERNEL);
	if (!rg)
		return -ENOMEM;
	for (i = 0; i < ops->nr_pages; i++) {
		rg->pg[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!rg->pg[i])
			goto free_pages;
	}
	rg->dev = dev;
	rg->ops = ops;
	rg->last_status = PVROGUE_NO_ANSWER;
	mutex_init(&rg->lock);
	init_waitqueue_head(&rg->wq);
	dev_set_drvdata(&dev->dev, rg);
	return 0;

free_pages:
	while (i--)
		__free_page(rg->pg[i]);
	kfree(rg);
	return -ENOMEM;
}
EXPORT_SYMBOL_GPL(pvrogue_probe);

/**
 * pvrogue_remove() - a rogue driver's remove
 * @dev: its xenbus device
 */
void pvrogue_remove(struct xenbus_device *dev)
{
	struct pvrogue *rg = dev_get_drvdata(&dev->dev);
	unsigned int i;

	mutex_lock(&rg->lock);
	disconnect(rg);
	mutex_unlock(&rg->lock);
	if (rg->ops->remove)
		rg->ops->remove(rg);
	dev_set_drvdata(&dev->dev, NULL);
	for (i = 0; i < rg->ops->nr_pages; i++)
		if (rg->pg[i])	/* NULL: handed over while still mapped */
			__free_page(rg->pg[i]);
	kfree(rg);
}
EXPORT_SYMBOL_GPL(pvrogue_remove);

/**
 * pvrogue_backend_changed() - a rogue driver's .otherend_changed
 * @dev: xenbus device
 * @bstate: the back end's new state
 */
void pvrogue_backend_changed(struct xenbus_device *dev,
			     enum xenbus_state bstate)
{
	struct pvrogue *rg = dev_get_drvdata(&dev->dev);

	switch (bstate) {
	case XenbusStateInitWait:
		if (dev->state != XenbusStateInitialising)
			break;
		mutex_lock(&rg->lock);
		if (!connect(rg))
			pvsplit_xb_switch(dev, XenbusStateInitialised);
		mutex_unlock(&rg->lock);
		break;
	case XenbusStateConnected:
		if (rg->ops->connected)
			rg->ops->connected(rg);
		pvsplit_xb_switch(dev, XenbusStateConnected);
		break;
	case XenbusStateClosing:
	case XenbusStateClosed:
	case XenbusStateUnknown:
		if (dev->state == XenbusStateClosed)
			break;
		mutex_lock(&rg->lock);
		disconnect(rg);
		mutex_unlock(&rg->lock);
		xenbus_frontend_closed(dev);
		break;
	default:
		break;
	}
}
EXPORT_SYMBOL_GPL(pvrogue_backend_changed);

/* Back end: map the front end's ring, bind its channel, go Connected. */
static void back_connect(void *data)
{
	struct pvrogue *rg = data;
	struct pvsplit_ring_layout lay;
	int err;

	mutex_lock(&rg->lock);
	if (rg->ring.area)
		goto out;
	err = pvsplit_xb_read_ring(rg->dev, NULL, rg->max_order,
				   rg->ops->ring_key ? rg->ops->ring_key :
				   "ring-ref", "event-channel", &lay);
	if (err)
		goto out;
	err = pvsplit_ring_map(&rg->ring, rg->dev, lay.gref, lay.order,
			       rg->ops->slot_size);
	if (err)
		goto fatal;
	err = pvsplit_evtchn_bind(&rg->ev, rg->dev, lay.evtchn,
				  pvrogue_interrupt, rg->ops->name, rg);
	if (err) {
		pvsplit_ring_unmap(&rg->ring, rg->dev);
		goto fatal;
	}
	if (rg->ops->connected)
		rg->ops->connected(rg);
	pvsplit_xb_switch(rg->dev, XenbusStateConnected);
	goto out;

fatal:
	xenbus_dev_fatal(rg->dev, err, "mapping the ring");
out:
	mutex_unlock(&rg->lock);
}

static void back_disconnect(void *data)
{
	struct pvrogue *rg = data;

	mutex_lock(&rg->lock);
	disconnect(rg);
	mutex_unlock(&rg->lock);
}

static const struct pvsplit_back_ops pvrogue_back_ops = {
	.connect = back_connect,
	.disconnect = back_disconnect,
};

/**
 * pvrogue_next_request() - back end: copy out the next request
 * @rg: rogue back end, its ring mapped, rg->lock held
 * @buf: where the request goes
 * @len: bytes of @buf, at most the ring's slot size
 *
 * Once there is none, the ring is armed so that the front end's next
 * request brings an event.
 *
 * Return: true with a request in @buf; false when there is none or the
 * ring is broken (the front end moved its index where it cannot be).
 */
bool pvrogue_next_request(struct pvrogue *rg, void *buf, size_t len)
{
	struct pvring *r = &rg->ring.r;
	int n;

	if (WARN_ON_ONCE(len > rg->ops->slot_size))
		return false;
	for (;;) {
		n = pvring_avail(r);
		if (n < 0)
			return false;
		if (n)
			break;
		/* false: nothing came while we armed */
		if (!pvring_final_check(r))
			return false;
	}
	pvring_consume(r, buf, len);
	return true;
}
EXPORT_SYMBOL_GPL(pvrogue_next_request);

/**
 * pvrogue_offer() - back end: write the keys it offers, go InitWait
 * @dev: xenbus device of a rogue back end, probed
 * @keys: feature keys
 * @vals: their values
 * @n: how many
 *
 * Return: 0 or a negative errno from xenstore.
 */
int pvrogue_offer(struct xenbus_device *dev, const char *const *keys,
		  const unsigned int *vals, unsigned int n)
{
	return pvsplit_xb_write_features(dev, keys, vals, n) ?:
	       pvsplit_xb_switch(dev, XenbusStateInitWait);
}
EXPORT_SYMBOL_GPL(pvrogue_offer);

/**
 * pvrogue_reoffer() - back end: close, then offer the device again
 * @rg: rogue back end, rg->lock held
 *
 * Goes Closing now; once the front end is Closed too,
 * pvrogue_frontend_changed() goes InitWait, and the front end connects
 * again with what the keys say then (a case may have changed them).
 *
 * Return: 0 or a negative errno from the state switch.
 */
int pvrogue_reoffer(struct pvrogue *rg)
{
	rg->reoffer = true;
	return pvsplit_xb_switch(rg->dev, XenbusStateClosing);
}
EXPORT_SYMBOL_GPL(pvrogue_reoffer);

/**
 * pvrogue_frontend_changed() - a rogue back end's .otherend_changed
 * @dev: xenbus device
 * @fstate: the front end's new state
 */
void pvrogue_frontend_changed(struct xenbus_device *dev,
			      enum xenbus_state fstate)
{
	struct pvrogue *rg = dev_get_drvdata(&dev->dev);
	bool again;

	/* decided before: offline, the device and @rg go with the call below */
	again = fstate == XenbusStateClosed && READ_ONCE(rg->reoffer) &&
		xenbus_dev_is_online(dev);
	if (again)
		WRITE_ONCE(rg->reoffer, false);
	pvsplit_back_frontend_changed(dev, fstate, &pvrogue_back_ops, rg);
	if (again)
		pvsplit_xb_switch(dev, XenbusStateInitWait);
}
EXPORT_SYMBOL_GPL(pvrogue_frontend_changed);

MODULE_DESCRIPTION("pvsplit tests: core of the hostile peers");
MODULE_LICENSE("GPL");
PVSPLIT_IMPORT_NS();
