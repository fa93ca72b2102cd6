// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring_bench - our ring core against Xen's stock io/ring.h macros, in
 * userspace, in the same run.
 *
 * Two threads on two cores play front end and back end over one shared
 * ring of blkif-sized slots (112 bytes).  The front end sends N requests
 * in batches and takes the responses; the back end answers each.  In
 * event-driven mode each side sleeps on an eventfd (standing in for an
 * event channel) when it has nothing to do and notifies the other only
 * when the ring protocol says so; in polling mode both spin.
 *
 * The stock side is written the way the stock Linux drivers use the
 * macros: the back end pushes (and checks for notification) after every
 * response, as blkback's make_response() does, and both ends re-arm with
 * RING_FINAL_CHECK_FOR_*.  Our side uses pvring.h: batched publish,
 * cached peer index, and hysteresis when waiting for ring space.
 *
 * Prints a table and writes rows {case, stock, ours, unit, ratio, cpu...}
 * as JSON.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>
#include <xenctrl.h>		/* xen_mb() and friends for io/ring.h */
#include <xen/io/ring.h>

#include "pvring.h"

#define DEFAULT_ORDER	4	/* pvsplit's default ring size for this slot */
#ifndef BACK_BATCH
#define BACK_BATCH	16	/* requests the back end answers per publish */
#endif
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* blkif-sized messages: a 64-bit blkif_request is 112 bytes */
struct breq {
	uint64_t id;
	uint8_t op, nr_segments;
	uint16_t handle;
	uint32_t pad;
	uint64_t sector;
	uint8_t seg[88];
};

struct brsp {
	uint64_t id;
	uint8_t op;
	uint8_t pad;
	int16_t status;
	uint32_t pad2;
};

_Static_assert(sizeof(struct breq) == 112, "blkif-sized request");

DEFINE_RING_TYPES(bench, struct breq, struct brsp);
PVRING_DEFINE_TYPES(pvb, struct breq, struct brsp);

enum impl { STOCK, OURS };

struct cfg {
	enum impl impl;
	unsigned int order;
	unsigned int batch;
	bool poll;
	uint64_t n;
};

struct shared {
	const struct cfg *c;
	void *mem;
	size_t bytes;
	int req_efd;		/* front -> back "event channel" */
	int rsp_efd;		/* back -> front */
	double cpu[2];		/* CPU seconds of front, back */
	uint64_t notifies[2];
	uint64_t errors;
};

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % sysconf(_SC_NPROCESSORS_ONLN), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
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

static void fill_req(struct breq *r, uint64_t id)
{
	r->id = id;
	r->op = 0;
	r->nr_segments = 1;
	r->sector = id * 8;
}

/* ---- stock io/ring.h ------------------------------------------------- */

static void *stock_front(void *arg)
{
	struct shared *sh = arg;
	const struct cfg *c = sh->c;
	struct bench_front_ring fr;
	uint64_t sent = 0, done = 0;
	double t0;

	pin(0);
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	FRONT_RING_ATTACH(&fr, (struct bench_sring *)sh->mem, 0, sh->bytes);
	while (done < c->n) {
		RING_IDX rp, i;
		unsigned int n, k, room;

		rp = fr.sring->rsp_prod;
		xen_rmb();
		for (i = fr.rsp_cons; i != rp; i++) {
			struct brsp r = *RING_GET_RESPONSE(&fr, i);

			if (r.id != done)
				sh->errors++;
			done++;
		}
		fr.rsp_cons = rp;
		if (done == c->n)
			break;

		room = RING_FREE_REQUESTS(&fr);
		k = c->batch;
		if (c->n - sent < k)
			k = c->n - sent;
		if (k && room >= k) {
			int notify;

			for (n = 0; n < k; n++)
				fill_req(RING_GET_REQUEST(&fr, fr.req_prod_pvt++), sent++);
			if (c->poll) {
				RING_PUSH_REQUESTS(&fr);
			} else {
				RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
				if (notify) {
					sh->notifies[0]++;
					kick(sh->req_efd);
				}
			}
			continue;
		}
		if (c->poll) {
			relax();
		} else {
			int more;

			RING_FINAL_CHECK_FOR_RESPONSES(&fr, more);
			if (!more)
				sleep_on(sh->rsp_efd);
		}
	}
	sh->cpu[0] = now(CLOCK_THREAD_CPUTIME_ID) - t0;
	return NULL;
}

static void *stock_back(void *arg)
{
	struct shared *sh = arg;
	const struct cfg *c = sh->c;
	struct bench_back_ring br;
	uint64_t done = 0;
	double t0;

	pin(1);
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	BACK_RING_ATTACH(&br, (struct bench_sring *)sh->mem, 0, sh->bytes);
	while (done < c->n) {
		RING_IDX rc = br.req_cons, rp = br.sring->req_prod;
		int more;

		xen_rmb();
		if (RING_REQUEST_PROD_OVERFLOW(&br, rp)) {
			sh->errors++;
			break;
		}
		while (rc != rp) {
			struct breq req;
			struct brsp *rsp;
			int notify;

			RING_COPY_REQUEST(&br, rc, &req);
			br.req_cons = ++rc;
			rsp = RING_GET_RESPONSE(&br, br.rsp_prod_pvt);
			rsp->id = req.id;
			rsp->op = req.op;
			rsp->status = 0;
			br.rsp_prod_pvt++;
			done++;
			if (c->poll) {
				RING_PUSH_RESPONSES(&br);
			} else {
				RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, notify);
				if (notify) {
					sh->notifies[1]++;
					kick(sh->rsp_efd);
				}
			}
		}
		if (c->poll) {
			if (br.req_cons == br.sring->req_prod)
				relax();
			continue;
		}
		RING_FINAL_CHECK_FOR_REQUESTS(&br, more);
		if (!more && done < c->n)
			sleep_on(sh->req_efd);
	}
	sh->cpu[1] = now(CLOCK_THREAD_CPUTIME_ID) - t0;
	return NULL;
}

/* ---- ours ------------------------------------------------------------- */

static void *ours_front(void *arg)
{
	struct shared *sh = arg;
	const struct cfg *c = sh->c;
	struct pvring r;
	struct brsp rsp[64];
	uint64_t sent = 0, done = 0;
	double t0;

	pin(0);
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	pvb_attach(&r, sh->mem, sh->bytes, PVRING_FRONT, 0);
	while (done < c->n) {
		int i, n;
		uint32_t k, room;

		/* one look at the shared index per pass, as the stock loop */
		n = pvb_take_rsps(&r, rsp, 64);
		for (i = 0; i < n; i++)
			if (rsp[i].id != done++)
				sh->errors++;
		if (n < 0) {
			sh->errors++;
			break;
		}
		if (done == c->n)
			break;
		room = pvring_free(&r);
		k = c->batch;
		if (c->n - sent < k)
			k = c->n - sent;
		if (k && room >= k) {
			for (i = 0; i < (int)k; i++)
				fill_req(pvb_req(&r, i), sent++);
			pvring_produce(&r, k);
			if (c->poll) {
				pvring_publish_quiet(&r);
			} else if (pvring_publish(&r)) {
				sh->notifies[0]++;
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
		if (k > pvring_in_flight(&r))
			k = pvring_in_flight(&r);
		n = pvring_arm(&r, k ? k : 1);
		if (n >= 0 && (uint32_t)n < (k ? k : 1))
			sleep_on(sh->rsp_efd);
	}
	sh->cpu[0] = now(CLOCK_THREAD_CPUTIME_ID) - t0;
	return NULL;
}

static void *ours_back(void *arg)
{
	struct shared *sh = arg;
	const struct cfg *c = sh->c;
	struct pvring r;
	struct breq req[64];
	uint64_t done = 0;
	double t0;

	pin(1);
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	pvb_attach(&r, sh->mem, sh->bytes, PVRING_BACK, 0);
	while (done < c->n) {
		int i, n = pvb_take_reqs(&r, req, BACK_BATCH);

		if (n < 0) {
			sh->errors++;
			break;
		}
		if (n > 0) {
			for (i = 0; i < n; i++) {
				struct brsp *rsp = pvb_rsp(&r, i);

				rsp->id = req[i].id;
				rsp->op = req[i].op;
				rsp->status = 0;
			}
			pvring_produce(&r, n);
			done += n;
			if (c->poll) {
				pvring_publish_quiet(&r);
			} else if (pvring_publish(&r)) {
				sh->notifies[1]++;
				kick(sh->rsp_efd);
			}
			continue;
		}
		if (c->poll)
			relax();
		else if (!pvring_final_check(&r))
			sleep_on(sh->req_efd);
	}
	sh->cpu[1] = now(CLOCK_THREAD_CPUTIME_ID) - t0;
	return NULL;
}

struct outcome {
	double rps;
	double cpu_per_m[2];	/* CPU seconds per million requests */
	double notif_per_req;
	uint64_t errors;
};

static struct outcome run_once(const struct cfg *c)
{
	struct shared sh = { .c = c };
	pthread_t f, b;
	struct outcome o;
	double t0, t;

	sh.bytes = (size_t)PVRING_PAGE_SIZE << c->order;
	sh.mem = aligned_alloc(PVRING_PAGE_SIZE, sh.bytes);
	memset(sh.mem, 0, sh.bytes);
	pvring_init_shared(sh.mem);
	sh.req_efd = eventfd(0, 0);
	sh.rsp_efd = eventfd(0, 0);
	t0 = now(CLOCK_MONOTONIC);
	pthread_create(&b, NULL, c->impl == STOCK ? stock_back : ours_back, &sh);
	pthread_create(&f, NULL, c->impl == STOCK ? stock_front : ours_front, &sh);
	pthread_join(f, NULL);
	pthread_join(b, NULL);
	t = now(CLOCK_MONOTONIC) - t0;
	close(sh.req_efd);
	close(sh.rsp_efd);
	free(sh.mem);
	o.rps = c->n / t;
	o.cpu_per_m[0] = sh.cpu[0] / (c->n / 1e6);
	o.cpu_per_m[1] = sh.cpu[1] / (c->n / 1e6);
	o.notif_per_req = (double)(sh.notifies[0] + sh.notifies[1]) / c->n;
	o.errors = sh.errors;
	return o;
}

static int cmp_rps(const void *a, const void *b)
{
	const struct outcome *x = a, *y = b;

	return (x->rps > y->rps) - (x->rps < y->rps);
}

#define MAX_REPS	9

/*
 * Run stock and ours alternately @reps times and keep the median of each,
 * so that drift in the machine's speed hits both sides alike.
 */
static void run_pair(const struct cfg *cs, const struct cfg *co, int reps,
		     struct outcome *s, struct outcome *o)
{
	struct outcome so[MAX_REPS], oo[MAX_REPS];
	int i;

	for (i = 0; i < reps; i++) {
		so[i] = run_once(cs);
		oo[i] = run_once(co);
	}
	qsort(so, reps, sizeof(so[0]), cmp_rps);
	qsort(oo, reps, sizeof(oo[0]), cmp_rps);
	*s = so[reps / 2];
	*o = oo[reps / 2];
}

static const char *mode_name(bool poll)
{
	if (poll)
		return "polling";
	return "event-driven";
}

static const char *size_name(bool dflt)
{
	if (dflt)
		return "default order";
	return "one page";
}

static void json_row(FILE *jf, bool first, const char *name,
		     const struct outcome *s, const struct outcome *o,
		     unsigned int order)
{
	fprintf(jf, "%s {\"case\": \"%s\", \"unit\": \"req/s\"", first ? "" : ",",
		name);
	fprintf(jf, ", \"stock\": %.0f, \"ours\": %.0f", s->rps, o->rps);
	fprintf(jf, ", \"ratio\": %.3f", o->rps / s->rps);
	fprintf(jf, ", \"stock_order\": 0, \"ours_order\": %u", order);
	fprintf(jf, ", \"stock_cpu_s_per_mreq\": {\"front\": %.4f, \"back\": %.4f}",
		s->cpu_per_m[0], s->cpu_per_m[1]);
	fprintf(jf, ", \"ours_cpu_s_per_mreq\": {\"front\": %.4f, \"back\": %.4f}",
		o->cpu_per_m[0], o->cpu_per_m[1]);
	fprintf(jf, ", \"stock_notif_per_req\": %.4f", s->notif_per_req);
	fprintf(jf, ", \"ours_notif_per_req\": %.4f}\n", o->notif_per_req);
}

struct bench_case {
	bool poll;
	unsigned int batch;
	bool dflt;		/* ours at DEFAULT_ORDER, not one page */
};

static const struct bench_case cases[] = {
	{ true, 1, false }, { true, 32, false },
	{ false, 1, false }, { false, 32, false },
	{ true, 1, true }, { true, 32, true },
	{ false, 1, true }, { false, 32, true },
};

static uint64_t case_requests(const struct bench_case *c)
{
	if (c->poll)
		return 10000000;
	return 300000;
}

int main(int argc, char **argv)
{
	const char *json = NULL;
	uint64_t scale = 1;
	int reps = 5, i, bad = 0, only = -1;
	FILE *jf = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--quick")) {
			scale = 10;
			reps = 1;
		} else {
			fprintf(stderr, "usage: ring_bench [--json FILE] [--quick] [--only CASE]\n");
			return 2;
		}
	}
	if (json) {
		jf = fopen(json, "w");
		if (!jf) {
			perror(json);
			return 1;
		}
		fputs("[\n", jf);
	}
	printf("ring_bench: blkif-sized slots (112 B), 2 threads on 2 cores, median of %d\n",
	       reps);
	printf("%-38s %12s %12s %6s   %s\n", "case", "stock req/s", "ours req/s",
	       "ratio", "CPU s/Mreq front+back: stock | ours");
	for (i = 0; i < (int)ARRAY_SIZE(cases); i++) {
		struct cfg cs = { .impl = STOCK, .batch = cases[i].batch,
				  .poll = cases[i].poll };
		struct cfg co = cs;
		struct outcome s, o;
		char name[64];

		if (only >= 0 && i != only)
			continue;
		cs.n = case_requests(&cases[i]) / scale;
		co.n = cs.n;
		co.impl = OURS;
		if (cases[i].dflt)
			co.order = DEFAULT_ORDER;
		run_pair(&cs, &co, reps, &s, &o);
		snprintf(name, sizeof(name), "%s batch %u, ours %s",
			 mode_name(cases[i].poll), cases[i].batch,
			 size_name(cases[i].dflt));
		printf("%-38s %12.0f %12.0f %6.2f   %.3f+%.3f | %.3f+%.3f\n",
		       name, s.rps, o.rps, o.rps / s.rps, s.cpu_per_m[0],
		       s.cpu_per_m[1], o.cpu_per_m[0], o.cpu_per_m[1]);
		if (s.errors || o.errors) {
			printf("  ERRORS: stock %llu ours %llu\n",
			       (unsigned long long)s.errors,
			       (unsigned long long)o.errors);
			bad = 1;
		}
		if (jf)
			json_row(jf, !i, name, &s, &o, co.order);
	}
	if (jf) {
		fputs("]\n", jf);
		fclose(jf);
		printf("wrote %s\n", json);
	}
	return bad;
}
