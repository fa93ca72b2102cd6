// SPDX-License-Identifier: GPL-2.0-only
/*
 * rx.c - pvnet back end: what the guest receives (its RX ring).
 *
 * dom0's stack hands packets for the guest to pvnetback_start_xmit(), which
 * queues them on their queue, at most rx_queue_kb per queue: past that the
 * netdev queue is stopped, past twice that packets are dropped, so a guest
 * that stops reading its ring costs dom0 a bounded amount of memory
 * (XSA-392).  One thread per queue takes queued packets while the guest
 * has posted enough pages for the next one, grant-copies them in (a batch
 * of packets per hypercall, packed into whole pages from offset 0) and
 * answers in the slots of the requests it took, the way Linux front ends
 * read them: the first data slot, the GSO extra when there is one, the
 * other data slots.  A pass of the thread takes at most PVNETBACK_RX_PASS
 * batches: a guest that re-posts every buffer the moment it is answered,
 * while dom0 has packets for it, would otherwise keep the thread in its
 * loop, with no late EOI, no look at the stall clock and no way out for
 * kthread_stop() but the vif's end (counted in tx_yields).
 *
 * A front end that asked for multicast control gets only the multicast
 * frames it subscribed to (MCAST_ADD / MCAST_DEL extras on its TX ring),
 * broadcast always.
 *
 * A guest that leaves packets waiting for stall_ms without posting a
 * buffer has its queue purged and the vif's carrier turned off (dom0's
 * bridge stops sending it anything), until it posts buffers again.
 */
#include <linux/etherdevice.h>
#include <linux/kthread.h>
#include <linux/netdevice.h>
#include <xen/page.h>

#include "pvnetback.h"

/*
 * Most grant copies one packet takes: each ends at a source page boundary
 * (at most len / 4 KiB + one per piece), a guest page boundary (len / 4
 * KiB) or the end of a piece (the head and MAX_SKB_FRAGS frags).
 */
#define RX_OPS_PER_PKT	(2u * PVNETBACK_RX_SLOTS + 2u * (MAX_SKB_FRAGS + 1u))

static unsigned int rx_limit(void)
{
	return READ_ONCE(pvnetback_rx_queue_kb) * 1024u;
}

/* Requests @skb takes: a page per 4 KiB, one more for a GSO extra. */
static unsigned int rx_slots(const struct sk_buff *skb)
{
	return DIV_ROUND_UP(skb->len, XEN_PAGE_SIZE) + (skb_is_gso(skb) ? 1 : 0);
}

/* Can the front end take @skb at all, as it negotiated? */
static bool rx_fits(const struct pvnetback *be, const struct sk_buff *skb)
{
	unsigned int gso = skb_is_gso(skb) ? skb_shinfo(skb)->gso_type : 0;

	if (rx_slots(skb) > (be->fe.sg ? PVNETBACK_RX_SLOTS : 1u))
		return false;
	if (!gso)
		return true;
	if (gso & ~(SKB_GSO_TCPV4 | SKB_GSO_TCPV6 | SKB_GSO_DODGY |
		    SKB_GSO_TCP_ECN))
		return false;
	return gso & SKB_GSO_TCPV4 ? be->fe.gso_v4 : be->fe.gso_v6;
}

/**
 * pvnetback_mcast_reset() - empty the multicast filter, and turn it on or off
 * @be: vif, not connected
 * @on: the front end asked for filtering
 */
void pvnetback_mcast_reset(struct pvnetback *be, bool on)
{
	spin_lock_bh(&be->mcast.lock);
	be->mcast.n = 0;
	be->mcast.overflow = false;
	WRITE_ONCE(be->mcast.on, on);
	spin_unlock_bh(&be->mcast.lock);
}

/* Index of @addr in the filter, or -1. */
static int mcast_find(const struct pvnetback_mcast *m, const u8 *addr)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (ether_addr_equal(m->addr[i], addr))
			return i;
	return -1;
}

/**
 * pvnetback_mcast_update() - a filter update the guest sent on its TX ring
 * @be: vif
 * @pkt: the judged chain (verdict PVNET_TX_MCAST)
 *
 * An add beyond PVNETBACK_MCAST_MAX is refused and opens the filter (every
 * multicast frame passes) until the guest has removed every address, so a
 * guest that subscribes to more never loses a frame it wants.
 *
 * Return: the status to answer the request with.
 */
s16 pvnetback_mcast_update(struct pvnetback *be, const struct pvnet_tx_pkt *pkt)
{
	struct pvnetback_mcast *m = &be->mcast;
	s16 status = PVNET_RSP_OKAY;
	const u8 *addr;
	int i;

	spin_lock_bh(&m->lock);
	if (pkt->extras & (1u << PVNET_EXTRA_MCAST_DEL)) {
		addr = pkt->extra[PVNET_EXTRA_MCAST_DEL].addr;
		i = mcast_find(m, addr);
		if (i >= 0)
			memcpy(m->addr[i], m->addr[--m->n], ETH_ALEN);
		if (!m->n)
			m->overflow = false;
	}
	if (pkt->extras & (1u << PVNET_EXTRA_MCAST_ADD)) {
		addr = pkt->extra[PVNET_EXTRA_MCAST_ADD].addr;
		if (!is_multicast_ether_addr(addr)) {
			status = PVNET_RSP_ERROR;
		} else if (mcast_find(m, addr) < 0) {
			if (m->n < PVNETBACK_MCAST_MAX) {
				ether_addr_copy(m->addr[m->n++], addr);
			} else {
				m->overflow = true;
				status = PVNET_RSP_ERROR;
			}
		}
	}
	spin_unlock_bh(&m->lock);
	return status;
}

/* Does the guest want this frame?  Only multicast ones may be filtered. */
static bool mcast_wanted(struct pvnetback *be, const struct sk_buff *skb)
{
	struct pvnetback_mcast *m = &be->mcast;
	const u8 *dest = ((const struct ethhdr *)skb->data)->h_dest;
	bool want;

	if (!READ_ONCE(m->on) || !is_multicast_ether_addr(dest) ||
	    is_broadcast_ether_addr(dest))
		return true;
	spin_lock_bh(&m->lock);
	want = m->overflow || mcast_find(m, dest) >= 0;
	spin_unlock_bh(&m->lock);
	return want;
}

/**
 * pvnetback_start_xmit() - queue a packet for the guest
 * @skb: the packet
 * @dev: the vif
 *
 * Return: NETDEV_TX_OK (a packet that cannot be queued is dropped).
 */
netdev_tx_t pvnetback_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pvnetback *be = netdev_priv(dev);
	u16 qi = skb_get_queue_mapping(skb);
	struct pvnetback_queue *q;
	unsigned int limit = rx_limit();

	if (unlikely(qi >= READ_ONCE(be->nr_queues) || !netif_carrier_ok(dev)))
		goto drop;
	q = &be->queues[qi];
	if (unlikely(READ_ONCE(q->dead) || !rx_fits(be, skb)))
		goto drop;
	if (!mcast_wanted(be, skb)) {
		/* xmit runs under this queue's lock: one writer */
		q->st.tx_mcast_filtered++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (unlikely(atomic_read(&q->rx_queued) >= 2 * limit))
		goto drop;
	/* the qdisc is done with cb: ours until the packet is freed */
	*(u64 *)skb->cb = ktime_get_ns();
	skb_queue_tail(&q->rx_queue, skb);
	if (atomic_add_return(skb->len, &q->rx_queued) >= limit) {
		netif_tx_stop_queue(netdev_get_tx_queue(dev, qi));
		q->st.tx_stopped++;
		/* the thread may have drained all before we stopped */
		smp_mb__after_atomic();
		if (atomic_read(&q->rx_queued) < limit / 2)
			netif_tx_wake_queue(netdev_get_tx_queue(dev, qi));
	}
	wake_up(&q->wq);
	return NETDEV_TX_OK;

drop:
	atomic_long_inc(&be->xmit_dropped);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* Queue the copies of [addr, addr + len) to request page @ref, @at on. */
static unsigned int rx_copies(struct pvnetback_queue *q, unsigned int n,
			      const u8 *addr, unsigned int len, grant_ref_t ref,
			      unsigned int at)
{
	struct gnttab_copy *op;
	unsigned int chunk;

	while (len) {
		chunk = min3(len, XEN_PAGE_SIZE - xen_offset_in_page(addr),
			     XEN_PAGE_SIZE - at);
		op = &q->rx_ops[n++];
		op->source.u.gmfn = virt_to_gfn(addr);
		op->source.domid = DOMID_SELF;
		op->source.offset = xen_offset_in_page(addr);
		op->dest.u.ref = ref;
		op->dest.domid = q->be->domid;
		op->dest.offset = at;
		op->len = chunk;
		op->flags = GNTCOPY_dest_gref;
		op->status = GNTST_general_error;
		addr += chunk;
		len -= chunk;
		at += chunk;
	}
	return n;
}

/* The data slot (request index) that byte @at of the packet lands in. */
static unsigned int rx_data_slot(const struct pvnetback_rxp *p, unsigned int at)
{
	unsigned int page = at / XEN_PAGE_SIZE;

	/* with GSO, request 1 carries the extra */
	return page + (page && skb_is_gso(p->skb) ? 1 : 0);
}

/* Copies of one piece of the packet, split at the guest's pages. */
static unsigned int rx_piece(struct pvnetback_queue *q, struct pvnetback_rxp *p,
			     unsigned int n, const u8 *addr, unsigned int len,
			     unsigned int *at)
{
	unsigned int chunk, slot;

	while (len) {
		slot = rx_data_slot(p, *at);
		chunk = min(len, XEN_PAGE_SIZE - *at % XEN_PAGE_SIZE);
		n = rx_copies(q, n, addr, chunk, p->req[slot].gref,
			      *at % XEN_PAGE_SIZE);
		addr += chunk;
		len -= chunk;
		*at += chunk;
	}
	return n;
}

static unsigned int rx_prepare(struct pvnetback_queue *q, struct pvnetback_rxp *p,
			       unsigned int n)
{
	struct skb_shared_info *sh = skb_shinfo(p->skb);
	unsigned int i, at = 0;

	p->first_op = n;
	n = rx_piece(q, p, n, p->skb->data, skb_headlen(p->skb), &at);
	for (i = 0; i < sh->nr_frags; i++) {
		const skb_frag_t *f = &sh->frags[i];

		n = rx_piece(q, p, n, skb_frag_address(f), skb_frag_size(f), &at);
	}
	p->nr_ops = n - p->first_op;
	return n;
}

static void rx_answer(struct pvnetback_queue *q, const struct pvnetback_rxp *p,
		      bool ok)
{
	struct sk_buff *skb = p->skb;
	unsigned int len = skb->len, i, data = 0, chunk;
	struct pvnet_rx_rsp rsp;
	u16 csum = 0;

	if (skb->ip_summed == CHECKSUM_PARTIAL)
		csum = PVNET_RXF_CSUM_BLANK | PVNET_RXF_DATA_VALID;
	else if (skb->ip_summed == CHECKSUM_UNNECESSARY)
		csum = PVNET_RXF_DATA_VALID;
	for (i = 0; i < p->nr_slots; i++) {
		void *slot = pvring_prod_slot(&q->rx.r, 0);

		if (i == 1 && skb_is_gso(skb)) {
			struct pvnet_extra e = {
				.type = PVNET_EXTRA_GSO,
				.gso_size = skb_shinfo(skb)->gso_size,
				.gso_type = skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6 ?
					    PVNET_GSO_TCPV6 : PVNET_GSO_TCPV4,
			};

			pvnet_encode_extra(slot, &e);
			pvring_produce(&q->rx.r, 1);
			continue;
		}
		chunk = min_t(unsigned int, len - data, XEN_PAGE_SIZE);
		data += chunk;
		rsp.id = p->req[i].id;
		rsp.offset = 0;
		rsp.status = ok ? chunk : PVNET_RSP_ERROR;
		/* more data slots follow only while bytes remain */
		rsp.flags = data < len ? PVNET_RXF_MORE_DATA : 0;
		if (i == 0) {
			rsp.flags |= csum;
			if (skb_is_gso(skb))
				rsp.flags |= PVNET_RXF_EXTRA_INFO;
		}
		pvnet_encode_rx_rsp(slot, &rsp);
		pvring_produce(&q->rx.r, 1);
	}
}

/*
 * Take queued packets while the guest has room for them, copy, answer.
 * Return: packets taken (0: none, or no room), or -EPROTO.
 */
static int rx_batch(struct pvnetback_queue *q, struct pvnetback_rxp *batch)
{
	struct net_device *dev = q->be->netdev;
	unsigned int nr = 0, ops = 0, need, i, j;
	bool ok, broken = false;
	struct sk_buff *skb;
	int avail, n;
	u64 now;

	while (nr < PVNETBACK_RX_BATCH &&
	       ops + RX_OPS_PER_PKT <= PVNETBACK_RX_OPS &&
	       (skb = skb_peek(&q->rx_queue))) {
		need = rx_slots(skb);
		avail = pvring_avail(&q->rx.r);
		if (avail >= 0 && avail < need)
			/* notify us once the guest has posted enough */
			avail = pvring_arm(&q->rx.r, need);
		if (avail < 0) {
			/* answer nothing more; the packets taken are freed */
			broken = true;
			break;
		}
		if (avail < need)
			break;
		skb = skb_dequeue(&q->rx_queue);
		atomic_sub(skb->len, &q->rx_queued);
		batch[nr].skb = skb;
		batch[nr].nr_slots = need;
		n = pvring_consume_batch(&q->rx.r, batch[nr].req, sizeof(batch[nr].req[0]),
					 PVNET_RX_SLOT, need);
		if (n != (int)need) {
			/* cannot happen: need slots were available */
			kfree_skb(skb);
			broken = true;
			break;
		}
		for (j = 0; j < need; j++) {
			/* decode the copies in place: id and gref */
			u8 raw[PVNET_RX_SLOT];

			memcpy(raw, &batch[nr].req[j], sizeof(raw));
			pvnet_decode_rx_req(raw, &batch[nr].req[j]);
		}
		ops = rx_prepare(q, &batch[nr], ops);
		nr++;
	}
	if (ops) {
		pvsplit_grant_copy(q->rx_ops, ops);
		q->st.copy_calls++;
		q->st.copy_ops += ops;
	}
	now = ktime_get_ns();
	for (i = 0; i < nr; i++) {
		struct pvnetback_rxp *p = &batch[i];

		pvhist_add(&q->rx_wait, now - *(u64 *)p->skb->cb);

		if (broken) {
			kfree_skb(p->skb);
			continue;
		}
		ok = true;
		for (j = 0; j < p->nr_ops; j++)
			if (q->rx_ops[p->first_op + j].status != GNTST_okay)
				ok = false;
		rx_answer(q, p, ok);
		if (ok) {
			q->st.tx_packets++;
			q->st.tx_bytes += p->skb->len;
			consume_skb(p->skb);
		} else {
			q->st.tx_dropped++;
			net_warn_ratelimited("%s: guest posted a bad grant for receive\n",
					     dev->name);
			kfree_skb(p->skb);
		}
	}
	if (broken)
		return -EPROTO;
	if (nr)
		pvsplit_ring_push(&q->rx, &q->rx_chan->ev);
	if (READ_ONCE(q->be->nr_queues) &&
	    netif_tx_queue_stopped(netdev_get_tx_queue(dev, q->index)) &&
	    atomic_read(&q->rx_queued) < rx_limit() / 2)
		netif_tx_wake_queue(netdev_get_tx_queue(dev, q->index));
	return nr;
}

static bool rx_work(struct pvnetback_queue *q)
{
	struct sk_buff *skb;
	unsigned int need;
	int avail;

	if (atomic_read(&q->rx_kick) || kthread_should_stop())
		return true;
	if (READ_ONCE(q->dead))
		return false;
	skb = skb_peek(&q->rx_queue);
	if (!skb)
		return false;
	/*
	 * A packet came while we slept with no timeout: go round once to
	 * sleep again with one, or the stall deadline is never looked at
	 * when the guest's ring stays full and nothing else arrives.
	 */
	if (!q->rx_timed)
		return true;
	need = rx_slots(skb);
	/*
	 * pvring_avail() may answer from an old look at the ring: read the
	 * producer again and ask for an event at @need before sleeping on
	 * it.  (Without this, with split channels nothing else woke us: the
	 * guest had posted a whole ring and had no event index to cross.)
	 */
	avail = pvring_avail(&q->rx.r);
	if (avail >= 0 && avail < (int)need)
		avail = pvring_arm(&q->rx.r, need);
	return avail < 0 || avail >= (int)need;
}

/*
 * Has the guest stopped reading, or started again (it took a packet, or
 * posted a buffer since we stalled it: @kicked)?  Thread only.
 */
static void rx_stall_check(struct pvnetback_queue *q, bool took, bool kicked)
{
	struct pvnetback *be = q->be;
	unsigned long stall = msecs_to_jiffies(READ_ONCE(pvnetback_stall_ms));
	struct sk_buff *skb;
	unsigned int n = 0;
	int avail;

	if (took || skb_queue_empty(&q->rx_queue))
		q->rx_progress = jiffies;
	if (q->stalled) {
		if (!took && !kicked)
			return;
		q->stalled = false;
		atomic_dec(&be->stalled);
		netdev_info(be->netdev, "queue %u: guest reads again\n", q->index);
		pvnetback_carrier_update(be);
		return;
	}
	if (!stall || !time_after(jiffies, q->rx_progress + stall))
		return;
	q->stalled = true;
	q->st.tx_stalls++;
	while ((skb = skb_dequeue(&q->rx_queue))) {
		atomic_sub(skb->len, &q->rx_queued);
		kfree_skb(skb);
		n++;
	}
	q->st.tx_dropped += n;
	atomic_inc(&be->stalled);
	/* an event as soon as the guest posts one more buffer than now */
	avail = pvring_refresh(&q->rx.r);
	if (avail >= 0)
		pvring_arm(&q->rx.r, avail + 1);
	netdev_info(be->netdev, "queue %u: guest took no packet for %u ms, %u dropped; carrier off\n",
		    q->index, jiffies_to_msecs(stall), n);
	pvnetback_carrier_update(be);
	if (READ_ONCE(be->nr_queues))
		netif_tx_wake_queue(netdev_get_tx_queue(be->netdev, q->index));
}

/**
 * pvnetback_rx_thread() - a queue's RX worker
 * @data: the queue
 *
 * Return: 0.
 */
int pvnetback_rx_thread(void *data)
{
	struct pvnetback_queue *q = data;
	bool took, kicked, more = false;
	unsigned int batches;
	int n;

	while (!kthread_should_stop()) {
		/* with packets waiting, look at the clock now and then */
		q->rx_timed = !skb_queue_empty(&q->rx_queue);
		if (!more)
			wait_event_interruptible_timeout(q->wq, rx_work(q),
							 q->rx_timed ? HZ / 4 :
							 MAX_SCHEDULE_TIMEOUT);
		if (kthread_should_stop())
			break;
		kicked = atomic_xchg(&q->rx_kick, 0);
		took = false;
		more = false;
		for (batches = 0; !READ_ONCE(q->dead); ) {
			n = rx_batch(q, q->rx_pend);
			if (n < 0) {
				pvnetback_broken(q, "receive ring index beyond the ring");
				break;
			}
			if (!n)
				break;
			took = true;
			WRITE_ONCE(q->rx_chan->busy, true);
			if (++batches >= PVNETBACK_RX_PASS) {
				/* the stall check, the EOI and kthread_stop() */
				more = true;
				q->st.tx_yields++;
				break;
			}
			cond_resched();
		}
		if (!READ_ONCE(q->dead))
			rx_stall_check(q, took, kicked);
		/* the guest's event asked us to look; we have looked */
		pvnetback_chan_done(q, q->rx_chan, PVNETBACK_EOI_RX);
		if (more)
			cond_resched();
	}
	return 0;
}
