// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c - pvblk front end: requests onto the ring, responses off it.
 *
 * queue_rq() packs a request's data into bounce pages and produces one
 * ring slot, or several when the request has more pages than the back end
 * takes now (it may lower feature-max-indirect-segments at run time, or a
 * resume may land on a back end taking fewer): each part is a ring request
 * of its own and the block request ends when the last part is answered.
 * Slots are published once per batch (bd->last or commit_rqs), with at
 * most one notification.  A full ring never stops a queue: blk-mq reruns
 * it when one of its requests ends, or after a short delay when it shares
 * the ring (after a resume onto a back end offering fewer queues, the
 * hardware queues share the rings it connected).  The interrupt handler
 * copies responses out, checks each against what we sent (id, operation,
 * status) before touching any request, and asks to be woken only after a
 * few more responses when many requests are in flight.  A response that
 * fails the checks puts the disk into an error state: every request fails,
 * nothing crashes.
 */
#include <linux/debugfs.h>
#include <linux/slab.h>

#include "pvblkfront.h"

/* ---- submission -------------------------------------------------------- */

/*
 * Into the next slot, not yet visible: push() publishes it and only then
 * marks the request sent, so that a response to it is accepted.
 */
static void produce(struct pvblkfront_ring *rg, struct pvblkfront_shadow *sh,
		    const struct pvblk_req *w)
{
	struct pvring *r = &rg->ring.r;
	u8 buf[PVBLK_SLOT_64];

	pvblk_encode_req(buf, w);
	memcpy(pvring_prod_slot(r, 0), buf, sizeof(buf));
	rg->slot_id[r->prod_pvt & (r->size - 1)] = sh - rg->shadow;
	sh->sent = false;
	pvring_produce(r, 1);
}

static u8 flush_op(const struct pvblkfront *info)
{
	return info->flush ? PVBLK_OP_FLUSH_DISKCACHE : PVBLK_OP_WRITE_BARRIER;
}

/*
 * Grant @nseg pages of a read or write from its page @first on and
 * describe them in @w.  @nseg is at most info->max_segs when the request
 * was split, which never exceeds what the shadow holds.
 */
static blk_status_t map_data(struct pvblkfront_ring *rg, struct request *rq,
			     struct pvblkfront_shadow *sh, struct pvblk_req *w,
			     unsigned int first, unsigned int nseg)
{
	unsigned int bytes = blk_rq_bytes(rq) - first * PAGE_SIZE, i;
	struct pvblk_seg seg;

	if (WARN_ON_ONCE(!nseg || nseg > pvblkfront_alloc_segs()))
		return BLK_STS_IOERR;
	for (i = 0; i < nseg; i++) {
		sh->gnt[i] = pvblkfront_gnt_get(rg);
		if (!sh->gnt[i])
			goto busy;
		sh->nr_segs = i + 1;
	}
	if (nseg > PVBLK_MAX_SEGS) {
		sh->nr_ind = DIV_ROUND_UP(nseg, PVBLK_SEGS_PER_PAGE);
		for (i = 0; i < sh->nr_ind; i++) {
			sh->ind[i] = pvblkfront_gnt_get(rg);
			if (!sh->ind[i]) {
				sh->nr_ind = i;
				goto busy;
			}
		}
	}
	if (sh->data_op == PVBLK_OP_WRITE)
		pvblkfront_copy_rq(rq, sh->gnt, first, nseg, true);
	for (i = 0; i < nseg; i++) {
		unsigned int len = min_t(unsigned int, bytes - i * PAGE_SIZE,
					 PAGE_SIZE);

		seg.gref = sh->gnt[i]->gref;
		seg.first_sect = 0;
		seg.last_sect = (len >> PVBLK_SECTOR_SHIFT) - 1;
		if (!sh->nr_ind)
			w->seg[i] = seg;
		else
			pvblk_encode_seg((u8 *)page_address(sh->ind[i / PVBLK_SEGS_PER_PAGE]->page) +
					 (i % PVBLK_SEGS_PER_PAGE) * PVBLK_SEG_SIZE,
					 &seg);
	}
	w->nr_segs = nseg;
	w->nr_indirect = sh->nr_ind;
	for (i = 0; i < sh->nr_ind; i++)
		w->indirect_gref[i] = sh->ind[i]->gref;
	return BLK_STS_OK;

busy:
	pvblkfront_shadow_release(rg, sh);
	return BLK_STS_RESOURCE;
}

/* Build part @k (pages @first on, @n of them) of @rq in @w for @sh. */
static blk_status_t build(struct pvblkfront_ring *rg, struct request *rq,
			  struct pvblkfront_shadow *sh, struct pvblk_req *w,
			  unsigned int first, unsigned int n)
{
	struct pvblkfront_pdu *pdu = blk_mq_rq_to_pdu(rq);
	struct pvblkfront *info = rg->info;
	blk_status_t sts;

	memset(w, 0, sizeof(*w));
	w->id = sh - rg->shadow;
	w->sector = blk_rq_pos(rq);
	sh->first = first;
	sh->nr_segs = 0;
	sh->nr_ind = 0;
	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		w->op = flush_op(info);
		w->sector = 0;
		sh->data_op = PVBLK_OP_WRITE;
		break;
	case REQ_OP_SECURE_ERASE:
		w->flag = PVBLK_DISCARD_SECURE;
		fallthrough;
	case REQ_OP_DISCARD:
		w->op = PVBLK_OP_DISCARD;
		w->nr_sectors = blk_rq_sectors(rq);
		sh->data_op = PVBLK_OP_WRITE;
		break;
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		sh->data_op = req_op(rq) == REQ_OP_READ ? PVBLK_OP_READ :
							  PVBLK_OP_WRITE;
		w->sector += (u64)first << (PAGE_SHIFT - SECTOR_SHIFT);
		sts = map_data(rg, rq, sh, w, first, n);
		if (sts)
			return sts;
		w->op = sh->data_op;
		if (sh->nr_ind) {
			w->data_op = w->op;
			w->op = PVBLK_OP_INDIRECT;
		}
		/*
		 * FUA: a barrier write when it fits (each part durable, so
		 * the whole is when the last one is), else write then flush
		 */
		if (sh->data_op == PVBLK_OP_WRITE && (rq->cmd_flags & REQ_FUA)) {
			if (w->op == PVBLK_OP_WRITE && info->barrier)
				w->op = PVBLK_OP_WRITE_BARRIER;
			else
				pdu->fua_flush = true;
		}
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	return BLK_STS_OK;
}

/*
 * Produce @rq as one ring request, or as several when it has more pages
 * than the back end takes now.  All parts go onto this ring in one go, or
 * none: a part that cannot be built takes back those produced before it
 * (nothing is published before queue_rq returns).
 */
static blk_status_t submit(struct pvblkfront_ring *rg, struct request *rq)
{
	struct pvblkfront_pdu *pdu = blk_mq_rq_to_pdu(rq);
	unsigned int nseg = 1, max = 1, parts = 1, k, first, n;
	struct pvblkfront_shadow *sh;
	struct pvblk_req w;
	blk_status_t sts;

	if (req_op(rq) == REQ_OP_READ || req_op(rq) == REQ_OP_WRITE) {
		nseg = DIV_ROUND_UP(blk_rq_bytes(rq), PAGE_SIZE);
		max = READ_ONCE(rg->info->max_segs);
		if (!nseg || !max)
			return BLK_STS_IOERR;
		parts = DIV_ROUND_UP(nseg, max);
		if (parts > rg->ring.r.size)
			return BLK_STS_IOERR;	/* could never fit this ring */
	}
	if (pvring_free(&rg->ring.r) < parts || rg->nr_free < parts) {
		rg->st.busy++;
		return BLK_STS_DEV_RESOURCE;
	}
	pdu->status = BLK_STS_OK;
	pdu->pending = 0;
	pdu->fua_flush = false;
	pdu->start_ns = ktime_get_ns();
	for (k = 0; k < parts; k++) {
		sh = &rg->shadow[rg->free_id[rg->nr_free - 1]];
		first = k * max;
		n = min(max, nseg - first);
		sts = build(rg, rq, sh, &w, first, n);
		if (sts)
			goto undo;
		if (w.op == PVBLK_OP_INDIRECT)
			rg->st.indirect++;
		produce(rg, sh, &w);
		rg->nr_free--;
		sh->op = w.op;
		sh->rq = rq;
		pdu->pending++;
	}
	return BLK_STS_OK;

undo:
	/* the ids popped are still in free_id above nr_free */
	rg->ring.r.prod_pvt -= k;
	while (k--) {
		sh = &rg->shadow[rg->free_id[rg->nr_free++]];
		pvblkfront_shadow_release(rg, sh);
		sh->rq = NULL;
	}
	if (sts == BLK_STS_RESOURCE)
		rg->st.busy++;
	return sts;
}

/* Publish what was produced; its requests may be answered from now on. */
static void push(struct pvblkfront_ring *rg)
{
	struct pvring *r = &rg->ring.r;
	u32 i;

	for (i = r->published; i != r->prod_pvt; i++)
		rg->shadow[rg->slot_id[i & (r->size - 1)]].sent = true;
	pvsplit_ring_push(&rg->ring, &rg->ev);
}

/*
 * The ring of a hardware queue: its own, or one it shares when the back
 * end connected fewer rings than the disk has queues.  nr_active changes
 * only while no queue_rq runs (the rings are set up again after a quiesce).
 */
static struct pvblkfront_ring *hctx_ring(struct blk_mq_hw_ctx *hctx)
{
	struct pvblkfront *info = hctx->driver_data;

	return &info->rings[hctx->queue_num %
			    max(READ_ONCE(info->nr_active), 1u)];
}

static blk_status_t pvblkfront_queue_rq(struct blk_mq_hw_ctx *hctx,
					const struct blk_mq_queue_data *bd)
{
	struct pvblkfront *info = hctx->driver_data;
	int state = READ_ONCE(info->state);
	struct pvblkfront_ring *rg;
	unsigned long flags;
	blk_status_t sts;

	if (state == PVBLKFRONT_SUSPENDED)
		return BLK_STS_RESOURCE;
	if (state != PVBLKFRONT_CONNECTED)
		return BLK_STS_IOERR;
	rg = hctx_ring(hctx);
	blk_mq_start_request(bd->rq);
	spin_lock_irqsave(&rg->lock, flags);
	if (unlikely(!rg->ring.area || rg->ring.r.broken)) {
		/* torn down or broken since the state check */
		spin_unlock_irqrestore(&rg->lock, flags);
		return BLK_STS_IOERR;
	}
	sts = submit(rg, bd->rq);
	/*
	 * A full ring of our own holds requests of this queue: the first of
	 * them to end reruns it (blk-mq's restart, which DEV_RESOURCE asks
	 * for).  A shared ring may hold none of this queue's: blk-mq retries
	 * after a short delay instead.  The queue is never stopped for a
	 * full ring: 6.1's blk-mq parks a request it finds a queue stopped
	 * for without running it, and a restart racing with that finds
	 * nothing pending; the request then waits for I/O that may never
	 * come (fixed in 6.12's blk_mq_try_issue_directly()).
	 */
	if (sts == BLK_STS_DEV_RESOURCE &&
	    READ_ONCE(info->nr_active) < info->nr_rings)
		sts = BLK_STS_RESOURCE;
	if (sts || bd->last)
		push(rg);
	spin_unlock_irqrestore(&rg->lock, flags);
	return sts;
}

/*
 * A request has waited the queue's timeout for its answer (30 s, or what
 * /sys/block/<disk>/queue/io_timeout says).  blkif cannot take a request
 * back: the back end may still write into its pages, so it stays in
 * flight; it is counted and said, rate-limited, with where its ring
 * stands.  Everything published and nothing answered: the back end holds
 * the requests.  Requests produced and not published: ours to push.
 * Answers at or past where we asked to be told and not taken: our wake-up
 * was lost.  (Fewer answers than that is interrupt moderation at work;
 * requests published past where the back end asked to be told are lost
 * wake-up or a busy back end.)
 */
static enum blk_eh_timer_return pvblkfront_timeout(struct request *rq)
{
	struct pvblkfront *info = rq->mq_hctx->driver_data;
	struct pvblkfront_pdu *pdu = blk_mq_rq_to_pdu(rq);
	u32 prod = 0, pub = 0, cons = 0, req_ev = 0, rsp = 0, rsp_ev = 0;
	u64 ms = div_u64(ktime_get_ns() - pdu->start_ns, NSEC_PER_MSEC);
	const char *name = rq->q->disk->disk_name;
	struct pvblkfront_ring *rg;
	unsigned long flags;
	bool up;

	atomic64_inc(&info->timeouts);
	/*
	 * Rings are set up and freed (their shared pages with them) only
	 * under info->lock, which a teardown holds while del_gendisk() waits
	 * for this work, and the first connect while it scans partitions:
	 * never wait for it.
	 */
	if (!mutex_trylock(&info->lock)) {
		dev_warn_ratelimited(&info->dev->dev,
				     "%s: a request unanswered after %llu ms (rings locked, indices not read)\n",
				     name, ms);
		return BLK_EH_RESET_TIMER;
	}
	rg = hctx_ring(rq->mq_hctx);
	spin_lock_irqsave(&rg->lock, flags);
	up = rg->ring.area;
	if (up) {
		prod = rg->ring.r.prod_pvt;
		pub = rg->ring.r.published;
		cons = rg->ring.r.cons;
		req_ev = READ_ONCE(*rg->ring.r.peer_event);
		rsp = READ_ONCE(*rg->ring.r.peer_prod);
		rsp_ev = READ_ONCE(*rg->ring.r.my_event);
	}
	spin_unlock_irqrestore(&rg->lock, flags);
	mutex_unlock(&info->lock);
	if (up)
		dev_warn_ratelimited(&info->dev->dev,
				     "%s: ring %u: a request unanswered after %llu ms: produced %u, published %u, back end to be told at %u, answered %u, taken %u, us to be told at %u\n",
				     name, rg->index, ms, prod, pub, req_ev, rsp,
				     cons, rsp_ev);
	return BLK_EH_RESET_TIMER;
}

static void pvblkfront_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct pvblkfront_ring *rg = hctx_ring(hctx);
	unsigned long flags;

	spin_lock_irqsave(&rg->lock, flags);
	if (rg->ring.area)
		push(rg);
	spin_unlock_irqrestore(&rg->lock, flags);
}

static int pvblkfront_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
				unsigned int index)
{
	hctx->driver_data = data;
	return 0;
}

const struct blk_mq_ops pvblkfront_mq_ops = {
	.queue_rq = pvblkfront_queue_rq,
	.commit_rqs = pvblkfront_commit_rqs,
	.timeout = pvblkfront_timeout,
	.init_hctx = pvblkfront_init_hctx,
};

/* ---- completion -------------------------------------------------------- */

static void count(struct pvblkfront_ring *rg, struct request *rq,
		  const struct pvblkfront_pdu *pdu)
{
	if (pdu->status) {
		rg->st.errors++;
		return;
	}
	pvhist_add(&rg->lat, ktime_get_ns() - pdu->start_ns);
	switch (req_op(rq)) {
	case REQ_OP_READ:
		rg->st.reads++;
		rg->st.rd_sect += blk_rq_sectors(rq);
		break;
	case REQ_OP_WRITE:
		rg->st.writes++;
		rg->st.wr_sect += blk_rq_sectors(rq);
		if (rq->cmd_flags & REQ_FUA)
			rg->st.flushes++;
		break;
	case REQ_OP_FLUSH:
		rg->st.flushes++;
		break;
	default:
		rg->st.discards++;
		break;
	}
}

/*
 * One part of a request is over: free its slot; when it was the last one,
 * count the request and put it on @done, to be ended with the first error
 * of its parts.
 */
static void part_done(struct pvblkfront_ring *rg, struct pvblkfront_shadow *sh,
		      blk_status_t sts, struct list_head *done)
{
	struct request *rq = sh->rq;
	struct pvblkfront_pdu *pdu = blk_mq_rq_to_pdu(rq);

	pvblkfront_shadow_release(rg, sh);
	sh->rq = NULL;
	sh->sent = false;
	rg->free_id[rg->nr_free++] = sh - rg->shadow;
	if (sts && !pdu->status)
		pdu->status = sts;
	if (--pdu->pending)
		return;
	count(rg, rq, pdu);
	list_add_tail(&rq->queuelist, done);
}

/*
 * One checked response.  Return: 0, or -EPROTO when it cannot be ours: an
 * id out of range, of no request, or of one produced but not published
 * yet (the back end cannot have seen it; a request being prepared in
 * queue_rq or the flush that follows a FUA write).
 */
static int handle(struct pvblkfront_ring *rg, const struct pvblk_rsp *rsp,
		  struct list_head *done)
{
	struct pvblkfront_shadow *sh;
	struct pvblkfront_pdu *pdu;
	blk_status_t sts;

	if (rsp->id >= rg->ring.r.size)
		return -EPROTO;
	sh = &rg->shadow[rsp->id];
	if (!sh->rq || !sh->sent)
		return -EPROTO;
	/* an indirect request is answered with its data operation */
	if (rsp->op != sh->op &&
	    !(sh->op == PVBLK_OP_INDIRECT && rsp->op == sh->data_op))
		return -EPROTO;
	switch (rsp->status) {
	case PVBLK_RSP_OKAY:
		sts = BLK_STS_OK;
		break;
	case PVBLK_RSP_EOPNOTSUPP:
		sts = BLK_STS_NOTSUPP;
		break;
	case PVBLK_RSP_ERROR:
		sts = BLK_STS_IOERR;
		break;
	default:
		return -EPROTO;
	}
	if (!sts && sh->data_op == PVBLK_OP_READ && sh->nr_segs)
		pvblkfront_copy_rq(sh->rq, sh->gnt, sh->first, sh->nr_segs, false);
	pdu = blk_mq_rq_to_pdu(sh->rq);
	if (!sts && pdu->fua_flush && pdu->pending == 1 && !pdu->status) {
		struct pvblk_req w = { .id = rsp->id, .op = flush_op(rg->info) };

		/* every part is written: now make it durable, same id */
		pvblkfront_shadow_release(rg, sh);
		pdu->fua_flush = false;
		sh->op = w.op;
		produce(rg, sh, &w);
		return 0;
	}
	part_done(rg, sh, sts, done);
	return 0;
}

/*
 * Fail every request in flight on a ring; the caller holds the ring lock
 * and ends the requests on @done after dropping it.
 */
static void fail_all(struct pvblkfront_ring *rg, struct list_head *done)
{
	unsigned int i;

	for (i = 0; i < rg->ring.r.size; i++)
		if (rg->shadow[i].rq)
			part_done(rg, &rg->shadow[i], BLK_STS_IOERR, done);
}

static void end_list(struct list_head *done)
{
	struct request *rq, *tmp;

	list_for_each_entry_safe(rq, tmp, done, queuelist) {
		list_del_init(&rq->queuelist);
		blk_mq_end_request(rq, ((struct pvblkfront_pdu *)
					blk_mq_rq_to_pdu(rq))->status);
	}
}

static void broken(struct pvblkfront_ring *rg, const char *why,
		   struct list_head *done)
{
	struct pvblkfront *info = rg->info;

	rg->st.bad_rsp++;
	if (READ_ONCE(info->state) != PVBLKFRONT_BROKEN)
		dev_err_ratelimited(&info->dev->dev,
				    "ring %u: %s; the disk now fails all I/O\n",
				    rg->index, why);
	WRITE_ONCE(info->state, PVBLKFRONT_BROKEN);
	rg->ring.r.broken = true;
	fail_all(rg, done);
}

/**
 * pvblkfront_interrupt() - take the responses the back end published
 * @irq: irq
 * @data: the ring
 *
 * Ends with the one late EOI of this interrupt, once the ring is drained
 * and the requests are ended; spurious when there was no response to take
 * (a back end raising events for nothing is then throttled by Xen).
 *
 * Return: IRQ_HANDLED.
 */
irqreturn_t pvblkfront_interrupt(int irq, void *data)
{
	struct pvblkfront_ring *rg = data;
	struct pvring *r = &rg->ring.r;
	u8 raw[PVBLKFRONT_RSP_BATCH][16];
	struct pvblk_rsp rsp;
	unsigned long flags;
	LIST_HEAD(done);
	bool freed = false;
	int i, n;

	spin_lock_irqsave(&rg->lock, flags);
	rg->ring.stats.wakeups++;
	if (!rg->ring.area || r->broken)
		goto unlock;
	for (;;) {
		n = pvring_consume_batch(r, raw, sizeof(raw[0]), sizeof(raw[0]),
					 PVBLKFRONT_RSP_BATCH);
		if (n < 0) {
			broken(rg, "response index beyond the requests sent", &done);
			break;
		}
		if (!n) {
			/* many in flight: wake us after a few, not each one */
			u32 most = max(READ_ONCE(pvblkfront_irq_batch), 1u);
			u32 ahead = clamp_t(u32, pvring_in_flight(r) / 4, 1, most);

			if (!pvring_arm(r, ahead))
				break;
			continue;
		}
		pvstats_batch(&rg->ring.stats, n);
		for (i = 0; i < n; i++) {
			pvblk_decode_rsp(raw[i], &rsp);
			if (handle(rg, &rsp, &done)) {
				broken(rg, "bad response id, operation or status",
				       &done);
				goto unlock;
			}
		}
		freed = true;
	}
	push(rg);		/* flushes that follow FUA writes */
unlock:
	if (!freed)
		rg->ring.stats.spurious++;
	spin_unlock_irqrestore(&rg->lock, flags);
	/* ending them reruns their queues if waiting for slots (restart) */
	end_list(&done);
	pvsplit_evtchn_eoi(&rg->ev, !freed);
	return IRQ_HANDLED;
}

/* ---- set-up and teardown ----------------------------------------------- */

static void ring_free(struct pvblkfront_ring *rg, struct list_head *requeue)
{
	unsigned int i, n = rg->ring.r.size;
	struct pvblkfront_gnt *g, *tmp;
	unsigned long flags;
	LIST_HEAD(done);

	pvsplit_evtchn_close(&rg->ev, rg);
	spin_lock_irqsave(&rg->lock, flags);
	for (i = 0; rg->shadow && i < n; i++) {
		struct pvblkfront_shadow *sh = &rg->shadow[i];
		struct request *rq = sh->rq;
		struct pvblkfront_pdu *pdu;

		if (!rq)
			continue;
		if (!requeue) {
			part_done(rg, sh, BLK_STS_IOERR, &done);
			continue;
		}
		/* sent again whole, once its last part here is dropped */
		pdu = blk_mq_rq_to_pdu(rq);
		pvblkfront_shadow_release(rg, sh);
		sh->rq = NULL;
		sh->sent = false;
		if (!--pdu->pending)
			list_add_tail(&rq->queuelist, requeue);
	}
	list_for_each_entry_safe(g, tmp, &rg->pool, node) {
		list_del(&g->node);
		pvblkfront_gnt_free(rg, g);
	}
	spin_unlock_irqrestore(&rg->lock, flags);
	pvsplit_ring_free(&rg->ring);
	end_list(&done);
	for (i = 0; rg->shadow && i < n; i++)
		kfree(rg->shadow[i].gnt);
	kvfree(rg->shadow);
	rg->shadow = NULL;
	kvfree(rg->free_id);
	rg->free_id = NULL;
	kvfree(rg->slot_id);
	rg->slot_id = NULL;
	pvsplit_debugfs_remove(rg->dbg);
	rg->dbg = NULL;
}

/**
 * pvblkfront_rings_free() - tear down every ring
 * @info: device
 * @requeue: where to put requests in flight to send again later, or NULL
 *	     to fail them
 */
void pvblkfront_rings_free(struct pvblkfront *info, struct list_head *requeue)
{
	unsigned int i;

	for (i = 0; info->rings && i < info->nr_active; i++)
		ring_free(&info->rings[i], requeue);
}

static int ring_setup(struct pvblkfront *info, struct pvblkfront_ring *rg)
{
	char name[16];
	unsigned int i, n;
	int err;

	spin_lock_init(&rg->lock);
	INIT_LIST_HEAD(&rg->pool);
	err = pvsplit_ring_alloc(&rg->ring, info->dev, info->order,
				 PVBLK_SLOT_64);
	if (err)
		return err;
	n = rg->ring.r.size;
	rg->shadow = kvcalloc(n, sizeof(*rg->shadow), GFP_KERNEL);
	rg->free_id = kvcalloc(n, sizeof(*rg->free_id), GFP_KERNEL);
	rg->slot_id = kvcalloc(n, sizeof(*rg->slot_id), GFP_KERNEL);
	if (!rg->shadow || !rg->free_id || !rg->slot_id)
		goto nomem;
	for (i = 0; i < n; i++) {
		rg->shadow[i].gnt = kcalloc(pvblkfront_alloc_segs(),
					    sizeof(*rg->shadow[i].gnt),
					    GFP_KERNEL);
		if (!rg->shadow[i].gnt)
			goto nomem;
		rg->free_id[i] = n - 1 - i;
	}
	rg->nr_free = n;
	err = pvsplit_evtchn_alloc(&rg->ev, info->dev, pvblkfront_interrupt,
				   "pvblkfront", rg);
	if (err)
		goto free_ring;
	snprintf(name, sizeof(name), "ring%u", rg->index);
	rg->dbg = pvsplit_debugfs_dir(name, info->dbg);
	pvsplit_debugfs_ring(rg->dbg, "ring", &rg->ring);
	pvsplit_debugfs_hist(rg->dbg, "latency_ns", &rg->lat);
	/* this ring's share of statistics/ in sysfs, for pvsplit top */
	debugfs_create_u64("rd_sect", 0444, rg->dbg, &rg->st.rd_sect);
	debugfs_create_u64("wr_sect", 0444, rg->dbg, &rg->st.wr_sect);
	debugfs_create_u64("errors", 0444, rg->dbg, &rg->st.errors);
	debugfs_create_u64("bad_rsp", 0444, rg->dbg, &rg->st.bad_rsp);
	return 0;

nomem:
	err = -ENOMEM;
free_ring:
	ring_free(rg, NULL);
	return err;
}

/**
 * pvblkfront_rings_setup() - allocate and grant @nr rings, bind their
 * event channels; they are the active ones from now on
 * @info: device; info->rings holds at least @nr entries, none set up
 * @nr: how many
 *
 * Return: 0, or a negative errno with no ring left set up.
 */
int pvblkfront_rings_setup(struct pvblkfront *info, unsigned int nr)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr; i++) {
		struct pvblkfront_ring *rg = &info->rings[i];

		rg->info = info;
		rg->index = i;
		err = ring_setup(info, rg);
		if (err)
			goto free_rings;
	}
	WRITE_ONCE(info->nr_active, nr);
	return 0;

free_rings:
	while (i--)
		ring_free(&info->rings[i], NULL);
	return err;
}
