/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvring.h - Xen-layout shared rings, one implementation for both ends.
 *
 * The shared page(s) follow io/ring.h exactly: a 64-byte header holding
 * req_prod, req_event, rsp_prod and rsp_event, then a power-of-two array of
 * fixed-size slots that requests and responses share.  That is what lets
 * our ends talk to the stock drivers.
 *
 * What differs from the stock macros is the private state kept beside it:
 *
 *  - The producer index of the peer is cached and re-read from shared
 *    memory only once the cached part is consumed, so a burst costs one
 *    read of the contended header line, not one per slot.
 *  - Producing and publishing are separate, so a batch is published with
 *    one store and at most one notification.
 *  - Every index read from the peer is validated against what the peer may
 *    legally have produced; a violation marks the ring broken and every
 *    later call fails with -EPROTO, never touching memory out of range.
 *  - Consumers copy a slot out once (pvring_consume*) and never read it
 *    again, so a peer rewriting a slot after validation changes nothing.
 *  - A waiting end may ask to be woken only after several slots
 *    (pvring_arm()), which turns a ring-full ping-pong into one wake-up per
 *    batch.
 *
 * Front ends produce requests and consume responses, back ends the reverse;
 * the code is symmetric through four pointers into the shared header.
 */
#ifndef PVSPLIT_PVRING_H
#define PVSPLIT_PVRING_H

#include "pvport.h"

#define PVRING_PAGE_SIZE	4096u
#define PVRING_HDR_SIZE		64u
#define PVRING_MAX_ORDER	4u	/* 16 pages, XENBUS_MAX_RING_GRANTS */

/* The io/ring.h shared ring header; slots follow at offset 64. */
struct pvring_sring {
	uint32_t req_prod;
	uint32_t req_event;
	uint32_t rsp_prod;
	uint32_t rsp_event;
	uint8_t pvt[4];
	uint8_t pad[44];
	uint8_t slots[];
};

pv_static_assert(offsetof(struct pvring_sring, slots) == PVRING_HDR_SIZE,
		 "shared ring header must be 64 bytes as in io/ring.h");

enum pvring_end {
	PVRING_FRONT,		/* produces requests, consumes responses */
	PVRING_BACK,		/* consumes requests, produces responses */
};

/**
 * struct pvring - one end's private view of a shared ring
 * @sring: the shared pages
 * @my_prod: shared producer index this end writes
 * @my_event: shared event index this end writes to ask for notification
 * @peer_prod: shared producer index the peer writes
 * @peer_event: shared event index the peer writes
 * @size: number of slots, a power of two
 * @slot_size: bytes per slot (size of the request/response union)
 * @prod_pvt: next slot this end will produce into (not yet visible)
 * @published: value last stored in *@my_prod
 * @cons: next slot this end will consume
 * @peer_seen: last peer producer index read and validated
 * @back: true for the back end
 * @broken: the peer broke the protocol; the ring is dead
 */
struct pvring {
	struct pvring_sring *sring;
	uint32_t *my_prod;
	uint32_t *my_event;
	const uint32_t *peer_prod;
	const uint32_t *peer_event;
	uint32_t size;
	uint32_t slot_size;
	uint32_t prod_pvt;
	uint32_t published;
	uint32_t cons;
	uint32_t peer_seen;
	bool back;
	bool broken;
};

/**
 * pvring_nr_slots() - slots that fit in a shared ring, as io/ring.h counts
 * @ring_bytes: bytes of the shared area, header included
 * @slot_size: bytes per slot
 *
 * Return: the largest power of two of slots fitting after the header,
 * or 0 when not even one fits.
 */
static inline uint32_t pvring_nr_slots(size_t ring_bytes, size_t slot_size)
{
	size_t n;
	uint32_t p = 1;

	if (!slot_size || ring_bytes < PVRING_HDR_SIZE + slot_size)
		return 0;
	n = (ring_bytes - PVRING_HDR_SIZE) / slot_size;
	while ((size_t)p * 2 <= n && p < 0x80000000u)
		p *= 2;
	return p;
}

/**
 * pvring_init_shared() - put a fresh shared ring in its initial state
 * @s: the shared area, written by the front end before granting it
 *
 * Matches SHARED_RING_INIT: indices at zero, both event indices at one.
 */
static inline void pvring_init_shared(struct pvring_sring *s)
{
	s->req_prod = 0;
	s->rsp_prod = 0;
	s->req_event = 1;
	s->rsp_event = 1;
	memset(s->pvt, 0, sizeof(s->pvt));
	memset(s->pad, 0, sizeof(s->pad));
}

/**
 * pvring_attach() - set up one end's private state over a shared ring
 * @r: private state to fill
 * @s: shared area
 * @ring_bytes: size of the shared area
 * @slot_size: bytes per slot
 * @end: which end this is
 * @start: index both sides start at (0 for a fresh ring)
 *
 * Return: 0, or -EINVAL when no slot fits.
 */
static inline int pvring_attach(struct pvring *r, struct pvring_sring *s,
				size_t ring_bytes, size_t slot_size,
				enum pvring_end end, uint32_t start)
{
	memset(r, 0, sizeof(*r));
	r->size = pvring_nr_slots(ring_bytes, slot_size);
	if (!r->size)
		return -EINVAL;
	r->sring = s;
	r->slot_size = (uint32_t)slot_size;
	r->back = end == PVRING_BACK;
	if (r->back) {
		r->my_prod = &s->rsp_prod;
		r->my_event = &s->req_event;
		r->peer_prod = &s->req_prod;
		r->peer_event = &s->rsp_event;
	} else {
		r->my_prod = &s->req_prod;
		r->my_event = &s->rsp_event;
		r->peer_prod = &s->rsp_prod;
		r->peer_event = &s->req_event;
	}
	r->prod_pvt = start;
	r->published = start;
	r->cons = start;
	r->peer_seen = start;
	return 0;
}

static inline bool pvring_broken(const struct pvring *r)
{
	return r->broken;
}

/* Address of the slot for free-running index @idx. */
static inline void *pvring_slot(const struct pvring *r, uint32_t idx)
{
	return r->sring->slots + (size_t)(idx & (r->size - 1)) * r->slot_size;
}

/* ---- producing ------------------------------------------------------- */

/**
 * pvring_free() - slots this end may produce into now
 * @r: ring
 *
 * A front end may have at most @size requests not yet consumed as
 * responses; a back end may answer only requests it has consumed.
 */
static inline uint32_t pvring_free(const struct pvring *r)
{
	if (r->back)
		return r->cons - r->prod_pvt;
	return r->size - (r->prod_pvt - r->cons);
}

/* Slot @i positions past the next one to produce; caller checks free. */
static inline void *pvring_prod_slot(const struct pvring *r, uint32_t i)
{
	return pvring_slot(r, r->prod_pvt + i);
}

/* Make @n filled slots part of the next publish. */
static inline void pvring_produce(struct pvring *r, uint32_t n)
{
	r->prod_pvt += n;
}

/* Produced but not yet visible to the peer. */
static inline uint32_t pvring_unpublished(const struct pvring *r)
{
	return r->prod_pvt - r->published;
}

/**
 * pvring_publish() - make produced slots visible, decide on notification
 * @r: ring
 *
 * One store of the producer index for the whole batch, then the io/ring.h
 * rule: notify when the peer's event index lies in (old, new].
 *
 * Return: true when the peer asked to be notified of this batch.
 */
static inline bool pvring_publish(struct pvring *r)
{
	uint32_t old = r->published, new = r->prod_pvt;
	uint32_t ev;

	if (old == new)
		return false;
	pv_wmb();		/* slots before index */
	WRITE_ONCE(*r->my_prod, new);
	r->published = new;
	pv_mb();		/* index before reading the peer's event */
	ev = READ_ONCE(*r->peer_event);
	return (uint32_t)(new - ev) < (uint32_t)(new - old);
}

/**
 * pvring_publish_quiet() - make produced slots visible, never notify
 * @r: ring
 *
 * For a peer that polls: no full barrier, no read of its event index.
 */
static inline void pvring_publish_quiet(struct pvring *r)
{
	if (r->published == r->prod_pvt)
		return;
	pv_wmb();
	WRITE_ONCE(*r->my_prod, r->prod_pvt);
	r->published = r->prod_pvt;
}

/* ---- consuming ------------------------------------------------------- */

/*
 * How far the peer may legally have produced beyond @peer_seen: a front
 * end gets responses only to requests it published, a back end gets at
 * most a ring's worth of requests beyond the responses it published.
 */
static inline uint32_t pvring__peer_limit(const struct pvring *r)
{
	return r->published + (r->back ? r->size : 0) - r->peer_seen;
}

/**
 * pvring_refresh() - read and validate the peer's producer index
 * @r: ring
 *
 * Return: slots available to consume, or -EPROTO when the peer moved its
 * index backwards or beyond what it may have produced.
 */
static inline int pvring_refresh(struct pvring *r)
{
	uint32_t p;

	if (unlikely(r->broken))
		return -EPROTO;
	p = READ_ONCE(*r->peer_prod);
	pv_rmb();		/* index before slots */
	if (unlikely((uint32_t)(p - r->peer_seen) > pvring__peer_limit(r))) {
		r->broken = true;
		return -EPROTO;
	}
	r->peer_seen = p;
	return (int)(p - r->cons);
}

/**
 * pvring_avail() - slots ready to consume, touching shared memory only
 * when what was seen before is used up
 * @r: ring
 *
 * Return: a count, or -EPROTO on a broken ring.
 */
static inline int pvring_avail(struct pvring *r)
{
	/* a broken ring stays broken, whatever was seen before */
	if (likely(r->peer_seen != r->cons && !r->broken))
		return (int)(r->peer_seen - r->cons);
	return pvring_refresh(r);
}

/* Address of the next slot to consume; only valid after pvring_avail(). */
static inline const void *pvring_cons_slot(const struct pvring *r)
{
	return pvring_slot(r, r->cons);
}

/**
 * pvring_consume() - copy the next slot out and move past it
 * @r: ring
 * @dst: where to copy
 * @len: bytes to copy, at most @slot_size
 *
 * The caller validates @dst, never the shared slot, which the peer may
 * rewrite at any time.  Only valid after pvring_avail() returned > 0.
 */
static inline void pvring_consume(struct pvring *r, void *dst, size_t len)
{
	memcpy(dst, pvring_slot(r, r->cons), len);
	r->cons++;
}

/**
 * pvring_skip() - move past @n slots already copied out with
 * pvring_slot() (a consumer that must see a whole chain before it takes
 * any of it)
 * @r: ring
 * @n: slots, at most what pvring_avail() returned
 */
static inline void pvring_skip(struct pvring *r, uint32_t n)
{
	r->cons += n;
}

/*
 * Copy up to @max available slots of @slot bytes out, @len bytes each.
 * Always inlined so that the typed wrappers below, which pass sizeof()
 * constants, get fixed-size copies and no multiplication.
 */
static inline __attribute__((always_inline)) int
pvring__take(struct pvring *r, void *dst, size_t stride, size_t len,
	     size_t slot, uint32_t max)
{
	int avail = pvring_avail(r);
	uint32_t i, n, mask = r->size - 1;

	if (avail <= 0)
		return avail;
	n = (uint32_t)avail < max ? (uint32_t)avail : max;
	for (i = 0; i < n; i++)
		memcpy((uint8_t *)dst + i * stride,
		       r->sring->slots + ((r->cons + i) & mask) * slot, len);
	r->cons += n;
	return (int)n;
}

/**
 * pvring_consume_batch() - copy up to @max available slots out
 * @r: ring
 * @dst: array of @max entries of @stride bytes
 * @stride: size of one entry of @dst
 * @len: bytes to copy per slot
 * @max: capacity of @dst
 *
 * Return: slots copied (0 when none), or -EPROTO.
 */
static inline int pvring_consume_batch(struct pvring *r, void *dst,
				       size_t stride, size_t len, uint32_t max)
{
	return pvring__take(r, dst, stride, len, r->slot_size, max);
}

/**
 * pvring_arm() - ask the peer to notify us, then look once more
 * @r: ring
 * @ahead: notify once the peer has produced this many slots past what we
 *	   consumed (1 for "as soon as there is anything")
 *
 * Only ask for @ahead > 1 when the peer owes at least that many slots
 * (e.g. responses to requests in flight), or the wake-up never comes.
 *
 * Return: slots available after arming, or -EPROTO.  With fewer than
 * @ahead available the caller may sleep: the peer's publish that reaches
 * @ahead notifies.
 */
static inline int pvring_arm(struct pvring *r, uint32_t ahead)
{
	WRITE_ONCE(*r->my_event, r->cons + (ahead ? ahead : 1));
	pv_mb();		/* event index before re-reading the producer */
	/*
	 * Always re-read: the peer may have produced past what we saw
	 * before without notifying (it checked an older event index), and
	 * a caller waiting for @ahead > the cached count would sleep on a
	 * wake-up that never comes.
	 */
	return pvring_refresh(r);
}

/**
 * pvring_final_check() - arm for the next slot, as RING_FINAL_CHECK_FOR_*
 * @r: ring
 *
 * Return: true when there is more to consume (do not sleep).  A broken
 * ring reports true so the caller's consume path sees -EPROTO.
 */
static inline bool pvring_final_check(struct pvring *r)
{
	return pvring_arm(r, 1) != 0;
}

/* Requests in flight: produced by a front end and not yet answered. */
static inline uint32_t pvring_in_flight(const struct pvring *r)
{
	return r->prod_pvt - r->cons;
}

/**
 * PVRING_DEFINE_TYPES() - typed access to a ring of @req_t and @rsp_t
 * @pfx: prefix of the generated names
 * @req_t: request type
 * @rsp_t: response type
 *
 * Generates union pfx##_slot and, with the slot size a compile-time
 * constant:
 *   pfx##_attach(r, sring, bytes, end, start)
 *   pfx##_req(r, i)	front end: i-th request slot to fill
 *   pfx##_rsp(r, i)	back end: i-th response slot to fill
 *   pfx##_take_reqs(r, dst, max)	back end: copy requests out
 *   pfx##_take_rsps(r, dst, max)	front end: copy responses out
 */
#define PVRING_DEFINE_TYPES(pfx, req_t, rsp_t)				\
union pfx##_slot {							\
	req_t req;							\
	rsp_t rsp;							\
};									\
static inline void *pfx##_slot_at(const struct pvring *r, uint32_t idx)\
{									\
	return r->sring->slots + (size_t)(idx & (r->size - 1)) *	\
	       sizeof(union pfx##_slot);				\
}									\
static inline int pfx##_attach(struct pvring *r, void *s, size_t bytes,\
			       enum pvring_end end, uint32_t start)	\
{									\
	return pvring_attach(r, s, bytes, sizeof(union pfx##_slot), end,\
			     start);					\
}									\
static inline req_t *pfx##_req(const struct pvring *r, uint32_t i)	\
{									\
	return pfx##_slot_at(r, r->prod_pvt + i);			\
}									\
static inline rsp_t *pfx##_rsp(const struct pvring *r, uint32_t i)	\
{									\
	return pfx##_slot_at(r, r->prod_pvt + i);			\
}									\
static inline int pfx##_take_reqs(struct pvring *r, req_t *dst,	\
				  uint32_t max)				\
{									\
	return pvring__take(r, dst, sizeof(req_t), sizeof(req_t),	\
			    sizeof(union pfx##_slot), max);		\
}									\
static inline int pfx##_take_rsps(struct pvring *r, rsp_t *dst,	\
				  uint32_t max)				\
{									\
	return pvring__take(r, dst, sizeof(rsp_t), sizeof(rsp_t),	\
			    sizeof(union pfx##_slot), max);		\
}

#endif /* PVSPLIT_PVRING_H */
