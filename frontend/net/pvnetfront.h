/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvnetfront.h - state of the pvnet front end: devices, queues, counters.
 *
 * Every page this front end grants the back end is one of a fixed pool per
 * queue, granted once at connect and revoked at disconnect: one page per
 * TX slot id and one per RX slot, zeroed.  A packet to send is copied
 * into the pages of the ids it takes.  So no grant is made per packet, a
 * page granted to an untrusted back end never holds anything but packet
 * data meant for it (XSA-403), and a grant it keeps mapped is never given
 * to anything else (XSA-396): its page stays in the pool until it lets go.
 *
 * A received packet is copied out of the page the back end filled when
 * the back end is not trusted (the trusted parameter, or the toolstack's
 * "trusted" key at 0), so it can change nothing we have already looked
 * at.  From a trusted back end (the default, as for the stock front end)
 * the data past the headers is not copied: the filled page goes up the
 * stack in the skb and a fresh page, cleared (the stock front end's are
 * not: its back end may read what they held before), takes its place in
 * the pool, granted under the same reference (pvsplit_grant_move()).  A
 * back end still mapping a receive page breaks request-rx-copy: the
 * device is disabled.
 */
#ifndef PVNETFRONT_H
#define PVNETFRONT_H

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "pvsplit/pvsplit.h"
#include "pvsplit/compat_net.h"
#include "pvnethash.h"

#define PVNETFRONT_RING_SLOTS	256u	/* one-page netif rings */
#define PVNETFRONT_RX_HLEN	256u	/* bytes copied into the skb head */
#define PVNETFRONT_MAX_RX_SLOTS	(PVNET_MAX_DATA + 1u)
#define PVNETFRONT_RSS_TABLE	PVNET_HASH_MAPPING_MAX	/* entries */

extern unsigned int pvnetfront_max_queues;
extern bool pvnetfront_trusted;

/**
 * struct pvnetfront_qstats - what one queue did
 * @tx_packets: packets sent
 * @tx_bytes: their bytes
 * @tx_errors: packets the back end answered with an error
 * @tx_busy: times the queue stopped for lack of TX slots
 * @rx_packets: packets received
 * @rx_bytes: their bytes
 * @rx_errors: packets the back end marked bad, or that did not parse
 * @rx_dropped: packets dropped for lack of memory
 * @rx_spurious: events with nothing to do
 * @rx_zerocopy: pages passed up the stack as the back end filled them
 *		 (trusted back end), not copied
 */
struct pvnetfront_qstats {
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_errors;
	u64 tx_busy;
	u64 rx_packets;
	u64 rx_bytes;
	u64 rx_errors;
	u64 rx_dropped;
	u64 rx_spurious;
	u64 rx_zerocopy;
};

struct pvnetfront;

/**
 * struct pvnetfront_queue - one TX/RX ring pair
 * @np: device
 * @index: queue number
 * @tx: TX ring (our requests: packets we send)
 * @rx: RX ring (our requests: pages posted for the back end to fill)
 * @ev_tx: TX event channel (the only one when not split)
 * @ev_rx: RX event channel when split
 * @split: two channels
 * @eoi_owed: bit 0: the TX channel awaits its EOI, bit 1: the RX channel
 * @busy: a poll found work since the last EOI
 * @rx_need: RX slots the chain at the ring's head needs (1 when whole)
 * @napi: TX completions and RX
 * @tx_lock: serialises xmit against completion
 * @tx_free: TX ids not in flight, a stack
 * @tx_nr_free: entries in @tx_free
 * @tx_busy: ids in flight (a response for any other is refused)
 * @tx_page: the page of each TX id, granted read-only for good
 * @tx_ref: its grant
 * @rx_page: the page of each RX slot, granted writable (a trusted back
 *	     end's filled page is replaced by a fresh one, same grant)
 * @rx_ref: its grant, for good
 * @pool: pages received data is copied into (the skbs' frags), recycled
 *	  when the stack frees them
 * @st: counters
 * @dbg: debugfs directory
 * @name: irq name
 */
struct pvnetfront_queue {
	struct pvnetfront *np;
	unsigned int index;
	struct pvsplit_ring tx;
	struct pvsplit_ring rx;
	struct pvsplit_evtchn ev_tx;
	struct pvsplit_evtchn ev_rx;
	bool split;
	unsigned long eoi_owed;
	bool busy;
	unsigned int rx_need;
	struct napi_struct napi;
	spinlock_t tx_lock;
	u16 tx_free[PVNETFRONT_RING_SLOTS];
	unsigned int tx_nr_free;
	DECLARE_BITMAP(tx_busy, PVNETFRONT_RING_SLOTS);
	struct page *tx_page[PVNETFRONT_RING_SLOTS];
	grant_ref_t tx_ref[PVNETFRONT_RING_SLOTS];
	struct page *rx_page[PVNETFRONT_RING_SLOTS];
	grant_ref_t rx_ref[PVNETFRONT_RING_SLOTS];
	struct page_pool *pool;
	struct pvnetfront_qstats st;
	struct dentry *dbg;
	char name[IFNAMSIZ + 16];
};

/**
 * struct pvnetfront_be - what the back end offers
 * @sg: takes packets over several TX slots
 * @gso_v4: takes TCPv4 GSO packets
 * @gso_v6: takes TCPv6 GSO packets
 * @ipv6_csum: takes packets with a blank IPv6 checksum
 * @split: offers one event channel per ring
 * @max_queues: multi-queue-max-queues
 */
struct pvnetfront_be {
	bool sg;
	bool gso_v4;
	bool gso_v6;
	bool ipv6_csum;
	bool split;
	unsigned int max_queues;
};

/**
 * struct pvnetfront_ctrl - the control ring (ctrl.c)
 * @ring: the ring (our requests: control messages)
 * @ev: its channel, lateeoi
 * @lock: one request at a time; guards everything below and the device's
 *	  rss_* fields
 * @wq: a requester waits here for its answer
 * @work: programs the hash once the back end is Connected
 * @eoi_owed: bit 0: an interrupt awaits its EOI
 * @page: keys and tables for the back end, granted read-only
 * @ref: its grant
 * @deadline: jiffies by which the sequence of requests under way (the
 *	      programme, one ethtool -X) must have its answers
 * @on: the ring is set up
 * @broken: the back end broke the ring: not used again this connection
 * @programmed: the hash is set up in the back end
 * @next_id: id of the next request
 * @flags: hash types programmed
 * @size: entries of the table programmed (0: the back end takes modulo)
 * @requests: answers received
 * @errors: of those, not a success
 * @name: irq name
 */
struct pvnetfront_ctrl {
	struct pvsplit_ring ring;
	struct pvsplit_evtchn ev;
	struct mutex lock;
	wait_queue_head_t wq;
	struct work_struct work;
	unsigned long eoi_owed;
	struct page *page;
	grant_ref_t ref;
	unsigned long deadline;
	bool on;
	bool broken;
	bool programmed;
	u16 next_id;
	u32 flags;
	u32 size;
	u64 requests;
	u64 errors;
	char name[IFNAMSIZ + 8];
};

/**
 * struct pvnetfront - one virtual NIC
 * @dev: xenbus device
 * @netdev: eth<N>
 * @lock: serialises connect, disconnect and resume
 * @be: the back end's offer
 * @trusted: the back end of this connection is trusted (no RX copy)
 * @nr_queues: queues connected (0 when not)
 * @queues: them
 * @base: counters of queues torn down
 * @broken_work: disables the device from process context
 * @broken: the back end broke the protocol
 * @want_queues: queues asked for with ethtool -L (0: as many as can be)
 * @reconnect: bit 0: closing to connect again with @want_queues
 * @ctrl: control ring
 * @rss_key: the hash key (kept across connections)
 * @rss_table: the hash table: a queue per entry
 * @rss_user: @rss_table was set with ethtool -X (kept while it fits)
 * @dbg: debugfs directory
 */
struct pvnetfront {
	struct xenbus_device *dev;
	struct net_device *netdev;
	struct mutex lock;
	struct pvnetfront_be be;
	bool trusted;
	unsigned int nr_queues;
	struct pvnetfront_queue *queues;
	struct pvnetfront_qstats base;
	struct work_struct broken_work;
	unsigned long broken;
	unsigned int want_queues;
	unsigned long reconnect;
	struct pvnetfront_ctrl ctrl;
	u8 rss_key[PVNET_HASH_KEY_MAX];
	u32 rss_table[PVNETFRONT_RSS_TABLE];
	bool rss_user;
	struct dentry *dbg;
};

/* xenbus.c */
unsigned int pvnetfront_queues_max(struct pvnetfront *np);
int pvnetfront_set_queues(struct pvnetfront *np, unsigned int n);

/* netdev.c */
extern const struct net_device_ops pvnetfront_netdev_ops;
void pvnetfront_netdev_setup(struct pvnetfront *np);
void pvnetfront_stats_sum(struct pvnetfront *np, struct pvnetfront_qstats *sum);
void pvnetfront_broken(struct pvnetfront_queue *q, const char *why);

/* ethtool.c */
extern const struct ethtool_ops pvnetfront_ethtool_ops;
void pvnetfront_stats_add(struct pvnetfront_qstats *to,
			  const struct pvnetfront_queue *qs, unsigned int n);

/* ctrl.c */
void pvnetfront_ctrl_init(struct pvnetfront *np);
int pvnetfront_ctrl_start(struct pvnetfront *np);
int pvnetfront_ctrl_write(struct xenbus_transaction xbt, struct pvnetfront *np);
void pvnetfront_ctrl_connected(struct pvnetfront *np);
void pvnetfront_ctrl_stop(struct pvnetfront *np);
void pvnetfront_rss_get(struct pvnetfront *np, u32 *indir, u8 *key);
int pvnetfront_rss_set(struct pvnetfront *np, const u32 *indir, const u8 *key);

/* ring.c */
int pvnetfront_queue_start(struct pvnetfront_queue *q);
void pvnetfront_queue_stop(struct pvnetfront_queue *q);
int pvnetfront_queue_write(struct xenbus_transaction xbt,
			   struct pvnetfront_queue *q);
void pvnetfront_eoi(struct pvnetfront_queue *q);

/* tx.c */
netdev_tx_t pvnetfront_start_xmit(struct sk_buff *skb, struct net_device *dev);
int pvnetfront_tx_done(struct pvnetfront_queue *q);

/* rx.c */
int pvnetfront_rx(struct pvnetfront_queue *q, int budget);
void pvnetfront_rx_post(struct pvnetfront_queue *q);
int pvnetfront_poll(struct napi_struct *napi, int budget);

#endif /* PVNETFRONT_H */
