// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring_bench - our ring core against Xen's stock io/ring.h macros, in
 * userspace, in the same run.
 *
 * Two threads on two cores play front end and back end over one shared
 * ring of blkif-sized slots (112 bytes).  The front end sends N requests
 * in batches and takes the responses; the back end copies each request
 * out, looks at it and answers.  In event-driven mode each side sleeps on
 * an eventfd (standing in for an event channel) when it has nothing to do
 * and notifies the other only when the ring protocol says so; in polling
 * mode both spin.
 *
 * The stock side is written the way the stock Linux drivers use the
 * macros: the back end copies each request out (RING_COPY_REQUEST) and
 * pushes, checking for notification, after every response, as blkback's
 * make_response() does; both ends re-arm with RING_FINAL_CHECK_FOR_*.
 * Our side uses pvring.h: batched publish, cached peer index, validated
 * indices, hysteresis when waiting for ring space; event-driven, our back
 * end spins through short gaps before it sleeps (spin_for_next(), on the
 * window pvblkback's worker uses, common/portable/pvpoll.h).
 *
 * Fairness: both sides run at the same ring size (rows at unequal sizes
 * say so), do the same work per request (answer()), keep their counters
 * on cache lines of their own, and run in the same two pinned threads; a
 * case is a number of pairs, stock and ours back to back in alternating
 * order, and its ratio is the median of the pairs' ratios.  --aa runs
 * stock against itself: the harness's own bias, within a few percent.
 *
 * Prints a table and writes rows {case, unit, stock, ours, ratio,
 * ratio_min, ratio_max, stock_slots, ours_slots, equal_sizes, cpu...}
 * as JSON.
 */
#include "ring_bench.h"

/* --fifo: run both ends SCHED_FIFO, ahead of whatever else shares the cores */
static bool use_fifo;
/* --verbose: every pair's two figures on stderr */
bool verbose;

static void pin(int cpu)
{
	struct sched_param sp = { .sched_priority = 1 };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % sysconf(_SC_NPROCESSORS_ONLN), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (use_fifo && pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp))
		use_fifo = false;	/* not allowed: main() reports it */
}

struct outcome {
	double rps;
	double cpu_per_m[2];	/* CPU seconds per million requests */
	double notif_per_req;
	double spin_found_per_req;	/* our back end's spins, per request */
	double spin_missed_per_req;
	uint64_t errors;
};

/*
 * --mix front|back: the "ours" runs use stock's code for that end, ours
 * for the other (the wire format is the same), to tell which end a
 * difference comes from.
 */
static int mix = -1;

static void (*pick(const struct cfg *c, bool front))(struct shared *sh)
{
	if (c->impl == STOCK || mix == !front)
		return front ? stock_front : stock_back;
	return front ? ours_front : ours_back;
}

static void *worker(void *arg, int which)
{
	struct shared *sh = arg;

	pin(which);
	for (;;) {
		pthread_barrier_wait(&sh->start);
		if (sh->stop)
			break;
		pick(sh->c, !which)(sh);
		pthread_barrier_wait(&sh->end);
	}
	return NULL;
}

static void *front_worker(void *arg)
{
	return worker(arg, 0);
}

static void *back_worker(void *arg)
{
	return worker(arg, 1);
}

static void workers_start(struct shared *sh, pthread_t *t)
{
	memset(sh, 0, sizeof(*sh));
	sh->mem = aligned_alloc(PVRING_PAGE_SIZE,
				(size_t)PVRING_PAGE_SIZE << PVRING_MAX_ORDER);
	if (!sh->mem)
		abort();
	pthread_barrier_init(&sh->start, NULL, 3);
	pthread_barrier_init(&sh->end, NULL, 3);
	pthread_create(&t[0], NULL, front_worker, sh);
	pthread_create(&t[1], NULL, back_worker, sh);
}

static void workers_stop(struct shared *sh, pthread_t *t)
{
	sh->stop = true;
	pthread_barrier_wait(&sh->start);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_barrier_destroy(&sh->start);
	pthread_barrier_destroy(&sh->end);
	free(sh->mem);
}

/* One run: a fresh ring and fresh "event channels", timed from start to end. */
static struct outcome run_once(struct shared *sh, const struct cfg *c)
{
	struct outcome o;
	double t0, t;

	sh->c = c;
	sh->bytes = (size_t)PVRING_PAGE_SIZE << c->order;
	memset(sh->mem, 0, sh->bytes);
	pvring_init_shared(sh->mem);
	memset(sh->side, 0, sizeof(sh->side));
	sh->req_efd = eventfd(0, 0);
	sh->rsp_efd = eventfd(0, 0);
	if (sh->req_efd < 0 || sh->rsp_efd < 0)
		abort();
	t0 = now(CLOCK_MONOTONIC);
	pthread_barrier_wait(&sh->start);
	pthread_barrier_wait(&sh->end);
	t = now(CLOCK_MONOTONIC) - t0;
	close(sh->req_efd);
	close(sh->rsp_efd);
	o.rps = c->n / t;
	o.cpu_per_m[0] = sh->side[0].cpu / (c->n / 1e6);
	o.cpu_per_m[1] = sh->side[1].cpu / (c->n / 1e6);
	o.notif_per_req = (double)(sh->side[0].notifies + sh->side[1].notifies) / c->n;
	o.spin_found_per_req = (double)sh->side[1].spins_found / c->n;
	o.spin_missed_per_req = (double)sh->side[1].spins_missed / c->n;
	o.errors = sh->side[0].errors + sh->side[1].errors;
	return o;
}

static int cmp_double(const void *a, const void *b)
{
	const double *x = a, *y = b;

	return (*x > *y) - (*x < *y);
}

#define MAX_PAIRS	31

static double median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* medians over the pairs of one case, and the spread of the ratio */
struct summary {
	struct outcome stock, ours;	/* per-field medians */
	double ratio, ratio_min, ratio_max;
	uint64_t errors;
};

static void summarize(struct outcome *so, struct outcome *oo, int pairs,
		      struct summary *sum)
{
	double v[2][MAX_PAIRS], ratio[MAX_PAIRS];
	struct outcome *src[2] = { so, oo }, *dst[2] = { &sum->stock, &sum->ours };
	int i, k;

	sum->errors = 0;
	for (i = 0; i < pairs; i++) {
		ratio[i] = oo[i].rps / so[i].rps;
		if (verbose)
			fprintf(stderr, "  pair %d: stock %.0f ours %.0f, our back end's spins per request: %.4f found, %.4f missed\n",
				i, so[i].rps, oo[i].rps,
				oo[i].spin_found_per_req,
				oo[i].spin_missed_per_req);
		sum->errors += so[i].errors + oo[i].errors;
	}
	sum->ratio = median(ratio, pairs);
	sum->ratio_min = ratio[0];
	sum->ratio_max = ratio[pairs - 1];
	for (k = 0; k < 2; k++) {
		for (i = 0; i < pairs; i++) {
			v[0][i] = src[k][i].rps;
			v[1][i] = src[k][i].notif_per_req;
		}
		dst[k]->rps = median(v[0], pairs);
		dst[k]->notif_per_req = median(v[1], pairs);
		for (i = 0; i < pairs; i++) {
			v[0][i] = src[k][i].cpu_per_m[0];
			v[1][i] = src[k][i].cpu_per_m[1];
		}
		dst[k]->cpu_per_m[0] = median(v[0], pairs);
		dst[k]->cpu_per_m[1] = median(v[1], pairs);
		for (i = 0; i < pairs; i++) {
			v[0][i] = src[k][i].spin_found_per_req;
			v[1][i] = src[k][i].spin_missed_per_req;
		}
		dst[k]->spin_found_per_req = median(v[0], pairs);
		dst[k]->spin_missed_per_req = median(v[1], pairs);
	}
}

/*
 * Run stock and ours back to back @pairs times, the order swapped every
 * pair, and judge each pair on its own ratio: this machine's speed drifts
 * (other work on its two cores), and a pair's two runs, a fraction of a
 * second apart, see nearly the same machine.
 */
static void run_pairs(const struct cfg *cs, const struct cfg *co, int pairs,
		      struct summary *sum)
{
	struct outcome so[MAX_PAIRS], oo[MAX_PAIRS];
	struct shared sh;
	pthread_t t[2];
	int i;

	workers_start(&sh, t);
	for (i = 0; i < pairs; i++) {
		if (i % 2) {
			oo[i] = run_once(&sh, co);
			so[i] = run_once(&sh, cs);
		} else {
			so[i] = run_once(&sh, cs);
			oo[i] = run_once(&sh, co);
		}
	}
	workers_stop(&sh, t);
	summarize(so, oo, pairs, sum);
}

struct bench_case {
	bool poll;
	unsigned int batch;
	unsigned int stock_order, ours_order;
};

/*
 * Equal sizes first: one page (32 slots, what a one-page ring gives) and
 * 16 pages (512 slots, our default and stock blkback's maximum); then one
 * row at unequal sizes, marked as such, for what each side's default
 * one-page ring against our default gives.
 */
static const struct bench_case cases[] = {
	{ true, 1, 0, 0 }, { true, 32, 0, 0 },
	{ false, 1, 0, 0 }, { false, 32, 0, 0 },
	{ true, 1, 4, 4 }, { true, 32, 4, 4 },
	{ false, 1, 4, 4 }, { false, 32, 4, 4 },
	{ true, 32, 0, 4 }, { false, 32, 0, 4 },
};

static uint64_t case_requests(const struct bench_case *c)
{
	if (c->poll)
		return 2000000;
	return 100000;
}

static uint32_t slots_of(unsigned int order)
{
	return pvring_nr_slots((size_t)PVRING_PAGE_SIZE << order,
			       sizeof(union pvb_slot));
}

static void case_name(char *buf, size_t len, const struct bench_case *c)
{
	const char *mode = c->poll ? "polling" : "event-driven";

	if (c->stock_order == c->ours_order)
		snprintf(buf, len, "%s batch %u, %u slots both", mode,
			 c->batch, slots_of(c->ours_order));
	else
		snprintf(buf, len, "%s batch %u, UNEQUAL stock %u / ours %u slots",
			 mode, c->batch, slots_of(c->stock_order),
			 slots_of(c->ours_order));
}

static void json_side(FILE *jf, const char *side, const struct outcome *o)
{
	fprintf(jf, ", \"%s_cpu_s_per_mreq\": {\"front\": %.4f, \"back\": %.4f}",
		side, o->cpu_per_m[0], o->cpu_per_m[1]);
	fprintf(jf, ", \"%s_notif_per_req\": %.4f", side, o->notif_per_req);
}

/* spins of our back end per request, medians over the pairs */
static void json_spins(FILE *jf, const struct outcome *o)
{
	fprintf(jf, ", \"ours_spin_found_per_req\": %.4f", o->spin_found_per_req);
	fprintf(jf, ", \"ours_spin_missed_per_req\": %.4f", o->spin_missed_per_req);
}

static void json_row(FILE *jf, bool first, const char *name,
		     const struct bench_case *c, const struct summary *s,
		     int pairs)
{
	fprintf(jf, "%s {\"case\": \"%s\", \"unit\": \"req/s\"", first ? "" : ",",
		name);
	fprintf(jf, ", \"mode\": \"%s\", \"batch\": %u",
		c->poll ? "polling" : "event-driven", c->batch);
	fprintf(jf, ", \"stock\": %.0f, \"ours\": %.0f", s->stock.rps, s->ours.rps);
	fprintf(jf, ", \"ratio\": %.3f, \"ratio_min\": %.3f, \"ratio_max\": %.3f",
		s->ratio, s->ratio_min, s->ratio_max);
	fprintf(jf, ", \"pairs\": %d", pairs);
	fprintf(jf, ", \"stock_order\": %u, \"ours_order\": %u",
		c->stock_order, c->ours_order);
	fprintf(jf, ", \"stock_slots\": %u, \"ours_slots\": %u",
		slots_of(c->stock_order), slots_of(c->ours_order));
	fprintf(jf, ", \"sched\": \"%s\"", use_fifo ? "fifo" : "other");
	fprintf(jf, ", \"ours_back_spins\": %s",
		!c->poll && back_spin ? "true" : "false");
	fprintf(jf, ", \"equal_sizes\": %s",
		c->stock_order == c->ours_order ? "true" : "false");
	json_side(jf, "stock", &s->stock);
	json_side(jf, "ours", &s->ours);
	json_spins(jf, &s->ours);
	fputs("}\n", jf);
}

int main(int argc, char **argv)
{
	const char *json = NULL;
	uint64_t scale = 1;
	int pairs = 9, i, bad = 0, only = -1, rows = 0;
	unsigned int back_batch = BACK_BATCH;
	bool aa = false;
	FILE *jf = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json = argv[++i];
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--pairs") && i + 1 < argc) {
			pairs = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--back-batch") && i + 1 < argc) {
			back_batch = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--fifo")) {
			use_fifo = true;
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else if (!strcmp(argv[i], "--mix") && i + 1 < argc) {
			i++;
			mix = !strcmp(argv[i], "back");
		} else if (!strcmp(argv[i], "--no-spin")) {
			back_spin = false;
		} else if (!strcmp(argv[i], "--aa")) {
			aa = true;
		} else if (!strcmp(argv[i], "--scale") && i + 1 < argc) {
			scale = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--quick")) {
			scale = 10;
			pairs = 1;
		} else {
			fprintf(stderr, "usage: ring_bench [--json FILE] [--quick] [--only CASE] [--pairs N] [--scale N]\n"
			      "                  [--back-batch N] [--fifo] [--verbose] [--aa]\n"
			      "                  [--mix front|back] [--no-spin]\n");
			return 2;
		}
	}
	if (pairs < 1 || pairs > MAX_PAIRS || !back_batch ||
	    back_batch > MAX_BATCH) {
		fprintf(stderr, "ring_bench: --pairs 1..%d, --back-batch 1..%d\n",
			MAX_PAIRS, MAX_BATCH);
		return 2;
	}
	if (json) {
		jf = fopen(json, "w");
		if (!jf) {
			perror(json);
			return 1;
		}
		fputs("[\n", jf);
	}
	printf("ring_bench: blkif-sized slots (112 B), 2 threads on 2 cores, %d pairs, ratio = median of per-pair ours/stock [min..max]\n",
	       pairs);
	printf("%-50s %12s %12s %6s %13s   %s\n", "case", "stock req/s",
	       "ours req/s", "ratio", "[min..max]",
	       "CPU s/Mreq front+back: stock | ours");
	for (i = 0; i < (int)ARRAY_SIZE(cases); i++) {
		const struct bench_case *bc = &cases[i];
		struct cfg cs = { .impl = STOCK, .batch = bc->batch,
				  .poll = bc->poll, .order = bc->stock_order,
				  .back_batch = back_batch };
		struct cfg co = cs;
		struct summary s;
		char name[80];

		if (only >= 0 && i != only)
			continue;
		cs.n = case_requests(bc) / scale;
		co.n = cs.n;
		co.impl = aa ? STOCK : OURS;
		co.order = bc->ours_order;
		run_pairs(&cs, &co, pairs, &s);
		case_name(name, sizeof(name), bc);
		printf("%-50s %12.0f %12.0f %6.2f [%5.2f..%5.2f]   %.3f+%.3f | %.3f+%.3f\n",
		       name, s.stock.rps, s.ours.rps, s.ratio, s.ratio_min,
		       s.ratio_max, s.stock.cpu_per_m[0], s.stock.cpu_per_m[1],
		       s.ours.cpu_per_m[0], s.ours.cpu_per_m[1]);
		if (s.errors) {
			printf("  ERRORS: %llu\n", (unsigned long long)s.errors);
			bad = 1;
		}
		if (jf)
			json_row(jf, !rows, name, bc, &s, pairs);
		rows++;
	}
	printf("scheduling: %s\n", use_fifo ? "SCHED_FIFO" :
	       "SCHED_OTHER (no --fifo, or SCHED_FIFO refused)");
	printf("event-driven: our back end %s\n", back_spin ?
	       "spins for the next request before it sleeps (see spin_for_next)" :
	       "sleeps at once, as stock's (--no-spin)");
	if (jf) {
		fputs("]\n", jf);
		fclose(jf);
		printf("wrote %s\n", json);
	}
	return bad;
}
