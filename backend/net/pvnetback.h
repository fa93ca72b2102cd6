/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvnetback.h - state of the pvnet back end: vifs, queues, counters.
 *
 * A vif (struct pvnetback) is one xenbus "vif" device and the net_device
 * vif<domid>.<devid> that dom0's bridge sees.  Each queue has a TX ring
 * (what the guest sends: served by NAPI, so packets enter dom0's stack
 * with GRO) and an RX ring (what the guest receives: served by one thread
 * per queue that grant-copies queued packets into the pages the guest
 * posted).  Nothing in either ring is read twice: slots are copied into
 * private memory and judged there (common/portable/pvnetif.h).
 */
#ifndef PVNETBACK_H
#define PVNETBACK_H

#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>

#include "pvsplit/pvsplit.h"
#include "pvnethash.h"

#define PVNETBACK_TX_BATCH	64u	/* packets copied per hypercall */
#define PVNETBACK_TX_WIN	64u	/* TX slots held copied out of the ring */
#define PVNETBACK_TX_HLEN	128u	/* bytes put in the skb's linear area */
#define PVNETBACK_TX_OPS	(PVNETBACK_TX_BATCH * 8u)
#define PVNETBACK_RX_BATCH	32u	/* packets copied per hypercall */
#define PVNETBACK_RX_OPS	(PVNETBACK_RX_BATCH * 24u)
#define PVNETBACK_RX_PASS	8u	/* batches per pass of the RX thread */
#define PVNETBACK_RX_SLOTS	(MAX_SKB_FRAGS + 3u)	/* most per packet */
#define PVNETBACK_CTRL_BUDGET	32u	/* control requests per pass */

extern unsigned int pvnetback_max_queues;
extern bool pvnetback_split_evtchn;
extern unsigned int pvnetback_rx_queue_kb;
extern unsigned int pvnetback_fatal_slots;
extern unsigned int pvnetback_stall_ms;

/**
 * struct pvnetback_qstats - what one queue did (dom0's view: guest TX is
 * our rx_*, guest RX our tx_*)
 * @rx_packets: packets the guest sent, delivered
 * @rx_bytes: their bytes
 * @rx_dropped: packets the guest sent that were dropped
 * @rx_bad: of those, malformed (answered with an error)
 * @rx_copy_err: of those, a grant copy failed (bad grant reference)
 * @tx_packets: packets delivered to the guest
 * @tx_bytes: their bytes
 * @tx_dropped: packets for the guest dropped (queue full, too large,
 *		copy failed, carrier off)
 * @tx_stopped: times the queue was stopped for lack of guest buffers
 * @tx_stalls: times the guest left its RX ring without buffers for
 *	       stall_ms with packets waiting (they were dropped)
 * @tx_yields: passes of the RX thread that ended at PVNETBACK_RX_PASS
 *	       batches (more may be waiting, or not): it sent the late
 *	       EOI, looked at the stall clock and kthread_stop(), and went
 *	       round again without sleeping
 * @tx_mcast_filtered: multicast frames for the guest dropped: it did not
 *		       subscribe (multicast control)
 * @mcast_updates: the guest's multicast filter updates taken
 * @rate_waits: times the vif's rate limit held the guest's TX back
 * @polls: NAPI polls of the TX ring
 * @copy_ops: grant copy operations issued
 * @copy_calls: hypercalls they took
 */
struct pvnetback_qstats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_dropped;
	u64 rx_bad;
	u64 rx_copy_err;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_dropped;
	u64 tx_stopped;
	u64 tx_stalls;
	u64 tx_yields;
	u64 tx_mcast_filtered;
	u64 mcast_updates;
	u64 rate_waits;
	u64 polls;
	u64 copy_ops;
	u64 copy_calls;
};

#define PVNETBACK_EOI_TX	0	/* bits of pvnetback_chan.owed */
#define PVNETBACK_EOI_RX	1

/**
 * struct pvnetback_chan - an event channel and the late EOI it owes
 * @ev: the channel, bound lateeoi
 * @owed: bits (1 << PVNETBACK_EOI_*) of the sides that must finish
 *	  first; the side that clears the last one issues the EOI
 * @busy: some side found work since the interrupt (not spurious)
 * @eois: EOIs issued (written by the one EOI issuer)
 * @spurious: of those, flagged spurious
 */
struct pvnetback_chan {
	struct pvsplit_evtchn ev;
	atomic_long_t owed;
	bool busy;
	u64 eois;
	u64 spurious;
};

struct pvnetback;

/**
 * struct pvnetback_hash - the hash configuration the data paths read
 * @cfg: what the front end programmed
 * @rcu: frees a replaced copy
 */
struct pvnetback_hash {
	struct pvnet_hash_cfg cfg;
	struct rcu_head rcu;
};

/**
 * struct pvnetback_ctrl - the front end's control ring
 * @ring: the ring (requests: the front end's control messages)
 * @ev: its event channel, bound lateeoi
 * @work: serves @ring; a pass that used its budget comes back a jiffy
 *	  later, so a front end refilling the ring gets a bounded rate
 * @eoi_owed: bit 0: an interrupt awaits its EOI
 * @buf: a page that keys and mapping sub-tables are grant-copied into
 * @next: the configuration a pass builds, published once at its end
 *	  (one allocation and one RCU free per pass, not per request)
 * @dirty: @next differs from what the data paths read
 * @on: mapped and bound; the interrupt queues @work only then
 * @dead: the front end broke the ring: no more is served
 * @requests: requests answered
 * @errors: of those, answered with a status other than success
 * @copy_err: of those, the grant copy of the key or table failed
 * @eois: EOIs issued
 * @spurious: of those, flagged spurious
 * @steered: packets for the guest that its hash put on a queue
 * @dbg: debugfs directory "ctrl" in the vif's
 * @name: irq name
 *
 * Counters are written by @work only, except @steered and the ring's
 * wakeups (the interrupt); they survive reconnects (a vif-wide total).
 */
struct pvnetback_ctrl {
	struct pvsplit_ring ring;
	struct pvsplit_evtchn ev;
	struct delayed_work work;
	unsigned long eoi_owed;
	u8 *buf;
	struct pvnetback_hash *next;
	bool dirty;
	bool on;
	bool dead;
	u64 requests;
	u64 errors;
	u64 copy_err;
	u64 eois;
	u64 spurious;
	atomic_long_t steered;
	struct dentry *dbg;
	char name[IFNAMSIZ + 8];
};

/**
 * struct pvnetback_txp - a guest packet between its copy and its answer
 * @skb: where it is being copied to
 * @first_op: its first grant copy in the batch
 * @nr_ops: how many
 * @nr_extras: extra-info slots of its chain (answered NULL)
 * @nr_ids: data slots
 * @ids: their ids, the first slot's first
 */
struct pvnetback_txp {
	struct sk_buff *skb;
	unsigned int first_op;
	unsigned int nr_ops;
	unsigned int nr_extras;
	unsigned int nr_ids;
	u16 ids[PVNET_MAX_DATA];
};

/**
 * struct pvnetback_rxp - a packet for the guest between its copy and its
 * answers
 * @skb: the packet
 * @first_op: its first copy in the batch
 * @nr_ops: copies
 * @nr_slots: requests it took (data slots plus the GSO extra)
 * @req: those requests, copied out and decoded
 */
struct pvnetback_rxp {
	struct sk_buff *skb;
	unsigned int first_op;
	unsigned int nr_ops;
	unsigned int nr_slots;
	struct pvnet_rx_req req[PVNETBACK_RX_SLOTS];
};

/**
 * struct pvnetback_queue - one TX/RX ring pair
 * @be: vif
 * @index: queue number
 * @tx: the guest's TX ring (requests: packets it sends)
 * @rx: its RX ring (requests: pages it posted for us to fill)
 * @chan: event channels; @tx_chan and @rx_chan point into it (the same
 *	  one when the front end did not split them)
 * @tx_chan: channel of the TX ring
 * @rx_chan: channel of the RX ring
 * @napi: serves @tx
 * @win: TX slots copied out of the ring, not yet answered
 * @rate_timer: reschedules @napi once the rate limit gives credit again
 * @win_pos: first unjudged slot in @win
 * @win_n: slots in @win
 * @tx_ops: grant copies of one TX batch
 * @tx_pend: its packets
 * @rx_task: serves @rx
 * @wq: @rx_task sleeps here
 * @rx_kick: the front end posted buffers (RX event)
 * @rx_queue: packets for the guest
 * @rx_queued: bytes in @rx_queue
 * @rx_progress: jiffies when the guest last took a packet, or had
 *		 nothing waiting
 * @rx_timed: @rx_task's current sleep has a timeout (packets waited)
 * @stalled: this queue counts in the vif's @stalled (carrier off)
 * @rx_wait: nanoseconds from a packet's queueing to its copy into the
 *	     guest (histogram: how long packets wait for the RX thread and
 *	     the guest's buffers)
 * @rx_ops: grant copies of one RX batch
 * @rx_pend: its packets
 * @dead: the front end broke the protocol: nothing more is served
 * @st: counters (TX side written by NAPI, RX side by @rx_task)
 * @dbg: debugfs directory
 * @name: irq and thread name
 */
struct pvnetback_queue {
	struct pvnetback *be;
	unsigned int index;
	struct pvsplit_ring tx;
	struct pvsplit_ring rx;
	struct pvnetback_chan chan[2];
	struct pvnetback_chan *tx_chan;
	struct pvnetback_chan *rx_chan;
	struct napi_struct napi;
	struct hrtimer rate_timer;
	u8 win[PVNETBACK_TX_WIN][PVNET_TX_SLOT];
	unsigned int win_pos;
	unsigned int win_n;
	struct gnttab_copy *tx_ops;
	struct pvnetback_txp *tx_pend;
	struct task_struct *rx_task;
	wait_queue_head_t wq;
	atomic_t rx_kick;
	struct sk_buff_head rx_queue;
	atomic_t rx_queued;
	unsigned long rx_progress;
	bool rx_timed;
	bool stalled;
	struct pvhist rx_wait;
	struct gnttab_copy *rx_ops;
	struct pvnetback_rxp *rx_pend;
	bool dead;
	struct pvnetback_qstats st;
	struct dentry *dbg;
	char name[IFNAMSIZ + 16];
};

/**
 * struct pvnetback_fe - what the front end negotiated
 * @sg: takes packets over several RX slots
 * @gso_v4: takes TCPv4 GSO packets
 * @gso_v6: takes TCPv6 GSO packets
 * @csum: takes packets with a blank IPv4 checksum (not feature-no-csum-offload)
 * @ipv6_csum: takes packets with a blank IPv6 checksum
 * @rx_notify: notifies us when it posts RX buffers
 */
struct pvnetback_fe {
	bool sg;
	bool gso_v4;
	bool gso_v6;
	bool csum;
	bool ipv6_csum;
	bool rx_notify;
};

/**
 * struct pvnetback_rate - the vif's transmit limit ("rate" key)
 * @lock: serialises the queues taking credit
 * @bytes: credit per period (0: no limit)
 * @period_ns: the period
 * @burst: most credit saved up (at least one packet of any size)
 * @credit: credit left
 * @stamp: start of the current period
 *
 * One bucket for the whole vif, whatever the number of queues (the stock
 * back end gives each queue the whole rate).
 */
struct pvnetback_rate {
	spinlock_t lock;
	u64 bytes;
	u64 period_ns;
	u64 burst;
	u64 credit;
	u64 stamp;
};

#define PVNETBACK_MCAST_MAX	64u	/* addresses a guest may subscribe */

/**
 * struct pvnetback_mcast - the guest's multicast filter (multicast control)
 * @lock: serialises updates (TX NAPI) against lookups (xmit)
 * @on: the front end asked for filtering (request-multicast-control)
 * @overflow: an add found the list full: every multicast frame passes
 *	      until the list is empty again
 * @n: entries in @addr
 * @addr: the subscribed addresses
 */
struct pvnetback_mcast {
	spinlock_t lock;
	bool on;
	bool overflow;
	unsigned int n;
	u8 addr[PVNETBACK_MCAST_MAX][ETH_ALEN];
};

/**
 * struct pvnetback - one vif served from dom0
 * @dev: our xenbus device
 * @netdev: vif<domid>.<devid>
 * @domid: the guest
 * @lock: serialises connect and disconnect
 * @fe: the front end's features
 * @tx_lim: what we accept on TX rings
 * @rate: transmit limit
 * @mcast: multicast filter
 * @stalled: queues whose guest stopped reading (carrier is off while > 0)
 * @max_queues: queues offered to this vif (max_queues, or less where the
 *		toolstack's pvsplit-max-queues key asks for less)
 * @nr_queues: queues connected (0 when not connected)
 * @queues: them
 * @base: counters of queues torn down, so totals survive reconnects
 * @fatal_work: reports a broken front end from process context (the data
 *		paths run in softirq and may not sleep: XSA-90)
 * @fatal_why: what it reports
 * @fatal_pending: @fatal_work is queued or ran
 * @xmit_dropped: packets for the guest dropped before any queue took them
 * @ctrl: control ring
 * @hash: the hash configuration (NULL: none programmed)
 * @dbg: debugfs directory
 */
struct pvnetback {
	struct xenbus_device *dev;
	struct net_device *netdev;
	domid_t domid;
	struct mutex lock;
	struct pvnetback_fe fe;
	struct pvnet_tx_limits tx_lim;
	struct pvnetback_rate rate;
	struct pvnetback_mcast mcast;
	atomic_t stalled;
	unsigned int max_queues;
	unsigned int nr_queues;
	struct pvnetback_queue *queues;
	struct pvnetback_qstats base;
	struct work_struct fatal_work;
	const char *fatal_why;
	unsigned long fatal_pending;
	atomic_long_t xmit_dropped;
	struct pvnetback_ctrl ctrl;
	struct pvnetback_hash __rcu *hash;
	struct dentry *dbg;
};

/* netdev.c */
int pvnetback_netdev_create(struct pvnetback *be, unsigned int handle);
void pvnetback_netdev_destroy(struct pvnetback *be);
int pvnetback_netdev_connected(struct pvnetback *be);
void pvnetback_carrier_update(struct pvnetback *be);
void pvnetback_broken(struct pvnetback_queue *q, const char *why);

/* ring.c */
int pvnetback_queue_start(struct pvnetback_queue *q);
void pvnetback_queue_stop(struct pvnetback_queue *q);
void pvnetback_chan_done(struct pvnetback_queue *q,
			 struct pvnetback_chan *c, unsigned int side);

/* rx.c */
s16 pvnetback_mcast_update(struct pvnetback *be, const struct pvnet_tx_pkt *pkt);
void pvnetback_mcast_reset(struct pvnetback *be, bool on);

/* ctrl.c */
void pvnetback_ctrl_init(struct pvnetback *be);
int pvnetback_ctrl_start(struct pvnetback *be);
void pvnetback_ctrl_stop(struct pvnetback *be);
u16 pvnetback_select_queue(struct net_device *dev, struct sk_buff *skb,
			   struct net_device *sb_dev);
void pvnetback_hash_rx(struct pvnetback *be, struct sk_buff *skb);

/* ethtool.c */
extern const struct ethtool_ops pvnetback_ethtool_ops;
void pvnetback_stats_fold(struct pvnetback *be, const struct pvnetback_queue *qs,
			  unsigned int n);
void pvnetback_stats_sum(struct pvnetback *be, struct pvnetback_qstats *sum);

/* tx.c */
int pvnetback_poll(struct napi_struct *napi, int budget);
enum hrtimer_restart pvnetback_rate_timer(struct hrtimer *t);
void pvnetback_rate_parse(struct pvnetback *be, const char *val);

/* rx.c */
int pvnetback_rx_thread(void *data);
netdev_tx_t pvnetback_start_xmit(struct sk_buff *skb, struct net_device *dev);

#endif /* PVNETBACK_H */
