// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant.c - granting our pages to a peer, mapping and copying its grants.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/grant_table.h>
#include <xen/page.h>

#include "pvsplit/pvsplit.h"
#include "internal.h"

/**
 * pvsplit_grant_pages() - grant @n pages to @domid
 * @domid: domain that may map them
 * @pages: the pages
 * @n: how many
 * @readonly: grant read-only access
 * @refs: filled with one grant reference per page
 *
 * Return: 0, or -ENOSPC when the grant table has no room (nothing granted).
 */
int pvsplit_grant_pages(domid_t domid, struct page **pages, unsigned int n,
			bool readonly, grant_ref_t *refs)
{
	grant_ref_t head;
	unsigned int i;

	if (!n)
		return 0;
	if (gnttab_alloc_grant_references(n, &head))
		return -ENOSPC;
	for (i = 0; i < n; i++) {
		refs[i] = gnttab_claim_grant_reference(&head);
		gnttab_page_grant_foreign_access_ref_one(refs[i], domid,
							 pages[i], readonly);
	}
	atomic_long_add(n, &pvsplit_counts.grants);
	return 0;
}
PVSPLIT_EXPORT(pvsplit_grant_pages);

/**
 * pvsplit_grant_revoke() - end a peer's access to pages we granted
 * @refs: grant references from pvsplit_grant_pages()
 * @pages: the pages; an entry is set to NULL when the peer still maps it
 * @n: how many
 *
 * A page the peer still maps cannot be reused: it is handed to the grant
 * table code, which frees it once the peer lets go, and the caller must
 * allocate a new one in its place.
 *
 * Return: number of pages handed over that way (0 with a well-behaved peer).
 */
unsigned int pvsplit_grant_revoke(const grant_ref_t *refs, struct page **pages,
				  unsigned int n)
{
	unsigned int i, deferred = 0;

	for (i = 0; i < n; i++) {
		if (gnttab_try_end_foreign_access(refs[i]))
			continue;
		/* our page reference goes with it, dropped once the peer unmaps */
		gnttab_end_foreign_access(refs[i], pages[i]);
		pages[i] = NULL;
		deferred++;
	}
	atomic_long_sub(n, &pvsplit_counts.grants);
	atomic_long_add(deferred, &pvsplit_counts.grants_deferred);
	return deferred;
}
PVSPLIT_EXPORT(pvsplit_grant_revoke);

/**
 * pvsplit_gmap_init() - prepare room to map up to @max foreign grants
 * @m: mapping state
 * @max: most grants mapped at once
 *
 * Return: 0 or -ENOMEM.
 */
int pvsplit_gmap_init(struct pvsplit_gmap *m, unsigned int max)
{
	memset(m, 0, sizeof(*m));
	m->pages = kcalloc(max, sizeof(*m->pages), GFP_KERNEL);
	m->handle = kcalloc(max, sizeof(*m->handle), GFP_KERNEL);
	if (!m->pages || !m->handle)
		goto free_arrays;
	if (gnttab_alloc_pages(max, m->pages))
		goto free_arrays;
	return 0;

free_arrays:
	kfree(m->handle);
	kfree(m->pages);
	m->pages = NULL;
	m->handle = NULL;
	return -ENOMEM;
}
PVSPLIT_EXPORT(pvsplit_gmap_init);

/**
 * pvsplit_gmap_destroy() - free what pvsplit_gmap_init() allocated
 * @m: mapping state, with nothing mapped
 * @max: the @max it was set up with
 */
void pvsplit_gmap_destroy(struct pvsplit_gmap *m, unsigned int max)
{
	if (!m->pages)
		return;
	if (WARN_ON_ONCE(m->n))
		pvsplit_gmap_unmap(m);
	gnttab_free_pages(max, m->pages);
	kfree(m->handle);
	kfree(m->pages);
	m->pages = NULL;
	m->handle = NULL;
}
PVSPLIT_EXPORT(pvsplit_gmap_destroy);

static void gmap_unmap_first(struct pvsplit_gmap *m, unsigned int n,
			     const bool *ok)
{
	struct gnttab_unmap_grant_ref unmap[PVSPLIT_MAX_BATCH_MAP];
	struct page *pages[PVSPLIT_MAX_BATCH_MAP];
	struct gntab_unmap_queue_data q = { };
	unsigned int i, cnt = 0;

	for (i = 0; i < n; i++) {
		if (ok && !ok[i])
			continue;
		gnttab_set_unmap_op(&unmap[cnt],
				    (unsigned long)pfn_to_kaddr(page_to_pfn(m->pages[i])),
				    GNTMAP_host_map, m->handle[i]);
		pages[cnt++] = m->pages[i];
	}
	if (!cnt)
		return;
	q.unmap_ops = unmap;
	q.kunmap_ops = NULL;
	q.pages = pages;
	q.count = cnt;
	WARN_ON_ONCE(gnttab_unmap_refs_sync(&q));
	atomic_long_sub(cnt, &pvsplit_counts.maps);
}

/**
 * pvsplit_gmap_map() - map a batch of foreign grants with one hypercall
 * @m: mapping state with nothing mapped
 * @domid: granting domain
 * @refs: its grant references (any values: Xen checks them)
 * @n: how many, at most the @max of pvsplit_gmap_init() and
 *     PVSPLIT_MAX_BATCH_MAP
 * @readonly: map read-only
 *
 * On success m->pages[0..n-1] hold the peer's data.  When any grant fails
 * the ones that worked are unmapped again and nothing stays mapped.
 *
 * Return: 0, -EINVAL for a bad @n, or -EFAULT when a grant was refused.
 */
int pvsplit_gmap_map(struct pvsplit_gmap *m, domid_t domid,
		     const grant_ref_t *refs, unsigned int n, bool readonly)
{
	struct gnttab_map_grant_ref map[PVSPLIT_MAX_BATCH_MAP];
	bool ok[PVSPLIT_MAX_BATCH_MAP];
	u32 flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0);
	unsigned int i, good = 0;
	int err;

	if (WARN_ON_ONCE(m->n) || !n || n > PVSPLIT_MAX_BATCH_MAP)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		gnttab_set_map_op(&map[i],
				  (unsigned long)pfn_to_kaddr(page_to_pfn(m->pages[i])),
				  flags, refs[i], domid);
		map[i].status = GNTST_general_error;
	}
	err = gnttab_map_refs(map, NULL, m->pages, n);
	for (i = 0; i < n; i++) {
		ok[i] = map[i].status == GNTST_okay;
		if (ok[i]) {
			m->handle[i] = map[i].handle;
			good++;
		}
	}
	atomic_long_add(good, &pvsplit_counts.maps);
	if (good == n && !err) {
		m->n = n;
		return 0;
	}
	gmap_unmap_first(m, n, ok);
	return -EFAULT;
}
PVSPLIT_EXPORT(pvsplit_gmap_map);

/**
 * pvsplit_gmap_unmap() - unmap what pvsplit_gmap_map() mapped
 * @m: mapping state
 */
void pvsplit_gmap_unmap(struct pvsplit_gmap *m)
{
	gmap_unmap_first(m, m->n, NULL);
	m->n = 0;
}
PVSPLIT_EXPORT(pvsplit_gmap_unmap);

/**
 * pvsplit_grant_copy() - run a batch of grant copies with one hypercall
 * @ops: filled-in copy operations
 * @n: how many
 *
 * Return: 0 when every copy succeeded, -EFAULT otherwise.
 */
int pvsplit_grant_copy(struct gnttab_copy *ops, unsigned int n)
{
	unsigned int i;

	gnttab_batch_copy(ops, n);
	for (i = 0; i < n; i++)
		if (ops[i].status != GNTST_okay)
			return -EFAULT;
	return 0;
}
PVSPLIT_EXPORT(pvsplit_grant_copy);
