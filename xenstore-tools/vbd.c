// SPDX-License-Identifier: GPL-2.0-only
/*
 * vbd.c - pvsplit CLI: what a virtual block device is served from.
 *
 * A block device is served as it is.  A regular file is first bound to a
 * free loop device (read-only for mode r, with the requested logical
 * sector size), whose name is kept in the back end's directory so that
 * detach can let go of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli.h"

static int bind_loop(const char *file, bool ro, unsigned int sector_size,
		     struct pvs_vbd_target *t)
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

/**
 * pvs_vbd_resolve() - find or make the block device behind @path
 * @path: a block device, or a regular file to bind to a loop device
 * @ro: serve read-only
 * @sector_size: logical sector size for a file (512 or 4096)
 * @t: result; t->loop is empty unless a loop device was bound
 *
 * Return: 0 or a negative errno.
 */
int pvs_vbd_resolve(const char *path, bool ro, unsigned int sector_size,
		    struct pvs_vbd_target *t)
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

/**
 * pvs_vbd_release() - unbind a loop device pvs_vbd_resolve() bound
 * @loop: its path (as stored in xenstore; only /dev/loopN is accepted)
 *
 * A loop device still open (the back end did not let go) is unbound by
 * the kernel when its last user closes it.
 */
void pvs_vbd_release(const char *loop)
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
