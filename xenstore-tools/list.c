// SPDX-License-Identifier: GPL-2.0-only
/*
 * list.c - pvsplit list / show / wait: what is attached and in which state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "cli.h"

static const char list_usage[] =
"usage: pvsplit list [DOMAIN]\n"
"One line per device served from this domain's back ends:\n"
"TYPE FRONT-DOMAIN DEVID BACKEND-STATE FRONTEND-STATE.\n";

static const char show_usage[] =
"usage: pvsplit show TYPE DOMAIN DEVID\n"
"Both ends' xenstore keys: state, rings and negotiated features; then what\n"
"this domain's back-end driver reports, for the types whose driver has it\n"
"(vbd: pvblkback's negotiated/ files in sysfs).\n";

static const char wait_usage[] =
"usage: pvsplit wait TYPE DOMAIN DEVID STATE [--end front|back|both]\n"
"                    [--timeout SECONDS]\n"
"Wait until the chosen end(s) reach STATE (name or number), 30 s at most.\n";

static int list_type(struct xs_handle *xs, unsigned int bdom, const char *type,
		     int only_fdom)
{
	char dir[PVS_PATH_MAX];
	char **fdoms;
	unsigned int i, nf;

	snprintf(dir, sizeof(dir), "/local/domain/%u/backend/%s", bdom, type);
	fdoms = xs_directory(xs, XBT_NULL, dir, &nf);
	for (i = 0; fdoms && i < nf; i++) {
		char fdir[PVS_PATH_MAX];
		char **ids;
		unsigned int j, ni;

		if (only_fdom >= 0 && atoi(fdoms[i]) != only_fdom)
			continue;
		if (pvs_join(fdir, sizeof(fdir), dir, fdoms[i]))
			continue;
		ids = xs_directory(xs, XBT_NULL, fdir, &ni);
		for (j = 0; ids && j < ni; j++) {
			char be[PVS_PATH_MAX];
			char *fe;
			int bs, fs = -1;

			if (pvs_join(be, sizeof(be), fdir, ids[j]))
				continue;
			bs = pvs_xs_read_state(xs, be);
			fe = pvs_xs_read(xs, be, "frontend");
			if (fe)
				fs = pvs_xs_read_state(xs, fe);
			printf("%-8s %5s %5s %-12s %-12s\n", type, fdoms[i],
			       ids[j], pvs_state_name(bs), pvs_state_name(fs));
			free(fe);
		}
		free(ids);
	}
	free(fdoms);
	return 0;
}

int pvs_cmd_list(int argc, char **argv)
{
	struct pvs_opt opts[] = { PVS_OPT("help", false) };
	struct xs_handle *xs;
	unsigned int npos, fdom, i;
	int ret;
	const char *pos[1];
	int only = -1;

	ret = pvs_cmd_args(argc, argv, opts, 1, pos, 0, 1, &npos,
			   list_usage);
	if (ret >= 0)
		return ret;
	xs = pvs_xs_open();
	if (!xs)
		return PVS_EXIT_FAIL;
	if (npos == 1) {
		if (pvs_resolve_domain(xs, pos[0], &fdom)) {
			xs_close(xs);
			return PVS_EXIT_FAIL;
		}
		only = (int)fdom;
	}
	printf("%-8s %5s %5s %-12s %-12s\n", "TYPE", "DOM", "DEVID", "BACKEND",
	       "FRONTEND");
	for (i = 0; pvs_devtypes[i]; i++)
		list_type(xs, 0, pvs_devtypes[i]->name, only);
	xs_close(xs);
	return 0;
}

/*
 * Open xenstore and resolve TYPE DOMAIN DEVID to the device, both
 * directories included.
 * Return: the handle, or NULL with a message printed.
 */
static struct xs_handle *open_dev(const char **pos, struct pvs_dev *d)
{
	struct xs_handle *xs;
	unsigned long b;
	char *bid;

	d->type = pvs_devtype(pos[0]);
	if (!d->type || d->type->parse_devid(pos[2], &d->devid)) {
		pvs_err("bad device '%s %s'", pos[0], pos[2]);
		return NULL;
	}
	xs = pvs_xs_open();
	if (!xs)
		return NULL;
	if (pvs_resolve_domain(xs, pos[1], &d->fdom)) {
		xs_close(xs);
		return NULL;
	}
	pvs_fe_path(d->fe, PVS_PATH_MAX, d->fdom, d->type->name, d->devid);
	bid = pvs_xs_read(xs, d->fe, "backend-id");
	d->bdom = 0;
	if (bid && !pvs_parse_uint(bid, PVS_DOMID_MAX, &b))
		d->bdom = (unsigned int)b;
	free(bid);
	pvs_be_path(d->be, PVS_PATH_MAX, d->bdom, d->type->name, d->fdom,
		    d->devid);
	return xs;
}

static void show_dir(struct xs_handle *xs, const char *title, const char *dir)
{
	char **keys;
	unsigned int i, n;

	printf("%s %s\n", title, dir);
	keys = xs_directory(xs, XBT_NULL, dir, &n);
	if (!keys) {
		printf("  (absent)\n");
		return;
	}
	for (i = 0; i < n; i++) {
		char *v = pvs_xs_read(xs, dir, keys[i]);

		if (!strcmp(keys[i], "state") && v) {
			unsigned long s;

			if (!pvs_parse_uint(v, PVS_RECONFIGURED, &s)) {
				printf("  %-22s %s (%s)\n", keys[i], v,
				       pvs_state_name((int)s));
				free(v);
				continue;
			}
		}
		printf("  %-22s %s\n", keys[i], v ? v : "(dir)");
		free(v);
	}
	free(keys);
}

int pvs_cmd_show(int argc, char **argv)
{
	struct pvs_opt opts[] = { PVS_OPT("help", false) };
	struct pvs_dev d = { 0 };
	struct xs_handle *xs;
	unsigned int npos;
	int ret;
	const char *pos[3];
	int rc = PVS_EXIT_FAIL;

	ret = pvs_cmd_args(argc, argv, opts, 1, pos, 3, 3, &npos,
			   show_usage);
	if (ret >= 0)
		return ret;
	if (!pvs_known_type(pos[0])) {
		pvs_err("unknown device type '%s'", pos[0]);
		return PVS_EXIT_USAGE;
	}
	xs = open_dev(pos, &d);
	if (!xs)
		return PVS_EXIT_FAIL;
	if (pvs_xs_read_state(xs, d.be) < 0 && pvs_xs_read_state(xs, d.fe) < 0) {
		pvs_err("%s %s of domain %s is not attached", pos[0], pos[2],
			pos[1]);
		goto close_xs;
	}
	show_dir(xs, "backend", d.be);
	show_dir(xs, "frontend", d.fe);
	if (d.type->show)
		d.type->show(&d);
	rc = 0;
close_xs:
	xs_close(xs);
	return rc;
}

int pvs_cmd_wait(int argc, char **argv)
{
	struct pvs_opt opts[] = {
		PVS_OPT("end", true), PVS_OPT("timeout", true), PVS_OPT("help", false),
	};
	struct pvs_dev d = { 0 };
	struct xs_handle *xs;
	unsigned long tmo = 30;
	unsigned int npos;
	int ret;
	const char *end, *v;
	const char *pos[4];
	int state, err = 0, rc = PVS_EXIT_FAIL;

	ret = pvs_cmd_args(argc, argv, opts, 3, pos, 4, 4, &npos,
			   wait_usage);
	if (ret >= 0)
		return ret;
	state = pvs_parse_state(pos[3]);
	end = pvs_opt(opts, 3, "end") ?: "both";
	v = pvs_opt(opts, 3, "timeout");
	if (state < 0 || (v && pvs_parse_uint(v, 3600, &tmo)) ||
	    (strcmp(end, "both") && strcmp(end, "front") && strcmp(end, "back")) ||
	    !pvs_known_type(pos[0])) {
		fputs(wait_usage, stderr);
		return PVS_EXIT_USAGE;
	}
	xs = open_dev(pos, &d);
	if (!xs)
		return PVS_EXIT_FAIL;
	if (strcmp(end, "front"))
		err = pvs_wait_state(xs, d.be, state, (int)tmo * 1000);
	if (!err && strcmp(end, "back"))
		err = pvs_wait_state(xs, d.fe, state, (int)tmo * 1000);
	if (err) {
		pvs_err("timeout: %s %s of domain %s not %s after %lu s (back end %s, front end %s)",
			pos[0], pos[2], pos[1], pvs_state_name(state), tmo,
			pvs_state_name(pvs_xs_read_state(xs, d.be)),
			pvs_state_name(pvs_xs_read_state(xs, d.fe)));
		goto close_xs;
	}
	rc = 0;
close_xs:
	xs_close(xs);
	return rc;
}
