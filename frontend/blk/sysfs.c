// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs.c - pvblk front end attributes, which the stock front end lacks,
 * one value per file under /sys/bus/xen/devices/vbd-<vdev>/:
 * statistics/<counter> (sums over rings), negotiated/<feature>, disk and
 * disk_state.  Documentation/ABI/testing/sysfs-driver-pvblkfront lists
 * them.  Per-ring batch sizes, notifications and a latency histogram are
 * in debugfs under pvblkfront/vbd-<vdev>/ring<N>/.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "pvblkfront.h"

static void stats_sum(struct pvblkfront *info, struct pvblkfront_stats *sum,
		      struct pvring_stats *ring)
{
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	memset(ring, 0, sizeof(*ring));
	mutex_lock(&info->lock);
	for (i = 0; info->rings && i < info->nr_rings; i++) {
		pvstats_sum(sum, &info->rings[i].st, sizeof(*sum));
		pvstats_sum(ring, &info->rings[i].ring.stats, sizeof(*ring));
	}
	mutex_unlock(&info->lock);
}

#define PVBLKFRONT_STAT(name, expr)					\
static ssize_t name##_show(struct device *d,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	struct pvblkfront *info = dev_get_drvdata(d);			\
	struct pvblkfront_stats s;					\
	struct pvring_stats r;						\
									\
	if (!info)							\
		return -ENODEV;						\
	stats_sum(info, &s, &r);					\
	return sysfs_emit(buf, "%llu\n", (unsigned long long)(expr));	\
}									\
static DEVICE_ATTR_RO(name)

PVBLKFRONT_STAT(reads, s.reads);
PVBLKFRONT_STAT(writes, s.writes);
PVBLKFRONT_STAT(flushes, s.flushes);
PVBLKFRONT_STAT(discards, s.discards);
PVBLKFRONT_STAT(rd_sect, s.rd_sect);
PVBLKFRONT_STAT(wr_sect, s.wr_sect);
PVBLKFRONT_STAT(indirect, s.indirect);
PVBLKFRONT_STAT(errors, s.errors);
PVBLKFRONT_STAT(busy, s.busy);
PVBLKFRONT_STAT(bad_rsp, s.bad_rsp);
PVBLKFRONT_STAT(notify_sent, r.notify_sent);
PVBLKFRONT_STAT(notify_suppressed, r.notify_suppressed);
PVBLKFRONT_STAT(interrupts, r.wakeups);

/* counted whatever the rings are doing, so not per ring */
static ssize_t timeouts_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	struct pvblkfront *info = dev_get_drvdata(d);

	if (!info)
		return -ENODEV;
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&info->timeouts));
}
static DEVICE_ATTR_RO(timeouts);

static struct attribute *stat_attrs[] = {
	&dev_attr_reads.attr,
	&dev_attr_writes.attr,
	&dev_attr_flushes.attr,
	&dev_attr_discards.attr,
	&dev_attr_rd_sect.attr,
	&dev_attr_wr_sect.attr,
	&dev_attr_indirect.attr,
	&dev_attr_errors.attr,
	&dev_attr_busy.attr,
	&dev_attr_bad_rsp.attr,
	&dev_attr_timeouts.attr,
	&dev_attr_notify_sent.attr,
	&dev_attr_notify_suppressed.attr,
	&dev_attr_interrupts.attr,
	NULL
};

static const struct attribute_group stat_group = {
	.name = "statistics",
	.attrs = stat_attrs,
};

static const char *const state_names[] = {
	[PVBLKFRONT_DISCONNECTED] = "disconnected",
	[PVBLKFRONT_CONNECTED] = "connected",
	[PVBLKFRONT_SUSPENDED] = "suspended",
	[PVBLKFRONT_BROKEN] = "broken",
};

static ssize_t disk_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	struct pvblkfront *info = dev_get_drvdata(d);
	ssize_t n;

	if (!info)
		return -ENODEV;
	mutex_lock(&info->lock);
	n = sysfs_emit(buf, "%s\n", info->gd ? info->gd->disk_name : "");
	mutex_unlock(&info->lock);
	return n;
}
static DEVICE_ATTR_RO(disk);

static ssize_t disk_state_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	struct pvblkfront *info = dev_get_drvdata(d);

	if (!info)
		return -ENODEV;
	return sysfs_emit(buf, "%s\n", state_names[READ_ONCE(info->state)]);
}
static DEVICE_ATTR_RO(disk_state);

static struct attribute *dev_attrs[] = {
	&dev_attr_disk.attr,
	&dev_attr_disk_state.attr,
	NULL
};

static const struct attribute_group dev_group = {
	.attrs = dev_attrs,
};

/*
 * negotiated/<name>: what the last connection settled on, one value per
 * file; the values stay as they were after a disconnect, until the next
 * connection.
 */
#define PVBLKFRONT_NEG(name, fmt, expr)					\
static ssize_t neg_##name##_show(struct device *d,			\
				 struct device_attribute *attr,		\
				 char *buf)				\
{									\
	struct pvblkfront *info = dev_get_drvdata(d);			\
	ssize_t n;							\
									\
	if (!info)							\
		return -ENODEV;						\
	mutex_lock(&info->lock);					\
	n = sysfs_emit(buf, fmt "\n", expr);				\
	mutex_unlock(&info->lock);					\
	return n;							\
}									\
static struct device_attribute neg_attr_##name =			\
	__ATTR(name, 0444, neg_##name##_show, NULL)

PVBLKFRONT_NEG(rings, "%u", info->nr_active);
PVBLKFRONT_NEG(ring_page_order, "%u", info->order);
PVBLKFRONT_NEG(ring_slots, "%u", info->rings ? info->rings[0].ring.r.size : 0);
PVBLKFRONT_NEG(persistent, "%u", info->persistent);
PVBLKFRONT_NEG(trusted, "%u", info->trusted);
PVBLKFRONT_NEG(max_segments, "%u", info->max_segs);
PVBLKFRONT_NEG(feature_flush, "%u", info->flush);
PVBLKFRONT_NEG(feature_fua, "%u", info->barrier);
PVBLKFRONT_NEG(feature_discard, "%u", info->discard);
PVBLKFRONT_NEG(feature_secure_discard, "%u", info->secure);
PVBLKFRONT_NEG(sectors, "%llu", info->sectors);
PVBLKFRONT_NEG(logical_block_size, "%u", info->lbs);
PVBLKFRONT_NEG(physical_block_size, "%u", info->pbs);
PVBLKFRONT_NEG(readonly, "%u", info->readonly);

static struct attribute *neg_attrs[] = {
	&neg_attr_rings.attr,
	&neg_attr_ring_page_order.attr,
	&neg_attr_ring_slots.attr,
	&neg_attr_persistent.attr,
	&neg_attr_trusted.attr,
	&neg_attr_max_segments.attr,
	&neg_attr_feature_flush.attr,
	&neg_attr_feature_fua.attr,
	&neg_attr_feature_discard.attr,
	&neg_attr_feature_secure_discard.attr,
	&neg_attr_sectors.attr,
	&neg_attr_logical_block_size.attr,
	&neg_attr_physical_block_size.attr,
	&neg_attr_readonly.attr,
	NULL
};

static const struct attribute_group neg_group = {
	.name = "negotiated",
	.attrs = neg_attrs,
};

const struct attribute_group *pvblkfront_groups[] = {
	&stat_group,
	&neg_group,
	&dev_group,
	NULL
};
