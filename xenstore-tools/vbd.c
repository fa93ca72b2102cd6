// SPDX-License-Identifier: GPL-2.0-only
/*
 * vbd.c - pvsplit CLI: the vbd device type, a virtual block device.
 *
 * Its id is the virtual-device number, given as a disk name or a number.
 * A block device is served as it is.  A regular file is first bound to a
 * free loop device (read-only for mode r, with the requested logical
 * sector size), whose name is kept in the back end's directory so that
 * detach can let go of it.  show adds what pvblkback negotiated, from
 * its sysfs files.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli.h"

struct vbd_target {
	unsigned int major, minor;
	char loop[32];		/* loop device bound for a file, or "" */
};

static int bind_loop(const char *file, bool ro, unsigned int sector_size,
		     struct vbd_target *t)
{
	struct loop_config cfg;
	int ctl, nr, fd, lfd, err;
	struct stat st;

	fd = open(file, ro ? O_RDONLY : O_RDWR);
	if (fd < 0)
		return -errno;
	ctl = open("/dev/loop-control", O_RDWR);
	if (ctl < 0) {
		err = -errno;
		goto close_fd;
	}
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (nr < 0) {
		err = -errno;
		goto close_fd;
	}
	snprintf(t->loop, sizeof(t->loop), "/dev/loop%d", nr);
	lfd = open(t->loop, ro ? O_RDONLY : O_RDWR);
	if (lfd < 0) {
		err = -errno;
		goto close_fd;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = (unsigned int)fd;
	cfg.block_size = sector_size;
	cfg.info.lo_flags = ro ? LO_FLAGS_READ_ONLY : 0;
	snprintf((char *)cfg.info.lo_file_name, sizeof(cfg.info.lo_file_name),
		 "%s", file);
	err = ioctl(lfd, LOOP_CONFIGURE, &cfg) ? -errno : 0;
	if (!err && fstat(lfd, &st))
		err = -errno;
	close(lfd);
	if (!err) {
		t->major = major(st.st_rdev);
		t->minor = minor(st.st_rdev);
	}
close_fd:
	close(fd);
	return err;
}

/*
 * vbd_resolve() - find or make the block device behind @path
 * @path: a block device, or a regular file to bind to a loop device
 * @ro: serve read-only
 * @sector_size: logical sector size for a file (512 or 4096)
 * @t: result; t->loop is empty unless a loop device was bound
 *
 * Return: 0 or a negative errno.
 */
static int vbd_resolve(const char *path, bool ro, unsigned int sector_size,
		       struct vbd_target *t)
{
	struct stat st;

	memset(t, 0, sizeof(*t));
	if (stat(path, &st))
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		if (sector_size != 512)
			return -EINVAL;	/* a device has its own */
		t->major = major(st.st_rdev);
		t->minor = minor(st.st_rdev);
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return -ENOTBLK;
	return bind_loop(path, ro, sector_size, t);
}

/*
 * release_loop() - unbind a loop device vbd_resolve() bound
 * @loop: its path (as stored in xenstore; only /dev/loopN is accepted)
 *
 * A loop device still open (the back end did not let go) is unbound by
 * the kernel when its last user closes it.
 */
static void release_loop(const char *loop)
{
	unsigned long n;
	int fd;

	if (strncmp(loop, "/dev/loop", 9) || pvs_parse_uint(loop + 9, 1u << 20, &n))
		return;
	fd = open(loop, O_RDONLY);
	if (fd < 0)
		return;
	if (ioctl(fd, LOOP_CLR_FD, 0) && errno != ENXIO)
		pvs_err("releasing %s: %s", loop, strerror(errno));
	close(fd);
}

/* VDEV TARGET [--mode r|w] [--sector-size 512|4096], before any I/O */
static int vbd_check(struct pvs_dev *d, const char *const *args,
		     const struct pvs_opt *opts, unsigned int nopts)
{
	const char *mode = pvs_opt(opts, nopts, "mode") ?: "w";
	const char *ss = pvs_opt(opts, nopts, "sector-size");
	unsigned long sector_size;
	char name[16];

	if (pvs_parse_vdev(args[0], &d->devid) ||
	    pvs_vdev_name(d->devid, name, sizeof(name))) {
		pvs_err("bad virtual device '%s'", args[0]);
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
	return 0;
}

/* Binds a loop device for a file; the keys xl's block script would write. */
static int vbd_attach(struct xs_handle *xs, struct pvs_dev *d,
		      const char *const *args, const struct pvs_opt *opts,
		      unsigned int nopts)
{
	const char *mode = pvs_opt(opts, nopts, "mode") ?: "w";
	const char *ss = pvs_opt(opts, nopts, "sector-size");
	const char *target = args[1];
	unsigned long sector_size = 512;
	struct vbd_target t;
	char name[16];
	int err;

	(void)xs;	/* the keys go in with the common ones */
	/* vbd_check() accepted both */
	pvs_vdev_name(d->devid, name, sizeof(name));
	if (ss)
		pvs_parse_uint(ss, 4096, &sector_size);
	err = vbd_resolve(target, !strcmp(mode, "r"),
			  (unsigned int)sector_size, &t);
	if (err) {
		pvs_err("%s: %s", target, strerror(-err));
		return PVS_EXIT_FAIL;
	}
	pvs_dev_add_key(d, true, "params", "%s", target);
	pvs_dev_add_key(d, true, "mode", "%s", mode);
	pvs_dev_add_key(d, true, "type", "phy");
	pvs_dev_add_key(d, true, "device-type", "disk");
	pvs_dev_add_key(d, true, "dev", "%s", name);	/* xen-blkback needs it */
	pvs_dev_add_key(d, true, "physical-device", "%x:%x", t.major, t.minor);
	if (t.loop[0])
		pvs_dev_add_key(d, true, "pvsplit-loop", "%s", t.loop);
	pvs_dev_add_key(d, false, "virtual-device", "%u", d->devid);
	pvs_dev_add_key(d, false, "device-type", "disk");
	return 0;
}

/* The loop device attach bound, for vbd_release() once the nodes are gone. */
static void vbd_detach(struct xs_handle *xs, struct pvs_dev *d)
{
	char *loop = pvs_xs_read(xs, d->be, "pvsplit-loop");

	if (loop)
		pvs_dev_add_key(d, true, "pvsplit-loop", "%s", loop);
	free(loop);
}

static void vbd_release(const struct pvs_dev *d)
{
	const char *loop = pvs_dev_key(d, true, "pvsplit-loop");

	if (loop)
		release_loop(loop);
}

static int no_dots(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/*
 * pvblkback's negotiated/ files, one value each, when it serves the disk
 * from this domain (the stock back end has none).
 */
static void vbd_show(const struct pvs_dev *d)
{
	char dir[PVS_PATH_MAX];
	struct dirent **names;
	int i, n;

	snprintf(dir, sizeof(dir),
		 "/sys/bus/xen-backend/devices/vbd-%u-%u/negotiated",
		 d->fdom, d->devid);
	printf("negotiated %s\n", dir);
	n = scandir(dir, &names, no_dots, alphasort);
	if (n < 0) {
		printf("  (absent)\n");
		return;
	}
	for (i = 0; i < n; i++) {
		char path[PVS_PATH_MAX + 256], val[64] = "";
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		f = fopen(path, "r");
		if (f) {
			if (fgets(val, sizeof(val), f))
				val[strcspn(val, "\n")] = '\0';
			fclose(f);
		}
		printf("  %-22s %s\n", names[i]->d_name, f ? val : "(unreadable)");
		free(names[i]);
	}
	free(names);
}

static const struct pvs_opt vbd_opts[] = {
	PVS_OPT("mode", true),
	PVS_OPT("sector-size", true),
	{ NULL }
};

const struct pvs_devtype pvs_devtype_vbd = {
	.name = "vbd",
	.usage = "DOMAIN VDEV TARGET [--mode r|w]\n"
		 "[--sector-size 512|4096] [--backend DOMAIN]\n",
	.help = "vbd: VDEV is a disk name (xvdb) or number; TARGET a block device, or a\n"
		"file bound to a loop device (with --sector-size) for as long as the disk\n"
		"is attached; --mode defaults to w.\n",
	.nr_args = 2,
	.opts = vbd_opts,
	.parse_devid = pvs_parse_vdev,
	.check = vbd_check,
	.attach = vbd_attach,
	.detach = vbd_detach,
	.release = vbd_release,
	.show = vbd_show,
};
