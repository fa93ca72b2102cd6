// SPDX-License-Identifier: GPL-2.0-only
/*
 * gpool.c - back ends: mapping a peer's grants into ballooned pages.
 *
 * A grant pool (struct pvsplit_gpool) serves one queue of a back end.  It
 * keeps a cache of ballooned pages (gnttab_alloc_pages), so that once warm
 * the data path allocates nothing, and maps and unmaps foreign grants
 * PVSPLIT_GPOOL_BATCH per hypercall.  Unmapping always hands the page back
 * to the pool: no caller unmaps or frees on its own.
 *
 * Every page taken from the balloon and every grant mapped is counted in
 * /sys/kernel/debug/pvsplit/resources ("pages", "maps") when it happens and
 * uncounted only when it is given back, so a back end that forgets an
 * unmap shows it there after its devices are gone.
 *
 * Optionally, a table of persistent grants (struct pvsplit_pgrants) keeps
 * mappings of a front end that reuses its pages: looked up by reference,
 * ordered by use, bounded, unused entries evicted from the cold end.  Its
 * mappings come from and go back to the pool.
 *
 * A pool and its table have one user at a time (a queue's worker thread,
 * or its teardown once the worker stopped), who serialises every call
 * except pvsplit_pgrant_put(), which any context may call.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/grant_table.h>
#include <xen/page.h>

#include "pvsplit/pvsplit.h"
#include "internal.h"

/* Up to @n pages: cached first, then one balloon call for the rest. */
static unsigned int gpool_take(struct pvsplit_gpool *pool, struct page **pages,
			       unsigned int n)
{
	unsigned int got = min(n, pool->nr_free);

	pool->nr_free -= got;
	memcpy(pages, pool->free + pool->nr_free, got * sizeof(*pages));
	if (got < n && !gnttab_alloc_pages(n - got, pages + got)) {
		pool->held += n - got;
		atomic_long_add(n - got, &pvsplit_counts.pages);
		got = n;
	}
	return got;
}

/* Take back pages with nothing mapped in them; free what the cache can't keep. */
static void gpool_give(struct pvsplit_gpool *pool, struct page **pages,
		       unsigned int n)
{
	unsigned int keep = min(n, pool->keep - pool->nr_free);

	memcpy(pool->free + pool->nr_free, pages, keep * sizeof(*pages));
	pool->nr_free += keep;
	if (keep == n)
		return;
	gnttab_free_pages(n - keep, pages + keep);
	pool->held -= n - keep;
	atomic_long_sub(n - keep, &pvsplit_counts.pages);
}

/**
 * pvsplit_gpool_init() - set up a grant pool for one peer
 * @pool: pool to set up
 * @domid: the peer whose grants it maps
 * @reserve: pages to take from the balloon now (at most @keep), so that
 *	     mapping up to that many at once never allocates
 * @keep: most unused pages kept for reuse; more are freed when given back
 *
 * Return: 0, -EINVAL when @reserve exceeds @keep, or -ENOMEM with nothing
 * allocated.
 */
int pvsplit_gpool_init(struct pvsplit_gpool *pool, domid_t domid,
		       unsigned int reserve, unsigned int keep)
{
	memset(pool, 0, sizeof(*pool));
	if (reserve > keep)
		return -EINVAL;
	pool->domid = domid;
	pool->keep = keep;
	pool->free = kvcalloc(keep, sizeof(*pool->free), GFP_KERNEL);
	if (!pool->free)
		return -ENOMEM;
	if (reserve && gnttab_alloc_pages(reserve, pool->free)) {
		kvfree(pool->free);
		pool->free = NULL;
		return -ENOMEM;
	}
	pool->nr_free = reserve;
	pool->held = reserve;
	atomic_long_add(reserve, &pvsplit_counts.pages);
	return 0;
}
PVSPLIT_EXPORT(pvsplit_gpool_init);

/**
 * pvsplit_gpool_destroy() - free a pool's pages
 * @pool: pool with nothing mapped; may be one never set up
 *
 * A page still out (mapped, or kept back after a failed unmap) is not
 * freed: it may hold a foreign mapping.  It stays counted in "pages" (and
 * its grant in "maps"), where a leak check sees it.
 */
void pvsplit_gpool_destroy(struct pvsplit_gpool *pool)
{
	if (!pool->free)
		return;
	WARN_ON_ONCE(pool->mapped || pool->held != pool->nr_free);
	if (pool->nr_free)
		gnttab_free_pages(pool->nr_free, pool->free);
	pool->held -= pool->nr_free;
	atomic_long_sub(pool->nr_free, &pvsplit_counts.pages);
	pool->nr_free = 0;
	kvfree(pool->free);
	pool->free = NULL;
}
PVSPLIT_EXPORT(pvsplit_gpool_destroy);

/**
 * pvsplit_gpool_map() - map foreign grants, PVSPLIT_GPOOL_BATCH per
 * hypercall
 * @pool: pool
 * @refs: the peer's grant references (any values: Xen checks them)
 * @n: how many
 * @readonly: map read-only
 * @pages: filled with the page each grant is mapped in, or NULL for a grant
 *	   that was not mapped (its page is back in the pool)
 * @handles: filled with the handle of each grant mapped
 *
 * Each grant succeeds or fails on its own, so a caller serving several
 * requests (a network back end's batch of packets) can fail only the ones
 * named in a bad grant.  Undo with pvsplit_gpool_unmap() on the same
 * arrays, which skips the NULL entries.  May sleep when the pool is empty.
 *
 * Return: 0 when all @n are mapped; -ENOMEM when pages ran short or
 * -EFAULT when Xen refused a grant, with the others mapped.
 */
int pvsplit_gpool_map(struct pvsplit_gpool *pool, const grant_ref_t *refs,
		      unsigned int n, bool readonly, struct page **pages,
		      grant_handle_t *handles)
{
	struct gnttab_map_grant_ref ops[PVSPLIT_GPOOL_BATCH];
	u32 flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0);
	unsigned int done, cnt, got, i, good;
	int err = 0;

	for (done = 0; done < n; done += cnt) {
		struct page **pg = pages + done;

		cnt = min(n - done, PVSPLIT_GPOOL_BATCH);
		got = gpool_take(pool, pg, cnt);
		for (i = got; i < cnt; i++)
			pg[i] = NULL;
		if (got < cnt)
			err = -ENOMEM;
		if (!got)
			continue;
		for (i = 0; i < got; i++) {
			gnttab_set_map_op(&ops[i],
					  (unsigned long)page_address(pg[i]),
					  flags, refs[done + i], pool->domid);
			ops[i].status = GNTST_general_error;
		}
		if (gnttab_map_refs(ops, NULL, pg, got) && !err)
			err = -EFAULT;
		/*
		 * A grant is mapped exactly when Xen said okay, whatever the
		 * call returned: those must be unmapped, the others not.
		 */
		for (i = 0, good = 0; i < got; i++) {
			if (ops[i].status == GNTST_okay) {
				handles[done + i] = ops[i].handle;
				good++;
				continue;
			}
			gpool_give(pool, &pg[i], 1);
			pg[i] = NULL;
			if (!err)
				err = -EFAULT;
		}
		pool->mapped += good;
		atomic_long_add(good, &pvsplit_counts.maps);
	}
	return err;
}
PVSPLIT_EXPORT(pvsplit_gpool_map);

/* Unmap up to PVSPLIT_GPOOL_BATCH grants with one call, pages back to pool. */
static void gpool_unmap_batch(struct pvsplit_gpool *pool, struct page **pages,
			      const grant_handle_t *handles, unsigned int n)
{
	struct gnttab_unmap_grant_ref ops[PVSPLIT_GPOOL_BATCH];
	struct gntab_unmap_queue_data q = { };
	unsigned int i, good = 0;

	for (i = 0; i < n; i++) {
		gnttab_set_unmap_op(&ops[i], (unsigned long)page_address(pages[i]),
				    GNTMAP_host_map, handles[i]);
		ops[i].status = GNTST_general_error;
	}
	q.unmap_ops = ops;
	q.kunmap_ops = NULL;
	q.pages = pages;
	q.count = n;
	WARN_ON_ONCE(gnttab_unmap_refs_sync(&q));
	/*
	 * A page whose unmap failed may still map the peer's page: keep it
	 * out of circulation, still counted, rather than reuse or free it.
	 */
	for (i = 0; i < n; i++) {
		if (WARN_ON_ONCE(ops[i].status != GNTST_okay))
			continue;
		pages[good++] = pages[i];
	}
	pool->mapped -= good;
	atomic_long_sub(good, &pvsplit_counts.maps);
	gpool_give(pool, pages, good);
}

/**
 * pvsplit_gpool_unmap() - unmap grants mapped by pvsplit_gpool_map() and
 * give their pages back to the pool
 * @pool: pool they were mapped through
 * @pages: their pages; NULL entries are skipped, every entry is NULL after
 * @handles: their handles
 * @n: entries in @pages
 *
 * Sleeps until the pages are no longer in use elsewhere (a network back
 * end calls it from its deallocation thread, not from its NAPI poll).
 */
void pvsplit_gpool_unmap(struct pvsplit_gpool *pool, struct page **pages,
			 const grant_handle_t *handles, unsigned int n)
{
	struct page *batch[PVSPLIT_GPOOL_BATCH];
	grant_handle_t h[PVSPLIT_GPOOL_BATCH];
	unsigned int i, cnt = 0;

	for (i = 0; i < n; i++) {
		if (!pages[i])
			continue;
		batch[cnt] = pages[i];
		h[cnt++] = handles[i];
		pages[i] = NULL;
		if (cnt == PVSPLIT_GPOOL_BATCH) {
			gpool_unmap_batch(pool, batch, h, cnt);
			cnt = 0;
		}
	}
	if (cnt)
		gpool_unmap_batch(pool, batch, h, cnt);
}
PVSPLIT_EXPORT(pvsplit_gpool_unmap);

/* ---- persistent grants -------------------------------------------------- */

/**
 * pvsplit_pgrants_init() - set up an empty table of persistent grants
 * @pgs: table
 * @pool: pool its mappings come from and go back to
 */
void pvsplit_pgrants_init(struct pvsplit_pgrants *pgs,
			  struct pvsplit_gpool *pool)
{
	pgs->pool = pool;
	xa_init(&pgs->xa);
	INIT_LIST_HEAD(&pgs->lru);
	pgs->n = 0;
}
PVSPLIT_EXPORT(pvsplit_pgrants_init);

/**
 * pvsplit_pgrant_get() - look up a persistent grant and take a use of it
 * @pgs: table
 * @gref: reference
 *
 * Allocates nothing.  Drop the use with pvsplit_pgrant_put().
 *
 * Return: the entry, or NULL when @gref is not kept mapped.
 */
struct pvsplit_pgrant *pvsplit_pgrant_get(struct pvsplit_pgrants *pgs,
					  grant_ref_t gref)
{
	struct pvsplit_pgrant *pg = xa_load(&pgs->xa, gref);

	if (!pg)
		return NULL;
	atomic_inc(&pg->users);
	list_move(&pg->lru, &pgs->lru);
	return pg;
}
PVSPLIT_EXPORT(pvsplit_pgrant_get);

/* Drop @ents[0..n) from the table and unmap them with one call. */
static void pgrants_drop(struct pvsplit_pgrants *pgs,
			 struct pvsplit_pgrant **ents, unsigned int n)
{
	struct page *pages[PVSPLIT_GPOOL_BATCH];
	grant_handle_t handles[PVSPLIT_GPOOL_BATCH];
	unsigned int i;

	for (i = 0; i < n; i++) {
		pages[i] = ents[i]->page;
		handles[i] = ents[i]->handle;
		xa_erase(&pgs->xa, ents[i]->gref);
		list_del(&ents[i]->lru);
		kfree(ents[i]);
	}
	pgs->n -= n;
	pvsplit_gpool_unmap(pgs->pool, pages, handles, n);
}

/* Unmap up to an eighth of @max unused entries, coldest first. */
static unsigned int pgrants_evict(struct pvsplit_pgrants *pgs, unsigned int max)
{
	struct pvsplit_pgrant *ents[PVSPLIT_GPOOL_BATCH];
	unsigned int want = clamp(max / 8, 1u, PVSPLIT_GPOOL_BATCH);
	struct pvsplit_pgrant *pg;
	unsigned int n = 0;

	list_for_each_entry_reverse(pg, &pgs->lru, lru) {
		if (n == want)
			break;
		if (!atomic_read(&pg->users))
			ents[n++] = pg;
	}
	pgrants_drop(pgs, ents, n);
	return n;
}

/**
 * pvsplit_pgrant_add() - keep a grant just mapped through the pool mapped
 * @pgs: table
 * @gref: its reference
 * @page: the page pvsplit_gpool_map() mapped it in
 * @handle: its handle
 * @max: most entries the table may hold (unused ones are evicted to stay
 *	 under it)
 *
 * Allocates the entry (GFP_NOIO): once per grant kept, not per use.
 *
 * Return: the entry, holding one use; or NULL when it is not kept (no room
 * after eviction, no memory, or @gref already kept by another segment of
 * the same batch), so the caller unmaps it after use.
 */
struct pvsplit_pgrant *pvsplit_pgrant_add(struct pvsplit_pgrants *pgs,
					  grant_ref_t gref, struct page *page,
					  grant_handle_t handle,
					  unsigned int max)
{
	struct pvsplit_pgrant *pg;

	if (xa_load(&pgs->xa, gref))
		return NULL;
	if (pgs->n >= max && !pgrants_evict(pgs, max))
		return NULL;
	pg = kzalloc(sizeof(*pg), GFP_NOIO);
	if (!pg)
		return NULL;
	pg->gref = gref;
	pg->handle = handle;
	pg->page = page;
	atomic_set(&pg->users, 1);
	if (xa_err(xa_store(&pgs->xa, gref, pg, GFP_NOIO))) {
		kfree(pg);
		return NULL;
	}
	list_add(&pg->lru, &pgs->lru);
	pgs->n++;
	return pg;
}
PVSPLIT_EXPORT(pvsplit_pgrant_add);

/**
 * pvsplit_pgrants_flush() - unmap every persistent grant
 * @pgs: table, with no use of any entry left; empty afterwards
 */
void pvsplit_pgrants_flush(struct pvsplit_pgrants *pgs)
{
	struct pvsplit_pgrant *ents[PVSPLIT_GPOOL_BATCH];
	struct pvsplit_pgrant *pg;
	unsigned int n;

	while (!list_empty(&pgs->lru)) {
		n = 0;
		list_for_each_entry(pg, &pgs->lru, lru) {
			WARN_ON_ONCE(atomic_read(&pg->users));
			ents[n++] = pg;
			if (n == PVSPLIT_GPOOL_BATCH)
				break;
		}
		pgrants_drop(pgs, ents, n);
	}
	xa_destroy(&pgs->xa);
}
PVSPLIT_EXPORT(pvsplit_pgrants_flush);
