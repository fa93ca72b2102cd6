// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvnetback_rogue - a hostile netif back end, for tests only (dom0).
 *
 * Binds xenbus type "vif" in dom0 in place of pvnetback, for the devices
 * bound to it by hand (echo vif-D-N > .../drivers/pvnetback_rogue/bind,
 * with drivers_autoprobe off).  It offers one queue, one event channel,
 * no scatter-gather and no offloads, and maps the front end's tx-ring-ref
 * (the core's ring) and rx-ring-ref (its own).  Honestly it answers every
 * transmitted packet OKAY and answers ARP requests and ICMP echo requests
 * (for any address but the sender's own) through the buffers the front
 * end posted, so that a guest pings an address on this "wire".  Its
 * netdev vif<domid>.<devid> in dom0 is only there for the tools that wait
 * for it: it carries nothing.
 *
 * Writing a case name to /sys/bus/xen-backend/devices/vif-D-N/inject then
 * answers as a malicious back end would: TX responses with ids out of
 * range, duplicated, or for requests not in flight, a bad status, the
 * response index going back (or, the core's "prodahead", far ahead); RX
 * responses with ids that are not their slot's, twice the same id,
 * offset+size or a status past the page, the index ahead or back, extra
 * info chains with no end, of an unknown type, GSO of size 0; an error
 * status and a runt (dropped and counted, not fatal); Closing with
 * packets held, a reconnection; grants kept mapped after their response.
 * "hold" first keeps the TX requests that arrive unanswered, so that a
 * TX case has requests in flight to answer wrongly.
 *
 * Every page granted to it is scanned for the marker the lab writes into
 * freed guest memory (32 bytes of 0xa7 at a 32-byte boundary):
 * marker_pages counts the pages that held it (rx_marker_pages those of
 * them that were receive buffers, before we filled them: a TX page may
 * carry the marker as the guest's own data); kept_marker scans the pages
 * kept mapped, when read.
 */
#include <linux/delay.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/checksum.h>

#include "pvrogue.h"
#include "pvnetif.h"

#define NB_HELD		32u
#define NB_PEND		16u		/* replies waiting for an RX buffer */
#define NB_FRAME	1536u		/* the largest reply */
#define NB_KEEP		8u
#define NB_MARK_BYTE	0xa7
#define NB_MARK_LEN	32u
#define NB_BAD_ID	0xffffu
#define NB_NOEND	24u		/* extras of a chain with no end */
#define NB_SLOTS	256u		/* one-page netif rings */

/* the address this back end answers from */
static const u8 nb_mac[ETH_ALEN] = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01 };

struct nb_rogue {
	struct pvrogue core;		/* core.ring: the TX ring */
	struct net_device *netdev;
	struct work_struct work;
	struct pvsplit_ring rx;
	struct pvsplit_gpool gpool;
	bool gpool_ok;
	bool hold;
	bool keep_tx;
	bool keep_rx;
	bool extra_next;
	struct pvnet_tx_req held[NB_HELD];
	unsigned int nr_held;
	u8 pend[NB_PEND][NB_FRAME];
	u16 pend_len[NB_PEND];
	unsigned int pend_head;
	unsigned int nr_pend;
	struct page *kept[NB_KEEP];
	grant_handle_t kept_h[NB_KEEP];
	unsigned int nr_kept;
	unsigned long served;
	unsigned long filled;
	unsigned long echoed;
	unsigned long no_buffer;
	unsigned long marker_pages;
	unsigned long rx_marker_pages;
};

static struct nb_rogue *to_nb(struct pvrogue *rg)
{
	return container_of(rg, struct nb_rogue, core);
}

/* Does @p hold NB_MARK_LEN bytes of the marker at an aligned offset? */
static bool has_marker(const u8 *p)
{
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i += NB_MARK_LEN)
		if (p[i] == NB_MARK_BYTE &&
		    !memchr_inv(p + i, NB_MARK_BYTE, NB_MARK_LEN))
			return true;
	return false;
}

static void scan(struct nb_rogue *nb, const u8 *p)
{
	if (has_marker(p))
		nb->marker_pages++;
}

/* Map one grant of the front end, scan it; keep it mapped if *@keep. */
static void *map_one(struct nb_rogue *nb, u32 gref, bool readonly,
		     struct page **pg, grant_handle_t *h)
{
	grant_ref_t ref = gref;

	if (!nb->gpool_ok || pvsplit_gpool_map(&nb->gpool, &ref, 1, readonly, pg, h))
		return NULL;
	scan(nb, page_address(*pg));
	return page_address(*pg);
}

static void unmap_one(struct nb_rogue *nb, struct page *pg, grant_handle_t h,
		      bool *keep)
{
	if (*keep && nb->nr_kept < NB_KEEP) {
		nb->kept[nb->nr_kept] = pg;
		nb->kept_h[nb->nr_kept++] = h;
		*keep = false;
		return;
	}
	pvsplit_gpool_unmap(&nb->gpool, &pg, &h, 1);
}

/* ---- RX: filling the buffers the front end posted ---------------------- */

/* The next posted buffer.  Return: 0, or -EAGAIN when none is posted. */
static int rx_req(struct nb_rogue *nb, struct pvnet_rx_req *req)
{
	struct pvring *r = &nb->rx.r;
	u8 raw[PVNET_RX_SLOT];
	int n;

	if (!nb->rx.area)
		return -EAGAIN;
	n = pvring_avail(r);
	if (n == 0 && pvring_final_check(r))
		n = pvring_avail(r);
	if (n <= 0)
		return -EAGAIN;
	pvring_consume(r, raw, sizeof(raw));
	pvnet_decode_rx_req(raw, req);
	return 0;
}

/* Produce one RX response (any fields); the caller pushes. */
static void rx_rsp(struct nb_rogue *nb, u16 id, u16 off, u16 flags, s16 status)
{
	struct pvnet_rx_rsp rsp = {
		.id = id, .offset = off, .flags = flags, .status = status,
	};

	pvnet_encode_rx_rsp(pvring_prod_slot(&nb->rx.r, 0), &rsp);
	pvring_produce(&nb->rx.r, 1);
}

static void rx_extra(struct nb_rogue *nb, const struct pvnet_extra *e)
{
	pvnet_encode_extra(pvring_prod_slot(&nb->rx.r, 0), e);
	pvring_produce(&nb->rx.r, 1);
}

/* Copy @len bytes of @data into the buffer of @req and answer it. */
static void rx_fill(struct nb_rogue *nb, const struct pvnet_rx_req *req,
		    const u8 *data, unsigned int len, u16 flags)
{
	unsigned long seen = nb->marker_pages;
	struct page *pg;
	grant_handle_t h;
	u8 *va;

	va = map_one(nb, req->gref, false, &pg, &h);
	if (!va) {
		rx_rsp(nb, req->id, 0, 0, PVNET_RSP_ERROR);
		return;
	}
	/* map_one() scanned what the page held before we write */
	if (nb->marker_pages != seen)
		nb->rx_marker_pages++;
	memcpy(va, data, len);
	unmap_one(nb, pg, h, &nb->keep_rx);
	rx_rsp(nb, req->id, 0, flags, len);
	nb->filled++;
}

/* Send the replies waiting, as far as buffers are posted. */
static void rx_pending(struct nb_rogue *nb)
{
	struct pvnet_rx_req req;

	while (nb->nr_pend && !rx_req(nb, &req)) {
		rx_fill(nb, &req, nb->pend[nb->pend_head],
			nb->pend_len[nb->pend_head], 0);
		nb->pend_head = (nb->pend_head + 1) % NB_PEND;
		nb->nr_pend--;
	}
	if (nb->rx.area)
		pvsplit_ring_push(&nb->rx, &nb->core.ev);
}

/* A slot for a reply, or NULL (counted) when too many wait. */
static u8 *pend_slot(struct nb_rogue *nb, unsigned int len)
{
	unsigned int i;

	if (nb->nr_pend >= NB_PEND || len > NB_FRAME) {
		nb->no_buffer++;
		return NULL;
	}
	i = (nb->pend_head + nb->nr_pend++) % NB_PEND;
	nb->pend_len[i] = max(len, 60u);
	memset(nb->pend[i], 0, nb->pend_len[i]);
	return nb->pend[i];
}

/* ARP request (for an address not the sender's own): our reply. */
static void reply_arp(struct nb_rogue *nb, const u8 *f, unsigned int len)
{
	static const u8 req_hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	u8 *o;

	if (len < 42 || memcmp(f + 14, req_hdr, sizeof(req_hdr)) ||
	    !memcmp(f + 28, f + 38, 4))
		return;
	o = pend_slot(nb, 42);
	if (!o)
		return;
	memcpy(o, f + 6, ETH_ALEN);
	memcpy(o + 6, nb_mac, ETH_ALEN);
	o[12] = 0x08;
	o[13] = 0x06;
	memcpy(o + 14, req_hdr, sizeof(req_hdr));
	o[21] = 2;				/* reply */
	memcpy(o + 22, nb_mac, ETH_ALEN);	/* sender: us */
	memcpy(o + 28, f + 38, 4);		/* the address asked for */
	memcpy(o + 32, f + 22, 10);		/* target: who asked */
	nb->echoed++;
}

/* ICMP echo request: the reply. */
static void reply_icmp(struct nb_rogue *nb, const u8 *f, unsigned int len)
{
	unsigned int ihl, tot;
	__sum16 sum;
	u8 *o;

	if (len < 34 || (f[14] >> 4) != 4 || f[23] != IPPROTO_ICMP)
		return;
	ihl = (f[14] & 0xf) * 4;
	tot = (f[16] << 8) | f[17];
	if (ihl < 20 || tot < ihl + 8 || 14 + tot > len || f[14 + ihl] != 8)
		return;
	o = pend_slot(nb, 14 + tot);
	if (!o)
		return;
	memcpy(o, f + 6, ETH_ALEN);
	memcpy(o + 6, nb_mac, ETH_ALEN);
	memcpy(o + 12, f + 12, 2 + tot);
	memcpy(o + 26, f + 30, 4);		/* swap the addresses */
	memcpy(o + 30, f + 26, 4);
	o[14 + ihl] = 0;			/* echo reply */
	o[14 + ihl + 2] = 0;
	o[14 + ihl + 3] = 0;
	sum = ip_compute_csum(o + 14 + ihl, tot - ihl);
	memcpy(o + 14 + ihl + 2, &sum, sizeof(sum));
	nb->echoed++;
}

/* ---- TX: the packets the guest sends ----------------------------------- */

static void tx_rsp(struct nb_rogue *nb, u16 id, s16 status)
{
	pvnet_encode_tx_rsp(pvring_prod_slot(&nb->core.ring.r, 0), id, status);
	pvring_produce(&nb->core.ring.r, 1);
}

/* Copy the packet out, answer it; queue a reply for what asks one. */
static void tx_answer(struct nb_rogue *nb, const struct pvnet_tx_req *t)
{
	unsigned int len = t->size;
	struct page *pg;
	grant_handle_t h;
	u8 *va, *f;

	va = map_one(nb, t->gref, true, &pg, &h);
	if (!va) {
		tx_rsp(nb, t->id, PVNET_RSP_ERROR);
		return;
	}
	if (!(t->flags & PVNET_TXF_MORE_DATA) && len >= ETH_HLEN &&
	    t->offset + len <= PAGE_SIZE && len <= NB_FRAME) {
		f = va + t->offset;
		if (f[12] == 0x08 && f[13] == 0x06)
			reply_arp(nb, f, len);
		else if (f[12] == 0x08 && f[13] == 0x00)
			reply_icmp(nb, f, len);
	}
	unmap_one(nb, pg, h, &nb->keep_tx);
	tx_rsp(nb, t->id, PVNET_RSP_OKAY);
	nb->served++;
}

static void nb_work(struct work_struct *w)
{
	struct nb_rogue *nb = container_of(w, struct nb_rogue, work);
	struct pvrogue *rg = &nb->core;
	struct pvring *r = &rg->ring.r;
	u8 buf[PVNET_TX_SLOT];
	struct pvnet_tx_req t;

	mutex_lock(&rg->lock);
	if (!rg->ring.area || r->broken || !nb->rx.area || nb->rx.r.broken)
		goto out;
	while (pvrogue_next_request(rg, buf, sizeof(buf))) {
		if (nb->extra_next) {
			/* an extra-info slot: its answer names no request */
			nb->extra_next = buf[1] & PVNET_EXTRA_FLAG_MORE;
			tx_rsp(nb, 0, PVNET_RSP_NULL);
			continue;
		}
		pvnet_decode_tx_req(buf, &t);
		nb->extra_next = t.flags & PVNET_TXF_EXTRA_INFO;
		if (nb->hold && nb->nr_held < NB_HELD)
			nb->held[nb->nr_held++] = t;
		else
			tx_answer(nb, &t);
	}
	pvsplit_ring_push(&rg->ring, &rg->ev);
	rx_pending(nb);
out:
	mutex_unlock(&rg->lock);
}

static void nb_event(struct pvrogue *rg)
{
	schedule_work(&to_nb(rg)->work);
}

/* Called with rg->lock held, the TX ring mapped: map the RX ring. */
static void nb_connected(struct pvrogue *rg)
{
	struct nb_rogue *nb = to_nb(rg);
	struct pvsplit_ring_layout lay;
	int err;

	err = pvsplit_xb_read_ring(rg->dev, NULL, 0, "rx-ring-ref", NULL, &lay);
	if (!err)
		err = pvsplit_ring_map(&nb->rx, rg->dev, lay.gref, 0, PVNET_RX_SLOT);
	if (err)
		xenbus_dev_fatal(rg->dev, err, "mapping the RX ring");
	nb->nr_held = 0;
	nb->nr_pend = 0;
	nb->hold = false;
	nb->extra_next = false;
	schedule_work(&nb->work);
}

/* What we map stays mapped past here: kept grants go at remove only. */
static void nb_disconnect(struct pvrogue *rg)
{
	struct nb_rogue *nb = to_nb(rg);

	pvsplit_ring_unmap(&nb->rx, rg->dev);
	nb->nr_held = 0;
	nb->nr_pend = 0;
}

static void nb_remove(struct pvrogue *rg)
{
	struct nb_rogue *nb = to_nb(rg);

	cancel_work_sync(&nb->work);
	if (nb->netdev) {
		unregister_netdev(nb->netdev);
		free_netdev(nb->netdev);
	}
	if (nb->gpool_ok) {
		pvsplit_gpool_unmap(&nb->gpool, nb->kept, nb->kept_h, nb->nr_kept);
		pvsplit_gpool_destroy(&nb->gpool);
	}
}

/* Set a producer index by hand, notify: the ring is no longer ours. */
static void set_prod(struct pvsplit_ring *ring, struct pvsplit_evtchn *ev,
		     u32 v)
{
	WRITE_ONCE(*ring->r.my_prod, v);
	ring->r.broken = true;
	pvsplit_evtchn_notify(ev);
}

/* Wait up to 2 s until the front end asked for what follows @idx. */
static void wait_seen(struct pvsplit_ring *ring, u32 idx)
{
	unsigned int i;

	for (i = 0; i < 100; i++) {
		if ((s32)(READ_ONCE(*ring->r.peer_event) - idx) > 0)
			return;
		msleep(20);
	}
}

/* A frame nobody handles: broadcast, IEEE local experimental type. */
static void probe_frame(u8 *f)
{
	memset(f, 0, 60);
	memset(f, 0xff, ETH_ALEN);
	memcpy(f + 6, nb_mac, ETH_ALEN);
	f[12] = 0x88;
	f[13] = 0xb5;
}

/* Cases that answer a TX request held by "hold". */
static int tx_case(struct nb_rogue *nb, const char *what)
{
	struct pvrogue *rg = &nb->core;
	struct pvring *r = &rg->ring.r;
	struct pvnet_tx_req *h = &nb->held[0];
	u32 before = r->published;
	unsigned int i;
	u16 id;

	if (!nb->nr_held)
		return -EAGAIN;
	if (!strcmp(what, "txbadid")) {
		tx_rsp(nb, NB_BAD_ID, PVNET_RSP_OKAY);
	} else if (!strcmp(what, "txbadstatus")) {
		tx_rsp(nb, h->id, 7);
	} else if (!strcmp(what, "txdupid")) {
		tx_answer(nb, h);
		tx_rsp(nb, h->id, PVNET_RSP_OKAY);
	} else if (!strcmp(what, "txnotinflight")) {
		/* an id in range that no held request carries */
		for (id = 0; id < NB_SLOTS; id++) {
			for (i = 0; i < nb->nr_held; i++)
				if (nb->held[i].id == id)
					break;
			if (i == nb->nr_held)
				break;
		}
		tx_rsp(nb, id, PVNET_RSP_OKAY);
	} else if (!strcmp(what, "txprodback")) {
		/*
		 * One good answer, seen; then the index one below it.  The
		 * event goes whatever the front end's event index says:
		 * pvnetfront takes TX answers lazily (an event is asked for
		 * only while its queue is stopped), and an answer it has not
		 * taken makes the lower index look like no change at all.
		 */
		tx_answer(nb, h);
		pvsplit_ring_push(&rg->ring, &rg->ev);
		pvsplit_evtchn_notify(&rg->ev);
		wait_seen(&rg->ring, before + 1);
		set_prod(&rg->ring, &rg->ev, before);
	} else {
		return -EINVAL;
	}
	nb->nr_held = 0;
	nb->hold = false;
	if (!r->broken)
		pvsplit_ring_push(&rg->ring, &rg->ev);
	return 0;
}

static const char *const rx_cases[] = {
	"rxgood", "rxerror", "rxrunt", "rxbadid", "rxdupid", "rxoffset",
	"rxstatus", "rxprodahead", "rxprodback", "rxextranoend",
	"rxextraunknown", "rxgso0",
};

/* Cases on the RX ring, each in the buffers posted now. */
static int rx_case(struct nb_rogue *nb, const char *what)
{
	struct pvrogue *rg = &nb->core;
	struct pvring *r = &nb->rx.r;
	struct pvnet_rx_req req, req2;
	struct pvnet_extra e = { 0 };
	u32 before = r->published;
	unsigned int i;
	u8 f[60];

	if (match_string(rx_cases, ARRAY_SIZE(rx_cases), what) < 0)
		return -EINVAL;
	probe_frame(f);
	if (!nb->rx.area || pvring_free(r) || rx_req(nb, &req))
		return -EAGAIN;
	if (!strcmp(what, "rxgood")) {
		rx_fill(nb, &req, f, sizeof(f), 0);
	} else if (!strcmp(what, "rxerror")) {
		rx_rsp(nb, req.id, 0, 0, PVNET_RSP_ERROR);
	} else if (!strcmp(what, "rxrunt")) {
		rx_fill(nb, &req, f, 10, 0);
	} else if (!strcmp(what, "rxbadid")) {
		rx_rsp(nb, req.id ^ 0x80, 0, 0, sizeof(f));
	} else if (!strcmp(what, "rxdupid")) {
		rx_fill(nb, &req, f, sizeof(f), 0);
		if (rx_req(nb, &req2))
			return -EAGAIN;
		rx_rsp(nb, req.id, 0, 0, sizeof(f));
	} else if (!strcmp(what, "rxoffset")) {
		rx_rsp(nb, req.id, PVNET_PAGE_SIZE - 100, 0, 200);
	} else if (!strcmp(what, "rxstatus")) {
		rx_rsp(nb, req.id, 0, 0, PVNET_PAGE_SIZE + 904);
	} else if (!strcmp(what, "rxprodahead")) {
		set_prod(&nb->rx, &rg->ev, before + r->size + 7);
		return 0;
	} else if (!strcmp(what, "rxprodback")) {
		rx_fill(nb, &req, f, sizeof(f), 0);
		pvsplit_ring_push(&nb->rx, &rg->ev);
		wait_seen(&nb->rx, before + 1);
		set_prod(&nb->rx, &rg->ev, before);
		return 0;
	} else if (!strcmp(what, "rxextranoend")) {
		/* hash extras, each saying another follows */
		rx_fill(nb, &req, f, sizeof(f), PVNET_RXF_EXTRA_INFO);
		e.type = PVNET_EXTRA_HASH;
		e.flags = PVNET_EXTRA_FLAG_MORE;
		e.hash_type = PVNET_HASH_IPV4;
		for (i = 0; i < NB_NOEND; i++) {
			if (rx_req(nb, &req2))
				break;
			rx_extra(nb, &e);
		}
	} else if (!strcmp(what, "rxextraunknown")) {
		rx_fill(nb, &req, f, sizeof(f), PVNET_RXF_EXTRA_INFO);
		if (rx_req(nb, &req2))
			return -EAGAIN;
		e.type = 9;
		rx_extra(nb, &e);
	} else if (!strcmp(what, "rxgso0")) {
		rx_fill(nb, &req, f, sizeof(f), PVNET_RXF_EXTRA_INFO);
		if (rx_req(nb, &req2))
			return -EAGAIN;
		e.type = PVNET_EXTRA_GSO;
		e.gso_type = PVNET_GSO_TCPV4;
		rx_extra(nb, &e);
	}
	pvsplit_ring_push(&nb->rx, &rg->ev);
	return 0;
}

static int nb_inject(struct pvrogue *rg, const char *what)
{
	struct nb_rogue *nb = to_nb(rg);
	unsigned int i;
	int err = 0;

	if (!strcmp(what, "hold")) {
		nb->hold = true;
	} else if (!strcmp(what, "serve")) {
		nb->hold = false;
		for (i = 0; i < nb->nr_held; i++)
			tx_answer(nb, &nb->held[i]);
		nb->nr_held = 0;
		pvsplit_ring_push(&rg->ring, &rg->ev);
		schedule_work(&nb->work);
	} else if (!strcmp(what, "keepmapped")) {
		nb->keep_tx = true;
		nb->keep_rx = true;
	} else if (!strcmp(what, "closing")) {
		err = pvsplit_xb_switch(rg->dev, XenbusStateClosing);
	} else if (!strcmp(what, "reconnect")) {
		err = pvrogue_reoffer(rg);
	} else if (!strncmp(what, "tx", 2)) {
		err = tx_case(nb, what);
	} else if (!strncmp(what, "rx", 2)) {
		err = rx_case(nb, what);
	} else {
		err = -EINVAL;
	}
	if (!err)
		rg->last_status = 0;
	return err;
}

PVROGUE_COUNTER(nb_rogue, served);
PVROGUE_COUNTER(nb_rogue, filled);
PVROGUE_COUNTER(nb_rogue, echoed);
PVROGUE_COUNTER(nb_rogue, no_buffer);
PVROGUE_COUNTER(nb_rogue, marker_pages);
PVROGUE_COUNTER(nb_rogue, rx_marker_pages);
PVROGUE_COUNTER(nb_rogue, nr_held);
PVROGUE_COUNTER(nb_rogue, nr_kept);

/* The pages kept mapped that hold the marker now. */
static ssize_t kept_marker_show(struct device *d, struct device_attribute *a,
				char *buf)
{
	struct nb_rogue *nb = to_nb(dev_get_drvdata(d));
	unsigned int i, n = 0;

	mutex_lock(&nb->core.lock);
	for (i = 0; i < nb->nr_kept; i++)
		n += has_marker(page_address(nb->kept[i]));
	mutex_unlock(&nb->core.lock);
	return sysfs_emit(buf, "%u\n", n);
}
static DEVICE_ATTR_RO(kept_marker);

static struct attribute *nb_attrs[] = {
	&dev_attr_served.attr,
	&dev_attr_filled.attr,
	&dev_attr_echoed.attr,
	&dev_attr_no_buffer.attr,
	&dev_attr_marker_pages.attr,
	&dev_attr_rx_marker_pages.attr,
	&dev_attr_nr_held.attr,
	&dev_attr_nr_kept.attr,
	&dev_attr_kept_marker.attr,
	NULL,
};

static const struct attribute_group nb_group = {
	.attrs = nb_attrs,
};

static const struct attribute_group *nb_groups[] = {
	&pvrogue_group,
	&nb_group,
	NULL,
};

static const struct pvrogue_ops nb_ops = {
	.name = "pvnetback_rogue",
	.back = true,
	.slot_size = PVNET_TX_SLOT,
	.ring_key = "tx-ring-ref",
	.connected = nb_connected,
	.event = nb_event,
	.disconnect = nb_disconnect,
	.remove = nb_remove,
	.inject = nb_inject,
};

/* dom0's side of the rogue's wire carries nothing */
static netdev_tx_t nb_xmit(struct sk_buff *skb, struct net_device *nd)
{
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops nb_netdev_ops = {
	.ndo_start_xmit = nb_xmit,
};

/*
 * A netdev named vif<domid>.<devid>, as a netif back end creates, so that
 * the tools that wait for it (pvsplit attach, vif-bridge) work unchanged.
 */
static int nb_netdev(struct nb_rogue *nb)
{
	struct xenbus_device *dev = nb->core.dev;
	const char *n = strrchr(dev->nodename, '/');
	struct net_device *nd;
	unsigned int devid;
	int err;

	if (!n || kstrtouint(n + 1, 10, &devid))
		return -EINVAL;
	nd = alloc_netdev(0, "rogue%d", NET_NAME_USER, ether_setup);
	if (!nd)
		return -ENOMEM;
	snprintf(nd->name, IFNAMSIZ, "vif%u.%u", dev->otherend_id, devid);
	nd->netdev_ops = &nb_netdev_ops;
	eth_hw_addr_set(nd, nb_mac);
	SET_NETDEV_DEV(nd, &dev->dev);
	err = register_netdev(nd);
	if (err) {
		free_netdev(nd);
		return err;
	}
	nb->netdev = nd;
	return 0;
}

static int nb_probe(struct xenbus_device *dev, const struct xenbus_device_id *id)
{
	static const char *const keys[] = {
		"feature-rx-copy", "feature-rx-flip", "feature-sg",
	};
	const unsigned int vals[] = { 1, 0, 0 };
	struct nb_rogue *nb;
	int err;

	err = pvrogue_probe(dev, &nb_ops, sizeof(*nb));
	if (err)
		return err;
	nb = to_nb(dev_get_drvdata(&dev->dev));
	INIT_WORK(&nb->work, nb_work);
	nb->core.max_order = 0;
	err = pvsplit_gpool_init(&nb->gpool, dev->otherend_id, 0, 16);
	if (err)
		goto remove;
	nb->gpool_ok = true;
	err = nb_netdev(nb);
	if (err)
		goto remove;
	err = pvrogue_offer(dev, keys, vals, ARRAY_SIZE(keys));
	if (!err)
		return 0;
remove:
	pvrogue_remove(dev);
	return err;
}

static const struct xenbus_device_id nb_ids[] = {
	{ "vif" },
	{ "" }
};

static struct xenbus_driver nb_driver = {
	.name = "pvnetback_rogue",
	.ids = nb_ids,
	.probe = nb_probe,
	.remove = pvrogue_remove,
	.otherend_changed = pvrogue_frontend_changed,
	.driver.dev_groups = nb_groups,
};
module_pvrogue_back_driver(nb_driver);

MODULE_DESCRIPTION("pvsplit tests: hostile netif back end");
MODULE_LICENSE("GPL");
PVSPLIT_IMPORT_NS();
