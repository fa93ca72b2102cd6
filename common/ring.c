// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c - shared ring pages: granted by a front end, mapped by a back end.
 */
#include <linux/module.h>
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
