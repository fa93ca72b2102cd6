// SPDX-License-Identifier: GPL-2.0-only
/*
 * xs.c - pvsplit CLI: xenstore access and domain lookup.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenctrl.h>
#include <xenstore.h>

#include "cli.h"

struct xs_handle *pvs_xs_open(void)
{
	struct xs_handle *xs = xs_open(0);

	if (!xs)
		pvs_err("cannot reach xenstore (%s): is xenstored running?",
			strerror(errno));
	return xs;
}

/**
 * pvs_self_domid() - this domain's id, from its "domid" node
 *
 * Quiet when xenstore cannot be reached: the counters are in sysfs.
 * Return: the id, or -1 when unknown.
 */
int pvs_self_domid(void)
{
	struct xs_handle *xs = xs_open(0);
	unsigned long v;
	unsigned int len;
	char *s;
	int id = -1;

	if (!xs)
		return -1;
	s = xs_read(xs, XBT_NULL, "domid", &len);
	if (s && !pvs_parse_uint(s, PVS_DOMID_MAX, &v))
		id = (int)v;
	free(s);
	xs_close(xs);
	return id;
}

/* Read <dir>/<key>; NULL when absent.  Caller frees. */
char *pvs_xs_read(struct xs_handle *xs, const char *dir, const char *key)
{
	char path[PVS_PATH_MAX];
	unsigned int len;

	if (snprintf(path, sizeof(path), "%s/%s", dir, key) >= (int)sizeof(path))
		return NULL;
	return xs_read(xs, XBT_NULL, path, &len);
}

/* Whether @path exists (a key with a value or a directory). */
bool pvs_xs_exists(struct xs_handle *xs, const char *path)
{
	unsigned int len;
	char *v = xs_read(xs, XBT_NULL, path, &len);

	free(v);
	return v != NULL;
}

/* The state node of @dir as a number, or -1 when absent or garbage. */
int pvs_xs_read_state(struct xs_handle *xs, const char *dir)
{
	char *s = pvs_xs_read(xs, dir, "state");
	unsigned long v;
	int st = -1;

	if (s && !pvs_parse_uint(s, PVS_RECONFIGURED, &v))
		st = (int)v;
	free(s);
	return st;
}

static bool domain_exists(unsigned int domid)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	xc_domaininfo_t info;
	bool ok;

	if (!xch)
		return true;	/* no privcmd: let xenstore decide below */
	ok = xc_domain_getinfolist(xch, domid, 1, &info) == 1 &&
	     info.domain == domid;
	xc_interface_close(xch);
	return ok;
}

/**
 * pvs_resolve_domain() - domain id from a number or a domain name
 * Return: 0, or -ENOENT with a message printed.
 */
int pvs_resolve_domain(struct xs_handle *xs, const char *s, unsigned int *domid)
{
	unsigned long v;
	char **doms;
	unsigned int i, n;
	int err = -ENOENT;

	if (!pvs_parse_uint(s, PVS_DOMID_MAX, &v)) {
		char dir[64];
		char *name;

		snprintf(dir, sizeof(dir), "/local/domain/%lu", v);
		name = pvs_xs_read(xs, dir, "name");
		if ((name || v == 0) && domain_exists((unsigned int)v)) {
			*domid = (unsigned int)v;
			err = 0;
		}
		free(name);
		if (err)
			pvs_err("no domain with id %lu", v);
		return err;
	}
	if (!pvs_domain_name_ok(s)) {
		pvs_err("'%s' is neither a domain id nor a domain name", s);
		return -EINVAL;
	}
	doms = xs_directory(xs, XBT_NULL, "/local/domain", &n);
	for (i = 0; doms && i < n && err; i++) {
		char dir[64];
		char *name;

		snprintf(dir, sizeof(dir), "/local/domain/%s", doms[i]);
		name = pvs_xs_read(xs, dir, "name");
		if (name && !strcmp(name, s) &&
		    !pvs_parse_uint(doms[i], PVS_DOMID_MAX, &v)) {
			*domid = (unsigned int)v;
			err = 0;
		}
		free(name);
	}
	free(doms);
	if (err)
		pvs_err("no domain named '%s'", s);
	return err;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/**
 * pvs_wait_state() - wait until <dir>/state reads @state
 * @timeout_ms: give up after this long
 *
 * Return: 0 or -ETIMEDOUT.
 */
int pvs_wait_state(struct xs_handle *xs, const char *dir, int state,
		   int timeout_ms)
{
	char path[PVS_PATH_MAX];
	long long end = now_ms() + timeout_ms;
	int err = -ETIMEDOUT;

	snprintf(path, sizeof(path), "%s/state", dir);
	if (!xs_watch(xs, path, "pvsplit"))
		return -errno;
	for (;;) {
		struct pollfd pfd = { .fd = xs_fileno(xs), .events = POLLIN };
		int st = pvs_xs_read_state(xs, dir);
		long long left = end - now_ms();

		if (st == state) {
			err = 0;
			break;
		}
		if (left <= 0)
			break;
		if (poll(&pfd, 1, (int)left) > 0) {
			unsigned int num;

			free(xs_read_watch(xs, &num));
		}
	}
	xs_unwatch(xs, path, "pvsplit");
	return err;
}
