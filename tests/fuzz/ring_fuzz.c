// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: a hostile peer drives a shared ring.
 *
 * The input is a script of operations.  Our back end consumes requests and
 * answers them, our front end produces requests and consumes responses,
 * and between steps the "peer" may overwrite any shared index or slot.
 * Built with AddressSanitizer: any access outside the ring pages, any
 * count beyond the ring size, or a broken ring that comes back to life is
 * a crash.  Requests copied out are fed to pvbench_check_request(), whose
 * acceptance must imply lengths that fit the segments.  The first bytes
 * are also decoded as a blkif request (both layouts) and judged as
 * pvblkback judges it: acceptance must imply a range inside the disk.
 * The same bytes are a window of netif TX slots judged as pvnetback will:
 * every chain a carry verdict accepts must fit its pages and its length.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pvring.h"
#include "pvbench.h"
#include "pvblkif.h"
#include "pvnetif.h"

struct script {
	const uint8_t *p;
	size_t n;
};

static int next(struct script *s)
{
	if (!s->n)
		return -1;
	s->n--;
	return *s->p++;
}

static uint32_t next32(struct script *s)
{
	uint32_t v = 0;
	int i, b;

	for (i = 0; i < 4; i++) {
		b = next(s);
		v = v << 8 | (b < 0 ? 0 : (uint32_t)b);
	}
	return v;
}

static void check_request(const struct pvbench_request *req)
{
	uint32_t total = 0;
	unsigned int i;

	if (pvbench_check_request(req, PVBENCH_MAX_SEGS))
		return;
	assert(req->nr_segs <= PVBENCH_MAX_SEGS);
	for (i = 0; i < req->nr_segs; i++) {
		uint32_t l = pvbench_seg_len(req->len, i);

		assert(l > 0 && l <= PVBENCH_SEG_SIZE);
		total += l;
	}
	assert(total == req->len);
}

static void drive(struct pvring *me, struct pvring_sring *s, size_t bytes,
		  struct script *sc)
{
	struct pvbench_request req[8];
	bool was_broken = false;
	int op;

	while ((op = next(sc)) >= 0) {
		uint32_t v = next32(sc);
		int n;

		switch (op % 8) {
		case 0:		/* peer moves its producer index */
			WRITE_ONCE(*(uint32_t *)me->peer_prod, v);
			break;
		case 1:		/* peer scribbles on its event index */
			WRITE_ONCE(*(uint32_t *)me->peer_event, v);
			break;
		case 2:		/* peer rewrites a slot */
			memset(pvring_slot(me, v >> 8), (int)(v & 0xff),
			       me->slot_size);
			break;
		case 3:		/* we consume a batch */
			n = pvring_consume_batch(me, req, sizeof(req[0]),
						 sizeof(req[0]), 1 + v % 8);
			assert(n <= 8);
			if (n > 0)
				while (n--)
					check_request(&req[n]);
			break;
		case 4:		/* we produce what we may */
			n = (int)(v % (me->size + 1));
			if ((uint32_t)n > pvring_free(me))
				n = (int)pvring_free(me);
			pvring_produce(me, (uint32_t)n);
			break;
		case 5:
			pvring_publish(me);
			break;
		case 6:
			pvring_arm(me, v % (me->size + 1));
			break;
		case 7:		/* peer rewrites our own indices */
			WRITE_ONCE(*me->my_prod, v);
			break;
		}
		n = pvring_avail(me);
		assert(n == -EPROTO || (n >= 0 && (uint32_t)n <= me->size +
					pvring_in_flight(me)));
		if (was_broken)
			assert(n == -EPROTO);
		was_broken = pvring_broken(me);
		assert(pvring_free(me) <= me->size);
	}
	(void)s;
	(void)bytes;
}

/* A hostile blkif request: what the checks accept must be servable. */
static void blkif_case(const uint8_t *data, size_t size)
{
	struct pvblk_limits lim = { 0 };
	struct pvblk_seg segs[PVBLK_MAX_INDIRECT_SEGS];
	struct pvblk_req r;
	uint64_t n = 0;
	uint32_t i, nsegs;
	int abi;

	if (size < PVBLK_SLOT_64 + 8)
		return;
	lim.capacity = (uint64_t)data[PVBLK_SLOT_64] << (data[PVBLK_SLOT_64 + 1] % 48);
	lim.lbs_sectors = data[PVBLK_SLOT_64 + 2] & 1 ? 8 : 1;
	lim.max_indirect_segs = (data[PVBLK_SLOT_64 + 3] & 1) * 256;
	lim.readonly = data[PVBLK_SLOT_64 + 4] & 1;
	lim.flush = lim.barrier = data[PVBLK_SLOT_64 + 4] & 2;
	lim.discard = data[PVBLK_SLOT_64 + 4] & 4;
	lim.secure = data[PVBLK_SLOT_64 + 4] & 8;
	for (abi = PVBLK_ABI_64; abi <= PVBLK_ABI_32; abi++) {
		pvblk_decode_req(data, abi, &r);
		if (pvblk_check_req(&r, &lim))
			continue;
		if (r.op == PVBLK_OP_DISCARD) {
			assert(r.nr_sectors && r.sector + r.nr_sectors <= lim.capacity);
			assert(r.sector + r.nr_sectors >= r.sector);
			continue;
		}
		assert(lim.readonly ? !pvblk_op_writes(r.data_op) : 1);
		nsegs = r.nr_segs;
		if (r.op == PVBLK_OP_INDIRECT) {
			assert(nsegs && nsegs <= lim.max_indirect_segs);
			assert(r.nr_indirect <= PVBLK_MAX_INDIRECT_PAGES);
			/* descriptors come from the rest of the input */
			for (i = 0; i < nsegs; i++)
				pvblk_decode_seg(data + (PVBLK_SEG_SIZE * i) % (size - 8),
						 &segs[i]);
		} else {
			assert(nsegs <= PVBLK_MAX_SEGS);
			memcpy(segs, r.seg, sizeof(r.seg));
		}
		if (pvblk_check_segs(segs, nsegs, r.sector, &lim, &n))
			continue;
		assert(n <= (uint64_t)nsegs * PVBLK_SECTORS_PER_PAGE);
		assert(r.sector + n <= lim.capacity && r.sector + n >= r.sector);
		for (i = 0; i < nsegs; i++)
			assert(segs[i].first_sect <= segs[i].last_sect &&
			       segs[i].last_sect < PVBLK_SECTORS_PER_PAGE);
	}
}

/*
 * A hostile guest's TX ring: walk the window chain by chain as the back
 * end will; what it carries must be what it can copy safely.
 */
static void netif_case(const uint8_t *data, size_t size)
{
	struct pvnet_tx_limits lim = {
		.gso_mask = size & 1 ? 6u : 2u,
		.mcast = size & 2,
		.fatal_follow = (uint32_t)(size % 40),
	};
	uint32_t avail = (uint32_t)(size / PVNET_TX_SLOT), at = 0, i, sum;
	struct pvnet_tx_pkt pkt;
	int n;

	while (at < avail) {
		n = pvnet_tx_parse(data + (size_t)at * PVNET_TX_SLOT,
				   avail - at < PVNET_TX_WINDOW ? avail - at :
				   PVNET_TX_WINDOW, &lim, &pkt);
		if (n < 0) {
			/* only a chain running off the published end */
			assert(n == -EAGAIN && avail - at < PVNET_TX_WINDOW);
			return;
		}
		assert(n >= 1 && (uint32_t)n <= avail - at);
		assert((uint32_t)n <= PVNET_TX_WINDOW);
		assert(pkt.nr_slots == (uint32_t)n);
		if (pkt.verdict == PVNET_TX_FATAL)
			return;
		assert(pkt.nr_slots == 1 + pkt.nr_extras + pkt.nr_data - 1);
		if (pkt.verdict == PVNET_TX_OK) {
			assert(pkt.nr_data <= PVNET_MAX_DATA);
			assert(pkt.len >= PVNET_ETH_HLEN);
			assert(pkt.slot[0].offset + pkt.first_len <= PVNET_PAGE_SIZE);
			sum = pkt.first_len;
			for (i = 1; i < pkt.nr_data; i++) {
				assert(pkt.slot[i].offset + pkt.slot[i].size <=
				       PVNET_PAGE_SIZE);
				sum += pkt.slot[i].size;
			}
			assert(sum == pkt.len);
			if (pkt.extras & (1u << PVNET_EXTRA_GSO))
				assert(pkt.extra[PVNET_EXTRA_GSO].gso_size &&
				       (lim.gso_mask &
					(1u << pkt.extra[PVNET_EXTRA_GSO].gso_type)));
		}
		at += (uint32_t)n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script sc = { data, size };
	struct pvring_sring *s;
	struct pvring r;
	unsigned int order;
	size_t bytes;
	int end;

	blkif_case(data, size);
	netif_case(data, size);

	order = (unsigned int)(next(&sc) & 0xff) % (PVRING_MAX_ORDER + 1);
	end = next(&sc) & 1;
	bytes = (size_t)PVRING_PAGE_SIZE << order;
	s = aligned_alloc(PVRING_PAGE_SIZE, bytes);
	memset(s, 0, bytes);
	pvring_init_shared(s);
	pvring_attach(&r, s, bytes, PVBENCH_SLOT_SIZE,
		      end ? PVRING_BACK : PVRING_FRONT, next32(&sc));
	drive(&r, s, bytes, &sc);
	free(s);
	return 0;
}
