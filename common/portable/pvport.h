/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvport.h - the few primitives the portable code needs, from the kernel
 * when built as part of a module, from the C library otherwise.
 *
 * Everything under common/portable/ includes only this header (and its
 * siblings) so that one source is unit-tested, fuzzed and benchmarked in
 * userspace and runs unchanged in the kernel.
 */
#ifndef PVSPLIT_PVPORT_H
#define PVSPLIT_PVPORT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/build_bug.h>
#include <linux/string.h>
#include <asm/barrier.h>

/*
 * Barriers between two guests sharing memory, as Xen's ring.h uses them:
 * pv_rmb() orders index loads before slot loads, pv_wmb() slot stores
 * before index stores, pv_mb() an index store before the event load.
 */
#define pv_rmb()	virt_rmb()	/* index loads before slot loads */
#define pv_wmb()	virt_wmb()	/* slot stores before index stores */
#define pv_mb()		virt_mb()	/* index store before event load */
#define pv_static_assert(expr, msg) static_assert(expr, msg)

#else /* userspace */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef READ_ONCE
/* one untorn access the compiler may not merge, split or repeat */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#endif
#ifndef likely
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#endif

/*
 * Same strength as the kernel's virt_*(): rmb orders loads, wmb orders
 * stores, mb also orders a store before a later load.
 */
#if defined(__x86_64__)
/* x86 orders loads and stores alike; only store-load needs a locked op. */
#define pv_rmb()	__atomic_signal_fence(__ATOMIC_SEQ_CST)
#define pv_wmb()	__atomic_signal_fence(__ATOMIC_SEQ_CST)
static inline void pv_mb(void)
{
	/* a locked op is a full barrier, cheaper than mfence */
	__asm__ __volatile__("lock addl $0, -32(%%rsp)" ::: "memory", "cc");
}
#else
#define pv_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define pv_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define pv_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#define pv_static_assert(expr, msg) _Static_assert(expr, msg)

#endif /* __KERNEL__ */

/*
 * Loads and stores of wire fields at any alignment, in the host's byte
 * order (Xen's rings are native-endian): a private copy of a slot is read
 * through these, never cast to a struct.
 */
static inline uint16_t pv_ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t pv_ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t pv_ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void pv_st16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void pv_st32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void pv_st64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

#endif /* PVSPLIT_PVPORT_H */
