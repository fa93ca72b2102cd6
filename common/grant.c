// SPDX-License-Identifier: GPL-2.0-only
/*
 * grant.c - granting our pages to a peer, copying its grants (mapping them
 * is gpool.c).
 */
#include <linux/module.h>
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
 * pvsplit_grant_move() - grant another page under a reference of ours
 * @ref: a grant reference from pvsplit_grant_pages()
 * @domid: the domain it is granted to
 * @page: the page it grants from now on
 * @readonly: grant read-only access
 *
 * Ends the peer's access to the page granted so far, which is then the
 * caller's to keep or hand on, and grants @page under the same reference:
 * a front end that passes a page the peer filled up its stack (rather
 * than copy out of it) puts a fresh one in its place without a new
 * reference, and the peer, which names pages by reference, sees no
 * change.
 *
 * Return: 0; or -EBUSY when the peer still maps the old page: it stays
 * the peer's, and the reference may be dead (with grant table v2 ending
 * access clears the entry first), so the caller must stop using it and
 * leave it to pvsplit_grant_revoke().  Protocols that let the peer only
 * copy (netif's RX ring) make that a protocol error.
 */
int pvsplit_grant_move(grant_ref_t ref, domid_t domid, struct page *page,
		       bool readonly)
{
	if (!gnttab_end_foreign_access_ref(ref))
		return -EBUSY;
	gnttab_page_grant_foreign_access_ref_one(ref, domid, page, readonly);
	return 0;
}
PVSPLIT_EXPORT(pvsplit_grant_move);

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
