/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvbench.h - wire protocol of the pvbench split device (xenbus "pvbench").
 *
 * Frontend xenstore keys (device/pvbench/<id>/):
 *	ring-ref | ring-ref0..N, ring-page-order, event-channel
 * Backend xenstore keys (backend/pvbench/<domid>/<id>/):
 *	max-ring-page-order, max-segments, feature-grant-copy
 *
 * Requests and responses share 64-byte slots of an io/ring.h ring.  All
 * fields are naturally aligned, so 32- and 64-bit guests agree on layout.
 */
#ifndef PVSPLIT_PVBENCH_H
#define PVSPLIT_PVBENCH_H

#include "pvport.h"
#include "pvring.h"

#define PVBENCH_OP_NOP		0	/* answer at once */
#define PVBENCH_OP_WRITE	1	/* backend reads the payload, sums it */
#define PVBENCH_OP_READ		2	/* backend fills the payload */

#define PVBENCH_F_COPY		0x01	/* grant copy instead of grant map */
#define PVBENCH_F_KNOWN		PVBENCH_F_COPY

#define PVBENCH_SEG_SIZE	4096u
#define PVBENCH_MAX_SEGS	11u
#define PVBENCH_MAX_LEN		(PVBENCH_MAX_SEGS * PVBENCH_SEG_SIZE)

#define PVBENCH_RSP_OKAY	0
#define PVBENCH_RSP_ERROR	(-1)
#define PVBENCH_RSP_EOPNOTSUPP	(-2)

struct pvbench_request {
	uint64_t id;
	uint8_t op;
	uint8_t flags;
	uint8_t nr_segs;
	uint8_t pad;
	uint32_t len;			/* payload bytes over nr_segs pages */
	uint32_t seed;			/* pattern seed for READ */
	uint32_t gref[PVBENCH_MAX_SEGS];
};

struct pvbench_response {
	uint64_t id;
	uint8_t op;
	uint8_t pad;
	int16_t status;
	uint32_t csum;			/* checksum of the payload moved */
};

#define PVBENCH_SLOT_SIZE	64u

/* pvbench_ring_take_reqs(), pvbench_ring_rsp(), ...: see pvring.h */
PVRING_DEFINE_TYPES(pvbench_ring, struct pvbench_request, struct pvbench_response)

pv_static_assert(sizeof(union pvbench_ring_slot) == PVBENCH_SLOT_SIZE,
		 "pvbench slots are 64 bytes");
pv_static_assert(sizeof(struct pvbench_request) == PVBENCH_SLOT_SIZE,
		 "pvbench request must fill a 64-byte slot");
pv_static_assert(sizeof(struct pvbench_response) <= PVBENCH_SLOT_SIZE,
		 "pvbench response must fit a slot");

/**
 * pvbench_check_request() - validate a request copied out of the ring
 * @req: the private copy
 * @max_segs: segments this backend accepts (at most PVBENCH_MAX_SEGS)
 *
 * Return: 0 when well formed, -EOPNOTSUPP for an unknown op or flag,
 * -EINVAL for inconsistent lengths or segment counts.
 */
static inline int pvbench_check_request(const struct pvbench_request *req,
					unsigned int max_segs)
{
	uint32_t segs;

	if (req->flags & ~PVBENCH_F_KNOWN)
		return -EOPNOTSUPP;
	switch (req->op) {
	case PVBENCH_OP_NOP:
		return req->nr_segs || req->len ? -EINVAL : 0;
	case PVBENCH_OP_WRITE:
	case PVBENCH_OP_READ:
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (max_segs > PVBENCH_MAX_SEGS)
		max_segs = PVBENCH_MAX_SEGS;
	if (!req->len || req->len > max_segs * PVBENCH_SEG_SIZE)
		return -EINVAL;
	segs = (req->len + PVBENCH_SEG_SIZE - 1) / PVBENCH_SEG_SIZE;
	if (req->nr_segs != segs)
		return -EINVAL;
	return 0;
}

/* Bytes of segment @i of a request carrying @len bytes. */
static inline uint32_t pvbench_seg_len(uint32_t len, unsigned int i)
{
	uint32_t off = i * PVBENCH_SEG_SIZE;

	if (off >= len)
		return 0;
	return len - off < PVBENCH_SEG_SIZE ? len - off : PVBENCH_SEG_SIZE;
}

/*
 * Payload pattern and checksum, the same on both ends so that data moved
 * across domains can be verified.  The checksum folds 64-bit words with
 * FNV-1a; a trailing partial word is zero-padded.
 */
static inline uint64_t pvbench__word(uint32_t seed, uint64_t i)
{
	return (((uint64_t)seed << 32) ^ i) * 0x9e3779b97f4a7c15ull;
}

static inline void pvbench_fill(void *buf, uint32_t off, uint32_t len,
				uint32_t seed)
{
	uint8_t *p = buf;
	uint32_t i;

	/* off and len are multiples of 8 except for a final short tail */
	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w = pvbench__word(seed, (off + i) / 8);

		memcpy(p + i, &w, 8);
	}
	if (i < len) {
		uint64_t w = pvbench__word(seed, (off + i) / 8);

		memcpy(p + i, &w, len - i);
	}
}

static inline uint32_t pvbench_csum(uint32_t h32, const void *buf,
				    uint32_t len)
{
	const uint8_t *p = buf;
	uint64_t h = h32 ? h32 : 0xcbf29ce484222325ull;
	uint32_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
	}
	if (i < len) {
		uint64_t w = 0;

		memcpy(&w, p + i, len - i);
		h = (h ^ w) * 0x100000001b3ull;
	}
	h ^= h >> 32;
	return (uint32_t)h ? (uint32_t)h : 1;
}

#endif /* PVSPLIT_PVBENCH_H */
