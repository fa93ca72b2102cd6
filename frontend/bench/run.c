// SPDX-License-Identifier: GPL-2.0-only
/*
 * run.c - pvbench front end: one benchmark run.
 *
 * The run happens in the context of the process that asked for it (a
 * write to the "run" sysfs file), which is also the only consumer of
 * responses: the interrupt handler just wakes it.  Requests are published
 * in batches, one notification check per batch; while waiting, the run
 * asks the back end to notify it only once enough responses are there to
 * send the next batch.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/kernel_stat.h>
#include <linux/tick.h>
#include <linux/ktime.h>
#include <xen/page.h>

#include "pvbenchfront.h"

/* A back end that answers nothing for this long fails the run. */
#define PVBENCH_STALL_NS	(10ULL * NSEC_PER_SEC)

/**
 * struct pvbench_slot - one request id and what it carries
 * @busy: on the ring now
 * @t0: submit time
 * @csum: expected payload checksum
 * @pages: payload pages
 * @gref: their grants
 */
struct pvbench_slot {
	bool busy;
	u64 t0;
	u32 csum;
	struct page *pages[PVBENCH_MAX_SEGS];
	grant_ref_t gref[PVBENCH_MAX_SEGS];
};

struct pvbench_run {
	struct pvbench_front *fe;
	u64 gen;
	struct pvbench_params p;
	struct pvbench_slot *slot;
	unsigned int nr_segs;
	unsigned int *free_ids;
	unsigned int nr_free;
	u64 sent;
	u64 done;
	u64 deadline;
	u64 last_progress;
};

static u64 busy_ns(void)
{
	u64 idle = 0, total = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		u64 us = get_cpu_idle_time_us(cpu, NULL);
		struct kernel_cpustat *kcs = &kcpustat_cpu(cpu);

		if (us == (u64)-1)
			idle += kcs->cpustat[CPUTIME_IDLE];
		else
			idle += us * NSEC_PER_USEC;
		total += ktime_get_ns();
	}
	/* busy = elapsed * cpus - idle; callers take differences */
	return total - idle;
}

static void free_payload(struct pvbench_run *run)
{
	unsigned int i, s;

	for (i = 0; i < run->p.qd; i++) {
		struct pvbench_slot *sl = &run->slot[i];

		if (!sl->pages[0])
			continue;
		if (sl->gref[0] != INVALID_GRANT_REF)
			pvsplit_grant_revoke(sl->gref, sl->pages, run->nr_segs);
		for (s = 0; s < run->nr_segs; s++)
			if (sl->pages[s])
				__free_page(sl->pages[s]);
	}
}

/* Pages and grants for every id, filled and summed once for the run. */
static int alloc_payload(struct pvbench_run *run, domid_t domid)
{
	bool ro = run->p.op == PVBENCH_OP_WRITE;
	unsigned int i, s;

	for (i = 0; i < run->p.qd; i++) {
		struct pvbench_slot *sl = &run->slot[i];
		u32 h = 0;

		sl->gref[0] = INVALID_GRANT_REF;
		if (!run->nr_segs)
			continue;
		for (s = 0; s < run->nr_segs; s++) {
			u32 len = pvbench_seg_len(run->p.payload, s);
			void *va;

			sl->pages[s] = alloc_page(GFP_KERNEL | __GFP_ZERO);
			if (!sl->pages[s])
				return -ENOMEM;
			va = page_address(sl->pages[s]);
			pvbench_fill(va, s * PVBENCH_SEG_SIZE, len, i);
			h = pvbench_csum(h, va, len);
		}
		sl->csum = h;
		if (pvsplit_grant_pages(domid, sl->pages, run->nr_segs, ro,
					sl->gref)) {
			sl->gref[0] = INVALID_GRANT_REF;
			return -ENOSPC;
		}
	}
	return 0;
}

static bool want_more(struct pvbench_run *run)
{
	if (run->p.count)
		return run->sent < run->p.count;
	return ktime_get_ns() < run->deadline;
}

static void submit(struct pvbench_run *run, unsigned int n)
{
	struct pvbench_front *fe = run->fe;
	u64 now = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned int id = run->free_ids[--run->nr_free];
		struct pvbench_slot *sl = &run->slot[id];
		struct pvbench_request req = {
			.id = run->gen | id,
			.op = run->nr_segs ? run->p.op : PVBENCH_OP_NOP,
			.flags = run->p.xfer == PVBENCH_XFER_COPY ?
				 PVBENCH_F_COPY : 0,
			.nr_segs = run->nr_segs,
			.len = run->nr_segs ? run->p.payload : 0,
			.seed = id,
		};

		memcpy(req.gref, sl->gref, run->nr_segs * sizeof(req.gref[0]));
		*pvbench_ring_req(&fe->ring.r, i) = req;
		sl->busy = true;
		sl->t0 = now;
	}
	pvring_produce(&fe->ring.r, n);
	run->sent += n;
	/* the back end sleeps when idle: notify it even when we poll */
	pvsplit_ring_push(&fe->ring, &fe->ev);
}

static u32 payload_csum(struct pvbench_run *run, struct pvbench_slot *sl)
{
	unsigned int s;
	u32 h = 0;

	for (s = 0; s < run->nr_segs; s++)
		h = pvbench_csum(h, page_address(sl->pages[s]),
				 pvbench_seg_len(run->p.payload, s));
	return h;
}

/*
 * Take every response there is.  Return: how many, or a negative errno
 * when the back end broke the protocol (the device is then unusable).
 */
static int reap(struct pvbench_run *run)
{
	struct pvbench_front *fe = run->fe;
	struct pvbench_result *res = &fe->result;
	struct pvbench_response rsp[32];
	u64 now = 0;
	int i, n, total = 0;

	for (;;) {
		n = pvbench_ring_take_rsps(&fe->ring.r, rsp, ARRAY_SIZE(rsp));
		if (n < 0) {
			dev_err_ratelimited(&fe->dev->dev,
					    "back end broke the ring protocol\n");
			return n;
		}
		if (!n)
			return total;
		total += n;
		if (!now)
			now = ktime_get_ns();
		pvstats_batch(&fe->ring.stats, n);
		for (i = 0; i < n; i++) {
			struct pvbench_slot *sl;

			u64 id = rsp[i].id ^ run->gen;

			if (id >= run->p.qd || !run->slot[id].busy) {
				/* answers to an earlier run cut short */
				if ((rsp[i].id >> 32) != (run->gen >> 32) &&
				    fe->stale) {
					fe->stale--;
					continue;
				}
				dev_err_ratelimited(&fe->dev->dev,
						    "response with unknown id %llu\n",
						    rsp[i].id);
				return -EPROTO;
			}
			sl = &run->slot[id];
			sl->busy = false;
			run->free_ids[run->nr_free++] = id;
			pvhist_add(fe->lat, now - sl->t0);
			run->done++;
			if (rsp[i].status) {
				res->errors++;
				continue;
			}
			if (!run->nr_segs)
				continue;
			res->bytes += run->p.payload;
			if (!run->p.verify)
				continue;
			if (rsp[i].csum != sl->csum ||
			    (run->p.op == PVBENCH_OP_READ &&
			     payload_csum(run, sl) != sl->csum))
				res->bad_csum++;
		}
		/* a short batch means the ring is drained: no second look */
		if (n < (int)ARRAY_SIZE(rsp))
			return total;
	}
}

/* Sleep until the back end has answered @need more, or trouble. */
static int wait_responses(struct pvbench_run *run, unsigned int need)
{
	struct pvbench_front *fe = run->fe;
	int avail;

	if (run->p.poll) {
		cpu_relax();
		avail = 0;
	} else {
		avail = pvring_arm(&fe->ring.r, need);
		if (avail < 0)
			return avail;
		if ((unsigned int)avail < need)
			wait_event_interruptible_timeout(fe->wq,
				atomic_read(&fe->kicked) || !READ_ONCE(fe->connected),
				HZ);
		atomic_set(&fe->kicked, 0);
	}
	if (!READ_ONCE(fe->connected))
		return -ENODEV;
	if (signal_pending(current))
		return -EINTR;
	if (!avail && ktime_get_ns() - run->last_progress > PVBENCH_STALL_NS)
		return -ETIMEDOUT;
	return 0;
}

static int run_loop(struct pvbench_run *run)
{
	struct pvbench_front *fe = run->fe;
	unsigned int b = min(run->p.batch, run->p.qd);
	int err = 0, n;

	while (!err) {
		n = reap(run);
		if (n < 0)
			return n;
		if (n)
			run->last_progress = ktime_get_ns();

		if (want_more(run)) {
			unsigned int room = min(run->nr_free,
						pvring_free(&fe->ring.r));
			unsigned int k = b;

			if (run->p.count)
				k = min_t(u64, k, run->p.count - run->sent);
			if (room >= k) {
				submit(run, k);
				continue;
			}
			err = wait_responses(run, min(k - room,
					     pvring_in_flight(&fe->ring.r)));
		} else if (run->done < run->sent) {
			err = wait_responses(run, 1);
		} else {
			break;
		}
		if (!(run->sent & 1023))
			cond_resched();
	}
	return err;
}

/**
 * pvbenchfront_run() - run one benchmark with the current parameters
 * @fe: device, with @lock held and connected
 *
 * Return: 0 or a negative errno; fe->result holds what was measured
 * either way.
 */
int pvbenchfront_run(struct pvbench_front *fe)
{
	struct pvbench_result *res = &fe->result;
	struct pvbench_run run = { .fe = fe, .p = fe->params };
	u64 notify0, wake0, cpu0, t0;
	unsigned int i;
	int err;

	memset(res, 0, sizeof(*res));
	memset(fe->lat, 0, sizeof(*fe->lat));
	if (!fe->connected || fe->broken)
		return res->status = -ENOTCONN;
	if (run.p.payload > fe->max_segs * PVBENCH_SEG_SIZE ||
	    (run.p.xfer == PVBENCH_XFER_COPY && !fe->backend_copy))
		return res->status = -EINVAL;
	run.p.qd = min(run.p.qd, fe->ring.r.size);
	run.gen = ++fe->gen << 32;
	run.nr_segs = DIV_ROUND_UP(run.p.payload, PVBENCH_SEG_SIZE);

	run.slot = kvcalloc(run.p.qd, sizeof(*run.slot), GFP_KERNEL);
	run.free_ids = kvcalloc(run.p.qd, sizeof(*run.free_ids), GFP_KERNEL);
	err = -ENOMEM;
	if (!run.slot || !run.free_ids)
		goto free_arrays;
	err = alloc_payload(&run, fe->dev->otherend_id);
	if (err)
		goto free_payload;
	for (i = 0; i < run.p.qd; i++)
		run.free_ids[i] = run.p.qd - 1 - i;
	run.nr_free = run.p.qd;

	notify0 = fe->ring.stats.notify_sent;
	wake0 = fe->ring.stats.wakeups;
	cpu0 = busy_ns();
	t0 = ktime_get_ns();
	run.deadline = t0 + (u64)run.p.duration_ms * NSEC_PER_MSEC;
	run.last_progress = t0;

	err = run_loop(&run);

	res->elapsed_ns = ktime_get_ns() - t0;
	res->cpu_ns = busy_ns() - cpu0;
	res->requests = run.done;
	fe->stale += run.sent - run.done;
	res->notify_sent = fe->ring.stats.notify_sent - notify0;
	res->wakeups = fe->ring.stats.wakeups - wake0;
	res->p50_ns = pvhist_percentile(fe->lat, 500);
	res->p99_ns = pvhist_percentile(fe->lat, 990);
	if (err == -EPROTO) {
		fe->broken = true;
		fe->ring.stats.protocol_errors++;
		xenbus_dev_error(fe->dev, err, "back end broke the protocol");
	}
	if (!err && res->bad_csum)
		err = -EIO;
	/*
	 * Requests still in flight (run cut short) keep their pages granted
	 * and possibly mapped; revoking hands those pages to the grant code.
	 */
free_payload:
	free_payload(&run);
free_arrays:
	kvfree(run.free_ids);
	kvfree(run.slot);
	res->status = err;
	return err;
}
