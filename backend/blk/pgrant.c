// SPDX-License-Identifier: GPL-2.0-only
/*
 * pgrant.c - pvblk back end: persistent grants and mapping pages.
 *
 * A front end that negotiated feature-persistent reuses a bounded set of
 * granted pages.  Each ring keeps them mapped, found by reference in an
 * xarray and ordered in an LRU list.  The set is bounded by
 * max_persistent_grants: when it is full, unused entries at the cold end
 * are unmapped in one batch to make room, and a grant that still finds no
 * room is mapped for its request only.
 *
 * Mappings need ballooned pages (gnttab_alloc_pages); each ring keeps a
 * pool of them so that the data path never allocates.
 *
 * Everything here runs in the ring's worker, or once it has stopped, except
 * pvblkback_pgrant_put(), which bio completion calls.
 */
#include <linux/slab.h>
#include <xen/grant_table.h>

#include "pvblkback.h"

/**
 * pvblkback_unmap_pages() - unmap foreign grants, one hypercall per batch
 * @pages: where they are mapped
 * @handles: their handles
 * @n: how many
 */
void pvblkback_unmap_pages(struct page **pages, grant_handle_t *handles,
			   unsigned int n)
{
	struct gnttab_unmap_grant_ref ops[PVBLKBACK_MAP_BATCH];
	struct gntab_unmap_queue_data q = { };
	unsigned int i, done, cnt;

	for (done = 0; done < n; done += cnt) {
		cnt = min(n - done, PVBLKBACK_MAP_BATCH);
		for (i = 0; i < cnt; i++)
			gnttab_set_unmap_op(&ops[i],
					    (unsigned long)page_address(pages[done + i]),
					    GNTMAP_host_map, handles[done + i]);
		q.unmap_ops = ops;
		q.kunmap_ops = NULL;
		q.pages = pages + done;
		q.count = cnt;
		WARN_ON_ONCE(gnttab_unmap_refs_sync(&q));
	}
}

/**
 * pvblkback_pool_get() - a page to map a foreign grant into
 * @rg: ring
 *
 * Return: the page, or NULL when memory is short.
 */
struct page *pvblkback_pool_get(struct pvblkback_ring *rg)
{
	struct page *p;

	if (rg->pool_n)
		return rg->pool[--rg->pool_n];
	if (gnttab_alloc_pages(1, &p))
		return NULL;
	return p;
}

/**
 * pvblkback_pool_put() - give back a page with nothing mapped in it
 * @rg: ring
 * @page: the page
 */
void pvblkback_pool_put(struct pvblkback_ring *rg, struct page *page)
{
	if (rg->pool_n < PVBLKBACK_POOL_MAX) {
		rg->pool[rg->pool_n++] = page;
		return;
	}
	gnttab_free_pages(1, &page);
}

/**
 * pvblkback_pool_drain() - free every pooled page
 * @rg: ring
 */
void pvblkback_pool_drain(struct pvblkback_ring *rg)
{
	if (rg->pool_n)
		gnttab_free_pages(rg->pool_n, rg->pool);
	rg->pool_n = 0;
}

/**
 * pvblkback_pgrant_get() - look up a persistent grant and take a use of it
 * @rg: ring
 * @gref: reference
 *
 * Return: the entry, or NULL when @gref is not kept mapped.
 */
struct pvblkback_pgrant *pvblkback_pgrant_get(struct pvblkback_ring *rg,
					      grant_ref_t gref)
{
	struct pvblkback_pgrant *pg = xa_load(&rg->pgrants, gref);

	if (!pg)
		return NULL;
	atomic_inc(&pg->users);
	list_move(&pg->lru, &rg->lru);
	return pg;
}

/**
 * pvblkback_pgrant_put() - drop a use taken by get or add; any context
 * @rg: ring
 * @pg: entry
 */
void pvblkback_pgrant_put(struct pvblkback_ring *rg,
			  struct pvblkback_pgrant *pg)
{
	WARN_ON_ONCE(atomic_dec_if_positive(&pg->users) < 0);
}

static void pgrant_free(struct pvblkback_ring *rg, struct pvblkback_pgrant *pg)
{
	xa_erase(&rg->pgrants, pg->gref);
	list_del(&pg->lru);
	rg->nr_pgrants--;
	kfree(pg);
}

/* Unmap up to an eighth of the bound of unused entries, coldest first. */
static unsigned int pgrant_evict(struct pvblkback_ring *rg)
{
	struct page *pages[PVBLKBACK_MAP_BATCH];
	grant_handle_t handles[PVBLKBACK_MAP_BATCH];
	struct pvblkback_pgrant *pg, *tmp;
	unsigned int want = clamp(pvblkback_max_pgrants / 8, 1u,
				  PVBLKBACK_MAP_BATCH);
	unsigned int i, n = 0;

	list_for_each_entry_safe_reverse(pg, tmp, &rg->lru, lru) {
		if (n == want)
			break;
		if (atomic_read(&pg->users))
			continue;
		pages[n] = pg->page;
		handles[n] = pg->handle;
		pgrant_free(rg, pg);
		n++;
	}
	pvblkback_unmap_pages(pages, handles, n);
	for (i = 0; i < n; i++)
		pvblkback_pool_put(rg, pages[i]);
	return n;
}

/**
 * pvblkback_pgrant_add() - keep a freshly mapped grant mapped
 * @rg: ring
 * @gref: its reference
 * @handle: its mapping handle
 * @page: where it is mapped
 * @out: the new entry, holding one use
 *
 * Return: true when kept; false when the caller must unmap it after use
 * (no room, or @gref already kept by another segment of the batch).
 */
bool pvblkback_pgrant_add(struct pvblkback_ring *rg, grant_ref_t gref,
			  grant_handle_t handle, struct page *page,
			  struct pvblkback_pgrant **out)
{
	struct pvblkback_pgrant *pg;

	if (xa_load(&rg->pgrants, gref))
		return false;
	if (rg->nr_pgrants >= pvblkback_max_pgrants && !pgrant_evict(rg))
		return false;
	pg = kzalloc(sizeof(*pg), GFP_NOIO);
	if (!pg)
		return false;
	pg->gref = gref;
	pg->handle = handle;
	pg->page = page;
	atomic_set(&pg->users, 1);
	if (xa_err(xa_store(&rg->pgrants, gref, pg, GFP_NOIO))) {
		kfree(pg);
		return false;
	}
	list_add(&pg->lru, &rg->lru);
	rg->nr_pgrants++;
	*out = pg;
	return true;
}

/**
 * pvblkback_pgrant_flush() - unmap every persistent grant of a stopped ring
 * @rg: ring, with no request in flight
 */
void pvblkback_pgrant_flush(struct pvblkback_ring *rg)
{
	struct page *pages[PVBLKBACK_MAP_BATCH];
	grant_handle_t handles[PVBLKBACK_MAP_BATCH];
	struct pvblkback_pgrant *pg, *tmp;
	unsigned int i, n = 0;

	list_for_each_entry_safe(pg, tmp, &rg->lru, lru) {
		WARN_ON_ONCE(atomic_read(&pg->users));
		pages[n] = pg->page;
		handles[n] = pg->handle;
		pgrant_free(rg, pg);
		if (++n < PVBLKBACK_MAP_BATCH)
			continue;
		pvblkback_unmap_pages(pages, handles, n);
		for (i = 0; i < n; i++)
			pvblkback_pool_put(rg, pages[i]);
		n = 0;
	}
	pvblkback_unmap_pages(pages, handles, n);
	for (i = 0; i < n; i++)
		pvblkback_pool_put(rg, pages[i]);
}
