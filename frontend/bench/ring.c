// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c - pvbench front end: set up and tear down the ring.
 */
#include <linux/module.h>
#include <xen/page.h>

#include "pvbenchfront.h"

/*
 * The run is the only consumer of responses; the handler only looks
 * whether there is one it has not taken yet, and wakes it if so.  The peek
 * reads the back end's index without trusting it (the run validates it):
 * a back end that moves it just to look busy wakes the run, which then
 * finds the ring broken.  A wake-up is not lost by calling an event
 * spurious: the run sleeps only after arming rsp_event and seeing fewer
 * responses than it needs, and the back end publishes before it notifies.
 * Exactly one late EOI per interrupt, after the wake-up.
 */
static irqreturn_t pvbenchfront_interrupt(int irq, void *data)
{
	struct pvbench_front *fe = data;
	const struct pvring *r = &fe->ring.r;
	bool spurious;

	fe->ring.stats.wakeups++;
	spurious = !READ_ONCE(fe->connected) || READ_ONCE(fe->broken) ||
		   READ_ONCE(*r->peer_prod) == READ_ONCE(r->cons);
	if (spurious) {
		fe->ring.stats.spurious++;
	} else {
		atomic_set(&fe->kicked, 1);
		wake_up(&fe->wq);
	}
	pvsplit_evtchn_eoi(&fe->ev, spurious);
	return IRQ_HANDLED;
}

struct publish_args {
	struct pvbench_front *fe;
	bool multi_page;
};

static int publish_ring(struct xenbus_transaction xbt, void *arg)
{
	struct publish_args *a = arg;
	struct pvbench_front *fe = a->fe;
	int err;

	err = pvsplit_xb_write_ring(xbt, fe->dev, NULL, &fe->ring, "ring-ref",
				    "event-channel", fe->ev.port);
	if (!err && a->multi_page)
		err = xenbus_printf(xbt, fe->dev->nodename, "ring-page-order",
				    "%u", fe->order);
	return err;
}

/**
 * pvbenchfront_connect() - negotiate with the back end and publish a ring
 * @fe: device, with @lock held
 *
 * Return: 0 or a negative errno with nothing left set up.
 */
int pvbenchfront_connect(struct pvbench_front *fe)
{
	struct xenbus_device *dev = fe->dev;
	struct publish_args args = { .fe = fe };
	unsigned int max_order = 0;
	int err;

	/* everything the back end wrote is bounded before use */
	args.multi_page = !pvsplit_xb_read_uint(dev->otherend,
						"max-ring-page-order", 0,
						UINT_MAX, &max_order);
	fe->order = min3(max_order, pvbenchfront_ring_order, PVRING_MAX_ORDER);
	if (pvsplit_xb_read_uint(dev->otherend, "max-segments", 1,
				 PVBENCH_MAX_SEGS, &fe->max_segs))
		fe->max_segs = 1;
	fe->backend_copy = xenbus_read_unsigned(dev->otherend,
						"feature-grant-copy", 0) == 1;

	err = pvsplit_ring_alloc(&fe->ring, dev, fe->order, PVBENCH_SLOT_SIZE);
	if (err) {
		xenbus_dev_fatal(dev, err, "allocating ring");
		return err;
	}
	err = pvsplit_evtchn_alloc(&fe->ev, dev, pvbenchfront_interrupt,
				   "pvbenchfront", fe);
	if (err) {
		xenbus_dev_fatal(dev, err, "allocating event channel");
		goto free_ring;
	}
	err = pvsplit_xb_txn(dev, publish_ring, &args);
	if (err)
		goto close_evtchn;
	fe->dbg = pvsplit_debugfs_dir(dev_name(&dev->dev), NULL);
	pvsplit_debugfs_ring(fe->dbg, "ring", &fe->ring);
	pvsplit_debugfs_hist(fe->dbg, "latency_ns", fe->lat);
	fe->broken = false;
	dev_info(&dev->dev, "ring order %u (%u slots, ref %u gfn %lx), event channel %u\n",
		 fe->order, fe->ring.r.size, fe->ring.gref[0],
		 virt_to_gfn(fe->ring.area), fe->ev.port);
	return 0;

close_evtchn:
	pvsplit_evtchn_close(&fe->ev, fe);
free_ring:
	pvsplit_ring_free(&fe->ring);
	return err;
}

/**
 * pvbenchfront_disconnect() - stop using the ring and free it
 * @fe: device, with @lock held and no run in progress
 */
void pvbenchfront_disconnect(struct pvbench_front *fe)
{
	fe->connected = false;
	pvsplit_debugfs_remove(fe->dbg);
	fe->dbg = NULL;
	pvsplit_evtchn_close(&fe->ev, fe);
	pvsplit_ring_free(&fe->ring);
}
