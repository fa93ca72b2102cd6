// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs.c - pvbench front end: parameters, the run trigger and results,
 * in /sys/bus/xen/devices/pvbench-<id>/.
 *
 * Writing 1 to "run" runs a benchmark with the current parameters and
 * returns when it is over (or fails with its errno); result/ then holds
 * its figures, one per file.  Documentation/ABI/testing/
 * sysfs-driver-pvbenchfront lists every file.
 */
#include <linux/module.h>
#include <linux/device.h>
#include <linux/sysfs.h>

#include "pvbenchfront.h"

static struct pvbench_front *to_fe(struct device *d)
{
	return dev_get_drvdata(d);
}

/* Parameters that are plain numbers in a range. */
#define PVBENCH_UINT_ATTR(name, lo, hi)					\
static ssize_t name##_show(struct device *d, struct device_attribute *a,\
			   char *buf)					\
{									\
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_fe(d)->params.name));\
}									\
static ssize_t name##_store(struct device *d, struct device_attribute *a,\
			    const char *buf, size_t len)		\
{									\
	struct pvbench_front *fe = to_fe(d);				\
	unsigned int v;							\
	int err = kstrtouint(buf, 0, &v);				\
									\
	if (err)							\
		return err;						\
	if (v < (lo) || v > (hi))					\
		return -ERANGE;						\
	err = mutex_lock_interruptible(&fe->lock);			\
	if (err)							\
		return err;						\
	fe->params.name = v;						\
	mutex_unlock(&fe->lock);					\
	return len;							\
}									\
static DEVICE_ATTR_RW(name)

PVBENCH_UINT_ATTR(qd, 1, 4096);
PVBENCH_UINT_ATTR(batch, 1, 4096);
PVBENCH_UINT_ATTR(payload, 0, PVBENCH_MAX_LEN);
PVBENCH_UINT_ATTR(count, 0, UINT_MAX);
PVBENCH_UINT_ATTR(duration_ms, 1, 3600000);

/* Parameters that are one word out of a few. */
static ssize_t show_word(char *buf, const char *const *words,
			 unsigned int n, unsigned int v)
{
	unsigned int i;
	int len = 0;

	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, i == v ? "[%s] " : "%s ",
				     words[i]);
	buf[len - 1] = '\n';
	return len;
}

#define PVBENCH_WORD_ATTR(name, field, ...)				\
static const char *const name##_words[] = { __VA_ARGS__ };		\
static ssize_t name##_show(struct device *d, struct device_attribute *a,\
			   char *buf)					\
{									\
	return show_word(buf, name##_words, ARRAY_SIZE(name##_words),	\
			 READ_ONCE(to_fe(d)->params.field));		\
}									\
static ssize_t name##_store(struct device *d, struct device_attribute *a,\
			    const char *buf, size_t len)		\
{									\
	struct pvbench_front *fe = to_fe(d);				\
	int i = sysfs_match_string(name##_words, buf);			\
	int err;							\
									\
	if (i < 0)							\
		return i;						\
	err = mutex_lock_interruptible(&fe->lock);			\
	if (err)							\
		return err;						\
	fe->params.field = i;						\
	mutex_unlock(&fe->lock);					\
	return len;							\
}									\
static DEVICE_ATTR_RW(name)

/* indices match PVBENCH_OP_* and enum pvbench_xfer */
PVBENCH_WORD_ATTR(op, op, "nop", "write", "read");
PVBENCH_WORD_ATTR(xfer, xfer, "map", "copy");
PVBENCH_WORD_ATTR(verify, verify, "0", "1");
PVBENCH_WORD_ATTR(poll, poll, "0", "1");

static ssize_t run_store(struct device *d, struct device_attribute *a,
			 const char *buf, size_t len)
{
	struct pvbench_front *fe = to_fe(d);
	bool go;
	int err = kstrtobool(buf, &go);

	if (err)
		return err;
	if (!go)
		return len;
	err = mutex_lock_interruptible(&fe->lock);
	if (err)
		return err;
	err = pvbenchfront_run(fe);
	mutex_unlock(&fe->lock);
	return err ? err : len;
}
static DEVICE_ATTR_WO(run);

/*
 * result/<name>: the last run's figures, one per file.  A run holds
 * fe->lock from start to end, so each file shows a finished run; a
 * reader that wants all the figures of one run reads them after its own
 * write to "run" returned, with no other runner in between.
 */
#define PVBENCH_RESULT_ATTR(name, fmt, type)				\
static ssize_t result_##name##_show(struct device *d,			\
				    struct device_attribute *a,		\
				    char *buf)				\
{									\
	struct pvbench_front *fe = to_fe(d);				\
	type v;								\
	int err;							\
									\
	err = mutex_lock_interruptible(&fe->lock);			\
	if (err)							\
		return err;						\
	v = fe->result.name;						\
	mutex_unlock(&fe->lock);					\
	return sysfs_emit(buf, fmt "\n", v);				\
}									\
static struct device_attribute result_attr_##name =			\
	__ATTR(name, 0444, result_##name##_show, NULL)

PVBENCH_RESULT_ATTR(status, "%d", int);
PVBENCH_RESULT_ATTR(requests, "%llu", u64);
PVBENCH_RESULT_ATTR(errors, "%llu", u64);
PVBENCH_RESULT_ATTR(bad_csum, "%llu", u64);
PVBENCH_RESULT_ATTR(bytes, "%llu", u64);
PVBENCH_RESULT_ATTR(elapsed_ns, "%llu", u64);
PVBENCH_RESULT_ATTR(cpu_ns, "%llu", u64);
PVBENCH_RESULT_ATTR(notify_sent, "%llu", u64);
PVBENCH_RESULT_ATTR(wakeups, "%llu", u64);
PVBENCH_RESULT_ATTR(p50_ns, "%llu", u64);
PVBENCH_RESULT_ATTR(p99_ns, "%llu", u64);

static struct attribute *result_attrs[] = {
	&result_attr_status.attr,
	&result_attr_requests.attr,
	&result_attr_errors.attr,
	&result_attr_bad_csum.attr,
	&result_attr_bytes.attr,
	&result_attr_elapsed_ns.attr,
	&result_attr_cpu_ns.attr,
	&result_attr_notify_sent.attr,
	&result_attr_wakeups.attr,
	&result_attr_p50_ns.attr,
	&result_attr_p99_ns.attr,
	NULL,
};

static const struct attribute_group result_group = {
	.name = "result",
	.attrs = result_attrs,
};

static ssize_t ring_order_show(struct device *d, struct device_attribute *a,
			       char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_fe(d)->order));
}
static DEVICE_ATTR_RO(ring_order);

static ssize_t ring_slots_show(struct device *d, struct device_attribute *a,
			       char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_fe(d)->ring.r.size));
}
static DEVICE_ATTR_RO(ring_slots);

static ssize_t connected_show(struct device *d, struct device_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_fe(d)->connected));
}
static DEVICE_ATTR_RO(connected);

static struct attribute *pvbenchfront_attrs[] = {
	&dev_attr_qd.attr,
	&dev_attr_batch.attr,
	&dev_attr_payload.attr,
	&dev_attr_count.attr,
	&dev_attr_duration_ms.attr,
	&dev_attr_op.attr,
	&dev_attr_xfer.attr,
	&dev_attr_verify.attr,
	&dev_attr_poll.attr,
	&dev_attr_run.attr,
	&dev_attr_ring_order.attr,
	&dev_attr_ring_slots.attr,
	&dev_attr_connected.attr,
	NULL,
};

static const struct attribute_group pvbenchfront_group = {
	.attrs = pvbenchfront_attrs,
};

const struct attribute_group *pvbenchfront_groups[] = {
	&pvbenchfront_group,
	&result_group,
	NULL,
};
