// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs.c - pvblk back end attributes, one value per file, per device:
 * /sys/bus/xen-backend/devices/vbd-<domid>-<devid>/statistics/<counter>
 * and .../negotiated/<feature>, listed in
 * Documentation/ABI/testing/sysfs-driver-pvblkback.
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

#define PVBLKBACK_STAT_AS(name, field)					\
static ssize_t name##_show(struct device *d,				\
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
static DEVICE_ATTR_RO(name)
#define PVBLKBACK_STAT(field)	PVBLKBACK_STAT_AS(field, field)

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
PVBLKBACK_STAT_AS(poll_hit, poll.hit);
PVBLKBACK_STAT_AS(poll_miss, poll.miss);
PVBLKBACK_STAT(poll_skip);
PVBLKBACK_STAT_AS(poll_backoff, poll.backoff);
PVBLKBACK_STAT(yields);
PVBLKBACK_STAT(drains);

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
	&dev_attr_poll_skip.attr,
	&dev_attr_poll_backoff.attr,
	&dev_attr_yields.attr,
	&dev_attr_drains.attr,
	NULL
};

static const struct attribute_group stat_group = {
	.name = "statistics",
	.attrs = stat_attrs,
};

/*
 * negotiated/<name>: what the device serves and what the last connection
 * settled on, one value per file.  Ring values are 0 while no front end
 * is connected.
 */
#define PVBLKBACK_NEG(name, fmt, ...)					\
static ssize_t neg_##name##_show(struct device *d,			\
				 struct device_attribute *attr,		\
				 char *buf)				\
{									\
	struct pvblkback *be = dev_get_drvdata(d);			\
	ssize_t n;							\
									\
	if (!be)							\
		return -ENODEV;						\
	mutex_lock(&be->lock);						\
	n = sysfs_emit(buf, fmt "\n", __VA_ARGS__);			\
	mutex_unlock(&be->lock);					\
	return n;							\
}									\
static struct device_attribute neg_attr_##name =			\
	__ATTR(name, 0444, neg_##name##_show, NULL)

PVBLKBACK_NEG(physical_device, "%u:%u", MAJOR(be->pdev), MINOR(be->pdev));
PVBLKBACK_NEG(readonly, "%u", be->lim.readonly);
PVBLKBACK_NEG(rings, "%u", be->nr_rings);
PVBLKBACK_NEG(ring_page_order, "%u",
	      be->nr_rings ? be->rings[0]->ring.order : 0);
PVBLKBACK_NEG(protocol, "%s",
	      be->abi == PVBLK_ABI_32 ? "x86_32-abi" : "x86_64-abi");
PVBLKBACK_NEG(persistent, "%u", be->persistent);
PVBLKBACK_NEG(max_indirect_segments, "%u", be->lim.max_indirect_segs);
PVBLKBACK_NEG(feature_flush, "%u", be->lim.flush);
PVBLKBACK_NEG(feature_barrier, "%u", be->lim.barrier);
PVBLKBACK_NEG(feature_discard, "%u", be->lim.discard);
PVBLKBACK_NEG(feature_secure_discard, "%u", be->lim.secure);
PVBLKBACK_NEG(sectors, "%llu", (unsigned long long)be->lim.capacity);
PVBLKBACK_NEG(logical_block_size, "%u",
	      be->lim.lbs_sectors << PVBLK_SECTOR_SHIFT);

static struct attribute *neg_attrs[] = {
	&neg_attr_physical_device.attr,
	&neg_attr_readonly.attr,
	&neg_attr_rings.attr,
	&neg_attr_ring_page_order.attr,
	&neg_attr_protocol.attr,
	&neg_attr_persistent.attr,
	&neg_attr_max_indirect_segments.attr,
	&neg_attr_feature_flush.attr,
	&neg_attr_feature_barrier.attr,
	&neg_attr_feature_discard.attr,
	&neg_attr_feature_secure_discard.attr,
	&neg_attr_sectors.attr,
	&neg_attr_logical_block_size.attr,
	NULL
};

static const struct attribute_group neg_group = {
	.name = "negotiated",
	.attrs = neg_attrs,
};

/*
 * pool_pages: ballooned pages the rings' grant pools hold now, mapped or
 * kept for reuse.  A pool keeps the pages of the deepest load it has seen
 * (up to PVBLKBACK_POOL_MAX a ring) until the front end disconnects, so
 * this grows with load and is not a leak; what an admin wants to see is
 * how much dom0 memory a device is sitting on.
 */
static ssize_t pool_pages_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	struct pvblkback *be = dev_get_drvdata(d);
	unsigned long n = 0;
	unsigned int i;

	if (!be)
		return -ENODEV;
	mutex_lock(&be->lock);
	for (i = 0; i < be->nr_rings; i++)
		n += READ_ONCE(be->rings[i]->gpool.held);
	mutex_unlock(&be->lock);
	return sysfs_emit(buf, "%lu\n", n);
}
static DEVICE_ATTR_RO(pool_pages);

static struct attribute *dev_attrs[] = {
	&dev_attr_pool_pages.attr,
	NULL
};

static const struct attribute_group dev_group = {
	.attrs = dev_attrs,
};

const struct attribute_group *pvblkback_groups[] = {
	&dev_group,
	&stat_group,
	&neg_group,
	NULL
};
