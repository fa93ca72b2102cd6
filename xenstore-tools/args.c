// SPDX-License-Identifier: GPL-2.0-only
/*
 * args.c - pvsplit CLI: parsing of arguments and xenstore paths, and the
 * table of device types.  Pure functions, unit-tested in
 * tests/unit/cli_args_test.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

/* Print "pvsplit: <message>" on stderr. */
void pvs_err(const char *fmt, ...)
{
	va_list ap;

	fputs("pvsplit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *const state_names[] = {
	"unknown", "initialising", "initwait", "initialised", "connected",
	"closing", "closed", "reconfiguring", "reconfigured",
};

/*
 * The device types this tool handles, each in its own file: a new type
 * is one entry here and that file.
 */
const struct pvs_devtype *const pvs_devtypes[] = {
	&pvs_devtype_pvbench,
	&pvs_devtype_vbd,
	&pvs_devtype_vif,
	NULL
};

/**
 * pvs_parse_uint() - parse a whole decimal number no larger than @max
 * Return: 0, or -EINVAL.
 */
int pvs_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!s || !*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/**
 * pvs_parse_state() - a xenbus state from its name (any case) or number
 * Return: the state, or -EINVAL.
 */
int pvs_parse_state(const char *s)
{
	unsigned long v;
	size_t i;

	if (!pvs_parse_uint(s, PVS_RECONFIGURED, &v))
		return (int)v;
	for (i = 0; i < ARRAY_SIZE(state_names); i++)
		if (!strcasecmp(s, state_names[i]))
			return (int)i;
	return -EINVAL;
}

const char *pvs_state_name(int state)
{
	if (state < 0 || state > PVS_RECONFIGURED)
		return "invalid";
	return state_names[state];
}

/**
 * pvs_devtype() - the device type named @name
 * Return: it, or NULL for a name no type has (or NULL).
 */
const struct pvs_devtype *pvs_devtype(const char *name)
{
	const struct pvs_devtype *const *t;

	for (t = pvs_devtypes; name && *t; t++)
		if (!strcmp(name, (*t)->name))
			return *t;
	return NULL;
}

bool pvs_known_type(const char *type)
{
	return pvs_devtype(type) != NULL;
}

/**
 * pvs_parse_devid() - device id of a device of @type
 * Return: 0, or -EINVAL for a bad id or unknown type.
 */
int pvs_parse_devid(const char *type, const char *s, unsigned int *devid)
{
	const struct pvs_devtype *t = pvs_devtype(type);

	return t ? t->parse_devid(s, devid) : -EINVAL;
}

/**
 * pvs_parse_vdev() - a virtual block device number from a name or number
 * @s: "xvdb", "xvdaa" (disk names, no partitions), or a decimal number
 * @vdev: the number xenstore carries: 202 << 8 | index * 16 for the
 *	  first 16 disks, (1 << 28) | index << 8 beyond, as libxl numbers
 *
 * Return: 0, or -EINVAL.
 */
int pvs_parse_vdev(const char *s, unsigned int *vdev)
{
	unsigned long v, index = 0;
	const char *p;

	if (!pvs_parse_uint(s, (1ul << 29) - 1, &v)) {
		*vdev = (unsigned int)v;
		return 0;
	}
	if (!s || strncmp(s, "xvd", 3) || !s[3] || strlen(s) > 6)
		return -EINVAL;
	for (p = s + 3; *p; p++) {
		if (*p < 'a' || *p > 'z')
			return -EINVAL;
		index = index * 26 + (unsigned long)(*p - 'a') + 1;
	}
	/* "xvdaa" follows "xvdz": base 26 with digits 1-26 */
	index--;
	if (index < 16)
		*vdev = (unsigned int)(202u << 8 | index * 16);
	else
		*vdev = (unsigned int)(1u << 28 | index << 8);
	return 0;
}

/* Domain names as libxl accepts them: no slash, no control characters. */
bool pvs_domain_name_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (*s == '/' || !isprint((unsigned char)*s))
			return false;
	return true;
}

static int put_path(size_t n, int len)
{
	return len < 0 || (size_t)len >= n ? -ENAMETOOLONG : 0;
}

/**
 * pvs_vdev_name() - the disk name of a virtual block device number
 * @vdev: as pvs_parse_vdev() returns it
 * @buf: result ("xvdb"), the name the stock back end wants in "dev"
 * @n: its size
 *
 * Return: 0, or -EINVAL for a number that names no xvd disk.
 */
int pvs_vdev_name(unsigned int vdev, char *buf, size_t n)
{
	char tmp[8];
	unsigned long index;
	int i = sizeof(tmp) - 1;

	if (vdev & (1u << 28))
		index = (vdev & ~(1u << 28)) >> 8;
	else if (vdev >> 8 == 202 && !(vdev & 15))
		index = (vdev & 0xff) >> 4;
	else
		return -EINVAL;
	tmp[i] = '\0';
	do {
		tmp[--i] = (char)('a' + index % 26);
		index /= 26;
	} while (index-- && i > 0);
	return put_path(n, snprintf(buf, n, "xvd%s", &tmp[i]));
}

/* "<dir>/<key>" into @buf; -ENAMETOOLONG when it does not fit. */
int pvs_join(char *buf, size_t n, const char *dir, const char *key)
{
	return put_path(n, snprintf(buf, n, "%s/%s", dir, key));
}

/* /local/domain/<fdom>/device/<type>/<devid> */
int pvs_fe_path(char *buf, size_t n, unsigned int fdom, const char *type,
		unsigned int devid)
{
	if (fdom > PVS_DOMID_MAX || !pvs_known_type(type))
		return -EINVAL;
	return put_path(n, snprintf(buf, n, "/local/domain/%u/device/%s/%u",
					 fdom, type, devid));
}

/* /local/domain/<bdom>/backend/<type>/<fdom>/<devid> */
int pvs_be_path(char *buf, size_t n, unsigned int bdom, const char *type,
		unsigned int fdom, unsigned int devid)
{
	if (bdom > PVS_DOMID_MAX || fdom > PVS_DOMID_MAX ||
	    !pvs_known_type(type))
		return -EINVAL;
	return put_path(n, snprintf(buf, n,
					 "/local/domain/%u/backend/%s/%u/%u",
					 bdom, type, fdom, devid));
}

/**
 * pvs_opts_parse() - split @argv into positional arguments and options
 * @argc: argument count
 * @argv: arguments (command name excluded)
 * @opts: known options; their @val is set when seen
 * @nopts: how many
 * @pos: positional arguments, filled
 * @maxpos: room in @pos
 * @npos: positional arguments found
 *
 * Accepts "--name value" and "--name=value", and "-X value" for an
 * option with a short name.
 * Return: 0, or -EINVAL with a message printed.
 */
int pvs_opts_parse(int argc, char *const *argv, struct pvs_opt *opts,
		   unsigned int nopts, const char **pos, unsigned int maxpos,
		   unsigned int *npos)
{
	int i;

	*npos = 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *eq;
		size_t len;
		unsigned int k;

		if (a[0] == '-' && a[1] && a[1] != '-') {
			/* "-X value", "-Xvalue" or the flag "-X" */
			for (k = 0; k < nopts; k++)
				if (opts[k].short_name && opts[k].short_name == a[1])
					break;
			if (k == nopts) {
				pvs_err("unknown option '%s'", a);
				return -EINVAL;
			}
			if (!opts[k].has_arg) {
				if (a[2]) {
					pvs_err("option '-%c' takes no value", a[1]);
					return -EINVAL;
				}
				opts[k].val = "";
			} else if (a[2]) {
				opts[k].val = a + 2;
			} else if (i + 1 < argc) {
				opts[k].val = argv[++i];
			} else {
				pvs_err("option '-%c' needs a value", a[1]);
				return -EINVAL;
			}
			continue;
		}
		if (strncmp(a, "--", 2) || !a[2]) {
			if (*npos >= maxpos) {
				pvs_err("unexpected argument '%s'", a);
				return -EINVAL;
			}
			pos[(*npos)++] = argv[i];
			continue;
		}
		a += 2;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		for (k = 0; k < nopts; k++)
			if (strlen(opts[k].name) == len &&
			    !strncmp(opts[k].name, a, len))
				break;
		if (k == nopts) {
			pvs_err("unknown option '--%.*s'", (int)len, a);
			return -EINVAL;
		}
		if (!opts[k].has_arg) {
			if (eq) {
				pvs_err("option '--%s' takes no value",
					opts[k].name);
				return -EINVAL;
			}
			opts[k].val = "";
		} else if (eq) {
			opts[k].val = eq + 1;
		} else if (i + 1 < argc) {
			opts[k].val = argv[++i];
		} else {
			pvs_err("option '--%s' needs a value", opts[k].name);
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * pvs_cmd_args() - what every command does with its arguments first
 * @argc: argument count
 * @argv: arguments after the command name
 * @opts: its options, "help" among them
 * @nopts: how many
 * @pos: positional arguments, filled
 * @min: positional arguments required
 * @max: positional arguments accepted
 * @npos: positional arguments found
 * @usage: the command's usage text
 *
 * Return: -1 to go on, else the exit code to return at once (0 after
 * --help, PVS_EXIT_USAGE for bad usage).
 */
int pvs_cmd_args(int argc, char *const *argv, struct pvs_opt *opts,
		 unsigned int nopts, const char **pos, unsigned int min,
		 unsigned int max, unsigned int *npos, const char *usage)
{
	if (pvs_opts_parse(argc, argv, opts, nopts, pos, max, npos))
		return PVS_EXIT_USAGE;
	if (pvs_opt(opts, nopts, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (*npos < min) {
		fputs(usage, stderr);
		return PVS_EXIT_USAGE;
	}
	return -1;
}

const char *pvs_opt(const struct pvs_opt *opts, unsigned int nopts,
		    const char *name)
{
	unsigned int k;

	for (k = 0; k < nopts; k++)
		if (!strcmp(opts[k].name, name))
			return opts[k].val;
	return NULL;
}

/**
 * pvs_parse_mac() - an Ethernet address "xx:xx:xx:xx:xx:xx" (hex, any case)
 * @s: the text
 * @mac: the six bytes
 *
 * A multicast address (low bit of the first byte) cannot name one device,
 * and all zeros names none: both are refused.
 *
 * Return: 0, or -EINVAL.
 */
int pvs_parse_mac(const char *s, unsigned char mac[6])
{
	unsigned int i, any = 0;

	if (!s || strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		const char *p = s + 3 * i;
		char hex[3] = { p[0], p[1], '\0' };

		if (!isxdigit((unsigned char)p[0]) ||
		    !isxdigit((unsigned char)p[1]) ||
		    (i < 5 && p[2] != ':'))
			return -EINVAL;
		mac[i] = (unsigned char)strtoul(hex, NULL, 16);
		any |= mac[i];
	}
	if (!any || (mac[0] & 1))
		return -EINVAL;
	return 0;
}

/**
 * pvs_parse_rate() - a rate limit "BYTES/USEC": at most BYTES every USEC
 * microseconds (both at least 1, USEC at most one hour)
 * Return: 0, or -EINVAL.
 */
int pvs_parse_rate(const char *s, unsigned long long *bytes,
		   unsigned long *usec)
{
	const char *slash = s ? strchr(s, '/') : NULL;
	char num[24];
	unsigned long b;

	if (!slash || slash == s || (size_t)(slash - s) >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, (size_t)(slash - s));
	num[slash - s] = '\0';
	if (pvs_parse_uint(num, (unsigned long)-1, &b) || !b ||
	    pvs_parse_uint(slash + 1, 3600UL * 1000000, usec) || !*usec)
		return -EINVAL;
	*bytes = b;
	return 0;
}
