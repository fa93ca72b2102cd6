/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvblkif.h - the Xen blkif wire protocol (io/blkif.h), decoded and checked
 * the same way by both pvblk ends, in the kernel and in userspace tests.
 *
 * Requests travel in 112-byte slots (x86_64 ABI) or 108-byte slots (x86_32
 * ABI, "protocol" = "x86_32-abi").  The layouts differ only in where the
 * 64-bit fields start, so one decoder takes the ABI's body offset:
 *
 *   offset (64/32)  read/write          discard       indirect
 *   0               operation           operation     operation (6)
 *   1               nr_segments         flag          indirect_op
 *   2               handle (u16)        -             nr_segments (u16)
 *   8 / 4           id (u64)            id            id
 *   16 / 12         sector_number       sector        sector
 *   24 / 20         seg[11] (8 bytes)   nr_sectors    handle, pad, grefs[8]
 *
 * Responses are {u64 id; u8 operation; s16 status} in both ABIs.
 *
 * Nothing here trusts a byte of the slot: the caller copies the slot out
 * once (pvring consume), decodes the copy, then checks the decoded request
 * against the device's limits before acting on any field.
 */
#ifndef PVSPLIT_PVBLKIF_H
#define PVSPLIT_PVBLKIF_H

#include "pvport.h"
#include "pvring.h"

#define PVBLK_OP_READ			0
#define PVBLK_OP_WRITE			1
#define PVBLK_OP_WRITE_BARRIER		2
#define PVBLK_OP_FLUSH_DISKCACHE	3
#define PVBLK_OP_DISCARD		5
#define PVBLK_OP_INDIRECT		6

#define PVBLK_DISCARD_SECURE		0x01

#define PVBLK_RSP_OKAY			0
#define PVBLK_RSP_ERROR			(-1)
#define PVBLK_RSP_EOPNOTSUPP		(-2)

#define PVBLK_MAX_SEGS			11u	/* segments in a direct request */
#define PVBLK_MAX_INDIRECT_PAGES	8u	/* grefs in an indirect request */
#define PVBLK_SEG_SIZE			8u	/* bytes of one segment descriptor */
#define PVBLK_SEGS_PER_PAGE		(PVRING_PAGE_SIZE / PVBLK_SEG_SIZE)
#define PVBLK_MAX_INDIRECT_SEGS \
	(PVBLK_MAX_INDIRECT_PAGES * PVBLK_SEGS_PER_PAGE)
#define PVBLK_SECTOR_SHIFT		9	/* blkif sectors are 512 bytes */
#define PVBLK_SECTORS_PER_PAGE		(PVRING_PAGE_SIZE >> PVBLK_SECTOR_SHIFT)

/* xenstore "info" bits */
#define PVBLK_VDISK_CDROM		0x1
#define PVBLK_VDISK_REMOVABLE		0x2
#define PVBLK_VDISK_READONLY		0x4

enum pvblk_abi {
	PVBLK_ABI_64,		/* x86_64-abi, also the native layout */
	PVBLK_ABI_32,		/* x86_32-abi */
};

#define PVBLK_SLOT_64		112u
#define PVBLK_SLOT_32		108u
#define PVBLK_RSP_SIZE		12u	/* bytes a response writes */

static inline size_t pvblk_slot_size(enum pvblk_abi abi)
{
	return abi == PVBLK_ABI_32 ? PVBLK_SLOT_32 : PVBLK_SLOT_64;
}

/* Offset of the per-operation body: where seg[] / nr_sectors start. */
static inline size_t pvblk__body(enum pvblk_abi abi)
{
	return abi == PVBLK_ABI_32 ? 20 : 24;
}

/**
 * struct pvblk_seg - one data segment: part of a granted 4 KiB page
 * @gref: grant reference of the page
 * @first_sect: first 512-byte sector of the page used (0-7)
 * @last_sect: last sector used, inclusive
 */
struct pvblk_seg {
	uint32_t gref;
	uint8_t first_sect;
	uint8_t last_sect;
};

/**
 * struct pvblk_req - a request, decoded from a private copy of its slot
 * @id: opaque, echoed in the response
 * @sector: first 512-byte sector on the disk
 * @nr_sectors: discard: as given; read/write: set by pvblk_check_segs()
 * @op: operation as on the wire (PVBLK_OP_*)
 * @data_op: the operation moving data: @op, or the indirect_op
 * @flag: discard flags
 * @nr_segs: data segments
 * @handle: the front end's device handle (unused by Linux back ends)
 * @nr_indirect: pages of segment descriptors (indirect requests)
 * @indirect_gref: their grant references
 * @seg: direct segments
 */
struct pvblk_req {
	uint64_t id;
	uint64_t sector;
	uint64_t nr_sectors;
	uint8_t op;
	uint8_t data_op;
	uint8_t flag;
	uint16_t nr_segs;
	uint16_t handle;
	uint8_t nr_indirect;
	uint32_t indirect_gref[PVBLK_MAX_INDIRECT_PAGES];
	struct pvblk_seg seg[PVBLK_MAX_SEGS];
};

/**
 * struct pvblk_limits - what a back end accepts for one device
 * @capacity: size in 512-byte sectors
 * @lbs_sectors: logical block size in 512-byte sectors (1 or 8)
 * @max_indirect_segs: 0 when indirect requests are not offered
 * @readonly: writes, flushes and discards are refused
 * @flush: FLUSH_DISKCACHE offered
 * @barrier: WRITE_BARRIER offered
 * @discard: DISCARD offered
 * @secure: secure discard offered
 */
struct pvblk_limits {
	uint64_t capacity;
	uint32_t lbs_sectors;
	uint32_t max_indirect_segs;
	bool readonly;
	bool flush;
	bool barrier;
	bool discard;
	bool secure;
};

/**
 * pvblk_decode_seg() - read one 8-byte segment descriptor
 * @p: descriptor (direct in the slot copy, or in a copied indirect page)
 * @s: result
 */
static inline void pvblk_decode_seg(const uint8_t *p, struct pvblk_seg *s)
{
	s->gref = pv_ld32(p);
	s->first_sect = p[4];
	s->last_sect = p[5];
}

/**
 * pvblk_decode_req() - decode a private copy of a request slot
 * @slot: the copy, pvblk_slot_size(@abi) bytes
 * @abi: layout the front end declared
 * @r: result; fields an operation does not have are zero
 *
 * Decoding never fails; pvblk_check_req() judges the result.
 */
static inline void pvblk_decode_req(const void *slot, enum pvblk_abi abi,
				    struct pvblk_req *r)
{
	const uint8_t *p = slot;
	size_t b = pvblk__body(abi);
	uint32_t i, n;

	memset(r, 0, sizeof(*r));
	r->op = p[0];
	r->id = pv_ld64(p + b - 16);
	r->sector = pv_ld64(p + b - 8);
	switch (r->op) {
	case PVBLK_OP_DISCARD:
		r->data_op = r->op;
		r->flag = p[1];
		r->nr_sectors = pv_ld64(p + b);
		break;
	case PVBLK_OP_INDIRECT:
		r->data_op = p[1];
		r->nr_segs = pv_ld16(p + 2);
		r->handle = pv_ld16(p + b);
		n = (r->nr_segs + PVBLK_SEGS_PER_PAGE - 1) / PVBLK_SEGS_PER_PAGE;
		r->nr_indirect = n > PVBLK_MAX_INDIRECT_PAGES ?
				 PVBLK_MAX_INDIRECT_PAGES + 1 : (uint8_t)n;
		for (i = 0; i < PVBLK_MAX_INDIRECT_PAGES; i++)
			r->indirect_gref[i] = pv_ld32(p + b + 4 + 4 * i);
		break;
	default:
		r->data_op = r->op;
		r->nr_segs = p[1];
		r->handle = pv_ld16(p + 2);
		n = r->nr_segs < PVBLK_MAX_SEGS ? r->nr_segs : PVBLK_MAX_SEGS;
		for (i = 0; i < n; i++)
			pvblk_decode_seg(p + b + PVBLK_SEG_SIZE * i, &r->seg[i]);
		break;
	}
}

/* Does @op write to the disk (and so needs a writable device)? */
static inline bool pvblk_op_writes(uint8_t op)
{
	return op == PVBLK_OP_WRITE || op == PVBLK_OP_WRITE_BARRIER ||
	       op == PVBLK_OP_FLUSH_DISKCACHE || op == PVBLK_OP_DISCARD;
}

static inline bool pvblk__in_disk(uint64_t sector, uint64_t n, uint64_t cap)
{
	return sector <= cap && n <= cap - sector;
}

/**
 * pvblk_check_req() - judge a decoded request before any of it is used
 * @r: decoded request
 * @lim: what the device accepts
 *
 * Checks the operation, the features it needs, the segment count and, for
 * discard, the range.  Segments are checked by pvblk_check_segs() once
 * they are at hand (indirect ones live in granted pages).
 *
 * Return: 0; -EOPNOTSUPP for an operation not offered; -EROFS for a
 * modification of a read-only disk; -EINVAL for a malformed request;
 * -ERANGE for a range beyond the disk.
 */
static inline int pvblk_check_req(const struct pvblk_req *r,
				  const struct pvblk_limits *lim)
{
	uint64_t align = lim->lbs_sectors ? lim->lbs_sectors - 1 : 0;

	switch (r->op) {
	case PVBLK_OP_READ:
	case PVBLK_OP_WRITE:
		if (!r->nr_segs || r->nr_segs > PVBLK_MAX_SEGS)
			return -EINVAL;
		break;
	case PVBLK_OP_WRITE_BARRIER:
	case PVBLK_OP_FLUSH_DISKCACHE:
		if (r->op == PVBLK_OP_WRITE_BARRIER ? !lim->barrier : !lim->flush)
			return -EOPNOTSUPP;
		if (r->nr_segs > PVBLK_MAX_SEGS)
			return -EINVAL;
		break;
	case PVBLK_OP_DISCARD:
		if (!lim->discard ||
		    ((r->flag & PVBLK_DISCARD_SECURE) && !lim->secure))
			return -EOPNOTSUPP;
		if (r->flag & ~PVBLK_DISCARD_SECURE)
			return -EINVAL;
		break;
	case PVBLK_OP_INDIRECT:
		if (!lim->max_indirect_segs)
			return -EOPNOTSUPP;
		if (r->data_op != PVBLK_OP_READ && r->data_op != PVBLK_OP_WRITE)
			return -EINVAL;
		if (!r->nr_segs || r->nr_segs > lim->max_indirect_segs ||
		    r->nr_indirect > PVBLK_MAX_INDIRECT_PAGES)
			return -EINVAL;
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (lim->readonly && pvblk_op_writes(r->data_op))
		return -EROFS;
	if (r->op == PVBLK_OP_DISCARD) {
		if (!r->nr_sectors || ((r->sector | r->nr_sectors) & align))
			return -EINVAL;
		if (!pvblk__in_disk(r->sector, r->nr_sectors, lim->capacity))
			return -ERANGE;
	}
	return 0;
}

/**
 * pvblk_check_segs() - judge the segments of a request, sum its length
 * @s: segments (private copies)
 * @n: how many, already bounded by pvblk_check_req()
 * @sector: first sector of the request
 * @lim: what the device accepts
 * @nr_sectors: total 512-byte sectors moved
 *
 * Every segment must start and end on a logical block: the back end may
 * end a bio at any segment boundary (and the block layer may split one at
 * any bio_vec), so a request whose total is aligned but whose segments
 * are not would be cut inside a logical block.
 *
 * Return: 0; -EINVAL for a segment outside its page, a segment or request
 * not aligned to the logical block size; -ERANGE for a range beyond the
 * disk.
 */
static inline int pvblk_check_segs(const struct pvblk_seg *s, uint32_t n,
				   uint64_t sector,
				   const struct pvblk_limits *lim,
				   uint64_t *nr_sectors)
{
	uint64_t align = lim->lbs_sectors ? lim->lbs_sectors - 1 : 0;
	uint64_t total = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (s[i].first_sect > s[i].last_sect ||
		    s[i].last_sect >= PVBLK_SECTORS_PER_PAGE ||
		    ((s[i].first_sect | (s[i].last_sect + 1u)) & align))
			return -EINVAL;
		total += s[i].last_sect - s[i].first_sect + 1u;
	}
	if ((sector | total) & align)
		return -EINVAL;
	if (!pvblk__in_disk(sector, total, lim->capacity))
		return -ERANGE;
	*nr_sectors = total;
	return 0;
}

/**
 * pvblk_errno_status() - the blkif status to answer a failed check with
 * @err: 0 or a negative errno
 */
static inline int16_t pvblk_errno_status(int err)
{
	if (!err)
		return PVBLK_RSP_OKAY;
	return err == -EOPNOTSUPP ? PVBLK_RSP_EOPNOTSUPP : PVBLK_RSP_ERROR;
}

/**
 * pvblk_rsp_op() - the operation a response to @r carries
 * @r: decoded request
 *
 * Linux front ends expect an indirect request to be answered with its
 * data operation (indirect_op), as the stock back end does.
 */
static inline uint8_t pvblk_rsp_op(const struct pvblk_req *r)
{
	return r->op == PVBLK_OP_INDIRECT ? r->data_op : r->op;
}

/**
 * pvblk_encode_rsp() - write a response into a ring slot
 * @slot: the slot (shared memory; written, never read)
 * @id: the request's id
 * @op: the request's operation as it arrived
 * @status: PVBLK_RSP_*
 *
 * Both ABIs put id at 0, operation at 8 and status at 10.
 */
static inline void pvblk_encode_rsp(void *slot, uint64_t id, uint8_t op,
				    int16_t status)
{
	uint8_t rsp[PVBLK_RSP_SIZE] = { 0 };

	pv_st64(rsp, id);
	rsp[8] = op;
	pv_st16(rsp + 10, (uint16_t)status);
	memcpy(slot, rsp, sizeof(rsp));
}

/**
 * struct pvblk_rsp - a response, decoded from a private copy
 * @id: request id
 * @op: operation
 * @status: PVBLK_RSP_*
 */
struct pvblk_rsp {
	uint64_t id;
	uint8_t op;
	int16_t status;
};

static inline void pvblk_decode_rsp(const void *copy, struct pvblk_rsp *r)
{
	const uint8_t *p = copy;

	r->id = pv_ld64(p);
	r->op = p[8];
	r->status = (int16_t)pv_ld16(p + 10);
}

/* ---- front end: building native (x86_64-abi) requests ----------------- */

/**
 * pvblk_encode_seg() - write one segment descriptor
 * @p: where (a slot or an indirect page)
 * @s: the segment
 */
static inline void pvblk_encode_seg(uint8_t *p, const struct pvblk_seg *s)
{
	uint8_t d[PVBLK_SEG_SIZE] = { 0 };

	pv_st32(d, s->gref);
	d[4] = s->first_sect;
	d[5] = s->last_sect;
	memcpy(p, d, sizeof(d));
}

/**
 * pvblk_encode_req() - build a request in a private buffer
 * @buf: PVBLK_SLOT_64 bytes, copied to the ring by the caller
 * @r: the request; @r->op selects the layout, direct segments from @r->seg
 */
static inline void pvblk_encode_req(uint8_t *buf, const struct pvblk_req *r)
{
	size_t b = pvblk__body(PVBLK_ABI_64);
	uint32_t i;

	memset(buf, 0, PVBLK_SLOT_64);
	buf[0] = r->op;
	pv_st64(buf + b - 16, r->id);
	pv_st64(buf + b - 8, r->sector);
	switch (r->op) {
	case PVBLK_OP_DISCARD:
		buf[1] = r->flag;
		pv_st64(buf + b, r->nr_sectors);
		break;
	case PVBLK_OP_INDIRECT:
		buf[1] = r->data_op;
		pv_st16(buf + 2, r->nr_segs);
		pv_st16(buf + b, r->handle);
		for (i = 0; i < r->nr_indirect && i < PVBLK_MAX_INDIRECT_PAGES; i++)
			pv_st32(buf + b + 4 + 4 * i, r->indirect_gref[i]);
		break;
	default:
		buf[1] = (uint8_t)r->nr_segs;
		pv_st16(buf + 2, r->handle);
		for (i = 0; i < r->nr_segs && i < PVBLK_MAX_SEGS; i++)
			pvblk_encode_seg(buf + b + PVBLK_SEG_SIZE * i, &r->seg[i]);
		break;
	}
}

#endif /* PVSPLIT_PVBLKIF_H */
