// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctrl.c - pvnet back end: the front end's control ring (feature-ctrl-ring)
 * and the Toeplitz hash it programs.
 *
 * A front end that found feature-ctrl-ring writes ctrl-ring-ref and
 * event-channel-ctrl before it goes Connected; we map that one page and
 * bind the channel (lateeoi) at connect.  Requests are served from a work
 * item, in process context, at most PVNETBACK_CTRL_BUDGET per pass (a pass
 * that used it all comes back a jiffy later, so a front end refilling the
 * ring gets a bounded share of a dom0 CPU and no more): each
 * slot is copied out once, judged (pvnet_ctrl_prepare()), its key or
 * mapping sub-table grant-copied from the front end's page into private
 * memory, judged again (pvnet_ctrl_apply()), and only then made the
 * vif's configuration.  The EOI goes out when the pass finds the ring
 * empty, so a front end raising events in a loop gets one pass per EOI.
 *
 * The configuration the data paths read is one RCU-protected copy,
 * replaced whole at the end of each pass that changed it: xmit and TX NAPI never
 * see a key or table half written.  With Toeplitz selected, packets for
 * the guest go to the queue the table names (ndo_select_queue), and the
 * guest's packets carry the hash of the types it asked for into dom0's
 * stack (skb_set_hash()), where RPS and the bridge's flow users take it.
 */
#include <linux/debugfs.h>
#include <linux/if_ether.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <xen/page.h>

#include "pvnetback.h"

/*
 * Copy @len bytes (at most a page) from the front end's grant @gref, page
 * offset 0, into our page @buf.  Return: 0 or -EFAULT.
 */
static int ctrl_copy_in(struct pvnetback *be, grant_ref_t gref, void *buf,
			unsigned int len)
{
	struct gnttab_copy op = {
		.source.u.ref = gref,
		.source.domid = be->domid,
		.source.offset = 0,
		.dest.u.gmfn = virt_to_gfn(buf),
		.dest.domid = DOMID_SELF,
		.dest.offset = xen_offset_in_page(buf),
		.len = len,
		.flags = GNTCOPY_source_gref,
	};

	if (!len)
		return 0;
	if (WARN_ON_ONCE(len > XEN_PAGE_SIZE - op.dest.offset))
		return -EFAULT;
	return pvsplit_grant_copy(&op, 1);
}

static bool ctrl_changes(u16 type)
{
	return type == PVNET_CTRL_SET_HASH_ALGORITHM ||
	       type == PVNET_CTRL_SET_HASH_FLAGS ||
	       type == PVNET_CTRL_SET_HASH_KEY ||
	       type == PVNET_CTRL_SET_MAPPING_SIZE ||
	       type == PVNET_CTRL_SET_MAPPING;
}

/*
 * Serve one request against @next, the configuration this pass builds;
 * return the status and set *data.  A request that fails changes
 * nothing (pvnet_ctrl_apply() judges all before it writes).
 */
static u32 ctrl_serve(struct pvnetback *be, struct pvnetback_hash *next,
		      const struct pvnet_ctrl_req *c, u32 *data)
{
	struct pvnetback_ctrl *ctrl = &be->ctrl;
	u32 len, st;

	*data = 0;
	st = pvnet_ctrl_prepare(c, &next->cfg, &len);
	if (st != PVNET_CTRL_SUCCESS)
		return st;
	if (ctrl_copy_in(be, c->data[0], ctrl->buf, len)) {
		ctrl->copy_err++;
		return PVNET_CTRL_INVALID_PARAMETER;
	}
	return pvnet_ctrl_apply(&next->cfg, c, ctrl->buf,
				READ_ONCE(be->nr_queues), data);
}

/*
 * When this pass changed the configuration, make @ctrl->next what the data
 * paths read, and start the next pass's copy from it.  Only this work item
 * writes be->hash while the ring is on (pvnetback_ctrl_stop() cancels it
 * before it clears the pointer).  Out of memory for the next copy, the
 * change stays pending (@dirty) for the next pass.
 */
static void ctrl_publish(struct pvnetback *be)
{
	struct pvnetback_ctrl *ctrl = &be->ctrl;
	struct pvnetback_hash *old, *next;

	if (!ctrl->dirty)
		return;
	next = kmalloc(sizeof(*next), GFP_KERNEL);
	if (!next)
		return;
	next->cfg = ctrl->next->cfg;
	old = rcu_replace_pointer(be->hash, ctrl->next, true);
	ctrl->next = next;
	ctrl->dirty = false;
	if (old)
		kfree_rcu(old, rcu);
}

static void ctrl_work(struct work_struct *work)
{
	struct pvnetback *be = container_of(to_delayed_work(work),
					    struct pvnetback, ctrl.work);
	struct pvnetback_ctrl *ctrl = &be->ctrl;
	struct pvring *r = &ctrl->ring.r;
	u8 slot[PVNET_CTRL_SLOT];
	struct pvnet_ctrl_req c;
	unsigned int done = 0;
	u32 st, data;
	int n;

	for (;;) {
		n = pvring_avail(r);
		if (n < 0) {
			/* no more requests served; the data rings go on */
			if (!ctrl->dead)
				netdev_err(be->netdev, "control ring: bad producer index; ignored from now on\n");
			ctrl->dead = true;
			break;
		}
		if (!n) {
			if (pvring_final_check(r))
				continue;
			break;
		}
		if (done >= PVNETBACK_CTRL_BUDGET) {
			/*
			 * The rest a jiffy later, the EOI with it: a front
			 * end that refills the ring as fast as we answer gets
			 * PVNETBACK_CTRL_BUDGET requests a jiffy, no more.
			 */
			ctrl_publish(be);
			pvsplit_ring_push(&ctrl->ring, &ctrl->ev);
			queue_delayed_work(system_wq, &ctrl->work, 1);
			return;
		}
		pvring_consume(r, slot, sizeof(slot));
		pvnet_decode_ctrl_req(slot, &c);
		st = ctrl_serve(be, ctrl->next, &c, &data);
		ctrl->requests++;
		if (st == PVNET_CTRL_SUCCESS && ctrl_changes(c.type))
			ctrl->dirty = true;
		if (st != PVNET_CTRL_SUCCESS) {
			ctrl->errors++;
			net_dbg_ratelimited("%s: control request type %u: status %u\n",
					    be->netdev->name, c.type, st);
		}
		/* a back end answers only what it consumed: a slot is free */
		pvnet_encode_ctrl_rsp(pvring_prod_slot(r, 0), c.id, c.type, st,
				      data);
		pvring_produce(r, 1);
		done++;
	}
	/*
	 * Published before the answers go out: a front end that has its
	 * answer finds the data paths using what it set.
	 */
	ctrl_publish(be);
	if (done)
		pvsplit_ring_push(&ctrl->ring, &ctrl->ev);
	if (test_and_clear_bit(0, &ctrl->eoi_owed)) {
		ctrl->eois++;
		if (!done)
			ctrl->spurious++;
		pvsplit_evtchn_eoi(&ctrl->ev, !done);
	}
}

static irqreturn_t ctrl_interrupt(int irq, void *data)
{
	struct pvnetback *be = data;

	set_bit(0, &be->ctrl.eoi_owed);
	be->ctrl.ring.stats.wakeups++;
	/*
	 * Not before the bind has returned (Xen raises the port as it is
	 * bound, and the work must not notify through an irq not yet
	 * known), nor once stopping: pvnetback_ctrl_start() queues the
	 * work itself when bound, and the owed EOI goes with it.
	 */
	if (READ_ONCE(be->ctrl.on))
		queue_delayed_work(system_wq, &be->ctrl.work, 0);
	return IRQ_HANDLED;
}

/* debugfs "hash": what the guest programmed, as the data paths see it */
static int hash_show(struct seq_file *m, void *v)
{
	struct pvnetback *be = m->private;
	const struct pvnetback_hash *h;
	unsigned int i;

	rcu_read_lock();
	h = rcu_dereference(be->hash);
	if (!h) {
		seq_puts(m, "alg none\n");
		goto out;
	}
	seq_printf(m, "alg %s\nflags 0x%x\nkey %*phN\nmapping_size %u\nmapping",
		   h->cfg.alg == PVNET_HASH_ALG_TOEPLITZ ? "toeplitz" : "none",
		   h->cfg.flags, (int)sizeof(h->cfg.key), h->cfg.key,
		   h->cfg.size);
	for (i = 0; i < h->cfg.size && i < PVNET_HASH_MAPPING_MAX; i++)
		seq_printf(m, " %u", h->cfg.mapping[i]);
	seq_putc(m, '\n');
out:
	rcu_read_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(hash);

static void ctrl_debugfs(struct pvnetback *be)
{
	struct pvnetback_ctrl *ctrl = &be->ctrl;

	/* its own directory: gone before the ring is unmapped */
	ctrl->dbg = pvsplit_debugfs_dir("ctrl", be->dbg);
	pvsplit_debugfs_ring(ctrl->dbg, "ring", &ctrl->ring);
	debugfs_create_u64("requests", 0444, ctrl->dbg, &ctrl->requests);
	debugfs_create_u64("errors", 0444, ctrl->dbg, &ctrl->errors);
	debugfs_create_u64("eois", 0444, ctrl->dbg, &ctrl->eois);
	debugfs_create_u64("eois_spurious", 0444, ctrl->dbg, &ctrl->spurious);
	debugfs_create_file("hash", 0444, ctrl->dbg, be, &hash_fops);
}

/**
 * pvnetback_ctrl_start() - map and serve the control ring, if the front
 * end gave one
 * @be: vif, connecting (its queues started, nr_queues set)
 *
 * The hash starts as "none" at each connection: a new front end (after a
 * reconnect or a migration) programs its own.
 *
 * No ctrl-ring-ref: no control ring, and no error.  A ring that is given
 * but cannot be used (no port, a bad grant or port) fails the connection,
 * as with the stock back end: the grant map has already reported it with
 * xenbus_dev_fatal(), and carrying on as Connected would leave the front
 * end waiting for answers that never come.
 *
 * Return: 0, or a negative errno reported with xenbus_dev_fatal().
 */
int pvnetback_ctrl_start(struct pvnetback *be)
{
	struct pvnetback_ctrl *ctrl = &be->ctrl;
	struct xenbus_device *dev = be->dev;
	unsigned int ref, port;
	grant_ref_t gref;
	int err;

	err = pvsplit_xb_read_uint(dev->otherend, "ctrl-ring-ref", 0,
				   UINT_MAX, &ref);
	if (err == -ENOENT)
		return 0;
	if (!err)
		err = pvsplit_xb_read_uint(dev->otherend, "event-channel-ctrl",
					   1, UINT_MAX, &port);
	if (err)
		goto out;
	ctrl->dead = false;
	ctrl->dirty = false;
	ctrl->eoi_owed = 0;
	err = -ENOMEM;
	ctrl->next = kzalloc(sizeof(*ctrl->next), GFP_KERNEL);
	if (!ctrl->next)
		goto out;
	ctrl->buf = (u8 *)__get_free_page(GFP_KERNEL);
	if (!ctrl->buf)
		goto free_next;
	gref = ref;
	err = pvsplit_ring_map(&ctrl->ring, dev, &gref, 0, PVNET_CTRL_SLOT);
	if (err)
		goto free_buf;
	snprintf(ctrl->name, sizeof(ctrl->name), "%s-ctrl", be->netdev->name);
	err = pvsplit_evtchn_bind(&ctrl->ev, dev, port, ctrl_interrupt,
				  ctrl->name, be);
	if (err)
		goto unmap;
	WRITE_ONCE(ctrl->on, true);
	ctrl_debugfs(be);
	/* requests, and the event Xen raised at the bind, may be waiting */
	queue_delayed_work(system_wq, &ctrl->work, 0);
	return 0;

unmap:
	pvsplit_ring_unmap(&ctrl->ring, dev);
free_buf:
	free_page((unsigned long)ctrl->buf);
	ctrl->buf = NULL;
free_next:
	kfree(ctrl->next);
	ctrl->next = NULL;
out:
	xenbus_dev_fatal(dev, err, "connecting the control ring");
	return err;
}

/**
 * pvnetback_ctrl_stop() - stop serving the control ring, unmap it, forget
 * the hash
 * @be: vif, disconnecting; harmless without a control ring
 */
void pvnetback_ctrl_stop(struct pvnetback *be)
{
	struct pvnetback_ctrl *ctrl = &be->ctrl;
	struct pvnetback_hash *old;

	if (ctrl->on) {
		pvsplit_debugfs_remove(ctrl->dbg);
		ctrl->dbg = NULL;
		/*
		 * The interrupt queues no more work once @on is clear; the
		 * work that runs may still notify and EOI through the
		 * channel, so the channel is closed only after it.
		 */
		WRITE_ONCE(ctrl->on, false);
		cancel_delayed_work_sync(&ctrl->work);
		pvsplit_evtchn_close(&ctrl->ev, be);
		pvsplit_ring_unmap(&ctrl->ring, be->dev);
		free_page((unsigned long)ctrl->buf);
		ctrl->buf = NULL;
		kfree(ctrl->next);
		ctrl->next = NULL;
	}
	old = rcu_replace_pointer(be->hash, NULL, true);
	if (old)
		kfree_rcu(old, rcu);
}

/**
 * pvnetback_ctrl_init() - set up a vif's control state (probe)
 * @be: vif
 */
void pvnetback_ctrl_init(struct pvnetback *be)
{
	INIT_DELAYED_WORK(&be->ctrl.work, ctrl_work);
	RCU_INIT_POINTER(be->hash, NULL);
}

/* The hash of @skb's network header at @off (from skb->data), or NONE. */
static u8 skb_hash_of(const struct pvnet_hash_cfg *cfg, struct sk_buff *skb,
		      unsigned int off, u16 proto, u32 *hash)
{
	u8 hdr[PVNET_HASH_HDR_MAX];
	unsigned int len;

	if ((proto != ETH_P_IP && proto != ETH_P_IPV6) || skb->len <= off)
		return PVNET_HASH_T_NONE;
	/* a private copy: the headers may sit in frags, or in a guest's page */
	len = min_t(unsigned int, skb->len - off, sizeof(hdr));
	if (skb_copy_bits(skb, off, hdr, len))
		return PVNET_HASH_T_NONE;
	return pvnet_hash_packet(cfg, proto, hdr, len, hash);
}

static void set_hash(struct sk_buff *skb, u32 hash, u8 type)
{
	skb_set_hash(skb, hash, type == PVNET_HASH_T_IPV4_TCP ||
			  type == PVNET_HASH_T_IPV6_TCP ?
			  PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3);
}

/**
 * pvnetback_select_queue() - ndo_select_queue: the guest's table when it
 * programmed a Toeplitz hash, the stack's choice otherwise
 * @dev: the vif
 * @skb: a packet for the guest (data at the Ethernet header)
 * @sb_dev: subordinate device (unused)
 *
 * Return: a queue below real_num_tx_queues.
 */
u16 pvnetback_select_queue(struct net_device *dev, struct sk_buff *skb,
			   struct net_device *sb_dev)
{
	struct pvnetback *be = netdev_priv(dev);
	unsigned int n = dev->real_num_tx_queues;
	const struct pvnetback_hash *h;
	u32 hash, q = 0;
	bool hashed = false;
	u8 type;

	rcu_read_lock();
	h = rcu_dereference(be->hash);
	if (h && h->cfg.alg == PVNET_HASH_ALG_TOEPLITZ && n &&
	    skb_headlen(skb) >= ETH_HLEN) {
		/* data is at the Ethernet header; VLAN-tagged frames: none */
		type = skb_hash_of(&h->cfg, skb, ETH_HLEN,
				   ntohs(eth_hdr(skb)->h_proto), &hash);
		if (type != PVNET_HASH_T_NONE) {
			set_hash(skb, hash, type);
			q = pvnet_hash_queue(&h->cfg, hash, n);
			hashed = true;
		}
	}
	rcu_read_unlock();
	if (hashed) {
		atomic_long_inc(&be->ctrl.steered);
		return q;
	}
	return netdev_pick_tx(dev, skb, NULL) % (n ? n : 1);
}

/**
 * pvnetback_hash_rx() - give a guest's packet the hash it asked for
 * @be: vif
 * @skb: the packet, after eth_type_trans() (data at its network header)
 */
void pvnetback_hash_rx(struct pvnetback *be, struct sk_buff *skb)
{
	const struct pvnetback_hash *h;
	u32 hash;
	u8 type;

	rcu_read_lock();
	h = rcu_dereference(be->hash);
	if (h && h->cfg.alg == PVNET_HASH_ALG_TOEPLITZ && h->cfg.flags) {
		type = skb_hash_of(&h->cfg, skb, 0, ntohs(skb->protocol), &hash);
		if (type != PVNET_HASH_T_NONE)
			set_hash(skb, hash, type);
	}
	rcu_read_unlock();
}
