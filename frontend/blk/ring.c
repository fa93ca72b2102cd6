// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c - pvblk front end: requests onto the ring, responses off it.
 *
 * queue_rq() packs a request's data into bounce pages and produces one
 * ring slot; the slot is published once per batch (bd->last or
 * commit_rqs), with at most one notification.  The interrupt handler
 * copies responses out, checks each against what we sent (id, operation,
 * status) before touching any request, and asks to be woken only after a
 * few more responses when many requests are in flight.  A response that
 * fails the checks puts the disk into an error state: every request fails,
 * nothing crashes.
 */
#include <linux/highmem.h>
#include <linux/slab.h>

#include "pvblkfront.h"

/* ---- bounce pages ------------------------------------------------------ */

static struct pvblkfront_gnt *gnt_get(struct pvblkfront_ring *rg)
{
	struct pvblkfront *info = rg->info;
	struct pvblkfront_gnt *g;

	g = list_first_entry_or_null(&rg->pool, struct pvblkfront_gnt, node);
	if (g) {
		list_del(&g->node);
	} else {
		g = kzalloc(sizeof(*g), GFP_ATOMIC);
		if (!g)
			return NULL;
		g->page = alloc_page(GFP_ATOMIC | __GFP_ZERO);
		if (!g->page) {
			kfree(g);
			return NULL;
		}
		rg->nr_pages++;
	}
	if (!g->granted) {
		if (pvsplit_grant_pages(info->dev->otherend_id, &g->page, 1,
					false, &g->gref)) {
			list_add(&g->node, &rg->pool);
			return NULL;
		}
		g->granted = true;
	}
	return g;
}

static void gnt_free(struct pvblkfront_ring *rg, struct pvblkfront_gnt *g)
{
	if (g->granted)
		pvsplit_grant_revoke(&g->gref, &g->page, 1);
	if (g->page)
		__free_page(g->page);
	rg->nr_pages--;
	kfree(g);
}

/*
 * Back to the pool.  Without persistent grants the back end loses access
 * now; a page it still maps goes to the grant code and is replaced.
 */
static void gnt_put(struct pvblkfront_ring *rg, struct pvblkfront_gnt *g)
{
	struct pvblkfront *info = rg->info;

	if (!info->persistent && g->granted) {
		pvsplit_grant_revoke(&g->gref, &g->page, 1);
		g->granted = false;
		if (!g->page) {
			rg->nr_pages--;
			kfree(g);
			return;
		}
	}
	if (!info->trusted)
		clear_highpage(g->page);
	list_add(&g->node, &rg->pool);
}

static void shadow_release(struct pvblkfront_ring *rg,
			   struct pvblkfront_shadow *sh)
{
	unsigned int i;

	for (i = 0; i < sh->nr_segs; i++)
		gnt_put(rg, sh->gnt[i]);
	for (i = 0; i < sh->nr_ind; i++)
		gnt_put(rg, sh->ind[i]);
	sh->nr_segs = 0;
	sh->nr_ind = 0;
}

/* Copy a request's data into (@to_bounce) or out of its bounce pages. */
static void copy_rq(struct request *rq, struct pvblkfront_gnt **gnt,
		    bool to_bounce)
{
	struct req_iterator iter;
	struct bio_vec bv;
	size_t pos = 0;

	rq_for_each_segment(bv, rq, iter) {
		char *va = bvec_kmap_local(&bv);
		unsigned int done = 0;

		while (done < bv.bv_len) {
			unsigned int off = pos % PAGE_SIZE;
			unsigned int n = min_t(unsigned int, bv.bv_len - done,
					       PAGE_SIZE - off);
			char *b = (char *)page_address(gnt[pos / PAGE_SIZE]->page) + off;

			if (to_bounce)
				memcpy(b, va + done, n);
			else
				memcpy(va + done, b, n);
			done += n;
			pos += n;
		}
		kunmap_local(va);
	}
}

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

/* Grant the pages of a read or write and describe them in @w. */
static blk_status_t map_data(struct pvblkfront_ring *rg, struct request *rq,
			     struct pvblkfront_shadow *sh, struct pvblk_req *w)
{
	unsigned int bytes = blk_rq_bytes(rq), nseg, i;
	struct pvblk_seg seg;

	nseg = DIV_ROUND_UP(bytes, PAGE_SIZE);
	if (WARN_ON_ONCE(!nseg || nseg > rg->info->max_segs))
		return BLK_STS_IOERR;
	for (i = 0; i < nseg; i++) {
		sh->gnt[i] = gnt_get(rg);
		if (!sh->gnt[i])
			goto busy;
		sh->nr_segs = i + 1;
	}
	if (nseg > PVBLK_MAX_SEGS) {
		sh->nr_ind = DIV_ROUND_UP(nseg, PVBLK_SEGS_PER_PAGE);
		for (i = 0; i < sh->nr_ind; i++) {
			sh->ind[i] = gnt_get(rg);
			if (!sh->ind[i]) {
				sh->nr_ind = i;
				goto busy;
			}
		}
	}
	if (sh->data_op == PVBLK_OP_WRITE)
		copy_rq(rq, sh->gnt, true);
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
	shadow_release(rg, sh);
	return BLK_STS_RESOURCE;
}

static blk_status_t submit(struct pvblkfront_ring *rg, struct request *rq)
{
	struct pvblkfront *info = rg->info;
	struct pvblkfront_shadow *sh;
	struct pvblk_req w = { };
	blk_status_t sts;
	u32 id;

	if (!pvring_free(&rg->ring.r) || !rg->nr_free) {
		rg->st.busy++;
		return BLK_STS_DEV_RESOURCE;
	}
	id = rg->free_id[rg->nr_free - 1];
	sh = &rg->shadow[id];
	memset(&w, 0, sizeof(w));
	w.id = id;
	w.sector = blk_rq_pos(rq);
	sh->fua_flush = false;
	sh->nr_segs = 0;
	sh->nr_ind = 0;
	switch (req_op(rq)) {
	case REQ_OP_FLUSH:
		w.op = flush_op(info);
		w.sector = 0;
		sh->data_op = PVBLK_OP_WRITE;
		break;
	case REQ_OP_SECURE_ERASE:
		w.flag = PVBLK_DISCARD_SECURE;
		fallthrough;
	case REQ_OP_DISCARD:
		w.op = PVBLK_OP_DISCARD;
		w.nr_sectors = blk_rq_sectors(rq);
		sh->data_op = PVBLK_OP_WRITE;
		break;
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		sh->data_op = req_op(rq) == REQ_OP_READ ? PVBLK_OP_READ :
							  PVBLK_OP_WRITE;
		sts = map_data(rg, rq, sh, &w);
		if (sts) {
			rg->st.busy++;
			return sts;
		}
		w.op = sh->data_op;
		if (sh->nr_ind) {
			w.data_op = w.op;
			w.op = PVBLK_OP_INDIRECT;
			rg->st.indirect++;
		}
		/* FUA: a barrier write when it fits, else write then flush */
		if (sh->data_op == PVBLK_OP_WRITE && (rq->cmd_flags & REQ_FUA)) {
			if (w.op == PVBLK_OP_WRITE && info->barrier)
				w.op = PVBLK_OP_WRITE_BARRIER;
			else
				sh->fua_flush = true;
		}
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	produce(rg, sh, &w);
	rg->nr_free--;
	sh->op = w.op;
	sh->rq = rq;
	sh->start_ns = ktime_get_ns();
	return BLK_STS_OK;
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

static blk_status_t pvblkfront_queue_rq(struct blk_mq_hw_ctx *hctx,
					const struct blk_mq_queue_data *bd)
{
	struct pvblkfront_ring *rg = hctx->driver_data;
	int state = READ_ONCE(rg->info->state);
	unsigned long flags;
	blk_status_t sts;

	if (state == PVBLKFRONT_SUSPENDED)
		return BLK_STS_RESOURCE;
	if (state != PVBLKFRONT_CONNECTED)
		return BLK_STS_IOERR;
	blk_mq_start_request(bd->rq);
	spin_lock_irqsave(&rg->lock, flags);
	if (unlikely(!rg->ring.area || rg->ring.r.broken)) {
		/* torn down or broken since the state check */
		spin_unlock_irqrestore(&rg->lock, flags);
		return BLK_STS_IOERR;
	}
	sts = submit(rg, bd->rq);
	if (sts == BLK_STS_DEV_RESOURCE)
		blk_mq_stop_hw_queue(hctx);
	if (sts || bd->last)
		push(rg);
	spin_unlock_irqrestore(&rg->lock, flags);
	return sts;
}

static void pvblkfront_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct pvblkfront_ring *rg = hctx->driver_data;
	unsigned long flags;

	spin_lock_irqsave(&rg->lock, flags);
	if (rg->ring.area)
		push(rg);
	spin_unlock_irqrestore(&rg->lock, flags);
}

static int pvblkfront_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
				unsigned int index)
{
	struct pvblkfront *info = data;

	hctx->driver_data = &info->rings[index];
	return 0;
}

const struct blk_mq_ops pvblkfront_mq_ops = {
	.queue_rq = pvblkfront_queue_rq,
	.commit_rqs = pvblkfront_commit_rqs,
	.init_hctx = pvblkfront_init_hctx,
};

/* ---- completion -------------------------------------------------------- */

static void finish(struct pvblkfront_ring *rg, struct pvblkfront_shadow *sh,
		   blk_status_t sts, struct list_head *done)
{
	struct request *rq = sh->rq;
	u32 id = sh - rg->shadow;

	shadow_release(rg, sh);
	sh->rq = NULL;
	sh->sent = false;
	rg->free_id[rg->nr_free++] = id;
	((struct pvblkfront_pdu *)blk_mq_rq_to_pdu(rq))->status = sts;
	list_add_tail(&rq->queuelist, done);
}

static void count(struct pvblkfront_ring *rg, struct pvblkfront_shadow *sh,
		  blk_status_t sts)
{
	struct request *rq = sh->rq;

	if (sts) {
		rg->st.errors++;
		return;
	}
	pvhist_add(&rg->lat, ktime_get_ns() - sh->start_ns);
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
 * One checked response.  Return: 0, or -EPROTO when it cannot be ours: an
 * id out of range, of no request, or of one produced but not published
 * yet (the back end cannot have seen it; a request being prepared in
 * queue_rq or the flush that follows a FUA write).
 */
static int handle(struct pvblkfront_ring *rg, const struct pvblk_rsp *rsp,
		  struct list_head *done)
{
	struct pvblkfront_shadow *sh;
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
		copy_rq(sh->rq, sh->gnt, false);
	if (!sts && sh->fua_flush) {
		struct pvblk_req w = { .id = rsp->id, .op = flush_op(rg->info) };

		/* the data is written: now make it durable, same id */
		shadow_release(rg, sh);
		sh->fua_flush = false;
		sh->op = w.op;
		produce(rg, sh, &w);
		return 0;
	}
	count(rg, sh, sts);
	finish(rg, sh, sts, done);
	return 0;
}

/*
 * Fail every request in flight on a ring; the caller holds the ring lock
 * and ends the requests on @done after dropping it.
 */
static void fail_all(struct pvblkfront_ring *rg, struct list_head *done)
{
	unsigned int i;

	for (i = 0; i < rg->ring.r.size; i++) {
		if (!rg->shadow[i].rq)
			continue;
		rg->st.errors++;
		finish(rg, &rg->shadow[i], BLK_STS_IOERR, done);
	}
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
	end_list(&done);
	if (freed && rg->info->gd)
		blk_mq_start_stopped_hw_queues(rg->info->gd->queue, true);
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

		if (!sh->rq)
			continue;
		if (requeue) {
			shadow_release(rg, sh);
			list_add_tail(&sh->rq->queuelist, requeue);
			sh->rq = NULL;
			sh->sent = false;
		} else {
			rg->st.errors++;
			finish(rg, sh, BLK_STS_IOERR, &done);
		}
	}
	list_for_each_entry_safe(g, tmp, &rg->pool, node) {
		list_del(&g->node);
		gnt_free(rg, g);
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

	for (i = 0; info->rings && i < info->nr_rings; i++)
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
		rg->shadow[i].gnt = kcalloc(info->max_segs,
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
	return 0;

nomem:
	err = -ENOMEM;
free_ring:
	ring_free(rg, NULL);
	return err;
}

/**
 * pvblkfront_rings_setup() - allocate and grant @nr rings, bind their
 * event channels
 * @info: device; info->rings holds @nr zeroed entries
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
	return 0;

free_rings:
	while (i--)
		ring_free(&info->rings[i], NULL);
	return err;
}
