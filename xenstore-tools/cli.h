/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli.h - pvsplit command-line tool: shared declarations.
 */
#ifndef PVSPLIT_CLI_H
#define PVSPLIT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Exit codes: 0 ok, 1 the operation failed, 2 bad usage. */
#define PVS_EXIT_FAIL	1
#define PVS_EXIT_USAGE	2

#define PVS_PATH_MAX	256
#define PVS_DOMID_MAX	0x7fef		/* DOMID_FIRST_RESERVED - 1 */

/* xenbus states, as in io/xenbus.h */
enum pvs_state {
	PVS_UNKNOWN = 0, PVS_INITIALISING, PVS_INITWAIT, PVS_INITIALISED,
	PVS_CONNECTED, PVS_CLOSING, PVS_CLOSED, PVS_RECONFIGURING,
	PVS_RECONFIGURED,
};

/* ---- args.c: parsing, no I/O ---- */
int pvs_parse_uint(const char *s, unsigned long max, unsigned long *out);
int pvs_parse_state(const char *s);
const char *pvs_state_name(int state);
struct pvs_devtype;
const struct pvs_devtype *pvs_devtype(const char *name);
bool pvs_known_type(const char *type);
int pvs_parse_devid(const char *type, const char *s, unsigned int *devid);
int pvs_parse_vdev(const char *s, unsigned int *vdev);
int pvs_vdev_name(unsigned int vdev, char *buf, size_t n);
int pvs_fe_path(char *buf, size_t n, unsigned int fdom, const char *type,
		unsigned int devid);
int pvs_be_path(char *buf, size_t n, unsigned int bdom, const char *type,
		unsigned int fdom, unsigned int devid);
bool pvs_domain_name_ok(const char *s);
int pvs_join(char *buf, size_t n, const char *dir, const char *key);
int pvs_parse_mac(const char *s, unsigned char mac[6]);
int pvs_parse_rate(const char *s, unsigned long long *bytes,
		   unsigned long *usec);

/*
 * Options shared by the commands: "--name value" pairs and flags after
 * the positional arguments.  pvs_opts_parse() fills them.
 */
struct pvs_opt {
	const char *name;	/* without the leading "--" */
	bool has_arg;
	const char *val;	/* filled: the value, or "" for a flag seen */
};

#define PVS_OPT(n, arg)	{ .name = (n), .has_arg = (arg) }

int pvs_opts_parse(int argc, char *const *argv, struct pvs_opt *opts,
		   unsigned int nopts, const char **pos, unsigned int maxpos,
		   unsigned int *npos);
int pvs_cmd_args(int argc, char *const *argv, struct pvs_opt *opts,
		 unsigned int nopts, const char **pos, unsigned int min,
		 unsigned int max, unsigned int *npos, const char *usage);
const char *pvs_opt(const struct pvs_opt *opts, unsigned int nopts,
		    const char *name);

/* ---- xs.c: xenstore and domain access ---- */
struct xs_handle;
struct xs_handle *pvs_xs_open(void);
bool pvs_xs_exists(struct xs_handle *xs, const char *path);
int pvs_resolve_domain(struct xs_handle *xs, const char *s, unsigned int *domid);
char *pvs_xs_read(struct xs_handle *xs, const char *dir, const char *key);
int pvs_xs_read_state(struct xs_handle *xs, const char *dir);
int pvs_wait_state(struct xs_handle *xs, const char *dir, int state,
		   int timeout_ms);

/* ---- attach.c: one device, as the commands and device types see it ---- */

/* A key beyond the common ones, for the back (@be) or front directory. */
struct pvs_key {
	bool be;
	const char *key;
	char val[PVS_PATH_MAX];
};

#define PVS_MAX_KEYS	16

/**
 * struct pvs_dev - one device of one guest
 * @type: its type
 * @fdom: the guest (front end)
 * @bdom: the back-end domain
 * @devid: the device id, the last part of both directories' paths
 * @fe: front-end directory
 * @be: back-end directory
 * @keys: the type's own keys: attach writes them, detach may read some
 * @nr_keys: how many
 */
struct pvs_dev {
	const struct pvs_devtype *type;
	unsigned int fdom, bdom, devid;
	char fe[PVS_PATH_MAX], be[PVS_PATH_MAX];
	struct pvs_key keys[PVS_MAX_KEYS];
	unsigned int nr_keys;
};

int pvs_dev_paths(struct pvs_dev *d);
int pvs_dev_first_free(struct xs_handle *xs, struct pvs_dev *d,
		       unsigned int max);
void pvs_dev_add_key(struct pvs_dev *d, bool be, const char *key,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
const char *pvs_dev_key(const struct pvs_dev *d, bool be, const char *key);

/**
 * struct pvs_devtype - a device type: everything the commands do that
 * depends on it.  pvs_devtypes[] (args.c) lists them; each lives in its
 * own file (pvbench.c, vbd.c).
 * @name: TYPE on the command line, and the xenstore directory name
 * @usage: attach's arguments after TYPE, lines after the first indented
 *	   by the caller
 * @help: what attach's usage says about this type
 * @nr_args: positional arguments attach takes after DOMAIN
 * @opts: attach options of this type only (empty name ends them)
 * @parse_devid: DEVID as detach, show and wait take it -> device id
 * @check: attach, before any I/O: check @args and the options; may set
 *	   @d->devid.  Return 0, or an exit code with a message printed.
 * @attach: attach, both domains known: set @d->devid if @check did not,
 *	    and add the type's keys.  Return 0 or an exit code.
 * @detach: detach, nodes still there: read into @d what @release needs
 *	    (NULL: nothing to do)
 * @release: let go of what @attach took, after a detach or a failed
 *	     attach (NULL: nothing)
 * @attached: attach, once both directories are written: finish what
 *	      needs the back end's device (NULL: nothing).  Return 0, or an
 *	      exit code with a message printed: the nodes are removed again.
 * @show: show, after both directories: what else this end knows about
 *	  the device (NULL: nothing)
 */
struct pvs_devtype {
	const char *name;
	const char *usage;
	const char *help;
	unsigned int nr_args;
	const struct pvs_opt *opts;
	int (*parse_devid)(const char *s, unsigned int *devid);
	int (*check)(struct pvs_dev *d, const char *const *args,
		     const struct pvs_opt *opts, unsigned int nopts);
	int (*attach)(struct xs_handle *xs, struct pvs_dev *d,
		      const char *const *args, const struct pvs_opt *opts,
		      unsigned int nopts);
	void (*detach)(struct xs_handle *xs, struct pvs_dev *d);
	void (*release)(const struct pvs_dev *d);
	int (*attached)(struct xs_handle *xs, const struct pvs_dev *d,
			const struct pvs_opt *opts, unsigned int nopts);
	void (*show)(const struct pvs_dev *d);
};

extern const struct pvs_devtype *const pvs_devtypes[];
extern const struct pvs_devtype pvs_devtype_pvbench;
extern const struct pvs_devtype pvs_devtype_vbd;
extern const struct pvs_devtype pvs_devtype_vif;

/* ---- commands ---- */
int pvs_cmd_attach(int argc, char **argv);
int pvs_cmd_detach(int argc, char **argv);
int pvs_cmd_list(int argc, char **argv);
int pvs_cmd_show(int argc, char **argv);
int pvs_cmd_wait(int argc, char **argv);
int pvs_cmd_bench(int argc, char **argv);

void pvs_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* PVSPLIT_CLI_H */
