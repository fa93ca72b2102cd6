// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the histogram and ring counters (pvstats.h).
 */
#include <stdint.h>
#include <string.h>

#include "kselftest_harness.h"
#include "pvstats.h"

TEST(buckets_cover_every_value_in_order)
{
	uint64_t v;
	unsigned int last = 0;

	for (v = 0; v < 100000; v++) {
		unsigned int b = pvhist_bucket(v);

		ASSERT_LE(pvhist_lower(b), v);
		ASSERT_GT(pvhist_lower(b + 1), v);
		ASSERT_GE(b, last);
		last = b;
	}
	/* the largest values still land inside the table */
	EXPECT_LT(pvhist_bucket(UINT64_MAX), PVHIST_BUCKETS);
	EXPECT_LT(pvhist_bucket(1ull << 63), PVHIST_BUCKETS);
}

TEST(buckets_are_within_an_eighth)
{
	unsigned int b;

	for (b = 16; b < PVHIST_BUCKETS - 1; b++) {
		uint64_t lo = pvhist_lower(b), hi = pvhist_lower(b + 1);

		ASSERT_LE((hi - lo) * 8, lo);
	}
}

TEST(percentiles)
{
	static struct pvhist h;
	uint64_t v, p50, p99;

	memset(&h, 0, sizeof(h));
	EXPECT_EQ(0u, pvhist_percentile(&h, 500));
	for (v = 1; v <= 1000; v++)
		pvhist_add(&h, v * 1000);	/* 1 us .. 1 ms */
	EXPECT_EQ(1000u, h.count);
	p50 = pvhist_percentile(&h, 500);
	p99 = pvhist_percentile(&h, 990);
	EXPECT_GE(p50, 500000u * 7 / 8);
	EXPECT_LE(p50, 500000u * 9 / 8);
	EXPECT_GE(p99, 990000u * 7 / 8);
	EXPECT_LE(p99, 990000u * 9 / 8);
	EXPECT_LE(pvhist_percentile(&h, 0), 1000u * 9 / 8);

	memset(&h, 0, sizeof(h));
	pvhist_add(&h, 7);
	EXPECT_EQ(7u, pvhist_percentile(&h, 500));
	EXPECT_EQ(7u, pvhist_percentile(&h, 1000));
}

TEST(batch_and_publish_counters)
{
	struct pvring_stats s;

	memset(&s, 0, sizeof(s));
	pvstats_batch(&s, 0);
	pvstats_batch(&s, 1);
	pvstats_batch(&s, 3);
	pvstats_batch(&s, 4);
	pvstats_batch(&s, 1u << 30);
	EXPECT_EQ(1u, s.batch[0]);
	EXPECT_EQ(1u, s.batch[1]);
	EXPECT_EQ(1u, s.batch[2]);
	EXPECT_EQ(1u, s.batch[PVSTATS_BATCH_BUCKETS - 1]);
	EXPECT_EQ(8u + (1u << 30), s.consumed);
	pvstats_publish(&s, 16, true);
	pvstats_publish(&s, 16, false);
	pvstats_publish(&s, 0, true);
	EXPECT_EQ(32u, s.produced);
	EXPECT_EQ(2u, s.publishes);
	EXPECT_EQ(1u, s.notify_sent);
	EXPECT_EQ(1u, s.notify_suppressed);
}

TEST_HARNESS_MAIN
