/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ring_bench.h - what ring_bench's harness (ring_bench.c) and the two
 * implementations of each end it measures (ring_ends.c) share.
 */
#ifndef RING_BENCH_H
#define RING_BENCH_H

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

#include "pvpoll.h"
#include "pvring.h"

#define DEFAULT_ORDER	4	/* pvsplit's default ring size for this slot */
#define BACK_BATCH	16	/* default: requests the back end answers per publish */
#define MAX_BATCH	64
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
	unsigned int back_batch;
	uint64_t n;
};

/*
 * What one end keeps and reports of a run, on cache lines of its own.
 * The private ring state lives here, in memory, as a driver keeps it in
 * its device structure: a local variable would let the compiler keep
 * stock's few indices in registers but not pvring's larger state, which
 * no driver gets either.
 */
struct side {
	union {
		struct bench_front_ring stock_front;
		struct bench_back_ring stock_back;
		struct pvring ours;
	} ring;
	double cpu;		/* CPU seconds */
	uint64_t notifies;
	uint64_t spins_found;	/* our back end's spins that found a request */
	uint64_t spins_missed;	/* ... that ran out their window */
	uint64_t errors;
} __attribute__((aligned(64)));

/*
 * Two worker threads, pinned once, run every run of a case: a pair's
 * stock and ours runs see the same threads on the same cores.
 */
struct shared {
	const struct cfg *c;	/* the run now going */
	void *mem;
	size_t bytes;
	int req_efd;		/* front -> back "event channel" */
	int rsp_efd;		/* back -> front */
	bool stop;
	pthread_barrier_t start, end;
	struct side side[2];	/* front, back */
};

/* --verbose, --no-spin: set by main() */
extern bool verbose;
extern bool back_spin;

double now(clockid_t clk);
void stock_front(struct shared *sh);
void stock_back(struct shared *sh);
void ours_front(struct shared *sh);
void ours_back(struct shared *sh);

#endif /* RING_BENCH_H */
