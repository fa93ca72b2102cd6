/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvnetif.h - the Xen netif wire protocol (io/netif.h), decoded and judged
 * the same way by both pvnet ends, in the kernel and in userspace tests,
 * the fuzzer and benchmarks.
 *
 * netif has one layout on every ABI:
 *
 *   TX request  (12 bytes)  gref u32 | offset u16 | flags u16 | id u16 | size u16
 *   TX response  (4 bytes)  id u16 | status s16
 *   extra info   (8 bytes)  type u8 | flags u8 | 6 bytes by type, in a TX
 *                           request slot (guest TX) or an RX response slot
 *   RX request   (8 bytes)  id u16 | pad u16 | gref u32
 *   RX response  (8 bytes)  id u16 | offset u16 | flags u16 | status s16
 *   ctrl request (16 bytes) id u16 | type u16 | data u32[3]
 *   ctrl response(12 bytes) id u16 | type u16 | status u32 | data u32
 *
 * A guest's packet on the TX ring is a chain of slots: the first data
 * slot (its size is the whole packet's length), then the extra-info slots
 * it announces with NETTXF_extra_info, chained by XEN_NETIF_EXTRA_FLAG_MORE,
 * then the follow-on data slots, chained by NETTXF_more_data.  The back
 * end copies slots out of the shared ring once into a private window and
 * judges the chain there with pvnet_tx_parse(); nothing reads the shared
 * ring twice.
 *
 * The verdicts follow what the stock back end (Linux xen-netback) does,
 * since real front ends are written against it: a packet that a correct
 * front end could send but we will not carry is dropped (every data slot
 * answered with an error, the vif goes on); a chain that no correct front
 * end sends (a slot crossing its page, a bad extra, an unending chain, far
 * too many slots) is fatal: the vif is disabled.
 */
#ifndef PVSPLIT_PVNETIF_H
#define PVSPLIT_PVNETIF_H

#include "pvport.h"
#include "pvring.h"

#define PVNET_PAGE_SIZE		PVRING_PAGE_SIZE
#define PVNET_ETH_HLEN		14u

/* Slot sizes of the rings (request and response share a slot). */
#define PVNET_TX_SLOT		12u
#define PVNET_TX_RSP_SIZE	4u
#define PVNET_RX_SLOT		8u
#define PVNET_EXTRA_SIZE	8u
#define PVNET_CTRL_SLOT		16u
#define PVNET_CTRL_RSP_SIZE	12u

/* TX request flags (NETTXF_*) */
#define PVNET_TXF_CSUM_BLANK	0x1u
#define PVNET_TXF_DATA_VALID	0x2u
#define PVNET_TXF_MORE_DATA	0x4u
#define PVNET_TXF_EXTRA_INFO	0x8u

/* RX response flags (NETRXF_*) */
#define PVNET_RXF_DATA_VALID	0x01u
#define PVNET_RXF_CSUM_BLANK	0x02u
#define PVNET_RXF_MORE_DATA	0x04u
#define PVNET_RXF_EXTRA_INFO	0x08u
#define PVNET_RXF_GSO_PREFIX	0x10u

/* Extra info types; XDP is Linux's addition (guest RX only). */
#define PVNET_EXTRA_NONE	0u
#define PVNET_EXTRA_GSO		1u
#define PVNET_EXTRA_MCAST_ADD	2u
#define PVNET_EXTRA_MCAST_DEL	3u
#define PVNET_EXTRA_HASH	4u
#define PVNET_EXTRA_XDP		5u
#define PVNET_EXTRA_MAX		6u	/* types are 1 .. MAX - 1 */
#define PVNET_EXTRA_FLAG_MORE	0x1u

#define PVNET_GSO_NONE		0u
#define PVNET_GSO_TCPV4		1u
#define PVNET_GSO_TCPV6		2u

#define PVNET_RSP_DROPPED	(-2)
#define PVNET_RSP_ERROR		(-1)
#define PVNET_RSP_OKAY		0
#define PVNET_RSP_NULL		1	/* the answer to an extra-info slot */

/*
 * Slots a packet may use that every back end must take
 * (XEN_NETIF_NR_SLOTS_MIN): the first slot and this many more.
 */
#define PVNET_MAX_FOLLOW	18u
#define PVNET_MAX_DATA		(PVNET_MAX_FOLLOW + 1u)
/*
 * Follow-on slots beyond which a chain is taken as hostile, not merely
 * too long (the stock back end's fatal_skb_slots default).
 */
#define PVNET_FATAL_FOLLOW	20u
/*
 * A window this large always holds enough of a chain for a verdict: one
 * slot of each extra type, the first slot, and follow-ons up to the fatal
 * bound plus the one that crosses it.
 */
#define PVNET_TX_WINDOW		(PVNET_EXTRA_MAX - 1u + 1u + PVNET_FATAL_FOLLOW + 1u)

/* Control ring (netif.h "Control ring") */
#define PVNET_CTRL_INVALID		0u
#define PVNET_CTRL_GET_HASH_FLAGS	1u
#define PVNET_CTRL_SET_HASH_FLAGS	2u
#define PVNET_CTRL_SET_HASH_KEY		3u
#define PVNET_CTRL_GET_MAPPING_SIZE	4u
#define PVNET_CTRL_SET_MAPPING_SIZE	5u
#define PVNET_CTRL_SET_MAPPING		6u
#define PVNET_CTRL_SET_HASH_ALGORITHM	7u
#define PVNET_CTRL_GET_GREF_MAP_SIZE	8u
#define PVNET_CTRL_ADD_GREF_MAPPING	9u
#define PVNET_CTRL_DEL_GREF_MAPPING	10u

#define PVNET_CTRL_SUCCESS		0u
#define PVNET_CTRL_NOT_SUPPORTED	1u
#define PVNET_CTRL_INVALID_PARAMETER	2u
#define PVNET_CTRL_BUFFER_OVERFLOW	3u

#define PVNET_HASH_IPV4			0x1u
#define PVNET_HASH_IPV4_TCP		0x2u
#define PVNET_HASH_IPV6			0x4u
#define PVNET_HASH_IPV6_TCP		0x8u
#define PVNET_HASH_ALL			0xfu
/*
 * A HASH extra names its type by bit number (_XEN_NETIF_CTRL_HASH_TYPE_*),
 * not by flag: what the stock back end sends and takes.
 */
#define PVNET_HASH_T_IPV4		0u
#define PVNET_HASH_T_IPV4_TCP		1u
#define PVNET_HASH_T_IPV6		2u
#define PVNET_HASH_T_IPV6_TCP		3u
#define PVNET_HASH_T_NONE		0xffu	/* no hash (never on the wire) */
#define PVNET_HASH_ALG_NONE		0u
#define PVNET_HASH_ALG_TOEPLITZ		1u
#define PVNET_HASH_KEY_MAX		40u	/* bytes, what the stock back end takes */
#define PVNET_HASH_MAPPING_MAX		128u	/* entries */

/**
 * struct pvnet_tx_req - a guest TX request slot, decoded from a copy
 * @gref: grant reference of the page holding the data
 * @offset: where the data starts in that page
 * @flags: PVNET_TXF_*
 * @id: echoed in the response
 * @size: first slot: the whole packet's length; others: this slot's
 */
struct pvnet_tx_req {
	uint32_t gref;
	uint16_t offset;
	uint16_t flags;
	uint16_t id;
	uint16_t size;
};

static inline void pvnet_decode_tx_req(const void *slot, struct pvnet_tx_req *t)
{
	const uint8_t *p = slot;

	t->gref = pv_ld32(p);
	t->offset = pv_ld16(p + 4);
	t->flags = pv_ld16(p + 6);
	t->id = pv_ld16(p + 8);
	t->size = pv_ld16(p + 10);
}

static inline void pvnet_encode_tx_req(void *slot, const struct pvnet_tx_req *t)
{
	uint8_t b[PVNET_TX_SLOT];

	pv_st32(b, t->gref);
	pv_st16(b + 4, t->offset);
	pv_st16(b + 6, t->flags);
	pv_st16(b + 8, t->id);
	pv_st16(b + 10, t->size);
	memcpy(slot, b, sizeof(b));
}

/**
 * struct pvnet_extra - an extra-info slot, decoded
 * @type: PVNET_EXTRA_*
 * @flags: PVNET_EXTRA_FLAG_*
 * @gso_size: GSO: bytes of payload per segment (the MSS)
 * @gso_type: GSO: PVNET_GSO_*
 * @gso_features: GSO: feature bits (none are defined)
 * @addr: MCAST_ADD / MCAST_DEL: the Ethernet address
 * @hash_type: HASH: which PVNET_HASH_T_* the value was computed over
 * @hash_alg: HASH: PVNET_HASH_ALG_* it was computed with
 * @hash_value: HASH: the value
 * @xdp_headroom: XDP: headroom the back end leaves (guest RX)
 */
struct pvnet_extra {
	uint8_t type;
	uint8_t flags;
	uint16_t gso_size;
	uint8_t gso_type;
	uint16_t gso_features;
	uint8_t addr[6];
	uint8_t hash_type;
	uint8_t hash_alg;
	uint32_t hash_value;
	uint16_t xdp_headroom;
};

static inline void pvnet_decode_extra(const void *slot, struct pvnet_extra *e)
{
	const uint8_t *p = slot;

	memset(e, 0, sizeof(*e));
	e->type = p[0];
	e->flags = p[1];
	switch (e->type) {
	case PVNET_EXTRA_GSO:
		e->gso_size = pv_ld16(p + 2);
		e->gso_type = p[4];
		e->gso_features = pv_ld16(p + 6);
		break;
	case PVNET_EXTRA_MCAST_ADD:
	case PVNET_EXTRA_MCAST_DEL:
		memcpy(e->addr, p + 2, sizeof(e->addr));
		break;
	case PVNET_EXTRA_HASH:
		e->hash_type = p[2];
		e->hash_alg = p[3];
		e->hash_value = pv_ld32(p + 4);
		break;
	case PVNET_EXTRA_XDP:
		e->xdp_headroom = pv_ld16(p + 2);
		break;
	default:
		break;
	}
}

/**
 * pvnet_encode_extra() - write an extra-info slot
 * @slot: where (a TX request slot or an RX response slot)
 * @e: what; fields of other types are ignored
 *
 * Writes the 8 bytes of the extra only, as a response slot of 8 bytes
 * takes them whole.
 */
static inline void pvnet_encode_extra(void *slot, const struct pvnet_extra *e)
{
	uint8_t b[PVNET_EXTRA_SIZE] = { 0 };

	b[0] = e->type;
	b[1] = e->flags;
	switch (e->type) {
	case PVNET_EXTRA_GSO:
		pv_st16(b + 2, e->gso_size);
		b[4] = e->gso_type;
		pv_st16(b + 6, e->gso_features);
		break;
	case PVNET_EXTRA_MCAST_ADD:
	case PVNET_EXTRA_MCAST_DEL:
		memcpy(b + 2, e->addr, sizeof(e->addr));
		break;
	case PVNET_EXTRA_HASH:
		b[2] = e->hash_type;
		b[3] = e->hash_alg;
		pv_st32(b + 4, e->hash_value);
		break;
	case PVNET_EXTRA_XDP:
		pv_st16(b + 2, e->xdp_headroom);
		break;
	default:
		break;
	}
	memcpy(slot, b, sizeof(b));
}

/* ---- back end: judging a guest's TX chain ------------------------------ */

enum pvnet_tx_verdict {
	PVNET_TX_OK,		/* a packet to carry */
	PVNET_TX_MCAST,		/* a multicast filter update, no packet */
	PVNET_TX_DROP,		/* answer every data slot with an error */
	PVNET_TX_FATAL,		/* the front end is broken: disable the vif */
};

/**
 * struct pvnet_tx_limits - what the back end offered the front end
 * @gso_mask: bit (1 << PVNET_GSO_*) for each GSO type accepted
 * @mcast: multicast control negotiated (MCAST_ADD / MCAST_DEL extras)
 * @fatal_follow: follow-on slots beyond which the chain is fatal (0:
 *		  PVNET_FATAL_FOLLOW); held to PVNET_MAX_FOLLOW ..
 *		  PVNET_FATAL_FOLLOW so that PVNET_TX_WINDOW always suffices
 */
struct pvnet_tx_limits {
	uint32_t gso_mask;
	bool mcast;
	uint32_t fatal_follow;
};

/**
 * struct pvnet_tx_pkt - one chain of slots, judged
 * @verdict: what to do with it
 * @why: for a drop or a fatal verdict, what was wrong (a constant string)
 * @nr_slots: ring slots the chain uses, extras included
 * @nr_extras: extra-info slots, right after the first slot
 * @nr_data: data slots, the first one included; only the first
 *	     PVNET_MAX_DATA are kept in @slot
 * @len: the packet's length (the first slot's size)
 * @first_len: bytes in the first slot's page (@len less the follow-ons)
 * @flags: the first slot's flags
 * @extras: bit (1 << type) for each extra type present
 * @extra: the extras, indexed by type
 * @slot: the data slots in order, as copied (sizes as on the wire)
 */
struct pvnet_tx_pkt {
	enum pvnet_tx_verdict verdict;
	const char *why;
	uint32_t nr_slots;
	uint32_t nr_extras;
	uint32_t nr_data;
	uint32_t len;
	uint32_t first_len;
	uint16_t flags;
	uint32_t extras;
	struct pvnet_extra extra[PVNET_EXTRA_MAX];
	struct pvnet_tx_req slot[PVNET_MAX_DATA];
};

static inline int pvnet__tx_verdict(struct pvnet_tx_pkt *pkt,
				    enum pvnet_tx_verdict v, const char *why)
{
	/* the first problem found names the packet; fatal beats drop */
	if (pkt->verdict == PVNET_TX_OK || pkt->verdict == PVNET_TX_MCAST ||
	    (v == PVNET_TX_FATAL && pkt->verdict != PVNET_TX_FATAL)) {
		pkt->verdict = v;
		pkt->why = why;
	}
	return 0;
}

/* Check one decoded extra against what the back end accepts. */
static inline void pvnet__tx_extra(struct pvnet_tx_pkt *pkt,
				   const struct pvnet_extra *e,
				   const struct pvnet_tx_limits *lim)
{
	if (e->type == PVNET_EXTRA_NONE || e->type >= PVNET_EXTRA_MAX) {
		pvnet__tx_verdict(pkt, PVNET_TX_FATAL, "bad extra info type");
		return;
	}
	if (pkt->extras & (1u << e->type)) {
		pvnet__tx_verdict(pkt, PVNET_TX_FATAL, "extra info type repeated");
		return;
	}
	pkt->extras |= 1u << e->type;
	pkt->extra[e->type] = *e;
	switch (e->type) {
	case PVNET_EXTRA_GSO:
		if (e->gso_type != PVNET_GSO_TCPV4 &&
		    e->gso_type != PVNET_GSO_TCPV6)
			pvnet__tx_verdict(pkt, PVNET_TX_FATAL, "bad GSO type");
		else if (!e->gso_size)
			pvnet__tx_verdict(pkt, PVNET_TX_FATAL, "GSO size 0");
		else if (!(lim->gso_mask & (1u << e->gso_type)))
			pvnet__tx_verdict(pkt, PVNET_TX_DROP, "GSO type not offered");
		break;
	case PVNET_EXTRA_MCAST_ADD:
	case PVNET_EXTRA_MCAST_DEL:
		if (!lim->mcast)
			pvnet__tx_verdict(pkt, PVNET_TX_DROP,
					  "multicast control not negotiated");
		break;
	case PVNET_EXTRA_XDP:
		/* headroom is for what the guest receives, never sends */
		pvnet__tx_verdict(pkt, PVNET_TX_DROP, "XDP extra on transmit");
		break;
	default:
		break;
	}
}

/**
 * pvnet_tx_parse() - judge the chain at the start of a window of TX slots
 * @win: private copies of consecutive ring slots, PVNET_TX_SLOT bytes each
 * @avail: slots in @win
 * @lim: what the back end offered
 * @pkt: the verdict and the decoded chain
 *
 * The window must hold min(published, PVNET_TX_WINDOW) slots.  A chain
 * that runs past a window of published slots that is shorter than
 * PVNET_TX_WINDOW ran past what the front end published: the front end
 * must publish a packet whole, so the caller treats -EAGAIN then as fatal
 * (or waits, if it chooses to give a front end the benefit of a doubt).
 * Zero-size slots are allowed, as they are in the stock back end.
 *
 * Return: the number of slots of the chain (then @pkt holds the verdict),
 * or -EAGAIN when the chain does not end inside @win.
 */
static inline int pvnet_tx_parse(const uint8_t *win, uint32_t avail,
				 const struct pvnet_tx_limits *lim,
				 struct pvnet_tx_pkt *pkt)
{
	uint32_t fatal = lim->fatal_follow ? lim->fatal_follow :
			 PVNET_FATAL_FOLLOW;
	struct pvnet_tx_req first, t;
	struct pvnet_extra e;
	uint32_t i = 1, left, follow = 0;
	bool more;

	if (fatal < PVNET_MAX_FOLLOW)
		fatal = PVNET_MAX_FOLLOW;
	if (fatal > PVNET_FATAL_FOLLOW)
		fatal = PVNET_FATAL_FOLLOW;
	memset(pkt, 0, sizeof(*pkt));
	if (!avail)
		return -EAGAIN;
	pvnet_decode_tx_req(win, &first);
	pkt->slot[0] = first;
	pkt->flags = first.flags;
	pkt->len = first.size;
	pkt->verdict = PVNET_TX_OK;

	if (first.flags & PVNET_TXF_EXTRA_INFO) {
		do {
			if (i >= avail)
				return -EAGAIN;
			/* at most one of each type: a longer chain is hostile */
			if (i > PVNET_EXTRA_MAX - 1) {
				pvnet__tx_verdict(pkt, PVNET_TX_FATAL,
						  "extra info chain too long");
				break;
			}
			pvnet_decode_extra(win + (size_t)i * PVNET_TX_SLOT, &e);
			i++;
			pvnet__tx_extra(pkt, &e, lim);
		} while ((e.flags & PVNET_EXTRA_FLAG_MORE) &&
			 pkt->verdict != PVNET_TX_FATAL);
	}
	pkt->nr_extras = i - 1;
	if (pkt->verdict == PVNET_TX_FATAL)
		goto out;

	/* follow-on slots: each fits its page and what the first announced */
	left = first.size;
	more = first.flags & PVNET_TXF_MORE_DATA;
	while (more) {
		if (follow >= fatal) {
			pvnet__tx_verdict(pkt, PVNET_TX_FATAL,
					  "far too many slots");
			goto out;
		}
		if (i >= avail)
			return -EAGAIN;
		pvnet_decode_tx_req(win + (size_t)i * PVNET_TX_SLOT, &t);
		i++;
		if (follow < PVNET_MAX_FOLLOW)
			pkt->slot[follow + 1] = t;
		else
			pvnet__tx_verdict(pkt, PVNET_TX_DROP, "too many slots");
		follow++;
		if ((uint32_t)t.offset + t.size > PVNET_PAGE_SIZE) {
			pvnet__tx_verdict(pkt, PVNET_TX_FATAL,
					  "slot crosses its page");
			goto out;
		}
		if (t.size > left)
			pvnet__tx_verdict(pkt, PVNET_TX_DROP,
					  "slots larger than the packet");
		else
			left -= t.size;
		more = t.flags & PVNET_TXF_MORE_DATA;
	}
	pkt->nr_data = follow + 1;
	pkt->first_len = left;

	if (pkt->extras & ((1u << PVNET_EXTRA_MCAST_ADD) |
			   (1u << PVNET_EXTRA_MCAST_DEL))) {
		/* a filter update rides on a request that carries no packet */
		if (follow)
			pvnet__tx_verdict(pkt, PVNET_TX_FATAL,
					  "multicast update with data slots");
		else if (pkt->extras & ~((1u << PVNET_EXTRA_MCAST_ADD) |
					 (1u << PVNET_EXTRA_MCAST_DEL)))
			pvnet__tx_verdict(pkt, PVNET_TX_DROP,
					  "multicast update with other extras");
		else if (pkt->verdict == PVNET_TX_OK)
			pkt->verdict = PVNET_TX_MCAST;
		goto out;
	}
	/* a chain already dropped is not judged further, as in stock */
	if (pkt->verdict == PVNET_TX_DROP)
		goto out;
	if ((uint32_t)first.offset + pkt->first_len > PVNET_PAGE_SIZE) {
		pvnet__tx_verdict(pkt, PVNET_TX_FATAL, "first slot crosses its page");
		goto out;
	}
	if (first.size < PVNET_ETH_HLEN)
		pvnet__tx_verdict(pkt, PVNET_TX_DROP,
				  "packet shorter than an Ethernet header");
out:
	if (!pkt->nr_data)
		pkt->nr_data = follow + 1;
	pkt->nr_slots = i;
	return (int)i;
}

/**
 * pvnet_tx_rsp_status() - what the back end answers slot @i of a chain with
 * @pkt: the judged chain
 * @i: slot index in the chain (0 .. nr_slots - 1)
 * @status: the packet's status (PVNET_RSP_OKAY, _ERROR or _DROPPED)
 *
 * Extras get PVNET_RSP_NULL, data slots @status.
 */
static inline int16_t pvnet_tx_rsp_status(const struct pvnet_tx_pkt *pkt,
					  uint32_t i, int16_t status)
{
	return i >= 1 && i <= pkt->nr_extras ? PVNET_RSP_NULL : status;
}

/**
 * pvnet_encode_tx_rsp() - write a TX response into a ring slot
 * @slot: the slot (shared memory; written, never read)
 * @id: the request's id
 * @status: PVNET_RSP_*
 */
static inline void pvnet_encode_tx_rsp(void *slot, uint16_t id, int16_t status)
{
	uint8_t b[PVNET_TX_RSP_SIZE];

	pv_st16(b, id);
	pv_st16(b + 2, (uint16_t)status);
	memcpy(slot, b, sizeof(b));
}

/* ---- front end: judging the back end's answers ------------------------- */

/**
 * struct pvnet_tx_rsp - a TX response, decoded from a copy
 * @id: the request's id
 * @status: PVNET_RSP_*
 */
struct pvnet_tx_rsp {
	uint16_t id;
	int16_t status;
};

static inline void pvnet_decode_tx_rsp(const void *slot, struct pvnet_tx_rsp *r)
{
	const uint8_t *p = slot;

	r->id = pv_ld16(p);
	r->status = (int16_t)pv_ld16(p + 2);
}

/**
 * pvnet_check_tx_rsp() - judge a TX response before using its id
 * @r: decoded response
 * @nr_ids: ids the front end hands out (0 .. nr_ids - 1)
 *
 * An extra's response (NULL) names no request and is skipped by the
 * caller; any other must name an id in range, which the caller then
 * checks is in flight.
 *
 * Return: 0, or -EINVAL for a status or id no correct back end sends.
 */
static inline int pvnet_check_tx_rsp(const struct pvnet_tx_rsp *r,
				     uint32_t nr_ids)
{
	if (r->status < PVNET_RSP_DROPPED || r->status > PVNET_RSP_NULL)
		return -EINVAL;
	if (r->status != PVNET_RSP_NULL && r->id >= nr_ids)
		return -EINVAL;
	return 0;
}

/**
 * struct pvnet_rx_req - an RX request: a page posted for the back end to
 * fill
 * @id: echoed in the response
 * @gref: grant reference of the page
 */
struct pvnet_rx_req {
	uint16_t id;
	uint32_t gref;
};

static inline void pvnet_encode_rx_req(void *slot, const struct pvnet_rx_req *q)
{
	uint8_t b[PVNET_RX_SLOT] = { 0 };

	pv_st16(b, q->id);
	pv_st32(b + 4, q->gref);
	memcpy(slot, b, sizeof(b));
}

static inline void pvnet_decode_rx_req(const void *slot, struct pvnet_rx_req *q)
{
	const uint8_t *p = slot;

	q->id = pv_ld16(p);
	q->gref = pv_ld32(p + 4);
}

/**
 * struct pvnet_rx_rsp - an RX response, decoded from a copy
 * @id: the request's id
 * @offset: where the data starts in the posted page
 * @flags: PVNET_RXF_*
 * @status: bytes written (>= 0) or PVNET_RSP_ERROR / _DROPPED
 */
struct pvnet_rx_rsp {
	uint16_t id;
	uint16_t offset;
	uint16_t flags;
	int16_t status;
};

static inline void pvnet_decode_rx_rsp(const void *slot, struct pvnet_rx_rsp *r)
{
	const uint8_t *p = slot;

	r->id = pv_ld16(p);
	r->offset = pv_ld16(p + 2);
	r->flags = pv_ld16(p + 4);
	r->status = (int16_t)pv_ld16(p + 6);
}

static inline void pvnet_encode_rx_rsp(void *slot, const struct pvnet_rx_rsp *r)
{
	uint8_t b[PVNET_RX_SLOT];

	pv_st16(b, r->id);
	pv_st16(b + 2, r->offset);
	pv_st16(b + 4, r->flags);
	pv_st16(b + 6, (uint16_t)r->status);
	memcpy(slot, b, sizeof(b));
}

/**
 * pvnet_check_rx_rsp() - judge an RX data response before touching its page
 * @r: decoded response
 * @nr_ids: ids the front end hands out
 * @headroom: bytes the front end asked the back end to leave at the start
 *	      of each first page (xdp-headroom), 0 otherwise
 *
 * Return: the byte count (0 .. page size), -EIO for an error status the
 * back end may send (the packet is dropped), or -EINVAL for a response no
 * correct back end sends: id out of range, data outside the page, an
 * unknown flag or status.
 */
static inline int pvnet_check_rx_rsp(const struct pvnet_rx_rsp *r,
				     uint32_t nr_ids, uint32_t headroom)
{
	if (r->id >= nr_ids)
		return -EINVAL;
	if (r->flags & ~(PVNET_RXF_DATA_VALID | PVNET_RXF_CSUM_BLANK |
			 PVNET_RXF_MORE_DATA | PVNET_RXF_EXTRA_INFO |
			 PVNET_RXF_GSO_PREFIX))
		return -EINVAL;
	if (r->status < 0)
		return r->status >= PVNET_RSP_DROPPED ? -EIO : -EINVAL;
	if (headroom > PVNET_PAGE_SIZE ||
	    (uint32_t)r->offset + (uint32_t)r->status > PVNET_PAGE_SIZE)
		return -EINVAL;
	return r->status;
}

/**
 * pvnet_check_rx_extra() - judge an extra the back end sent with a packet
 * @e: decoded extra (from an RX response slot)
 *
 * Guest RX carries GSO, HASH and XDP extras only.
 *
 * Return: 0 or -EINVAL.
 */
static inline int pvnet_check_rx_extra(const struct pvnet_extra *e)
{
	switch (e->type) {
	case PVNET_EXTRA_GSO:
		if ((e->gso_type != PVNET_GSO_TCPV4 &&
		     e->gso_type != PVNET_GSO_TCPV6) || !e->gso_size)
			return -EINVAL;
		return 0;
	case PVNET_EXTRA_HASH:
		/* a bit number, as the stock back end sends it */
		if (e->hash_type > PVNET_HASH_T_IPV6_TCP)
			return -EINVAL;
		return 0;
	case PVNET_EXTRA_XDP:
		return 0;
	default:
		return -EINVAL;
	}
}

#endif /* PVSPLIT_PVNETIF_H */
