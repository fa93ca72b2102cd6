// SPDX-License-Identifier: GPL-2.0-only
/*
 * rx.c - pvnet front end: receiving, and the NAPI poll of a queue.
 *
 * Every RX slot has its pool page, posted again once the response in that
 * slot has been copied out.  A packet is a chain of responses (the first
 * data slot, its extras, the other data slots, as netif defines it); the
 * chain is copied out of the ring whole before any of it is used, each
 * response checked (its id must be its slot's, its data inside the page),
 * and the data copied into a new skb: a few hundred bytes into its head,
 * the rest packed into pages of the queue's page pool, which come back to
 * it when the stack frees the skb.  From a trusted back end the rest is
 * not copied: the slot's page itself goes into the skb and a fresh page
 * is granted in its place (rx_take_page()).  A back end that breaks these
 * rules has the device disabled; one that marks a packet bad has that
 * packet dropped.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>

#include "pvnetfront.h"

/**
 * pvnetfront_rx_post() - post every free RX slot's page
 * @q: queue
 */
void pvnetfront_rx_post(struct pvnetfront_queue *q)
{
	struct pvring *r = &q->rx.r;
	unsigned int n = pvring_free(r), i;
	struct pvnet_rx_req req;

	for (i = 0; i < n; i++) {
		req.id = (r->prod_pvt + i) & (PVNETFRONT_RING_SLOTS - 1);
		req.gref = q->rx_ref[req.id];
		pvnet_encode_rx_req(pvring_prod_slot(r, i), &req);
	}
	pvring_produce(r, n);
	pvsplit_ring_push(&q->rx, q->split ? &q->ev_rx : &q->ev_tx);
}

/**
 * struct rx_chain - one packet's responses, copied out
 * @n: slots of the chain
 * @rsp: data responses (decoded), in order
 * @pos: where each data response sits in the chain
 * @nr_data: entries in @rsp
 * @gso: the GSO extra, when there is one
 * @has_gso: there is one
 * @len: bytes of data
 * @bad: the back end marked it bad (status < 0): drop it
 */
struct rx_chain {
	unsigned int n;
	struct pvnet_rx_rsp rsp[PVNETFRONT_MAX_RX_SLOTS];
	u8 pos[PVNETFRONT_MAX_RX_SLOTS];
	unsigned int nr_data;
	struct pvnet_extra gso;
	bool has_gso;
	unsigned int len;
	bool bad;
};

/*
 * Copy out and check the chain at the ring's head.
 * Return: 0 with @c filled, -EAGAIN when it is not all published yet
 * (*@need says how many slots it takes at least), or -EPROTO.
 */
static int rx_chain(struct pvnetfront_queue *q, struct rx_chain *c,
		    unsigned int *need)
{
	struct pvring *r = &q->rx.r;
	u8 raw[PVNET_RX_SLOT];
	struct pvnet_extra e;
	struct pvnet_rx_rsp rsp;
	bool more = true, extra = false;
	int avail = pvring_avail(r), st;

	memset(c, 0, sizeof(*c));
	if (avail < 0)
		return -EPROTO;
	while (more || extra) {
		if (c->n >= PVNETFRONT_MAX_RX_SLOTS)
			return -EPROTO;
		if ((int)c->n >= avail) {
			*need = c->n + 1;
			return -EAGAIN;
		}
		memcpy(raw, pvring_slot(r, r->cons + c->n), sizeof(raw));
		if (extra) {
			pvnet_decode_extra(raw, &e);
			if (pvnet_check_rx_extra(&e))
				return -EPROTO;
			if (e.type == PVNET_EXTRA_GSO) {
				c->gso = e;
				c->has_gso = true;
			}
			extra = e.flags & PVNET_EXTRA_FLAG_MORE;
			c->n++;
			continue;
		}
		pvnet_decode_rx_rsp(raw, &rsp);
		/* answers sit in their request's slot, with its id */
		if (rsp.id != ((r->cons + c->n) & (PVNETFRONT_RING_SLOTS - 1)))
			return -EPROTO;
		st = pvnet_check_rx_rsp(&rsp, PVNETFRONT_RING_SLOTS, 0);
		if (st == -EINVAL)
			return -EPROTO;
		if (st < 0) {
			c->bad = true;
			rsp.status = 0;
		}
		c->pos[c->nr_data] = c->n;
		c->rsp[c->nr_data++] = rsp;
		c->len += rsp.status;
		/* extras follow the first data slot only */
		extra = c->nr_data == 1 && (rsp.flags & PVNET_RXF_EXTRA_INFO);
		more = rsp.flags & PVNET_RXF_MORE_DATA;
		c->n++;
	}
	return 0;
}

/*
 * Room in the skb's last page frag, or a new empty one from the queue's
 * page pool at its end.  Return: false when no page can be had.
 */
static bool rx_room(struct pvnetfront_queue *q, struct sk_buff *skb,
		    struct page **page, unsigned int *in_page, unsigned int *f)
{
	if (*page && *in_page < PAGE_SIZE)
		return true;
	if (*f >= MAX_SKB_FRAGS)
		return false;
	*page = page_pool_dev_alloc_pages(q->pool);
	if (!*page)
		return false;
	skb_add_rx_frag(skb, (*f)++, *page, 0, 0, PAGE_SIZE);
	*in_page = 0;
	return true;
}

/*
 * Trusted back end: pass the page of RX slot @id, with the @len bytes at
 * @off in it, up in @skb as frag @f, and grant a fresh page in its place
 * under the same reference, cleared first.
 * Return: 0; -ENOMEM, nothing changed, when no page can be had (copy
 * instead); -EPROTO when the back end still maps the page (it may only
 * copy into it: request-rx-copy), with the device being disabled.
 */
static int rx_take_page(struct pvnetfront_queue *q, struct sk_buff *skb,
			unsigned int id, unsigned int off, unsigned int len,
			unsigned int f)
{
	/* cleared: a page granted to the back end holds nothing of ours */
	struct page *page = alloc_page(GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO);

	if (!page)
		return -ENOMEM;
	if (pvsplit_grant_move(q->rx_ref[id], q->np->dev->otherend_id, page,
			       false)) {
		__free_page(page);
		pvnetfront_broken(q, "back end maps a receive page");
		return -EPROTO;
	}
	skb_add_rx_frag(skb, f, q->rx_page[id], off, len, PAGE_SIZE);
	q->rx_page[id] = page;
	q->st.rx_zerocopy++;
	return 0;
}

/*
 * Copy the chain's data into a new skb: the head, then packed into page
 * pool pages; from a trusted back end, the data of each response past
 * the head goes up in the page it came in (a frag each), so a chain of
 * more responses than an skb has frags is copied.
 * Return: the skb, ERR_PTR(-ENOMEM) or ERR_PTR(-EPROTO).
 */
static struct sk_buff *rx_build(struct pvnetfront_queue *q,
				const struct rx_chain *c, unsigned int first)
{
	unsigned int hl = min(c->len, PVNETFRONT_RX_HLEN), at = 0, f = 0, i;
	bool zc = READ_ONCE(q->np->trusted) && c->len > hl &&
		  c->nr_data <= MAX_SKB_FRAGS;
	struct sk_buff *skb;
	struct page *page = NULL;
	unsigned int in_page = 0;
	int err;

	skb = napi_alloc_skb(&q->napi, hl);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	/* before any pool page is added: freeing it gives them back */
	skb_mark_for_recycle(skb);
	for (i = 0; i < c->nr_data; i++) {
		const struct pvnet_rx_rsp *rsp = &c->rsp[i];
		unsigned int id = (first + c->pos[i]) & (PVNETFRONT_RING_SLOTS - 1);
		const u8 *src = page_address(q->rx_page[id]) + rsp->offset;
		unsigned int left = rsp->status, chunk;

		if (at < hl) {
			chunk = min(left, hl - at);
			skb_put_data(skb, src, chunk);
			src += chunk;
			left -= chunk;
			at += chunk;
		}
		if (!left)
			continue;
		if (zc) {
			err = rx_take_page(q, skb, id,
					   rsp->offset + rsp->status - left, left, f);
			if (!err) {
				f++;
				at += left;
				continue;
			}
			if (err != -ENOMEM) {
				kfree_skb(skb);
				return ERR_PTR(err);
			}
			/* a pool page of its own: one frag a response */
			page = NULL;
		}
		while (left) {
			if (!rx_room(q, skb, &page, &in_page, &f)) {
				kfree_skb(skb);
				return ERR_PTR(-ENOMEM);
			}
			chunk = min(left, (unsigned int)PAGE_SIZE - in_page);
			memcpy(page_address(page) + in_page, src, chunk);
			skb_frag_size_add(&skb_shinfo(skb)->frags[f - 1], chunk);
			skb->len += chunk;
			skb->data_len += chunk;
			in_page += chunk;
			src += chunk;
			left -= chunk;
			at += chunk;
		}
	}
	return skb;
}

static void rx_deliver(struct pvnetfront_queue *q, const struct rx_chain *c,
		       struct sk_buff *skb)
{
	struct net_device *dev = q->np->netdev;
	u16 flags = c->rsp[0].flags;

	skb->protocol = eth_type_trans(skb, dev);
	/* skb_checksum_setup() parses from the network header */
	skb_reset_network_header(skb);
	if (flags & PVNET_RXF_CSUM_BLANK)
		skb->ip_summed = CHECKSUM_PARTIAL;
	else if (flags & PVNET_RXF_DATA_VALID)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	if (c->has_gso) {
		skb_shinfo(skb)->gso_size = c->gso.gso_size;
		skb_shinfo(skb)->gso_type = SKB_GSO_DODGY |
			(c->gso.gso_type == PVNET_GSO_TCPV4 ? SKB_GSO_TCPV4 :
							      SKB_GSO_TCPV6);
		skb_shinfo(skb)->gso_segs = 0;
		skb->ip_summed = CHECKSUM_PARTIAL;
	}
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_setup(skb, false)) {
		q->st.rx_errors++;
		kfree_skb(skb);
		return;
	}
	q->st.rx_packets++;
	q->st.rx_bytes += c->len;
	napi_gro_receive(&q->napi, skb);
}

/*
 * Take up to @budget packets.  Return: packets taken, -EAGAIN (with
 * *@need) when a chain is not all there, or -EPROTO.
 */
static int rx_take(struct pvnetfront_queue *q, int budget, unsigned int *need,
		   int *done)
{
	struct pvring *r = &q->rx.r;
	struct sk_buff *skb;
	struct rx_chain c;
	int err = 0;

	while (*done < budget) {
		if (pvring_avail(r) == 0)
			break;
		err = rx_chain(q, &c, need);
		if (err)
			break;
		if (c.bad || c.len < ETH_HLEN) {
			q->st.rx_errors++;
		} else {
			skb = rx_build(q, &c, r->cons);
			if (!IS_ERR(skb))
				rx_deliver(q, &c, skb);
			else if (PTR_ERR(skb) == -ENOMEM)
				q->st.rx_dropped++;
			else
				return PTR_ERR(skb);
		}
		/* the pages are copied out: their slots may be posted again */
		pvring_skip(r, c.n);
		(*done)++;
	}
	return err;
}

/**
 * pvnetfront_rx() - receive up to @budget packets, post the pages again
 * @q: queue
 * @budget: most packets
 *
 * Return: packets taken, or -EPROTO.
 */
int pvnetfront_rx(struct pvnetfront_queue *q, int budget)
{
	unsigned int need = 0;
	int done = 0, err;

	err = rx_take(q, budget, &need, &done);
	if (done)
		pvnetfront_rx_post(q);
	if (err == -EPROTO) {
		pvnetfront_broken(q, "malformed RX response");
		return err;
	}
	/* half a packet: poll again only once the rest is there */
	q->rx_need = err == -EAGAIN ? need : 1;
	return done;
}

/**
 * pvnetfront_poll() - NAPI poll: TX completions, then RX
 * @napi: the queue's
 * @budget: most packets received
 *
 * Return: packets received.
 */
int pvnetfront_poll(struct napi_struct *napi, int budget)
{
	struct pvnetfront_queue *q = container_of(napi, struct pvnetfront_queue,
						  napi);
	int tx, done;

	if (test_bit(0, &q->np->broken)) {
		napi_complete(napi);
		pvnetfront_eoi(q);
		return 0;
	}
	tx = pvnetfront_tx_done(q);
	done = pvnetfront_rx(q, budget);
	if (done < 0)
		done = 0;
	if (tx > 0 || done > 0)
		WRITE_ONCE(q->busy, true);
	if (done >= budget)
		return budget;
	if (napi_complete_done(napi, done)) {
		/*
		 * Ask for events, then look once more before sleeping: on
		 * the RX ring always, on the TX ring only while the queue
		 * waits for room (tx.c takes answers lazily otherwise).
		 */
		bool more = netif_tx_queue_stopped(netdev_get_tx_queue(q->np->netdev,
								       q->index)) &&
			    pvring_final_check(&q->tx.r);
		int avail = pvring_arm(&q->rx.r, q->rx_need);

		if (!test_bit(0, &q->np->broken) &&
		    (more || avail < 0 || avail >= (int)q->rx_need))
			napi_schedule(napi);
		else
			pvnetfront_eoi(q);
	}
	return done;
}
