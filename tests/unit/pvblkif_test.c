// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the blkif wire code (pvblkif.h) that both pvblk ends use:
 * layouts checked against Xen's own io/blkif.h, the x86_32 layout against
 * hand-placed bytes, and every rule the back end applies to a request.
 */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/io/blkif.h>

#include "kselftest_harness.h"
#include "pvblkif.h"

static const struct pvblk_limits lim = {
	.capacity = 1000, .lbs_sectors = 1, .max_indirect_segs = 256,
	.flush = true, .barrier = true, .discard = true, .secure = false,
};

TEST(layout_matches_xen_header)
{
	struct blkif_request x;
	struct pvblk_req r, back;
	uint8_t buf[PVBLK_SLOT_64];

	EXPECT_EQ(PVBLK_SLOT_64, sizeof(x));
	memset(&x, 0, sizeof(x));
	x.operation = BLKIF_OP_WRITE;
	x.nr_segments = 3;
	x.handle = 0x1234;
	x.id = 0x1122334455667788ull;
	x.sector_number = 777;
	x.seg[2].gref = 99;
	x.seg[2].first_sect = 1;
	x.seg[2].last_sect = 6;
	pvblk_decode_req(&x, PVBLK_ABI_64, &r);
	EXPECT_EQ(PVBLK_OP_WRITE, r.op);
	EXPECT_EQ(3, r.nr_segs);
	EXPECT_EQ(0x1234, r.handle);
	EXPECT_EQ(0x1122334455667788ull, r.id);
	EXPECT_EQ(777u, r.sector);
	EXPECT_EQ(99u, r.seg[2].gref);
	EXPECT_EQ(1, r.seg[2].first_sect);
	EXPECT_EQ(6, r.seg[2].last_sect);
	/* and our encoder writes what Xen's struct reads */
	pvblk_encode_req(buf, &r);
	EXPECT_EQ(0, memcmp(buf, &x, sizeof(x)));
	pvblk_decode_req(buf, PVBLK_ABI_64, &back);
	EXPECT_EQ(0, memcmp(&r, &back, sizeof(r)));
}

TEST(indirect_and_discard_match_xen_header)
{
	struct blkif_request_indirect xi;
	struct blkif_request_discard xd;
	struct pvblk_req r;

	memset(&xi, 0, sizeof(xi));
	xi.operation = BLKIF_OP_INDIRECT;
	xi.indirect_op = BLKIF_OP_READ;
	xi.nr_segments = 600;
	xi.id = 5;
	xi.sector_number = 8;
	xi.indirect_grefs[1] = 4242;
	pvblk_decode_req(&xi, PVBLK_ABI_64, &r);
	EXPECT_EQ(PVBLK_OP_INDIRECT, r.op);
	EXPECT_EQ(PVBLK_OP_READ, r.data_op);
	EXPECT_EQ(600, r.nr_segs);
	EXPECT_EQ(2, r.nr_indirect);
	EXPECT_EQ(4242u, r.indirect_gref[1]);
	EXPECT_EQ(5u, r.id);
	EXPECT_EQ(-EINVAL, pvblk_check_req(&r, &lim));	/* 600 > 256 */

	memset(&xd, 0, sizeof(xd));
	xd.operation = BLKIF_OP_DISCARD;
	xd.flag = BLKIF_DISCARD_SECURE;
	xd.id = 9;
	xd.sector_number = 10;
	xd.nr_sectors = 20;
	pvblk_decode_req(&xd, PVBLK_ABI_64, &r);
	EXPECT_EQ(PVBLK_DISCARD_SECURE, r.flag);
	EXPECT_EQ(20u, r.nr_sectors);
	EXPECT_EQ(10u, r.sector);
	EXPECT_EQ(-EOPNOTSUPP, pvblk_check_req(&r, &lim));	/* no secure */
}

TEST(response_matches_xen_header)
{
	struct blkif_response x;
	uint8_t slot[16];
	struct pvblk_rsp r;

	memset(slot, 0xff, sizeof(slot));
	pvblk_encode_rsp(slot, 77, BLKIF_OP_READ, PVBLK_RSP_EOPNOTSUPP);
	memcpy(&x, slot, sizeof(x));
	EXPECT_EQ(77u, x.id);
	EXPECT_EQ(BLKIF_OP_READ, x.operation);
	EXPECT_EQ(BLKIF_RSP_EOPNOTSUPP, x.status);
	pvblk_decode_rsp(slot, &r);
	EXPECT_EQ(77u, r.id);
	EXPECT_EQ(PVBLK_RSP_EOPNOTSUPP, r.status);
}

TEST(x86_32_layout)
{
	uint8_t s[PVBLK_SLOT_32];
	struct pvblk_req r;
	uint64_t id = 0xabcdef, sec = 12345;
	uint32_t gref = 31;

	memset(s, 0, sizeof(s));
	s[0] = PVBLK_OP_READ;
	s[1] = 2;
	memcpy(s + 4, &id, 8);
	memcpy(s + 12, &sec, 8);
	memcpy(s + 20 + 8, &gref, 4);	/* seg[1] */
	s[20 + 8 + 4] = 0;
	s[20 + 8 + 5] = 7;
	pvblk_decode_req(s, PVBLK_ABI_32, &r);
	EXPECT_EQ(id, r.id);
	EXPECT_EQ(sec, r.sector);
	EXPECT_EQ(2, r.nr_segs);
	EXPECT_EQ(31u, r.seg[1].gref);
	EXPECT_EQ(7, r.seg[1].last_sect);
}

static struct pvblk_req rw(uint8_t op, uint16_t segs, uint64_t sector)
{
	struct pvblk_req r;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	r.op = op;
	r.data_op = op;
	r.nr_segs = segs;
	r.sector = sector;
	for (i = 0; i < segs && i < PVBLK_MAX_SEGS; i++)
		r.seg[i].last_sect = 7;
	return r;
}

TEST(request_checks)
{
	struct pvblk_limits ro = lim;
	struct pvblk_req r;
	uint64_t n;

	r = rw(PVBLK_OP_READ, 1, 0);
	EXPECT_EQ(0, pvblk_check_req(&r, &lim));
	r = rw(PVBLK_OP_READ, 0, 0);
	EXPECT_EQ(-EINVAL, pvblk_check_req(&r, &lim));
	r = rw(PVBLK_OP_WRITE, 12, 0);
	EXPECT_EQ(-EINVAL, pvblk_check_req(&r, &lim));
	r = rw(PVBLK_OP_FLUSH_DISKCACHE, 0, 0);
	EXPECT_EQ(0, pvblk_check_req(&r, &lim));
	r = rw(4, 1, 0);
	EXPECT_EQ(-EOPNOTSUPP, pvblk_check_req(&r, &lim));
	r = rw(200, 1, 0);
	EXPECT_EQ(-EOPNOTSUPP, pvblk_check_req(&r, &lim));
	ro.readonly = true;
	r = rw(PVBLK_OP_WRITE, 1, 0);
	EXPECT_EQ(-EROFS, pvblk_check_req(&r, &ro));
	r = rw(PVBLK_OP_READ, 1, 0);
	EXPECT_EQ(0, pvblk_check_req(&r, &ro));
	r.op = PVBLK_OP_DISCARD;
	r.data_op = PVBLK_OP_DISCARD;
	r.nr_sectors = 8;
	EXPECT_EQ(-EROFS, pvblk_check_req(&r, &ro));
	EXPECT_EQ(0, pvblk_check_req(&r, &lim));
	r.sector = 995;
	EXPECT_EQ(-ERANGE, pvblk_check_req(&r, &lim));
	r.sector = UINT64_MAX - 2;
	EXPECT_EQ(-ERANGE, pvblk_check_req(&r, &lim));
	r.nr_sectors = 0;
	EXPECT_EQ(-EINVAL, pvblk_check_req(&r, &lim));

	/* segments */
	r = rw(PVBLK_OP_READ, 2, 0);
	EXPECT_EQ(0, pvblk_check_segs(r.seg, 2, 0, &lim, &n));
	EXPECT_EQ(16u, n);
	r.seg[1].first_sect = 5;
	r.seg[1].last_sect = 4;
	EXPECT_EQ(-EINVAL, pvblk_check_segs(r.seg, 2, 0, &lim, &n));
	r.seg[1].first_sect = 0;
	r.seg[1].last_sect = 8;
	EXPECT_EQ(-EINVAL, pvblk_check_segs(r.seg, 2, 0, &lim, &n));
	r = rw(PVBLK_OP_READ, 2, 990);
	EXPECT_EQ(-ERANGE, pvblk_check_segs(r.seg, 2, 990, &lim, &n));
	EXPECT_EQ(0, pvblk_check_segs(r.seg, 2, 984, &lim, &n));
	EXPECT_EQ(-ERANGE, pvblk_check_segs(r.seg, 2, UINT64_MAX - 4, &lim, &n));
}

TEST(logical_block_alignment)
{
	struct pvblk_limits l4k = lim;
	struct pvblk_req r = rw(PVBLK_OP_WRITE, 1, 8);
	uint64_t n;

	l4k.lbs_sectors = 8;
	EXPECT_EQ(0, pvblk_check_segs(r.seg, 1, 8, &l4k, &n));
	EXPECT_EQ(-EINVAL, pvblk_check_segs(r.seg, 1, 9, &l4k, &n));
	r.seg[0].last_sect = 3;
	EXPECT_EQ(-EINVAL, pvblk_check_segs(r.seg, 1, 8, &l4k, &n));
	/* 4 + 4 sectors: the total is one logical block, no segment is */
	r = rw(PVBLK_OP_WRITE, 2, 8);
	r.seg[0].last_sect = 3;
	r.seg[1].first_sect = 4;
	EXPECT_EQ(0, pvblk_check_segs(r.seg, 2, 8, &lim, &n));
	EXPECT_EQ(8u, n);
	EXPECT_EQ(-EINVAL, pvblk_check_segs(r.seg, 2, 8, &l4k, &n));
	/* 7 + 1: aligned total again, the first segment starts inside a block */
	r.seg[0].first_sect = 1;
	r.seg[0].last_sect = 7;
	r.seg[1].first_sect = 0;
	r.seg[1].last_sect = 0;
	EXPECT_EQ(0, pvblk_check_segs(r.seg, 2, 8, &lim, &n));
	EXPECT_EQ(-EINVAL, pvblk_check_segs(r.seg, 2, 8, &l4k, &n));
}

TEST(indirect_checks)
{
	struct pvblk_limits noind = lim;
	struct pvblk_req r = rw(PVBLK_OP_INDIRECT, 256, 0);

	r.data_op = PVBLK_OP_WRITE;
	r.nr_indirect = 1;
	EXPECT_EQ(0, pvblk_check_req(&r, &lim));
	r.nr_segs = 257;
	EXPECT_EQ(-EINVAL, pvblk_check_req(&r, &lim));
	r.nr_segs = 16;
	r.data_op = PVBLK_OP_DISCARD;
	EXPECT_EQ(-EINVAL, pvblk_check_req(&r, &lim));
	noind.max_indirect_segs = 0;
	r.data_op = PVBLK_OP_READ;
	EXPECT_EQ(-EOPNOTSUPP, pvblk_check_req(&r, &noind));
}

TEST_HARNESS_MAIN
