// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvbench_rogue - a hostile pvbench front end, for tests only.
 *
 * Binds xenbus type "pvbench" in a test guest, connects like the real front
 * end, then sends what a malicious guest would: malformed requests, grants
 * the back end may not use, a producer index far ahead of the ring, and a
 * ring refilled as fast as the back end drains it.
 * Writing a case name to /sys/bus/xen/devices/pvbench-N/inject sends it;
 * last_status then reads the back end's answer (or "none").  The lab checks
 * that pvbenchback answers errors, disconnects the device on a broken ring,
 * and that dom0 and other devices carry on.
 */
#include <linux/module.h>

#include "pvrogue.h"
#include "pvbench.h"

/* the payload page, granted read-only */
static const struct pvrogue_page bench_pages[] = { { .readonly = true } };

/* how long "refill" keeps the ring full */
#define REFILL_SECS	60

/*
 * Keep the ring full for REFILL_SECS, taking the answers as they come,
 * whatever the back end's state: a back end must still leave dom0 time to
 * run and stop when it is detached.  Each request is a write of
 * PVBENCH_MAX_SEGS pages (the one read-only case page over and over):
 * answering one costs the back end far more than writing it costs us, so
 * the back end never finds the ring empty (no-op requests it drained
 * faster than we refilled, and slept 1500 times a second).
 * last_status: 0 when answers came.
 */
static int bench_refill(struct pvrogue *rg)
{
	unsigned long end = jiffies + REFILL_SECS * HZ;
	struct pvbench_request req = {
		.op = PVBENCH_OP_WRITE,
		.nr_segs = PVBENCH_MAX_SEGS,
		.len = PVBENCH_MAX_SEGS * PVBENCH_SEG_SIZE,
	};
	struct pvbench_response rsp[32];
	struct pvring *r = &rg->ring.r;
	unsigned long answered = 0;
	u32 i, room;
	int n;

	for (i = 0; i < PVBENCH_MAX_SEGS; i++)
		req.gref[i] = rg->ref[0];

	while (time_before(jiffies, end)) {
		n = pvbench_ring_take_rsps(r, rsp, ARRAY_SIZE(rsp));
		if (n < 0)
			break;
		answered += n;
		room = pvring_free(r);
		for (i = 0; i < room; i++) {
			req.id = ++rg->id;
			*pvbench_ring_req(r, i) = req;
		}
		pvring_produce(r, room);
		pvsplit_ring_push(&rg->ring, &rg->ev);
		cond_resched();
	}
	dev_info(&rg->dev->dev, "refill: %lu answers\n", answered);
	if (answered)
		rg->last_status = 0;
	return 0;
}

/* Send the request case @what describes; wait up to 5 s for the answer. */
static int bench_inject(struct pvrogue *rg, const char *what)
{
	struct pvbench_request req = { .id = rg->id };
	struct pvbench_response rsp;
	int n;

	if (!strcmp(what, "refill"))
		return bench_refill(rg);
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
		req.gref[0] = rg->ref[0];
	} else if (!strcmp(what, "rogrant-copy")) {
		req.op = PVBENCH_OP_READ;
		req.flags = PVBENCH_F_COPY;
		req.nr_segs = 1;
		req.len = 4096;
		req.gref[0] = rg->ref[0];
	} else if (!strcmp(what, "good")) {
		req.op = PVBENCH_OP_WRITE;
		req.nr_segs = 1;
		req.len = 4096;
		req.gref[0] = rg->ref[0];
	} else {
		return -EINVAL;
	}
	*pvbench_ring_req(&rg->ring.r, 0) = req;
	if (!pvrogue_send(rg))
		return -ETIMEDOUT;
	n = pvbench_ring_take_rsps(&rg->ring.r, &rsp, 1);
	if (n <= 0)
		return n < 0 ? n : -ETIMEDOUT;
	if (rsp.id == req.id)
		rg->last_status = rsp.status;
	dev_dbg(&rg->dev->dev, "%s: sent id %llu, answer id %llu status %d\n",
		what, req.id, rsp.id, rsp.status);
	return 0;
}

static const struct pvrogue_ops bench_ops = {
	.name = "pvbench_rogue",
	.slot_size = PVBENCH_SLOT_SIZE,
	/* 1024 slots: "refill" keeps dom0 busy for longer than we sleep */
	.ring_order = PVRING_MAX_ORDER,
	.nr_pages = ARRAY_SIZE(bench_pages),
	.pages = bench_pages,
	.inject = bench_inject,
};

static int rogue_probe(struct xenbus_device *dev,
		       const struct xenbus_device_id *id)
{
	return pvrogue_probe(dev, &bench_ops, sizeof(struct pvrogue));
}

static const struct xenbus_device_id rogue_ids[] = {
	{ "pvbench" },
	{ "" }
};

static struct xenbus_driver rogue_driver = {
	.name = "pvbench_rogue",
	.ids = rogue_ids,
	.probe = rogue_probe,
	.remove = pvrogue_remove,
	.otherend_changed = pvrogue_backend_changed,
	.driver.dev_groups = pvrogue_groups,
};
module_pvrogue_driver(rogue_driver);

MODULE_DESCRIPTION("pvsplit tests: hostile pvbench front end");
MODULE_LICENSE("GPL");
PVSPLIT_IMPORT_NS();
