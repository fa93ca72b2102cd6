// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c - shared ring pages: granted by a front end, mapped by a back end.
 */
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <xen/xenbus.h>

#include "pvsplit/pvsplit.h"
#include "internal.h"

/**
 * pvsplit_ring_alloc() - allocate, grant and initialise a front-end ring
 * @ring: ring to set up
 * @dev: xenbus device whose other end gets the grants
 * @order: log2 of the number of pages, at most PVRING_MAX_ORDER
 * @slot_size: bytes per ring slot
 *
 * Return: 0 or a negative errno; on error nothing is left allocated.
 */
int pvsplit_ring_alloc(struct pvsplit_ring *ring, struct xenbus_device *dev,
		       unsigned int order, size_t slot_size)
{
	unsigned int nr = 1u << order;
	int err;

	if (order > PVRING_MAX_ORDER)
		return -EINVAL;
	memset(ring, 0, sizeof(*ring));
	err = xenbus_setup_ring(dev, GFP_NOIO | __GFP_HIGH, &ring->area, nr,
				ring->gref);
	if (err)
		return err;
	pvring_init_shared(ring->area);
	err = pvring_attach(&ring->r, ring->area, nr * XEN_PAGE_SIZE,
			    slot_size, PVRING_FRONT, 0);
	if (err) {
		xenbus_teardown_ring(&ring->area, nr, ring->gref);
		return err;
	}
	ring->order = order;
	atomic_long_inc(&pvsplit_counts.rings);
	atomic_long_add(nr, &pvsplit_counts.grants);
	return 0;
}
PVSPLIT_EXPORT(pvsplit_ring_alloc);

/**
 * pvsplit_ring_free() - revoke and free a ring from pvsplit_ring_alloc()
 * @ring: ring; may be one that was never allocated
 *
 * Pages the back end still maps are freed only once it lets go of them.
 */
void pvsplit_ring_free(struct pvsplit_ring *ring)
{
	unsigned int nr = 1u << ring->order;

	if (!ring->area)
		return;
	xenbus_teardown_ring(&ring->area, nr, ring->gref);
	atomic_long_dec(&pvsplit_counts.rings);
	atomic_long_sub(nr, &pvsplit_counts.grants);
}
PVSPLIT_EXPORT(pvsplit_ring_free);

/**
 * pvsplit_ring_map() - map a ring a front end granted us
 * @ring: ring to set up
 * @dev: xenbus device of the front end
 * @grefs: grant references it published (already read and bounded)
 * @order: log2 of their number
 * @slot_size: bytes per ring slot
 *
 * Return: 0 or a negative errno.
 */
int pvsplit_ring_map(struct pvsplit_ring *ring, struct xenbus_device *dev,
		     const grant_ref_t *grefs, unsigned int order,
		     size_t slot_size)
{
	unsigned int nr = 1u << order;
	int err;

	if (order > PVRING_MAX_ORDER)
		return -EINVAL;
	memset(ring, 0, sizeof(*ring));
	memcpy(ring->gref, grefs, nr * sizeof(*grefs));
	err = xenbus_map_ring_valloc(dev, ring->gref, nr, &ring->area);
	if (err)
		return err;
	/* The front end initialised the shared header; we trust none of it. */
	err = pvring_attach(&ring->r, ring->area, nr * XEN_PAGE_SIZE,
			    slot_size, PVRING_BACK, 0);
	if (err) {
		xenbus_unmap_ring_vfree(dev, ring->area);
		ring->area = NULL;
		return err;
	}
	ring->order = order;
	ring->mapped = true;
	atomic_long_inc(&pvsplit_counts.rings);
	atomic_long_add(nr, &pvsplit_counts.maps);
	return 0;
}
PVSPLIT_EXPORT(pvsplit_ring_map);

/**
 * pvsplit_ring_unmap() - unmap a ring from pvsplit_ring_map()
 * @ring: ring; may be one that was never mapped
 * @dev: the xenbus device it was mapped for
 */
void pvsplit_ring_unmap(struct pvsplit_ring *ring, struct xenbus_device *dev)
{
	if (!ring->area || !ring->mapped)
		return;
	xenbus_unmap_ring_vfree(dev, ring->area);
	ring->area = NULL;
	ring->mapped = false;
	atomic_long_dec(&pvsplit_counts.rings);
	atomic_long_sub(1u << ring->order, &pvsplit_counts.maps);
}
PVSPLIT_EXPORT(pvsplit_ring_unmap);

/**
 * pvsplit_ring_poll() - spin for the peer's next slot on an empty ring
 * @r: ring, found empty, its event index not armed (the peer will not
 *     notify what it produces meanwhile)
 * @p: the ring's idle-gap history (pvpoll.h)
 * @window: how long, from pvpoll_window() (not 0)
 * @max: the caller's longest window, for the gap average
 * @stop: called each turn; true ends the spin at once (work waiting
 *	  elsewhere, the thread must stop)
 * @data: for @stop
 * @st: counts how the spin ended
 *
 * A back end's worker calls this, when its own rules allow a spin, in
 * place of arming the event index and sleeping.  Each turn yields the CPU
 * to anything runnable.  A slot found is noted as a gap; the time spun is
 * paid from the credit the requests taken earned; a window that passes
 * with nothing makes the next chances back off (pvpoll_missed()), and a
 * chance while backing off is passed up.
 *
 * Return: true when the peer produced (or broke the ring: the consume
 * path tells); false when the window passed, the spin was passed up or
 * @stop ended it.
 */
bool pvsplit_ring_poll(struct pvring *r, struct pvpoll *p, u64 window,
		       u64 max, bool (*stop)(void *data), void *data,
		       struct pvsplit_poll_stats *st)
{
	u64 start, now;

	if (pvpoll_pass_up(p)) {
		st->backoff++;
		return false;
	}
	start = ktime_get_ns();
	now = start;
	do {
		if (pvring_avail(r)) {
			pvpoll_found(p, now - start, max);
			st->hit++;
			return true;
		}
		cond_resched();
		if (stop(data))
			return false;
		cpu_relax();
		now = ktime_get_ns();
	} while (now - start < window);
	pvpoll_missed(p, now - start);
	st->miss++;
	return false;
}
PVSPLIT_EXPORT(pvsplit_ring_poll);
