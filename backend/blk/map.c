// SPDX-License-Identifier: GPL-2.0-only
/*
 * map.c - pvblk back end: making a request's segments addressable.
 *
 * Each segment is either a persistent grant already mapped (a hit: no
 * hypercall), or mapped now through the ring's grant pool, one hypercall
 * per PVSPLIT_GPOOL_BATCH misses.  When persistent grants were negotiated
 * a fresh mapping is kept in the ring's table if there is room (bounded by
 * max_persistent_grants, unused entries evicted from the cold end);
 * otherwise it is transient, unmapped when the request is answered.
 *
 * This file calls only pvsplit_common: the worker maps (ring.c), the
 * completion side unmaps (respond.c).  Mapping and transient unmapping run
 * in the ring's worker (or its teardown), which alone uses the pool;
 * pvblkback_unmap_segs() on a request without transient segments only
 * drops uses of persistent grants, which any context may do.
 */
#include <xen/grant_table.h>

#include "pvblkback.h"

/* Map the segments @idx[0..n) named by @refs; fill in the request. */
static int map_batch(struct pvblkback_ring *rg, struct pvblkback_req *req,
		     const grant_ref_t *refs, const unsigned int *idx,
		     unsigned int n, bool readonly)
{
	struct page *pages[PVSPLIT_GPOOL_BATCH];
	grant_handle_t handles[PVSPLIT_GPOOL_BATCH];
	unsigned int i;
	int err;

	err = pvsplit_gpool_map(&rg->gpool, refs, n, readonly, pages, handles);
	for (i = 0; i < n; i++) {
		unsigned int s = idx[i];

		if (!pages[i])
			continue;	/* refused or no page: err says which */
		req->pages[s] = pages[i];
		req->handle[s] = handles[i];
		req->pg[s] = NULL;
		if (rg->be->persistent)
			req->pg[s] = pvsplit_pgrant_add(&rg->pgrants, refs[i],
							pages[i], handles[i],
							READ_ONCE(pvblkback_max_pgrants));
		if (!req->pg[s])
			req->nr_transient++;
	}
	return err;
}

/**
 * pvblkback_map_segs() - make every segment of @req addressable
 * @rg: ring (its worker)
 * @req: request with checked segments and no page yet
 *
 * Return: 0, or -EFAULT / -ENOMEM with nothing left mapped for @req.
 */
int pvblkback_map_segs(struct pvblkback_ring *rg, struct pvblkback_req *req)
{
	grant_ref_t refs[PVSPLIT_GPOOL_BATCH];
	unsigned int idx[PVSPLIT_GPOOL_BATCH];
	/* persistent pages are granted writable; others only as needed */
	bool ro = !rg->be->persistent && req->data_op == PVBLK_OP_WRITE;
	unsigned int i, n = 0;
	int err = 0;

	req->nr_transient = 0;
	for (i = 0; i < req->nr_segs; i++) {
		struct pvsplit_pgrant *pg = NULL;

		req->pages[i] = NULL;
		req->pg[i] = NULL;
		if (rg->be->persistent)
			pg = pvsplit_pgrant_get(&rg->pgrants, req->segs[i].gref);
		if (pg) {
			req->pg[i] = pg;
			req->pages[i] = pg->page;
			rg->st.pgrant_hit++;
			continue;
		}
		rg->st.pgrant_miss++;
		refs[n] = req->segs[i].gref;
		idx[n++] = i;
		if (n == PVSPLIT_GPOOL_BATCH) {
			err = map_batch(rg, req, refs, idx, n, ro);
			n = 0;
			if (err)
				break;
		}
	}
	if (!err && n)
		err = map_batch(rg, req, refs, idx, n, ro);
	if (err)
		pvblkback_unmap_segs(rg, req);
	return err;
}

/**
 * pvblkback_unmap_segs() - undo pvblkback_map_segs(), whatever it got to
 * @rg: ring
 * @req: request; no segment is mapped for it afterwards
 *
 * Runs in the worker, or in bio completion for a request with no transient
 * segment, where it touches only the persistent entries' use counts.
 */
void pvblkback_unmap_segs(struct pvblkback_ring *rg, struct pvblkback_req *req)
{
	unsigned int i, n = 0;

	for (i = 0; i < req->nr_segs; i++) {
		if (!req->pages[i])
			continue;
		if (req->pg[i]) {
			pvsplit_pgrant_put(req->pg[i]);
			req->pg[i] = NULL;
			req->pages[i] = NULL;
			continue;
		}
		/*
		 * Gather the transient ones at the front (n <= i, and every
		 * slot in [n, i) is already empty) for one unmap call.
		 */
		req->pages[n] = req->pages[i];
		req->handle[n] = req->handle[i];
		if (n != i)
			req->pages[i] = NULL;
		n++;
	}
	WARN_ON_ONCE(n != req->nr_transient);
	req->nr_transient = 0;
	if (n)
		pvsplit_gpool_unmap(&rg->gpool, req->pages, req->handle, n);
}
