// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvblkback_rogue - a hostile blkif back end, for tests only (dom0).
 *
 * Binds xenbus type "vbd" in dom0 in place of pvblkback, for the devices
 * bound to it by hand (echo vbd-D-N > .../drivers/pvblkback_rogue/bind,
 * with drivers_autoprobe off), and serves an 8 MiB disk from memory so
 * that fio can verify through it.  Writing a case name to
 * /sys/bus/xen-backend/devices/vbd-D-N/inject then answers the front end
 * as a malicious back end would: unknown, duplicate or free ids, wrong
 * operations, invalid statuses, response indices far ahead, going back or
 * past the requests, Closing or Closed with I/O in flight, grants kept
 * mapped after their response, sizes of 0 and 2^63, a lower
 * feature-max-indirect-segments, garbage in feature keys, a reconnection
 * with another ring size.  "hold" first keeps the requests that arrive
 * unanswered, so that a case has requests in flight to answer wrongly.
 *
 * Every page granted to it is scanned: marker_pages counts pages holding
 * the marker the lab writes into freed guest memory, stale_reads the
 * pages of reads that arrive holding anything but zeros (with trusted=0
 * the front end clears them), over_limit the requests with more segments
 * than offered.
 */
#include <linux/module.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "pvrogue.h"
#include "pvblkif.h"

#define ROGUE_SECTORS	16384u			/* 8 MiB, in memory */
#define ROGUE_MAX_IND	32u			/* segments offered at first */
#define ROGUE_HELD	32u
#define ROGUE_KEEP	ROGUE_MAX_IND		/* mappings "keepmapped" keeps */
#define ROGUE_MARKER	"PVSPLIT-FREED!!\n"	/* yes(1) prints it 16-aligned */
#define ROGUE_BAD_ID	0xfffff00dULL

struct bb_rogue {
	struct pvrogue core;
	struct work_struct work;
	struct pvsplit_gpool gpool;
	u8 *disk;
	unsigned int max_ind;
	bool hold;
	bool keep;
	struct pvblk_req held[ROGUE_HELD];
	unsigned int nr_held;
	struct page *kept[ROGUE_KEEP];
	grant_handle_t kept_h[ROGUE_KEEP];
	unsigned int nr_kept;
	unsigned long served;
	unsigned long marker_pages;
	unsigned long stale_reads;
	unsigned long over_limit;
};

static struct bb_rogue *to_bb(struct pvrogue *rg)
{
	return container_of(rg, struct bb_rogue, core);
}

/* Does @p hold the marker at any 16-byte boundary? */
static bool has_marker(const u8 *p)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i += 16)
		if (!memcmp(p + i, ROGUE_MARKER, 16))
			return true;
	return false;
}

static void scan(struct bb_rogue *br, const u8 *p, bool read)
{
	if (has_marker(p))
		br->marker_pages++;
	if (read && memchr_inv(p, 0, PAGE_SIZE))
		br->stale_reads++;
}

/* Segments of an indirect request, from its descriptor pages. */
static int indirect_segs(struct bb_rogue *br, const struct pvblk_req *r,
			 struct pvblk_seg *segs)
{
	struct page *pages[PVBLK_MAX_INDIRECT_PAGES];
	grant_handle_t h[PVBLK_MAX_INDIRECT_PAGES];
	unsigned int i;
	int err;

	err = pvsplit_gpool_map(&br->gpool, r->indirect_gref, r->nr_indirect,
				true, pages, h);
	if (!err) {
		for (i = 0; i < r->nr_indirect; i++)
			scan(br, page_address(pages[i]), false);
		for (i = 0; i < r->nr_segs; i++)
			pvblk_decode_seg((u8 *)page_address(pages[i / PVBLK_SEGS_PER_PAGE]) +
					 (i % PVBLK_SEGS_PER_PAGE) * PVBLK_SEG_SIZE,
					 &segs[i]);
	}
	pvsplit_gpool_unmap(&br->gpool, pages, h, r->nr_indirect);
	return err;
}

/* Serve one request against the disk in memory; return its status. */
static int serve(struct bb_rogue *br, const struct pvblk_req *r)
{
	struct pvblk_limits lim = {
		.capacity = ROGUE_SECTORS,
		.lbs_sectors = 1,
		.max_indirect_segs = br->max_ind,
		.flush = true,
	};
	struct pvblk_seg segs[ROGUE_MAX_IND];
	struct page *pages[ROGUE_MAX_IND];
	grant_handle_t h[ROGUE_MAX_IND];
	grant_ref_t refs[ROGUE_MAX_IND];
	const struct pvblk_seg *s = r->seg;
	bool read = r->data_op == PVBLK_OP_READ;
	u64 sector = r->sector, nr;
	unsigned int i, n;
	int err;

	if (r->op == PVBLK_OP_INDIRECT && r->nr_segs > br->max_ind)
		br->over_limit++;
	err = pvblk_check_req(r, &lim);
	if (err)
		return pvblk_errno_status(err);
	if (r->op == PVBLK_OP_FLUSH_DISKCACHE)
		return PVBLK_RSP_OKAY;
	n = r->nr_segs;
	if (r->op == PVBLK_OP_INDIRECT) {
		if (indirect_segs(br, r, segs))
			return PVBLK_RSP_ERROR;
		s = segs;
	}
	if (pvblk_check_segs(s, n, sector, &lim, &nr))
		return PVBLK_RSP_ERROR;
	for (i = 0; i < n; i++)
		refs[i] = s[i].gref;
	err = pvsplit_gpool_map(&br->gpool, refs, n, !read, pages, h);
	for (i = 0; !err && i < n; i++) {
		u8 *va = page_address(pages[i]);
		size_t off = s[i].first_sect << PVBLK_SECTOR_SHIFT;
		size_t len = (s[i].last_sect - s[i].first_sect + 1u) <<
			     PVBLK_SECTOR_SHIFT;

		scan(br, va, read);
		if (read)
			memcpy(va + off, br->disk + (sector << PVBLK_SECTOR_SHIFT), len);
		else
			memcpy(br->disk + (sector << PVBLK_SECTOR_SHIFT), va + off, len);
		sector += len >> PVBLK_SECTOR_SHIFT;
	}
	/* "keepmapped": these mappings outlive the response */
	if (!err && br->keep && br->nr_kept + n <= ROGUE_KEEP) {
		memcpy(br->kept + br->nr_kept, pages, n * sizeof(*pages));
		memcpy(br->kept_h + br->nr_kept, h, n * sizeof(*h));
		br->nr_kept += n;
		br->keep = false;
		return PVBLK_RSP_OKAY;
	}
	pvsplit_gpool_unmap(&br->gpool, pages, h, n);
	return err ? PVBLK_RSP_ERROR : PVBLK_RSP_OKAY;
}

/* Produce one response; the caller pushes. */
static void respond(struct bb_rogue *br, u64 id, u8 op, int status)
{
	struct pvring *r = &br->core.ring.r;

	pvblk_encode_rsp(pvring_prod_slot(r, 0), id, op, status);
	pvring_produce(r, 1);
	br->served++;
}

static void answer(struct bb_rogue *br, const struct pvblk_req *req)
{
	respond(br, req->id, pvblk_rsp_op(req), serve(br, req));
}

static void bb_work(struct work_struct *w)
{
	struct bb_rogue *br = container_of(w, struct bb_rogue, work);
	struct pvrogue *rg = &br->core;
	struct pvring *r = &rg->ring.r;
	u8 buf[PVBLK_SLOT_64];
	struct pvblk_req req;

	mutex_lock(&rg->lock);
	if (!rg->ring.area || r->broken)
		goto out;
	while (pvrogue_next_request(rg, buf, sizeof(buf))) {
		pvblk_decode_req(buf, PVBLK_ABI_64, &req);
		if (br->hold && br->nr_held < ROGUE_HELD)
			br->held[br->nr_held++] = req;
		else
			answer(br, &req);
	}
	pvsplit_ring_push(&rg->ring, &rg->ev);
out:
	mutex_unlock(&rg->lock);
}

static void bb_event(struct pvrogue *rg)
{
	schedule_work(&to_bb(rg)->work);
}

static void bb_connected(struct pvrogue *rg)
{
	struct bb_rogue *br = to_bb(rg);

	if (pvsplit_gpool_init(&br->gpool, rg->dev->otherend_id, 0, 64))
		dev_warn(&rg->dev->dev, "no grant pool: every request will fail\n");
	br->nr_held = 0;
	br->hold = false;
	br->keep = false;
	schedule_work(&br->work);
}

static void bb_disconnect(struct pvrogue *rg)
{
	struct bb_rogue *br = to_bb(rg);

	pvsplit_gpool_unmap(&br->gpool, br->kept, br->kept_h, br->nr_kept);
	br->nr_kept = 0;
	pvsplit_gpool_destroy(&br->gpool);
	br->nr_held = 0;
}

static void bb_remove(struct pvrogue *rg)
{
	struct bb_rogue *br = to_bb(rg);

	cancel_work_sync(&br->work);
	vfree(br->disk);
}

/* Rewrite our state so that the front end reads our keys again. */
static int restate(struct pvrogue *rg)
{
	return xenbus_printf(XBT_NIL, rg->dev->nodename, "state", "%d",
			     XenbusStateConnected);
}

static int write_key(struct pvrogue *rg, const char *key, const char *val)
{
	return xenbus_printf(XBT_NIL, rg->dev->nodename, key, "%s", val);
}

/* Our producer index set by hand: the ring is no longer ours to use. */
static void set_rsp_prod(struct pvrogue *rg, u32 v)
{
	WRITE_ONCE(*rg->ring.r.my_prod, v);
	rg->ring.r.broken = true;
	pvsplit_evtchn_notify(&rg->ev);
}

/* Cases that answer a request in flight, held by "hold". */
static int held_case(struct bb_rogue *br, const char *what)
{
	struct pvrogue *rg = &br->core;
	struct pvring *r = &rg->ring.r;
	struct pvblk_req *h = &br->held[0];
	u32 before = r->published;
	unsigned int i;
	u64 id;

	if (!br->nr_held)
		return -EAGAIN;
	if (!strcmp(what, "unknownid")) {
		respond(br, ROGUE_BAD_ID, pvblk_rsp_op(h), PVBLK_RSP_OKAY);
	} else if (!strcmp(what, "dupid")) {
		/* two answers for the first request (two are in flight) */
		if (br->nr_held < 2)
			return -EAGAIN;
		answer(br, h);
		respond(br, h->id, pvblk_rsp_op(h), PVBLK_RSP_OKAY);
	} else if (!strcmp(what, "notinflight")) {
		/* an id in range that no request held now carries */
		for (id = 0; id < r->size; id++) {
			for (i = 0; i < br->nr_held; i++)
				if (br->held[i].id == id)
					break;
			if (i == br->nr_held)
				break;
		}
		respond(br, id, pvblk_rsp_op(h), PVBLK_RSP_OKAY);
	} else if (!strcmp(what, "wrongop")) {
		respond(br, h->id, pvblk_rsp_op(h) ^ 1, PVBLK_RSP_OKAY);
	} else if (!strcmp(what, "badstatus")) {
		respond(br, h->id, pvblk_rsp_op(h), 7);
	} else if (!strcmp(what, "prodback")) {
		/* one good answer, then the index below what was seen before */
		answer(br, h);
		pvsplit_ring_push(&rg->ring, &rg->ev);
		set_rsp_prod(rg, before - 1);
	} else if (!strcmp(what, "moreresp")) {
		/* every request answered, and one response more */
		for (i = 0; i < br->nr_held; i++)
			pvblk_encode_rsp(pvring_slot(r, before + i), br->held[i].id,
					 pvblk_rsp_op(&br->held[i]),
					 serve(br, &br->held[i]));
		pvblk_encode_rsp(pvring_slot(r, before + i), h->id,
				 pvblk_rsp_op(h), PVBLK_RSP_OKAY);
		set_rsp_prod(rg, before + i + 1);
	} else {
		return -EINVAL;
	}
	br->nr_held = 0;
	br->hold = false;
	if (!r->broken)
		pvsplit_ring_push(&rg->ring, &rg->ev);
	return 0;
}

static int bb_inject(struct pvrogue *rg, const char *what)
{
	struct bb_rogue *br = to_bb(rg);
	unsigned int i;
	int err = 0;

	if (!strcmp(what, "hold")) {
		br->hold = true;
	} else if (!strcmp(what, "serve") || !strcmp(what, "keepmapped")) {
		br->hold = false;
		br->keep = !strcmp(what, "keepmapped");
		for (i = 0; i < br->nr_held; i++)
			answer(br, &br->held[i]);
		br->nr_held = 0;
		pvsplit_ring_push(&rg->ring, &rg->ev);
		schedule_work(&br->work);
	} else if (!strcmp(what, "closing")) {
		err = pvsplit_xb_switch(rg->dev, XenbusStateClosing);
	} else if (!strcmp(what, "closed")) {
		err = pvsplit_xb_switch(rg->dev, XenbusStateClosed);
	} else if (!strcmp(what, "sectors0")) {
		err = write_key(rg, "sectors", "0") ?: restate(rg);
	} else if (!strcmp(what, "sectorshuge")) {
		err = write_key(rg, "sectors", "9223372036854775808") ?:
		      restate(rg);
	} else if (!strcmp(what, "lowerind")) {
		br->max_ind = 0;
		err = write_key(rg, "feature-max-indirect-segments", "0") ?:
		      restate(rg);
	} else if (!strcmp(what, "garbage")) {
		err = write_key(rg, "feature-max-indirect-segments", "lots") ?:
		      write_key(rg, "sector-size", "-512") ?:
		      write_key(rg, "physical-sector-size", "3") ?:
		      write_key(rg, "feature-flush-cache", "yes please") ?:
		      write_key(rg, "discard-granularity", "0x") ?:
		      write_key(rg, "info", "0x4z") ?:
		      write_key(rg, "multi-queue-max-queues", "-1") ?:
		      restate(rg);
		/* what the front end falls back to for "lots" */
		br->max_ind = 0;
	} else if (!strcmp(what, "reorder")) {
		/* close; once the front end is Closed, offer one-page rings */
		rg->max_order = 0;
		err = write_key(rg, "max-ring-page-order", "0") ?:
		      pvrogue_reoffer(rg);
	} else {
		err = held_case(br, what);
	}
	if (!err)
		rg->last_status = 0;
	return err;
}

PVROGUE_COUNTER(bb_rogue, served);
PVROGUE_COUNTER(bb_rogue, marker_pages);
PVROGUE_COUNTER(bb_rogue, stale_reads);
PVROGUE_COUNTER(bb_rogue, over_limit);
PVROGUE_COUNTER(bb_rogue, nr_held);

static struct attribute *bb_attrs[] = {
	&dev_attr_served.attr,
	&dev_attr_marker_pages.attr,
	&dev_attr_stale_reads.attr,
	&dev_attr_over_limit.attr,
	&dev_attr_nr_held.attr,
	NULL,
};

static const struct attribute_group bb_group = {
	.attrs = bb_attrs,
};

static const struct attribute_group *bb_groups[] = {
	&pvrogue_group,
	&bb_group,
	NULL,
};

static const struct pvrogue_ops bb_ops = {
	.name = "pvblkback_rogue",
	.back = true,
	.slot_size = PVBLK_SLOT_64,
	.connected = bb_connected,
	.event = bb_event,
	.disconnect = bb_disconnect,
	.remove = bb_remove,
	.inject = bb_inject,
};

static int bb_probe(struct xenbus_device *dev, const struct xenbus_device_id *id)
{
	static const char *const keys[] = {
		"sectors", "info", "sector-size", "feature-flush-cache",
		"feature-max-indirect-segments", "max-ring-page-order",
	};
	const unsigned int vals[] = {
		ROGUE_SECTORS, 0, 512, 1, ROGUE_MAX_IND, PVRING_MAX_ORDER,
	};
	struct bb_rogue *br;
	int err;

	err = pvrogue_probe(dev, &bb_ops, sizeof(*br));
	if (err)
		return err;
	br = to_bb(dev_get_drvdata(&dev->dev));
	INIT_WORK(&br->work, bb_work);
	br->core.max_order = PVRING_MAX_ORDER;
	br->max_ind = ROGUE_MAX_IND;
	br->disk = vzalloc((size_t)ROGUE_SECTORS << PVBLK_SECTOR_SHIFT);
	err = -ENOMEM;
	if (!br->disk)
		goto remove;
	err = pvrogue_offer(dev, keys, vals, ARRAY_SIZE(keys));
	if (!err)
		return 0;
remove:
	pvrogue_remove(dev);
	return err;
}

static const struct xenbus_device_id bb_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver bb_driver = {
	.name = "pvblkback_rogue",
	.ids = bb_ids,
	.probe = bb_probe,
	.remove = pvrogue_remove,
	.otherend_changed = pvrogue_frontend_changed,
	.driver.dev_groups = bb_groups,
};
module_pvrogue_back_driver(bb_driver);

MODULE_DESCRIPTION("pvsplit tests: hostile blkif back end");
MODULE_LICENSE("GPL");
PVSPLIT_IMPORT_NS();
