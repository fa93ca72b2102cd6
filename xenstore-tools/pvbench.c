// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvbench.c - pvsplit CLI: the pvbench device type, a ring benchmark
 * device with no keys of its own; its id is a plain number.
 */
#include <errno.h>
#include <stdio.h>
#include <xenstore.h>

#include "cli.h"

static int pvbench_parse_devid(const char *s, unsigned int *devid)
{
	unsigned long v;

	if (pvs_parse_uint(s, 65535, &v))
		return -EINVAL;
	*devid = (unsigned int)v;
	return 0;
}

static int pvbench_check(struct pvs_dev *d, const char *const *args,
			 const struct pvs_opt *opts, unsigned int nopts)
{
	const char *v = pvs_opt(opts, nopts, "devid");

	(void)args;	/* pvbench takes none */
	if (v && pvbench_parse_devid(v, &d->devid)) {
		pvs_err("bad device id '%s'", v);
		return PVS_EXIT_USAGE;
	}
	return 0;
}

/* Without --devid: the lowest id free at both ends. */
static int pvbench_attach(struct xs_handle *xs, struct pvs_dev *d,
			  const char *const *args, const struct pvs_opt *opts,
			  unsigned int nopts)
{
	(void)args;
	if (pvs_opt(opts, nopts, "devid"))
		return 0;
	return pvs_dev_first_free(xs, d, 65535);
}

static const struct pvs_opt pvbench_opts[] = {
	PVS_OPT("devid", true),
	{ NULL }
};

const struct pvs_devtype pvs_devtype_pvbench = {
	.name = "pvbench",
	.usage = "DOMAIN [--devid N] [--backend DOMAIN]\n",
	.help = "pvbench: --devid defaults to the lowest free id.\n",
	.nr_args = 0,
	.opts = pvbench_opts,
	.parse_devid = pvbench_parse_devid,
	.check = pvbench_check,
	.attach = pvbench_attach,
};
