// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring_ends.c - the front and back ends ring_bench measures: Xen's stock
 * io/ring.h macros as the stock Linux drivers use them, and pvring.h with
 * our back end's spin (pvpoll.h).  ring_bench.c times them.
 */
#include "ring_bench.h"

double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void kick(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		abort();
}

static void sleep_on(int fd)
{
	uint64_t v;

	if (read(fd, &v, sizeof(v)) != sizeof(v) && errno != EINTR)
		abort();
}

static inline void relax(void)
{
	__builtin_ia32_pause();
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* pvblkback's poll_max_us default: the longest spin for the next request */
#define POLL_MAX_NS	2000000u
/* --no-spin: our back end sleeps at once, as stock's does */
bool back_spin = true;

/*
 * Our back end in event-driven mode spins for the next request once the
 * ring is empty, before it asks for a notification, on pvblkback's terms
 * and one more:
 * - requests have been arriving less than POLL_MAX_NS apart (pvpoll.h
 *   keeps the gaps and gives the window), the requests taken have paid
 *   for the spin time (20 us each), and the last spins did not miss
 *   (after a miss, 1, 2, 4 ... 64 chances are passed up);
 * - the front end sent more than one since we woke (with one, it waits
 *   for our answer; nothing stays in flight here, every request is
 *   answered at once);
 * - and it has filled the ring since we woke: it produces faster than we
 *   answer and waits on us at times, so the gap after we drain the ring
 *   is its own turn-around, worth spinning through.  A front end that
 *   never fills the ring is still producing when we catch up; chasing it
 *   one request at a time costs both ends more (they write neighbouring
 *   slots, on shared cache lines) than letting the final check or its
 *   notification find the next batch: 0.6 of sleeping at once, measured
 *   at 512 slots, batch 1.
 * The front end's publish then finds no notification asked for.  Stock's
 * back end asks and sleeps at once, as blkback does.
 * Return: true when requests came (or the ring broke: the caller sees it).
 */
static bool spin_for_next(struct side *sd, struct pvpoll *p, uint64_t taken,
			  bool filled)
{
	struct pvring *r = &sd->ring.ours;
	uint64_t window, start = 0, t = 0;
	unsigned int i;

	if (!back_spin || taken < 2 || !filled)
		return false;
	window = pvpoll_window(p, POLL_MAX_NS);
	if (!window || pvpoll_pass_up(p))
		return false;
	/*
	 * The clock is read every 16 looks, not each: at a few tens of
	 * nanoseconds a read it would cost more than the look itself when
	 * the next request is a moment away.  A request found before the
	 * first read counts as a gap of 0.
	 */
	for (i = 1;; i++) {
		if (pvring_avail(r)) {
			pvpoll_found(p, start ? now_ns() - start : 0,
				     POLL_MAX_NS);
			sd->spins_found++;
			return true;
		}
		relax();
		if (i % 16)
			continue;
		t = now_ns();
		if (!start)
			start = t;
		else if (t - start >= window)
			break;
	}
	pvpoll_missed(p, t - start);
	sd->spins_missed++;
	return false;
}

/*
 * What one end reports when its run is over: its thread's CPU time since
 * @t0 and the counts it kept in locals (not in @sd, which the other end's
 * cache line may neighbour) while it ran.
 */
static void side_done(struct side *sd, double t0, uint64_t notifies,
		      uint64_t errors)
{
	sd->cpu = now(CLOCK_THREAD_CPUTIME_ID) - t0;
	sd->notifies = notifies;
	sd->errors = errors;
}

static void fill_req(struct breq *r, uint64_t id)
{
	r->id = id;
	r->op = 0;
	r->nr_segments = 1;
	r->sector = id * 8;
}

/*
 * What both back ends do with a request copied out of the ring: look at
 * it, as a real back end validates one, and answer.  The empty asm says
 * the private copy is used whole, so the compiler must make it: without
 * it GCC dropped the stock side's RING_COPY_REQUEST entirely (the response
 * overlays the request in the same slot, so rsp->id = req.id stores back
 * what is there and the volatile copy feeding it went too), and stock's
 * back end did one 16-bit store per request while ours copied 112 bytes.
 */
static inline void answer(const struct breq *req, struct brsp *rsp)
{
	__asm__ __volatile__("" : : "r"(req) : "memory");
	rsp->id = req->id;
	rsp->op = req->op;
	rsp->status = req->nr_segments == 1 && req->sector == req->id * 8 ?
		      0 : -1;
}

/* ---- stock io/ring.h ------------------------------------------------- */

void stock_front(struct shared *sh)
{
	const struct cfg *c = sh->c;
	struct bench_front_ring *fr = &sh->side[0].ring.stock_front;
	uint64_t sent = 0, done = 0;
	uint64_t notifies = 0, errors = 0;
	double t0;

	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	FRONT_RING_ATTACH(fr, (struct bench_sring *)sh->mem, 0, sh->bytes);
	while (done < c->n) {
		RING_IDX rp, i;
		unsigned int n, k, room;

		rp = fr->sring->rsp_prod;
		xen_rmb();
		for (i = fr->rsp_cons; i != rp; i++) {
			struct brsp r = *RING_GET_RESPONSE(fr, i);

			if (r.id != done || r.status)
				errors++;
			done++;
		}
		fr->rsp_cons = rp;
		if (done == c->n)
			break;

		room = RING_FREE_REQUESTS(fr);
		k = c->batch;
		if (c->n - sent < k)
			k = c->n - sent;
		if (k && room >= k) {
			int notify;

			for (n = 0; n < k; n++)
				fill_req(RING_GET_REQUEST(fr, fr->req_prod_pvt++), sent++);
			if (c->poll) {
				RING_PUSH_REQUESTS(fr);
			} else {
				RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(fr, notify);
				if (notify) {
					notifies++;
					kick(sh->req_efd);
				}
			}
			continue;
		}
		if (c->poll) {
			relax();
		} else {
			int more;

			RING_FINAL_CHECK_FOR_RESPONSES(fr, more);
			if (!more)
				sleep_on(sh->rsp_efd);
		}
	}
	side_done(&sh->side[0], t0, notifies, errors);
}

void stock_back(struct shared *sh)
{
	const struct cfg *c = sh->c;
	struct bench_back_ring *br = &sh->side[1].ring.stock_back;
	uint64_t done = 0;
	uint64_t notifies = 0, errors = 0;
	double t0;

	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	BACK_RING_ATTACH(br, (struct bench_sring *)sh->mem, 0, sh->bytes);
	while (done < c->n) {
		RING_IDX rc = br->req_cons, rp = br->sring->req_prod;
		int more;

		xen_rmb();
		if (RING_REQUEST_PROD_OVERFLOW(br, rp)) {
			errors++;
			break;
		}
		while (rc != rp) {
			struct breq req;
			struct brsp *rsp;
			int notify;

			RING_COPY_REQUEST(br, rc, &req);
			br->req_cons = ++rc;
			rsp = RING_GET_RESPONSE(br, br->rsp_prod_pvt);
			answer(&req, rsp);
			br->rsp_prod_pvt++;
			done++;
			if (c->poll) {
				RING_PUSH_RESPONSES(br);
			} else {
				RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(br, notify);
				if (notify) {
					notifies++;
					kick(sh->rsp_efd);
				}
			}
		}
		if (c->poll) {
			if (br->req_cons == br->sring->req_prod)
				relax();
			continue;
		}
		RING_FINAL_CHECK_FOR_REQUESTS(br, more);
		if (!more && done < c->n)
			sleep_on(sh->req_efd);
	}
	side_done(&sh->side[1], t0, notifies, errors);
}

/* ---- ours ------------------------------------------------------------- */

void ours_front(struct shared *sh)
{
	const struct cfg *c = sh->c;
	struct pvring *r = &sh->side[0].ring.ours;
	struct brsp rsp[MAX_BATCH];
	uint64_t sent = 0, done = 0;
	uint64_t notifies = 0, errors = 0;
	double t0;

	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	pvb_attach(r, sh->mem, sh->bytes, PVRING_FRONT, 0);
	while (done < c->n) {
		int i, n;
		uint32_t k, room;

		/* one look at the shared index per pass, as the stock loop */
		n = pvb_take_rsps(r, rsp, MAX_BATCH);
		for (i = 0; i < n; i++)
			if (rsp[i].id != done++ || rsp[i].status)
				errors++;
		if (n < 0) {
			errors++;
			break;
		}
		if (done == c->n)
			break;
		room = pvring_free(r);
		k = c->batch;
		if (c->n - sent < k)
			k = c->n - sent;
		if (k && room >= k) {
			for (i = 0; i < (int)k; i++)
				fill_req(pvb_req(r, i), sent++);
			pvring_produce(r, k);
			if (c->poll) {
				pvring_publish_quiet(r);
			} else if (pvring_publish(r)) {
				notifies++;
				kick(sh->req_efd);
			}
			continue;
		}
		if (c->poll) {
			relax();
			continue;
		}
		/* wake once enough responses are there for the next batch */
		k = k ? k - room : 1;
		if (k > pvring_in_flight(r))
			k = pvring_in_flight(r);
		n = pvring_arm(r, k ? k : 1);
		if (n >= 0 && (uint32_t)n < (k ? k : 1))
			sleep_on(sh->rsp_efd);
	}
	side_done(&sh->side[0], t0, notifies, errors);
}

void ours_back(struct shared *sh)
{
	const struct cfg *c = sh->c;
	struct pvring *r = &sh->side[1].ring.ours;
	struct breq req[MAX_BATCH];
	struct pvpoll p = { 0 };
	uint64_t done = 0, taken = 0;
	uint64_t notifies = 0, errors = 0;
	bool filled = false;
	double t0;

	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	pvb_attach(r, sh->mem, sh->bytes, PVRING_BACK, 0);
	while (done < c->n) {
		int i, n = pvb_take_reqs(r, req, c->back_batch);

		if (n < 0) {
			errors++;
			break;
		}
		if (n > 0) {
			if (p.idle_since)
				pvpoll_woke(&p, n, now_ns(), POLL_MAX_NS);
			taken += n;
			pvpoll_took(&p, n);
			/* every slot held a request we had not answered */
			if (r->peer_seen - r->published == r->size)
				filled = true;
			for (i = 0; i < n; i++)
				answer(&req[i], pvb_rsp(r, i));
			pvring_produce(r, n);
			done += n;
			if (c->poll) {
				pvring_publish_quiet(r);
			} else if (pvring_publish(r)) {
				notifies++;
				kick(sh->rsp_efd);
			}
			continue;
		}
		if (c->poll) {
			relax();
		} else if (spin_for_next(&sh->side[1], &p, taken, filled)) {
			continue;
		} else if (!pvring_final_check(r)) {
			pvpoll_slept(&p, now_ns());
			taken = 0;
			filled = false;
			sleep_on(sh->req_efd);
		}
	}
	side_done(&sh->side[1], t0, notifies, errors);
}

