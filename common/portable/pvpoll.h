/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvpoll.h - when a back end should spin for the next request instead of
 * asking the front end for a notification and sleeping.
 *
 * A wake-up through an event channel costs the front end a notification
 * hypercall and the back end an interrupt, a scheduler wake-up and a late
 * EOI: microseconds on hardware, tens of them under TCG.  While requests
 * keep arriving closer together than that, spinning a little longer than
 * the usual gap finds the next one sooner and for less CPU.  When they stop
 * doing so the window closes and the back end sleeps at once.
 *
 * Two limits keep a front end from turning the spin against dom0:
 * - spin time is paid for by requests: each one taken earns
 *   PVPOLL_CREDIT_NS of it (about what the wake-up it may save costs), so
 *   a guest that sends a request now and then cannot keep a dom0 CPU
 *   spinning for it: at most PVPOLL_CREDIT_NS per request, however the
 *   requests are spaced;
 * - a spin that finds nothing makes the next chances be passed up, 1, 2,
 *   4 ... PVPOLL_MAX_BACKOFF of them: where both ends share a CPU (a
 *   virtual machine's virtual CPUs on one host core, dom0 and a guest on
 *   one physical CPU) the front end whose request we wait for cannot run
 *   while we spin.
 *
 * This keeps the history and says how long to spin; the caller spins with
 * its own clock and its own idea of what else might end the spin.
 * pvblkback's and pvbenchback's workers (through pvsplit_ring_poll()) and
 * the userspace ring benchmark run this same policy.
 */
#ifndef PVSPLIT_PVPOLL_H
#define PVSPLIT_PVPOLL_H

#include "pvport.h"

/* added to twice the average gap: a wake-up's worth of slack */
#define PVPOLL_SLACK_NS		10000u
/* the most chances to spin passed up after spins that found nothing */
#define PVPOLL_MAX_BACKOFF	64u
/* spin time each request taken pays for */
#define PVPOLL_CREDIT_NS	20000u
/* the most spin time a ring may have in hand */
#define PVPOLL_CREDIT_MAX_NS	4000000u

/**
 * struct pvpoll - idle-gap history of one ring
 * @gap_ns: moving average (weight 1/8) of how long the ring stayed empty
 * @idle_since: when the back end last slept on an empty ring (0: awake)
 * @credit_ns: spin time paid for by requests taken and not spent yet
 * @backoff: chances to spin passed up after the last spin that found
 *	     nothing; doubled by each such spin, 0 after one that found
 * @skip: chances still to pass up
 */
struct pvpoll {
	uint64_t gap_ns;
	uint64_t idle_since;
	uint64_t credit_ns;
	uint32_t backoff;
	uint32_t skip;
};

/**
 * pvpoll_note_gap() - fold an idle gap into the average
 * @p: history
 * @gap: nanoseconds the ring stayed empty
 * @max: the longest window the caller allows, in nanoseconds
 *
 * One long idle spell must not turn polling off for long: a gap counts as
 * at most four windows.
 */
static inline void pvpoll_note_gap(struct pvpoll *p, uint64_t gap,
				   uint64_t max)
{
	if (gap > 4 * max)
		gap = 4 * max;
	p->gap_ns = p->gap_ns - (p->gap_ns >> 3) + (gap >> 3);
}

/**
 * pvpoll_took() - the back end took requests off the ring
 * @p: history
 * @n: how many
 *
 * Each pays for %PVPOLL_CREDIT_NS of spinning, up to
 * %PVPOLL_CREDIT_MAX_NS in hand.
 */
static inline void pvpoll_took(struct pvpoll *p, uint32_t n)
{
	uint64_t c = p->credit_ns + (uint64_t)n * PVPOLL_CREDIT_NS;

	p->credit_ns = c < PVPOLL_CREDIT_MAX_NS ? c : PVPOLL_CREDIT_MAX_NS;
}

/**
 * pvpoll_slept() - the back end goes to sleep on an empty ring
 * @p: history
 * @now: the caller's clock, in nanoseconds (never 0)
 */
static inline void pvpoll_slept(struct pvpoll *p, uint64_t now)
{
	p->idle_since = now;
}

/**
 * pvpoll_woke() - the back end runs again after sleeping
 * @p: history
 * @found: requests it found on the ring
 * @now: the caller's clock, in nanoseconds
 * @max: the longest window, in nanoseconds
 *
 * Counts the time asleep as a gap when requests woke it; a wake-up for
 * anything else (an I/O completion) says nothing of the front end's pace.
 * Either way the back end is awake again.
 */
static inline void pvpoll_woke(struct pvpoll *p, uint32_t found, uint64_t now,
			       uint64_t max)
{
	if (p->idle_since && found)
		pvpoll_note_gap(p, now - p->idle_since, max);
	p->idle_since = 0;
}

/**
 * pvpoll_window() - how long to spin for the next request
 * @p: history
 * @max: the longest window, in nanoseconds; 0 turns polling off
 *
 * Return: the window in nanoseconds: twice the average gap plus
 * %PVPOLL_SLACK_NS, at most @max and at most the credit in hand; 0 when
 * requests have been arriving @max or more apart, where spinning would
 * mostly burn the CPU, or when less than %PVPOLL_SLACK_NS of credit is
 * left.
 */
static inline uint64_t pvpoll_window(const struct pvpoll *p, uint64_t max)
{
	uint64_t w;

	if (!max || p->gap_ns >= max || p->credit_ns < PVPOLL_SLACK_NS)
		return 0;
	w = 2 * p->gap_ns + PVPOLL_SLACK_NS;
	if (w > max)
		w = max;
	return w < p->credit_ns ? w : p->credit_ns;
}

/**
 * pvpoll_pass_up() - consume this chance to spin if backing off
 * @p: history
 *
 * Call once per chance, after deciding a spin would otherwise begin.
 *
 * Return: true while backing off from spins that found nothing (see
 * pvpoll_missed()); the chance is then used up, not spun.
 */
static inline bool pvpoll_pass_up(struct pvpoll *p)
{
	if (!p->skip)
		return false;
	p->skip--;
	return true;
}

static inline void pvpoll__spent(struct pvpoll *p, uint64_t ns)
{
	p->credit_ns = ns < p->credit_ns ? p->credit_ns - ns : 0;
}

/**
 * pvpoll_found() - a spin found a request
 * @p: history
 * @spun: nanoseconds it spun
 * @max: the longest window, in nanoseconds
 */
static inline void pvpoll_found(struct pvpoll *p, uint64_t spun, uint64_t max)
{
	pvpoll_note_gap(p, spun, max);
	pvpoll__spent(p, spun);
	p->backoff = 0;
}

/**
 * pvpoll_missed() - a spin ran out its window and found nothing
 * @p: history
 * @spun: nanoseconds it spun
 *
 * The next chances to spin are passed up, twice as many after each spin
 * that finds nothing in a row, up to %PVPOLL_MAX_BACKOFF.
 */
static inline void pvpoll_missed(struct pvpoll *p, uint64_t spun)
{
	pvpoll__spent(p, spun);
	p->backoff = p->backoff ? 2 * p->backoff : 1;
	if (p->backoff > PVPOLL_MAX_BACKOFF)
		p->backoff = PVPOLL_MAX_BACKOFF;
	p->skip = p->backoff;
}

#endif /* PVSPLIT_PVPOLL_H */
