// SPDX-License-Identifier: GPL-2.0-only
/*
 * tx.c - pvnet front end: sending.
 *
 * A packet is copied into the pool pages of the TX ids it takes, packed
 * from offset 0 (the first slot carries the first 4 KiB and the headers
 * whole), and the skb is freed at once: completion only gives ids back.
 * A response is taken only for an id in flight; anything else disables
 * the device.  Requests are published once per burst the stack hands
 * over (netdev_xmit_more()), so a burst costs the back end one event.
 *
 * Answers free nothing but ids (the skb went at once), so they are taken
 * lazily: by NAPI when it runs anyway, and by xmit once fewer than half
 * the ids are free.  An event for them is asked for only while the queue
 * is stopped, so a stream costs the back end no notification and the
 * guest no interrupt per packet sent.
 */
#include <linux/netdevice.h>

#include "pvnetfront.h"

/* Ids and ring slots the largest packet needs: keep room for one. */
#define TX_ROOM		(PVNET_MAX_DATA + 1u)

/* Fewer free ids than this: take the answers there are before sending. */
#define TX_REAP_BELOW	(PVNETFRONT_RING_SLOTS / 2)

static bool tx_has_room(const struct pvnetfront_queue *q, unsigned int ids,
			unsigned int slots)
{
	return q->tx_nr_free >= ids && pvring_free(&q->tx.r) >= slots;
}

/*
 * Take the back end's answers, give their ids back; tx_lock held.
 * Return: responses taken, or -EPROTO (the device is being disabled).
 */
static int tx_reap(struct pvnetfront_queue *q)
{
	u8 raw[32][PVNET_TX_RSP_SIZE];
	struct pvnet_tx_rsp r;
	int n, i, total = 0;

	for (;;) {
		n = pvring_consume_batch(&q->tx.r, raw, sizeof(raw[0]),
					 PVNET_TX_RSP_SIZE, ARRAY_SIZE(raw));
		if (n < 0) {
			pvnetfront_broken(q, "TX response index beyond our requests");
			return -EPROTO;
		}
		if (!n)
			return total;
		for (i = 0; i < n; i++) {
			pvnet_decode_tx_rsp(raw[i], &r);
			if (pvnet_check_tx_rsp(&r, PVNETFRONT_RING_SLOTS)) {
				pvnetfront_broken(q, "TX response with a bad id or status");
				return -EPROTO;
			}
			if (r.status == PVNET_RSP_NULL)
				continue;
			if (!__test_and_clear_bit(r.id, q->tx_busy)) {
				pvnetfront_broken(q, "TX response for a request not in flight");
				return -EPROTO;
			}
			q->tx_free[q->tx_nr_free++] = r.id;
			if (r.status != PVNET_RSP_OKAY)
				q->st.tx_errors++;
		}
		total += n;
	}
}

/*
 * Stop the queue for lack of room: only now is an event wanted for the
 * back end's next answer (it restarts us), and answers that came before
 * the event was asked for are taken here.  The event index must be past
 * every answer taken, or the back end, having published beyond it, never
 * notifies again and the queue stays stopped until RX traffic runs NAPI:
 * so after taking answers, ask again.  Bounded: each round takes at least
 * one answer, and there are no more than requests in flight.  tx_lock
 * held.
 */
static void tx_stop(struct pvnetfront_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->np->netdev, q->index);

	netif_tx_stop_queue(txq);
	while (pvring_arm(&q->tx.r, 1) > 0 && tx_reap(q) > 0) {
		if (tx_has_room(q, TX_ROOM, TX_ROOM)) {
			netif_tx_start_queue(txq);
			return;
		}
	}
}

/**
 * pvnetfront_start_xmit() - send a packet
 * @skb: the packet
 * @dev: our net_device
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY when the queue is full.
 */
netdev_tx_t pvnetfront_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct pvnetfront *np = netdev_priv(dev);
	u16 qi = skb_get_queue_mapping(skb);
	unsigned int len = skb->len, nr_data, i, at = 0;
	bool gso = skb_is_gso(skb);
	struct pvnetfront_queue *q;
	struct pvnet_tx_req t;
	unsigned long flags;

	if (unlikely(qi >= READ_ONCE(np->nr_queues) || !netif_carrier_ok(dev)))
		goto drop;
	q = &np->queues[qi];
	if (unlikely(len < ETH_HLEN || len > U16_MAX))
		goto drop_push;
	if (gso && !(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)))
		goto drop_push;
	nr_data = DIV_ROUND_UP(len, XEN_PAGE_SIZE);
	if (nr_data > (np->be.sg ? PVNET_MAX_DATA : 1u))
		goto drop_push;

	spin_lock_irqsave(&q->tx_lock, flags);
	if (q->tx_nr_free < TX_REAP_BELOW)
		tx_reap(q);
	if (!tx_has_room(q, nr_data, nr_data + gso)) {
		tx_stop(q);
		q->st.tx_busy++;
		/* what earlier calls left unpublished must reach the back end */
		pvsplit_ring_push(&q->tx, &q->ev_tx);
		spin_unlock_irqrestore(&q->tx_lock, flags);
		return NETDEV_TX_BUSY;
	}
	for (i = 0; i < nr_data; i++) {
		unsigned int chunk = min(len - at, XEN_PAGE_SIZE);
		u16 id = q->tx_free[--q->tx_nr_free];

		__set_bit(id, q->tx_busy);
		skb_copy_bits(skb, at, page_address(q->tx_page[id]), chunk);
		t.gref = q->tx_ref[id];
		t.offset = 0;
		t.id = id;
		/* the first slot's size is the whole packet's */
		t.size = i ? chunk : len;
		t.flags = i + 1 < nr_data ? PVNET_TXF_MORE_DATA : 0;
		if (!i && skb->ip_summed == CHECKSUM_PARTIAL)
			t.flags |= PVNET_TXF_CSUM_BLANK | PVNET_TXF_DATA_VALID;
		else if (!i && skb->ip_summed == CHECKSUM_UNNECESSARY)
			t.flags |= PVNET_TXF_DATA_VALID;
		if (!i && gso)
			t.flags |= PVNET_TXF_EXTRA_INFO;
		pvnet_encode_tx_req(pvring_prod_slot(&q->tx.r, 0), &t);
		pvring_produce(&q->tx.r, 1);
		if (!i && gso) {
			struct pvnet_extra e = {
				.type = PVNET_EXTRA_GSO,
				.gso_size = skb_shinfo(skb)->gso_size,
				.gso_type = skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6 ?
					    PVNET_GSO_TCPV6 : PVNET_GSO_TCPV4,
			};

			pvnet_encode_extra(pvring_prod_slot(&q->tx.r, 0), &e);
			pvring_produce(&q->tx.r, 1);
		}
		at += chunk;
	}
	q->st.tx_packets++;
	q->st.tx_bytes += len;
	if (!tx_has_room(q, TX_ROOM, TX_ROOM))
		tx_stop(q);
	/* one publish (and at most one event) for a burst the stack batches */
	if (!netdev_xmit_more() ||
	    netif_xmit_stopped(netdev_get_tx_queue(dev, qi)))
		pvsplit_ring_push(&q->tx, &q->ev_tx);
	spin_unlock_irqrestore(&q->tx_lock, flags);
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;

drop_push:
	/* the last of a burst may be the one dropped */
	spin_lock_irqsave(&q->tx_lock, flags);
	pvsplit_ring_push(&q->tx, &q->ev_tx);
	spin_unlock_irqrestore(&q->tx_lock, flags);
drop:
	dev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/**
 * pvnetfront_tx_done() - take TX responses, restart a stopped queue
 * @q: queue
 *
 * Return: responses taken, or -EPROTO (the device is being disabled).
 */
int pvnetfront_tx_done(struct pvnetfront_queue *q)
{
	struct netdev_queue *txq = netdev_get_tx_queue(q->np->netdev, q->index);
	unsigned long flags;
	int n;

	spin_lock_irqsave(&q->tx_lock, flags);
	n = tx_reap(q);
	if (n >= 0 && netif_tx_queue_stopped(txq) && tx_has_room(q, TX_ROOM, TX_ROOM))
		netif_tx_wake_queue(txq);
	spin_unlock_irqrestore(&q->tx_lock, flags);
	return n;
}
