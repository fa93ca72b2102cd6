// SPDX-License-Identifier: GPL-2.0-only
/*
 * respond.c - pvblk back end: completing requests and producing responses.
 *
 * Every response goes through here: an immediate answer to a request the
 * worker could not serve, and the answer to a request whose bios ended.
 * The last bio of a request calls pvblkback_complete(): a request mapped
 * through persistent grants only is answered at once (no thread switch on
 * the common path); one with transient mappings goes to the worker, which
 * unmaps in batches (pvblkback_complete_done()).
 *
 * Files call one way only: ring.c (worker) -> io.c (bios) -> respond.c
 * -> map.c, and ring.c calls respond.c and map.c.
 *
 * Lifetime: the ring holds one reference on itself (rg->refs) while it
 * runs, and each request in flight holds one from intake until its answer
 * is produced and its last touch of the ring is done.  Teardown
 * (pvblkback_ring_stop()) drops the ring's own and frees nothing until the
 * last reference is gone and pvblkback_ring_put() has finished with rg.
 */
#include <linux/ktime.h>

#include "pvblkback.h"

/**
 * pvblkback_ring_put() - drop a reference on a ring; any context
 * @rg: ring
 *
 * The last one wakes ring teardown, which may then free @rg: nothing here
 * touches @rg after complete(), and the waiter's wait_for_completion()
 * returns only once complete() has let go of rg->stopped.
 */
void pvblkback_ring_put(struct pvblkback_ring *rg)
{
	if (!refcount_dec_and_test(&rg->refs))
		return;
	/* teardown may sleep on @wq waiting for the done list or for this */
	wake_up(&rg->wq);
	complete(&rg->stopped);
}

/* Caller holds rsp_lock. */
static void respond(struct pvblkback_ring *rg, u64 id, u8 op, int status)
{
	pvblk_encode_rsp(pvring_prod_slot(&rg->ring.r, 0), id, op,
			 (s16)status);
	pvring_produce(&rg->ring.r, 1);
	if (status)
		rg->st.err_req++;
}

/**
 * pvblkback_respond() - answer a request that was not submitted
 * @rg: ring (its worker)
 * @id: the front end's id
 * @op: operation to echo
 * @status: blkif status
 *
 * Published by the next pvblkback_push().
 */
void pvblkback_respond(struct pvblkback_ring *rg, u64 id, u8 op, int status)
{
	unsigned long flags;

	spin_lock_irqsave(&rg->rsp_lock, flags);
	respond(rg, id, op, status);
	spin_unlock_irqrestore(&rg->rsp_lock, flags);
}

/**
 * pvblkback_push() - publish the responses produced, notify if asked to
 * @rg: ring
 */
void pvblkback_push(struct pvblkback_ring *rg)
{
	unsigned long flags;

	spin_lock_irqsave(&rg->rsp_lock, flags);
	pvsplit_ring_push(&rg->ring, &rg->ev);
	spin_unlock_irqrestore(&rg->rsp_lock, flags);
}

/* Caller holds rsp_lock. */
static void count_done(struct pvblkback_ring *rg, struct pvblkback_req *req)
{
	u64 sectors = 0;
	unsigned int i;

	if (req->op == PVBLK_OP_FLUSH_DISKCACHE ||
	    req->op == PVBLK_OP_WRITE_BARRIER)
		rg->st.f_req++;
	if (!req->nr_segs)
		return;
	for (i = 0; i < req->nr_segs; i++)
		sectors += req->segs[i].last_sect - req->segs[i].first_sect + 1;
	if (req->data_op == PVBLK_OP_READ) {
		rg->st.rd_req++;
		rg->st.rd_sect += sectors;
	} else {
		rg->st.wr_req++;
		rg->st.wr_sect += sectors;
	}
}

/*
 * Answer a request whose bios all ended, give it back and drop its ring
 * reference.  @push: publish (and notify) now; the worker publishes once
 * per batch.  In bio completion only for requests without transient
 * mappings (unmap_segs then only drops persistent uses).
 */
static void answer(struct pvblkback_ring *rg, struct pvblkback_req *req,
		   bool push)
{
	unsigned long flags;

	pvblkback_unmap_segs(rg, req);
	spin_lock_irqsave(&rg->rsp_lock, flags);
	respond(rg, req->id, req->op == PVBLK_OP_INDIRECT ?
			     req->data_op : req->op, req->status);
	if (!req->status)
		count_done(rg, req);
	pvhist_add(&rg->lat, ktime_get_ns() - req->start_ns);
	if (push)
		pvsplit_ring_push(&rg->ring, &rg->ev);
	spin_unlock_irqrestore(&rg->rsp_lock, flags);
	/* from here @req may be reused by the worker: touch only @rg */
	llist_add(&req->done, &rg->freed);
	atomic_dec(&rg->inflight);
	/* pairs with the barrier after setting starved or draining */
	smp_mb__after_atomic();
	if (READ_ONCE(rg->starved) || READ_ONCE(rg->draining))
		wake_up(&rg->wq);
	/* the request's reference: last touch of @rg on this path */
	pvblkback_ring_put(rg);
}

/**
 * pvblkback_complete() - a request's last bio ended; any context
 * @req: the request, holding a reference on its ring
 */
void pvblkback_complete(struct pvblkback_req *req)
{
	struct pvblkback_ring *rg = req->ring;

	if (!req->nr_transient) {
		answer(rg, req, true);
		return;
	}
	/*
	 * Once on the done list the request (and its reference) belongs to
	 * whoever empties the list, who may answer it before we wake them:
	 * hold a reference of our own across the hand-over and the wake-up.
	 * Taking it cannot race with the last put: the request's is held.
	 */
	refcount_inc(&rg->refs);
	llist_add(&req->done, &rg->done);
	wake_up(&rg->wq);
	pvblkback_ring_put(rg);
}

/**
 * pvblkback_complete_done() - answer the requests handed to the worker
 * @rg: ring (its worker, or teardown once the worker stopped)
 *
 * Publishes nothing: the caller pushes once for the batch.
 *
 * Return: how many were answered.
 */
unsigned int pvblkback_complete_done(struct pvblkback_ring *rg)
{
	struct llist_node *list = llist_reverse_order(llist_del_all(&rg->done));
	struct pvblkback_req *req, *tmp;
	unsigned int n = 0;

	llist_for_each_entry_safe(req, tmp, list, done) {
		answer(rg, req, false);
		n++;
	}
	return n;
}
