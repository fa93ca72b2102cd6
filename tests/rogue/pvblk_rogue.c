// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvblk_rogue - a hostile blkif front end, for tests only.
 *
 * Binds xenbus type "vbd" in a test guest, connects with a one-page ring,
 * then writes what a malicious guest would into the real ring: zero or too
 * many segments, sectors past the end, first_sect > last_sect, segments
 * past the page, bad and foreign grant references, unknown operations,
 * indirect pages full of garbage, a producer index far ahead.  Writing a
 * case name to /sys/bus/xen/devices/vbd-N/inject sends it; last_status
 * reads the back end's answer ("none" when there was none).
 *
 * It binds only disks from xvdi on, so that pvblkfront, loaded after it,
 * serves a good disk in the same guest.
 */
#include <linux/module.h>

#include "pvrogue.h"
#include "pvblkif.h"

#define ROGUE_MIN_VDEV	(202 << 8 | 8 * 16)	/* xvdi: below is for pvblkfront */

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

/* Send case @what; wait up to 5 s for the answer. */
static int blk_inject(struct pvrogue *rg, const char *what)
{
	u8 buf[PVBLK_SLOT_64], raw[16];
	struct pvblk_rsp rsp;
	struct pvblk_req r;
	int n;

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
