/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli.h - pvsplit command-line tool: shared declarations.
 */
#ifndef PVSPLIT_CLI_H
#define PVSPLIT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pvstats.h"

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
	char short_name;	/* also "-X" (0: none) */
};

#define PVS_OPT(n, arg)	{ .name = (n), .has_arg = (arg) }
#define PVS_OPT_SHORT(n, s, arg) { .name = (n), .has_arg = (arg), .short_name = (s) }

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

/* ---- counters.c: every pvsplit device's counters, both ends ---- */

/**
 * struct pvs_drv - where one of our drivers keeps its counters
 * @driver: driver name (the sysfs driver link's last part)
 * @type: xenbus device type
 * @back: a back end (bus xen-backend) rather than a front end (bus xen)
 * @front_dir: a front end's debugfs directory under pvsplit/, before the
 *	       device's sysfs name (NULL: none); a back end's is
 *	       "<driver>-<domid>-<devid>"
 * @ring_prefix: per-ring debugfs subdirectories "<prefix><N>" (NULL: the
 *		 device's debugfs directory is its one ring)
 * @ring_files: ring files of common/stats.c in a ring directory (summed)
 * @hist: latency histogram file in a ring directory (NULL: none)
 * @dev_req, @dev_sect, @dev_bytes, @dev_err: sysfs files of the device
 *	(requests, 512-byte sectors, bytes, errors) summed
 * @dev_state: sysfs file of the device with its driver's own state
 * @netdev: the device has a netdev under net/ with statistics/
 * @ring_pkts, @ring_sect, @ring_bytes, @ring_err: per-ring debugfs
 *	counter files summed; packets replace ring slots as requests
 */
struct pvs_drv {
	const char *driver, *type;
	bool back;
	const char *front_dir, *ring_prefix;
	const char *const *ring_files;
	const char *hist;
	const char *const *dev_req, *const *dev_sect, *const *dev_bytes;
	const char *const *dev_err;
	const char *dev_state;
	bool netdev;
	const char *const *ring_pkts, *const *ring_sect, *const *ring_bytes;
	const char *const *ring_err;
};

/* Figures over an interval; -1 where there is nothing to show. */
struct pvs_rate {
	double req_s, mb_s, batch, ntf_req, p50_ns, p99_ns;
};

/**
 * struct pvs_ring - one ring (a vif: one queue, its two rings summed)
 * @index: N of ring<N> / queue<N>
 * @reqs: requests (a vif: packets both ways)
 * @reqs_slots: slots consumed by this end
 * @bytes: payload bytes, if @has_bytes
 * @batches: passes that consumed at least one slot
 * @notify_sent: notifications sent to the peer
 * @wakeups: notifications received
 * @proto_errors: peer protocol violations
 * @errors: those and the driver's per-ring error counters
 * @broken: the ring stopped on a protocol error
 * @lat: request latency (ns), if @has_lat
 * @rate: filled by pvs_rates()
 */
struct pvs_ring {
	unsigned int index;
	uint64_t reqs, reqs_slots, bytes, batches, notify_sent, wakeups;
	uint64_t proto_errors, errors;
	bool has_bytes, broken, has_lat;
	struct pvhist lat;
	struct pvs_rate rate;
};

/**
 * struct pvs_sdev - one device, one end
 * @drv: its driver
 * @domid: the guest (front-end domain); -1: unknown
 * @devid: device id
 * @name: "<type>-<devid>"
 * @state: xenbus state, lower case
 * @detail: the driver's own state (pvblkfront: disk_state), or ""
 * @netdev: a vif's interface name, or ""
 * @reqs etc.: totals, as in struct pvs_ring; @has_* say which are known
 * @rings: its rings, by index
 * @nr_rings: how many
 * @rate: filled by pvs_rates()
 */
struct pvs_sdev {
	const struct pvs_drv *drv;
	int domid;
	unsigned int devid;
	char name[48], state[24], detail[24], netdev[24];
	uint64_t reqs, reqs_slots, bytes, batches, notify_sent, wakeups;
	uint64_t errors;
	bool has_reqs, has_bytes, has_errors, broken, has_lat;
	struct pvhist lat;
	struct pvs_ring *rings;
	unsigned int nr_rings;
	struct pvs_rate rate;
};

struct pvs_sample {
	uint64_t t_ns;
	struct pvs_sdev *devs;
	unsigned int nr_devs;
};

struct pvs_collect {
	char root[PVS_PATH_MAX], dbg_root[PVS_PATH_MAX + 32];
	int self_domid;
};

const struct pvs_drv *pvs_drv_find(const char *name);
int pvs_read_u64(const char *path, uint64_t *v);
int pvs_parse_ring(FILE *f, struct pvs_ring *r);
int pvs_parse_hist(FILE *f, struct pvhist *h);
void pvs_collect_init(struct pvs_collect *c, const char *root, int self_domid);
int pvs_collect(const struct pvs_collect *c, struct pvs_sample *s,
		uint64_t now_ns);
void pvs_dev_fold_rings(struct pvs_sdev *d);
void pvs_sample_free(struct pvs_sample *s);
void pvs_rates(struct pvs_sample *now, const struct pvs_sample *then);
int pvs_dev_cmp_name(const void *a, const void *b);
void pvs_sort_by_load(struct pvs_sample *s);
int pvs_self_domid(void);
uint64_t pvs_now_ns(void);

/* ---- stats.c: machine-readable output ---- */
void pvs_label_escape(FILE *f, const char *s);
void pvs_stats_json(FILE *f, const struct pvs_sample *s, long long unix_time);
void pvs_stats_prometheus(FILE *f, const struct pvs_sample *s);
const char *pvs_root(void);

/* ---- top.c: the live view ---- */
int pvs_fmt_count(char *buf, size_t n, double v);
int pvs_fmt_ns(char *buf, size_t n, double ns);
void pvs_top_render(FILE *f, const struct pvs_sample *s, unsigned int width,
		    double interval);

/* ---- commands ---- */
int pvs_cmd_attach(int argc, char **argv);
int pvs_cmd_detach(int argc, char **argv);
int pvs_cmd_list(int argc, char **argv);
int pvs_cmd_show(int argc, char **argv);
int pvs_cmd_wait(int argc, char **argv);
int pvs_cmd_bench(int argc, char **argv);
int pvs_cmd_top(int argc, char **argv);
int pvs_cmd_stats(int argc, char **argv);

void pvs_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* PVSPLIT_CLI_H */
