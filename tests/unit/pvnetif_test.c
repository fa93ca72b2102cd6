// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the netif wire code (pvnetif.h) both pvnet ends will use:
 * layouts against Xen's own io/netif.h, the Toeplitz hash against Xen's
 * reference code and the published RSS test vectors, and every rule the
 * back end applies to a guest's transmit chain (the hostile cases the
 * stock back end's advisories came from).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/xen.h>
#define XEN_NETIF_DEFINE_TOEPLITZ
#include <xen/io/netif.h>

#include "kselftest_harness.h"
#include "pvnethash.h"

static const struct pvnet_tx_limits lim = {
	.gso_mask = (1u << PVNET_GSO_TCPV4) | (1u << PVNET_GSO_TCPV6),
	.mcast = true,
};

/* A window of TX slots built by hand. */
struct chain {
	uint8_t win[64 * PVNET_TX_SLOT];
	uint32_t n;
};

static void add_data(struct chain *c, uint16_t offset, uint16_t size,
		     uint16_t flags)
{
	struct pvnet_tx_req t = {
		.gref = 100 + c->n, .offset = offset, .flags = flags,
		.id = (uint16_t)c->n, .size = size,
	};

	pvnet_encode_tx_req(c->win + c->n++ * PVNET_TX_SLOT, &t);
}

static void add_extra(struct chain *c, const struct pvnet_extra *e)
{
	memset(c->win + c->n * PVNET_TX_SLOT, 0xee, PVNET_TX_SLOT);
	pvnet_encode_extra(c->win + c->n++ * PVNET_TX_SLOT, e);
}

/*
 * A packet of @len bytes over @slots data slots: each follow-on takes
 * len / slots, the first slot's page the rest.
 */
static void add_packet(struct chain *c, uint32_t len, uint32_t slots)
{
	uint32_t share = len / slots, i;

	add_data(c, 0, (uint16_t)len, slots > 1 ? PVNET_TXF_MORE_DATA : 0);
	for (i = 1; i < slots; i++)
		add_data(c, 0, (uint16_t)share,
			 i + 1 < slots ? PVNET_TXF_MORE_DATA : 0);
}

static int parse(struct chain *c, struct pvnet_tx_pkt *pkt)
{
	return pvnet_tx_parse(c->win, c->n, &lim, pkt);
}

TEST(layout_matches_xen_header)
{
	struct netif_tx_request x = { .gref = 0x11223344, .offset = 0x55,
				      .flags = NETTXF_more_data, .id = 7,
				      .size = 1514 };
	struct netif_extra_info xe;
	struct netif_rx_response xr = { .id = 3, .offset = 64,
					.flags = NETRXF_csum_blank,
					.status = 1500 };
	struct xen_netif_ctrl_request xc = { .id = 9,
		.type = XEN_NETIF_CTRL_TYPE_SET_HASH_MAPPING,
		.data = { 1, 2, 3 } };
	struct pvnet_tx_req t;
	struct pvnet_extra e;
	struct pvnet_rx_rsp r;
	struct pvnet_ctrl_req c;
	uint8_t buf[PVNET_CTRL_SLOT];

	EXPECT_EQ(PVNET_TX_SLOT, sizeof(union netif_tx_sring_entry));
	EXPECT_EQ(PVNET_RX_SLOT, sizeof(union netif_rx_sring_entry));
	EXPECT_EQ(PVNET_EXTRA_SIZE, sizeof(struct netif_extra_info));
	EXPECT_EQ(PVNET_CTRL_SLOT, sizeof(union xen_netif_ctrl_sring_entry));
	EXPECT_EQ(PVNET_CTRL_RSP_SIZE, sizeof(struct xen_netif_ctrl_response));
	EXPECT_EQ(PVNET_TXF_MORE_DATA, NETTXF_more_data);
	EXPECT_EQ(PVNET_TXF_EXTRA_INFO, NETTXF_extra_info);
	EXPECT_EQ(PVNET_RXF_GSO_PREFIX, NETRXF_gso_prefix);
	EXPECT_EQ(PVNET_MAX_FOLLOW, (unsigned int)XEN_NETIF_NR_SLOTS_MIN);

	pvnet_decode_tx_req(&x, &t);
	EXPECT_EQ(0x11223344u, t.gref);
	EXPECT_EQ(0x55, t.offset);
	EXPECT_EQ(PVNET_TXF_MORE_DATA, t.flags);
	EXPECT_EQ(7, t.id);
	EXPECT_EQ(1514, t.size);
	pvnet_encode_tx_req(buf, &t);
	EXPECT_EQ(0, memcmp(buf, &x, sizeof(x)));

	memset(&xe, 0, sizeof(xe));
	xe.type = XEN_NETIF_EXTRA_TYPE_GSO;
	xe.flags = XEN_NETIF_EXTRA_FLAG_MORE;
	xe.u.gso.size = 1448;
	xe.u.gso.type = XEN_NETIF_GSO_TYPE_TCPV6;
	pvnet_decode_extra(&xe, &e);
	EXPECT_EQ(PVNET_EXTRA_GSO, e.type);
	EXPECT_EQ(PVNET_EXTRA_FLAG_MORE, e.flags);
	EXPECT_EQ(1448, e.gso_size);
	EXPECT_EQ(PVNET_GSO_TCPV6, e.gso_type);
	pvnet_encode_extra(buf, &e);
	EXPECT_EQ(0, memcmp(buf, &xe, sizeof(xe)));

	memset(&xe, 0, sizeof(xe));
	xe.type = XEN_NETIF_EXTRA_TYPE_MCAST_ADD;
	memcpy(xe.u.mcast.addr, "\x01\x00\x5e\x00\x00\x01", 6);
	pvnet_decode_extra(&xe, &e);
	EXPECT_EQ(0, memcmp(e.addr, xe.u.mcast.addr, 6));
	pvnet_encode_extra(buf, &e);
	EXPECT_EQ(0, memcmp(buf, &xe, sizeof(xe)));

	memset(&xe, 0, sizeof(xe));
	xe.type = XEN_NETIF_EXTRA_TYPE_HASH;
	xe.u.hash.type = _XEN_NETIF_CTRL_HASH_TYPE_IPV4_TCP;
	memcpy(xe.u.hash.value, "\x78\x56\x34\x12", 4);
	pvnet_decode_extra(&xe, &e);
	EXPECT_EQ(0x12345678u, e.hash_value);
	pvnet_encode_extra(buf, &e);
	EXPECT_EQ(0, memcmp(buf, &xe, sizeof(xe)));

	pvnet_decode_rx_rsp(&xr, &r);
	EXPECT_EQ(3, r.id);
	EXPECT_EQ(64, r.offset);
	EXPECT_EQ(PVNET_RXF_CSUM_BLANK, r.flags);
	EXPECT_EQ(1500, r.status);
	pvnet_encode_rx_rsp(buf, &r);
	EXPECT_EQ(0, memcmp(buf, &xr, sizeof(xr)));

	pvnet_decode_ctrl_req(&xc, &c);
	EXPECT_EQ(9, c.id);
	EXPECT_EQ(PVNET_CTRL_SET_MAPPING, c.type);
	EXPECT_EQ(3u, c.data[2]);
	pvnet_encode_ctrl_req(buf, &c);
	EXPECT_EQ(0, memcmp(buf, &xc, sizeof(xc)));
}

TEST(tx_and_rx_request_response_layouts)
{
	struct netif_tx_response xt;
	struct netif_rx_request xq;
	struct pvnet_rx_req q = { .id = 5, .gref = 0xabcdef };
	struct pvnet_rx_req back;
	uint8_t buf[PVNET_RX_SLOT];

	pvnet_encode_tx_rsp(&xt, 0x1234, PVNET_RSP_DROPPED);
	EXPECT_EQ(0x1234, xt.id);
	EXPECT_EQ(NETIF_RSP_DROPPED, xt.status);
	pvnet_encode_rx_req(&xq, &q);
	EXPECT_EQ(5, xq.id);
	EXPECT_EQ(0xabcdefu, xq.gref);
	memcpy(buf, &xq, sizeof(xq));
	pvnet_decode_rx_req(buf, &back);
	EXPECT_EQ(q.gref, back.gref);
}

/* Microsoft's RSS verification key and its IPv4 vectors. */
static const uint8_t rss_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

TEST(toeplitz_known_vectors)
{
	/* 66.9.149.187:2794 -> 161.142.100.80:1766 */
	const uint8_t v4[12] = { 66, 9, 149, 187, 161, 142, 100, 80,
				 0x0a, 0xea, 0x06, 0xe6 };
	/* 199.92.111.2:14230 -> 65.69.140.83:4739 */
	const uint8_t v4b[12] = { 199, 92, 111, 2, 65, 69, 140, 83,
				  0x37, 0x96, 0x12, 0x83 };

	EXPECT_EQ(0x323e8fc2u, pvnet_toeplitz(rss_key, 40, v4, 8));
	EXPECT_EQ(0x51ccc178u, pvnet_toeplitz(rss_key, 40, v4, 12));
	EXPECT_EQ(0xd718262au, pvnet_toeplitz(rss_key, 40, v4b, 8));
	EXPECT_EQ(0xc626b0eau, pvnet_toeplitz(rss_key, 40, v4b, 12));
}

TEST(toeplitz_matches_xen_reference)
{
	uint8_t key[PVNET_HASH_KEY_MAX], buf[40];
	unsigned int round, keylen, len, i;

	srand(1);
	for (round = 0; round < 2000; round++) {
		keylen = (unsigned int)rand() % (sizeof(key) + 1);
		len = (unsigned int)rand() % (sizeof(buf) + 1);
		for (i = 0; i < sizeof(key); i++)
			key[i] = (uint8_t)rand();
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t)rand();
		ASSERT_EQ(xen_netif_toeplitz_hash(key, keylen, buf, len),
			  pvnet_toeplitz(key, keylen, buf, len));
	}
}

TEST(tx_simple_packets)
{
	struct chain c = { .n = 0 };
	struct pvnet_tx_pkt pkt;

	add_packet(&c, 1514, 1);
	add_packet(&c, 60, 1);
	EXPECT_EQ(1, parse(&c, &pkt));
	EXPECT_EQ(PVNET_TX_OK, (int)pkt.verdict);
	EXPECT_EQ(1514u, pkt.len);
	EXPECT_EQ(1514u, pkt.first_len);
	EXPECT_EQ(1u, pkt.nr_data);

	c.n = 0;
	add_packet(&c, 9000, 3);
	EXPECT_EQ(3, parse(&c, &pkt));
	EXPECT_EQ(PVNET_TX_OK, (int)pkt.verdict);
	EXPECT_EQ(3u, pkt.nr_data);
	EXPECT_EQ(3000u, pkt.first_len);
}

TEST(tx_slot_counts)
{
	struct chain c;
	struct pvnet_tx_pkt pkt;
	uint32_t slots;

	/* 19 slots (first + 18) are what every back end takes */
	for (slots = 2; slots <= 19; slots++) {
		c.n = 0;
		add_packet(&c, 19 * 100, slots);
		ASSERT_EQ((int)slots, parse(&c, &pkt));
		ASSERT_EQ(PVNET_TX_OK, (int)pkt.verdict);
		ASSERT_EQ(slots, pkt.nr_data);
	}
	/* 20 and 21: dropped, with every slot answered */
	for (slots = 20; slots <= 21; slots++) {
		c.n = 0;
		add_packet(&c, 21 * 100, slots);
		ASSERT_EQ((int)slots, parse(&c, &pkt));
		ASSERT_EQ(PVNET_TX_DROP, (int)pkt.verdict);
		ASSERT_EQ(slots, pkt.nr_data);
	}
	/* 22 and beyond (40): the vif is disabled */
	for (slots = 22; slots <= 40; slots++) {
		c.n = 0;
		add_packet(&c, 40 * 100, slots);
		ASSERT_EQ(PVNET_TX_FATAL, (parse(&c, &pkt), (int)pkt.verdict));
	}
}

TEST(tx_chain_must_end_inside_what_was_published)
{
	struct chain c = { .n = 0 };
	struct pvnet_tx_pkt pkt;

	add_packet(&c, 3000, 3);
	EXPECT_EQ(-EAGAIN, pvnet_tx_parse(c.win, 2, &lim, &pkt));
	EXPECT_EQ(-EAGAIN, pvnet_tx_parse(c.win, 0, &lim, &pkt));
	/* a window of PVNET_TX_WINDOW always reaches a verdict */
	c.n = 0;
	add_packet(&c, 60 * 60, 60);
	EXPECT_LT(0, pvnet_tx_parse(c.win, PVNET_TX_WINDOW, &lim, &pkt));
	EXPECT_EQ(PVNET_TX_FATAL, (int)pkt.verdict);
}

TEST(tx_sizes)
{
	struct chain c;
	struct pvnet_tx_pkt pkt;

	/* shorter than an Ethernet header: dropped */
	c.n = 0;
	add_data(&c, 0, 13, 0);
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_DROP, (int)pkt.verdict);
	/* all slots zero */
	c.n = 0;
	add_data(&c, 0, 0, PVNET_TXF_MORE_DATA);
	add_data(&c, 0, 0, PVNET_TXF_MORE_DATA);
	add_data(&c, 0, 0, 0);
	EXPECT_EQ(3, parse(&c, &pkt));
	EXPECT_EQ(PVNET_TX_DROP, (int)pkt.verdict);
	/* zero-size follow-on slots are fine */
	c.n = 0;
	add_data(&c, 0, 100, PVNET_TXF_MORE_DATA);
	add_data(&c, 0, 0, PVNET_TXF_MORE_DATA);
	add_data(&c, 0, 40, 0);
	EXPECT_EQ(3, parse(&c, &pkt));
	EXPECT_EQ(PVNET_TX_OK, (int)pkt.verdict);
	EXPECT_EQ(60u, pkt.first_len);
	/* under 128 bytes over 19 slots (XSA-432): carried, 5 bytes each */
	c.n = 0;
	add_packet(&c, 19 * 5, 19);
	EXPECT_EQ(19, parse(&c, &pkt));
	EXPECT_EQ(PVNET_TX_OK, (int)pkt.verdict);
	/* first size smaller than the rest: dropped */
	c.n = 0;
	add_data(&c, 0, 100, PVNET_TXF_MORE_DATA);
	add_data(&c, 0, 101, 0);
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_DROP, (int)pkt.verdict);
	/* first size larger than the rest by more than a page: fatal */
	c.n = 0;
	add_data(&c, 0, 9000, PVNET_TXF_MORE_DATA);
	add_data(&c, 0, 100, 0);
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_FATAL, (int)pkt.verdict);
	/* a follow-on slot crossing its page: fatal */
	c.n = 0;
	add_data(&c, 0, 3000, PVNET_TXF_MORE_DATA);
	add_data(&c, 4000, 200, 0);
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_FATAL, (int)pkt.verdict);
	/* the first slot crossing its page: fatal */
	c.n = 0;
	add_data(&c, 4000, 200, 0);
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_FATAL, (int)pkt.verdict);
	/* ends exactly at the page's end: fine */
	c.n = 0;
	add_data(&c, 4096 - 60, 60, 0);
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_OK, (int)pkt.verdict);
}

TEST(tx_extras)
{
	struct pvnet_extra gso = { .type = PVNET_EXTRA_GSO,
				   .gso_size = 1448,
				   .gso_type = PVNET_GSO_TCPV4 };
	struct pvnet_extra e;
	struct chain c;
	struct pvnet_tx_pkt pkt;

	/* a GSO packet: extra between the first slot and the follow-ons */
	c.n = 0;
	add_data(&c, 0, 5000, PVNET_TXF_EXTRA_INFO | PVNET_TXF_MORE_DATA);
	add_extra(&c, &gso);
	add_data(&c, 0, 4000, 0);
	EXPECT_EQ(3, parse(&c, &pkt));
	EXPECT_EQ(PVNET_TX_OK, (int)pkt.verdict);
	EXPECT_EQ(1u, pkt.nr_extras);
	EXPECT_EQ(2u, pkt.nr_data);
	EXPECT_EQ(1448, pkt.extra[PVNET_EXTRA_GSO].gso_size);
	EXPECT_EQ(PVNET_RSP_NULL, pvnet_tx_rsp_status(&pkt, 1, PVNET_RSP_OKAY));
	EXPECT_EQ(PVNET_RSP_OKAY, pvnet_tx_rsp_status(&pkt, 2, PVNET_RSP_OKAY));

	/* types 0, 6 and 200: fatal; 5 (XDP) on transmit: dropped */
	for (unsigned int type = 0; type < 256; type++) {
		c.n = 0;
		e = (struct pvnet_extra){ .type = (uint8_t)type,
					  .gso_size = 1448,
					  .gso_type = PVNET_GSO_TCPV4 };
		add_data(&c, 0, 1000, PVNET_TXF_EXTRA_INFO);
		add_extra(&c, &e);
		parse(&c, &pkt);
		if (type == 0 || type >= PVNET_EXTRA_MAX)
			ASSERT_EQ(PVNET_TX_FATAL, (int)pkt.verdict);
		if (type == PVNET_EXTRA_XDP)
			ASSERT_EQ(PVNET_TX_DROP, (int)pkt.verdict);
		if (type == PVNET_EXTRA_GSO || type == PVNET_EXTRA_HASH)
			ASSERT_EQ(PVNET_TX_OK, (int)pkt.verdict);
	}
	/* GSO: unknown type and size 0 are fatal, a type not offered drops */
	c.n = 0;
	e = gso;
	e.gso_type = 7;
	add_data(&c, 0, 1000, PVNET_TXF_EXTRA_INFO);
	add_extra(&c, &e);
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_FATAL, (int)pkt.verdict);
	c.n = 0;
	e = gso;
	e.gso_size = 0;
	add_data(&c, 0, 1000, PVNET_TXF_EXTRA_INFO);
	add_extra(&c, &e);
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_FATAL, (int)pkt.verdict);
	{
		struct pvnet_tx_limits v4only = { .gso_mask = 1u << PVNET_GSO_TCPV4 };

		c.n = 0;
		e = gso;
		e.gso_type = PVNET_GSO_TCPV6;
		add_data(&c, 0, 1000, PVNET_TXF_EXTRA_INFO);
		add_extra(&c, &e);
		pvnet_tx_parse(c.win, c.n, &v4only, &pkt);
		EXPECT_EQ(PVNET_TX_DROP, (int)pkt.verdict);
	}
	/* an extra chain that never ends: fatal once it cannot be legal */
	c.n = 0;
	add_data(&c, 0, 1000, PVNET_TXF_EXTRA_INFO);
	for (int i = 0; i < 10; i++) {
		e = (struct pvnet_extra){ .type = PVNET_EXTRA_HASH,
					  .flags = PVNET_EXTRA_FLAG_MORE };
		add_extra(&c, &e);
	}
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_FATAL, (int)pkt.verdict);
	/* ... and one that runs off the published end asks for more */
	c.n = 0;
	add_data(&c, 0, 1000, PVNET_TXF_EXTRA_INFO);
	e = (struct pvnet_extra){ .type = PVNET_EXTRA_GSO, .gso_size = 1,
				  .gso_type = PVNET_GSO_TCPV4,
				  .flags = PVNET_EXTRA_FLAG_MORE };
	add_extra(&c, &e);
	EXPECT_EQ(-EAGAIN, parse(&c, &pkt));
}

TEST(tx_multicast_control)
{
	struct pvnet_extra add = { .type = PVNET_EXTRA_MCAST_ADD,
				   .addr = { 1, 0, 0x5e, 0, 0, 1 } };
	struct pvnet_tx_limits nomc = lim;
	struct chain c;
	struct pvnet_tx_pkt pkt;

	c.n = 0;
	add_data(&c, 0, 0, PVNET_TXF_EXTRA_INFO);
	add_extra(&c, &add);
	EXPECT_EQ(2, parse(&c, &pkt));
	EXPECT_EQ(PVNET_TX_MCAST, (int)pkt.verdict);
	EXPECT_EQ(0x5e, pkt.extra[PVNET_EXTRA_MCAST_ADD].addr[2]);
	nomc.mcast = false;
	pvnet_tx_parse(c.win, c.n, &nomc, &pkt);
	EXPECT_EQ(PVNET_TX_DROP, (int)pkt.verdict);
	/* an update that also carries data slots is no correct request */
	c.n = 0;
	add_data(&c, 0, 100, PVNET_TXF_EXTRA_INFO | PVNET_TXF_MORE_DATA);
	add_extra(&c, &add);
	add_data(&c, 0, 50, 0);
	parse(&c, &pkt);
	EXPECT_EQ(PVNET_TX_FATAL, (int)pkt.verdict);
}

TEST(front_end_checks_responses)
{
	struct pvnet_rx_rsp r = { .id = 10, .offset = 0, .status = 1500 };
	struct pvnet_tx_rsp t = { .id = 3, .status = PVNET_RSP_OKAY };
	struct pvnet_extra e = { .type = PVNET_EXTRA_GSO, .gso_size = 1448,
				 .gso_type = PVNET_GSO_TCPV4 };

	EXPECT_EQ(1500, pvnet_check_rx_rsp(&r, 256, 0));
	r.id = 256;
	EXPECT_EQ(-EINVAL, pvnet_check_rx_rsp(&r, 256, 0));
	r.id = 1;
	r.offset = 4000;
	EXPECT_EQ(-EINVAL, pvnet_check_rx_rsp(&r, 256, 0));
	r.offset = 4096 - 1500;
	EXPECT_EQ(1500, pvnet_check_rx_rsp(&r, 256, 0));
	r.status = PVNET_RSP_ERROR;
	EXPECT_EQ(-EIO, pvnet_check_rx_rsp(&r, 256, 0));
	r.status = -3;
	EXPECT_EQ(-EINVAL, pvnet_check_rx_rsp(&r, 256, 0));
	r.status = 10;
	r.flags = 0x20;
	EXPECT_EQ(-EINVAL, pvnet_check_rx_rsp(&r, 256, 0));

	EXPECT_EQ(0, pvnet_check_tx_rsp(&t, 256));
	t.id = 300;
	EXPECT_EQ(-EINVAL, pvnet_check_tx_rsp(&t, 256));
	t.status = PVNET_RSP_NULL;	/* an extra's answer names no id */
	EXPECT_EQ(0, pvnet_check_tx_rsp(&t, 256));
	t.id = 0;
	t.status = 2;
	EXPECT_EQ(-EINVAL, pvnet_check_tx_rsp(&t, 256));

	EXPECT_EQ(0, pvnet_check_rx_extra(&e));
	e.gso_size = 0;
	EXPECT_EQ(-EINVAL, pvnet_check_rx_extra(&e));
	e.type = PVNET_EXTRA_MCAST_ADD;
	EXPECT_EQ(-EINVAL, pvnet_check_rx_extra(&e));
}

TEST(hash_mapping_bounds)
{
	uint32_t map[PVNET_HASH_MAPPING_MAX] = { 0 };

	EXPECT_EQ(PVNET_CTRL_SUCCESS, pvnet_check_mapping(map, 128, 0, 128, 2));
	map[5] = 1;
	EXPECT_EQ(PVNET_CTRL_SUCCESS, pvnet_check_mapping(map, 64, 64, 128, 2));
	map[5] = 2;	/* a queue that does not exist (XSA-270) */
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  pvnet_check_mapping(map, 64, 0, 128, 2));
	map[5] = 0;
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  pvnet_check_mapping(map, 64, 65, 128, 2));
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  pvnet_check_mapping(map, 1, 0xffffffffu, 128, 2));
	EXPECT_EQ(PVNET_CTRL_BUFFER_OVERFLOW,
		  pvnet_check_mapping(map, 129, 0, 256, 2));
	EXPECT_EQ(PVNET_CTRL_INVALID_PARAMETER,
		  pvnet_check_mapping(map, 0, 0, 128, 2));
}

TEST_HARNESS_MAIN
