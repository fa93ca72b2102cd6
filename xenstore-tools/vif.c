// SPDX-License-Identifier: GPL-2.0-only
/*
 * vif.c - pvsplit CLI: the vif device type, a virtual network interface.
 *
 * attach writes the keys libxl writes for a vif= line (mac and handle at
 * both ends, the rate limit, the bridge's name), waits for the back end
 * to create vif<domid>.<devid> and, with --bridge, puts it on the bridge
 * and brings it up, as Xen's vif-bridge script does for xl.  It then
 * writes hotplug-status "connected", which the stock xen-netback waits
 * for before it connects (pvnetback does not need it).  --queues caps the
 * queues pvnetback offers this vif (the key pvsplit-max-queues); the
 * stock back end has one module-wide limit and ignores it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>

#include "cli.h"

#define VIF_MAX_QUEUES	8	/* as pvnetback's max_queues */
#define VIF_WAIT_MS	10000	/* for the back end to create the netdev */
/* what libxl writes as a vif's script when a vif= line names none */
#define VIF_SCRIPT	"/etc/xen/scripts/vif-bridge"

static int vif_parse_devid(const char *s, unsigned int *devid)
{
	unsigned long v;

	if (pvs_parse_uint(s, 65535, &v))
		return -EINVAL;
	*devid = (unsigned int)v;
	return 0;
}

/* [--devid N] [--mac MAC] [--bridge BR] [--queues N] [--rate B/US] */
static int vif_check(struct pvs_dev *d, const char *const *args,
		     const struct pvs_opt *opts, unsigned int nopts)
{
	const char *devid = pvs_opt(opts, nopts, "devid");
	const char *mac = pvs_opt(opts, nopts, "mac");
	const char *br = pvs_opt(opts, nopts, "bridge");
	const char *queues = pvs_opt(opts, nopts, "queues");
	const char *rate = pvs_opt(opts, nopts, "rate");
	unsigned char m[6];
	unsigned long long bytes;
	unsigned long v;

	(void)args;	/* vif takes none */
	if (devid && vif_parse_devid(devid, &d->devid)) {
		pvs_err("bad device id '%s' (0-65535)", devid);
		return PVS_EXIT_USAGE;
	}
	if (mac && pvs_parse_mac(mac, m)) {
		pvs_err("bad MAC address '%s' (xx:xx:xx:xx:xx:xx, unicast, not zero)",
			mac);
		return PVS_EXIT_USAGE;
	}
	if (br && (!*br || strlen(br) >= IFNAMSIZ || strchr(br, '/'))) {
		pvs_err("bad bridge name '%s'", br);
		return PVS_EXIT_USAGE;
	}
	if (queues && (pvs_parse_uint(queues, VIF_MAX_QUEUES, &v) || !v)) {
		pvs_err("queues '%s' out of range (1-%u)", queues,
			VIF_MAX_QUEUES);
		return PVS_EXIT_USAGE;
	}
	if (rate && pvs_parse_rate(rate, &bytes, &v)) {
		pvs_err("bad rate '%s' (BYTES/USEC, both at least 1)", rate);
		return PVS_EXIT_USAGE;
	}
	return 0;
}

/* Xen's 00:16:3e prefix, the rest random (a locally unique guess, as xl). */
static int random_mac(unsigned char m[6])
{
	int fd = open("/dev/urandom", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, m + 3, 3);
	close(fd);
	if (n != 3)
		return -EIO;
	m[0] = 0x00;
	m[1] = 0x16;
	m[2] = 0x3e;
	m[3] &= 0x7f;
	return 0;
}

static bool is_bridge(const char *br)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/class/net/%s/bridge", br);
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* the domain this tool runs in, from its own xenstore directory */
static unsigned int own_domid(struct xs_handle *xs)
{
	unsigned int len;
	unsigned long v = 0;
	char *s = xs_read(xs, XBT_NULL, "domid", &len);

	if (s && pvs_parse_uint(s, PVS_DOMID_MAX, &v))
		v = 0;
	free(s);
	return (unsigned int)v;
}

static int vif_attach(struct xs_handle *xs, struct pvs_dev *d,
		      const char *const *args, const struct pvs_opt *opts,
		      unsigned int nopts)
{
	const char *mac = pvs_opt(opts, nopts, "mac");
	const char *br = pvs_opt(opts, nopts, "bridge");
	const char *queues = pvs_opt(opts, nopts, "queues");
	const char *rate = pvs_opt(opts, nopts, "rate");
	unsigned long long bytes;
	unsigned char m[6];
	unsigned long usec;
	char macs[18];
	int err;

	(void)args;
	if (br) {
		if (d->bdom != own_domid(xs)) {
			pvs_err("--bridge needs the back end in this domain");
			return PVS_EXIT_USAGE;
		}
		if (!is_bridge(br)) {
			pvs_err("no bridge '%s' in this domain", br);
			return PVS_EXIT_FAIL;
		}
	}
	if (!pvs_opt(opts, nopts, "devid")) {
		err = pvs_dev_first_free(xs, d, 65535);
		if (err)
			return err;
	}
	if (mac) {
		pvs_parse_mac(mac, m);	/* vif_check() accepted it */
	} else {
		err = random_mac(m);
		if (err) {
			pvs_err("/dev/urandom: %s", strerror(-err));
			return PVS_EXIT_FAIL;
		}
	}
	snprintf(macs, sizeof(macs), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	pvs_dev_add_key(d, true, "mac", "%s", macs);
	pvs_dev_add_key(d, true, "handle", "%u", d->devid);
	pvs_dev_add_key(d, true, "type", "vif");
	/*
	 * xen-netback will not probe a vif without a script key.  libxl
	 * writes its default there; nothing runs it for us (the bridging
	 * is done here), it only names the script in the back end's uevents.
	 */
	pvs_dev_add_key(d, true, "script", "%s", VIF_SCRIPT);
	if (br)
		pvs_dev_add_key(d, true, "bridge", "%s", br);
	if (rate) {
		pvs_parse_rate(rate, &bytes, &usec);
		/* libxl's form of the key */
		pvs_dev_add_key(d, true, "rate", "%llu,%lu", bytes, usec);
	}
	if (queues)
		pvs_dev_add_key(d, true, "pvsplit-max-queues", "%s", queues);
	pvs_dev_add_key(d, false, "mac", "%s", macs);
	pvs_dev_add_key(d, false, "handle", "%u", d->devid);
	return 0;
}

/* domids and handles fit 16 bits: "vif32751.65535" fits IFNAMSIZ */
static void ifname(const struct pvs_dev *d, char buf[IFNAMSIZ])
{
	snprintf(buf, IFNAMSIZ, "vif%hu.%hu", (unsigned short)d->fdom,
		 (unsigned short)d->devid);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Put @dev on bridge @br and bring it up (what vif-bridge does). */
static int bridge_add(const char *br, const char *dev)
{
	struct ifreq ifr;
	int fd, err = 0;

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFINDEX, &ifr)) {
		err = -errno;
		goto close_fd;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", br);
	if (ioctl(fd, SIOCBRADDIF, &ifr)) {
		err = -errno;
		goto close_fd;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		err = -errno;
		goto close_fd;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr))
		err = -errno;
close_fd:
	close(fd);
	return err;
}

/*
 * The back end in this domain creates the netdev when it probes: wait for
 * it, bridge it, then tell the back end the hotplug work is done.
 */
static int vif_attached(struct xs_handle *xs, const struct pvs_dev *d,
			const struct pvs_opt *opts, unsigned int nopts)
{
	const char *br = pvs_opt(opts, nopts, "bridge");
	long long end = now_ms() + VIF_WAIT_MS;
	char dev[IFNAMSIZ], path[PVS_PATH_MAX];
	struct stat st;
	int err;

	if (d->bdom == own_domid(xs)) {
		ifname(d, dev);
		snprintf(path, sizeof(path), "/sys/class/net/%s", dev);
		while (stat(path, &st)) {
			if (now_ms() >= end) {
				pvs_err("no back end created %s within %d s (is pvnetback or xen-netback loaded?)",
					dev, VIF_WAIT_MS / 1000);
				return PVS_EXIT_FAIL;
			}
			usleep(50000);
		}
		if (br) {
			err = bridge_add(br, dev);
			if (err) {
				pvs_err("adding %s to bridge %s: %s", dev, br,
					strerror(-err));
				return PVS_EXIT_FAIL;
			}
		}
	}
	if (pvs_join(path, sizeof(path), d->be, "hotplug-status") ||
	    !xs_write(xs, XBT_NULL, path, "connected", 9)) {
		pvs_err("writing %s: %s", path, strerror(errno));
		return PVS_EXIT_FAIL;
	}
	return 0;
}

static void show_file(const char *dir, const char *name, const char *label)
{
	char path[PVS_PATH_MAX + 64], val[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f) {
		if (fgets(val, sizeof(val), f))
			val[strcspn(val, "\n")] = '\0';
		fclose(f);
	}
	printf("  %-22s %s\n", label, f ? val : "(absent)");
}

/* The netdev as this domain sees it, when the back end runs here. */
static void vif_show(const struct pvs_dev *d)
{
	char dev[IFNAMSIZ], dir[PVS_PATH_MAX], link[PVS_PATH_MAX];
	unsigned int txq = 0;
	ssize_t n;
	int q;

	ifname(d, dev);
	snprintf(dir, sizeof(dir), "/sys/class/net/%s", dev);
	printf("netdev %s\n", dev);
	if (access(dir, F_OK)) {
		printf("  (absent)\n");
		return;
	}
	show_file(dir, "operstate", "operstate");
	show_file(dir, "carrier", "carrier");
	show_file(dir, "mtu", "mtu");
	show_file(dir, "address", "address");
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/master");
	n = readlink(dir, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	printf("  %-22s %s\n", "bridge", n > 0 ? strrchr(link, '/') + 1 : "(none)");
	for (q = 0; q < 64; q++) {
		snprintf(dir, sizeof(dir), "/sys/class/net/%s/queues/tx-%d", dev, q);
		if (access(dir, F_OK))
			break;
		txq++;
	}
	printf("  %-22s %u\n", "tx-queues", txq);
}

static const struct pvs_opt vif_opts[] = {
	PVS_OPT("devid", true),
	PVS_OPT("mac", true),
	PVS_OPT("bridge", true),
	PVS_OPT("queues", true),
	PVS_OPT("rate", true),
	{ NULL }
};

const struct pvs_devtype pvs_devtype_vif = {
	.name = "vif",
	.usage = "DOMAIN [--devid N] [--mac MAC] [--bridge BR]\n"
		 "[--queues N] [--rate BYTES/USEC] [--backend DOMAIN]\n",
	.help = "vif: --devid defaults to the lowest free id, --mac to a random address in\n"
		"Xen's 00:16:3e range; --bridge puts vif<domid>.<devid> on that bridge;\n"
		"--queues caps pvnetback's queues for this vif (1-8); --rate limits the\n"
		"whole vif to BYTES every USEC microseconds.\n",
	.nr_args = 0,
	.opts = vif_opts,
	.parse_devid = vif_parse_devid,
	.check = vif_check,
	.attach = vif_attach,
	.attached = vif_attached,
	.show = vif_show,
};
