// SPDX-License-Identifier: GPL-2.0-only
/*
 * io.c - pvblk back end: from mapped request to bios.
 *
 * A request whose segments are mapped (map.c) becomes as few bios as the
 * backing queue allows; the last bio to end hands it to
 * pvblkback_complete() (respond.c), the one completion entry point.
 * Nothing here calls back into the worker (ring.c).
 */
#include <linux/bio.h>
#include <linux/blkdev.h>

#include "pvblkback.h"

/* Drop the submitter's or a bio's hold; the last one completes @req. */
static void req_put(struct pvblkback_req *req)
{
	if (atomic_dec_and_test(&req->bios))
		pvblkback_complete(req);
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
 * @req: request, holding a reference on @rg; completes through
 *	 pvblkback_complete()
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
