// SPDX-License-Identifier: GPL-2.0-only
/*
 * attach.c - pvsplit attach / detach: create and remove a device's two
 * xenstore directories, as a toolstack does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "cli.h"

struct dev_ref {
	const char *type;
	unsigned int fdom, bdom, devid;
	char fe[PVS_PATH_MAX], be[PVS_PATH_MAX];
};

static const char attach_usage[] =
"usage: pvsplit attach TYPE DOMAIN [--devid N] [--backend DOMAIN]\n"
"Create device TYPE (pvbench) for guest DOMAIN (name or id), served by\n"
"--backend (default 0, dom0).  --devid defaults to the lowest free id.\n";

static const char detach_usage[] =
"usage: pvsplit detach TYPE DOMAIN DEVID [--force] [--timeout SECONDS]\n"
"Close the device gracefully (wait for the back end to reach Closed, 10 s\n"
"by default), then remove its xenstore nodes.  --force removes them at once.\n";

static bool exists(struct xs_handle *xs, const char *path)
{
	unsigned int len;
	char *v = xs_read(xs, XBT_NULL, path, &len);

	free(v);
	return v != NULL;
}

static int make_paths(struct dev_ref *d)
{
	if (pvs_fe_path(d->fe, sizeof(d->fe), d->fdom, d->type, d->devid) ||
	    pvs_be_path(d->be, sizeof(d->be), d->bdom, d->type, d->fdom,
			d->devid)) {
		pvs_err("bad device path");
		return -EINVAL;
	}
	return 0;
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
static int write_nodes(struct xs_handle *xs, const struct dev_ref *d)
{
	struct xs_permissions be_perms[2] = {
		{ .id = d->bdom, .perms = XS_PERM_NONE },
		{ .id = d->fdom, .perms = XS_PERM_READ },
	};
	struct xs_permissions fe_perms[2] = {
		{ .id = d->fdom, .perms = XS_PERM_NONE },
		{ .id = d->bdom, .perms = XS_PERM_READ },
	};
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

static int remove_nodes(struct xs_handle *xs, const struct dev_ref *d)
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

int pvs_cmd_attach(int argc, char **argv)
{
	struct pvs_opt opts[] = {
		PVS_OPT("devid", true), PVS_OPT("backend", true), PVS_OPT("help", false),
	};
	struct dev_ref d = { 0 };
	struct xs_handle *xs;
	const char *pos[2];
	unsigned int npos;
	int ret;
	const char *v;
	int err, rc = PVS_EXIT_FAIL;

	ret = pvs_cmd_args(argc, argv, opts, 3, pos, 2, 2, &npos,
			   attach_usage);
	if (ret >= 0)
		return ret;
	d.type = pos[0];
	if (!pvs_known_type(d.type)) {
		pvs_err("unknown device type '%s'", d.type);
		return PVS_EXIT_USAGE;
	}
	v = pvs_opt(opts, 3, "devid");
	if (v && pvs_parse_devid(d.type, v, &d.devid)) {
		pvs_err("bad device id '%s'", v);
		return PVS_EXIT_USAGE;
	}
	xs = pvs_xs_open();
	if (!xs)
		return PVS_EXIT_FAIL;
	if (pvs_resolve_domain(xs, pos[1], &d.fdom))
		goto close_xs;
	if (pvs_resolve_domain(xs, pvs_opt(opts, 3, "backend") ?: "0", &d.bdom))
		goto close_xs;
	if (d.fdom == d.bdom) {
		pvs_err("front and back end in the same domain %u", d.fdom);
		goto close_xs;
	}
	if (!v) {	/* lowest free id */
		for (d.devid = 0; d.devid < 65536; d.devid++)
			if (!make_paths(&d) && !exists(xs, d.fe) &&
			    !exists(xs, d.be))
				break;
	}
	if (make_paths(&d))
		goto close_xs;
	if (exists(xs, d.fe) || exists(xs, d.be)) {
		pvs_err("%s %u of domain %u is already attached", d.type,
			d.devid, d.fdom);
		goto close_xs;
	}
	err = write_nodes(xs, &d);
	if (err) {
		pvs_err("writing xenstore nodes: %s", strerror(-err));
		goto close_xs;
	}
	printf("%s %u\n", d.type, d.devid);
	rc = 0;
close_xs:
	xs_close(xs);
	return rc;
}

int pvs_cmd_detach(int argc, char **argv)
{
	struct pvs_opt opts[] = {
		PVS_OPT("force", false), PVS_OPT("timeout", true), PVS_OPT("help", false),
	};
	struct dev_ref d = { 0 };
	struct xs_handle *xs;
	unsigned long tmo = 10, dom;
	const char *pos[3];
	char *bepath;
	unsigned int npos;
	int ret;
	const char *v;
	int err, rc = PVS_EXIT_FAIL;

	ret = pvs_cmd_args(argc, argv, opts, 3, pos, 3, 3, &npos,
			   detach_usage);
	if (ret >= 0)
		return ret;
	d.type = pos[0];
	if (!pvs_known_type(d.type) ||
	    pvs_parse_devid(d.type, pos[2], &d.devid)) {
		pvs_err("bad device '%s %s'", pos[0], pos[2]);
		return PVS_EXIT_USAGE;
	}
	v = pvs_opt(opts, 3, "timeout");
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
	if (pvs_fe_path(d.fe, sizeof(d.fe), d.fdom, d.type, d.devid))
		goto close_xs;
	bepath = pvs_xs_read(xs, d.fe, "backend-id");
	d.bdom = 0;
	if (bepath) {
		unsigned long b;

		if (!pvs_parse_uint(bepath, PVS_DOMID_MAX, &b))
			d.bdom = (unsigned int)b;
		free(bepath);
	}
	if (make_paths(&d))
		goto close_xs;
	if (!exists(xs, d.be) && !exists(xs, d.fe)) {
		pvs_err("%s %u of domain %u is not attached", d.type, d.devid,
			d.fdom);
		goto close_xs;
	}
	if (!pvs_opt(opts, 3, "force") && exists(xs, d.be)) {
		char path[PVS_PATH_MAX];

		/* as libxl does: offline, then ask the back end to close */
		if (!pvs_join(path, sizeof(path), d.be, "online"))
			xs_write(xs, XBT_NULL, path, "0", 1);
		if (!pvs_join(path, sizeof(path), d.be, "state"))
			xs_write(xs, XBT_NULL, path, "5", 1);
		err = pvs_wait_state(xs, d.be, PVS_CLOSED, (int)tmo * 1000);
		if (err) {
			pvs_err("%s %u of domain %u did not close within %lu s; use --force",
				d.type, d.devid, d.fdom, tmo);
			goto close_xs;
		}
	}
	err = remove_nodes(xs, &d);
	if (err) {
		pvs_err("removing xenstore nodes: %s", strerror(-err));
		goto close_xs;
	}
	rc = 0;
close_xs:
	xs_close(xs);
	return rc;
}
