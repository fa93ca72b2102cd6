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
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "pvsplit/pvsplit.h"
#include "pvblkif.h"

#define ROGUE_NO_ANSWER	1000
#define ROGUE_MIN_VDEV	(202 << 8 | 8 * 16)	/* xvdi: below is for pvblkfront */
#define ROGUE_FOREIGN_DOM 0x7ff0	/* a domain that can never map */

enum { PG_RW, PG_RO, PG_IND, PG_FOREIGN, NR_PG };

struct rogue {
	struct xenbus_device *dev;
	struct mutex lock;		/* one injection at a time */
	struct pvsplit_ring ring;
	struct pvsplit_evtchn ev;
	wait_queue_head_t wq;
	struct page *pg[NR_PG];
	grant_ref_t ref[NR_PG];
	bool granted;
	u64 sectors;
	int last_status;
	u64 id;
};

static irqreturn_t rogue_interrupt(int irq, void *data)
{
	struct rogue *rg = data;

	wake_up(&rg->wq);
	return IRQ_HANDLED;
}

static int publish(struct xenbus_transaction xbt, void *arg)
{
	struct rogue *rg = arg;
	int err;

	err = pvsplit_xb_write_ring(xbt, rg->dev, NULL, &rg->ring, "ring-ref",
				    "event-channel", rg->ev.port);
	if (!err)
		err = xenbus_printf(xbt, rg->dev->nodename, "protocol", "%s",
				    "x86_64-abi");
	return err;
}

static void revoke(struct rogue *rg)
{
	unsigned int i;

	if (!rg->granted)
		return;
	for (i = 0; i < NR_PG; i++)
		pvsplit_grant_revoke(&rg->ref[i], &rg->pg[i], 1);
	rg->granted = false;
}

static int rogue_connect(struct rogue *rg)
{
	domid_t be = rg->dev->otherend_id;
	int err;

	err = pvsplit_ring_alloc(&rg->ring, rg->dev, 0, PVBLK_SLOT_64);
	if (err)
		return err;
	err = pvsplit_evtchn_alloc(&rg->ev, rg->dev, rogue_interrupt,
				   "pvblk_rogue", rg);
	if (err)
		goto free_ring;
	err = pvsplit_grant_pages(be, &rg->pg[PG_RW], 1, false, &rg->ref[PG_RW]) ?:
	      pvsplit_grant_pages(be, &rg->pg[PG_RO], 1, true, &rg->ref[PG_RO]) ?:
	      pvsplit_grant_pages(be, &rg->pg[PG_IND], 1, true, &rg->ref[PG_IND]) ?:
	      pvsplit_grant_pages(ROGUE_FOREIGN_DOM, &rg->pg[PG_FOREIGN], 1, false,
				  &rg->ref[PG_FOREIGN]);
	if (err)
		goto close_evtchn;	/* grants are few: leaking is not a risk here */
	rg->granted = true;
	err = pvsplit_xb_txn(rg->dev, publish, rg);
	if (err)
		goto revoke;
	return 0;

revoke:
	revoke(rg);
close_evtchn:
	pvsplit_evtchn_close(&rg->ev, rg);
free_ring:
	pvsplit_ring_free(&rg->ring);
	return err;
}

static void rogue_disconnect(struct rogue *rg)
{
	pvsplit_evtchn_close(&rg->ev, rg);
	revoke(rg);
	pvsplit_ring_free(&rg->ring);
}

static void seg(struct pvblk_seg *s, grant_ref_t ref, u8 first, u8 last)
{
	s->gref = ref;
	s->first_sect = first;
	s->last_sect = last;
}

/* Fill the indirect page with @n descriptors; garbage ones when asked. */
static void fill_indirect(struct rogue *rg, unsigned int n, bool garbage)
{
	u8 *p = page_address(rg->pg[PG_IND]);
	struct pvblk_seg s;
	unsigned int i;

	for (i = 0; i < n && i < PVBLK_SEGS_PER_PAGE; i++) {
		seg(&s, rg->ref[PG_RW], 0, 7);
		if (garbage)
			seg(&s, 0xffffffff - i, 0xee, 0x11);
		pvblk_encode_seg(p + i * PVBLK_SEG_SIZE, &s);
	}
}

/* Build the request case @what names. Return: 0 or -EINVAL. */
static int build(struct rogue *rg, const char *what, struct pvblk_req *r)
{
	memset(r, 0, sizeof(*r));
	r->id = ++rg->id;
	r->op = PVBLK_OP_READ;
	r->nr_segs = 1;
	seg(&r->seg[0], rg->ref[PG_RW], 0, 7);
	if (!strcmp(what, "good")) {
		/* as built */
	} else if (!strcmp(what, "badop")) {
		r->op = 9;
	} else if (!strcmp(what, "reservedop")) {
		r->op = 4;
	} else if (!strcmp(what, "pastend")) {
		r->sector = rg->sectors;
	} else if (!strcmp(what, "wrapsector")) {
		r->sector = U64_MAX - 3;
	} else if (!strcmp(what, "badgref")) {
		r->seg[0].gref = 0xfffffff0;
	} else if (!strcmp(what, "foreigngref")) {
		r->seg[0].gref = rg->ref[PG_FOREIGN];
	} else if (!strcmp(what, "rogrant")) {
		r->seg[0].gref = rg->ref[PG_RO];	/* a read writes the page */
	} else if (!strcmp(what, "discardpastend")) {
		r->op = PVBLK_OP_DISCARD;
		r->sector = rg->sectors - 8;
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
		seg(&r->seg[0], rg->ref[PG_RW], 5, 2);
	} else if (!strcmp(what, "pastpage")) {
		seg(&r->seg[0], rg->ref[PG_RW], 0, 8);
	} else if (!strcmp(what, "indzero") || !strcmp(what, "indtoomany") ||
		   !strcmp(what, "indgarbage")) {
		r->op = PVBLK_OP_INDIRECT;
		r->data_op = PVBLK_OP_READ;
		r->nr_segs = !strcmp(what, "indzero") ? 0 :
			     !strcmp(what, "indtoomany") ? 300 : 16;
		r->nr_indirect = 1;
		r->indirect_gref[0] = rg->ref[PG_IND];
		fill_indirect(rg, 16, !strcmp(what, "indgarbage"));
	} else {
		return -EINVAL;
	}
	return 0;
}

/* Send case @what; wait up to 5 s for the answer. */
static int send_one(struct rogue *rg, const char *what)
{
	u8 buf[PVBLK_SLOT_64], raw[16];
	struct pvblk_rsp rsp;
	struct pvblk_req r;
	int n;

	if (build(rg, what, &r))
		return -EINVAL;
	pvblk_encode_req(buf, &r);
	memcpy(pvring_prod_slot(&rg->ring.r, 0), buf, sizeof(buf));
	pvring_produce(&rg->ring.r, 1);
	pvsplit_ring_push(&rg->ring, &rg->ev);
	wait_event_timeout(rg->wq, pvring_arm(&rg->ring.r, 1) != 0, 5 * HZ);
	n = pvring_consume_batch(&rg->ring.r, raw, sizeof(raw), sizeof(raw), 1);
	if (n <= 0) {
		rg->last_status = ROGUE_NO_ANSWER;
		return n < 0 ? n : -ETIMEDOUT;
	}
	pvblk_decode_rsp(raw, &rsp);
	rg->last_status = rsp.id == r.id ? rsp.status : ROGUE_NO_ANSWER;
	return 0;
}

static ssize_t inject_store(struct device *d, struct device_attribute *a,
			    const char *buf, size_t len)
{
	struct rogue *rg = dev_get_drvdata(d);
	char what[32];
	int err = 0;

	if (!rg->ring.area)
		return -ENOTCONN;
	strscpy(what, buf, sizeof(what));
	strim(what);
	mutex_lock(&rg->lock);
	if (!strcmp(what, "prodahead")) {
		WRITE_ONCE(rg->ring.r.sring->req_prod,
			   rg->ring.r.published + rg->ring.r.size + 7);
		pvsplit_evtchn_notify(&rg->ev);
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
		if (xenbus_scanf(XBT_NIL, dev->otherend, "sectors", "%llu",
				 &rg->sectors) != 1)
			rg->sectors = 0;
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
	struct rogue *rg;
	unsigned int i, vdev;

	if (xenbus_scanf(XBT_NIL, dev->nodename, "virtual-device", "%u",
			 &vdev) != 1 || vdev < ROGUE_MIN_VDEV)
		return -ENODEV;
	rg = kzalloc(sizeof(*rg), GFP_KERNEL);
	if (!rg)
		return -ENOMEM;
	for (i = 0; i < NR_PG; i++) {
		rg->pg[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!rg->pg[i])
			goto free_pages;
	}
	rg->dev = dev;
	rg->last_status = ROGUE_NO_ANSWER;
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

static void rogue_remove(struct xenbus_device *dev)
{
	struct rogue *rg = dev_get_drvdata(&dev->dev);
	unsigned int i;

	mutex_lock(&rg->lock);
	rogue_disconnect(rg);
	mutex_unlock(&rg->lock);
	for (i = 0; i < NR_PG; i++)
		if (rg->pg[i])	/* NULL: handed over while still mapped */
			__free_page(rg->pg[i]);
	kfree(rg);
}

static const struct xenbus_device_id rogue_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver rogue_driver = {
	.name = "pvblk_rogue",
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

MODULE_DESCRIPTION("pvsplit tests: hostile blkif front end");
MODULE_LICENSE("GPL");
PVSPLIT_IMPORT_NS();
