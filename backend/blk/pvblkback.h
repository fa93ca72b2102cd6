/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvblkback.h - state of the pvblk back end: devices, rings, requests.
 *
 * Ownership: a device (struct pvblkback) owns its rings; each ring has one
 * worker thread that alone touches the ring, its request pool, its
 * persistent grants and its grant pool.  Bio completions answer requests
 * mapped through persistent grants only, under rsp_lock, and hand the
 * others back to the worker through a lock-free list.  Each request in
 * flight holds a reference on its ring (see respond.c).
 *
 * Calls between files go one way: xenbus.c -> ring.c -> io.c ->
 * respond.c -> map.c -> pvsplit_common.
 */
#ifndef PVBLKBACK_H
#define PVBLKBACK_H

#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "pvsplit/pvsplit.h"
#include "pvsplit/compat_blk.h"
#include "pvblkif.h"
#include "pvpoll.h"

#define PVBLKBACK_BATCH		32u	/* requests copied out at a time */
/* requests one pass of the worker takes before it yields the CPU */
#define PVBLKBACK_BUDGET	(4 * PVBLKBACK_BATCH)
#define PVBLKBACK_POOL_MAX	1024u	/* unused mapping pages kept per ring */

extern unsigned int pvblkback_max_ring_order;
extern unsigned int pvblkback_max_queues;
extern unsigned int pvblkback_max_indirect;
extern unsigned int pvblkback_max_pgrants;
extern bool pvblkback_persistent;
extern unsigned int pvblkback_poll_max_us;

/**
 * struct pvblkback_stats - what a ring did (the stock back end's names)
 * @oo_req: times the request pool ran dry
 * @rd_req: reads
 * @wr_req: writes
 * @f_req: flushes and barriers
 * @ds_req: discards
 * @rd_sect: 512-byte sectors read
 * @wr_sect: sectors written
 * @bad_req: requests refused as malformed
 * @err_req: requests that failed (bad grant, I/O error, unsupported)
 * @pgrant_hit: segments served by a persistent grant already mapped
 * @pgrant_miss: segments that needed a grant map
 * @poll_skip: spins not begun: one request at a time was outstanding
 * @poll: spins before sleeping that found a new request, that found none
 *	  (the worker then slept), and not begun while backing off after
 *	  spins that missed
 * @yields: passes cut short by PVBLKBACK_BUDGET with requests left on the
 *	    ring; the worker yielded the CPU before the next pass
 * @drains: barrier writes that waited for earlier requests to complete
 */
struct pvblkback_stats {
	u64 oo_req;
	u64 rd_req;
	u64 wr_req;
	u64 f_req;
	u64 ds_req;
	u64 rd_sect;
	u64 wr_sect;
	u64 bad_req;
	u64 err_req;
	u64 pgrant_hit;
	u64 pgrant_miss;
	u64 poll_skip;
	struct pvsplit_poll_stats poll;
	u64 yields;
	u64 drains;
};

struct pvblkback_ring;

/**
 * struct pvblkback_req - one request between intake and response
 * @ring: owner
 * @node: free list (worker only)
 * @done: once all bios ended, the ring's done list (transient grants to
 *	  unmap), then its freed list (answered, back for the free list)
 * @id: front end's id
 * @sector: first sector
 * @start_ns: intake time, for the latency histogram
 * @op: operation as it arrived (echoed)
 * @data_op: READ or WRITE
 * @nr_segs: segments
 * @nr_transient: segments mapped for this request only (0: answered from
 *		  bio completion)
 * @bios: bios in flight plus one while submitting
 * @status: blkif status to answer with
 * @segs: the checked segments
 * @pages: the page under each segment
 * @pg: persistent grant of each segment, or NULL when mapped for this
 *	request only
 * @handle: grant handle of each transiently mapped segment
 */
struct pvblkback_req {
	struct pvblkback_ring *ring;
	union {
		struct list_head node;
		struct llist_node done;
	};
	u64 id;
	u64 sector;
	u64 start_ns;
	u8 op;
	u8 data_op;
	u16 nr_segs;
	u16 nr_transient;
	atomic_t bios;
	int status;
	struct pvblk_seg *segs;
	struct page **pages;
	struct pvsplit_pgrant **pg;
	grant_handle_t *handle;
};

/**
 * struct pvblkback_ring - one ring (queue) of a device, and its worker
 * @be: device
 * @index: queue number
 * @ring: the front end's ring, mapped
 * @ev: its event channel, lateeoi
 * @task: worker
 * @wq: the worker sleeps here
 * @kicked: the front end notified us
 * @eoi_owed: an interrupt awaits its late EOI
 * @done: requests whose bios all ended, with transient grants to unmap
 * @freed: requests answered at bio completion, back for the free list
 * @rsp_lock: serialises producing responses (worker and bio completion)
 * @reqs: request pool, one per ring slot
 * @free: unused entries of @reqs (worker only)
 * @inflight: entries of @reqs in use
 * @refs: one for the running ring, one per request in flight, one per bio
 *	  completion handing a request to the worker
 * @stopped: completed by the put of the last of @refs
 * @starved: requests were left on the ring for lack of room in @reqs
 * @draining: the worker waits for @inflight to reach 0 (a barrier)
 * @dead: the front end broke the protocol; nothing more is taken
 * @poll: how long the ring stayed empty, for the decision to spin
 * @gpool: pages to map the front end's grants in, and the count of them
 * @pgrants: persistent grants, mapped through @gpool
 * @ind: local copy of indirect descriptor pages
 * @slots: raw request slots copied out of the ring
 * @st: counters
 * @lat: request latency histogram, ns
 * @dbg: debugfs directory
 */
struct pvblkback_ring {
	struct pvblkback *be;
	unsigned int index;
	struct pvsplit_ring ring;
	struct pvsplit_evtchn ev;
	struct task_struct *task;
	wait_queue_head_t wq;
	atomic_t kicked;
	atomic_t eoi_owed;
	struct llist_head done;
	struct llist_head freed;
	spinlock_t rsp_lock;
	struct pvblkback_req *reqs;
	struct list_head free;
	atomic_t inflight;
	refcount_t refs;
	struct completion stopped;
	bool starved;
	bool draining;
	bool dead;
	struct pvpoll poll;
	struct pvsplit_gpool gpool;
	struct pvsplit_pgrants pgrants;
	struct page *ind[PVBLK_MAX_INDIRECT_PAGES];
	u8 slots[PVBLKBACK_BATCH][PVBLK_SLOT_64];
	struct pvblkback_stats st;
	struct pvhist lat;
	struct dentry *dbg;
};

/**
 * struct pvblkback - one virtual block device served from dom0
 * @dev: our xenbus device
 * @domid: the front end's domain
 * @lock: serialises connect, disconnect, watch and statistics readers
 * @watch: on our physical-device node
 * @watching: @watch is registered
 * @pdev: the device being served (0 until physical-device is known)
 * @bd: it, opened
 * @lim: what requests may do; @lim.capacity changes on resize
 * @abi: request layout the front end declared
 * @persistent: persistent grants negotiated
 * @nr_rings: rings connected (0 when not connected)
 * @rings: them
 * @base: counters of rings torn down, so totals survive reconnects
 * @resize: periodic check of the backing device's size
 * @dbg: debugfs directory of the device
 */
struct pvblkback {
	struct xenbus_device *dev;
	domid_t domid;
	struct mutex lock;
	struct xenbus_watch watch;
	bool watching;
	dev_t pdev;
	struct pvsplit_bdev bd;
	struct pvblk_limits lim;
	enum pvblk_abi abi;
	bool persistent;
	unsigned int nr_rings;
	struct pvblkback_ring **rings;
	struct pvblkback_stats base;
	struct delayed_work resize;
	struct dentry *dbg;
};

/* ring.c */
int pvblkback_ring_start(struct pvblkback_ring *rg,
			 const struct pvsplit_ring_layout *lay);
void pvblkback_ring_stop(struct pvblkback_ring *rg);

/* io.c */
void pvblkback_submit(struct pvblkback_ring *rg, struct pvblkback_req *req);
int pvblkback_discard(struct pvblkback *be, const struct pvblk_req *r);

/* respond.c */
void pvblkback_ring_put(struct pvblkback_ring *rg);
void pvblkback_respond(struct pvblkback_ring *rg, u64 id, u8 op, int status);
void pvblkback_push(struct pvblkback_ring *rg);
void pvblkback_complete(struct pvblkback_req *req);
unsigned int pvblkback_complete_done(struct pvblkback_ring *rg);

/* map.c */
int pvblkback_map_segs(struct pvblkback_ring *rg, struct pvblkback_req *req);
void pvblkback_unmap_segs(struct pvblkback_ring *rg, struct pvblkback_req *req);

/* sysfs.c */
extern const struct attribute_group *pvblkback_groups[];
void pvblkback_stats_sum(struct pvblkback *be, struct pvblkback_stats *sum);
void pvblkback_stats_add(struct pvblkback_stats *to,
			 const struct pvblkback_stats *from);

#endif /* PVBLKBACK_H */
