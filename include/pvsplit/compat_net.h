/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat_net.h - network API differences between the kernels pvnet builds
 * against: the page_pool header moved into net/page_pool/ in 6.6.
 */
#ifndef PVSPLIT_COMPAT_NET_H
#define PVSPLIT_COMPAT_NET_H

#include <linux/version.h>

#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

#endif /* PVSPLIT_COMPAT_NET_H */
