// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvnet_rogue - a hostile netif front end, for tests only.
 *
 * Binds xenbus type "vif" in a test guest, connects like a netif front end
 * (tx-ring-ref on the core's ring, an rx-ring-ref of its own, one
 * event-channel, request-rx-copy=1), then writes what a malicious guest
 * would into the real transmit ring: chains of 19, 21 and 40 slots,
 * zero-size slots, slots crossing their page, first-slot sizes that do
 * not match the others, bad and foreign grants, bad extra-info slots,
 * bad GSO.  Writing a case name to /sys/bus/xen/devices/vif-N/inject
 * sends it; last_status reads the status the back end answered the
 * chain's data slots with ("none" when it answered nothing: the verdict
 * was fatal and the back end left Connected).
 *
 * The module parameters are read when a device connects: they make it
 * write xenstore keys out of range (multi-queue-num-queues, xdp-headroom,
 * a control ring the back end never offered), or ask for multicast
 * control, whose updates the "mcast" and "mcastdel" cases then send.
 * With ctrl_real the rogue also grants a real control ring (one page,
 * io/ring.h layout: 16-byte requests, 12-byte answers) and an event
 * channel of its own; the "ctrl..." cases then write hostile control
 * requests into it, and last_status reads the status the back end
 * answered (from the shared page, id and type checked).  The "rxstorm"
 * case keeps the receive ring full for a few seconds: every answer the
 * back end publishes is re-posted at once, all on one page.  A guest with
 * this module loaded has no usable network device: every vif is the
 * rogue's.
 */
#include <linux/delay.h>
#include <linux/module.h>

#include "pvrogue.h"
#include "pvnethash.h"

static int num_queues = -1;
module_param(num_queues, int, 0644);
MODULE_PARM_DESC(num_queues, "multi-queue-num-queues to write on connect (-1: none)");

static unsigned int xdp_headroom;
module_param(xdp_headroom, uint, 0644);
MODULE_PARM_DESC(xdp_headroom, "xdp-headroom to write on connect (0: none)");

static bool ctrl_ring;
module_param(ctrl_ring, bool, 0644);
MODULE_PARM_DESC(ctrl_ring, "Write ctrl-ring-ref and event-channel-ctrl with garbage on connect");

static bool ctrl_real;
module_param(ctrl_real, bool, 0644);
MODULE_PARM_DESC(ctrl_real, "Grant a real control ring on connect (the ctrl* cases)");

static bool mcast_control;
module_param(mcast_control, bool, 0644);
MODULE_PARM_DESC(mcast_control, "Write request-multicast-control=1 on connect");

/*
 * PG_CTRL: the keys and mapping tables the ctrl cases name; PG_RX: the
 * page every receive buffer of the rxstorm case names
 */
enum { PG_DATA, PG_RO, PG_FOREIGN, PG_CTRL, PG_RX, NR_PG };

static const struct pvrogue_page net_pages[NR_PG] = {
	[PG_RO] = { .readonly = true },
	[PG_FOREIGN] = { .foreign = true },
};

/* the longest chain a case writes */
#define NET_MAX_SLOTS	48u
/* the packet's bytes: slot i of a plain chain carries bytes i * 64 on */
#define NET_CHUNK	64u

/**
 * struct net_case - the slots of one case, before they go on the ring
 * @n: slots
 * @slot: their bytes
 * @extra: slot i is an extra-info slot (answered NULL)
 * @id: the id of data slot i, which its answer must echo
 */
struct net_case {
	unsigned int n;
	u8 slot[NET_MAX_SLOTS][PVNET_TX_SLOT];
	bool extra[NET_MAX_SLOTS];
	u16 id[NET_MAX_SLOTS];
};

/**
 * struct net_rogue - one hostile vif
 * @core: the core's device
 * @rx: the receive ring (filled only by the rxstorm case)
 * @c: the chain case being sent
 * @ctrl: the control ring, when @ctrl_on
 * @cev: its event channel
 * @ctrl_on: @ctrl and @cev are set up (ctrl_real at connect)
 */
struct net_rogue {
	struct pvrogue core;
	struct pvsplit_ring rx;
	struct net_case c;
	struct pvsplit_ring ctrl;
	struct pvsplit_evtchn cev;
	bool ctrl_on;
};

static struct net_rogue *to_net(struct pvrogue *rg)
{
	return container_of(rg, struct net_rogue, core);
}

/*
 * An Ethernet frame to an address nobody has, of a local experimental
 * type: a packet the back end carries goes nowhere on the bridge.
 */
static void fill_frame(struct page *pg)
{
	static const u8 hdr[PVNET_ETH_HLEN] = {
		0x02, 0, 0, 0, 0, 0x01,		/* destination */
		0x02, 0, 0, 0, 0, 0x02,		/* source */
		0x88, 0xb5,			/* IEEE local experimental */
	};
	u8 *p;

	if (!pg)	/* handed over while still mapped: never for netif */
		return;
	p = page_address(pg);
	memset(p, 0xa5, PAGE_SIZE);
	memcpy(p, hdr, sizeof(hdr));
}

/* The back end answered on the control ring; lateeoi: one EOI each. */
static irqreturn_t ctrl_interrupt(int irq, void *data)
{
	struct net_rogue *nr = data;

	wake_up(&nr->core.wq);
	pvsplit_evtchn_eoi(&nr->cev, false);
	return IRQ_HANDLED;
}

static int ctrl_setup(struct net_rogue *nr)
{
	int err;

	err = pvsplit_ring_alloc(&nr->ctrl, nr->core.dev, 0, PVNET_CTRL_SLOT);
	if (err)
		return err;
	err = pvsplit_evtchn_alloc(&nr->cev, nr->core.dev, ctrl_interrupt,
				   "pvnet_rogue-ctrl", nr);
	if (err) {
		pvsplit_ring_free(&nr->ctrl);
		return err;
	}
	nr->ctrl_on = true;
	return 0;
}

static int net_setup(struct pvrogue *rg)
{
	struct net_rogue *nr = to_net(rg);
	int err;

	fill_frame(rg->pg[PG_DATA]);
	fill_frame(rg->pg[PG_RO]);
	err = pvsplit_ring_alloc(&nr->rx, rg->dev, 0, PVNET_RX_SLOT);
	if (err || !READ_ONCE(ctrl_real))
		return err;
	err = ctrl_setup(nr);
	if (err)
		pvsplit_ring_free(&nr->rx);
	return err;
}

static void net_teardown(struct pvrogue *rg)
{
	struct net_rogue *nr = to_net(rg);

	if (nr->ctrl_on) {
		pvsplit_evtchn_close(&nr->cev, nr);
		pvsplit_ring_free(&nr->ctrl);
		nr->ctrl_on = false;
	}
	pvsplit_ring_free(&nr->rx);
}

static int net_publish(struct xenbus_transaction xbt, struct pvrogue *rg)
{
	struct net_rogue *nr = to_net(rg);
	const char *dir = rg->dev->nodename;
	int nq = READ_ONCE(num_queues);
	unsigned int xdp = READ_ONCE(xdp_headroom);
	int err;

	err = pvsplit_xb_write_ring(xbt, rg->dev, NULL, &nr->rx,
				    "rx-ring-ref", NULL, 0);
	if (!err)
		err = xenbus_printf(xbt, dir, "request-rx-copy", "%u", 1);
	if (!err)
		err = xenbus_printf(xbt, dir, "feature-sg", "%u", 1);
	if (!err)
		err = xenbus_printf(xbt, dir, "feature-rx-notify", "%u", 1);
	if (!err && nq >= 0)
		err = xenbus_printf(xbt, dir, "multi-queue-num-queues", "%d", nq);
	if (!err && xdp)
		err = xenbus_printf(xbt, dir, "xdp-headroom", "%u", xdp);
	if (!err && READ_ONCE(mcast_control))
		err = xenbus_printf(xbt, dir, "request-multicast-control", "%u", 1);
	if (!err && nr->ctrl_on)
		err = pvsplit_xb_write_ring(xbt, rg->dev, NULL, &nr->ctrl,
					    "ctrl-ring-ref", "event-channel-ctrl",
					    nr->cev.port);
	if (!err && !nr->ctrl_on && READ_ONCE(ctrl_ring)) {
		/* no back end may map what it never offered */
		err = xenbus_printf(xbt, dir, "ctrl-ring-ref", "%u", 0xfffffff0u);
		if (!err)
			err = xenbus_printf(xbt, dir, "event-channel-ctrl", "%u",
					    0xffffu);
	}
	return err;
}

/* Append a data slot with id @id. */
static void tx_id(struct net_rogue *nr, u32 gref, u16 off, u16 flags, u16 id,
		  u16 size)
{
	struct net_case *c = &nr->c;
	struct pvnet_tx_req t = {
		.gref = gref, .offset = off, .flags = flags, .id = id,
		.size = size,
	};

	if (WARN_ON_ONCE(c->n >= NET_MAX_SLOTS))
		return;
	pvnet_encode_tx_req(c->slot[c->n], &t);
	c->id[c->n++] = id;
}

/* Append a data slot with the next id. */
static void tx(struct net_rogue *nr, u32 gref, u16 off, u16 flags, u16 size)
{
	tx_id(nr, gref, off, flags, (u16)(nr->core.id * NET_MAX_SLOTS + nr->c.n),
	      size);
}

/* Append an extra-info slot. */
static void extra(struct net_rogue *nr, u8 type, u8 flags, u8 gso_type,
		  u16 gso_size)
{
	static const u8 group[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	struct net_case *c = &nr->c;
	struct pvnet_extra e = {
		.type = type, .flags = flags, .gso_type = gso_type,
		.gso_size = gso_size,
	};

	if (WARN_ON_ONCE(c->n >= NET_MAX_SLOTS))
		return;
	memcpy(e.addr, group, sizeof(e.addr));
	pvnet_encode_extra(c->slot[c->n], &e);
	c->extra[c->n++] = true;
}

/* A packet of @n slots of NET_CHUNK bytes, the frame's bytes in order. */
static void chain(struct net_rogue *nr, u32 gref, unsigned int n)
{
	unsigned int i;

	tx(nr, gref, 0, n > 1 ? PVNET_TXF_MORE_DATA : 0, n * NET_CHUNK);
	for (i = 1; i < n; i++)
		tx(nr, gref, i * NET_CHUNK, i + 1 < n ? PVNET_TXF_MORE_DATA : 0,
		   NET_CHUNK);
}

/* A first slot announcing extras, for a 60-byte frame. */
static void with_extras(struct net_rogue *nr)
{
	tx(nr, nr->core.ref[PG_DATA], 0, PVNET_TXF_EXTRA_INFO, 60);
}

/*
 * Build the chain case @what names; pvnet_tx_parse() decides what the
 * back end does with each (Documentation/networking/pvnet.rst lists
 * them).  Return: 0 or -EINVAL.
 */
static int build(struct net_rogue *nr, const char *what)
{
	const u16 more = PVNET_TXF_MORE_DATA, more_extra = PVNET_EXTRA_FLAG_MORE;
	u32 d = nr->core.ref[PG_DATA];
	unsigned int i;

	memset(&nr->c, 0, sizeof(nr->c));
	if (!strcmp(what, "good") || !strcmp(what, "rewrite")) {
		chain(nr, d, 3);
	} else if (!strcmp(what, "slots19")) {	/* as many as any back end takes */
		chain(nr, d, PVNET_MAX_DATA);
	} else if (!strcmp(what, "slots21")) {	/* too many: dropped */
		chain(nr, d, PVNET_FATAL_FOLLOW + 1);
	} else if (!strcmp(what, "slots40")) {	/* far too many: fatal */
		chain(nr, d, 40);
	} else if (!strcmp(what, "zerosize")) {
		tx(nr, d, 0, more, 60);
		tx(nr, d, 60, more, 0);
		tx(nr, d, 60, 0, 0);
	} else if (!strcmp(what, "allzero")) {
		/* four all-zero slots: four packets of no bytes */
		for (i = 0; i < 4; i++)
			tx_id(nr, 0, 0, 0, 0, 0);
	} else if (!strcmp(what, "tiny19")) {
		/* 100 bytes over 19 slots: the header spans three of them */
		tx(nr, d, 0, more, 100);
		for (i = 1; i < PVNET_MAX_DATA; i++)
			tx(nr, d, 10 + 5 * (i - 1),
			   i + 1 < PVNET_MAX_DATA ? more : 0, 5);
	} else if (!strcmp(what, "firstshort")) {
		/* a first slot of 8 bytes, shorter than an Ethernet header */
		tx(nr, d, 0, more, 64);
		tx(nr, d, 8, 0, 56);
	} else if (!strcmp(what, "runt")) {
		tx(nr, d, 0, 0, PVNET_ETH_HLEN - 4);
	} else if (!strcmp(what, "sizelt")) {
		/* the first slot says 100 bytes, the others carry 128 */
		tx(nr, d, 0, more, 100);
		tx(nr, d, 64, more, 64);
		tx(nr, d, 128, 0, 64);
	} else if (!strcmp(what, "sizegt")) {
		/* 60000 bytes, 128 in the others: the first slot's page overflows */
		tx(nr, d, 0, more, 60000);
		tx(nr, d, 64, more, 64);
		tx(nr, d, 128, 0, 64);
	} else if (!strcmp(what, "crosspage")) {
		tx(nr, d, 0, more, 200);
		tx(nr, d, PVNET_PAGE_SIZE - 96, 0, 136);
	} else if (!strcmp(what, "rogref")) {	/* transmit only reads */
		tx(nr, nr->core.ref[PG_RO], 0, 0, 60);
	} else if (!strcmp(what, "badgref")) {
		tx(nr, 0xfffffff0, 0, 0, 60);
	} else if (!strcmp(what, "foreigngref")) {
		tx(nr, nr->core.ref[PG_FOREIGN], 0, 0, 60);
	} else if (!strcmp(what, "extra0")) {
		with_extras(nr);
		extra(nr, PVNET_EXTRA_NONE, 0, 0, 0);
	} else if (!strcmp(what, "extra5")) {	/* XDP: receive only */
		with_extras(nr);
		extra(nr, PVNET_EXTRA_XDP, 0, 0, 0);
	} else if (!strcmp(what, "extraunknown")) {
		with_extras(nr);
		extra(nr, 9, 0, 0, 0);
	} else if (!strcmp(what, "mcast")) {	/* subscribe 01:00:5e:00:00:01 */
		tx(nr, d, 0, PVNET_TXF_EXTRA_INFO, 0);
		extra(nr, PVNET_EXTRA_MCAST_ADD, 0, 0, 0);
	} else if (!strcmp(what, "mcastdel")) {	/* and leave it */
		tx(nr, d, 0, PVNET_TXF_EXTRA_INFO, 0);
		extra(nr, PVNET_EXTRA_MCAST_DEL, 0, 0, 0);
	} else if (!strcmp(what, "extranoend")) {
		/* one of each type, then more, every one saying more follow */
		with_extras(nr);
		extra(nr, PVNET_EXTRA_GSO, more_extra, PVNET_GSO_TCPV4, 1400);
		for (i = PVNET_EXTRA_MCAST_ADD; i < PVNET_EXTRA_MAX; i++)
			extra(nr, i, more_extra, 0, 0);
		extra(nr, PVNET_EXTRA_HASH, more_extra, 0, 0);
		extra(nr, PVNET_EXTRA_HASH, more_extra, 0, 0);
	} else if (!strcmp(what, "gsounknown")) {
		with_extras(nr);
		extra(nr, PVNET_EXTRA_GSO, 0, 7, 1400);
	} else if (!strcmp(what, "gsozero")) {
		with_extras(nr);
		extra(nr, PVNET_EXTRA_GSO, 0, PVNET_GSO_TCPV4, 0);
	} else if (!strcmp(what, "gsonottcp")) {
		/* well-formed GSO on a frame that is not TCP */
		with_extras(nr);
		extra(nr, PVNET_EXTRA_GSO, 0, PVNET_GSO_TCPV4, 1400);
	} else {
		return -EINVAL;
	}
	return 0;
}

/*
 * Check the answers: one per slot, in order, extras NULL, every data slot
 * its own id and the same status, which goes to @status (a status is
 * negative for an error answer: it is never the return value).
 * Return: 0 or -EBADMSG.
 */
static int check_answers(struct net_rogue *nr, u8 (*raw)[PVNET_TX_RSP_SIZE],
			 int *status)
{
	const struct net_case *c = &nr->c;
	struct pvnet_tx_rsp rsp;
	unsigned int i;

	*status = PVROGUE_NO_ANSWER;

	for (i = 0; i < c->n; i++) {
		pvnet_decode_tx_rsp(raw[i], &rsp);
		if (c->extra[i]) {
			if (rsp.status == PVNET_RSP_NULL)
				continue;
		} else if (rsp.id == c->id[i] &&
			   (*status == PVROGUE_NO_ANSWER || rsp.status == *status)) {
			*status = rsp.status;
			continue;
		}
		dev_warn(&nr->core.dev->dev, "answer %u of %u: id %u status %d, want id %u%s\n",
			 i, c->n, rsp.id, rsp.status, c->id[i],
			 c->extra[i] ? " (extra: status 1)" : "");
		return -EBADMSG;
	}
	return 0;
}

/*
 * Put the case on the ring and collect its answers for up to 5 s; stop
 * early when the back end leaves Connected (a fatal verdict answers
 * nothing).  Return: 0 (last_status set when answered), or a negative
 * errno: -ETIMEDOUT when the back end neither answered nor left.
 */
static int net_send(struct net_rogue *nr)
{
	u8 raw[NET_MAX_SLOTS][PVNET_TX_RSP_SIZE];
	unsigned long end = jiffies + 5 * HZ;
	struct pvrogue *rg = &nr->core;
	struct pvring *r = &rg->ring.r;
	unsigned int got = 0, i, n = nr->c.n;
	int ret, status;

	if (!n || pvring_free(r) < n)
		return -ENOSPC;
	for (i = 0; i < n; i++)
		memcpy(pvring_prod_slot(r, i), nr->c.slot[i], PVNET_TX_SLOT);
	pvring_produce(r, n);
	pvsplit_ring_push(&rg->ring, &rg->ev);
	for (;;) {
		ret = pvring_consume_batch(r, raw[got], PVNET_TX_RSP_SIZE,
					   PVNET_TX_RSP_SIZE, n - got);
		if (ret < 0)
			return ret;
		got += ret;
		if (got == n)
			break;
		if (xenbus_read_driver_state(rg->dev->otherend) !=
		    XenbusStateConnected)
			return got ? -EBADMSG : 0;
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
		wait_event_timeout(rg->wq, pvring_arm(r, 1) != 0, HZ / 10);
	}
	ret = check_answers(nr, raw, &status);
	if (!ret)
		rg->last_status = status;
	return ret;
}

/*
 * After the answers: write a fatal chain over the slots the back end
 * already read, and notify.  A back end that read them twice would now
 * disable the vif; it must not even look (its consumer index is past).
 */
static void rewrite(struct net_rogue *nr)
{
	struct pvring *r = &nr->core.ring.r;
	struct pvnet_tx_req t = {
		.gref = 0xfffffff0, .offset = PVNET_PAGE_SIZE - 8,
		.flags = PVNET_TXF_MORE_DATA | PVNET_TXF_EXTRA_INFO,
		.size = 0xffff,
	};
	unsigned int i;

	for (i = 0; i < nr->c.n; i++)
		pvnet_encode_tx_req(pvring_slot(r, r->prod_pvt - nr->c.n + i), &t);
	pvsplit_evtchn_notify(&nr->core.ev);
	msleep(200);
}

/* ---- the control ring ------------------------------------------------ */

/*
 * Send one control request and wait up to 5 s for its answer, which is
 * read back from the shared page and must echo the request's id and type.
 * Return: 0 (last_status set when answered, "none" when not), or a
 * negative errno: -EBADMSG for an answer that is not this request's.
 */
static int ctrl_send(struct net_rogue *nr, u16 type, u32 d0, u32 d1, u32 d2)
{
	struct pvrogue *rg = &nr->core;
	struct pvring *r = &nr->ctrl.r;
	struct pvnet_ctrl_req c = {
		.id = (u16)rg->id, .type = type, .data = { d0, d1, d2 },
	};
	u8 raw[PVNET_CTRL_RSP_SIZE];
	struct pvnet_ctrl_rsp rsp;
	int n;

	if (!pvring_free(r))
		return -ENOSPC;
	pvnet_encode_ctrl_req(pvring_prod_slot(r, 0), &c);
	pvring_produce(r, 1);
	pvsplit_ring_push(&nr->ctrl, &nr->cev);
	wait_event_timeout(rg->wq, pvring_arm(r, 1) != 0, 5 * HZ);
	n = pvring_avail(r);
	if (n <= 0)
		return n;
	pvring_consume(r, raw, sizeof(raw));
	pvnet_decode_ctrl_rsp(raw, &rsp);
	if (pvnet_check_ctrl_rsp(&rsp, c.id, c.type)) {
		dev_warn(&rg->dev->dev, "control answer: id %u type %u status %u, want id %u type %u\n",
			 rsp.id, rsp.type, rsp.status, c.id, c.type);
		return -EBADMSG;
	}
	rg->last_status = rsp.status;
	return 0;
}

/* Write @n mapping entries into the control page, entry @bad = @val. */
static void ctrl_table(struct net_rogue *nr, unsigned int n, unsigned int bad,
		       u32 val)
{
	u8 *p = page_address(nr->core.pg[PG_CTRL]);
	unsigned int i;

	for (i = 0; i < n; i++)
		pv_st32(p + 4 * i, i == bad ? val : 0);
}

/*
 * The ctrl cases; io/netif.h gives the status each must get (pvnet.rst
 * lists them).  With one queue connected, queue 0 is the only valid
 * mapping entry.  Return: 0, or -EINVAL for a name not known.
 */
static int ctrl_inject(struct net_rogue *nr, const char *what)
{
	struct pvring *r = &nr->ctrl.r;
	u32 g = nr->core.ref[PG_CTRL];
	unsigned int i;
	u8 *key;

	if (!nr->ctrl_on)
		return -ENODEV;
	if (!strcmp(what, "ctrlsize8")) {
		return ctrl_send(nr, PVNET_CTRL_SET_MAPPING_SIZE, 8, 0, 0);
	} else if (!strcmp(what, "ctrlmap")) {	/* 8 entries, queue 0 */
		ctrl_table(nr, 8, 8, 0);
		return ctrl_send(nr, PVNET_CTRL_SET_MAPPING, g, 8, 0);
	} else if (!strcmp(what, "ctrlxsa270")) {
		/* entry 5 names queue 1 of 1; then one naming 0xffffffff */
		ctrl_table(nr, 8, 5, 1);
		ctrl_send(nr, PVNET_CTRL_SET_MAPPING, g, 8, 0);
		if (nr->core.last_status != PVNET_CTRL_INVALID_PARAMETER)
			return 0;
		ctrl_table(nr, 8, 7, 0xffffffff);
		return ctrl_send(nr, PVNET_CTRL_SET_MAPPING, g, 8, 0);
	} else if (!strcmp(what, "ctrlpast")) {	/* entries 6..9 of 8 */
		ctrl_table(nr, 4, 4, 0);
		return ctrl_send(nr, PVNET_CTRL_SET_MAPPING, g, 4, 6);
	} else if (!strcmp(what, "ctrlwrap")) {	/* offset + size wraps to 1 */
		ctrl_table(nr, 2, 2, 0);
		return ctrl_send(nr, PVNET_CTRL_SET_MAPPING, g, 2, 0xffffffff);
	} else if (!strcmp(what, "ctrlsizemax")) {
		return ctrl_send(nr, PVNET_CTRL_SET_MAPPING_SIZE, 0xffffffff, 0, 0);
	} else if (!strncmp(what, "ctrlkey", 7)) {
		key = page_address(nr->core.pg[PG_CTRL]);
		for (i = 0; i < PVNET_HASH_KEY_MAX + 1; i++)
			key[i] = 0x11 + i;
		if (!strcmp(what, "ctrlkey"))		/* 40 bytes: taken */
			return ctrl_send(nr, PVNET_CTRL_SET_HASH_KEY, g,
					 PVNET_HASH_KEY_MAX, 0);
		if (!strcmp(what, "ctrlkey41"))
			return ctrl_send(nr, PVNET_CTRL_SET_HASH_KEY, g,
					 PVNET_HASH_KEY_MAX + 1, 0);
		if (!strcmp(what, "ctrlkeybadgref"))
			return ctrl_send(nr, PVNET_CTRL_SET_HASH_KEY, 0xfffffff0,
					 PVNET_HASH_KEY_MAX, 0);
		if (!strcmp(what, "ctrlkeyforeign"))
			return ctrl_send(nr, PVNET_CTRL_SET_HASH_KEY,
					 nr->core.ref[PG_FOREIGN],
					 PVNET_HASH_KEY_MAX, 0);
	} else if (!strcmp(what, "ctrlunknown")) {
		return ctrl_send(nr, 0x7777, 1, 2, 3);
	} else if (!strcmp(what, "ctrlflood")) {
		/* lateeoi must throttle these: nothing on the ring */
		for (i = 0; i < 100000; i++)
			pvsplit_evtchn_notify(&nr->cev);
		nr->core.last_status = 0;
		return 0;
	} else if (!strcmp(what, "ctrlrunaway")) {
		/* req_prod 1000 slots past what a ring may hold */
		WRITE_ONCE(*r->my_prod, r->published + r->size + 1000);
		pvsplit_evtchn_notify(&nr->cev);
		nr->core.last_status = 0;
		return 0;
	}
	return -EINVAL;
}

/* ---- the receive ring ------------------------------------------------ */

#define RX_STORM_SECS	4

/*
 * Keep the receive ring full for RX_STORM_SECS: take every answer the
 * back end published and post its slot again at once, every buffer on
 * PG_RX, never looking at the data, with an event each round.  With dom0
 * sending the vif packets faster than it can copy them, only the back
 * end's own bound ends a pass of its receive thread.  last_status: 0.
 * Return: 0 (at least one answer seen), -ENODATA (none), or -EPROTO.
 */
static int rx_storm(struct net_rogue *nr)
{
	u8 raw[32][PVNET_RX_SLOT];
	unsigned long end = jiffies + RX_STORM_SECS * HZ;
	struct pvrogue *rg = &nr->core;
	struct pvring *r = &nr->rx.r;
	struct pvnet_rx_req q = { .gref = rg->ref[PG_RX] };
	unsigned long answers = 0;
	unsigned int i, n;
	int got;

	while (time_before(jiffies, end)) {
		do {
			got = pvring_consume_batch(r, raw, PVNET_RX_SLOT,
						   PVNET_RX_SLOT, ARRAY_SIZE(raw));
			if (got < 0)
				return got;
			answers += got;
		} while (got);
		n = pvring_free(r);
		for (i = 0; i < n; i++) {
			q.id = (u16)(r->prod_pvt + i);
			pvnet_encode_rx_req(pvring_prod_slot(r, i), &q);
		}
		pvring_produce(r, n);
		pvsplit_ring_push(&nr->rx, &rg->ev);
		/* and an event every time, wanted or not */
		pvsplit_evtchn_notify(&rg->ev);
		pvring_arm(r, 1);
		cond_resched();
	}
	dev_info(&rg->dev->dev, "rxstorm: %lu answers in %u s\n", answers,
		 RX_STORM_SECS);
	rg->last_status = 0;
	return answers ? 0 : -ENODATA;
}

static int net_inject(struct pvrogue *rg, const char *what)
{
	struct net_rogue *nr = to_net(rg);
	int err;

	if (!strncmp(what, "ctrl", 4))
		return ctrl_inject(nr, what);
	if (!strcmp(what, "rxstorm"))
		return rx_storm(nr);
	if (build(nr, what))
		return -EINVAL;
	err = net_send(nr);
	if (!err && !strcmp(what, "rewrite"))
		rewrite(nr);
	return err;
}

static const struct pvrogue_ops net_ops = {
	.name = "pvnet_rogue",
	.slot_size = PVNET_TX_SLOT,
	.nr_pages = NR_PG,
	.pages = net_pages,
	.ring_key = "tx-ring-ref",
	.setup = net_setup,
	.teardown = net_teardown,
	.publish = net_publish,
	.inject = net_inject,
};

static int rogue_probe(struct xenbus_device *dev,
		       const struct xenbus_device_id *id)
{
	return pvrogue_probe(dev, &net_ops, sizeof(struct net_rogue));
}

static const struct xenbus_device_id rogue_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver rogue_driver = {
	.name = "pvnet_rogue",
	.ids = rogue_ids,
	.probe = rogue_probe,
	.remove = pvrogue_remove,
	.otherend_changed = pvrogue_backend_changed,
	.driver.dev_groups = pvrogue_groups,
};
module_pvrogue_driver(rogue_driver);

MODULE_DESCRIPTION("pvsplit tests: hostile netif front end");
MODULE_LICENSE("GPL");
PVSPLIT_IMPORT_NS();
