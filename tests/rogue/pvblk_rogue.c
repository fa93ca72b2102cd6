// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvblk_rogue - a hostile blkif front end, for tests only.
 *
 * Binds xenbus type "vbd" in a test guest, connects with a one-page ring,
 * then writes what a malicious guest would into the real ring: zero or too
 * many segments, sectors past the end, first_sect > last_sect, segments
 * past the page, bad and foreign grant references, unknown operations,
 * indirect pages full of garbage, a producer index far ahead, segments
 * that split a logical block, a ring kept full for seconds, a barrier
 * behind reads in flight.  Writing a case name to
 * /sys/bus/xen/devices/vbd-N/inject sends it; last_status reads the back
 * end's answer ("none" when there was none).
 *
 * It binds only disks from xvdi on, so that pvblkfront, loaded after it,
 * serves a good disk in the same guest.
 */
#include <linux/module.h>

#include "pvrogue.h"
#include "pvblkif.h"

#define ROGUE_MIN_VDEV	(202 << 8 | 8 * 16)	/* xvdi: below is for pvblkfront */
#define REFILL_SECS	25	/* longer than the soft-lockup threshold (20 s) */
#define BARRIER_READS	8	/* reads in flight before the barrier */

enum { PG_RW, PG_RO, PG_IND, PG_FOREIGN, NR_PG };

static const struct pvrogue_page blk_pages[NR_PG] = {
	[PG_RO] = { .readonly = true },
	[PG_IND] = { .readonly = true },
	[PG_FOREIGN] = { .foreign = true },
};

struct blk_rogue {
	struct pvrogue core;
	u64 sectors;
};

static struct blk_rogue *to_blk(struct pvrogue *rg)
{
	return container_of(rg, struct blk_rogue, core);
}

static int blk_publish(struct xenbus_transaction xbt, struct pvrogue *rg)
{
	return xenbus_printf(xbt, rg->dev->nodename, "protocol", "%s",
			     "x86_64-abi");
}

static void blk_connected(struct pvrogue *rg)
{
	struct blk_rogue *br = to_blk(rg);

	if (xenbus_scanf(XBT_NIL, rg->dev->otherend, "sectors", "%llu",
			 &br->sectors) != 1)
		br->sectors = 0;
}

static void seg(struct pvblk_seg *s, grant_ref_t ref, u8 first, u8 last)
{
	s->gref = ref;
	s->first_sect = first;
	s->last_sect = last;
}

/* Fill the indirect page with @n descriptors; garbage ones when asked. */
static void fill_indirect(struct blk_rogue *br, unsigned int n, bool garbage)
{
	u8 *p = page_address(br->core.pg[PG_IND]);
	struct pvblk_seg s;
	unsigned int i;

	for (i = 0; i < n && i < PVBLK_SEGS_PER_PAGE; i++) {
		seg(&s, br->core.ref[PG_RW], 0, 7);
		if (garbage)
			seg(&s, 0xffffffff - i, 0xee, 0x11);
		pvblk_encode_seg(p + i * PVBLK_SEG_SIZE, &s);
	}
}

/* Build the request case @what names. Return: 0 or -EINVAL. */
static int build(struct blk_rogue *br, const char *what, struct pvblk_req *r)
{
	memset(r, 0, sizeof(*r));
	r->id = br->core.id;
	r->op = PVBLK_OP_READ;
	r->nr_segs = 1;
	seg(&r->seg[0], br->core.ref[PG_RW], 0, 7);
	if (!strcmp(what, "good")) {
		/* as built */
	} else if (!strcmp(what, "write")) {
		r->op = PVBLK_OP_WRITE;
	} else if (!strcmp(what, "splitblock")) {
		/* 4 + 4 sectors: one 4 KiB block in total, cut in the middle */
		r->nr_segs = 2;
		seg(&r->seg[0], br->core.ref[PG_RW], 0, 3);
		seg(&r->seg[1], br->core.ref[PG_RW], 4, 7);
	} else if (!strcmp(what, "badop")) {
		r->op = 9;
	} else if (!strcmp(what, "reservedop")) {
		r->op = 4;
	} else if (!strcmp(what, "pastend")) {
		r->sector = br->sectors;
	} else if (!strcmp(what, "wrapsector")) {
		r->sector = U64_MAX - 3;
	} else if (!strcmp(what, "badgref")) {
		r->seg[0].gref = 0xfffffff0;
	} else if (!strcmp(what, "foreigngref")) {
		r->seg[0].gref = br->core.ref[PG_FOREIGN];
	} else if (!strcmp(what, "rogrant")) {
		r->seg[0].gref = br->core.ref[PG_RO];	/* a read writes the page */
	} else if (!strcmp(what, "discardpastend")) {
		r->op = PVBLK_OP_DISCARD;
		r->sector = br->sectors - 8;
		r->nr_sectors = 64;
	} else if (!strcmp(what, "securediscard")) {
		r->op = PVBLK_OP_DISCARD;
		r->flag = PVBLK_DISCARD_SECURE;
		r->nr_sectors = 8;
	} else if (!strcmp(what, "badindgref")) {
		r->op = PVBLK_OP_INDIRECT;
		r->data_op = PVBLK_OP_READ;
		r->nr_segs = 16;
		r->nr_indirect = 1;
		r->indirect_gref[0] = 0xfffffff0;
	} else if (!strcmp(what, "zerosegs")) {
		r->nr_segs = 0;
	} else if (!strcmp(what, "toomanysegs")) {
		r->nr_segs = 12;
	} else if (!strcmp(what, "firstgtlast")) {
		seg(&r->seg[0], br->core.ref[PG_RW], 5, 2);
	} else if (!strcmp(what, "pastpage")) {
		seg(&r->seg[0], br->core.ref[PG_RW], 0, 8);
	} else if (!strcmp(what, "indzero") || !strcmp(what, "indtoomany") ||
		   !strcmp(what, "indgarbage")) {
		r->op = PVBLK_OP_INDIRECT;
		r->data_op = PVBLK_OP_READ;
		r->nr_segs = !strcmp(what, "indzero") ? 0 :
			     !strcmp(what, "indtoomany") ? 300 : 16;
		r->nr_indirect = 1;
		r->indirect_gref[0] = br->core.ref[PG_IND];
		fill_indirect(br, 16, !strcmp(what, "indgarbage"));
	} else {
		return -EINVAL;
	}
	return 0;
}

/* Put request @r in the @i-th free slot; pvring_produce() publishes. */
static void put_req(struct pvrogue *rg, unsigned int i, const struct pvblk_req *r)
{
	u8 buf[PVBLK_SLOT_64];

	pvblk_encode_req(buf, r);
	memcpy(pvring_prod_slot(&rg->ring.r, i), buf, sizeof(buf));
}

/* Wait up to 5 s for the next response. Return: 0, or a negative errno. */
static int next_rsp(struct pvrogue *rg, struct pvblk_rsp *rsp)
{
	u8 raw[16];
	int n;

	if (!wait_event_timeout(rg->wq, pvring_arm(&rg->ring.r, 1) != 0, 5 * HZ))
		return -ETIMEDOUT;
	n = pvring_consume_batch(&rg->ring.r, raw, sizeof(raw), sizeof(raw), 1);
	if (n <= 0)
		return n < 0 ? n : -ETIMEDOUT;
	pvblk_decode_rsp(raw, rsp);
	return 0;
}

/*
 * "refill": keep the ring full of unknown operations for REFILL_SECS,
 * putting a new one in each slot as soon as its answer is in, never
 * waiting for an event.  A back end that serves the ring in one loop for
 * as long as it is not empty keeps a dom0 CPU to itself all that time.
 * last_status: -2 when every request got EOPNOTSUPP; the counts go to the
 * kernel log.
 */
static int refill_ring(struct pvrogue *rg)
{
	unsigned long end = jiffies + REFILL_SECS * HZ;
	struct pvring *ring = &rg->ring.r;
	u64 sent = 0, answered = 0, bad = 0;
	struct pvblk_rsp rsp;
	struct pvblk_req r;
	u8 raw[32][16];
	unsigned int i, free;
	int n;

	memset(&r, 0, sizeof(r));
	r.op = 9;
	while (time_before(jiffies, end)) {
		n = pvring_consume_batch(ring, raw, sizeof(raw[0]), sizeof(raw[0]),
					 ARRAY_SIZE(raw));
		if (n < 0)
			return n;
		for (i = 0; i < n; i++) {
			pvblk_decode_rsp(raw[i], &rsp);
			if (rsp.status != PVBLK_RSP_EOPNOTSUPP)
				bad++;
		}
		answered += n;
		free = pvring_free(ring);
		for (i = 0; i < free; i++) {
			r.id = ++rg->id;
			put_req(rg, i, &r);
		}
		pvring_produce(ring, free);
		pvsplit_ring_push(&rg->ring, &rg->ev);
		sent += free;
		cond_resched();
	}
	while (answered < sent && !next_rsp(rg, &rsp)) {
		if (rsp.status != PVBLK_RSP_EOPNOTSUPP)
			bad++;
		answered++;
	}
	dev_info(&rg->dev->dev, "refill: sent %llu answered %llu not EOPNOTSUPP %llu in %u s\n",
		 sent, answered, bad, REFILL_SECS);
	if (answered == sent && !bad)
		rg->last_status = PVBLK_RSP_EOPNOTSUPP;
	return 0;
}

/*
 * "barrier": BARRIER_READS reads of 11 segments, then a barrier write,
 * published together.  The barrier must be answered last: the back end
 * may not start it before every request ahead of it has completed.
 * last_status: the barrier's status when it came last and every read
 * succeeded; 100 + its place among the answers when it came earlier;
 * -1 when a read failed.
 */
static int barrier_behind_reads(struct pvrogue *rg)
{
	struct pvring *ring = &rg->ring.r;
	struct pvblk_req r;
	struct pvblk_rsp rsp;
	unsigned int i, k, place = 0;
	bool read_failed = false;
	u64 barrier_id;
	int err, status = 0;

	if (pvring_free(ring) < BARRIER_READS + 1)
		return -EBUSY;
	for (i = 0; i < BARRIER_READS; i++) {
		memset(&r, 0, sizeof(r));
		r.id = ++rg->id;
		r.op = PVBLK_OP_READ;
		r.sector = i * PVBLK_MAX_SEGS * PVBLK_SECTORS_PER_PAGE;
		r.nr_segs = PVBLK_MAX_SEGS;
		for (k = 0; k < PVBLK_MAX_SEGS; k++)
			seg(&r.seg[k], rg->ref[PG_RW], 0, 7);
		put_req(rg, i, &r);
	}
	memset(&r, 0, sizeof(r));
	barrier_id = ++rg->id;
	r.id = barrier_id;
	r.op = PVBLK_OP_WRITE_BARRIER;
	r.sector = BARRIER_READS * PVBLK_MAX_SEGS * PVBLK_SECTORS_PER_PAGE;
	r.nr_segs = 1;
	seg(&r.seg[0], rg->ref[PG_RW], 0, 7);
	put_req(rg, BARRIER_READS, &r);
	pvring_produce(ring, BARRIER_READS + 1);
	pvsplit_ring_push(&rg->ring, &rg->ev);
	for (i = 0; i <= BARRIER_READS; i++) {
		err = next_rsp(rg, &rsp);
		if (err)
			return err;
		if (rsp.id == barrier_id) {
			place = i;
			status = rsp.status;
		} else if (rsp.status) {
			read_failed = true;
		}
	}
	dev_info(&rg->dev->dev, "barrier: answered as %u of %u\n", place + 1,
		 BARRIER_READS + 1);
	if (read_failed)
		rg->last_status = PVBLK_RSP_ERROR;
	else
		rg->last_status = place == BARRIER_READS ? status : 100 + place;
	return 0;
}

/* Send case @what; wait up to 5 s for the answer. */
static int blk_inject(struct pvrogue *rg, const char *what)
{
	u8 buf[PVBLK_SLOT_64], raw[16];
	struct pvblk_rsp rsp;
	struct pvblk_req r;
	int n;

	if (!strcmp(what, "refill"))
		return refill_ring(rg);
	if (!strcmp(what, "barrier"))
		return barrier_behind_reads(rg);
	if (build(to_blk(rg), what, &r))
		return -EINVAL;
	pvblk_encode_req(buf, &r);
	memcpy(pvring_prod_slot(&rg->ring.r, 0), buf, sizeof(buf));
	if (!pvrogue_send(rg))
		return -ETIMEDOUT;
	n = pvring_consume_batch(&rg->ring.r, raw, sizeof(raw), sizeof(raw), 1);
	if (n <= 0)
		return n < 0 ? n : -ETIMEDOUT;
	pvblk_decode_rsp(raw, &rsp);
	if (rsp.id == r.id)
		rg->last_status = rsp.status;
	return 0;
}

static const struct pvrogue_ops blk_ops = {
	.name = "pvblk_rogue",
	.slot_size = PVBLK_SLOT_64,
	.nr_pages = NR_PG,
	.pages = blk_pages,
	.publish = blk_publish,
	.connected = blk_connected,
	.inject = blk_inject,
};

static int rogue_probe(struct xenbus_device *dev,
		       const struct xenbus_device_id *id)
{
	unsigned int vdev;

	if (xenbus_scanf(XBT_NIL, dev->nodename, "virtual-device", "%u",
			 &vdev) != 1 || vdev < ROGUE_MIN_VDEV)
		return -ENODEV;
	return pvrogue_probe(dev, &blk_ops, sizeof(struct blk_rogue));
}

static const struct xenbus_device_id rogue_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver rogue_driver = {
	.name = "pvblk_rogue",
	.ids = rogue_ids,
	.probe = rogue_probe,
	.remove = pvrogue_remove,
	.otherend_changed = pvrogue_backend_changed,
	.driver.dev_groups = pvrogue_groups,
};
module_pvrogue_driver(rogue_driver);

MODULE_DESCRIPTION("pvsplit tests: hostile blkif front end");
MODULE_LICENSE("GPL");
PVSPLIT_IMPORT_NS();
