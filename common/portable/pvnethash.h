/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvnethash.h - netif's control ring (io/netif.h "Control ring") and the
 * Toeplitz hash it programs, judged the same way by both pvnet ends, in
 * the kernel and in userspace tests.
 *
 * A front end with more than one queue may hand the back end a key, a set
 * of hash types and a table mapping hash values to queues; the back end
 * then steers each packet for the guest to the queue the table names and
 * tells the guest the hash (a HASH extra), the way a NIC's RSS does.
 *
 * The back end serves a request in three steps, the shared slot copied
 * out once before the first: pvnet_ctrl_prepare() judges the request
 * alone and says how many bytes to copy from the front end's grant (a key
 * or a mapping sub-table, always at the grant's page offset 0, always
 * inside that page); the caller grant-copies them into private memory;
 * pvnet_ctrl_apply() judges what was copied and, only when all of it is
 * good, changes the configuration.  A bad request changes nothing.
 *
 *   ctrl request (16 bytes) id u16 | type u16 | data u32[3]
 *   ctrl response(12 bytes) id u16 | type u16 | status u32 | data u32
 */
#ifndef PVSPLIT_PVNETHASH_H
#define PVSPLIT_PVNETHASH_H

#include "pvnetif.h"

/* Largest hash input: IPv6 source and destination, TCP ports. */
#define PVNET_HASH_INPUT_MAX	36u
/*
 * Bytes from the network header on that always hold what the input is
 * built from: an IPv4 header with the most options and the TCP ports.
 */
#define PVNET_HASH_HDR_MAX	64u

/**
 * struct pvnet_ctrl_req - a control request, decoded from a copy
 * @id: echoed
 * @type: PVNET_CTRL_*
 * @data: arguments by type
 */
struct pvnet_ctrl_req {
	uint16_t id;
	uint16_t type;
	uint32_t data[3];
};

static inline void pvnet_decode_ctrl_req(const void *slot,
					 struct pvnet_ctrl_req *c)
{
	const uint8_t *p = slot;

	c->id = pv_ld16(p);
	c->type = pv_ld16(p + 2);
	c->data[0] = pv_ld32(p + 4);
	c->data[1] = pv_ld32(p + 8);
	c->data[2] = pv_ld32(p + 12);
}

static inline void pvnet_encode_ctrl_req(void *slot,
					 const struct pvnet_ctrl_req *c)
{
	uint8_t b[PVNET_CTRL_SLOT];

	pv_st16(b, c->id);
	pv_st16(b + 2, c->type);
	pv_st32(b + 4, c->data[0]);
	pv_st32(b + 8, c->data[1]);
	pv_st32(b + 12, c->data[2]);
	memcpy(slot, b, sizeof(b));
}

static inline void pvnet_encode_ctrl_rsp(void *slot, uint16_t id, uint16_t type,
					 uint32_t status, uint32_t data)
{
	uint8_t b[PVNET_CTRL_RSP_SIZE];

	pv_st16(b, id);
	pv_st16(b + 2, type);
	pv_st32(b + 4, status);
	pv_st32(b + 8, data);
	memcpy(slot, b, sizeof(b));
}

/**
 * struct pvnet_ctrl_rsp - a control response, decoded from a copy
 * @id: the request's id
 * @type: the request's type
 * @status: PVNET_CTRL_SUCCESS etc.
 * @data: by type (GET_HASH_FLAGS: the flags, GET_MAPPING_SIZE: the most
 *	  entries)
 */
struct pvnet_ctrl_rsp {
	uint16_t id;
	uint16_t type;
	uint32_t status;
	uint32_t data;
};

static inline void pvnet_decode_ctrl_rsp(const void *slot,
					 struct pvnet_ctrl_rsp *r)
{
	const uint8_t *p = slot;

	r->id = pv_ld16(p);
	r->type = pv_ld16(p + 2);
	r->status = pv_ld32(p + 4);
	r->data = pv_ld32(p + 8);
}

/**
 * pvnet_check_ctrl_rsp() - judge a control response (front end)
 * @r: decoded response
 * @id: the id of the one request in flight
 * @type: its type
 *
 * Return: 0, or -EINVAL for an answer to another request or a status no
 * back end may send.
 */
static inline int pvnet_check_ctrl_rsp(const struct pvnet_ctrl_rsp *r,
				       uint16_t id, uint16_t type)
{
	if (r->id != id || r->type != type ||
	    r->status > PVNET_CTRL_BUFFER_OVERFLOW)
		return -EINVAL;
	return 0;
}

/**
 * pvnet_check_mapping() - judge a hash mapping (sub-)table
 * @map: private copy of the entries (queue numbers)
 * @n: entries in it
 * @off: its offset in the whole table, in entries
 * @size: the table's size (SET_HASH_MAPPING_SIZE)
 * @nr_queues: queues connected
 *
 * Every entry must name a connected queue and the sub-table must lie in
 * the table (XSA-270: the stock back end once indexed past it).
 *
 * Return: PVNET_CTRL_SUCCESS, _BUFFER_OVERFLOW for more than
 * PVNET_HASH_MAPPING_MAX entries, else _INVALID_PARAMETER.
 */
static inline uint32_t pvnet_check_mapping(const uint32_t *map, uint32_t n,
					   uint32_t off, uint32_t size,
					   uint32_t nr_queues)
{
	uint32_t i;

	if (!n || n > PVNET_HASH_MAPPING_MAX)
		return n ? PVNET_CTRL_BUFFER_OVERFLOW :
			   PVNET_CTRL_INVALID_PARAMETER;
	/*
	 * Past the table the front end sized is "table size invalid",
	 * INVALID_PARAMETER; BUFFER_OVERFLOW is only for more entries than
	 * we support (io/netif.h, SET_HASH_MAPPING; stock netback agrees).
	 */
	if (off > size || n > size - off)
		return PVNET_CTRL_INVALID_PARAMETER;
	for (i = 0; i < n; i++)
		if (map[i] >= nr_queues)
			return PVNET_CTRL_INVALID_PARAMETER;
	return PVNET_CTRL_SUCCESS;
}

/**
 * pvnet_toeplitz() - the Toeplitz hash netif's control ring defines
 * @key: the key
 * @keylen: its length in bytes (key bits past it count as 0)
 * @buf: the input (addresses and ports, in network order)
 * @len: its length
 *
 * Each set input bit, counted from the most significant bit of buf[0],
 * XORs in the 32 key bits starting at the same bit position.
 *
 * Return: the 32-bit hash.
 */
static inline uint32_t pvnet_toeplitz(const uint8_t *key, uint32_t keylen,
				      const uint8_t *buf, uint32_t len)
{
	uint32_t hash = 0, window = 0, next, i, b;

	/* window: key bits [pos, pos + 32); next: the following 8 */
	for (i = 0; i < 4; i++)
		window = (window << 8) | (i < keylen ? key[i] : 0u);
	for (i = 0; i < len; i++) {
		next = i + 4 < keylen ? key[i + 4] : 0u;
		for (b = 0; b < 8; b++) {
			if (buf[i] & (0x80u >> b))
				hash ^= window;
			window = (window << 1) | ((next >> (7 - b)) & 1u);
		}
	}
	return hash;
}

/**
 * struct pvnet_hash_cfg - what a front end programmed (back end's copy)
 * @alg: PVNET_HASH_ALG_*
 * @flags: PVNET_HASH_* types to compute (0: none)
 * @size: entries of @mapping in use (0: queue = hash modulo queues)
 * @key: the key; bytes past what was set are 0
 * @mapping: queue of each entry, each below the queues connected
 */
struct pvnet_hash_cfg {
	uint32_t alg;
	uint32_t flags;
	uint32_t size;
	uint8_t key[PVNET_HASH_KEY_MAX];
	uint32_t mapping[PVNET_HASH_MAPPING_MAX];
};

/**
 * pvnet_ctrl_prepare() - judge a control request before any copy
 * @c: the request, decoded from a private copy of its slot
 * @cfg: the configuration now
 * @copy_len: set to the bytes to copy from grant @c->data[0], page
 *	      offset 0 (0: none); always at most PVNET_PAGE_SIZE and at
 *	      most what pvnet_ctrl_apply() reads
 *
 * Statuses are the ones io/netif.h gives for each type.  Types not
 * implemented (the staging grants: GET_GREF_MAPPING_SIZE and its
 * friends), INVALID and unknown ones get NOT_SUPPORTED.
 *
 * Return: PVNET_CTRL_SUCCESS to go on to pvnet_ctrl_apply(), else the
 * status to answer with.
 */
static inline uint32_t pvnet_ctrl_prepare(const struct pvnet_ctrl_req *c,
					  const struct pvnet_hash_cfg *cfg,
					  uint32_t *copy_len)
{
	uint32_t n, off;

	*copy_len = 0;
	switch (c->type) {
	case PVNET_CTRL_SET_HASH_ALGORITHM:
		if (c->data[0] != PVNET_HASH_ALG_NONE &&
		    c->data[0] != PVNET_HASH_ALG_TOEPLITZ)
			return PVNET_CTRL_INVALID_PARAMETER;
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_GET_HASH_FLAGS:
		/* "a valid hash algorithm must be selected" */
		return cfg->alg == PVNET_HASH_ALG_NONE ?
		       PVNET_CTRL_NOT_SUPPORTED : PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_SET_HASH_FLAGS:
		if (c->data[0] & ~PVNET_HASH_ALL ||
		    cfg->alg == PVNET_HASH_ALG_NONE)
			return PVNET_CTRL_INVALID_PARAMETER;
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_SET_HASH_KEY:
		if (c->data[1] > PVNET_HASH_KEY_MAX)
			return PVNET_CTRL_BUFFER_OVERFLOW;
		*copy_len = c->data[1];
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_GET_MAPPING_SIZE:
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_SET_MAPPING_SIZE:
		/* 0 is valid: queues are then chosen by modulo */
		return c->data[0] > PVNET_HASH_MAPPING_MAX ?
		       PVNET_CTRL_INVALID_PARAMETER : PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_SET_MAPPING:
		n = c->data[1];
		off = c->data[2];
		/* the sub-table lies in the table (XSA-270), and in one page */
		if (!n)
			return PVNET_CTRL_INVALID_PARAMETER;
		if (n > PVNET_HASH_MAPPING_MAX)
			return PVNET_CTRL_BUFFER_OVERFLOW;
		/* outside the table: its size is invalid, as in check_mapping */
		if (off > cfg->size || n > cfg->size - off)
			return PVNET_CTRL_INVALID_PARAMETER;
		*copy_len = n * 4u;
		return PVNET_CTRL_SUCCESS;
	default:
		return PVNET_CTRL_NOT_SUPPORTED;
	}
}

/**
 * pvnet_ctrl_apply() - carry out a request pvnet_ctrl_prepare() passed
 * @cfg: the configuration, changed only on success
 * @c: the request
 * @buf: private copy of the @copy_len bytes prepare asked for (the key,
 *	 or the sub-table's entries: u32, little-endian)
 * @nr_queues: queues connected
 * @data: set to the response's data
 *
 * Return: the status to answer with.
 */
static inline uint32_t pvnet_ctrl_apply(struct pvnet_hash_cfg *cfg,
					const struct pvnet_ctrl_req *c,
					const uint8_t *buf, uint32_t nr_queues,
					uint32_t *data)
{
	uint32_t map[PVNET_HASH_MAPPING_MAX], n, i, st;

	*data = 0;
	switch (c->type) {
	case PVNET_CTRL_SET_HASH_ALGORITHM:
		cfg->alg = c->data[0];
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_GET_HASH_FLAGS:
		*data = PVNET_HASH_ALL;
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_SET_HASH_FLAGS:
		cfg->flags = c->data[0];
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_SET_HASH_KEY:
		/* octets not given are 0: a new key replaces the old whole */
		memset(cfg->key, 0, sizeof(cfg->key));
		memcpy(cfg->key, buf, c->data[1]);
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_GET_MAPPING_SIZE:
		*data = PVNET_HASH_MAPPING_MAX;
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_SET_MAPPING_SIZE:
		/* a new table is zero-filled */
		cfg->size = c->data[0];
		memset(cfg->mapping, 0, sizeof(cfg->mapping));
		return PVNET_CTRL_SUCCESS;
	case PVNET_CTRL_SET_MAPPING:
		n = c->data[1];
		for (i = 0; i < n; i++)
			map[i] = pv_ld32(buf + 4 * i);
		st = pvnet_check_mapping(map, n, c->data[2], cfg->size,
					 nr_queues);
		if (st == PVNET_CTRL_SUCCESS)
			memcpy(cfg->mapping + c->data[2], map, n * 4u);
		return st;
	default:
		return PVNET_CTRL_NOT_SUPPORTED;
	}
}


/**
 * pvnet_hash_input() - build the hash input netif defines for a packet
 * @ethertype: the packet's (host order): 0x0800 IPv4, 0x86dd IPv6
 * @l3: a private copy of the packet from its network header on
 * @len: bytes in @l3 (at most PVNET_HASH_HDR_MAX are looked at)
 * @flags: PVNET_HASH_* types the front end asked for
 * @buf: PVNET_HASH_INPUT_MAX bytes: source and destination address, then
 *	 for the TCP types source and destination port, in network order
 * @type: set to the PVNET_HASH_T_* built (PVNET_HASH_T_NONE for none)
 *
 * The "maximal" type is chosen: TCP's where asked for and the packet is
 * an unfragmented TCP segment (for IPv6: TCP as the first next header,
 * extension headers are not walked), the address-only type otherwise.
 *
 * Return: bytes of @buf built, 0 when no asked-for type applies or the
 * header is short or malformed.
 */
static inline uint32_t pvnet_hash_input(uint16_t ethertype, const uint8_t *l3,
					uint32_t len, uint32_t flags,
					uint8_t *buf, uint8_t *type)
{
	uint32_t hl;
	bool tcp;

	*type = PVNET_HASH_T_NONE;
	if (ethertype == 0x0800) {
		if (len < 20 || (l3[0] >> 4) != 4)
			return 0;
		hl = (l3[0] & 0xfu) * 4u;
		if (hl < 20 || hl > len)
			return 0;
		memcpy(buf, l3 + 12, 8);
		/* a fragment (MF set or an offset) may carry no ports */
		tcp = l3[9] == 6 && !(((l3[6] << 8) | l3[7]) & 0x3fff) &&
		      len >= hl + 4;
		if (tcp && (flags & PVNET_HASH_IPV4_TCP)) {
			memcpy(buf + 8, l3 + hl, 4);
			*type = PVNET_HASH_T_IPV4_TCP;
			return 12;
		}
		if (flags & PVNET_HASH_IPV4) {
			*type = PVNET_HASH_T_IPV4;
			return 8;
		}
		return 0;
	}
	if (ethertype == 0x86dd) {
		if (len < 40 || (l3[0] >> 4) != 6)
			return 0;
		memcpy(buf, l3 + 8, 32);
		tcp = l3[6] == 6 && len >= 44;
		if (tcp && (flags & PVNET_HASH_IPV6_TCP)) {
			memcpy(buf + 32, l3 + 40, 4);
			*type = PVNET_HASH_T_IPV6_TCP;
			return 36;
		}
		if (flags & PVNET_HASH_IPV6) {
			*type = PVNET_HASH_T_IPV6;
			return 32;
		}
	}
	return 0;
}

/**
 * pvnet_hash_packet() - a packet's hash under a configuration
 * @cfg: the configuration (Toeplitz with some types set, or nothing)
 * @ethertype: the packet's, host order
 * @l3: private copy from the network header on
 * @len: its bytes
 * @hash: set to the hash
 *
 * Return: the PVNET_HASH_T_* computed, PVNET_HASH_T_NONE for none.
 */
static inline uint8_t pvnet_hash_packet(const struct pvnet_hash_cfg *cfg,
					uint16_t ethertype, const uint8_t *l3,
					uint32_t len, uint32_t *hash)
{
	uint8_t in[PVNET_HASH_INPUT_MAX], type;
	uint32_t n;

	*hash = 0;
	if (cfg->alg != PVNET_HASH_ALG_TOEPLITZ || !cfg->flags)
		return PVNET_HASH_T_NONE;
	n = pvnet_hash_input(ethertype, l3, len, cfg->flags, in, &type);
	if (!n)
		return PVNET_HASH_T_NONE;
	*hash = pvnet_toeplitz(cfg->key, PVNET_HASH_KEY_MAX, in, n);
	return type;
}

/**
 * pvnet_hash_queue() - the queue a hash maps to
 * @cfg: the configuration
 * @hash: the packet's hash
 * @nr_queues: queues connected (at least 1)
 *
 * Through the table when there is one, else by modulo, as io/netif.h
 * says.  An entry naming a queue that is not there (it cannot pass
 * pvnet_ctrl_apply(), but a table may outlive a change of queues) falls
 * back to the modulo.
 *
 * Return: a queue below @nr_queues.
 */
static inline uint32_t pvnet_hash_queue(const struct pvnet_hash_cfg *cfg,
					uint32_t hash, uint32_t nr_queues)
{
	uint32_t size = cfg->size, q;

	if (size && size <= PVNET_HASH_MAPPING_MAX) {
		q = cfg->mapping[hash % size];
		if (q < nr_queues)
			return q;
	}
	return hash % nr_queues;
}

#endif /* PVSPLIT_PVNETHASH_H */
