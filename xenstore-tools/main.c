// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvsplit - attach, detach, list, inspect, watch and benchmark pvsplit
 * devices.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
"usage: pvsplit COMMAND [ARGS]\n"
"\n"
"  attach TYPE DOMAIN [--devid N] [--backend DOMAIN]   create a device\n"
"  detach TYPE DOMAIN DEVID [--force] [--timeout S]    remove a device\n"
"  list [DOMAIN]                                       devices and states\n"
"  show TYPE DOMAIN DEVID                              both ends' keys\n"
"  wait TYPE DOMAIN DEVID STATE [--end E] [--timeout S] wait for a state\n"
"  bench [OPTIONS]                                     run pvbench (guest)\n"
"  top [-d SECONDS] [--once]                           live device view\n"
"  stats [--json | --prometheus]                       counters, once\n"
"\n"
"TYPE: %s.  DOMAIN: a domain name or id.  'pvsplit COMMAND --help'\n"
"for a command's options; man pvsplit(1) for all of it.\n";

/* The usage text, with the device types of pvs_devtypes[] in it. */
static void print_usage(FILE *f)
{
	char types[256];
	size_t i, len = 0;

	types[0] = '\0';
	for (i = 0; pvs_devtypes[i] && len < sizeof(types); i++)
		len += (size_t)snprintf(types + len, sizeof(types) - len,
					"%s%s", i ? ", " : "",
					pvs_devtypes[i]->name);
	fprintf(f, usage, types);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "attach", pvs_cmd_attach },
	{ "detach", pvs_cmd_detach },
	{ "list", pvs_cmd_list },
	{ "show", pvs_cmd_show },
	{ "wait", pvs_cmd_wait },
	{ "bench", pvs_cmd_bench },
	{ "top", pvs_cmd_top },
	{ "stats", pvs_cmd_stats },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		print_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? PVS_EXIT_USAGE : 0;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 2, argv + 2);
	pvs_err("unknown command '%s'", argv[1]);
	print_usage(stderr);
	return PVS_EXIT_USAGE;
}
