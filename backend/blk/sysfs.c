// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs.c - pvblk back end statistics, per device:
 * /sys/bus/xen-backend/devices/vbd-<domid>-<devid>/statistics/<counter>
 *
 * The stock back end's names (oo_req, rd_req, wr_req, f_req, ds_req,
 * rd_sect, wr_sect) mean the same here, so existing tools read them; the
 * others are ours.  Totals cover every connection since the device
 * appeared.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "pvblkback.h"

/**
 * pvblkback_stats_add() - add one set of counters to another
 * @to: sum
 * @from: addend
 */
void pvblkback_stats_add(struct pvblkback_stats *to,
			 const struct pvblkback_stats *from)
{
	pvstats_sum(to, from, sizeof(*from));
}

/**
 * pvblkback_stats_sum() - totals of a device
 * @be: device
 * @sum: result
 */
void pvblkback_stats_sum(struct pvblkback *be, struct pvblkback_stats *sum)
{
	unsigned int i;

	mutex_lock(&be->lock);
	*sum = be->base;
	for (i = 0; i < be->nr_rings; i++)
		pvblkback_stats_add(sum, &be->rings[i]->st);
	mutex_unlock(&be->lock);
}

#define PVBLKBACK_STAT(field)						\
static ssize_t field##_show(struct device *d,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	struct pvblkback *be = dev_get_drvdata(d);			\
	struct pvblkback_stats s;					\
									\
	if (!be)							\
		return -ENODEV;						\
	pvblkback_stats_sum(be, &s);					\
	return sysfs_emit(buf, "%llu\n", s.field);			\
}									\
static DEVICE_ATTR_RO(field)

PVBLKBACK_STAT(oo_req);
PVBLKBACK_STAT(rd_req);
PVBLKBACK_STAT(wr_req);
PVBLKBACK_STAT(f_req);
PVBLKBACK_STAT(ds_req);
PVBLKBACK_STAT(rd_sect);
PVBLKBACK_STAT(wr_sect);
PVBLKBACK_STAT(bad_req);
PVBLKBACK_STAT(err_req);
PVBLKBACK_STAT(pgrant_hit);
PVBLKBACK_STAT(pgrant_miss);
PVBLKBACK_STAT(poll_hit);
PVBLKBACK_STAT(poll_miss);

static struct attribute *stat_attrs[] = {
	&dev_attr_oo_req.attr,
	&dev_attr_rd_req.attr,
	&dev_attr_wr_req.attr,
	&dev_attr_f_req.attr,
	&dev_attr_ds_req.attr,
	&dev_attr_rd_sect.attr,
	&dev_attr_wr_sect.attr,
	&dev_attr_bad_req.attr,
	&dev_attr_err_req.attr,
	&dev_attr_pgrant_hit.attr,
	&dev_attr_pgrant_miss.attr,
	&dev_attr_poll_hit.attr,
	&dev_attr_poll_miss.attr,
	NULL
};

static const struct attribute_group stat_group = {
	.name = "statistics",
	.attrs = stat_attrs,
};

/* What the device is serving and what was negotiated. */
static ssize_t negotiated_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	struct pvblkback *be = dev_get_drvdata(d);
	ssize_t n;

	if (!be)
		return -ENODEV;
	mutex_lock(&be->lock);
	n = sysfs_emit(buf, "device %u:%u %s rings %u order %u abi %s persistent %u indirect %u flush %u barrier %u discard %u secure %u sectors %llu lbs %u\n",
		       MAJOR(be->pdev), MINOR(be->pdev),
		       be->lim.readonly ? "ro" : "rw", be->nr_rings,
		       be->nr_rings ? be->rings[0]->ring.order : 0,
		       be->abi == PVBLK_ABI_32 ? "x86_32" : "x86_64",
		       be->persistent, be->lim.max_indirect_segs, be->lim.flush,
		       be->lim.barrier, be->lim.discard, be->lim.secure,
		       be->lim.capacity, be->lim.lbs_sectors << PVBLK_SECTOR_SHIFT);
	mutex_unlock(&be->lock);
	return n;
}
static DEVICE_ATTR_RO(negotiated);

static struct attribute *dev_attrs[] = {
	&dev_attr_negotiated.attr,
	NULL
};

static const struct attribute_group dev_group = {
	.attrs = dev_attrs,
};

const struct attribute_group *pvblkback_groups[] = {
	&stat_group,
	&dev_group,
	NULL
};
