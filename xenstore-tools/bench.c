// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench.c - pvsplit bench: run a pvbench benchmark from the guest that
 * holds the front end, through its sysfs files, and report the figures.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char bench_usage[] =
"usage: pvsplit bench [--devid N] [--qd N] [--batch N] [--payload BYTES]\n"
"                     [--count N | --duration MS] [--op read|write]\n"
"                     [--xfer map|copy] [--verify] [--poll] [--json]\n"
"Run in the guest that holds pvbench device N (default 0).  Sends --count\n"
"requests (or runs --duration ms), --qd in flight, published --batch at a\n"
"time, each carrying --payload bytes (0: no-op requests) that the back end\n"
"moves by grant map or copy.  Prints requests/s, MB/s, p50/p99 latency,\n"
"notifications and CPU time per request.\n";

#define SYSFS_BASE "/sys/bus/xen/devices/pvbench-%u/%s"

static int put_attr(unsigned int devid, const char *attr, const char *val)
{
	char path[PVS_PATH_MAX];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), SYSFS_BASE, devid, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		err = -errno;
		pvs_err("%s: %s", path, strerror(errno));
		return err;
	}
	n = write(fd, val, strlen(val));
	if (n < 0) {
		err = -errno;
		pvs_err("%s %s: %s", attr, val, strerror(errno));
	}
	close(fd);
	return err;
}

struct result {
	long long status;
	unsigned long long requests, errors, bad_csum, bytes, elapsed_ns;
	unsigned long long cpu_ns, notify_sent, wakeups, p50_ns, p99_ns;
	unsigned long long qd, batch, payload, ring_slots;
};

/* One number from a sysfs file under the device. */
static int get_attr(unsigned int devid, const char *attr, bool is_signed,
		    void *v)
{
	char path[PVS_PATH_MAX], line[64], *end;
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), SYSFS_BASE, devid, attr);
	f = fopen(path, "r");
	if (!f) {
		err = -errno;
		pvs_err("%s: %s", path, strerror(errno));
		return err;
	}
	if (!fgets(line, sizeof(line), f))
		err = -EIO;
	fclose(f);
	if (!err) {
		errno = 0;
		if (is_signed)
			*(long long *)v = strtoll(line, &end, 10);
		else
			*(unsigned long long *)v = strtoull(line, &end, 10);
		if (errno || end == line || (*end && *end != '\n'))
			err = -EINVAL;
	}
	if (err)
		pvs_err("%s: no number in it", path);
	return err;
}

/*
 * The last run's figures, one file each under result/, and the
 * parameters it ran with.  Read right after our own run: runs of one
 * device are serialised, so the files describe that run unless another
 * process started one in between.
 */
static int read_result(unsigned int devid, struct result *r)
{
	static const struct { const char *attr; size_t off; } attrs[] = {
#define A(a, f) { a, offsetof(struct result, f) }
		A("result/requests", requests), A("result/errors", errors),
		A("result/bad_csum", bad_csum), A("result/bytes", bytes),
		A("result/elapsed_ns", elapsed_ns), A("result/cpu_ns", cpu_ns),
		A("result/notify_sent", notify_sent),
		A("result/wakeups", wakeups), A("result/p50_ns", p50_ns),
		A("result/p99_ns", p99_ns), A("qd", qd), A("batch", batch),
		A("payload", payload), A("ring_slots", ring_slots),
#undef A
	};
	size_t i;
	int err;

	memset(r, 0, sizeof(*r));
	err = get_attr(devid, "result/status", true, &r->status);
	for (i = 0; !err && i < ARRAY_SIZE(attrs); i++)
		err = get_attr(devid, attrs[i].attr, false,
			       (char *)r + attrs[i].off);
	return err;
}

/* One "key": value pair of a JSON object on stdout. */
static void json_key(bool *first, const char *key)
{
	printf("%s\"%s\": ", *first ? "{" : ", ", key);
	*first = false;
}

static void json_u(bool *first, const char *key, unsigned long long v)
{
	json_key(first, key);
	printf("%llu", v);
}

static void json_f(bool *first, const char *key, double v)
{
	json_key(first, key);
	printf("%.4f", v);
}

static void json_s(bool *first, const char *key, const char *v)
{
	json_key(first, key);
	printf("\"%s\"", v);
}

static void print_result(unsigned int devid, const struct result *r,
			 bool json, const char *op, const char *xfer, bool poll)
{
	double secs = r->elapsed_ns / 1e9;
	double n = r->requests ? (double)r->requests : 1.0;
	double rps = secs > 0 ? r->requests / secs : 0;
	double mbs = secs > 0 ? r->bytes / secs / 1e6 : 0;
	double notif = (r->notify_sent + r->wakeups) / n;
	double cpu_us = r->cpu_ns / 1e3 / n;

	if (json) {
		bool first = true;

		json_u(&first, "devid", devid);
		json_u(&first, "qd", r->qd);
		json_u(&first, "batch", r->batch);
		json_u(&first, "payload", r->payload);
		json_s(&first, "op", op);
		json_s(&first, "xfer", xfer);
		json_u(&first, "poll", poll);
		json_u(&first, "ring_slots", r->ring_slots);
		json_u(&first, "requests", r->requests);
		json_u(&first, "errors", r->errors);
		json_u(&first, "bad_csum", r->bad_csum);
		json_f(&first, "seconds", secs);
		json_f(&first, "req_per_s", rps);
		json_f(&first, "mb_per_s", mbs);
		json_f(&first, "p50_us", r->p50_ns / 1e3);
		json_f(&first, "p99_us", r->p99_ns / 1e3);
		json_u(&first, "notify_sent", r->notify_sent);
		json_u(&first, "wakeups", r->wakeups);
		json_f(&first, "notif_per_req", notif);
		json_f(&first, "cpu_us_per_req", cpu_us);
		json_key(&first, "status");
		printf("%lld", r->status);
		puts("}");
		return;
	}
	printf("pvbench-%u: qd %llu batch %llu payload %llu B (%s, %s), ring %llu slots\n",
	       devid, r->qd, r->batch, r->payload, r->payload ? op : "nop",
	       xfer, r->ring_slots);
	printf("  %llu requests in %.3f s: %.0f req/s, %.1f MB/s\n",
	       r->requests, secs, rps, mbs);
	printf("  latency p50 %.1f us, p99 %.1f us\n", r->p50_ns / 1e3,
	       r->p99_ns / 1e3);
	printf("  notifications %.4f per request (%llu sent, %llu received)\n",
	       notif, r->notify_sent, r->wakeups);
	printf("  CPU %.2f us per request; errors %llu, bad checksums %llu\n",
	       cpu_us, r->errors, r->bad_csum);
}

int pvs_cmd_bench(int argc, char **argv)
{
	struct pvs_opt opts[] = {
		PVS_OPT("devid", true), PVS_OPT("qd", true), PVS_OPT("batch", true),
		PVS_OPT("payload", true), PVS_OPT("count", true), PVS_OPT("duration", true),
		PVS_OPT("op", true), PVS_OPT("xfer", true), PVS_OPT("verify", false),
		PVS_OPT("poll", false), PVS_OPT("json", false), PVS_OPT("help", false),
	};
	const unsigned int nopts = ARRAY_SIZE(opts);
	static const char *const nums[] = { "qd", "batch", "payload" };
	unsigned long devid = 0, v;
	const char *op, *xfer, *s;
	struct result r;
	unsigned int npos, i;
	int ret;
	const char *pos[1];
	int err;

	ret = pvs_cmd_args(argc, argv, opts, nopts, pos, 0, 0, &npos,
			   bench_usage);
	if (ret >= 0)
		return ret;
	s = pvs_opt(opts, nopts, "devid");
	if (s && pvs_parse_uint(s, 65535, &devid)) {
		pvs_err("bad device id '%s'", s);
		return PVS_EXIT_USAGE;
	}
	op = pvs_opt(opts, nopts, "op") ?: "read";
	xfer = pvs_opt(opts, nopts, "xfer") ?: "map";
	if (strcmp(op, "read") && strcmp(op, "write") && strcmp(op, "nop")) {
		pvs_err("--op is read, write or nop");
		return PVS_EXIT_USAGE;
	}
	if (strcmp(xfer, "map") && strcmp(xfer, "copy")) {
		pvs_err("--xfer is map or copy");
		return PVS_EXIT_USAGE;
	}
	for (i = 0; i < 3; i++) {
		s = pvs_opt(opts, nopts, nums[i]);
		if (s && pvs_parse_uint(s, 1u << 20, &v)) {
			pvs_err("bad --%s '%s'", nums[i], s);
			return PVS_EXIT_USAGE;
		}
	}
	s = pvs_opt(opts, nopts, "count");
	if (s && pvs_parse_uint(s, 0xffffffffUL, &v)) {
		pvs_err("bad --count '%s'", s);
		return PVS_EXIT_USAGE;
	}
	s = pvs_opt(opts, nopts, "duration");
	if (s && (pvs_parse_uint(s, 3600000, &v) || !v)) {
		pvs_err("bad --duration '%s'", s);
		return PVS_EXIT_USAGE;
	}

	err = 0;
	for (i = 0; i < 3 && !err; i++) {
		s = pvs_opt(opts, nopts, nums[i]);
		if (s)
			err = put_attr(devid, nums[i], s);
	}
	if (!err && pvs_opt(opts, nopts, "duration")) {
		err = put_attr(devid, "count", "0") ?:
		      put_attr(devid, "duration_ms", pvs_opt(opts, nopts, "duration"));
	} else if (!err && pvs_opt(opts, nopts, "count")) {
		err = put_attr(devid, "count", pvs_opt(opts, nopts, "count"));
	}
	if (!err)
		err = put_attr(devid, "op", op) ?: put_attr(devid, "xfer", xfer) ?:
		      put_attr(devid, "verify", pvs_opt(opts, nopts, "verify") ? "1" : "0") ?:
		      put_attr(devid, "poll", pvs_opt(opts, nopts, "poll") ? "1" : "0");
	if (err)
		return PVS_EXIT_FAIL;
	err = put_attr(devid, "run", "1");
	if (read_result(devid, &r))
		return PVS_EXIT_FAIL;
	print_result(devid, &r, pvs_opt(opts, nopts, "json"), op, xfer,
		     !!pvs_opt(opts, nopts, "poll"));
	if (err || r.status || r.errors || r.bad_csum) {
		pvs_err("run failed: status %lld, %llu errors, %llu bad checksums",
			r.status, r.errors, r.bad_csum);
		return PVS_EXIT_FAIL;
	}
	return 0;
}
