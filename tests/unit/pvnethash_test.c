// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of netif's control ring and hash code (pvnethash.h): the
 * hash inputs built from real headers give Microsoft's published RSS
 * verification results, control messages have Xen's layout, and every
 * request a hostile front end can make is refused without changing the
 * configuration or asking for a copy out of bounds (XSA-270).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/io/netif.h>

#include "kselftest_harness.h"
#include "pvnethash.h"

/* The key of Microsoft's RSS verification suite. */
static const uint8_t rss_key[PVNET_HASH_KEY_MAX] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

struct vec {
	const char *src, *dst;
	uint16_t sport, dport;
	uint32_t l3, l4;	/* address-only and TCP results */
};

static const struct vec v4[] = {
	{ "66.9.149.187", "161.142.100.80", 2794, 1766, 0x323e8fc2, 0x51ccc178 },
	{ "199.92.111.2", "65.69.140.83", 14230, 4739, 0xd718262a, 0xc626b0ea },
	{ "24.19.198.95", "12.22.207.184", 12898, 38024, 0xd2d0a5de, 0x5c2b394a },
	{ "38.27.205.30", "209.142.163.6", 48228, 2217, 0x82989176, 0xafc7327f },
	{ "153.39.163.191", "202.188.127.2", 44251, 1303, 0x5d1809c5, 0x10e828a2 },
};

static const struct vec v6[] = {
	{ "3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766,
	  0x2cc18cd5, 0x40207d3d },
	{ "3ffe:501:8::260:97ff:fe40:efab", "ff02::1", 14230, 4739,
	  0x0f0c461c, 0xdde51bbf },
	{ "3ffe:1900:4545:3:200:f8ff:fe21:67cf", "fe80::200:f8ff:fe21:67cf",
	  44251, 38024, 0x4b61e985, 0x02d1feef },
};

/* An IPv4 header (with @opts option words) and a TCP header's ports. */
static uint32_t make_v4(uint8_t *p, const struct vec *v, uint8_t proto,
			unsigned int opts)
{
	uint32_t hl = 20 + 4 * opts;

	memset(p, 0, PVNET_HASH_HDR_MAX);
	p[0] = 0x40 | (uint8_t)(5 + opts);
	p[6] = 0x40;		/* DF: not a fragment */
	p[8] = 64;
	p[9] = proto;
	inet_pton(AF_INET, v->src, p + 12);
	inet_pton(AF_INET, v->dst, p + 16);
	p[hl] = v->sport >> 8;
	p[hl + 1] = v->sport & 0xff;
	p[hl + 2] = v->dport >> 8;
	p[hl + 3] = v->dport & 0xff;
	return hl + 20;
}

static uint32_t make_v6(uint8_t *p, const struct vec *v, uint8_t next)
{
	memset(p, 0, PVNET_HASH_HDR_MAX);
	p[0] = 0x60;
	p[6] = next;
	p[7] = 64;
	inet_pton(AF_INET6, v->src, p + 8);
	inet_pton(AF_INET6, v->dst, p + 24);
	p[40] = v->sport >> 8;
	p[41] = v->sport & 0xff;
	p[42] = v->dport >> 8;
	p[43] = v->dport & 0xff;
	return 60;
}

static void toeplitz_cfg(struct pvnet_hash_cfg *cfg, uint32_t flags)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->alg = PVNET_HASH_ALG_TOEPLITZ;
	cfg->flags = flags;
	memcpy(cfg->key, rss_key, sizeof(rss_key));
}

TEST(rss_vectors_ipv4)
{
	struct pvnet_hash_cfg cfg;
	uint8_t p[PVNET_HASH_HDR_MAX];
	uint32_t h, len;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v4); i++) {
		len = make_v4(p, &v4[i], 6, 0);
		toeplitz_cfg(&cfg, PVNET_HASH_IPV4);
		EXPECT_EQ(PVNET_HASH_T_IPV4,
			  pvnet_hash_packet(&cfg, 0x0800, p, len, &h));
		EXPECT_EQ(v4[i].l3, h);
		toeplitz_cfg(&cfg, PVNET_HASH_ALL);
		EXPECT_EQ(PVNET_HASH_T_IPV4_TCP,
			  pvnet_hash_packet(&cfg, 0x0800, p, len, &h));
		EXPECT_EQ(v4[i].l4, h);
		/* options move the ports, not the result */
		len = make_v4(p, &v4[i], 6, 10);
		EXPECT_EQ(PVNET_HASH_T_IPV4_TCP,
			  pvnet_hash_packet(&cfg, 0x0800, p, len, &h));
		EXPECT_EQ(v4[i].l4, h);
	}
}

TEST(rss_vectors_ipv6)
{
	struct pvnet_hash_cfg cfg;
	uint8_t p[PVNET_HASH_HDR_MAX];
	uint32_t h, len;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v6); i++) {
		len = make_v6(p, &v6[i], 6);
		toeplitz_cfg(&cfg, PVNET_HASH_IPV6);
		EXPECT_EQ(PVNET_HASH_T_IPV6,
			  pvnet_hash_packet(&cfg, 0x86dd, p, len, &h));
		EXPECT_EQ(v6[i].l3, h);
		toeplitz_cfg(&cfg, PVNET_HASH_ALL);
		EXPECT_EQ(PVNET_HASH_T_IPV6_TCP,
			  pvnet_hash_packet(&cfg, 0x86dd, p, len, &h));
		EXPECT_EQ(v6[i].l4, h);
	}
}

TEST(hash_input_choices)
{
	uint8_t p[PVNET_HASH_HDR_MAX], buf[PVNET_HASH_INPUT_MAX], type;
	uint32_t len;

	/* UDP: the address-only type, or none when only TCP was asked */
	len = make_v4(p, &v4[0], 17, 0);
	EXPECT_EQ(8u, pvnet_hash_input(0x0800, p, len, PVNET_HASH_ALL, buf, &type));
	EXPECT_EQ(PVNET_HASH_T_IPV4, type);
	EXPECT_EQ(0u, pvnet_hash_input(0x0800, p, len, PVNET_HASH_IPV4_TCP, buf,
				      &type));
	EXPECT_EQ(PVNET_HASH_T_NONE, type);
	/* a fragment: no ports even for TCP (MF, then an offset) */
	len = make_v4(p, &v4[0], 6, 0);
	p[6] = 0x20;
	EXPECT_EQ(8u, pvnet_hash_input(0x0800, p, len, PVNET_HASH_ALL, buf, &type));
	p[6] = 0;
	p[7] = 1;
	EXPECT_EQ(8u, pvnet_hash_input(0x0800, p, len, PVNET_HASH_ALL, buf, &type));
	p[7] = 0;
	EXPECT_EQ(12u, pvnet_hash_input(0x0800, p, len, PVNET_HASH_ALL, buf, &type));
	/* IPv4 flags do nothing for IPv6 and the reverse */
	EXPECT_EQ(0u, pvnet_hash_input(0x0800, p, len, PVNET_HASH_IPV6 |
				      PVNET_HASH_IPV6_TCP, buf, &type));
	len = make_v6(p, &v6[0], 6);
	EXPECT_EQ(0u, pvnet_hash_input(0x86dd, p, len, PVNET_HASH_IPV4 |
				      PVNET_HASH_IPV4_TCP, buf, &type));
	/* an extension header first: addresses only */
	p[6] = 0;
	EXPECT_EQ(32u, pvnet_hash_input(0x86dd, p, len, PVNET_HASH_ALL, buf, &type));
	EXPECT_EQ(PVNET_HASH_T_IPV6, type);
	/* other ethertypes: none */
	EXPECT_EQ(0u, pvnet_hash_input(0x0806, p, len, PVNET_HASH_ALL, buf, &type));
}

TEST(hash_input_hostile_headers)
{
	uint8_t p[PVNET_HASH_HDR_MAX], buf[PVNET_HASH_INPUT_MAX], type;
	uint32_t len;

	len = make_v4(p, &v4[1], 6, 0);
	EXPECT_EQ(0u, pvnet_hash_input(0x0800, p, 19, PVNET_HASH_ALL, buf, &type));
	/* ports cut off: the address-only type */
	EXPECT_EQ(8u, pvnet_hash_input(0x0800, p, 23, PVNET_HASH_ALL, buf, &type));
	p[0] = 0x44;		/* IHL 4 */
	EXPECT_EQ(0u, pvnet_hash_input(0x0800, p, len, PVNET_HASH_ALL, buf, &type));
	p[0] = 0x4f;		/* 60-byte header in 40 bytes */
	EXPECT_EQ(0u, pvnet_hash_input(0x0800, p, 40, PVNET_HASH_ALL, buf, &type));
	p[0] = 0x65;		/* version 6 with an IPv4 ethertype */
	EXPECT_EQ(0u, pvnet_hash_input(0x0800, p, len, PVNET_HASH_ALL, buf, &type));
	len = make_v6(p, &v6[1], 6);
	EXPECT_EQ(0u, pvnet_hash_input(0x86dd, p, 39, PVNET_HASH_ALL, buf, &type));
	EXPECT_EQ(32u, pvnet_hash_input(0x86dd, p, 43, PVNET_HASH_ALL, buf, &type));
	p[0] = 0x45;
	EXPECT_EQ(0u, pvnet_hash_input(0x86dd, p, len, PVNET_HASH_ALL, buf, &type));
	EXPECT_EQ(PVNET_HASH_T_NONE, type);
}

TEST(ctrl_layouts)
{
	struct xen_netif_ctrl_response xr = { .id = 7,
		.type = XEN_NETIF_CTRL_TYPE_GET_HASH_FLAGS,
		.status = XEN_NETIF_CTRL_STATUS_SUCCESS, .data = 0xf };
	struct pvnet_ctrl_rsp r;
	uint8_t buf[PVNET_CTRL_RSP_SIZE];

	EXPECT_EQ(PVNET_CTRL_RSP_SIZE, sizeof(xr));
	pvnet_decode_ctrl_rsp(&xr, &r);
	EXPECT_EQ(7, r.id);
	EXPECT_EQ(PVNET_CTRL_GET_HASH_FLAGS, r.type);
	EXPECT_EQ(0xfu, r.data);
	pvnet_encode_ctrl_rsp(buf, 7, PVNET_CTRL_GET_HASH_FLAGS,
			      PVNET_CTRL_SUCCESS, 0xf);
	EXPECT_EQ(0, memcmp(buf, &xr, sizeof(xr)));
	EXPECT_EQ(0, pvnet_check_ctrl_rsp(&r, 7, PVNET_CTRL_GET_HASH_FLAGS));
	EXPECT_EQ(-EINVAL, pvnet_check_ctrl_rsp(&r, 8, PVNET_CTRL_GET_HASH_FLAGS));
	EXPECT_EQ(-EINVAL, pvnet_check_ctrl_rsp(&r, 7, PVNET_CTRL_SET_HASH_FLAGS));
	r.status = 4;
	EXPECT_EQ(-EINVAL, pvnet_check_ctrl_rsp(&r, 7, PVNET_CTRL_GET_HASH_FLAGS));
	/* the constants are Xen's */
	EXPECT_EQ((uint32_t)XEN_NETIF_CTRL_TYPE_SET_HASH_ALGORITHM,
		  PVNET_CTRL_SET_HASH_ALGORITHM);
	EXPECT_EQ((uint32_t)XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING_SIZE,
		  PVNET_CTRL_SET_MAPPING_SIZE);
	EXPECT_EQ((uint32_t)XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP, PVNET_HASH_IPV6_TCP);
	EXPECT_EQ((uint32_t)_XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP, PVNET_HASH_T_IPV6_TCP);
	EXPECT_EQ((uint32_t)_XEN_NETIF_CTRL_HASH_TYPE_IPV4, PVNET_HASH_T_IPV4);
}

TEST(hash_extra_as_stock_sends_it)
{
	struct netif_extra_info xe;
	struct pvnet_extra e;
	uint8_t buf[PVNET_EXTRA_SIZE];
	unsigned int t;

	memset(&xe, 0, sizeof(xe));
	xe.type = XEN_NETIF_EXTRA_TYPE_HASH;
	xe.u.hash.type = _XEN_NETIF_CTRL_HASH_TYPE_IPV6_TCP;
	xe.u.hash.algorithm = XEN_NETIF_CTRL_HASH_ALGORITHM_TOEPLITZ;
	memcpy(xe.u.hash.value, "\x04\x03\x02\x01", 4);
	pvnet_decode_extra(&xe, &e);
	EXPECT_EQ(PVNET_HASH_T_IPV6_TCP, e.hash_type);
	EXPECT_EQ(PVNET_HASH_ALG_TOEPLITZ, e.hash_alg);
	EXPECT_EQ(0x01020304u, e.hash_value);
	pvnet_encode_extra(buf, &e);
	EXPECT_EQ(0, memcmp(buf, &xe, sizeof(xe)));
	/* types are bit numbers 0-3, not flags */
	for (t = 0; t < 256; t++) {
		e.hash_type = (uint8_t)t;
		EXPECT_EQ(t <= PVNET_HASH_T_IPV6_TCP ? 0 : -EINVAL,
			  pvnet_check_rx_extra(&e));
	}
}

/* One request through prepare and apply, as the back end runs it. */
static uint32_t serve(struct pvnet_hash_cfg *cfg, uint16_t type, uint32_t d0,
		      uint32_t d1, uint32_t d2, const void *page,
		      uint32_t nr_queues, uint32_t *data)
{
	struct pvnet_ctrl_req c = { .id = 1, .type = type,
				    .data = { d0, d1, d2 } };
	uint8_t buf[PVNET_PAGE_SIZE];
	uint32_t len, st;

	*data = 0xdeadbeef;
	st = pvnet_ctrl_prepare(&c, cfg, &len);
	if (st != PVNET_CTRL_SUCCESS)
		return st;
	if (len > PVNET_PAGE_SIZE)
		return 0xbad;	/* a copy out of the page: never */
	memcpy(buf, page, len);
	return pvnet_ctrl_apply(cfg, &c, buf, nr_queues, data);
}

TEST(ctrl_program_like_a_front_end)
{
	static uint8_t page[PVNET_PAGE_SIZE];
	struct pvnet_hash_cfg cfg = { 0 };
	uint32_t d, i, h, q0 = 0, q1 = 0;
	uint8_t p[PVNET_HASH_HDR_MAX];
	uint32_t len;

	EXPECT_EQ(PVNET_CTRL_NOT_SUPPORTED,
		  serve(&cfg, PVNET_CTRL_GET_HASH_FLAGS, 0, 0, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_HASH_FLAGS, 1, 0, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_SUCCESS, serve(&cfg, PVNET_CTRL_SET_HASH_ALGORITHM,
					    PVNET_HASH_ALG_TOEPLITZ, 0, 0, page,
					    2, &d));
	EXPECT_EQ(PVNET_CTRL_SUCCESS,
		  serve(&cfg, PVNET_CTRL_GET_HASH_FLAGS, 0, 0, 0, page, 2, &d));
	EXPECT_EQ(PVNET_HASH_ALL, d);
	EXPECT_EQ(PVNET_CTRL_SUCCESS, serve(&cfg, PVNET_CTRL_SET_HASH_FLAGS,
					    PVNET_HASH_ALL, 0, 0, page, 2, &d));
	memcpy(page, rss_key, sizeof(rss_key));
	EXPECT_EQ(PVNET_CTRL_SUCCESS, serve(&cfg, PVNET_CTRL_SET_HASH_KEY, 5,
					    40, 0, page, 2, &d));
	EXPECT_EQ(0, memcmp(cfg.key, rss_key, 40));
	EXPECT_EQ(PVNET_CTRL_SUCCESS,
		  serve(&cfg, PVNET_CTRL_GET_MAPPING_SIZE, 0, 0, 0, page, 2, &d));
	EXPECT_EQ(PVNET_HASH_MAPPING_MAX, d);
	EXPECT_EQ(PVNET_CTRL_SUCCESS,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING_SIZE, 128, 0, 0, page, 2, &d));
	/* entries in two halves: 0,1,0,1... then the second half set */
	for (i = 0; i < 64; i++)
		pv_st32(page + 4 * i, i & 1);
	EXPECT_EQ(PVNET_CTRL_SUCCESS,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 64, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_SUCCESS,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 64, 64, page, 2, &d));
	for (i = 0; i < 128; i++)
		ASSERT_EQ(i & 1, cfg.mapping[i]);

	/* eight flows land on both queues, each always on the same one */
	for (i = 0; i < 8; i++) {
		struct vec v = v4[0];

		v.sport = (uint16_t)(40000 + i);
		len = make_v4(p, &v, 6, 0);
		ASSERT_EQ(PVNET_HASH_T_IPV4_TCP,
			  pvnet_hash_packet(&cfg, 0x0800, p, len, &h));
		if (pvnet_hash_queue(&cfg, h, 2))
			q1++;
		else
			q0++;
		ASSERT_EQ(cfg.mapping[h % 128], pvnet_hash_queue(&cfg, h, 2));
	}
	EXPECT_EQ(8u, q0 + q1);
	EXPECT_NE(0u, q0);
	EXPECT_NE(0u, q1);
	/* a short key: the rest is zero */
	memcpy(page, rss_key, sizeof(rss_key));
	EXPECT_EQ(PVNET_CTRL_SUCCESS, serve(&cfg, PVNET_CTRL_SET_HASH_KEY, 5,
					    4, 0, page, 2, &d));
	EXPECT_EQ(0x6d, cfg.key[0]);
	EXPECT_EQ(0, cfg.key[4]);
	EXPECT_EQ(0, cfg.key[39]);
	/* algorithm none: no hash at all */
	EXPECT_EQ(PVNET_CTRL_SUCCESS, serve(&cfg, PVNET_CTRL_SET_HASH_ALGORITHM,
					    PVNET_HASH_ALG_NONE, 0, 0, page, 2,
					    &d));
	EXPECT_EQ(PVNET_HASH_T_NONE, pvnet_hash_packet(&cfg, 0x0800, p, len, &h));
}

TEST(ctrl_hostile_requests)
{
	static uint8_t page[PVNET_PAGE_SIZE];
	struct pvnet_hash_cfg cfg, before;
	uint32_t d;

	toeplitz_cfg(&cfg, PVNET_HASH_ALL);
	cfg.size = 16;
	before = cfg;
	/* key longer than the protocol's most */
	EXPECT_EQ(PVNET_CTRL_BUFFER_OVERFLOW,
		  serve(&cfg, PVNET_CTRL_SET_HASH_KEY, 5, 41, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_BUFFER_OVERFLOW, serve(&cfg, PVNET_CTRL_SET_HASH_KEY,
						    5, 0xffffffffu, 0, page, 2,
						    &d));
	/* flags nobody defined, algorithms nobody defined */
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_HASH_FLAGS, 0x10, 0, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_HASH_ALGORITHM, 2, 0, 0, page, 2, &d));
	/* table sizes past the most */
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING_SIZE, 129, 0, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING_SIZE, 0xffffffffu, 0, 0, page,
			2, &d));
	/*
	 * sub-tables outside the table (XSA-270), wrapping or not: the size
	 * is invalid (io/netif.h); more than we support overflows
	 */
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 8, 9, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 17, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 2, 0xffffffffu, page, 2,
			&d));
	EXPECT_EQ(PVNET_CTRL_BUFFER_OVERFLOW,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 0x40000001u, 0, page, 2,
			&d));
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 0, 0, page, 2, &d));
	/* an entry naming a queue that does not exist changes nothing */
	pv_st32(page, 1);
	pv_st32(page + 4, 2);
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 2, 0, page, 2, &d));
	pv_st32(page + 4, 0xffffffffu);
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 2, 14, page, 2, &d));
	EXPECT_EQ(0, memcmp(&cfg, &before, sizeof(cfg)));
	/* types not implemented or unknown */
	EXPECT_EQ(PVNET_CTRL_NOT_SUPPORTED,
		  serve(&cfg, PVNET_CTRL_INVALID, 0, 0, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_NOT_SUPPORTED,
		  serve(&cfg, PVNET_CTRL_GET_GREF_MAP_SIZE, 0, 0, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_NOT_SUPPORTED,
		  serve(&cfg, PVNET_CTRL_ADD_GREF_MAPPING, 5, 1, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_NOT_SUPPORTED,
		  serve(&cfg, PVNET_CTRL_DEL_GREF_MAPPING, 5, 1, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_NOT_SUPPORTED,
		  serve(&cfg, 0xffff, 5, 1, 0, page, 2, &d));
	EXPECT_EQ(0, memcmp(&cfg, &before, sizeof(cfg)));
	/* size 0 is modulo: any sub-table lies outside it */
	EXPECT_EQ(PVNET_CTRL_SUCCESS,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING_SIZE, 0, 0, 0, page, 2, &d));
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  serve(&cfg, PVNET_CTRL_SET_MAPPING, 5, 1, 0, page, 2, &d));
	EXPECT_EQ(5u, pvnet_hash_queue(&cfg, 13, 8));
}

TEST(ctrl_random_requests_stay_in_bounds)
{
	static uint8_t page[PVNET_PAGE_SIZE];
	struct pvnet_hash_cfg cfg = { 0 };
	uint32_t round, i, d, st, nrq;

	srand(7);
	for (i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(rand() % 3);	/* mostly valid queues */
	for (round = 0; round < 200000; round++) {
		uint32_t v[3];

		for (i = 0; i < 3; i++) {
			v[i] = (uint32_t)rand();
			if (rand() & 1)
				v[i] %= 140;
		}
		nrq = 1 + (uint32_t)rand() % 4;
		st = serve(&cfg, (uint16_t)(rand() % 12), v[0], v[1], v[2],
			   page, nrq, &d);
		ASSERT_LE(st, PVNET_CTRL_BUFFER_OVERFLOW);
		ASSERT_LE(cfg.size, PVNET_HASH_MAPPING_MAX);
		ASSERT_LE(cfg.alg, PVNET_HASH_ALG_TOEPLITZ);
		ASSERT_EQ(0u, cfg.flags & ~PVNET_HASH_ALL);
		ASSERT_LT(pvnet_hash_queue(&cfg, (uint32_t)rand(), nrq), nrq);
	}
}

TEST_HARNESS_MAIN
