/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvsplit.h - API of pvsplit_common, exported in namespace PVSPLIT.
 *
 * Rings, grants, event channels, xenbus helpers and statistics shared by
 * every pvsplit front and back module.  Users add MODULE_IMPORT_NS(PVSPLIT).
 */
#ifndef PVSPLIT_PVSPLIT_H
#define PVSPLIT_PVSPLIT_H

#include <linux/types.h>
#include <linux/interrupt.h>
#include <linux/xarray.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/events.h>

#include "pvpoll.h"
#include "pvring.h"
#include "pvstats.h"
#include "compat.h"

#define PVSPLIT_MAX_RING_PAGES	(1u << PVRING_MAX_ORDER)

/* ---- rings -------------------------------------------------------------- */

/**
 * struct pvsplit_ring - a shared ring as one end of a device holds it
 * @r: index state (portable code)
 * @area: the shared pages, virtually contiguous
 * @order: log2 of the number of pages
 * @gref: grant references of the pages (front end: ours; back end: peer's)
 * @mapped: back end: @area maps foreign pages
 * @stats: counters, written by the ring's owner only
 */
struct pvsplit_ring {
	struct pvring r;
	void *area;
	unsigned int order;
	grant_ref_t gref[PVSPLIT_MAX_RING_PAGES];
	bool mapped;
	struct pvring_stats stats;
};

int pvsplit_ring_alloc(struct pvsplit_ring *ring, struct xenbus_device *dev,
		       unsigned int order, size_t slot_size);
void pvsplit_ring_free(struct pvsplit_ring *ring);
int pvsplit_ring_map(struct pvsplit_ring *ring, struct xenbus_device *dev,
		     const grant_ref_t *grefs, unsigned int order,
		     size_t slot_size);
void pvsplit_ring_unmap(struct pvsplit_ring *ring, struct xenbus_device *dev);

/* ---- event channels ----------------------------------------------------- */

/**
 * struct pvsplit_evtchn - an event channel bound to an irq handler
 * @port: local port
 * @irq: Linux irq, or 0 when unbound
 * @lateeoi: the handler must call pvsplit_evtchn_eoi() when done (every
 *	     channel pvsplit binds is lateeoi)
 * @early_eoi: an EOI came before binding returned the irq (see evtchn.c)
 */
struct pvsplit_evtchn {
	evtchn_port_t port;
	int irq;
	bool lateeoi;
	bool early_eoi;
};

int pvsplit_evtchn_alloc(struct pvsplit_evtchn *ev, struct xenbus_device *dev,
			 irq_handler_t handler, const char *name, void *data);
int pvsplit_evtchn_bind(struct pvsplit_evtchn *ev, struct xenbus_device *dev,
			evtchn_port_t remote, irq_handler_t handler,
			const char *name, void *data);
void pvsplit_evtchn_close(struct pvsplit_evtchn *ev, void *data);

static inline void pvsplit_evtchn_notify(struct pvsplit_evtchn *ev)
{
	notify_remote_via_irq(ev->irq);
}

void pvsplit_evtchn_eoi_early(struct pvsplit_evtchn *ev);

/**
 * pvsplit_evtchn_eoi() - let the next event in (lateeoi channels)
 * @ev: event channel
 * @spurious: the interrupt found nothing to do; Xen delays the next one
 *	      more for each spurious EOI in a row
 *
 * Exactly once per interrupt, after its work: a missing EOI leaves the
 * channel masked for good, an extra one may let an event pass unhandled.
 */
static inline void pvsplit_evtchn_eoi(struct pvsplit_evtchn *ev, bool spurious)
{
	int irq = READ_ONCE(ev->irq);

	if (unlikely(!irq)) {
		/* the handler ran inside binding: finish when it returns */
		pvsplit_evtchn_eoi_early(ev);
		return;
	}
	xen_irq_lateeoi(irq, spurious ? XEN_EOI_FLAG_SPURIOUS : 0);
}

/**
 * pvsplit_ring_push() - publish produced slots and notify if asked to
 * @ring: ring
 * @ev: its event channel
 *
 * Return: true when the peer was notified.
 */
static inline bool pvsplit_ring_push(struct pvsplit_ring *ring,
				     struct pvsplit_evtchn *ev)
{
	u32 n = pvring_unpublished(&ring->r);
	bool notify;

	if (!n)
		return false;
	notify = pvring_publish(&ring->r);
	pvstats_publish(&ring->stats, n, notify);
	if (notify)
		pvsplit_evtchn_notify(ev);
	return notify;
}

/**
 * struct pvsplit_poll_stats - how a back end's spins on an empty ring ended
 * @hit: spins that found a slot
 * @miss: spins whose window passed with nothing
 * @backoff: chances to spin passed up after spins that missed
 */
struct pvsplit_poll_stats {
	u64 hit;
	u64 miss;
	u64 backoff;
};

bool pvsplit_ring_poll(struct pvring *r, struct pvpoll *p, u64 window,
		       u64 max, bool (*stop)(void *data), void *data,
		       struct pvsplit_poll_stats *st);

/* ---- grants ------------------------------------------------------------- */

int pvsplit_grant_pages(domid_t domid, struct page **pages, unsigned int n,
			bool readonly, grant_ref_t *refs);
unsigned int pvsplit_grant_revoke(const grant_ref_t *refs, struct page **pages,
				  unsigned int n);
int pvsplit_grant_move(grant_ref_t ref, domid_t domid, struct page *page,
		       bool readonly);
int pvsplit_grant_copy(struct gnttab_copy *ops, unsigned int n);

/* ---- grant pool: back ends mapping a peer's grants (gpool.c) ---------- */

/* Grants mapped or unmapped per hypercall (bounds the stack of one call). */
#define PVSPLIT_GPOOL_BATCH	32u

/**
 * struct pvsplit_gpool - ballooned pages to map one peer's grants into
 * @domid: the peer
 * @keep: most unused pages kept in @free
 * @nr_free: unused pages in @free
 * @held: pages this pool took from the balloon and has not freed (unused,
 *	  mapped, or kept back after a failed unmap)
 * @mapped: grants mapped through this pool and not unmapped yet
 * @free: the unused pages
 *
 * One user at a time (see gpool.c); every page and map is also counted in
 * debugfs pvsplit/resources.
 */
struct pvsplit_gpool {
	domid_t domid;
	unsigned int keep;
	unsigned int nr_free;
	unsigned int held;
	unsigned int mapped;
	struct page **free;
};

int pvsplit_gpool_init(struct pvsplit_gpool *pool, domid_t domid,
		       unsigned int reserve, unsigned int keep);
void pvsplit_gpool_destroy(struct pvsplit_gpool *pool);
int pvsplit_gpool_map(struct pvsplit_gpool *pool, const grant_ref_t *refs,
		      unsigned int n, bool readonly, struct page **pages,
		      grant_handle_t *handles);
void pvsplit_gpool_unmap(struct pvsplit_gpool *pool, struct page **pages,
			 const grant_handle_t *handles, unsigned int n);

/**
 * struct pvsplit_pgrant - a peer's page kept mapped (persistent grant)
 * @gref: the peer's reference
 * @handle: mapping handle
 * @page: where it is mapped
 * @users: uses in flight; only unused entries are evicted (dropped from
 *	   any context, hence atomic)
 * @lru: position in the table's list, most recently used first
 */
struct pvsplit_pgrant {
	grant_ref_t gref;
	grant_handle_t handle;
	struct page *page;
	atomic_t users;
	struct list_head lru;
};

/**
 * struct pvsplit_pgrants - persistent grants of one queue
 * @pool: where their pages come from and go back to
 * @xa: entries by grant reference
 * @lru: the same, most recently used first
 * @n: entries
 */
struct pvsplit_pgrants {
	struct pvsplit_gpool *pool;
	struct xarray xa;
	struct list_head lru;
	unsigned int n;
};

void pvsplit_pgrants_init(struct pvsplit_pgrants *pgs,
			  struct pvsplit_gpool *pool);
struct pvsplit_pgrant *pvsplit_pgrant_get(struct pvsplit_pgrants *pgs,
					  grant_ref_t gref);
struct pvsplit_pgrant *pvsplit_pgrant_add(struct pvsplit_pgrants *pgs,
					  grant_ref_t gref, struct page *page,
					  grant_handle_t handle,
					  unsigned int max);
void pvsplit_pgrants_flush(struct pvsplit_pgrants *pgs);

/**
 * pvsplit_pgrant_put() - drop a use taken by get or add; any context
 * @pg: entry
 */
static inline void pvsplit_pgrant_put(struct pvsplit_pgrant *pg)
{
	WARN_ON_ONCE(atomic_dec_if_positive(&pg->users) < 0);
}


/* ---- xenbus ------------------------------------------------------------- */

int pvsplit_xb_switch(struct xenbus_device *dev, enum xenbus_state state);

/**
 * struct pvsplit_back_ops - what a back end does as its front end moves
 * @connect: read the front end's rings and connect (no-op when it cannot)
 * @disconnect: stop and undo everything; harmless when not connected
 */
struct pvsplit_back_ops {
	void (*connect)(void *data);
	void (*disconnect)(void *data);
};

void pvsplit_back_frontend_changed(struct xenbus_device *dev,
				   enum xenbus_state fstate,
				   const struct pvsplit_back_ops *ops, void *data);
/**
 * struct pvsplit_front_ops - what a front end does as its back end moves
 * @connect: the back end waits for us (InitWait): negotiate, set up and
 *	     grant the rings, bind their event channels, write our keys.
 *	     Return: 0 to go Initialised, or a negative errno with nothing
 *	     left set up (and the error reported with xenbus_dev_fatal()).
 * @connected: the back end is Connected; we are Initialised, or Connected
 *	       already when the back end rewrote its state.  Read what it
 *	       offers and start (or take in a change).
 *	       Return: 0 to be Connected, or a negative errno.
 * @closing: the back end is closing or gone: stop, fail or requeue what
 *	     is in flight, undo everything @connect and @connected did.
 *	     Harmless when not connected.
 * @connect_state: the state @connect moves us to: 0 for Initialised (blkif
 *		   and most protocols), XenbusStateConnected for netif, whose
 *		   back ends (the stock one too) connect only once the front
 *		   end is Connected
 *
 * See pvsplit_front_backend_changed() for when each is called.
 */
struct pvsplit_front_ops {
	int (*connect)(void *data);
	int (*connected)(void *data);
	void (*closing)(void *data);
	enum xenbus_state connect_state;
};

void pvsplit_front_backend_changed(struct xenbus_device *dev,
				   enum xenbus_state bstate,
				   const struct pvsplit_front_ops *ops,
				   void *data);
int pvsplit_xb_read_uint(const char *dir, const char *node, unsigned int min,
			 unsigned int max, unsigned int *val);
int pvsplit_xb_write_features(struct xenbus_device *dev, const char *const *keys,
			      const unsigned int *vals, unsigned int n);
int pvsplit_xb_rm(struct xenbus_transaction xbt, const char *dir,
		  const char *node);
int pvsplit_xb_drop_keys(struct xenbus_transaction xbt, const char *dir,
			 const char *const *keys, unsigned int n,
			 unsigned int nr_queues);
int pvsplit_xb_txn(struct xenbus_device *dev,
		   int (*fn)(struct xenbus_transaction xbt, void *arg),
		   void *arg);

/**
 * struct pvsplit_ring_layout - where a front end published one ring
 * @order: ring-page-order it wrote (0 when absent)
 * @gref: the grant references
 * @evtchn: event-channel of that queue
 */
struct pvsplit_ring_layout {
	unsigned int order;
	grant_ref_t gref[PVSPLIT_MAX_RING_PAGES];
	evtchn_port_t evtchn;
};

int pvsplit_xb_read_ring(struct xenbus_device *dev, const char *queue,
			 unsigned int max_order, const char *ref_base,
			 const char *evtchn_key,
			 struct pvsplit_ring_layout *lay);
int pvsplit_xb_write_ring(struct xenbus_transaction xbt,
			  struct xenbus_device *dev, const char *queue,
			  const struct pvsplit_ring *ring, const char *ref_base,
			  const char *evtchn_key, evtchn_port_t port);

/* ---- statistics --------------------------------------------------------- */

struct dentry *pvsplit_debugfs_dir(const char *name, struct dentry *parent);
void pvsplit_debugfs_ring(struct dentry *dir, const char *name,
			  struct pvsplit_ring *ring);
void pvsplit_debugfs_hist(struct dentry *dir, const char *name,
			  struct pvhist *hist);
void pvsplit_debugfs_remove(struct dentry *dir);

/**
 * struct pvsplit_stat - one u64 counter in a driver's counters struct,
 * for ethtool -S
 * @name: its name (at most ETH_GSTRING_LEN - 5 characters, room for "qNN_")
 * @off: its offset in the struct
 */
struct pvsplit_stat {
	const char *name;
	size_t off;
};

#define PVSPLIT_STAT(type, field)	{ #field, offsetof(type, field) }

void pvsplit_stats_add(void *to, const void *from,
		       const struct pvsplit_stat *tab, unsigned int n);
u64 *pvsplit_stats_fill(u64 *data, const void *from,
			const struct pvsplit_stat *tab, unsigned int n);
u64 *pvsplit_stats_fill_queues(u64 *data, const struct pvsplit_stat *tab,
			       unsigned int n, const void *first, size_t stride,
			       unsigned int live, unsigned int nr_queues);
void pvsplit_stats_strings(u8 *data, const struct pvsplit_stat *tab,
			   unsigned int n, unsigned int nr_queues,
			   const char *const *dev, unsigned int n_dev);

#endif /* PVSPLIT_PVSPLIT_H */
