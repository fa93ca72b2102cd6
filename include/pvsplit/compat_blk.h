/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat_blk.h - block layer API differences between the kernels pvblk
 * builds against: opening a block device by number (6.9 returns a file),
 * queue limits (6.9 passes them at allocation, 6.1 sets them after), and
 * waiting for dispatch to end (6.2 takes the tag set).
 */
#ifndef PVSPLIT_COMPAT_BLK_H
#define PVSPLIT_COMPAT_BLK_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <linux/blk-mq.h>
#include <linux/fs.h>

#define PVSPLIT_NEW_BLK_API (KERNEL_VERSION(6, 9, 0) <= LINUX_VERSION_CODE)

/*
 * Tag set flags of a virtual disk: merge in the plug (6.14 merges always
 * and dropped the flag), and no I/O scheduler by default: the back end's
 * disk schedules, one in the guest only adds a lock and a queue per
 * request.
 */
#if KERNEL_VERSION(6, 14, 0) <= LINUX_VERSION_CODE
#define PVSPLIT_MQ_VIRT_FLAGS	BLK_MQ_F_NO_SCHED_BY_DEFAULT
#else
#define PVSPLIT_MQ_VIRT_FLAGS	(BLK_MQ_F_SHOULD_MERGE | BLK_MQ_F_NO_SCHED_BY_DEFAULT)
#endif

/*
 * Wait until every dispatch section running now has ended (RCU, or SRCU
 * for blocking queues): each check of a queue's stopped or quiesced flag
 * made before has been acted on.  6.2 takes the tag set.
 */
static inline void pvsplit_wait_dispatch_done(struct request_queue *q)
{
#if KERNEL_VERSION(6, 2, 0) <= LINUX_VERSION_CODE
	blk_mq_wait_quiesce_done(q->tag_set);
#else
	blk_mq_wait_quiesce_done(q);
#endif
}

/**
 * struct pvsplit_bdev - a block device a back end opened
 * @bdev: the device
 * @handle: what closes it (struct file on 6.9+, else unused)
 * @write: opened for writing
 */
struct pvsplit_bdev {
	struct block_device *bdev;
	void *handle;
	bool write;
};

static inline int pvsplit_bdev_open(struct pvsplit_bdev *b, dev_t dev,
				    bool write)
{
#if PVSPLIT_NEW_BLK_API
	struct file *f;

	f = bdev_file_open_by_dev(dev, BLK_OPEN_READ |
				  (write ? BLK_OPEN_WRITE : 0), NULL, NULL);
	if (IS_ERR(f))
		return PTR_ERR(f);
	b->handle = f;
	b->bdev = file_bdev(f);
#else
	struct block_device *bdev;

	bdev = blkdev_get_by_dev(dev, FMODE_READ | (write ? FMODE_WRITE : 0),
				 NULL);
	if (IS_ERR(bdev))
		return PTR_ERR(bdev);
	b->bdev = bdev;
	b->handle = NULL;
#endif
	b->write = write;
	return 0;
}

static inline void pvsplit_bdev_close(struct pvsplit_bdev *b)
{
	if (!b->bdev)
		return;
#if PVSPLIT_NEW_BLK_API
	fput(b->handle);
#else
	blkdev_put(b->bdev, FMODE_READ | (b->write ? FMODE_WRITE : 0));
#endif
	b->bdev = NULL;
	b->handle = NULL;
}

/**
 * struct pvsplit_disk_limits - what a front end tells the block layer
 * @lbs: logical block size in bytes
 * @pbs: physical block size in bytes
 * @max_hw_sectors: largest request, 512-byte sectors
 * @max_segments: most segments per request
 * @max_segment_size: bytes per segment
 * @seg_boundary_mask: a segment never crosses such a boundary
 * @dma_alignment: alignment mask of data buffers
 * @max_discard_sectors: 0 when discard is not offered
 * @discard_granularity: bytes
 * @discard_alignment: bytes
 * @max_secure_erase_sectors: 0 when secure erase is not offered
 * @write_cache: flushes are needed
 * @fua: FUA writes are offered
 */
struct pvsplit_disk_limits {
	unsigned int lbs;
	unsigned int pbs;
	unsigned int max_hw_sectors;
	unsigned short max_segments;
	unsigned int max_segment_size;
	unsigned long seg_boundary_mask;
	unsigned int dma_alignment;
	unsigned int max_discard_sectors;
	unsigned int discard_granularity;
	unsigned int discard_alignment;
	unsigned int max_secure_erase_sectors;
	bool write_cache;
	bool fua;
};

static inline struct gendisk *
pvsplit_alloc_disk(struct blk_mq_tag_set *set,
		   const struct pvsplit_disk_limits *l, void *data)
{
#if PVSPLIT_NEW_BLK_API
	struct queue_limits lim = {
		.logical_block_size = l->lbs,
		.physical_block_size = l->pbs,
		.max_hw_sectors = l->max_hw_sectors,
		.max_segments = l->max_segments,
		.max_segment_size = l->max_segment_size,
		.seg_boundary_mask = l->seg_boundary_mask,
		.dma_alignment = l->dma_alignment,
		.max_hw_discard_sectors = l->max_discard_sectors,
		.discard_granularity = l->discard_granularity,
		.discard_alignment = l->discard_alignment,
		.max_secure_erase_sectors = l->max_secure_erase_sectors,
	};

	if (l->write_cache)
		lim.features |= BLK_FEAT_WRITE_CACHE;
	if (l->fua)
		lim.features |= BLK_FEAT_FUA;
	return blk_mq_alloc_disk(set, &lim, data);
#else
	struct request_queue *q;
	struct gendisk *gd;

	gd = blk_mq_alloc_disk(set, data);
	if (IS_ERR(gd))
		return gd;
	q = gd->queue;
	blk_queue_logical_block_size(q, l->lbs);
	blk_queue_physical_block_size(q, l->pbs);
	blk_queue_max_hw_sectors(q, l->max_hw_sectors);
	blk_queue_max_segments(q, l->max_segments);
	blk_queue_max_segment_size(q, l->max_segment_size);
	blk_queue_segment_boundary(q, l->seg_boundary_mask);
	blk_queue_dma_alignment(q, l->dma_alignment);
	blk_queue_max_discard_sectors(q, l->max_discard_sectors);
	q->limits.discard_granularity = l->discard_granularity;
	q->limits.discard_alignment = l->discard_alignment;
	blk_queue_max_secure_erase_sectors(q, l->max_secure_erase_sectors);
	blk_queue_write_cache(q, l->write_cache, l->fua);
	/* 6.9+ queues are non-rotational unless a driver says otherwise */
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	return gd;
#endif
}

#endif /* PVSPLIT_COMPAT_BLK_H */
