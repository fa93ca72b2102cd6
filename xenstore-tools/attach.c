// SPDX-License-Identifier: GPL-2.0-only
/*
 * attach.c - pvsplit attach / detach: create and remove a device's two
 * xenstore directories, as a toolstack does.  What differs between device
 * types is in their struct pvs_devtype (pvbench.c, vbd.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "cli.h"

/* attach's options for every type; each type adds its own */
static const struct pvs_opt attach_common_opts[] = {
	PVS_OPT("backend", true), PVS_OPT("help", false),
};

#define MAX_ATTACH_OPTS	32
#define MAX_ATTACH_ARGS	8

static const char attach_help[] =
"Create a device for guest DOMAIN (name or id), served by --backend\n"
"(default 0, dom0).\n";

static const char detach_usage[] =
"usage: pvsplit detach TYPE DOMAIN DEVID [--force] [--timeout SECONDS]\n"
"Close the device gracefully (wait for the back end to reach Closed, 10 s\n"
"by default), then remove its xenstore nodes.  --force removes them at once.\n";

static size_t put(char *buf, size_t n, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Append to @buf (size @n, @len used); stops at its end. */
static size_t put(char *buf, size_t n, size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (len >= n)
		return len;
	va_start(ap, fmt);
	r = vsnprintf(buf + len, n - len, fmt, ap);
	va_end(ap);
	return r < 0 ? len : len + (size_t)r;
}

/* "usage: pvsplit attach TYPE ..." for every type, then what they mean. */
static const char *attach_usage(void)
{
	static char buf[2048];
	const struct pvs_devtype *const *t;
	size_t len = 0;

	for (t = pvs_devtypes; *t; t++) {
		const char *line = (*t)->usage;

		len = put(buf, sizeof(buf), len, "%spvsplit attach %s ",
			  t == pvs_devtypes ? "usage: " : "       ", (*t)->name);
		for (;;) {	/* continuation lines under the first argument */
			const char *nl = strchr(line, '\n');

			len = put(buf, sizeof(buf), len, "%.*s\n",
				  nl ? (int)(nl - line) : (int)strlen(line),
				  line);
			if (!nl || !nl[1])
				break;
			line = nl + 1;
			len = put(buf, sizeof(buf), len, "%22s", "");
		}
	}
	len = put(buf, sizeof(buf), len, "%s", attach_help);
	for (t = pvs_devtypes; *t; t++)
		len = put(buf, sizeof(buf), len, "%s", (*t)->help);
	return buf;
}

/**
 * pvs_dev_paths() - both directories of @d from its domains and id
 * Return: 0, or -EINVAL with a message printed.
 */
int pvs_dev_paths(struct pvs_dev *d)
{
	if (pvs_fe_path(d->fe, sizeof(d->fe), d->fdom, d->type->name,
			d->devid) ||
	    pvs_be_path(d->be, sizeof(d->be), d->bdom, d->type->name, d->fdom,
			d->devid)) {
		pvs_err("bad device path");
		return -EINVAL;
	}
	return 0;
}

/**
 * pvs_dev_first_free() - set @d->devid to the lowest id free at both ends
 * @xs: xenstore
 * @d: device, domains known
 * @max: highest id the type allows
 *
 * Return: 0, or an exit code with a message printed.
 */
int pvs_dev_first_free(struct xs_handle *xs, struct pvs_dev *d,
		       unsigned int max)
{
	for (d->devid = 0; d->devid <= max; d->devid++)
		if (!pvs_dev_paths(d) && !pvs_xs_exists(xs, d->fe) &&
		    !pvs_xs_exists(xs, d->be))
			return 0;
	pvs_err("no free %s device id in domain %u", d->type->name, d->fdom);
	return PVS_EXIT_FAIL;
}

/**
 * pvs_dev_add_key() - a key of the type's own for attach to write
 * @d: device
 * @be: in the back end's directory, else the front end's
 * @key: its name (a string that outlives @d)
 * @fmt: its value, printf-style
 */
void pvs_dev_add_key(struct pvs_dev *d, bool be, const char *key,
		     const char *fmt, ...)
{
	struct pvs_key *k;
	va_list ap;

	if (d->nr_keys == PVS_MAX_KEYS) {	/* a bug here, not bad input */
		pvs_err("too many keys for %s", key);
		abort();
	}
	k = &d->keys[d->nr_keys++];
	k->be = be;
	k->key = key;
	va_start(ap, fmt);
	vsnprintf(k->val, sizeof(k->val), fmt, ap);
	va_end(ap);
}

/**
 * pvs_dev_key() - the value pvs_dev_add_key() gave @key
 * Return: it, or NULL.
 */
const char *pvs_dev_key(const struct pvs_dev *d, bool be, const char *key)
{
	unsigned int i;

	for (i = 0; i < d->nr_keys; i++)
		if (d->keys[i].be == be && !strcmp(d->keys[i].key, key))
			return d->keys[i].val;
	return NULL;
}

static bool write_kv(struct xs_handle *xs, xs_transaction_t t,
		     const char *dir, const char *key, const char *fmt,
		     unsigned int v, const char *s)
{
	char path[PVS_PATH_MAX], val[PVS_PATH_MAX];

	if (pvs_join(path, sizeof(path), dir, key)) {
		errno = ENAMETOOLONG;
		return false;
	}
	if (s)
		snprintf(val, sizeof(val), "%s", s);
	else
		snprintf(val, sizeof(val), fmt, v);
	return xs_write(xs, t, path, val, strlen(val));
}

/* Both directories in one transaction; the guest owns only its own. */
static int write_nodes(struct xs_handle *xs, const struct pvs_dev *d)
{
	struct xs_permissions be_perms[2] = {
		{ .id = d->bdom, .perms = XS_PERM_NONE },
		{ .id = d->fdom, .perms = XS_PERM_READ },
	};
	struct xs_permissions fe_perms[2] = {
		{ .id = d->fdom, .perms = XS_PERM_NONE },
		{ .id = d->bdom, .perms = XS_PERM_READ },
	};
	unsigned int i;
	int tries;

	for (tries = 0; tries < 10; tries++) {
		xs_transaction_t t = xs_transaction_start(xs);
		bool ok;

		if (t == XBT_NULL)
			return -errno;
		ok = xs_mkdir(xs, t, d->be) &&
		     xs_set_permissions(xs, t, d->be, be_perms, 2) &&
		     write_kv(xs, t, d->be, "frontend", NULL, 0, d->fe) &&
		     write_kv(xs, t, d->be, "frontend-id", "%u", d->fdom, NULL) &&
		     write_kv(xs, t, d->be, "online", "%u", 1, NULL) &&
		     write_kv(xs, t, d->be, "state", "%u", PVS_INITIALISING, NULL) &&
		     xs_mkdir(xs, t, d->fe) &&
		     xs_set_permissions(xs, t, d->fe, fe_perms, 2) &&
		     write_kv(xs, t, d->fe, "backend", NULL, 0, d->be) &&
		     write_kv(xs, t, d->fe, "backend-id", "%u", d->bdom, NULL) &&
		     write_kv(xs, t, d->fe, "state", "%u", PVS_INITIALISING, NULL);
		for (i = 0; ok && i < d->nr_keys; i++)
			ok = write_kv(xs, t, d->keys[i].be ? d->be : d->fe,
				      d->keys[i].key, NULL, 0, d->keys[i].val);
		if (!ok) {
			int err = errno;

			xs_transaction_end(xs, t, true);
			return -err;
		}
		if (xs_transaction_end(xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}

static int remove_nodes(struct xs_handle *xs, const struct pvs_dev *d)
{
	int tries;

	for (tries = 0; tries < 10; tries++) {
		xs_transaction_t t = xs_transaction_start(xs);

		if (t == XBT_NULL)
			return -errno;
		xs_rm(xs, t, d->fe);
		xs_rm(xs, t, d->be);
		if (xs_transaction_end(xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}

/*
 * attach's options: the common ones and those of every type, so that
 * they parse before TYPE is known.  Return: how many.
 */
static unsigned int attach_opts(struct pvs_opt *opts)
{
	const struct pvs_devtype *const *t;
	unsigned int n = 0, k;
	const struct pvs_opt *o;

	for (k = 0; k < ARRAY_SIZE(attach_common_opts); k++)
		opts[n++] = attach_common_opts[k];
	for (t = pvs_devtypes; *t; t++)
		for (o = (*t)->opts; o && o->name; o++) {
			for (k = 0; k < n; k++)
				if (!strcmp(opts[k].name, o->name))
					break;
			if (k < n)
				continue;	/* two types share it */
			if (n == MAX_ATTACH_OPTS) {	/* a bug, not bad input */
				pvs_err("too many attach options");
				abort();
			}
			opts[n++] = *o;
		}
	return n;
}

/* An option given that is neither common nor @t's: name it. */
static const char *foreign_opt(const struct pvs_devtype *t,
			       const struct pvs_opt *opts, unsigned int nopts)
{
	unsigned int k;
	const struct pvs_opt *o;

	for (k = ARRAY_SIZE(attach_common_opts); k < nopts; k++) {
		if (!opts[k].val)
			continue;
		for (o = t->opts; o && o->name; o++)
			if (!strcmp(o->name, opts[k].name))
				break;
		if (!o || !o->name)
			return opts[k].name;
	}
	return NULL;
}

int pvs_cmd_attach(int argc, char **argv)
{
	struct pvs_opt opts[MAX_ATTACH_OPTS];
	const unsigned int nopts = attach_opts(opts);
	const struct pvs_devtype *t;
	struct pvs_dev d = { 0 };
	struct xs_handle *xs;
	const char *pos[MAX_ATTACH_ARGS];
	const char *usage = attach_usage();
	unsigned int npos;
	int ret;
	const char *v;
	int err, rc = PVS_EXIT_FAIL;

	ret = pvs_cmd_args(argc, argv, opts, nopts, pos, 2, MAX_ATTACH_ARGS,
			   &npos, usage);
	if (ret >= 0)
		return ret;
	t = pvs_devtype(pos[0]);
	if (!t) {
		pvs_err("unknown device type '%s'", pos[0]);
		return PVS_EXIT_USAGE;
	}
	if (npos != 2 + t->nr_args) {
		fputs(usage, stderr);
		return PVS_EXIT_USAGE;
	}
	v = foreign_opt(t, opts, nopts);
	if (v) {
		pvs_err("option '--%s' is not for %s", v, t->name);
		return PVS_EXIT_USAGE;
	}
	d.type = t;
	if (t->check) {
		ret = t->check(&d, pos + 2, opts, nopts);
		if (ret)
			return ret;
	}
	xs = pvs_xs_open();
	if (!xs)
		return PVS_EXIT_FAIL;
	if (pvs_resolve_domain(xs, pos[1], &d.fdom))
		goto close_xs;
	if (pvs_resolve_domain(xs, pvs_opt(opts, nopts, "backend") ?: "0", &d.bdom))
		goto close_xs;
	if (d.fdom == d.bdom) {
		pvs_err("front and back end in the same domain %u", d.fdom);
		goto close_xs;
	}
	ret = t->attach(xs, &d, pos + 2, opts, nopts);
	if (ret) {
		rc = ret;
		goto close_xs;
	}
	if (pvs_dev_paths(&d))
		goto release;
	if (pvs_xs_exists(xs, d.fe) || pvs_xs_exists(xs, d.be)) {
		pvs_err("%s %u of domain %u is already attached", t->name,
			d.devid, d.fdom);
		goto release;
	}
	err = write_nodes(xs, &d);
	if (err) {
		pvs_err("writing xenstore nodes: %s", strerror(-err));
		goto release;
	}
	if (t->attached) {
		ret = t->attached(xs, &d, opts, nopts);
		if (ret) {
			rc = ret;
			remove_nodes(xs, &d);
			goto release;
		}
	}
	printf("%s %u\n", t->name, d.devid);
	xs_close(xs);
	return 0;
release:
	if (t->release)
		t->release(&d);
close_xs:
	xs_close(xs);
	return rc;
}

int pvs_cmd_detach(int argc, char **argv)
{
	struct pvs_opt opts[] = {
		PVS_OPT("force", false), PVS_OPT("timeout", true), PVS_OPT("help", false),
	};
	const unsigned int nopts = ARRAY_SIZE(opts);
	struct pvs_dev d = { 0 };
	struct xs_handle *xs;
	unsigned long tmo = 10, dom;
	const char *pos[3];
	char *bepath;
	unsigned int npos;
	int ret;
	const char *v;
	int err, rc = PVS_EXIT_FAIL;

	ret = pvs_cmd_args(argc, argv, opts, nopts, pos, 3, 3, &npos,
			   detach_usage);
	if (ret >= 0)
		return ret;
	d.type = pvs_devtype(pos[0]);
	if (!d.type || d.type->parse_devid(pos[2], &d.devid)) {
		pvs_err("bad device '%s %s'", pos[0], pos[2]);
		return PVS_EXIT_USAGE;
	}
	v = pvs_opt(opts, nopts, "timeout");
	if (v && pvs_parse_uint(v, 3600, &tmo)) {
		pvs_err("bad timeout '%s'", v);
		return PVS_EXIT_USAGE;
	}
	xs = pvs_xs_open();
	if (!xs)
		return PVS_EXIT_FAIL;
	/* a numeric id may name a guest that is gone: clean up after it */
	if (!pvs_parse_uint(pos[1], PVS_DOMID_MAX, &dom))
		d.fdom = (unsigned int)dom;
	else if (pvs_resolve_domain(xs, pos[1], &d.fdom))
		goto close_xs;
	/* the front end says where its back end is; trust only the domid */
	if (pvs_fe_path(d.fe, sizeof(d.fe), d.fdom, d.type->name, d.devid))
		goto close_xs;
	bepath = pvs_xs_read(xs, d.fe, "backend-id");
	d.bdom = 0;
	if (bepath) {
		unsigned long b;

		if (!pvs_parse_uint(bepath, PVS_DOMID_MAX, &b))
			d.bdom = (unsigned int)b;
		free(bepath);
	}
	if (pvs_dev_paths(&d))
		goto close_xs;
	if (!pvs_xs_exists(xs, d.be) && !pvs_xs_exists(xs, d.fe)) {
		pvs_err("%s %u of domain %u is not attached", d.type->name,
			d.devid, d.fdom);
		goto close_xs;
	}
	if (d.type->detach)
		d.type->detach(xs, &d);
	if (!pvs_opt(opts, nopts, "force") && pvs_xs_exists(xs, d.be)) {
		char path[PVS_PATH_MAX];

		/* as libxl does: offline, then ask the back end to close */
		if (!pvs_join(path, sizeof(path), d.be, "online"))
			xs_write(xs, XBT_NULL, path, "0", 1);
		if (!pvs_join(path, sizeof(path), d.be, "state"))
			xs_write(xs, XBT_NULL, path, "5", 1);
		err = pvs_wait_state(xs, d.be, PVS_CLOSED, (int)tmo * 1000);
		if (err) {
			pvs_err("%s %u of domain %u did not close within %lu s; use --force",
				d.type->name, d.devid, d.fdom, tmo);
			goto close_xs;
		}
	}
	err = remove_nodes(xs, &d);
	if (err) {
		pvs_err("removing xenstore nodes: %s", strerror(-err));
		goto close_xs;
	}
	if (d.type->release)
		d.type->release(&d);
	rc = 0;
close_xs:
	xs_close(xs);
	return rc;
}
