/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.h - the kernel API differences pvsplit meets across the kernels
 * it builds against (Debian 12's 6.1 and 6.12, and newer).  Callers use the
 * pvsplit_* names and never test versions themselves.
 */
#ifndef PVSPLIT_COMPAT_H
#define PVSPLIT_COMPAT_H

#include <linux/version.h>
#include <linux/module.h>

/* Symbol namespaces became string literals in 6.13. */
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
#define PVSPLIT_EXPORT(sym)	EXPORT_SYMBOL_NS_GPL(sym, "PVSPLIT")
#define PVSPLIT_IMPORT_NS()	MODULE_IMPORT_NS("PVSPLIT")
#else
#define PVSPLIT_EXPORT(sym)	EXPORT_SYMBOL_NS_GPL(sym, PVSPLIT)
#define PVSPLIT_IMPORT_NS()	MODULE_IMPORT_NS(PVSPLIT)
#endif

#endif /* PVSPLIT_COMPAT_H */
