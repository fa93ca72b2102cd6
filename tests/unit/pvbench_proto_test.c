// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the pvbench wire protocol helpers (pvbench.h): request
 * validation as the back end applies it, segment lengths, and the payload
 * pattern and checksum both ends compute.
 */
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "pvbench.h"

static struct pvbench_request req(uint8_t op, uint8_t segs, uint32_t len)
{
	struct pvbench_request r;

	memset(&r, 0, sizeof(r));
	r.op = op;
	r.nr_segs = segs;
	r.len = len;
	return r;
}

TEST(valid_requests)
{
	struct pvbench_request r = req(PVBENCH_OP_NOP, 0, 0);

	EXPECT_EQ(0, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_READ, 1, 1);
	EXPECT_EQ(0, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_WRITE, 1, 4096);
	EXPECT_EQ(0, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_WRITE, 2, 4097);
	EXPECT_EQ(0, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_READ, 11, PVBENCH_MAX_LEN);
	r.flags = PVBENCH_F_COPY;
	EXPECT_EQ(0, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
}

TEST(malformed_requests)
{
	struct pvbench_request r = req(PVBENCH_OP_NOP, 1, 0);

	EXPECT_EQ(-EINVAL, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_NOP, 0, 5);
	EXPECT_EQ(-EINVAL, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_READ, 0, 0);			/* no payload */
	EXPECT_EQ(-EINVAL, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_READ, 1, 4097);		/* too few segments */
	EXPECT_EQ(-EINVAL, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_READ, 3, 4097);		/* too many */
	EXPECT_EQ(-EINVAL, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_READ, 12, 12 * 4096);	/* over the maximum */
	EXPECT_EQ(-EINVAL, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_READ, 255, 0xffffffffu);
	EXPECT_EQ(-EINVAL, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_WRITE, 3, 3 * 4096);		/* over this back end's */
	EXPECT_EQ(-EINVAL, pvbench_check_request(&r, 2));
	r = req(PVBENCH_OP_WRITE, 1, 4096);		/* max_segs capped */
	EXPECT_EQ(0, pvbench_check_request(&r, 1000));
	r = req(7, 0, 0);
	EXPECT_EQ(-EOPNOTSUPP, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
	r = req(PVBENCH_OP_NOP, 0, 0);
	r.flags = 0x80;
	EXPECT_EQ(-EOPNOTSUPP, pvbench_check_request(&r, PVBENCH_MAX_SEGS));
}

TEST(segment_lengths)
{
	EXPECT_EQ(4096u, pvbench_seg_len(8192, 0));
	EXPECT_EQ(4096u, pvbench_seg_len(8192, 1));
	EXPECT_EQ(0u, pvbench_seg_len(8192, 2));
	EXPECT_EQ(1u, pvbench_seg_len(4097, 1));
	EXPECT_EQ(100u, pvbench_seg_len(100, 0));
}

TEST(pattern_and_checksum_agree_across_segments)
{
	static uint8_t whole[3 * 4096], seg[4096];
	uint32_t h_whole, h = 0, len = 2 * 4096 + 100, s;

	pvbench_fill(whole, 0, len, 42);
	h_whole = pvbench_csum(0, whole, 4096);
	h_whole = pvbench_csum(h_whole, whole + 4096, 4096);
	h_whole = pvbench_csum(h_whole, whole + 8192, 100);
	for (s = 0; s < 3; s++) {
		uint32_t l = pvbench_seg_len(len, s);

		pvbench_fill(seg, s * 4096, l, 42);
		EXPECT_EQ(0, memcmp(seg, whole + s * 4096, l));
		h = pvbench_csum(h, seg, l);
	}
	EXPECT_EQ(h_whole, h);
	/* another seed, another checksum; one flipped bit, another one */
	pvbench_fill(seg, 0, 4096, 43);
	EXPECT_NE(pvbench_csum(0, whole, 4096), pvbench_csum(0, seg, 4096));
	whole[100] ^= 1;
	EXPECT_NE(h_whole, pvbench_csum(pvbench_csum(pvbench_csum(0, whole, 4096),
				whole + 4096, 4096), whole + 8192, 100));
	EXPECT_NE(0u, pvbench_csum(0, whole, 0));
}

TEST_HARNESS_MAIN
