// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c - pvnet front end: a queue's rings, page pools, event channels.
 *
 * Both channels are bound lateeoi (pvsplit_evtchn_alloc()): NAPI issues
 * the EOI once it has finished with the rings, so a back end raising
 * events in a loop costs the guest one poll per EOI (XSA-391).
 */
#include <linux/slab.h>
#include <xen/events.h>

#include "pvnetfront.h"

/* TX channel (the only one when not split): EOI owed on bit 0 */
static irqreturn_t pvnetfront_tx_interrupt(int irq, void *data)
{
	struct pvnetfront_queue *q = data;

	set_bit(0, &q->eoi_owed);
	napi_schedule(&q->napi);
	return IRQ_HANDLED;
}

static irqreturn_t pvnetfront_rx_interrupt(int irq, void *data)
{
	struct pvnetfront_queue *q = data;

	set_bit(1, &q->eoi_owed);
	napi_schedule(&q->napi);
	return IRQ_HANDLED;
}

/**
 * pvnetfront_eoi() - NAPI finished: EOI what interrupted
 * @q: queue
 *
 * Spurious when no poll since the interrupt found anything to do.
 */
void pvnetfront_eoi(struct pvnetfront_queue *q)
{
	bool spurious = !xchg(&q->busy, false);

	if (spurious && q->eoi_owed)
		q->st.rx_spurious++;
	if (test_and_clear_bit(0, &q->eoi_owed))
		pvsplit_evtchn_eoi(&q->ev_tx, spurious);
	if (test_and_clear_bit(1, &q->eoi_owed))
		pvsplit_evtchn_eoi(&q->ev_rx, spurious);
}

static void free_pool(struct page **pages, grant_ref_t *refs, bool granted)
{
	unsigned int i;

	/* pages the back end still maps go to the grant code, not to us */
	if (granted)
		pvsplit_grant_revoke(refs, pages, PVNETFRONT_RING_SLOTS);
	for (i = 0; i < PVNETFRONT_RING_SLOTS; i++) {
		if (pages[i])
			__free_page(pages[i]);
		pages[i] = NULL;
	}
}

/* Zeroed pages, granted for good: they only ever hold packet data. */
static int alloc_pool(struct pvnetfront_queue *q, struct page **pages,
		      grant_ref_t *refs, bool readonly)
{
	unsigned int i;
	int err;

	for (i = 0; i < PVNETFRONT_RING_SLOTS; i++) {
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!pages[i]) {
			free_pool(pages, refs, false);
			return -ENOMEM;
		}
	}
	err = pvsplit_grant_pages(q->np->dev->otherend_id, pages,
				  PVNETFRONT_RING_SLOTS, readonly, refs);
	if (err)
		free_pool(pages, refs, false);
	return err;
}

/**
 * pvnetfront_queue_start() - rings, pools and channels of a queue
 * @q: queue with @np and @index set
 *
 * Return: 0, or a negative errno with nothing left set up.
 */
int pvnetfront_queue_start(struct pvnetfront_queue *q)
{
	struct pvnetfront *np = q->np;
	struct xenbus_device *dev = np->dev;
	struct page_pool_params pp = {
		.pool_size = PVNETFRONT_RING_SLOTS,
		.nid = NUMA_NO_NODE,
	};
	unsigned int i;
	char dir[16];
	int err;

	snprintf(q->name, sizeof(q->name), "%s-q%u", np->netdev->name, q->index);
	spin_lock_init(&q->tx_lock);
	bitmap_zero(q->tx_busy, PVNETFRONT_RING_SLOTS);
	for (i = 0; i < PVNETFRONT_RING_SLOTS; i++)
		q->tx_free[i] = PVNETFRONT_RING_SLOTS - 1 - i;
	q->tx_nr_free = PVNETFRONT_RING_SLOTS;

	err = pvsplit_ring_alloc(&q->tx, dev, 0, PVNET_TX_SLOT);
	if (err)
		return err;
	err = pvsplit_ring_alloc(&q->rx, dev, 0, PVNET_RX_SLOT);
	if (err)
		goto free_tx_ring;
	err = alloc_pool(q, q->tx_page, q->tx_ref, true);
	if (err)
		goto free_rx_ring;
	err = alloc_pool(q, q->rx_page, q->rx_ref, false);
	if (err)
		goto free_tx_pool;
	q->pool = page_pool_create(&pp);
	if (IS_ERR(q->pool)) {
		err = PTR_ERR(q->pool);
		q->pool = NULL;
		goto free_rx_pool;
	}
	netif_napi_add(np->netdev, &q->napi, pvnetfront_poll);
	napi_enable(&q->napi);
	q->split = np->be.split;
	q->eoi_owed = 0;
	q->busy = false;
	q->rx_need = 1;
	err = pvsplit_evtchn_alloc(&q->ev_tx, dev, pvnetfront_tx_interrupt,
				   q->name, q);
	if (err)
		goto del_napi;
	if (q->split) {
		err = pvsplit_evtchn_alloc(&q->ev_rx, dev, pvnetfront_rx_interrupt,
					   q->name, q);
		if (err)
			goto close_tx;
	}
	pvnetfront_rx_post(q);
	snprintf(dir, sizeof(dir), "queue%u", q->index);
	q->dbg = pvsplit_debugfs_dir(dir, np->dbg);
	pvsplit_debugfs_ring(q->dbg, "tx", &q->tx);
	pvsplit_debugfs_ring(q->dbg, "rx", &q->rx);
	return 0;

close_tx:
	pvsplit_evtchn_close(&q->ev_tx, q);
del_napi:
	napi_disable(&q->napi);
	netif_napi_del(&q->napi);
	page_pool_destroy(q->pool);
	q->pool = NULL;
free_rx_pool:
	free_pool(q->rx_page, q->rx_ref, true);
free_tx_pool:
	free_pool(q->tx_page, q->tx_ref, true);
free_rx_ring:
	pvsplit_ring_free(&q->rx);
free_tx_ring:
	pvsplit_ring_free(&q->tx);
	return err;
}

/**
 * pvnetfront_queue_stop() - undo pvnetfront_queue_start()
 * @q: queue
 *
 * Packets are copied into and out of the pools, so nothing in flight
 * needs freeing: the grants are revoked (pages the back end still maps
 * are left to the grant code) and the rings freed.
 */
void pvnetfront_queue_stop(struct pvnetfront_queue *q)
{
	if (!q->tx.area)
		return;
	pvsplit_debugfs_remove(q->dbg);
	q->dbg = NULL;
	napi_disable(&q->napi);
	pvsplit_evtchn_close(&q->ev_rx, q);
	pvsplit_evtchn_close(&q->ev_tx, q);
	netif_napi_del(&q->napi);
	/* pages still in skbs go back to the pool's owner when freed */
	page_pool_destroy(q->pool);
	q->pool = NULL;
	free_pool(q->rx_page, q->rx_ref, true);
	free_pool(q->tx_page, q->tx_ref, true);
	pvsplit_ring_free(&q->rx);
	pvsplit_ring_free(&q->tx);
}

/**
 * pvnetfront_queue_write() - publish a queue's rings and channels
 * @xbt: transaction
 * @q: queue, started
 *
 * Return: 0 or a negative errno.
 */
int pvnetfront_queue_write(struct xenbus_transaction xbt,
			   struct pvnetfront_queue *q)
{
	struct xenbus_device *dev = q->np->dev;
	char qname[16], dir[96];
	const char *qn = NULL;
	int err;

	if (q->np->nr_queues > 1) {
		snprintf(qname, sizeof(qname), "queue-%u", q->index);
		qn = qname;
	}
	err = pvsplit_xb_write_ring(xbt, dev, qn, &q->tx, "tx-ring-ref", NULL, 0);
	if (!err)
		err = pvsplit_xb_write_ring(xbt, dev, qn, &q->rx, "rx-ring-ref",
					    NULL, 0);
	if (err)
		return err;
	snprintf(dir, sizeof(dir), "%s%s%s", dev->nodename, qn ? "/" : "",
		 qn ? qn : "");
	if (!q->split)
		return xenbus_printf(xbt, dir, "event-channel", "%u", q->ev_tx.port);
	err = xenbus_printf(xbt, dir, "event-channel-tx", "%u", q->ev_tx.port);
	if (!err)
		err = xenbus_printf(xbt, dir, "event-channel-rx", "%u",
				    q->ev_rx.port);
	return err;
}
