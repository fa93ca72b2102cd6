// SPDX-License-Identifier: GPL-2.0-only
/*
 * disk.c - pvblk front end: the gendisk, named and numbered as
 * xen-blkfront names them so that fstab entries and scripts keep working.
 *
 * virtual-device numbers: 202 << 8 | minor is xvd (16 minors a disk);
 * (1 << 28) | index << 8 is the extended form (256 minors a disk);
 * IDE (3, 22) and SCSI (8) numbers map onto xvd as the stock driver maps
 * them.
 */
#include <linux/blkdev.h>
#include <linux/hdreg.h>
#include <linux/major.h>
#include <linux/module.h>

#include "pvblkfront.h"

#define VDEV_EXTENDED	(1u << 28)

/* The geometry fdisk and friends ask for; it has no meaning here. */
static int pvblkfront_getgeo(struct block_device *bdev, struct hd_geometry *geo)
{
	sector_t cyl = get_capacity(bdev->bd_disk) / (255 * 63);

	geo->heads = 255;
	geo->sectors = 63;
	geo->cylinders = cyl > 0xffff ? 0xffff : cyl;
	return 0;
}

static const struct block_device_operations pvblkfront_fops = {
	.owner = THIS_MODULE,
	.getgeo = pvblkfront_getgeo,
};

/**
 * pvblkfront_parse_vdev() - where a virtual-device number puts the disk
 * @vdev: the number from xenstore
 * @index: disk index (0 is xvda)
 * @first_minor: its first minor under major 202
 * @minors: minors it spans
 *
 * Return: 0, or -ENODEV for a number we cannot place.
 */
int pvblkfront_parse_vdev(unsigned int vdev, unsigned int *index,
			  unsigned int *first_minor, unsigned int *minors)
{
	unsigned int major = vdev >> 8, minor = vdev & 0xff;

	if (vdev & VDEV_EXTENDED) {
		*index = (vdev & ~VDEV_EXTENDED) >> 8;
		*minors = PVBLKFRONT_EXT_PARTS;
		*first_minor = *index * PVBLKFRONT_EXT_PARTS;
		return *first_minor + *minors <= MINORMASK + 1 ? 0 : -ENODEV;
	}
	switch (major) {
	case PVBLKFRONT_MAJOR:
		*index = minor / PVBLKFRONT_PARTS;
		break;
	case IDE0_MAJOR:
		*index = minor / 64;
		break;
	case IDE1_MAJOR:
		*index = 2 + minor / 64;
		break;
	case SCSI_DISK0_MAJOR:
		*index = 4 + minor / 16;
		break;
	default:
		return -ENODEV;
	}
	if (minor % PVBLKFRONT_PARTS && major != IDE0_MAJOR && major != IDE1_MAJOR)
		return -ENODEV;	/* partitions are not disks */
	*minors = PVBLKFRONT_PARTS;
	*first_minor = *index * PVBLKFRONT_PARTS;
	return 0;
}

/* xvda .. xvdz, xvdaa .. xvdzz, ... */
static void disk_name(char *buf, size_t len, unsigned int index)
{
	char tmp[8];
	int i = sizeof(tmp);

	tmp[--i] = '\0';
	do {
		tmp[--i] = 'a' + index % 26;
		index = index / 26;
	} while (index-- && i > 0);
	snprintf(buf, len, "xvd%s", &tmp[i]);
}

/**
 * pvblkfront_disk_create() - create and add the disk of a connected device
 * @info: device with negotiated features and rings
 *
 * Return: 0 or a negative errno.
 */
int pvblkfront_disk_create(struct pvblkfront *info)
{
	struct pvsplit_disk_limits lim = {
		.lbs = info->lbs,
		.pbs = info->pbs,
		.max_hw_sectors = info->max_segs * (PAGE_SIZE >> SECTOR_SHIFT),
		.max_segments = min_t(unsigned int, info->max_segs, USHRT_MAX),
		.max_segment_size = PAGE_SIZE,
		.seg_boundary_mask = PAGE_SIZE - 1,
		.dma_alignment = 511,
		.write_cache = info->flush || info->barrier,
		.fua = info->barrier,
	};
	struct blk_mq_tag_set *set = &info->set;
	struct gendisk *gd;
	int err;

	if (info->discard) {
		lim.max_discard_sectors = UINT_MAX >> SECTOR_SHIFT;
		lim.discard_granularity = info->discard_gran;
		lim.discard_alignment = info->discard_align;
		if (info->secure)
			lim.max_secure_erase_sectors = lim.max_discard_sectors;
	}
	memset(set, 0, sizeof(*set));
	set->ops = &pvblkfront_mq_ops;
	set->nr_hw_queues = info->nr_rings;
	set->queue_depth = info->rings[0].ring.r.size;
	set->numa_node = NUMA_NO_NODE;
	set->flags = PVSPLIT_MQ_VIRT_FLAGS;
	set->cmd_size = sizeof(struct pvblkfront_pdu);
	set->driver_data = info;
	err = blk_mq_alloc_tag_set(set);
	if (err)
		return err;
	gd = pvsplit_alloc_disk(set, &lim, info);
	if (IS_ERR(gd)) {
		err = PTR_ERR(gd);
		goto free_set;
	}
	gd->major = PVBLKFRONT_MAJOR;
	gd->first_minor = info->first_minor;
	gd->minors = info->minors;
	gd->fops = &pvblkfront_fops;
	gd->private_data = info;
	disk_name(gd->disk_name, sizeof(gd->disk_name), info->index);
	set_capacity(gd, info->sectors);
	if (info->readonly)
		set_disk_ro(gd, true);
	err = device_add_disk(&info->dev->dev, gd, NULL);
	if (err)
		goto put_disk;
	info->gd = gd;
	return 0;

put_disk:
	put_disk(gd);
free_set:
	blk_mq_free_tag_set(set);
	return err;
}

/**
 * pvblkfront_disk_destroy() - remove the disk; requests still in flight
 * must have been ended first
 * @info: device
 */
void pvblkfront_disk_destroy(struct pvblkfront *info)
{
	if (!info->gd)
		return;
	del_gendisk(info->gd);
	put_disk(info->gd);
	blk_mq_free_tag_set(&info->set);
	info->gd = NULL;
}
