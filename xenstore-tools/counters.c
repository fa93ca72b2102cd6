// SPDX-License-Identifier: GPL-2.0-only
/*
 * counters.c - pvsplit top / stats: collect every pvsplit device's
 * counters in this domain, both ends, from sysfs and debugfs, and turn two
 * samples into rates.
 *
 * A device is a xenbus device bound to one of our drivers:
 *   back ends  <root>/sys/bus/xen-backend/devices/<type>-<domid>-<devid>
 *   front ends <root>/sys/bus/xen/devices/<type>-<devid>
 * Device totals come from its sysfs statistics/ files (or its netdev's
 * statistics/), the xenbus state from its "state" file.  Per-ring figures
 * come from debugfs, <root>/sys/kernel/debug/pvsplit/<dir>/ring<N>/ (or
 * queue<N>/): the ring file of common/stats.c, the latency_ns histogram,
 * and the driver's per-ring counters.  Without debugfs (not mounted, not
 * root) the device totals are still there, with no rings.
 *
 * The root is "/" except in the unit tests, which build a fake tree.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define NO_FILES	((const char *const[]){ NULL })

/*
 * What each of our drivers exports, and where.  Lists of file names end
 * with NULL; "sect" files count 512-byte sectors, "bytes" files bytes.
 */
static const struct pvs_drv drivers[] = {
	{
		.driver = "pvblkback", .type = "vbd", .back = true,
		.ring_prefix = "ring",
		.ring_files = (const char *const[]){ "ring", NULL },
		.hist = "latency_ns",
		.dev_req = (const char *const[]){ "statistics/rd_req",
			"statistics/wr_req", "statistics/f_req",
			"statistics/ds_req", NULL },
		.dev_sect = (const char *const[]){ "statistics/rd_sect",
			"statistics/wr_sect", NULL },
		.dev_bytes = NO_FILES,
		.dev_err = (const char *const[]){ "statistics/bad_req",
			"statistics/err_req", NULL },
		.ring_pkts = NO_FILES,
		.ring_sect = (const char *const[]){ "rd_sect", "wr_sect", NULL },
		.ring_bytes = NO_FILES,
		.ring_err = (const char *const[]){ "bad_req", "err_req", NULL },
	},
	{
		.driver = "pvblkfront", .type = "vbd", .back = false,
		.front_dir = "pvblkfront/",
		.ring_prefix = "ring",
		.ring_files = (const char *const[]){ "ring", NULL },
		.hist = "latency_ns",
		.dev_req = (const char *const[]){ "statistics/reads",
			"statistics/writes", "statistics/flushes",
			"statistics/discards", NULL },
		.dev_sect = (const char *const[]){ "statistics/rd_sect",
			"statistics/wr_sect", NULL },
		.dev_bytes = NO_FILES,
		.dev_err = (const char *const[]){ "statistics/errors",
			"statistics/bad_rsp", NULL },
		.dev_state = "disk_state",
		.ring_pkts = NO_FILES,
		.ring_sect = (const char *const[]){ "rd_sect", "wr_sect", NULL },
		.ring_bytes = NO_FILES,
		.ring_err = (const char *const[]){ "errors", "bad_rsp", NULL },
	},
	{
		.driver = "pvnetback", .type = "vif", .back = true,
		.ring_prefix = "queue",
		.ring_files = (const char *const[]){ "tx", "rx", NULL },
		.netdev = true,
		.dev_req = NO_FILES, .dev_sect = NO_FILES, .dev_bytes = NO_FILES,
		.dev_err = NO_FILES,
		.ring_pkts = (const char *const[]){ "rx_packets", "tx_packets",
			NULL },
		.ring_sect = NO_FILES,
		.ring_bytes = (const char *const[]){ "rx_bytes", "tx_bytes",
			NULL },
		.ring_err = (const char *const[]){ "rx_dropped", "tx_dropped",
			NULL },
	},
	{
		.driver = "pvnetfront", .type = "vif", .back = false,
		.netdev = true,
		.dev_req = NO_FILES, .dev_sect = NO_FILES, .dev_bytes = NO_FILES,
		.dev_err = NO_FILES,
		.ring_pkts = NO_FILES, .ring_sect = NO_FILES,
		.ring_bytes = NO_FILES, .ring_err = NO_FILES,
	},
	{
		.driver = "pvbenchback", .type = "pvbench", .back = true,
		.ring_files = (const char *const[]){ "ring", NULL },
		.dev_req = NO_FILES, .dev_sect = NO_FILES, .dev_bytes = NO_FILES,
		.dev_err = NO_FILES,
		.ring_pkts = NO_FILES, .ring_sect = NO_FILES,
		.ring_bytes = NO_FILES, .ring_err = NO_FILES,
	},
	{
		.driver = "pvbenchfront", .type = "pvbench", .back = false,
		.front_dir = "",
		.ring_files = (const char *const[]){ "ring", NULL },
		.hist = "latency_ns",
		.dev_req = NO_FILES, .dev_sect = NO_FILES, .dev_bytes = NO_FILES,
		.dev_err = NO_FILES,
		.ring_pkts = NO_FILES, .ring_sect = NO_FILES,
		.ring_bytes = NO_FILES, .ring_err = NO_FILES,
	},
};

/**
 * pvs_drv_find() - what the collector knows of driver @name
 * Return: its entry, or NULL for a driver that is not ours.
 */
const struct pvs_drv *pvs_drv_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (!strcmp(drivers[i].driver, name))
			return &drivers[i];
	return NULL;
}

/* "<a>/<b>" into @buf; false when it does not fit */
static bool path2(char *buf, size_t n, const char *a, const char *b)
{
	int len = snprintf(buf, n, "%s/%s", a, b);

	return len >= 0 && (size_t)len < n;
}

/**
 * pvs_read_u64() - a file holding one decimal number
 * @path: the file
 * @v: its value
 *
 * Return: 0, -errno when it cannot be read, -EINVAL when it holds
 * something else (trailing whitespace allowed).
 */
int pvs_read_u64(const char *path, uint64_t *v)
{
	char line[64], *end;
	unsigned long long x;
	FILE *f = fopen(path, "r");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f))
		err = -EINVAL;
	fclose(f);
	if (err)
		return err;
	if (!isdigit((unsigned char)line[0]))
		return -EINVAL;
	errno = 0;
	x = strtoull(line, &end, 10);
	if (errno)
		return -EINVAL;
	while (*end && isspace((unsigned char)*end))
		end++;
	if (*end)
		return -EINVAL;
	*v = x;
	return 0;
}

/* The first line of @path without its newline; false when unreadable. */
static bool read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)n, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/*
 * Sum of the files @names under @dir; *@any is set when at least one was
 * there.  Return: the sum.
 */
static uint64_t sum_files(const char *dir, const char *const *names,
			  bool *any)
{
	char path[PATH_MAX];
	uint64_t sum = 0, v;

	for (; *names; names++)
		if (path2(path, sizeof(path), dir, *names) &&
		    !pvs_read_u64(path, &v)) {
			sum += v;
			*any = true;
		}
	return sum;
}

/**
 * pvs_parse_ring() - add a ring file of common/stats.c into @r
 * @f: the open file ("key value" lines, "batch b0 b1 ...")
 * @r: the ring: reqs_slots (slots consumed), batches, notify_sent,
 *     wakeups, proto_errors, broken are added to
 *
 * Return: 0, or -EINVAL when the file lacks a counter or is garbled.
 */
int pvs_parse_ring(FILE *f, struct pvs_ring *r)
{
	char line[512];
	unsigned int seen = 0;

	while (fgets(line, sizeof(line), f)) {
		char key[32], *p, *end;
		unsigned long long v;
		int off;

		if (sscanf(line, "%31s%n", key, &off) != 1)
			continue;
		p = line + off;
		if (!strcmp(key, "batch")) {
			unsigned int b;

			for (b = 0; b < PVSTATS_BATCH_BUCKETS; b++) {
				errno = 0;
				v = strtoull(p, &end, 10);
				if (end == p || errno)
					return -EINVAL;
				r->batches += v;
				p = end;
			}
			seen |= 1u << 5;
			continue;
		}
		if (!strcmp(key, "shared"))
			continue;
		while (*p == ' ')
			p++;
		errno = 0;
		v = strtoull(p, &end, 10);
		if (end == p || errno || (*end != '\n' && *end))
			return -EINVAL;
		if (!strcmp(key, "consumed")) {
			r->reqs_slots += v;
			seen |= 1u << 0;
		} else if (!strcmp(key, "notify_sent")) {
			r->notify_sent += v;
			seen |= 1u << 1;
		} else if (!strcmp(key, "wakeups")) {
			r->wakeups += v;
			seen |= 1u << 2;
		} else if (!strcmp(key, "protocol_errors")) {
			r->proto_errors += v;
			seen |= 1u << 3;
		} else if (!strcmp(key, "broken")) {
			r->broken |= v != 0;
			seen |= 1u << 4;
		}
	}
	return seen == 0x3f ? 0 : -EINVAL;
}

/**
 * pvs_parse_hist() - add a latency_ns file of common/stats.c into @h
 * @f: the open file: "count", "sum", "mean", "pNN" lines, then one
 *     ">=LOWER COUNT" line per non-empty bucket
 * @h: histogram added to
 *
 * Return: 0, or -EINVAL when garbled or the buckets do not add up to
 * the count.
 */
int pvs_parse_hist(FILE *f, struct pvhist *h)
{
	char line[128];
	uint64_t count = 0, sum = 0, mean = 0, buckets = 0;
	bool have_count = false, have_sum = false;

	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, b;
		char key[16];

		if (sscanf(line, ">=%llu %llu", &a, &b) == 2) {
			unsigned int i = pvhist_bucket(a);

			if (pvhist_lower(i) != a)
				return -EINVAL;
			h->bucket[i] += b;
			buckets += b;
		} else if (sscanf(line, "%15s %llu", key, &a) == 2) {
			if (!strcmp(key, "count")) {
				count = a;
				have_count = true;
			} else if (!strcmp(key, "sum")) {
				sum = a;
				have_sum = true;
			} else if (!strcmp(key, "mean")) {
				mean = a;
			}
		} else {
			return -EINVAL;
		}
	}
	if (!have_count || buckets != count)
		return -EINVAL;
	h->count += count;
	/* files from before "sum" was added: the mean is rounded down */
	h->sum += have_sum ? sum : mean * count;
	return 0;
}

static int ring_cmp(const void *a, const void *b)
{
	const struct pvs_ring *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

/* One ring (or net queue) directory @dir into @r. */
static int collect_ring(const struct pvs_drv *drv, const char *dir,
			struct pvs_ring *r)
{
	char path[PATH_MAX];
	const char *const *n;
	bool any_pkts = false, any = false;
	uint64_t pkts;
	FILE *f;
	int err = 0;

	for (n = drv->ring_files; *n; n++) {
		if (!path2(path, sizeof(path), dir, *n))
			return -ENAMETOOLONG;
		f = fopen(path, "r");
		if (!f)
			return -errno;
		err = pvs_parse_ring(f, r);
		fclose(f);
		if (err)
			return err;
	}
	r->reqs = r->reqs_slots;
	pkts = sum_files(dir, drv->ring_pkts, &any_pkts);
	if (any_pkts)
		r->reqs = pkts;		/* a vif's queue: packets, both ways */
	r->bytes = sum_files(dir, drv->ring_bytes, &any) +
		   sum_files(dir, drv->ring_sect, &any) * 512;
	r->has_bytes = any;
	r->errors = r->proto_errors + sum_files(dir, drv->ring_err, &any);
	if (drv->hist && path2(path, sizeof(path), dir, drv->hist)) {
		f = fopen(path, "r");
		if (f) {
			r->has_lat = !pvs_parse_hist(f, &r->lat);
			fclose(f);
		}
	}
	return 0;
}

/*
 * The rings of device @d from its debugfs directory @dir: ring<N>/ (or
 * queue<N>/) subdirectories, or the directory itself for a one-ring
 * device.
 */
static void collect_rings(const struct pvs_drv *drv, const char *dir,
			  struct pvs_sdev *d)
{
	struct dirent *e;
	DIR *dh;

	if (!drv->ring_files || !drv->ring_files[0])
		return;
	if (!drv->ring_prefix) {
		d->rings = calloc(1, sizeof(*d->rings));
		if (d->rings && !collect_ring(drv, dir, &d->rings[0]))
			d->nr_rings = 1;
		return;
	}
	dh = opendir(dir);
	if (!dh)
		return;
	while ((e = readdir(dh))) {
		size_t plen = strlen(drv->ring_prefix);
		char sub[PATH_MAX];
		unsigned long idx;
		struct pvs_ring *nr, r;

		if (strncmp(e->d_name, drv->ring_prefix, plen) ||
		    pvs_parse_uint(e->d_name + plen, UINT_MAX, &idx) ||
		    !path2(sub, sizeof(sub), dir, e->d_name))
			continue;
		memset(&r, 0, sizeof(r));
		r.index = (unsigned int)idx;
		if (collect_ring(drv, sub, &r))
			continue;	/* going away, or not ours */
		nr = realloc(d->rings, (d->nr_rings + 1) * sizeof(*nr));
		if (!nr)
			break;
		d->rings = nr;
		d->rings[d->nr_rings++] = r;
	}
	closedir(dh);
	qsort(d->rings, d->nr_rings, sizeof(*d->rings), ring_cmp);
}

/* The statistics/ directory of the netdev under device directory @dev. */
static void collect_netdev(const char *dev, struct pvs_sdev *d)
{
	static const char *const pkts[] = {
		"statistics/rx_packets", "statistics/tx_packets", NULL };
	static const char *const bytes[] = {
		"statistics/rx_bytes", "statistics/tx_bytes", NULL };
	static const char *const errs[] = {
		"statistics/rx_errors", "statistics/tx_errors",
		"statistics/rx_dropped", "statistics/tx_dropped", NULL };
	char dir[PATH_MAX], sub[PATH_MAX];
	struct dirent *e;
	DIR *dh;

	if (!path2(dir, sizeof(dir), dev, "net"))
		return;
	dh = opendir(dir);
	if (!dh)
		return;
	while ((e = readdir(dh))) {
		if (e->d_name[0] == '.' || !path2(sub, sizeof(sub), dir, e->d_name))
			continue;
		snprintf(d->netdev, sizeof(d->netdev), "%.*s",
			 (int)sizeof(d->netdev) - 1, e->d_name);
		d->reqs = sum_files(sub, pkts, &d->has_reqs);
		d->bytes = sum_files(sub, bytes, &d->has_bytes);
		d->errors = sum_files(sub, errs, &d->has_errors);
		break;
	}
	closedir(dh);
}

/*
 * Split a sysfs name "<type>-<domid>-<devid>" (back) or "<type>-<devid>"
 * (front) for @drv.  Return: 0, or -EINVAL for a name of another form.
 */
static int parse_name(const struct pvs_drv *drv, const char *name,
		      struct pvs_sdev *d)
{
	size_t tl = strlen(drv->type);
	unsigned long dom, id;
	char buf[64];
	char *dash;

	if (strncmp(name, drv->type, tl) || name[tl] != '-' ||
	    strlen(name + tl + 1) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, name + tl + 1);
	if (drv->back) {
		dash = strchr(buf, '-');
		if (!dash)
			return -EINVAL;
		*dash = '\0';
		if (pvs_parse_uint(buf, PVS_DOMID_MAX, &dom) ||
		    pvs_parse_uint(dash + 1, UINT_MAX, &id))
			return -EINVAL;
		d->domid = (int)dom;
	} else {
		if (pvs_parse_uint(buf, UINT_MAX, &id))
			return -EINVAL;
		d->domid = -1;
	}
	d->devid = (unsigned int)id;
	return 0;
}

/* One device @name in bus directory @bus, bound to @drv, into @d. */
static int collect_dev(const struct pvs_collect *c, const struct pvs_drv *drv,
		       const char *bus, const char *name, struct pvs_sdev *d)
{
	char dev[PATH_MAX], path[PATH_MAX], dbg[PATH_MAX];
	bool any = false;
	uint64_t sect;
	unsigned int i;
	int len;

	memset(d, 0, sizeof(*d));
	d->drv = drv;
	if (parse_name(drv, name, d) || !path2(dev, sizeof(dev), bus, name))
		return -EINVAL;
	if (!drv->back)
		d->domid = c->self_domid;
	snprintf(d->name, sizeof(d->name), "%s-%u", drv->type, d->devid);
	snprintf(d->state, sizeof(d->state), "unknown");
	if (path2(path, sizeof(path), dev, "state") &&
	    read_line(path, d->state, sizeof(d->state))) {
		for (i = 0; d->state[i]; i++)
			d->state[i] = (char)tolower((unsigned char)d->state[i]);
	}
	if (drv->dev_state && path2(path, sizeof(path), dev, drv->dev_state))
		read_line(path, d->detail, sizeof(d->detail));
	d->reqs = sum_files(dev, drv->dev_req, &d->has_reqs);
	d->bytes = sum_files(dev, drv->dev_bytes, &d->has_bytes);
	sect = sum_files(dev, drv->dev_sect, &any);
	if (any) {
		d->bytes += sect * 512;
		d->has_bytes = true;
	}
	any = false;
	d->errors = sum_files(dev, drv->dev_err, &any);
	d->has_errors = any;
	if (drv->netdev)
		collect_netdev(dev, d);

	if (drv->back)
		len = snprintf(dbg, sizeof(dbg), "%s/%s%s", c->dbg_root,
			       drv->driver, name + strlen(drv->type));
	else if (drv->front_dir)
		len = snprintf(dbg, sizeof(dbg), "%s/%s%s", c->dbg_root,
			       drv->front_dir, name);
	else
		len = -1;
	if (len > 0 && (size_t)len < sizeof(dbg))
		collect_rings(drv, dbg, d);
	pvs_dev_fold_rings(d);
	return 0;
}

/**
 * pvs_dev_fold_rings() - device figures that only the rings have
 * @d: device with its rings collected
 *
 * Notifications, batches and latency are per ring only; requests, bytes
 * and errors come from the device's sysfs files when it has them, else
 * from the sum of its rings; the rings' protocol errors are added to the
 * device's own error count.
 */
void pvs_dev_fold_rings(struct pvs_sdev *d)
{
	uint64_t reqs = 0, bytes = 0, errs = 0, proto = 0;
	bool has_bytes = false;
	unsigned int i, b;

	for (i = 0; i < d->nr_rings; i++) {
		const struct pvs_ring *r = &d->rings[i];

		reqs += r->reqs;
		bytes += r->bytes;
		has_bytes |= r->has_bytes;
		errs += r->errors;
		proto += r->proto_errors;
		d->reqs_slots += r->reqs_slots;
		d->batches += r->batches;
		d->notify_sent += r->notify_sent;
		d->wakeups += r->wakeups;
		d->broken |= r->broken;
		if (r->has_lat) {
			d->has_lat = true;
			d->lat.count += r->lat.count;
			d->lat.sum += r->lat.sum;
			for (b = 0; b < PVHIST_BUCKETS; b++)
				d->lat.bucket[b] += r->lat.bucket[b];
		}
	}
	if (!d->has_reqs && d->nr_rings) {
		d->reqs = reqs;
		d->has_reqs = true;
	}
	if (!d->has_bytes && has_bytes) {
		d->bytes = bytes;
		d->has_bytes = true;
	}
	/* protocol errors are counted by the rings only */
	if (d->has_errors)
		d->errors += proto;
	else
		d->errors = errs;
}

/**
 * pvs_dev_cmp_name() - qsort order of devices: driver, domain, device id
 * @a: a struct pvs_sdev
 * @b: another
 *
 * Return: <0, 0 or >0.
 */
int pvs_dev_cmp_name(const void *a, const void *b)
{
	const struct pvs_sdev *x = a, *y = b;
	int c = strcmp(x->drv->driver, y->drv->driver);

	if (c)
		return c;
	if (x->domid != y->domid)
		return x->domid < y->domid ? -1 : 1;
	return (x->devid > y->devid) - (x->devid < y->devid);
}

/* Every device of bus directory @bus bound to one of our drivers. */
static int collect_bus(const struct pvs_collect *c, const char *bus,
		       bool back, struct pvs_sample *s)
{
	struct dirent *e;
	DIR *dh = opendir(bus);

	if (!dh)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(dh))) {
		char link[PATH_MAX], target[PATH_MAX];
		const struct pvs_drv *drv;
		struct pvs_sdev *nd;
		const char *base;
		ssize_t n;

		if (e->d_name[0] == '.' ||
		    snprintf(link, sizeof(link), "%s/%s/driver", bus,
			     e->d_name) >= (int)sizeof(link))
			continue;
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;	/* not bound */
		target[n] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		drv = pvs_drv_find(base);
		if (!drv || drv->back != back)
			continue;
		nd = realloc(s->devs, (s->nr_devs + 1) * sizeof(*nd));
		if (!nd) {
			closedir(dh);
			return -ENOMEM;
		}
		s->devs = nd;
		if (!collect_dev(c, drv, bus, e->d_name, &s->devs[s->nr_devs]))
			s->nr_devs++;
	}
	closedir(dh);
	return 0;
}

/**
 * pvs_collect() - one sample of every pvsplit device in this domain
 * @c: where to look (root, debugfs) and this domain's id
 * @s: filled; free with pvs_sample_free()
 * @now_ns: the sample's time (CLOCK_MONOTONIC), for rates
 *
 * Return: 0 (a domain with no devices gives an empty sample), or -errno.
 */
int pvs_collect(const struct pvs_collect *c, struct pvs_sample *s,
		uint64_t now_ns)
{
	char bus[PATH_MAX];
	int err;

	memset(s, 0, sizeof(*s));
	s->t_ns = now_ns;
	snprintf(bus, sizeof(bus), "%s/sys/bus/xen-backend/devices", c->root);
	err = collect_bus(c, bus, true, s);
	if (!err) {
		snprintf(bus, sizeof(bus), "%s/sys/bus/xen/devices", c->root);
		err = collect_bus(c, bus, false, s);
	}
	if (err) {
		pvs_sample_free(s);
		return err;
	}
	qsort(s->devs, s->nr_devs, sizeof(*s->devs), pvs_dev_cmp_name);
	return 0;
}

/**
 * pvs_collect_init() - where pvs_collect() looks
 * @c: filled
 * @root: "" for the real system, or a fake tree's top
 * @self_domid: this domain's id (-1: unknown), the domain label of front
 *		ends
 */
void pvs_collect_init(struct pvs_collect *c, const char *root, int self_domid)
{
	snprintf(c->root, sizeof(c->root), "%s", root);
	snprintf(c->dbg_root, sizeof(c->dbg_root), "%s/sys/kernel/debug/pvsplit",
		 root);
	c->self_domid = self_domid;
}

void pvs_sample_free(struct pvs_sample *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_devs; i++)
		free(s->devs[i].rings);
	free(s->devs);
	s->devs = NULL;
	s->nr_devs = 0;
}
