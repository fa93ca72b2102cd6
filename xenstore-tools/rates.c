// SPDX-License-Identifier: GPL-2.0-only
/*
 * rates.c - pvsplit CLI: figures per second between two samples of the
 * counters (counters.c collects them), and the order by load that top uses.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static uint64_t delta(uint64_t now, uint64_t then)
{
	/* a counter that went back: the device was re-created */
	return now >= then ? now - then : now;
}

static void rate_of(struct pvs_rate *out, double secs, uint64_t reqs,
		    uint64_t slots, uint64_t bytes, bool has_bytes,
		    uint64_t batches, uint64_t ntf, const struct pvhist *lat,
		    bool has_lat)
{
	out->req_s = reqs / secs;
	out->mb_s = has_bytes ? bytes / secs / 1e6 : -1;
	out->batch = batches ? (double)slots / batches : -1;
	out->ntf_req = slots ? (double)ntf / slots : -1;
	out->p50_ns = out->p99_ns = -1;
	if (has_lat && lat->count) {
		out->p50_ns = (double)pvhist_percentile(lat, 500);
		out->p99_ns = (double)pvhist_percentile(lat, 990);
	}
}

static void hist_delta(struct pvhist *d, const struct pvhist *now,
		       const struct pvhist *then)
{
	unsigned int b;

	d->count = 0;
	d->sum = delta(now->sum, then ? then->sum : 0);
	for (b = 0; b < PVHIST_BUCKETS; b++) {
		d->bucket[b] = delta(now->bucket[b], then ? then->bucket[b] : 0);
		d->count += d->bucket[b];
	}
}

static const struct pvs_sdev *find_dev(const struct pvs_sample *s,
				      const struct pvs_sdev *d)
{
	unsigned int i;

	for (i = 0; s && i < s->nr_devs; i++)
		if (s->devs[i].drv == d->drv && s->devs[i].domid == d->domid &&
		    s->devs[i].devid == d->devid)
			return &s->devs[i];
	return NULL;
}

static const struct pvs_ring *find_ring(const struct pvs_sdev *d,
					unsigned int index)
{
	unsigned int i;

	for (i = 0; d && i < d->nr_rings; i++)
		if (d->rings[i].index == index)
			return &d->rings[i];
	return NULL;
}

/**
 * pvs_rates() - what each device and ring of @now did since @then
 * @now: the later sample; its devices' and rings' @rate are set
 * @then: the earlier one (NULL or a device or ring not in it: since zero,
 *	  over one second)
 *
 * Requests/s and MB/s from the totals, mean batch size and notifications
 * (sent and received) per request from the ring counters, p50/p99 from
 * the latency histograms' growth: all over the interval.
 */
void pvs_rates(struct pvs_sample *now, const struct pvs_sample *then)
{
	double secs = 1.0;
	struct pvhist *h;
	unsigned int i, j;

	if (then && now->t_ns > then->t_ns)
		secs = (now->t_ns - then->t_ns) / 1e9;
	h = malloc(sizeof(*h));
	if (!h)
		return;
	for (i = 0; i < now->nr_devs; i++) {
		struct pvs_sdev *d = &now->devs[i];
		const struct pvs_sdev *p = find_dev(then, d);

		hist_delta(h, &d->lat, p ? &p->lat : NULL);
		rate_of(&d->rate, secs, delta(d->reqs, p ? p->reqs : 0),
			delta(d->reqs_slots, p ? p->reqs_slots : 0),
			delta(d->bytes, p ? p->bytes : 0), d->has_bytes,
			delta(d->batches, p ? p->batches : 0),
			delta(d->notify_sent + d->wakeups,
			      p ? p->notify_sent + p->wakeups : 0),
			h, d->has_lat);
		for (j = 0; j < d->nr_rings; j++) {
			struct pvs_ring *r = &d->rings[j];
			const struct pvs_ring *q = p ? find_ring(p, r->index) : NULL;

			hist_delta(h, &r->lat, q ? &q->lat : NULL);
			rate_of(&r->rate, secs, delta(r->reqs, q ? q->reqs : 0),
				delta(r->reqs_slots, q ? q->reqs_slots : 0),
				delta(r->bytes, q ? q->bytes : 0), r->has_bytes,
				delta(r->batches, q ? q->batches : 0),
				delta(r->notify_sent + r->wakeups,
				      q ? q->notify_sent + q->wakeups : 0),
				h, r->has_lat);
		}
	}
	free(h);
}

static int load_cmp(const void *a, const void *b)
{
	const struct pvs_sdev *x = a, *y = b;

	if (x->rate.req_s != y->rate.req_s)
		return x->rate.req_s < y->rate.req_s ? 1 : -1;
	if (x->rate.mb_s != y->rate.mb_s)
		return x->rate.mb_s < y->rate.mb_s ? 1 : -1;
	return pvs_dev_cmp_name(a, b);
}

/* Busiest device first (requests/s, then MB/s), ties by name. */
void pvs_sort_by_load(struct pvs_sample *s)
{
	qsort(s->devs, s->nr_devs, sizeof(*s->devs), load_cmp);
}

/* CLOCK_MONOTONIC in nanoseconds, the time base of samples. */
uint64_t pvs_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
