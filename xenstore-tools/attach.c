// SPDX-License-Identifier: GPL-2.0-only
/*
 * attach.c - pvsplit attach / detach: create and remove a device's two
 * xenstore directories, as a toolstack does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "cli.h"

/* A key beyond the common ones, for the back (@be) or front directory. */
struct extra_key {
	bool be;
	const char *key;
	char val[PVS_PATH_MAX];
};

#define MAX_EXTRA	16

struct dev_ref {
	const char *type;
	unsigned int fdom, bdom, devid;
	char fe[PVS_PATH_MAX], be[PVS_PATH_MAX];
	struct extra_key extra[MAX_EXTRA];
	unsigned int nr_extra;
};

static const char attach_usage[] =
"usage: pvsplit attach pvbench DOMAIN [--devid N] [--backend DOMAIN]\n"
"       pvsplit attach vbd DOMAIN VDEV TARGET [--mode r|w]\n"
"                      [--sector-size 512|4096] [--backend DOMAIN]\n"
"Create a device for guest DOMAIN (name or id), served by --backend\n"
"(default 0, dom0).  pvbench: --devid defaults to the lowest free id.\n"
"vbd: VDEV is a disk name (xvdb) or number; TARGET a block device, or a\n"
"file bound to a loop device (with --sector-size) for as long as the disk\n"
"is attached; --mode defaults to w.\n";

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
		for (i = 0; ok && i < d->nr_extra; i++)
			ok = write_kv(xs, t, d->extra[i].be ? d->be : d->fe,
				      d->extra[i].key, NULL, 0, d->extra[i].val);
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

static void add_key(struct dev_ref *d, bool be, const char *key,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_key(struct dev_ref *d, bool be, const char *key,
		    const char *fmt, ...)
{
	struct extra_key *k;
	va_list ap;

	if (d->nr_extra == MAX_EXTRA) {	/* a bug here, not bad input */
		pvs_err("too many keys for %s", key);
		abort();
	}
	k = &d->extra[d->nr_extra++];
	k->be = be;
	k->key = key;
	va_start(ap, fmt);
	vsnprintf(k->val, sizeof(k->val), fmt, ap);
	va_end(ap);
}

/* vbd: VDEV TARGET [--mode] [--sector-size]; binds a loop device for a file */
static int vbd_prepare(struct dev_ref *d, const char *vdev, const char *target,
		       const struct pvs_opt *opts, unsigned int nopts)
{
	const char *mode = pvs_opt(opts, nopts, "mode") ?: "w";
	const char *ss = pvs_opt(opts, nopts, "sector-size");
	struct pvs_vbd_target t;
	char name[16];
	unsigned long sector_size = 512;
	int err;

	if (pvs_parse_vdev(vdev, &d->devid) ||
	    pvs_vdev_name(d->devid, name, sizeof(name))) {
		pvs_err("bad virtual device '%s'", vdev);
		return PVS_EXIT_USAGE;
	}
	if (strcmp(mode, "r") && strcmp(mode, "w")) {
		pvs_err("bad mode '%s' (r or w)", mode);
		return PVS_EXIT_USAGE;
	}
	if (ss && (pvs_parse_uint(ss, 4096, &sector_size) ||
		   (sector_size != 512 && sector_size != 4096))) {
		pvs_err("bad sector size '%s' (512 or 4096)", ss);
		return PVS_EXIT_USAGE;
	}
	err = pvs_vbd_resolve(target, !strcmp(mode, "r"),
			      (unsigned int)sector_size, &t);
	if (err) {
		pvs_err("%s: %s", target, strerror(-err));
		return PVS_EXIT_FAIL;
	}
	add_key(d, true, "params", "%s", target);
	add_key(d, true, "mode", "%s", mode);
	add_key(d, true, "type", "phy");
	add_key(d, true, "device-type", "disk");
	add_key(d, true, "dev", "%s", name);	/* xen-blkback needs it */
	add_key(d, true, "physical-device", "%x:%x", t.major, t.minor);
	if (t.loop[0])
		add_key(d, true, "pvsplit-loop", "%s", t.loop);
	add_key(d, false, "virtual-device", "%u", d->devid);
	add_key(d, false, "device-type", "disk");
	return 0;
}

static void vbd_undo(const struct dev_ref *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_extra; i++)
		if (!strcmp(d->extra[i].key, "pvsplit-loop"))
			pvs_vbd_release(d->extra[i].val);
}

int pvs_cmd_attach(int argc, char **argv)
{
	struct pvs_opt opts[] = {
		PVS_OPT("devid", true), PVS_OPT("backend", true), PVS_OPT("help", false),
		PVS_OPT("mode", true), PVS_OPT("sector-size", true),
	};
	const unsigned int nopts = ARRAY_SIZE(opts);
	struct dev_ref d = { 0 };
	bool vbd;
	struct xs_handle *xs;
	const char *pos[4];
	unsigned int npos;
	int ret;
	const char *v;
	int err, rc = PVS_EXIT_FAIL;

	ret = pvs_cmd_args(argc, argv, opts, nopts, pos, 2, 4, &npos,
			   attach_usage);
	if (ret >= 0)
		return ret;
	d.type = pos[0];
	if (!pvs_known_type(d.type)) {
		pvs_err("unknown device type '%s'", d.type);
		return PVS_EXIT_USAGE;
	}
	vbd = !strcmp(d.type, "vbd");
	if (npos != (vbd ? 4u : 2u)) {
		fputs(attach_usage, stderr);
		return PVS_EXIT_USAGE;
	}
	v = vbd ? NULL : pvs_opt(opts, nopts, "devid");
	if (v && pvs_parse_devid(d.type, v, &d.devid)) {
		pvs_err("bad device id '%s'", v);
		return PVS_EXIT_USAGE;
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
	if (vbd) {
		ret = vbd_prepare(&d, pos[2], pos[3], opts, nopts);
		if (ret) {
			rc = ret;
			goto close_xs;
		}
	} else if (!v) {	/* lowest free id */
		for (d.devid = 0; d.devid < 65536; d.devid++)
			if (!make_paths(&d) && !exists(xs, d.fe) &&
			    !exists(xs, d.be))
				break;
	}
	if (make_paths(&d))
		goto undo;
	if (exists(xs, d.fe) || exists(xs, d.be)) {
		pvs_err("%s %u of domain %u is already attached", d.type,
			d.devid, d.fdom);
		goto undo;
	}
	err = write_nodes(xs, &d);
	if (err) {
		pvs_err("writing xenstore nodes: %s", strerror(-err));
		goto undo;
	}
	printf("%s %u\n", d.type, d.devid);
	xs_close(xs);
	return 0;
undo:
	vbd_undo(&d);
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
	char *bepath, *loop = NULL;
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
	loop = pvs_xs_read(xs, d.be, "pvsplit-loop");
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
	if (loop)
		pvs_vbd_release(loop);
	rc = 0;
close_xs:
	free(loop);
	xs_close(xs);
	return rc;
}
