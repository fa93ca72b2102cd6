// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the portable ring core (common/portable/pvring.h): index
 * wrap-around at every ring size, full and empty rings, notification
 * decisions, hostile peer indices, batch edges, and interoperation with
 * Xen's own io/ring.h macros on the same memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xenctrl.h>		/* xen_mb() and friends for io/ring.h */
#include <xen/io/ring.h>

#include "kselftest_harness.h"
#include "pvring.h"

struct item {
	uint64_t seq;
	uint8_t fill[56];
};

struct stock_req { uint64_t seq; uint8_t fill[56]; };
struct stock_rsp { uint64_t seq; uint8_t fill[56]; };
DEFINE_RING_TYPES(stock, struct stock_req, struct stock_rsp);

static void *ring_mem(unsigned int order)
{
	void *p = aligned_alloc(PVRING_PAGE_SIZE, PVRING_PAGE_SIZE << order);

	memset(p, 0xa5, PVRING_PAGE_SIZE << order);
	pvring_init_shared(p);
	return p;
}

/* Produce @n items from @from, return how many the peer saw. */
static int pass(struct pvring *from, struct pvring *to, uint32_t n,
		uint64_t *seq_out, uint64_t *seq_in)
{
	uint32_t i;
	int avail, got = 0;

	for (i = 0; i < n; i++) {
		struct item it = { .seq = (*seq_out)++ };

		memcpy(pvring_prod_slot(from, i), &it, sizeof(it));
	}
	pvring_produce(from, n);
	pvring_publish(from);
	while ((avail = pvring_avail(to)) > 0) {
		struct item it;

		pvring_consume(to, &it, sizeof(it));
		if (it.seq != (*seq_in)++)
			return -1;
		got++;
	}
	return avail < 0 ? avail : got;
}

TEST(slot_counts_match_io_ring_h)
{
	unsigned int order;

	for (order = 0; order <= PVRING_MAX_ORDER; order++) {
		size_t bytes = PVRING_PAGE_SIZE << order;
		struct stock_sring *s = ring_mem(order);
		struct stock_front_ring fr;

		FRONT_RING_INIT(&fr, s, bytes);
		EXPECT_EQ(RING_SIZE(&fr), pvring_nr_slots(bytes, sizeof(union stock_sring_entry)));
		/* blkif-sized slots too */
		EXPECT_EQ(pvring_nr_slots(bytes, 112), 1u << (31 - __builtin_clz((bytes - 64) / 112)));
		free(s);
	}
	EXPECT_EQ(0u, pvring_nr_slots(64, 64));
	EXPECT_EQ(0u, pvring_nr_slots(4096, 0));
}

TEST(wraps_around_at_every_order)
{
	unsigned int order;

	for (order = 0; order <= PVRING_MAX_ORDER; order++) {
		size_t bytes = PVRING_PAGE_SIZE << order;
		struct pvring_sring *s = ring_mem(order);
		struct pvring f, b;
		uint64_t out = 0, in = 0, rout = 0, rin = 0;
		uint32_t start = 0xffffffffu - 3 * (pvring_nr_slots(bytes, 64));
		unsigned int round;

		s->req_prod = s->rsp_prod = start;
		s->req_event = s->rsp_event = start + 1;
		ASSERT_EQ(0, pvring_attach(&f, s, bytes, 64, PVRING_FRONT, start));
		ASSERT_EQ(0, pvring_attach(&b, s, bytes, 64, PVRING_BACK, start));
		/* odd batch sizes so slot and index wraps land everywhere */
		for (round = 0; round < 8 * f.size / 7 + 50; round++) {
			uint32_t n = 1 + round % 7;

			if (n > pvring_free(&f))
				n = pvring_free(&f);
			ASSERT_EQ((int)n, pass(&f, &b, n, &out, &in));
			ASSERT_EQ((int)n, pass(&b, &f, n, &rout, &rin));
		}
		EXPECT_LT(f.prod_pvt, start);	/* the 32-bit index wrapped */
		EXPECT_EQ(out, rin);
		EXPECT_FALSE(pvring_broken(&f));
		EXPECT_FALSE(pvring_broken(&b));
		free(s);
	}
}

TEST(full_and_empty)
{
	struct pvring_sring *s = ring_mem(0);
	struct pvring f, b;
	struct item it;
	uint32_t i, size;

	ASSERT_EQ(0, pvring_attach(&f, s, 4096, 64, PVRING_FRONT, 0));
	ASSERT_EQ(0, pvring_attach(&b, s, 4096, 64, PVRING_BACK, 0));
	size = f.size;
	EXPECT_EQ(32u, size);
	EXPECT_EQ(size, pvring_free(&f));
	EXPECT_EQ(0, pvring_avail(&b));
	EXPECT_EQ(0u, pvring_free(&b));	/* nothing to answer yet */

	pvring_produce(&f, size);
	EXPECT_EQ(0u, pvring_free(&f));
	EXPECT_EQ(0, pvring_avail(&b));	/* produced, not published */
	pvring_publish(&f);
	EXPECT_EQ((int)size, pvring_avail(&b));
	for (i = 0; i < size; i++)
		pvring_consume(&b, &it, sizeof(it));
	EXPECT_EQ(size, pvring_free(&b));
	EXPECT_EQ(0u, pvring_free(&f));	/* no responses yet */
	pvring_produce(&b, size);
	pvring_publish(&b);
	EXPECT_EQ((int)size, pvring_avail(&f));
	for (i = 0; i < size; i++)
		pvring_consume(&f, &it, sizeof(it));
	EXPECT_EQ(size, pvring_free(&f));
	EXPECT_EQ(0u, pvring_in_flight(&f));
	free(s);
}

TEST(notifies_only_when_the_peer_asked)
{
	struct pvring_sring *s = ring_mem(0);
	struct pvring f, b;
	struct item it;

	ASSERT_EQ(0, pvring_attach(&f, s, 4096, 64, PVRING_FRONT, 0));
	ASSERT_EQ(0, pvring_attach(&b, s, 4096, 64, PVRING_BACK, 0));
	/* fresh ring: req_event = 1, so the first request notifies */
	pvring_produce(&f, 1);
	EXPECT_TRUE(pvring_publish(&f));
	/* the back end has not re-armed: no notification */
	pvring_produce(&f, 1);
	EXPECT_FALSE(pvring_publish(&f));
	/* nothing new: publish is a no-op */
	EXPECT_FALSE(pvring_publish(&f));
	/* back end drains and re-arms, finding nothing more */
	EXPECT_EQ(2, pvring_avail(&b));
	pvring_consume(&b, &it, sizeof(it));
	pvring_consume(&b, &it, sizeof(it));
	EXPECT_FALSE(pvring_final_check(&b));
	EXPECT_EQ(3u, s->req_event);
	pvring_produce(&f, 3);
	EXPECT_TRUE(pvring_publish(&f));
	/* arm for 4 ahead: 3 responses do not notify, the 4th does */
	EXPECT_EQ(0, pvring_arm(&f, 4));
	EXPECT_EQ(4u, s->rsp_event);
	EXPECT_EQ(3, pvring_avail(&b));
	pvring_consume(&b, &it, sizeof(it));
	pvring_consume(&b, &it, sizeof(it));
	pvring_consume(&b, &it, sizeof(it));
	pvring_produce(&b, 3);
	EXPECT_FALSE(pvring_publish(&b));
	pvring_produce(&b, 1);
	EXPECT_TRUE(pvring_publish(&b));
	/* arming when work is already there reports it */
	EXPECT_EQ(4, pvring_arm(&f, 1));
	/* publish_quiet never reads the event index */
	pvring_produce(&f, 1);
	pvring_publish_quiet(&f);
	EXPECT_EQ(f.prod_pvt, s->req_prod);
	free(s);
}

TEST(hostile_request_producer)
{
	struct pvring_sring *s = ring_mem(0);
	struct pvring b;

	ASSERT_EQ(0, pvring_attach(&b, s, 4096, 64, PVRING_BACK, 0));
	s->req_prod = 32;		/* exactly a ring: legal */
	EXPECT_EQ(32, pvring_avail(&b));
	b.cons = 32;
	b.prod_pvt = 32;
	b.published = 32;
	s->req_prod = 32 + 33;		/* one more than a ring ahead */
	EXPECT_EQ(-EPROTO, pvring_avail(&b));
	EXPECT_TRUE(pvring_broken(&b));
	s->req_prod = 40;		/* sane again: still broken */
	EXPECT_EQ(-EPROTO, pvring_avail(&b));
	EXPECT_TRUE(pvring_final_check(&b));
	free(s);
}

TEST(producer_moving_backwards)
{
	struct pvring_sring *s = ring_mem(0);
	struct pvring b;

	ASSERT_EQ(0, pvring_attach(&b, s, 4096, 64, PVRING_BACK, 100));
	s->req_prod = 110;
	EXPECT_EQ(10, pvring_avail(&b));
	b.cons = 110;
	s->req_prod = 105;		/* went back */
	EXPECT_EQ(-EPROTO, pvring_avail(&b));
	free(s);
}

TEST(unanswered_responses_from_a_hostile_backend)
{
	struct pvring_sring *s = ring_mem(0);
	struct pvring f;

	ASSERT_EQ(0, pvring_attach(&f, s, 4096, 64, PVRING_FRONT, 0));
	pvring_produce(&f, 4);
	pvring_publish(&f);
	s->rsp_prod = 4;		/* answers all four: fine */
	EXPECT_EQ(4, pvring_avail(&f));
	f.cons = 4;
	s->rsp_prod = 5;		/* answers a request never sent */
	EXPECT_EQ(-EPROTO, pvring_avail(&f));
	free(s);

	s = ring_mem(0);
	ASSERT_EQ(0, pvring_attach(&f, s, 4096, 64, PVRING_FRONT, 0));
	pvring_produce(&f, 4);		/* produced but not published */
	s->rsp_prod = 1;
	EXPECT_EQ(-EPROTO, pvring_avail(&f));
	free(s);

	s = ring_mem(0);
	ASSERT_EQ(0, pvring_attach(&f, s, 4096, 64, PVRING_FRONT, 0));
	s->rsp_prod = 0x80000000u;	/* far away in either direction */
	EXPECT_EQ(-EPROTO, pvring_avail(&f));
	free(s);
}

TEST(batch_edges)
{
	struct pvring_sring *s = ring_mem(1);
	struct pvring f, b;
	struct item buf[300];
	uint32_t i;

	ASSERT_EQ(0, pvring_attach(&f, s, 8192, 64, PVRING_FRONT, 0));
	ASSERT_EQ(0, pvring_attach(&b, s, 8192, 64, PVRING_BACK, 0));
	EXPECT_EQ(64u, f.size);
	EXPECT_EQ(0, pvring_consume_batch(&b, buf, sizeof(buf[0]), sizeof(buf[0]), 32));
	for (i = 0; i < f.size; i++) {
		struct item it = { .seq = i };

		memcpy(pvring_prod_slot(&f, i), &it, sizeof(it));
	}
	pvring_produce(&f, f.size);
	pvring_publish(&f);
	EXPECT_EQ(1, pvring_consume_batch(&b, buf, sizeof(buf[0]), sizeof(buf[0]), 1));
	EXPECT_EQ(0u, buf[0].seq);
	EXPECT_EQ(62, pvring_consume_batch(&b, buf, sizeof(buf[0]), sizeof(buf[0]), 62));
	EXPECT_EQ(62u, buf[61].seq);
	EXPECT_EQ(1, pvring_consume_batch(&b, buf, sizeof(buf[0]), sizeof(buf[0]), 300));
	EXPECT_EQ(63u, buf[0].seq);
	EXPECT_EQ(0, pvring_consume_batch(&b, buf, sizeof(buf[0]), sizeof(buf[0]), 300));
	/* copies are private: rewriting the slot afterwards changes nothing */
	memset(s->slots, 0xff, 64);
	EXPECT_EQ(63u, buf[0].seq);
	EXPECT_EQ(-EINVAL, pvring_attach(&f, s, 64, 64, PVRING_FRONT, 0));
	free(s);
}

/* Our front end against the stock back-end macros, and back. */
TEST(interoperates_with_io_ring_h)
{
	struct stock_sring *ss = ring_mem(2);
	struct stock_back_ring br;
	struct pvring f;
	uint64_t seq = 0, want = 0;
	unsigned int round;
	int notify, more;

	BACK_RING_INIT(&br, ss, 4 * 4096);
	ASSERT_EQ(0, pvring_attach(&f, (struct pvring_sring *)ss, 4 * 4096,
				   sizeof(union stock_sring_entry), PVRING_FRONT, 0));
	ASSERT_EQ(RING_SIZE(&br), f.size);
	for (round = 0; round < 1000; round++) {
		uint32_t n = 1 + round % 13, i;
		RING_IDX rc, rp;

		for (i = 0; i < n && pvring_free(&f); i++) {
			struct stock_req r = { .seq = seq++ };

			memcpy(pvring_prod_slot(&f, 0), &r, sizeof(r));
			pvring_produce(&f, 1);
		}
		pvring_publish(&f);
		rc = br.req_cons;
		rp = ss->req_prod;
		ASSERT_FALSE(RING_REQUEST_PROD_OVERFLOW(&br, rp));
		while (rc != rp) {
			struct stock_req r;
			struct stock_rsp *p;

			RING_COPY_REQUEST(&br, rc, &r);
			br.req_cons = ++rc;
			p = RING_GET_RESPONSE(&br, br.rsp_prod_pvt);
			p->seq = r.seq;
			br.rsp_prod_pvt++;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, notify);
		RING_FINAL_CHECK_FOR_REQUESTS(&br, more);
		EXPECT_FALSE(more);
		while (pvring_avail(&f) > 0) {
			struct stock_rsp p;

			pvring_consume(&f, &p, sizeof(p));
			ASSERT_EQ(want++, p.seq);
		}
	}
	EXPECT_EQ(seq, want);
	(void)notify;
	free(ss);
}

TEST_HARNESS_MAIN
