/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvstats.h - per-ring counters and a log-linear histogram, kept by one
 * writer each (the end that owns the ring), read racily for reporting.
 */
#ifndef PVSPLIT_PVSTATS_H
#define PVSPLIT_PVSTATS_H

#include "pvport.h"

/*
 * Log-linear histogram: values below 16 get a bucket each, larger ones 8
 * buckets per power of two, so any reported percentile is within 12.5%.
 */
#define PVHIST_SUB_BITS		3u
#define PVHIST_SUB		(1u << PVHIST_SUB_BITS)
#define PVHIST_BUCKETS		((65u - PVHIST_SUB_BITS) * PVHIST_SUB)

struct pvhist {
	uint64_t count;
	uint64_t sum;
	uint64_t bucket[PVHIST_BUCKETS];
};

static inline unsigned int pvhist__msb(uint64_t v)
{
	return 63u - (unsigned int)__builtin_clzll(v);
}

/* Bucket of value @v. */
static inline unsigned int pvhist_bucket(uint64_t v)
{
	unsigned int msb;

	if (v < 2 * PVHIST_SUB)
		return (unsigned int)v;
	msb = pvhist__msb(v);
	return (msb - PVHIST_SUB_BITS) * PVHIST_SUB +
	       (unsigned int)(v >> (msb - PVHIST_SUB_BITS));
}

/* Smallest value that falls in bucket @b. */
static inline uint64_t pvhist_lower(unsigned int b)
{
	unsigned int msb;

	if (b < 2 * PVHIST_SUB)
		return b;
	msb = b / PVHIST_SUB + PVHIST_SUB_BITS - 1;
	return (uint64_t)(b % PVHIST_SUB + PVHIST_SUB) <<
	       (msb - PVHIST_SUB_BITS);
}

static inline void pvhist_add(struct pvhist *h, uint64_t v)
{
	h->count++;
	h->sum += v;
	h->bucket[pvhist_bucket(v)]++;
}

/**
 * pvhist_percentile() - value at or below which @permille of samples lie
 * @h: histogram
 * @permille: 0..1000 (500 is the median, 990 the 99th percentile)
 *
 * Return: the middle of the bucket holding that sample, 0 when empty.
 */
static inline uint64_t pvhist_percentile(const struct pvhist *h,
					 unsigned int permille)
{
	uint64_t want, seen = 0, lo, hi;
	unsigned int b;

	if (!h->count)
		return 0;
	want = (h->count * permille + 999) / 1000;
	if (!want)
		want = 1;
	for (b = 0; b < PVHIST_BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= want)
			break;
	}
	if (b >= PVHIST_BUCKETS - 1)
		return pvhist_lower(PVHIST_BUCKETS - 1);
	lo = pvhist_lower(b);
	hi = pvhist_lower(b + 1);
	return lo + (hi - lo - 1) / 2;
}

/* Batch sizes are kept in power-of-two buckets: 1, 2-3, 4-7, ... */
#define PVSTATS_BATCH_BUCKETS	16u

/**
 * struct pvring_stats - what one end of a ring did
 * @produced: slots this end published
 * @consumed: slots this end consumed
 * @publishes: publish operations that made at least one slot visible
 * @notify_sent: publishes after which the peer was notified
 * @notify_suppressed: publishes the peer did not want to hear about
 * @wakeups: notifications received from the peer
 * @spurious: notifications that found nothing to consume
 * @protocol_errors: peer protocol violations seen
 * @batch: histogram of slots consumed per pass, log2 buckets
 */
struct pvring_stats {
	uint64_t produced;
	uint64_t consumed;
	uint64_t publishes;
	uint64_t notify_sent;
	uint64_t notify_suppressed;
	uint64_t wakeups;
	uint64_t spurious;
	uint64_t protocol_errors;
	uint64_t batch[PVSTATS_BATCH_BUCKETS];
};

static inline void pvstats_batch(struct pvring_stats *s, uint32_t n)
{
	unsigned int b;

	if (!n)
		return;
	b = 31u - (unsigned int)__builtin_clz(n);
	if (b >= PVSTATS_BATCH_BUCKETS)
		b = PVSTATS_BATCH_BUCKETS - 1;
	s->batch[b]++;
	s->consumed += n;
}

/* Account one publish of @n slots and whether it notified the peer. */
static inline void pvstats_publish(struct pvring_stats *s, uint32_t n,
				   bool notified)
{
	if (!n)
		return;
	s->produced += n;
	s->publishes++;
	if (notified)
		s->notify_sent++;
	else
		s->notify_suppressed++;
}

/**
 * pvstats_sum() - add a struct of uint64_t counters into another
 * @to: the sum
 * @from: counters still being written by their owner (read once each)
 * @bytes: size of the struct, a multiple of 8
 */
static inline void pvstats_sum(void *to, const void *from, size_t bytes)
{
	const uint64_t *f = from;
	uint64_t *t = to;
	size_t i;

	for (i = 0; i < bytes / sizeof(uint64_t); i++)
		t[i] += READ_ONCE(f[i]);
}

#endif /* PVSPLIT_PVSTATS_H */
