// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the back end's spin-or-sleep policy (pvpoll.h).
 */
#include <stdint.h>

#include "kselftest_harness.h"
#include "pvpoll.h"

#define US	1000ull
#define MAX	(2000 * US)

/* a history with all the spin credit it may have */
static struct pvpoll funded(void)
{
	struct pvpoll p = { 0 };

	pvpoll_took(&p, 1000000);
	return p;
}

TEST(a_funded_fresh_ring_spins_for_the_slack)
{
	struct pvpoll p = funded();

	EXPECT_EQ(PVPOLL_SLACK_NS, pvpoll_window(&p, MAX));
	/* max 0 turns polling off; a window never exceeds max */
	EXPECT_EQ(0u, pvpoll_window(&p, 0));
	EXPECT_EQ(5 * US, pvpoll_window(&p, 5 * US));
}

TEST(short_gaps_give_twice_the_average_plus_slack)
{
	struct pvpoll p = funded();
	int i;

	for (i = 0; i < 200; i++)
		pvpoll_note_gap(&p, 40 * US, MAX);
	/* the 1/8 average settles within rounding of the gap */
	EXPECT_GE(p.gap_ns, 39 * US);
	EXPECT_LE(p.gap_ns, 40 * US);
	EXPECT_EQ(2 * p.gap_ns + PVPOLL_SLACK_NS, pvpoll_window(&p, MAX));
}

TEST(long_gaps_stop_the_spin_and_short_ones_bring_it_back)
{
	struct pvpoll p = funded();
	int i, n;

	for (i = 0; i < 50; i++)
		pvpoll_note_gap(&p, 10 * MAX, MAX);
	EXPECT_EQ(0u, pvpoll_window(&p, MAX));
	/* a gap counts as at most four windows: the average stays bounded */
	EXPECT_LE(p.gap_ns, 4 * MAX);
	for (n = 0; n < 100 && !pvpoll_window(&p, MAX); n++)
		pvpoll_note_gap(&p, 0, MAX);
	/* from the bound, eleven short gaps bring it under max */
	EXPECT_GT(n, 0);
	EXPECT_LE(n, 11);
}

TEST(one_long_idle_spell_does_not_stop_polling)
{
	struct pvpoll p = funded();
	int i;

	for (i = 0; i < 100; i++)
		pvpoll_note_gap(&p, 20 * US, MAX);
	pvpoll_slept(&p, 1);
	pvpoll_woke(&p, 3, 1 + 3600ull * 1000000000ull, MAX);	/* an hour */
	EXPECT_NE(0u, pvpoll_window(&p, MAX));
	EXPECT_EQ(0u, p.idle_since);
}

TEST(only_a_wake_up_by_requests_counts_as_a_gap)
{
	struct pvpoll p = { 0 };

	pvpoll_slept(&p, 1000);
	pvpoll_woke(&p, 0, 1000 + 500 * US, MAX);	/* a completion woke it */
	EXPECT_EQ(0u, p.gap_ns);
	EXPECT_EQ(0u, p.idle_since);
	pvpoll_slept(&p, 1000);
	pvpoll_woke(&p, 2, 1000 + 800 * US, MAX);
	EXPECT_EQ(100 * US, p.gap_ns);
	/* awake: a second call notes nothing */
	pvpoll_woke(&p, 2, 1000 + 900 * US, MAX);
	EXPECT_EQ(100 * US, p.gap_ns);
}

/* chances passed up before the next spin may begin */
static int passed_up(struct pvpoll *p)
{
	int n = 0;

	while (pvpoll_pass_up(p))
		n++;
	return n;
}

TEST(misses_back_off_doubling_to_the_cap)
{
	struct pvpoll p = funded();
	int expect[] = { 1, 2, 4, 8, 16, 32, 64, 64, 64 };
	unsigned int i;

	EXPECT_EQ(0, passed_up(&p));
	for (i = 0; i < ARRAY_SIZE(expect); i++) {
		pvpoll_missed(&p, 0);
		EXPECT_EQ(expect[i], passed_up(&p));
	}
}

TEST(a_spin_that_finds_ends_the_backoff)
{
	struct pvpoll p = funded();

	pvpoll_missed(&p, 0);
	pvpoll_missed(&p, 0);
	pvpoll_missed(&p, 0);
	EXPECT_EQ(4, passed_up(&p));
	pvpoll_found(&p, 5 * US, MAX);
	/* the next miss starts over at one */
	pvpoll_missed(&p, 0);
	EXPECT_EQ(1, passed_up(&p));
	/* and backing off leaves the window alone */
	EXPECT_NE(0u, pvpoll_window(&p, MAX));
}

TEST(spinning_is_paid_for_by_requests)
{
	struct pvpoll p = { 0 };

	/* nothing taken yet: no spin, whatever the gaps */
	EXPECT_EQ(0u, pvpoll_window(&p, MAX));
	pvpoll_took(&p, 1);
	EXPECT_EQ(PVPOLL_SLACK_NS, pvpoll_window(&p, MAX));
	/* a wider window than one request pays for is cut to the credit */
	pvpoll_note_gap(&p, 400 * US, MAX);
	EXPECT_EQ(PVPOLL_CREDIT_NS, pvpoll_window(&p, MAX));
	/* spent: under the slack left, no spin */
	pvpoll_found(&p, 15 * US, MAX);
	EXPECT_EQ(0u, pvpoll_window(&p, MAX));
	pvpoll_took(&p, 1000000);
	EXPECT_EQ(PVPOLL_CREDIT_MAX_NS, p.credit_ns);
}

/*
 * A front end that sends one request every 1.9 ms, just under the 2 ms
 * at which polling stops: without the credit each request would have
 * dom0 spin 1.9 ms for it.  What it makes dom0 spin stays within the
 * credit its requests earn.
 */
TEST(a_front_end_cannot_buy_more_spin_than_its_requests_pay_for)
{
	struct pvpoll p = { 0 };
	uint64_t spun = 0, w, pace = 1900 * US;
	int i, spins = 0;

	for (i = 0; i < 10000; i++) {
		pvpoll_took(&p, 1);
		w = pvpoll_window(&p, MAX);
		if (!w || pvpoll_pass_up(&p)) {
			/* slept: the gap is the front end's pace */
			pvpoll_slept(&p, 1);
			pvpoll_woke(&p, 1, 1 + pace, MAX);
			continue;
		}
		spins++;
		if (w >= pace) {
			spun += pace;
			pvpoll_found(&p, pace, MAX);
		} else {
			spun += w;
			pvpoll_missed(&p, w);
		}
	}
	EXPECT_GT(spins, 0);
	EXPECT_LE(spun, 10000ull * PVPOLL_CREDIT_NS);
}

TEST_HARNESS_MAIN
