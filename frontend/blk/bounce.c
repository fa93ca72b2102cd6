// SPDX-License-Identifier: GPL-2.0-only
/*
 * bounce.c - pvblk front end: the pages granted to the back end.
 *
 * A request's data never goes to the back end in its own pages: it is
 * copied into (writes) or out of (reads) pages of the ring's pool, granted
 * once and kept granted with persistent grants, else granted per request
 * and revoked when it ends.  A pool page holds nothing but this disk's data;
 * with an untrusted back end it is cleared after each use.
 */
#include <linux/highmem.h>
#include <linux/slab.h>

#include "pvblkfront.h"

/* A pool page granted to the back end, or NULL (caller: BLK_STS_RESOURCE). */
struct pvblkfront_gnt *pvblkfront_gnt_get(struct pvblkfront_ring *rg)
{
	struct pvblkfront *info = rg->info;
	struct pvblkfront_gnt *g;

	g = list_first_entry_or_null(&rg->pool, struct pvblkfront_gnt, node);
	if (g) {
		list_del(&g->node);
	} else {
		g = kzalloc(sizeof(*g), GFP_ATOMIC);
		if (!g)
			return NULL;
		g->page = alloc_page(GFP_ATOMIC | __GFP_ZERO);
		if (!g->page) {
			kfree(g);
			return NULL;
		}
		rg->nr_pages++;
	}
	if (!g->granted) {
		if (pvsplit_grant_pages(info->dev->otherend_id, &g->page, 1,
					false, &g->gref)) {
			list_add(&g->node, &rg->pool);
			return NULL;
		}
		g->granted = true;
	}
	return g;
}

/* Revoke and free a pool page for good (ring teardown). */
void pvblkfront_gnt_free(struct pvblkfront_ring *rg, struct pvblkfront_gnt *g)
{
	if (g->granted)
		pvsplit_grant_revoke(&g->gref, &g->page, 1);
	if (g->page)
		__free_page(g->page);
	rg->nr_pages--;
	kfree(g);
}

/*
 * Back to the pool.  Without persistent grants the back end loses access
 * now; a page it still maps goes to the grant code and is replaced.
 */
void pvblkfront_gnt_put(struct pvblkfront_ring *rg, struct pvblkfront_gnt *g)
{
	struct pvblkfront *info = rg->info;

	if (!info->persistent && g->granted) {
		pvsplit_grant_revoke(&g->gref, &g->page, 1);
		g->granted = false;
		if (!g->page) {
			rg->nr_pages--;
			kfree(g);
			return;
		}
	}
	if (!info->trusted)
		clear_highpage(g->page);
	list_add(&g->node, &rg->pool);
}

void pvblkfront_shadow_release(struct pvblkfront_ring *rg,
			   struct pvblkfront_shadow *sh)
{
	unsigned int i;

	for (i = 0; i < sh->nr_segs; i++)
		pvblkfront_gnt_put(rg, sh->gnt[i]);
	for (i = 0; i < sh->nr_ind; i++)
		pvblkfront_gnt_put(rg, sh->ind[i]);
	sh->nr_segs = 0;
	sh->nr_ind = 0;
}

/*
 * Copy pages @first .. @first + @n - 1 of a request's data into
 * (@to_bounce) or out of the bounce pages @gnt of the part holding them.
 * A piece never crosses a page boundary, so it is inside the part or not.
 */
void pvblkfront_copy_rq(struct request *rq, struct pvblkfront_gnt **gnt,
		    unsigned int first, unsigned int n, bool to_bounce)
{
	size_t lo = (size_t)first * PAGE_SIZE, hi = lo + (size_t)n * PAGE_SIZE;
	struct req_iterator iter;
	struct bio_vec bv;
	size_t pos = 0;

	rq_for_each_segment(bv, rq, iter) {
		unsigned int done = 0;
		char *va;

		if (pos + bv.bv_len <= lo || pos >= hi) {
			pos += bv.bv_len;
			continue;
		}
		va = bvec_kmap_local(&bv);
		while (done < bv.bv_len) {
			unsigned int off = pos % PAGE_SIZE;
			unsigned int len = min_t(unsigned int, bv.bv_len - done,
						 PAGE_SIZE - off);
			char *b;

			if (pos >= lo && pos < hi) {
				b = (char *)page_address(gnt[pos / PAGE_SIZE - first]->page) + off;
				if (to_bounce)
					memcpy(b, va + done, len);
				else
					memcpy(va + done, b, len);
			}
			done += len;
			pos += len;
		}
		kunmap_local(va);
	}
}
