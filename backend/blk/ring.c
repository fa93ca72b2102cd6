// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c - pvblk back end: the worker that serves one ring.
 *
 * One thread per ring.  The event channel handler only wakes it.  Each pass
 * answers the requests whose bios ended (unmapping their transient grants
 * in batches), then copies new requests out of the ring in batches,
 * decodes and checks each private copy, and submits under one plug.  All
 * responses of a pass are published together, with at most one
 * notification; the late EOI follows once the ring has been drained.
 *
 * A pass takes at most PVBLKBACK_BUDGET requests.  A front end that
 * refills the ring as fast as we drain it (unsupported operations cost it
 * nothing and are answered inline) would otherwise keep the worker in one
 * loop with no scheduling point: after a full budget the worker looks
 * after completions, sends the late EOI, yields the CPU and comes back
 * for the rest, so the guest gets its share of dom0 and no more.
 *
 * A barrier write waits until every request taken before it on the ring
 * has completed (drain()), as blkif requires; later requests wait behind
 * it in the ring meanwhile.
 *
 * When requests come in faster than poll_max_us apart and the front end
 * streams (more than one request outstanding), the worker spins for the
 * next one (twice the usual gap) before it asks the front end for a
 * notification and sleeps: a busy front end then never has to kick, and
 * we save the interrupt, the wake-up and the EOI.  A front end with one
 * request in flight sends no other before our answer: no spin then.
 *
 * A request that is malformed (not just unsupported, out of range or
 * naming a bad grant, which get error responses) or a producer index that
 * runs away means the front end is broken or hostile: that device stops
 * taking requests and is shut down, other devices go on.
 */
#include <linux/blkdev.h>
#include <linux/debugfs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <xen/page.h>

#include "pvblkback.h"

static irqreturn_t pvblkback_interrupt(int irq, void *data)
{
	struct pvblkback_ring *rg = data;

	rg->ring.stats.wakeups++;
	atomic_set(&rg->eoi_owed, 1);
	atomic_set(&rg->kicked, 1);
	wake_up(&rg->wq);
	return IRQ_HANDLED;
}

/* An unused request; the worker owns the free list. */
static struct pvblkback_req *get_req(struct pvblkback_ring *rg)
{
	struct llist_node *freed;
	struct pvblkback_req *req, *tmp;

	if (list_empty(&rg->free)) {
		freed = llist_del_all(&rg->freed);
		llist_for_each_entry_safe(req, tmp, freed, done)
			list_add(&req->node, &rg->free);
	}
	return list_first_entry_or_null(&rg->free, struct pvblkback_req, node);
}

static void malformed(struct pvblkback_ring *rg, const struct pvblk_req *r,
		      int err, const char *what)
{
	rg->st.bad_req++;
	dev_warn_ratelimited(&rg->be->dev->dev,
			     "ring %u: %s: op %u segs %u sector %llu (%d); disconnecting\n",
			     rg->index, what, r->op, r->nr_segs, r->sector, err);
	rg->dead = true;
}

/* Fetch and check the segment descriptors of an indirect request. */
static int fetch_indirect(struct pvblkback_ring *rg, const struct pvblk_req *r,
			  struct pvblkback_req *req)
{
	struct gnttab_copy ops[PVBLK_MAX_INDIRECT_PAGES];
	unsigned int i, left = r->nr_segs;

	memset(ops, 0, sizeof(ops));
	for (i = 0; i < r->nr_indirect; i++) {
		unsigned int n = min_t(unsigned int, left, PVBLK_SEGS_PER_PAGE);

		ops[i].source.u.ref = r->indirect_gref[i];
		ops[i].source.domid = rg->be->domid;
		ops[i].dest.u.gmfn = virt_to_gfn(page_address(rg->ind[i]));
		ops[i].dest.domid = DOMID_SELF;
		ops[i].flags = GNTCOPY_source_gref;
		ops[i].len = n * PVBLK_SEG_SIZE;
		left -= n;
	}
	if (pvsplit_grant_copy(ops, r->nr_indirect))
		return -EFAULT;
	for (i = 0; i < r->nr_segs; i++)
		pvblk_decode_seg((u8 *)page_address(rg->ind[i / PVBLK_SEGS_PER_PAGE]) +
				 (i % PVBLK_SEGS_PER_PAGE) * PVBLK_SEG_SIZE,
				 &req->segs[i]);
	return 0;
}

/*
 * Wait until every request in flight on the ring has been answered: what
 * a barrier write must see before it goes to the disk.  The requests
 * still in our plug are sent first, and requests handed back for
 * unmapping are answered here, since nobody else will while we wait.
 */
static void drain(struct pvblkback_ring *rg, struct blk_plug *plug)
{
	if (!atomic_read(&rg->inflight))
		return;
	rg->st.drains++;
	blk_finish_plug(plug);
	pvblkback_push(rg);
	WRITE_ONCE(rg->draining, true);
	smp_mb();	/* draining before inflight; see answer() in respond.c */
	for (;;) {
		wait_event_idle(rg->wq, !atomic_read(&rg->inflight) ||
					!llist_empty(&rg->done));
		pvblkback_complete_done(rg);
		pvblkback_push(rg);
		if (!atomic_read(&rg->inflight))
			break;
	}
	WRITE_ONCE(rg->draining, false);
	blk_start_plug(plug);
}

/*
 * Take one decoded request: answer it at once when it cannot be served,
 * else map and submit it.  @plug: the caller's, for drain().
 */
static void take(struct pvblkback_ring *rg, const struct pvblk_req *r,
		 struct blk_plug *plug)
{
	struct pvblkback *be = rg->be;
	struct pvblkback_req *req;
	struct pvblk_limits lim = be->lim;
	u64 nr_sectors;
	int err;

	lim.capacity = READ_ONCE(be->lim.capacity);
	err = pvblk_check_req(r, &lim);
	if (err == -EINVAL) {
		malformed(rg, r, err, "malformed request");
		goto answer;
	}
	if (err)
		goto answer;
	if (r->op == PVBLK_OP_DISCARD) {
		err = pvblkback_discard(be, r);
		if (!err)
			rg->st.ds_req++;
		goto answer;
	}

	req = get_req(rg);
	if (WARN_ON_ONCE(!req)) {
		err = -ENOMEM;
		goto answer;
	}
	req->id = r->id;
	req->op = r->op;
	/* flushes and barriers are writes, with or without data */
	req->data_op = r->data_op == PVBLK_OP_READ ? PVBLK_OP_READ :
						     PVBLK_OP_WRITE;
	req->nr_segs = r->nr_segs;
	req->sector = r->sector;
	req->status = PVBLK_RSP_OKAY;
	if (r->op == PVBLK_OP_INDIRECT) {
		err = fetch_indirect(rg, r, req);
		if (err)
			goto answer;
	} else {
		memcpy(req->segs, r->seg, r->nr_segs * sizeof(*req->segs));
	}
	/* an empty flush names no sectors */
	err = req->nr_segs ? pvblk_check_segs(req->segs, req->nr_segs,
					      req->sector, &lim, &nr_sectors) : 0;
	if (err == -EINVAL) {
		malformed(rg, r, err, "malformed segments");
		goto answer;
	}
	if (err)
		goto answer;
	if (r->op == PVBLK_OP_WRITE_BARRIER)
		drain(rg, plug);
	/* nothing may be mapped yet: unmap_segs looks at every page slot */
	memset(req->pages, 0, req->nr_segs * sizeof(*req->pages));
	err = pvblkback_map_segs(rg, req);
	if (err) {
		dev_warn_ratelimited(&be->dev->dev,
				     "ring %u: request %llu: grant refused (%d)\n",
				     rg->index, r->id, err);
		goto answer;
	}
	list_del(&req->node);
	atomic_inc(&rg->inflight);
	/* dropped once it is answered; we hold the ring's own meanwhile */
	refcount_inc(&rg->refs);
	req->start_ns = ktime_get_ns();
	pvblkback_submit(rg, req);
	return;

answer:
	pvblkback_respond(rg, r->id, pvblk_rsp_op(r), pvblk_errno_status(err));
}

/*
 * Copy out and take requests while there are some, room to hold them and
 * @budget left.  Does not ask for a notification: serve() decides when to
 * sleep.
 * Return: requests taken, or -EPROTO when the front end broke the ring.
 */
static int intake(struct pvblkback_ring *rg, unsigned int budget)
{
	struct pvring *r = &rg->ring.r;
	enum pvblk_abi abi = rg->be->abi;
	size_t slot = pvblk_slot_size(abi);
	struct blk_plug plug;
	unsigned int done = 0;
	struct pvblk_req req;
	int i, n, ret = 0;

	blk_start_plug(&plug);
	while (!rg->dead && done < budget) {
		unsigned int room = rg->ring.r.size - atomic_read(&rg->inflight);

		if (!room) {
			/* the front end will not kick again: look after completions */
			rg->st.oo_req++;
			WRITE_ONCE(rg->starved, true);
			smp_mb();	/* starved before inflight; see finish */
			if (atomic_read(&rg->inflight) < rg->ring.r.size)
				continue;
			break;
		}
		n = pvring_consume_batch(r, rg->slots, sizeof(rg->slots[0]), slot,
					 min3(room, PVBLKBACK_BATCH, budget - done));
		if (n < 0) {
			ret = n;
			break;
		}
		if (!n)
			break;
		pvstats_batch(&rg->ring.stats, n);
		for (i = 0; i < n && !rg->dead; i++) {
			pvblk_decode_req(rg->slots[i], abi, &req);
			take(rg, &req, &plug);
		}
		done += n;
		pvblkback_push(rg);
	}
	blk_finish_plug(&plug);
	return ret ? ret : done;
}

/*
 * Stop a spin at once for work elsewhere.  Bio completions we are waiting
 * for may sit in the block softirq, raised from this thread: run it here
 * rather than wait for ksoftirqd, which cannot run while we spin.
 */
static bool poll_stop(void *data)
{
	struct pvblkback_ring *rg = data;

	local_bh_disable();
	local_bh_enable();
	return !llist_empty(&rg->done) || kthread_should_stop();
}

/*
 * Spin for the next request without asking the front end to notify.
 * @taken: requests this pass has taken so far
 * Return: true when one came; false when the window passed, bios ended
 * with work for the worker, or the worker must stop.
 */
static bool poll(struct pvblkback_ring *rg, int taken)
{
	u64 max = (u64)READ_ONCE(pvblkback_poll_max_us) * NSEC_PER_USEC;
	u64 window;

	window = pvpoll_window(&rg->poll, max);
	if (!window)
		return false;
	/*
	 * A front end that has had one request at a time outstanding in
	 * this pass (one in flight, one taken) waits for its answer before
	 * it sends the next, so spinning cannot find one: it would only
	 * take the CPU from the completion and from the guest.  Run the
	 * block softirq once, so a completion raised by our own submission
	 * is not left to ksoftirqd, and sleep.  A front end streaming
	 * requests answered at once (nothing stays in flight) has this
	 * pass take several: it is polled for.
	 */
	if (atomic_read(&rg->inflight) < 2 && taken < 2) {
		local_bh_disable();
		local_bh_enable();
		rg->st.poll_skip++;
		return false;
	}
	return pvsplit_ring_poll(&rg->ring.r, &rg->poll, window, max,
				 poll_stop, rg, &rg->st.poll);
}

/*
 * Take requests until the ring stays empty, then ask for a notification;
 * or until PVBLKBACK_BUDGET requests were taken, then come back later
 * (kicked) without asking for one.
 * Return: requests taken, or -EPROTO.
 */
static int serve(struct pvblkback_ring *rg)
{
	u64 max = (u64)READ_ONCE(pvblkback_poll_max_us) * NSEC_PER_USEC;
	int n, total = 0;

	for (;;) {
		if (total >= PVBLKBACK_BUDGET) {
			/* no final check: the ring may not be empty */
			rg->st.yields++;
			atomic_set(&rg->kicked, 1);
			return total;
		}
		n = intake(rg, PVBLKBACK_BUDGET - total);
		if (n < 0)
			return n;
		if (rg->poll.idle_since)
			pvpoll_woke(&rg->poll, n, ktime_get_ns(), max);
		pvpoll_took(&rg->poll, n);
		total += n;
		/* starved: bio completion wakes us, the front end need not */
		if (rg->dead || READ_ONCE(rg->starved))
			return total;
		if (poll(rg, total))
			continue;
		if (!pvring_final_check(&rg->ring.r)) {
			pvpoll_slept(&rg->poll, ktime_get_ns());
			return total;
		}
	}
}

static void broken(struct pvblkback_ring *rg, const char *why)
{
	rg->ring.stats.protocol_errors++;
	dev_err_ratelimited(&rg->be->dev->dev, "ring %u: %s; disconnecting\n",
			    rg->index, why);
	xenbus_dev_fatal(rg->be->dev, -EPROTO, "%s", why);
	rg->dead = true;
}

static bool starved_with_room(struct pvblkback_ring *rg)
{
	return READ_ONCE(rg->starved) &&
	       atomic_read(&rg->inflight) < rg->ring.r.size;
}

static bool has_work(struct pvblkback_ring *rg)
{
	return atomic_read(&rg->kicked) || !llist_empty(&rg->done) ||
	       starved_with_room(rg) || kthread_should_stop();
}

/* New requests to look at: the front end kicked, or we left some behind. */
static bool want_intake(struct pvblkback_ring *rg)
{
	bool starved = starved_with_room(rg);

	if (starved)
		WRITE_ONCE(rg->starved, false);
	return (atomic_xchg(&rg->kicked, 0) | starved) && !rg->dead;
}

static int pvblkback_thread(void *data)
{
	struct pvblkback_ring *rg = data;
	bool was_dead = false;
	int n;

	while (!kthread_should_stop()) {
		wait_event_interruptible(rg->wq, has_work(rg));
		pvblkback_complete_done(rg);
		pvblkback_push(rg);
		n = 0;
		if (want_intake(rg)) {
			n = serve(rg);
			if (n == -EPROTO)
				broken(rg, "front end moved the request index beyond the ring");
			else if (n == 0)
				rg->ring.stats.spurious++;
		}
		if (rg->dead && !was_dead) {
			was_dead = true;
			if (n != -EPROTO)
				xenbus_dev_fatal(rg->be->dev, -EINVAL,
						 "malformed request on ring %u",
						 rg->index);
		}
		pvblkback_push(rg);
		/*
		 * One late EOI per interrupt, after the ring was drained or
		 * the budget spent; then let the rest of dom0 run.
		 */
		if (atomic_xchg(&rg->eoi_owed, 0))
			pvsplit_evtchn_eoi(&rg->ev, n <= 0);
		cond_resched();
	}
	return 0;
}

static void free_reqs(struct pvblkback_ring *rg, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		kvfree(rg->reqs[i].segs);
		kvfree(rg->reqs[i].pages);
		kvfree(rg->reqs[i].pg);
		kvfree(rg->reqs[i].handle);
	}
	kvfree(rg->reqs);
	rg->reqs = NULL;
}

static int alloc_reqs(struct pvblkback_ring *rg, unsigned int max_segs)
{
	unsigned int i, n = rg->ring.r.size;

	rg->reqs = kvcalloc(n, sizeof(*rg->reqs), GFP_KERNEL);
	if (!rg->reqs)
		return -ENOMEM;
	INIT_LIST_HEAD(&rg->free);
	for (i = 0; i < n; i++) {
		struct pvblkback_req *req = &rg->reqs[i];

		req->ring = rg;
		req->segs = kvcalloc(max_segs, sizeof(*req->segs), GFP_KERNEL);
		req->pages = kvcalloc(max_segs, sizeof(*req->pages), GFP_KERNEL);
		req->pg = kvcalloc(max_segs, sizeof(*req->pg), GFP_KERNEL);
		req->handle = kvcalloc(max_segs, sizeof(*req->handle), GFP_KERNEL);
		if (!req->segs || !req->pages || !req->pg || !req->handle) {
			free_reqs(rg, i + 1);
			return -ENOMEM;
		}
		list_add_tail(&req->node, &rg->free);
	}
	return 0;
}

static void free_ind(struct pvblkback_ring *rg)
{
	unsigned int i;

	for (i = 0; i < PVBLK_MAX_INDIRECT_PAGES; i++) {
		if (rg->ind[i])
			__free_page(rg->ind[i]);
		rg->ind[i] = NULL;
	}
}

/**
 * pvblkback_ring_start() - map a ring, bind its event channel, start its
 * worker
 * @rg: ring with @be and @index set
 * @lay: where the front end published it
 *
 * Return: 0, or a negative errno with nothing left set up.
 */
int pvblkback_ring_start(struct pvblkback_ring *rg,
			 const struct pvsplit_ring_layout *lay)
{
	struct pvblkback *be = rg->be;
	unsigned int i, max_segs = max(be->lim.max_indirect_segs, PVBLK_MAX_SEGS);
	const char *devid = strrchr(be->dev->nodename, '/') + 1;
	char name[48];
	int err;

	init_waitqueue_head(&rg->wq);
	init_llist_head(&rg->done);
	init_llist_head(&rg->freed);
	spin_lock_init(&rg->rsp_lock);
	atomic_set(&rg->inflight, 0);
	refcount_set(&rg->refs, 1);	/* the ring's own, dropped in stop */
	init_completion(&rg->stopped);
	rg->starved = false;
	rg->draining = false;
	rg->poll = (struct pvpoll){ 0 };
	err = pvsplit_ring_map(&rg->ring, be->dev, lay->gref, lay->order,
			       pvblk_slot_size(be->abi));
	if (err)
		return err;
	err = alloc_reqs(rg, max_segs);
	if (err)
		goto unmap_ring;
	/* pages come as misses need them; the pool keeps them for reuse */
	err = pvsplit_gpool_init(&rg->gpool, be->domid, 0, PVBLKBACK_POOL_MAX);
	if (err)
		goto free_reqs;
	pvsplit_pgrants_init(&rg->pgrants, &rg->gpool);
	for (i = 0; i < PVBLK_MAX_INDIRECT_PAGES; i++) {
		rg->ind[i] = alloc_page(GFP_KERNEL);
		if (!rg->ind[i]) {
			err = -ENOMEM;
			goto free_ind;
		}
	}
	atomic_set(&rg->eoi_owed, 0);
	atomic_set(&rg->kicked, 1);	/* look once: requests may be queued */
	/* bind before the worker exists: the handler may run during bind */
	err = pvsplit_evtchn_bind(&rg->ev, be->dev, lay->evtchn,
				  pvblkback_interrupt, "pvblkback", rg);
	if (err)
		goto free_ind;
	rg->task = kthread_run(pvblkback_thread, rg, "pvblkback/%u:%s:%u",
			       be->domid, devid, rg->index);
	if (IS_ERR(rg->task)) {
		err = PTR_ERR(rg->task);
		rg->task = NULL;
		goto close_evtchn;
	}
	snprintf(name, sizeof(name), "ring%u", rg->index);
	rg->dbg = pvsplit_debugfs_dir(name, be->dbg);
	pvsplit_debugfs_ring(rg->dbg, "ring", &rg->ring);
	pvsplit_debugfs_hist(rg->dbg, "latency_ns", &rg->lat);
	/* this ring's share of statistics/ in sysfs, for pvsplit top */
	debugfs_create_u64("rd_sect", 0444, rg->dbg, &rg->st.rd_sect);
	debugfs_create_u64("wr_sect", 0444, rg->dbg, &rg->st.wr_sect);
	debugfs_create_u64("bad_req", 0444, rg->dbg, &rg->st.bad_req);
	debugfs_create_u64("err_req", 0444, rg->dbg, &rg->st.err_req);
	return 0;

close_evtchn:
	pvsplit_evtchn_close(&rg->ev, rg);
free_ind:
	free_ind(rg);
	pvsplit_gpool_destroy(&rg->gpool);
free_reqs:
	free_reqs(rg, rg->ring.r.size);
unmap_ring:
	pvsplit_ring_unmap(&rg->ring, be->dev);
	return err;
}

/**
 * pvblkback_ring_stop() - stop a ring's worker and undo everything
 * @rg: ring, started; the caller may free it once this returns
 *
 * Waits for the bios in flight (the disk owns their pages until they end),
 * then unmaps every grant, so a front end that vanished leaves nothing.
 * The event channel is closed only once no request is in flight:
 * completions may still notify through it.
 *
 * Why nothing touches @rg after we return: every request in flight holds
 * a reference (taken at intake, dropped by pvblkback_ring_put() as the last
 * thing its answer does), and a bio completion handing a request to the
 * worker holds one of its own across the hand-over and wake-up.  We drop
 * the ring's own reference and wait for rg->stopped, which the last put
 * completes after its final touch of @rg.
 */
void pvblkback_ring_stop(struct pvblkback_ring *rg)
{
	struct pvblkback *be = rg->be;

	if (!rg->task)
		return;
	pvsplit_debugfs_remove(rg->dbg);
	rg->dbg = NULL;
	kthread_stop(rg->task);
	rg->task = NULL;
	/*
	 * The worker is gone: answer what bio completion hands over
	 * ourselves.  Answering may drop the last reference (ours, below, or
	 * a request's), which also wakes @wq.
	 */
	pvblkback_ring_put(rg);
	for (;;) {
		wait_event(rg->wq, !llist_empty(&rg->done) ||
				   !refcount_read(&rg->refs));
		pvblkback_complete_done(rg);
		pvblkback_push(rg);
		/* no reference left: no request is in flight or on the list */
		if (!refcount_read(&rg->refs))
			break;
	}
	/* the last put may still be inside wake_up(): wait until it is out */
	wait_for_completion(&rg->stopped);
	WARN_ON_ONCE(atomic_read(&rg->inflight));
	pvsplit_evtchn_close(&rg->ev, rg);
	pvsplit_pgrants_flush(&rg->pgrants);
	pvsplit_gpool_destroy(&rg->gpool);
	free_ind(rg);
	free_reqs(rg, rg->ring.r.size);
	pvsplit_ring_unmap(&rg->ring, be->dev);
}
