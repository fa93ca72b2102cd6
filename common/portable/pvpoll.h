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
 * This keeps the moving average of the idle gaps and says how long to
 * spin, and backs off from spinning after spins that found nothing; the
 * caller spins with its own clock and its own idea of what else might end
 * the spin.  pvblkback's worker and the userspace ring benchmark run this
 * same policy.
 */
#ifndef PVSPLIT_PVPOLL_H
#define PVSPLIT_PVPOLL_H

#include "pvport.h"

/* added to twice the average gap: a wake-up's worth of slack */
#define PVPOLL_SLACK_NS		10000u
/* the most chances to spin passed up after spins that found nothing */
#define PVPOLL_MAX_BACKOFF	64u

/**
 * struct pvpoll - idle-gap history of one ring
 * @gap_ns: moving average (weight 1/8) of how long the ring stayed empty
 * @idle_since: when the back end last slept on an empty ring (0: awake)
 * @backoff: chances to spin passed up after the last spin that found
 *	     nothing; doubled by each such spin, 0 after one that found
 * @skip: chances still to pass up
 */
struct pvpoll {
	uint64_t gap_ns;
	uint64_t idle_since;
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
 * Return: the window in nanoseconds, twice the average gap plus
 * %PVPOLL_SLACK_NS and at most @max; 0 when requests have been arriving
 * @max or more apart, where spinning would mostly burn the CPU.
 */
static inline uint64_t pvpoll_window(const struct pvpoll *p, uint64_t max)
{
	uint64_t w;

	if (!max || p->gap_ns >= max)
		return 0;
	w = 2 * p->gap_ns + PVPOLL_SLACK_NS;
	return w < max ? w : max;
}

/**
 * pvpoll_backing_off() - pass up this chance to spin?
 * @p: history
 *
 * Call once per chance, after deciding a spin would otherwise begin.
 *
 * Return: true while backing off from spins that found nothing (see
 * pvpoll_missed()); the chance is counted as passed up.
 */
static inline bool pvpoll_backing_off(struct pvpoll *p)
{
	if (!p->skip)
		return false;
	p->skip--;
	return true;
}

/**
 * pvpoll_found() - a spin found a request
 * @p: history
 * @gap: nanoseconds it spun
 * @max: the longest window, in nanoseconds
 */
static inline void pvpoll_found(struct pvpoll *p, uint64_t gap, uint64_t max)
{
	pvpoll_note_gap(p, gap, max);
	p->backoff = 0;
}

/**
 * pvpoll_missed() - a spin ran out its window and found nothing
 * @p: history
 *
 * The next chances to spin are passed up, twice as many after each spin
 * that finds nothing in a row, up to %PVPOLL_MAX_BACKOFF.  A spin that
 * keeps missing is worse than wasted where the two ends share a CPU (a
 * virtual machine's virtual CPUs on one host core, dom0 and a guest on
 * one physical CPU): the front end whose request we wait for cannot run
 * while we spin, and its next gap, longer for our spinning, would widen
 * the next window.
 */
static inline void pvpoll_missed(struct pvpoll *p)
{
	p->backoff = p->backoff ? 2 * p->backoff : 1;
	if (p->backoff > PVPOLL_MAX_BACKOFF)
		p->backoff = PVPOLL_MAX_BACKOFF;
	p->skip = p->backoff;
}

#endif /* PVSPLIT_PVPOLL_H */
