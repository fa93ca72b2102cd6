// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs.c - pvblk front end statistics, which the stock front end lacks:
 * /sys/bus/xen/devices/vbd-<vdev>/statistics/<counter> (sums over rings)
 * and /sys/bus/xen/devices/vbd-<vdev>/negotiated.  Per-ring batch sizes,
 * notifications and a latency histogram are in debugfs under
 * pvblkfront/vbd-<vdev>/ring<N>/.
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

static ssize_t negotiated_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	struct pvblkfront *info = dev_get_drvdata(d);
	ssize_t n;

	if (!info)
		return -ENODEV;
	mutex_lock(&info->lock);
	n = sysfs_emit(buf, "disk %s state %s rings %u order %u slots %u persistent %u trusted %u segments %u flush %u fua %u discard %u secure %u sectors %llu lbs %u pbs %u ro %u\n",
		       info->gd ? info->gd->disk_name : "-",
		       state_names[READ_ONCE(info->state)], info->nr_rings,
		       info->order,
		       info->rings ? info->rings[0].ring.r.size : 0,
		       info->persistent, info->trusted, info->max_segs,
		       info->flush, info->barrier, info->discard, info->secure,
		       info->sectors, info->lbs, info->pbs, info->readonly);
	mutex_unlock(&info->lock);
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

const struct attribute_group *pvblkfront_groups[] = {
	&stat_group,
	&dev_group,
	NULL
};
