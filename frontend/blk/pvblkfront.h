/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvblkfront.h - state of the pvblk front end: disks, rings, requests.
 *
 * Data always travels through bounce pages owned by the ring (the
 * request's data is packed into whole pages, so a request needs as few
 * segments as its size allows).  With persistent grants the pages stay
 * granted and are reused; otherwise each request's grants are revoked when
 * it completes.  A page never holds anything but this disk's data.
 */
#ifndef PVBLKFRONT_H
#define PVBLKFRONT_H

#include <linux/blk-mq.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "pvsplit/pvsplit.h"
#include "pvsplit/compat_blk.h"
#include "pvblkif.h"

#define PVBLKFRONT_MAJOR	202	/* XENVBD_MAJOR, as xen-blkfront */
#define PVBLKFRONT_PARTS	16	/* minors per xvd disk */
#define PVBLKFRONT_EXT_PARTS	256	/* minors per extended-id disk */
#define PVBLKFRONT_RSP_BATCH	32u

extern unsigned int pvblkfront_ring_order;
extern unsigned int pvblkfront_max_queues;
extern unsigned int pvblkfront_max_indirect;
extern bool pvblkfront_persistent;
extern bool pvblkfront_trusted;
extern unsigned int pvblkfront_irq_batch;

/**
 * struct pvblkfront_gnt - a bounce page and its grant
 * @page: the page, zeroed when allocated
 * @gref: grant reference while @granted
 * @granted: the back end may access @page through @gref
 * @node: ring's free list
 */
struct pvblkfront_gnt {
	struct page *page;
	grant_ref_t gref;
	bool granted;
	struct list_head node;
};

/**
 * struct pvblkfront_shadow - what we remember of a ring request in flight
 * @rq: the block layer request it is part of (NULL: slot free)
 * @op: the operation sent
 * @data_op: READ or WRITE, what moves data
 * @sent: published, so the back end may answer it (a response to an id
 *	  that is produced but not yet published is rejected)
 * @first: index of its first data page within @rq (a request larger than
 *	   the back end takes now is sent as several ring requests)
 * @nr_segs: data pages
 * @nr_ind: indirect descriptor pages
 * @gnt: the data pages
 * @ind: the descriptor pages
 */
struct pvblkfront_shadow {
	struct request *rq;
	u8 op;
	u8 data_op;
	bool sent;
	u16 first;
	u16 nr_segs;
	u8 nr_ind;
	struct pvblkfront_gnt **gnt;
	struct pvblkfront_gnt *ind[PVBLK_MAX_INDIRECT_PAGES];
};

/**
 * struct pvblkfront_stats - what a ring did
 * @reads: read requests completed
 * @writes: write requests completed
 * @flushes: flush requests and FUA writes
 * @discards: discards
 * @rd_sect: 512-byte sectors read
 * @wr_sect: sectors written
 * @indirect: requests sent as indirect
 * @errors: requests completed with an error
 * @busy: times the ring or grant table was full
 * @bad_rsp: responses rejected (the back end misbehaved); the disk then
 *	     fails all I/O
 */
struct pvblkfront_stats {
	u64 reads;
	u64 writes;
	u64 flushes;
	u64 discards;
	u64 rd_sect;
	u64 wr_sect;
	u64 indirect;
	u64 errors;
	u64 busy;
	u64 bad_rsp;
};

struct pvblkfront;

/**
 * struct pvblkfront_pdu - per-request driver data
 * @status: the status to end it with (the first error of its parts)
 * @pending: its ring requests not answered yet
 * @fua_flush: a flush follows its write before it completes
 * @start_ns: submission time
 */
struct pvblkfront_pdu {
	blk_status_t status;
	u16 pending;
	bool fua_flush;
	u64 start_ns;
};

/**
 * struct pvblkfront_ring - one ring, serving one hardware queue
 * @info: device
 * @index: queue number
 * @lock: protects everything below; taken in queue_rq and the interrupt
 * @ring: the shared ring
 * @ev: its event channel
 * @shadow: one per ring slot, indexed by request id
 * @free_id: stack of free ids
 * @nr_free: entries in @free_id
 * @slot_id: request id produced into each ring slot, for push() to mark
 *	     what it publishes sent
 * @pool: unused bounce pages
 * @nr_pages: bounce pages this ring owns, in use or not
 * @st: counters
 * @lat: request latency histogram, ns
 * @dbg: debugfs directory
 */
struct pvblkfront_ring {
	struct pvblkfront *info;
	unsigned int index;
	spinlock_t lock;
	struct pvsplit_ring ring;
	struct pvsplit_evtchn ev;
	struct pvblkfront_shadow *shadow;
	u32 *free_id;
	unsigned int nr_free;
	u32 *slot_id;
	struct list_head pool;
	unsigned int nr_pages;
	struct pvblkfront_stats st;
	struct pvhist lat;
	struct dentry *dbg;
};

enum pvblkfront_state {
	PVBLKFRONT_DISCONNECTED,	/* no rings, requests wait or fail */
	PVBLKFRONT_CONNECTED,
	PVBLKFRONT_SUSPENDED,		/* rings gone, requests requeued */
	PVBLKFRONT_BROKEN,		/* the back end misbehaved */
};

/**
 * struct pvblkfront - one virtual disk
 * @dev: our xenbus device
 * @lock: serialises xenbus callbacks against sysfs readers; rings are
 *	  set up and freed only under it (the timeout handler relies on it)
 * @state: enum pvblkfront_state, read locklessly by queue_rq
 * @vdev: virtual-device number from xenstore
 * @index: disk index (xvda = 0)
 * @first_minor: first minor under major 202
 * @minors: minors of the disk
 * @gd: the disk, once the back end first connected
 * @set: its tag set
 * @nr_rings: rings allocated, one per hardware queue of the disk
 * @nr_active: rings the current back end connected (at most @nr_rings;
 *	       fewer after a resume onto a back end offering fewer queues,
 *	       and the queues then share them)
 * @rings: them
 * @order: ring page order
 * @persistent: persistent grants in use
 * @trusted: the back end is trusted (see module parameter)
 * @max_segs: most data pages per ring request the back end takes now
 *	      (it may lower it at run time or across a resume; larger block
 *	      requests are then split over several ring requests)
 * @sectors: capacity, 512-byte sectors
 * @lbs: logical block size
 * @pbs: physical block size
 * @readonly: the back end serves the disk read-only
 * @flush: FLUSH_DISKCACHE available
 * @barrier: WRITE_BARRIER available (our FUA)
 * @discard: DISCARD available
 * @secure: secure discard available
 * @discard_gran: discard granularity, bytes
 * @discard_align: discard alignment, bytes
 * @dbg: debugfs directory
 * @timeouts: times a request had waited the queue's timeout for its answer
 */
struct pvblkfront {
	struct xenbus_device *dev;
	struct mutex lock;
	int state;
	unsigned int vdev;
	unsigned int index;
	unsigned int first_minor;
	unsigned int minors;
	struct gendisk *gd;
	struct blk_mq_tag_set set;
	unsigned int nr_rings;
	unsigned int nr_active;
	struct pvblkfront_ring *rings;
	unsigned int order;
	bool persistent;
	bool trusted;
	unsigned int max_segs;
	u64 sectors;
	unsigned int lbs;
	unsigned int pbs;
	bool readonly;
	bool flush;
	bool barrier;
	bool discard;
	bool secure;
	unsigned int discard_gran;
	unsigned int discard_align;
	struct dentry *dbg;
	atomic64_t timeouts;
};

/* bounce.c */
struct pvblkfront_gnt *pvblkfront_gnt_get(struct pvblkfront_ring *rg);
void pvblkfront_gnt_free(struct pvblkfront_ring *rg, struct pvblkfront_gnt *g);
void pvblkfront_gnt_put(struct pvblkfront_ring *rg, struct pvblkfront_gnt *g);
void pvblkfront_shadow_release(struct pvblkfront_ring *rg,
			       struct pvblkfront_shadow *sh);
void pvblkfront_copy_rq(struct request *rq, struct pvblkfront_gnt **gnt,
			unsigned int first, unsigned int n, bool to_bounce);

/* ring.c */
unsigned int pvblkfront_alloc_segs(void);
int pvblkfront_rings_setup(struct pvblkfront *info, unsigned int nr);
void pvblkfront_rings_free(struct pvblkfront *info,
			   struct list_head *requeue);
irqreturn_t pvblkfront_interrupt(int irq, void *data);
extern const struct blk_mq_ops pvblkfront_mq_ops;

/* disk.c */
int pvblkfront_disk_create(struct pvblkfront *info);
void pvblkfront_disk_destroy(struct pvblkfront *info);
int pvblkfront_parse_vdev(unsigned int vdev, unsigned int *index,
			  unsigned int *first_minor, unsigned int *minors);

/* sysfs.c */
extern const struct attribute_group *pvblkfront_groups[];

#endif /* PVBLKFRONT_H */
