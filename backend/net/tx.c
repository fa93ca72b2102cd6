// SPDX-License-Identifier: GPL-2.0-only
/*
 * tx.c - pvnet back end: what the guest sends (its TX ring), in NAPI.
 *
 * Each poll copies request slots out of the ring into a private window,
 * judges the chain at its head with pvnet_tx_parse() (the verdicts of the
 * stock back end: drop what a correct front end may send but we will not
 * carry, disable the vif for what no correct front end sends), and for a
 * packet to carry allocates an skb and the grant copies that fill it.  A
 * batch of packets takes one copy hypercall; then each is answered and
 * handed to GRO.  The guest's pages are never mapped: a copy is over when
 * the hypercall returns, so a guest going away leaves nothing behind.
 *
 * The first PVNETBACK_TX_HLEN bytes land in the skb's linear area (the
 * headers: copied, so the guest cannot change them after we looked, and
 * always linear however the guest split them over its slots: XSA-423),
 * the rest in whole pages.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <xen/page.h>

#include "pvnetback.h"

/* Worst case grant copies for one packet (see add_copies()). */
#define TX_OPS_PER_PKT	(PVNET_MAX_DATA + 2u * (MAX_SKB_FRAGS + 2u))

static void tx_answer(struct pvnetback_queue *q, u16 id, s16 status)
{
	pvnet_encode_tx_rsp(pvring_prod_slot(&q->tx.r, 0), id, status);
	pvring_produce(&q->tx.r, 1);
}

/* Answer a whole chain still in the window at @pos: extras NULL. */
static void tx_answer_window(struct pvnetback_queue *q, unsigned int pos,
			     const struct pvnet_tx_pkt *pkt, s16 status)
{
	struct pvnet_tx_req t;
	unsigned int i;

	for (i = 0; i < pkt->nr_slots; i++) {
		/* an extra's id field is garbage, and its answer names none */
		pvnet_decode_tx_req(q->win[pos + i], &t);
		tx_answer(q, t.id, pvnet_tx_rsp_status(pkt, i, status));
	}
}

static void tx_answer_pending(struct pvnetback_queue *q,
			      const struct pvnetback_txp *p, s16 status)
{
	unsigned int i;

	tx_answer(q, p->ids[0], status);
	for (i = 0; i < p->nr_extras; i++)
		tx_answer(q, 0, PVNET_RSP_NULL);
	for (i = 1; i < p->nr_ids; i++)
		tx_answer(q, p->ids[i], status);
}

/* Where byte @at of the packet goes: address and room before a page ends. */
static void *tx_dest(struct sk_buff *skb, unsigned int hl, unsigned int at,
		     unsigned int *room)
{
	unsigned int f, off;
	u8 *addr;

	if (at < hl) {
		addr = skb->data + at;
		*room = min_t(unsigned int, hl - at,
			      XEN_PAGE_SIZE - xen_offset_in_page(addr));
		return addr;
	}
	f = (at - hl) / PAGE_SIZE;
	off = (at - hl) % PAGE_SIZE;
	*room = PAGE_SIZE - off;
	return page_address(skb_frag_page(&skb_shinfo(skb)->frags[f])) + off;
}

/* Queue the copies of @len bytes at @gref/@off to packet bytes @at on. */
static unsigned int add_copies(struct pvnetback_queue *q, unsigned int n,
			       struct sk_buff *skb, unsigned int hl,
			       unsigned int at, u32 gref, unsigned int off,
			       unsigned int len)
{
	struct gnttab_copy *op;
	unsigned int room, chunk;
	void *dst;

	while (len) {
		dst = tx_dest(skb, hl, at, &room);
		chunk = min(len, room);
		op = &q->tx_ops[n++];
		op->source.u.ref = gref;
		op->source.domid = q->be->domid;
		op->source.offset = off;
		op->dest.u.gmfn = virt_to_gfn(dst);
		op->dest.domid = DOMID_SELF;
		op->dest.offset = xen_offset_in_page(dst);
		op->len = chunk;
		op->flags = GNTCOPY_source_gref;
		op->status = GNTST_general_error;
		at += chunk;
		off += chunk;
		len -= chunk;
	}
	return n;
}

/*
 * Set up the skb and the copies for a judged packet.
 * Return: the next free copy slot, or -ENOMEM (nothing left allocated).
 */
static int tx_prepare(struct pvnetback_queue *q, const struct pvnet_tx_pkt *pkt,
		      struct pvnetback_txp *p, unsigned int n)
{
	unsigned int hl = min_t(unsigned int, pkt->len, PVNETBACK_TX_HLEN);
	unsigned int rest = pkt->len - hl, i, at, size;
	struct sk_buff *skb;

	skb = napi_alloc_skb(&q->napi, hl);
	if (!skb)
		return -ENOMEM;
	skb_put(skb, hl);
	for (i = 0; rest; i++) {
		struct page *page = alloc_page(GFP_ATOMIC);

		if (!page) {
			kfree_skb(skb);
			return -ENOMEM;
		}
		size = min_t(unsigned int, rest, PAGE_SIZE);
		skb_add_rx_frag(skb, i, page, 0, size, PAGE_SIZE);
		rest -= size;
	}
	p->skb = skb;
	p->first_op = n;
	p->nr_extras = pkt->nr_extras;
	p->nr_ids = pkt->nr_data;
	n = add_copies(q, n, skb, hl, 0, pkt->slot[0].gref, pkt->slot[0].offset,
		       pkt->first_len);
	at = pkt->first_len;
	p->ids[0] = pkt->slot[0].id;
	for (i = 1; i < pkt->nr_data; i++) {
		const struct pvnet_tx_req *t = &pkt->slot[i];

		p->ids[i] = t->id;
		n = add_copies(q, n, skb, hl, at, t->gref, t->offset, t->size);
		at += t->size;
	}
	p->nr_ops = n - p->first_op;
	/* what the guest said about checksums and segmentation */
	if (pkt->flags & PVNET_TXF_CSUM_BLANK)
		skb->ip_summed = CHECKSUM_PARTIAL;
	else if (pkt->flags & PVNET_TXF_DATA_VALID)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	if (pkt->extras & (1u << PVNET_EXTRA_GSO)) {
		const struct pvnet_extra *g = &pkt->extra[PVNET_EXTRA_GSO];

		skb_shinfo(skb)->gso_size = g->gso_size;
		skb_shinfo(skb)->gso_type = SKB_GSO_DODGY |
			(g->gso_type == PVNET_GSO_TCPV4 ? SKB_GSO_TCPV4 :
							  SKB_GSO_TCPV6);
		skb_shinfo(skb)->gso_segs = 0;
	}
	return n;
}

/* After the copy: hand the packet up, or drop it; answer either way. */
static void tx_finish(struct pvnetback_queue *q, struct pvnetback_txp *p)
{
	struct net_device *dev = q->be->netdev;
	struct sk_buff *skb = p->skb;
	bool recalc = false;
	unsigned int i;

	for (i = 0; i < p->nr_ops; i++)
		if (q->tx_ops[p->first_op + i].status != GNTST_okay)
			goto copy_failed;
	skb->protocol = eth_type_trans(skb, dev);
	/* skb_checksum_setup() parses from the network header */
	skb_reset_network_header(skb);
	pvnetback_hash_rx(q->be, skb);
	if (skb_is_gso(skb) && skb->ip_summed != CHECKSUM_PARTIAL) {
		/* a segmented packet needs its checksums filled in later */
		skb->ip_summed = CHECKSUM_PARTIAL;
		recalc = true;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    skb_checksum_setup(skb, recalc)) {
		q->st.rx_bad++;
		net_warn_ratelimited("%s: guest packet with offloads that do not parse\n",
				     dev->name);
		goto drop;
	}
	q->st.rx_packets++;
	q->st.rx_bytes += skb->len + ETH_HLEN;
	tx_answer_pending(q, p, PVNET_RSP_OKAY);
	napi_gro_receive(&q->napi, skb);
	return;

copy_failed:
	q->st.rx_copy_err++;
	net_warn_ratelimited("%s: guest packet with a bad grant\n", dev->name);
drop:
	q->st.rx_dropped++;
	tx_answer_pending(q, p, PVNET_RSP_ERROR);
	kfree_skb(skb);
}

/**
 * pvnetback_rate_parse() - set the vif's limit from the "rate" key
 * @be: vif, not connected
 * @val: "BYTES,USECS" as libxl writes it, or NULL for no limit
 *
 * A value that does not parse, or names a zero period, means no limit,
 * with a message: the toolstack wrote it, not the guest.
 */
void pvnetback_rate_parse(struct pvnetback *be, const char *val)
{
	struct pvnetback_rate *r = &be->rate;
	unsigned long long bytes = 0;
	unsigned int usecs = 0;

	r->bytes = 0;
	if (!val)
		return;
	if (sscanf(val, "%llu,%u", &bytes, &usecs) != 2 || !bytes || !usecs) {
		netdev_warn(be->netdev, "ignoring rate \"%.32s\"\n", val);
		return;
	}
	r->bytes = bytes;
	r->period_ns = (u64)usecs * NSEC_PER_USEC;
	/* a period's worth, but never less than the largest packet */
	r->burst = max_t(u64, bytes, 2 * 65536);
	r->credit = r->burst;
	r->stamp = ktime_get_ns();
	netdev_info(be->netdev, "rate limit %llu bytes per %u us for the vif\n",
		    bytes, usecs);
}

/* Return: 0 when @len bytes may go now, else nanoseconds until credit. */
static u64 rate_take(struct pvnetback *be, unsigned int len)
{
	struct pvnetback_rate *r = &be->rate;
	u64 now, periods, wait = 0;

	if (!r->bytes)
		return 0;
	spin_lock(&r->lock);
	now = ktime_get_ns();
	if (now - r->stamp >= r->period_ns) {
		periods = div64_u64(now - r->stamp, r->period_ns);
		r->credit = min(r->burst, r->credit + periods * r->bytes);
		r->stamp += periods * r->period_ns;
	}
	if (r->credit >= len)
		r->credit -= len;
	else
		wait = r->stamp + r->period_ns - now;
	spin_unlock(&r->lock);
	return wait;
}

/**
 * pvnetback_rate_timer() - credit is back: serve the TX ring again
 * @t: the queue's timer
 *
 * Return: HRTIMER_NORESTART.
 */
enum hrtimer_restart pvnetback_rate_timer(struct hrtimer *t)
{
	struct pvnetback_queue *q = container_of(t, struct pvnetback_queue,
						 rate_timer);

	napi_schedule(&q->napi);
	return HRTIMER_NORESTART;
}

/* Copy new slots in behind what is left in the window. */
static int tx_refill(struct pvnetback_queue *q)
{
	int n;

	if (q->win_pos == q->win_n) {
		q->win_pos = 0;
		q->win_n = 0;
	} else if (q->win_n - q->win_pos < PVNET_TX_WINDOW && q->win_pos) {
		memmove(q->win[0], q->win[q->win_pos],
			(q->win_n - q->win_pos) * PVNET_TX_SLOT);
		q->win_n -= q->win_pos;
		q->win_pos = 0;
	}
	if (q->win_n == PVNETBACK_TX_WIN)
		return 0;
	n = pvring_consume_batch(&q->tx.r, q->win[q->win_n], PVNET_TX_SLOT,
				 PVNET_TX_SLOT, PVNETBACK_TX_WIN - q->win_n);
	if (n > 0) {
		q->win_n += n;
		pvstats_batch(&q->tx.stats, n);
	}
	return n;
}

/*
 * Judge, copy and deliver up to @max chains.
 * Return: chains taken (0 when the ring is empty), or -EPROTO; *@wait is
 * set to the nanoseconds until the rate limit lets the next one go.
 */
static int tx_batch(struct pvnetback_queue *q, unsigned int max, u64 *wait)
{
	struct pvnetback *be = q->be;
	struct pvnet_tx_pkt pkt;
	unsigned int done = 0, nr = 0, ops = 0, avail, i;
	int len, n;

	while (done < max && nr < PVNETBACK_TX_BATCH &&
	       ops + TX_OPS_PER_PKT <= PVNETBACK_TX_OPS) {
		if (tx_refill(q) < 0) {
			pvnetback_broken(q, "request index beyond the ring");
			goto dead;
		}
		avail = q->win_n - q->win_pos;
		if (!avail)
			break;
		len = pvnet_tx_parse(q->win[q->win_pos],
				     min(avail, PVNET_TX_WINDOW), &be->tx_lim,
				     &pkt);
		if (len == -EAGAIN) {
			/* the window held all there was: a torn packet */
			pvnetback_broken(q, "packet runs past the published requests");
			goto dead;
		}
		switch (pkt.verdict) {
		case PVNET_TX_FATAL:
			pvnetback_broken(q, pkt.why);
			goto dead;
		case PVNET_TX_DROP:
			q->st.rx_bad++;
			q->st.rx_dropped++;
			net_warn_ratelimited("%s: dropped a guest packet: %s\n",
					     be->netdev->name, pkt.why);
			tx_answer_window(q, q->win_pos, &pkt, PVNET_RSP_ERROR);
			break;
		case PVNET_TX_MCAST:
			q->st.mcast_updates++;
			tx_answer_window(q, q->win_pos, &pkt,
					 pvnetback_mcast_update(be, &pkt));
			break;
		case PVNET_TX_OK:
			*wait = rate_take(be, pkt.len);
			if (*wait) {
				/* the chain stays in the window for later */
				q->st.rate_waits++;
				goto flush;
			}
			n = tx_prepare(q, &pkt, &q->tx_pend[nr], ops);
			if (n < 0) {
				q->st.rx_dropped++;
				tx_answer_window(q, q->win_pos, &pkt,
						 PVNET_RSP_DROPPED);
				break;
			}
			ops = n;
			nr++;
			break;
		}
		q->win_pos += len;
		done++;
	}
flush:
	if (ops) {
		/* statuses are checked per packet */
		pvsplit_grant_copy(q->tx_ops, ops);
		q->st.copy_calls++;
		q->st.copy_ops += ops;
	}
	for (i = 0; i < nr; i++)
		tx_finish(q, &q->tx_pend[i]);
	if (done)
		pvsplit_ring_push(&q->tx, &q->tx_chan->ev);
	return done;

dead:
	/* the ring is dead: nothing is answered, nothing copied */
	for (i = 0; i < nr; i++)
		kfree_skb(q->tx_pend[i].skb);
	return -EPROTO;
}

/**
 * pvnetback_poll() - NAPI poll of a queue's TX ring
 * @napi: the queue's
 * @budget: most packets
 *
 * Return: packets taken.
 */
int pvnetback_poll(struct napi_struct *napi, int budget)
{
	struct pvnetback_queue *q = container_of(napi, struct pvnetback_queue,
						 napi);
	u64 wait = 0;
	int done = 0, n;

	q->st.polls++;
	while (!READ_ONCE(q->dead) && done < budget && !wait) {
		n = tx_batch(q, budget - done, &wait);
		if (n <= 0)
			break;
		done += n;
	}
	if (done)
		WRITE_ONCE(q->tx_chan->busy, true);
	if (done >= budget)
		return budget;
	if (wait) {
		/* the timer polls again; the event stays masked till then */
		if (napi_complete_done(napi, done))
			hrtimer_start(&q->rate_timer, ns_to_ktime(wait),
				      HRTIMER_MODE_REL);
		return done;
	}
	if (napi_complete_done(napi, done)) {
		/* ask for an event, and look once more before sleeping */
		if (!READ_ONCE(q->dead) && q->win_pos == q->win_n &&
		    pvring_final_check(&q->tx.r))
			napi_schedule(napi);
		else
			pvnetback_chan_done(q, q->tx_chan, PVNETBACK_EOI_TX);
	}
	return done;
}
