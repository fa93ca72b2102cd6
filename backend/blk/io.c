// SPDX-License-Identifier: GPL-2.0-only
/*
 * io.c - pvblk back end: from checked request to bios and back.
 *
 * Segments are mapped with one hypercall per batch of misses (persistent
 * grants hit without any), the request becomes as few bios as the
 * backing queue allows, and the last bio to end hands the request to the
 * ring's worker, which unmaps and answers in batches.
 */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <xen/grant_table.h>

#include "pvblkback.h"

/* Map the segments in [first, first + n) that are not persistent yet. */
static int map_batch(struct pvblkback_ring *rg, struct pvblkback_req *req,
		     const unsigned int *idx, unsigned int n, bool readonly)
{
	struct gnttab_map_grant_ref ops[PVBLKBACK_MAP_BATCH];
	struct page *pages[PVBLKBACK_MAP_BATCH];
	struct pvblkback *be = rg->be;
	u32 flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0);
	unsigned int i, got;
	int err = 0;

	for (got = 0; got < n; got++) {
		pages[got] = pvblkback_pool_get(rg);
		if (!pages[got])
			break;
	}
	if (got < n) {
		err = -ENOMEM;
		n = got;
	}
	for (i = 0; i < n; i++) {
		gnttab_set_map_op(&ops[i], (unsigned long)page_address(pages[i]),
				  flags, req->segs[idx[i]].gref, be->domid);
		ops[i].status = GNTST_general_error;
	}
	if (n && gnttab_map_refs(ops, NULL, pages, n))
		err = -EFAULT;
	for (i = 0; i < n; i++) {
		unsigned int s = idx[i];

		if (ops[i].status != GNTST_okay) {
			pvblkback_pool_put(rg, pages[i]);
			if (!err)
				err = -EFAULT;
			continue;
		}
		req->pages[s] = pages[i];
		req->handle[s] = ops[i].handle;
		if (be->persistent &&
		    pvblkback_pgrant_add(rg, req->segs[s].gref, ops[i].handle,
					 pages[i], &req->pg[s]))
			continue;
		req->pg[s] = NULL;
		req->nr_transient++;
	}
	return err;
}

/**
 * pvblkback_map_segs() - make every segment of @req addressable
 * @rg: ring
 * @req: request with checked segments and no page yet
 *
 * Return: 0, or -EFAULT / -ENOMEM with nothing left mapped for @req.
 */
int pvblkback_map_segs(struct pvblkback_ring *rg, struct pvblkback_req *req)
{
	unsigned int idx[PVBLKBACK_MAP_BATCH];
	/* persistent pages are granted writable; others only as needed */
	bool ro = !rg->be->persistent && req->data_op == PVBLK_OP_WRITE;
	unsigned int i, n = 0;
	int err = 0;

	req->nr_transient = 0;
	for (i = 0; i < req->nr_segs; i++) {
		struct pvblkback_pgrant *pg = NULL;

		req->pages[i] = NULL;
		req->pg[i] = NULL;
		if (rg->be->persistent)
			pg = pvblkback_pgrant_get(rg, req->segs[i].gref);
		if (pg) {
			req->pg[i] = pg;
			req->pages[i] = pg->page;
			rg->st.pgrant_hit++;
			continue;
		}
		rg->st.pgrant_miss++;
		idx[n++] = i;
		if (n == PVBLKBACK_MAP_BATCH) {
			err = map_batch(rg, req, idx, n, ro);
			n = 0;
			if (err)
				break;
		}
	}
	if (!err && n)
		err = map_batch(rg, req, idx, n, ro);
	if (err)
		pvblkback_unmap_segs(rg, req);
	return err;
}

/**
 * pvblkback_unmap_segs() - undo pvblkback_map_segs(), whatever it got to
 * @rg: ring
 * @req: request
 */
void pvblkback_unmap_segs(struct pvblkback_ring *rg, struct pvblkback_req *req)
{
	struct page *pages[PVBLKBACK_MAP_BATCH];
	grant_handle_t handles[PVBLKBACK_MAP_BATCH];
	unsigned int i, j, n = 0;

	for (i = 0; i < req->nr_segs; i++) {
		if (!req->pages[i])
			continue;
		if (req->pg[i]) {
			pvblkback_pgrant_put(rg, req->pg[i]);
		} else {
			pages[n] = req->pages[i];
			handles[n++] = req->handle[i];
		}
		req->pages[i] = NULL;
		req->pg[i] = NULL;
		if (n < PVBLKBACK_MAP_BATCH && i + 1 < req->nr_segs)
			continue;
		pvblkback_unmap_pages(pages, handles, n);
		for (j = 0; j < n; j++)
			pvblkback_pool_put(rg, pages[j]);
		n = 0;
	}
	pvblkback_unmap_pages(pages, handles, n);
	for (j = 0; j < n; j++)
		pvblkback_pool_put(rg, pages[j]);
}

/*
 * After the last bio: answer at once when only persistent grants are
 * involved (no thread switch on the common path), else hand the request
 * to the worker, which unmaps in batches.
 */
static void req_put(struct pvblkback_req *req)
{
	struct pvblkback_ring *rg = req->ring;

	if (!atomic_dec_and_test(&req->bios))
		return;
	if (!req->nr_transient) {
		pvblkback_finish(rg, req, true);
		return;
	}
	llist_add(&req->done, &rg->done);
	wake_up(&rg->wq);
}

static void pvblkback_end_io(struct bio *bio)
{
	struct pvblkback_req *req = bio->bi_private;

	if (bio->bi_status)
		WRITE_ONCE(req->status, bio->bi_status == BLK_STS_NOTSUPP ?
			   PVBLK_RSP_EOPNOTSUPP : PVBLK_RSP_ERROR);
	bio_put(bio);
	req_put(req);
}

static struct bio *new_bio(struct pvblkback_req *req, unsigned int nvecs,
			   blk_opf_t opf, sector_t sector)
{
	struct bio *bio = bio_alloc(req->ring->be->bd.bdev, nvecs, opf, GFP_NOIO);

	bio->bi_iter.bi_sector = sector;
	bio->bi_private = req;
	bio->bi_end_io = pvblkback_end_io;
	atomic_inc(&req->bios);
	return bio;
}

static blk_opf_t req_opf(const struct pvblkback_req *req)
{
	switch (req->op) {
	case PVBLK_OP_WRITE_BARRIER:
		return REQ_OP_WRITE | REQ_SYNC | REQ_PREFLUSH | REQ_FUA;
	case PVBLK_OP_FLUSH_DISKCACHE:
		return REQ_OP_WRITE | REQ_SYNC | REQ_PREFLUSH;
	default:
		return req->data_op == PVBLK_OP_READ ? REQ_OP_READ :
		       REQ_OP_WRITE | REQ_SYNC;
	}
}

/**
 * pvblkback_submit() - turn a mapped request into bios and submit them
 * @rg: ring
 * @req: request; completes through the ring's done list
 *
 * A data-less flush is one empty PREFLUSH bio.  When the backing queue
 * takes fewer segments per bio than the request has, the request is split;
 * only the first part carries PREFLUSH, every part keeps FUA.
 */
void pvblkback_submit(struct pvblkback_ring *rg, struct pvblkback_req *req)
{
	blk_opf_t opf = req_opf(req);
	sector_t sector = req->sector;
	struct bio *bio = NULL;
	unsigned int i;

	atomic_set(&req->bios, 1);	/* held until every bio is submitted */
	if (!req->nr_segs) {
		submit_bio(new_bio(req, 0, opf, sector));
		goto out;
	}
	for (i = 0; i < req->nr_segs; i++) {
		const struct pvblk_seg *s = &req->segs[i];
		unsigned int off = s->first_sect << PVBLK_SECTOR_SHIFT;
		unsigned int len = (s->last_sect - s->first_sect + 1) <<
				   PVBLK_SECTOR_SHIFT;

		if (!bio)
			bio = new_bio(req, min_t(unsigned int,
						 req->nr_segs - i, BIO_MAX_VECS),
				      opf, sector);
		if (bio_add_page(bio, req->pages[i], len, off) != len) {
			submit_bio(bio);
			opf &= ~REQ_PREFLUSH;
			bio = new_bio(req, min_t(unsigned int,
						 req->nr_segs - i, BIO_MAX_VECS),
				      opf, sector);
			/* a fresh bio takes at least one segment */
			if (WARN_ON_ONCE(bio_add_page(bio, req->pages[i], len,
						      off) != len)) {
				req->status = PVBLK_RSP_ERROR;
				bio_io_error(bio);
				bio = NULL;
				break;
			}
		}
		sector += len >> PVBLK_SECTOR_SHIFT;
	}
	if (bio)
		submit_bio(bio);
out:
	req_put(req);
}

/**
 * pvblkback_discard() - carry out a checked discard, synchronously
 * @be: device
 * @r: the request
 *
 * Return: 0 or a negative errno.
 */
int pvblkback_discard(struct pvblkback *be, const struct pvblk_req *r)
{
	struct block_device *bdev = be->bd.bdev;

	if (r->flag & PVBLK_DISCARD_SECURE)
		return blkdev_issue_secure_erase(bdev, r->sector, r->nr_sectors,
						 GFP_NOIO);
	return blkdev_issue_discard(bdev, r->sector, r->nr_sectors, GFP_NOIO);
}
