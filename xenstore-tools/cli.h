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
int pvs_resolve_domain(struct xs_handle *xs, const char *s, unsigned int *domid);
char *pvs_xs_read(struct xs_handle *xs, const char *dir, const char *key);
int pvs_xs_read_state(struct xs_handle *xs, const char *dir);
int pvs_wait_state(struct xs_handle *xs, const char *dir, int state,
		   int timeout_ms);

/* ---- vbd.c: block device targets ---- */
struct pvs_vbd_target {
	unsigned int major, minor;
	char loop[32];		/* loop device bound for a file, or "" */
};

int pvs_vbd_resolve(const char *path, bool ro, unsigned int sector_size,
		    struct pvs_vbd_target *t);
void pvs_vbd_release(const char *loop);

/* ---- commands ---- */
int pvs_cmd_attach(int argc, char **argv);
int pvs_cmd_detach(int argc, char **argv);
int pvs_cmd_list(int argc, char **argv);
int pvs_cmd_show(int argc, char **argv);
int pvs_cmd_wait(int argc, char **argv);
int pvs_cmd_bench(int argc, char **argv);

void pvs_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* PVSPLIT_CLI_H */
