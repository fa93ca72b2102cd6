// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c - pvnet back end: a queue's rings, event channels and workers.
 *
 * Both event channels are bound lateeoi: an event is not delivered again
 * until the side it woke has finished looking at its ring, so a guest
 * raising events in a loop costs dom0 one pass per pass it lets us finish
 * (XSA-332).  With one channel for both rings (no
 * feature-split-event-channels) the interrupt wakes both sides and the
 * one that finishes last issues the EOI.
 */
#include <linux/debugfs.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <xen/events.h>

#include "pvnetback.h"

/**
 * pvnetback_chan_done() - one side finished the work an interrupt asked for
 * @q: queue
 * @c: the channel that interrupted
 * @side: PVNETBACK_EOI_TX or PVNETBACK_EOI_RX
 *
 * The EOI goes out when no side still owes it, flagged spurious when no
 * side found anything to do.
 */
void pvnetback_chan_done(struct pvnetback_queue *q, struct pvnetback_chan *c,
			 unsigned int side)
{
	long bit = 1L << side;
	bool spurious;

	/* exactly one side sees its bit as the last one set */
	if (atomic_long_fetch_andnot(bit, &c->owed) != bit)
		return;
	spurious = !xchg(&c->busy, false);
	if (spurious)
		c->spurious++;
	c->eois++;
	pvsplit_evtchn_eoi(&c->ev, spurious);
}

static void kick_tx(struct pvnetback_queue *q, struct pvnetback_chan *c)
{
	atomic_long_or(1L << PVNETBACK_EOI_TX, &c->owed);
	q->tx.stats.wakeups++;
	napi_schedule(&q->napi);
}

static void kick_rx(struct pvnetback_queue *q, struct pvnetback_chan *c)
{
	atomic_long_or(1L << PVNETBACK_EOI_RX, &c->owed);
	q->rx.stats.wakeups++;
	atomic_set(&q->rx_kick, 1);
	wake_up(&q->wq);
}

static irqreturn_t pvnetback_tx_interrupt(int irq, void *data)
{
	struct pvnetback_queue *q = data;

	kick_tx(q, q->tx_chan);
	return IRQ_HANDLED;
}

static irqreturn_t pvnetback_rx_interrupt(int irq, void *data)
{
	struct pvnetback_queue *q = data;

	kick_rx(q, q->rx_chan);
	return IRQ_HANDLED;
}

static irqreturn_t pvnetback_interrupt(int irq, void *data)
{
	struct pvnetback_queue *q = data;

	/* both bits before either side can finish and find the other clear */
	atomic_long_or(1L << PVNETBACK_EOI_RX, &q->chan[0].owed);
	kick_tx(q, &q->chan[0]);
	kick_rx(q, &q->chan[0]);
	return IRQ_HANDLED;
}

/* "queue-N" for a multi-queue vif, NULL for the single queue's keys */
static const char *queue_name(struct pvnetback_queue *q, char *buf, size_t n)
{
	if (q->be->nr_queues < 2)
		return NULL;
	snprintf(buf, n, "queue-%u", q->index);
	return buf;
}

static void free_bufs(struct pvnetback_queue *q)
{
	kvfree(q->rx_pend);
	kvfree(q->rx_ops);
	kvfree(q->tx_pend);
	kvfree(q->tx_ops);
	q->rx_pend = NULL;
	q->rx_ops = NULL;
	q->tx_pend = NULL;
	q->tx_ops = NULL;
}

static int bind_channels(struct pvnetback_queue *q, const char *dir)
{
	struct xenbus_device *dev = q->be->dev;
	unsigned int tx_port, rx_port;
	int err;

	if (pvnetback_split_evtchn &&
	    !pvsplit_xb_read_uint(dir, "event-channel-tx", 1, UINT_MAX, &tx_port) &&
	    !pvsplit_xb_read_uint(dir, "event-channel-rx", 1, UINT_MAX, &rx_port)) {
		/* before binding: a pending event runs the handler at once */
		q->tx_chan = &q->chan[0];
		q->rx_chan = &q->chan[1];
		err = pvsplit_evtchn_bind(&q->chan[0].ev, dev, tx_port,
					  pvnetback_tx_interrupt, q->name, q);
		if (err)
			return err;
		err = pvsplit_evtchn_bind(&q->chan[1].ev, dev, rx_port,
					  pvnetback_rx_interrupt, q->name, q);
		if (err) {
			pvsplit_evtchn_close(&q->chan[0].ev, q);
			return err;
		}
		return 0;
	}
	if (pvsplit_xb_read_uint(dir, "event-channel", 1, UINT_MAX, &tx_port)) {
		xenbus_dev_fatal(dev, -EINVAL, "reading %s/event-channel", dir);
		return -EINVAL;
	}
	q->tx_chan = &q->chan[0];
	q->rx_chan = &q->chan[0];
	return pvsplit_evtchn_bind(&q->chan[0].ev, dev, tx_port,
				   pvnetback_interrupt, q->name, q);
}

static void close_channels(struct pvnetback_queue *q)
{
	pvsplit_evtchn_close(&q->chan[1].ev, q);
	pvsplit_evtchn_close(&q->chan[0].ev, q);
}

/**
 * pvnetback_queue_start() - map a queue's rings, bind its event channels,
 * start its workers
 * @q: queue with @be and @index set, on a vif whose nr_queues is set
 *
 * Return: 0, or a negative errno with nothing left set up.
 */
int pvnetback_queue_start(struct pvnetback_queue *q)
{
	struct pvnetback *be = q->be;
	struct xenbus_device *dev = be->dev;
	struct pvsplit_ring_layout lay;
	char dir[128], qbuf[16], name[16];
	const char *qn = queue_name(q, qbuf, sizeof(qbuf));
	int err;

	snprintf(q->name, sizeof(q->name), "%s-q%u", be->netdev->name, q->index);
	init_waitqueue_head(&q->wq);
	skb_queue_head_init(&q->rx_queue);
	atomic_set(&q->rx_queued, 0);
	atomic_set(&q->rx_kick, 1);	/* look once: buffers may be posted */
	q->win_pos = 0;
	q->win_n = 0;
	q->dead = false;
	memset(q->chan, 0, sizeof(q->chan));
	snprintf(dir, sizeof(dir), "%s%s%s", dev->otherend, qn ? "/" : "",
		 qn ? qn : "");

	q->tx_ops = kvcalloc(PVNETBACK_TX_OPS, sizeof(*q->tx_ops), GFP_KERNEL);
	q->tx_pend = kvcalloc(PVNETBACK_TX_BATCH, sizeof(*q->tx_pend), GFP_KERNEL);
	q->rx_ops = kvcalloc(PVNETBACK_RX_OPS, sizeof(*q->rx_ops), GFP_KERNEL);
	q->rx_pend = kvcalloc(PVNETBACK_RX_BATCH, sizeof(*q->rx_pend), GFP_KERNEL);
	if (!q->tx_ops || !q->tx_pend || !q->rx_ops || !q->rx_pend) {
		err = -ENOMEM;
		goto free_ops;
	}
	/* netif rings are one page: max order 0 refuses any other */
	err = pvsplit_xb_read_ring(dev, qn, 0, "tx-ring-ref", NULL, &lay);
	if (err)
		goto free_ops;
	err = pvsplit_ring_map(&q->tx, dev, lay.gref, 0, PVNET_TX_SLOT);
	if (err)
		goto free_ops;
	err = pvsplit_xb_read_ring(dev, qn, 0, "rx-ring-ref", NULL, &lay);
	if (err)
		goto unmap_tx;
	err = pvsplit_ring_map(&q->rx, dev, lay.gref, 0, PVNET_RX_SLOT);
	if (err)
		goto unmap_tx;

	hrtimer_init(&q->rate_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	q->rate_timer.function = pvnetback_rate_timer;
	q->rx_progress = jiffies;
	q->stalled = false;
	netif_napi_add(be->netdev, &q->napi, pvnetback_poll);
	napi_enable(&q->napi);
	/* after NAPI exists: the handler may run during bind */
	err = bind_channels(q, dir);
	if (err)
		goto del_napi;
	q->rx_task = kthread_run(pvnetback_rx_thread, q, "%s", q->name);
	if (IS_ERR(q->rx_task)) {
		err = PTR_ERR(q->rx_task);
		q->rx_task = NULL;
		goto close_channels;
	}
	snprintf(name, sizeof(name), "queue%u", q->index);
	q->dbg = pvsplit_debugfs_dir(name, be->dbg);
	pvsplit_debugfs_ring(q->dbg, "tx", &q->tx);
	pvsplit_debugfs_ring(q->dbg, "rx", &q->rx);
	pvsplit_debugfs_hist(q->dbg, "rx_wait_ns", &q->rx_wait);
	debugfs_create_u64("polls", 0444, q->dbg, &q->st.polls);
	/* this queue's share of the vif's counters, for pvsplit top */
	debugfs_create_u64("rx_packets", 0444, q->dbg, &q->st.rx_packets);
	debugfs_create_u64("rx_bytes", 0444, q->dbg, &q->st.rx_bytes);
	debugfs_create_u64("rx_dropped", 0444, q->dbg, &q->st.rx_dropped);
	debugfs_create_u64("tx_packets", 0444, q->dbg, &q->st.tx_packets);
	debugfs_create_u64("tx_bytes", 0444, q->dbg, &q->st.tx_bytes);
	debugfs_create_u64("tx_dropped", 0444, q->dbg, &q->st.tx_dropped);
	debugfs_create_u64("tx_eois", 0444, q->dbg, &q->tx_chan->eois);
	debugfs_create_u64("tx_eois_spurious", 0444, q->dbg, &q->tx_chan->spurious);
	if (q->rx_chan != q->tx_chan) {
		debugfs_create_u64("rx_eois", 0444, q->dbg, &q->rx_chan->eois);
		debugfs_create_u64("rx_eois_spurious", 0444, q->dbg,
				   &q->rx_chan->spurious);
	}
	/* requests may have been queued before we bound */
	napi_schedule(&q->napi);
	return 0;

close_channels:
	close_channels(q);
del_napi:
	napi_disable(&q->napi);
	hrtimer_cancel(&q->rate_timer);	/* a poll after bind may have armed it */
	netif_napi_del(&q->napi);
	pvsplit_ring_unmap(&q->rx, dev);
unmap_tx:
	pvsplit_ring_unmap(&q->tx, dev);
free_ops:
	free_bufs(q);
	return err;
}

/**
 * pvnetback_queue_stop() - stop a queue's workers and undo everything
 * @q: queue, started
 *
 * Grant copies are synchronous, so once NAPI and the thread have stopped
 * nothing of the guest's is in use: the rings are unmapped and queued
 * packets freed.
 */
void pvnetback_queue_stop(struct pvnetback_queue *q)
{
	struct xenbus_device *dev = q->be->dev;

	if (!q->rx_task)
		return;
	pvsplit_debugfs_remove(q->dbg);
	q->dbg = NULL;
	kthread_stop(q->rx_task);
	q->rx_task = NULL;
	hrtimer_cancel(&q->rate_timer);
	napi_disable(&q->napi);
	hrtimer_cancel(&q->rate_timer);	/* a last poll may have armed it */
	if (q->stalled)
		atomic_dec(&q->be->stalled);
	close_channels(q);
	netif_napi_del(&q->napi);
	skb_queue_purge(&q->rx_queue);
	atomic_set(&q->rx_queued, 0);
	pvsplit_ring_unmap(&q->rx, dev);
	pvsplit_ring_unmap(&q->tx, dev);
	free_bufs(q);
}
