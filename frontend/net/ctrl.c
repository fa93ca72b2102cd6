// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctrl.c - pvnet front end: the control ring and the Toeplitz hash.
 *
 * With more than one queue and a back end offering feature-ctrl-ring, we
 * grant it a control ring and a channel (ctrl-ring-ref,
 * event-channel-ctrl, written with the queues' keys before we go
 * Connected) and, once it is Connected, program the hash the way a NIC's
 * RSS is: Toeplitz over all four types it supports, a random key
 * (netdev_rss_key_fill()), and a table spreading its entries over the
 * queues (ethtool_rxfh_indir_default()).  ethtool -x shows them and -X
 * changes them.
 *
 * One request at a time, under @lock: it is written, the back end
 * notified, and its answer waited for.  A sequence of requests (the
 * programme, one ethtool -X) has PVNETFRONT_CTRL_WAIT for all its
 * answers, not each: ethtool holds rtnl while it waits for the lock, so
 * a back end answering each just in time must not hold it for the
 * length of seven waits.
 * The answer is copied out once and must name the id and type we sent;
 * an answer that does not, or none at all, means the back end broke the
 * ring, which is then not used again (the data rings go on).  Keys and
 * tables go through one page granted read-only for the connection, which
 * never holds anything else.  The channel is lateeoi: the EOI is issued
 * by the requester once it has read the answer, so a back end raising
 * events in a loop costs us one interrupt per request.
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "pvnetfront.h"

#define PVNETFRONT_CTRL_WAIT	(5 * HZ)

static irqreturn_t ctrl_interrupt(int irq, void *data)
{
	struct pvnetfront_ctrl *ctrl = data;

	set_bit(0, &ctrl->eoi_owed);
	wake_up(&ctrl->wq);
	return IRQ_HANDLED;
}

static void ctrl_eoi(struct pvnetfront_ctrl *ctrl, bool spurious)
{
	if (test_and_clear_bit(0, &ctrl->eoi_owed))
		pvsplit_evtchn_eoi(&ctrl->ev, spurious);
}

static bool ctrl_answered(struct pvnetfront_ctrl *ctrl)
{
	return pvring_avail(&ctrl->ring.r) != 0;
}

/*
 * Send one request and wait for its answer.  Return: 0, -EOPNOTSUPP,
 * -EINVAL or -E2BIG for the back end's status, or -EPROTO / -ENODEV when
 * the ring is broken or gone.
 */
static int ctrl_call(struct pvnetfront *np, u16 type, u32 d0, u32 d1, u32 d2,
		     u32 *data)
{
	struct pvnetfront_ctrl *ctrl = &np->ctrl;
	struct pvring *r = &ctrl->ring.r;
	struct pvnet_ctrl_req c = { .type = type, .data = { d0, d1, d2 } };
	u8 slot[PVNET_CTRL_RSP_SIZE];
	struct pvnet_ctrl_rsp rsp;
	long left;

	lockdep_assert_held(&ctrl->lock);
	if (!ctrl->on || ctrl->broken)
		return -ENODEV;
	/* one in flight at most: the ring always has room */
	if (WARN_ON_ONCE(pvring_free(r) < 1))
		return -EPROTO;
	c.id = ctrl->next_id++;
	pvnet_encode_ctrl_req(pvring_prod_slot(r, 0), &c);
	pvring_produce(r, 1);
	/* an earlier interrupt we have not EOId would mask this answer's */
	ctrl_eoi(ctrl, false);
	pvring_arm(r, 1);
	pvsplit_ring_push(&ctrl->ring, &ctrl->ev);
	/* past the deadline: one jiffy, for an answer already there */
	left = (long)(ctrl->deadline - jiffies);
	left = wait_event_timeout(ctrl->wq, ctrl_answered(ctrl),
				  max(left, 1L));
	ctrl_eoi(ctrl, false);
	if (!left || pvring_avail(r) < 0) {
		netdev_err(np->netdev, "control ring: %s; not used any more\n",
			   left ? "bad producer index" : "no answer");
		ctrl->broken = true;
		return -EPROTO;
	}
	pvring_consume(r, slot, sizeof(slot));
	pvnet_decode_ctrl_rsp(slot, &rsp);
	ctrl->requests++;
	if (pvnet_check_ctrl_rsp(&rsp, c.id, c.type)) {
		netdev_err(np->netdev, "control ring: answer id %u type %u status %u to request %u type %u; not used any more\n",
			   rsp.id, rsp.type, rsp.status, c.id, c.type);
		ctrl->broken = true;
		return -EPROTO;
	}
	if (data)
		*data = rsp.data;
	switch (rsp.status) {
	case PVNET_CTRL_SUCCESS:
		return 0;
	case PVNET_CTRL_NOT_SUPPORTED:
		ctrl->errors++;
		return -EOPNOTSUPP;
	case PVNET_CTRL_BUFFER_OVERFLOW:
		ctrl->errors++;
		return -E2BIG;
	default:
		ctrl->errors++;
		return -EINVAL;
	}
}

static int ctrl_send_key(struct pvnetfront *np)
{
	struct pvnetfront_ctrl *ctrl = &np->ctrl;

	memcpy(page_address(ctrl->page), np->rss_key, PVNET_HASH_KEY_MAX);
	return ctrl_call(np, PVNET_CTRL_SET_HASH_KEY, ctrl->ref,
			 PVNET_HASH_KEY_MAX, 0, NULL);
}

static int ctrl_send_table(struct pvnetfront *np)
{
	struct pvnetfront_ctrl *ctrl = &np->ctrl;
	__le32 *p = page_address(ctrl->page);
	unsigned int i;

	for (i = 0; i < ctrl->size; i++)
		p[i] = cpu_to_le32(np->rss_table[i]);
	return ctrl_call(np, PVNET_CTRL_SET_MAPPING, ctrl->ref, ctrl->size, 0,
			 NULL);
}

/* The whole programme, in the order io/netif.h describes. */
static int ctrl_program(struct pvnetfront *np)
{
	struct pvnetfront_ctrl *ctrl = &np->ctrl;
	unsigned int nr = READ_ONCE(np->nr_queues), i;
	u32 flags, max;
	int err;

	ctrl->deadline = jiffies + PVNETFRONT_CTRL_WAIT;
	err = ctrl_call(np, PVNET_CTRL_SET_HASH_ALGORITHM,
			PVNET_HASH_ALG_TOEPLITZ, 0, 0, NULL);
	if (!err)
		err = ctrl_call(np, PVNET_CTRL_GET_HASH_FLAGS, 0, 0, 0, &flags);
	if (err)
		return err;
	flags &= PVNET_HASH_ALL;
	err = ctrl_call(np, PVNET_CTRL_SET_HASH_FLAGS, flags, 0, 0, NULL);
	if (!err)
		err = ctrl_send_key(np);
	if (!err)
		err = ctrl_call(np, PVNET_CTRL_GET_MAPPING_SIZE, 0, 0, 0, &max);
	if (err)
		return err;
	ctrl->size = min_t(u32, max, PVNETFRONT_RSS_TABLE);
	if (ctrl->size) {
		/* a table from an earlier connection may name more queues */
		for (i = 0; i < ctrl->size; i++)
			if (!np->rss_user || np->rss_table[i] >= nr)
				np->rss_table[i] = ethtool_rxfh_indir_default(i, nr);
		err = ctrl_call(np, PVNET_CTRL_SET_MAPPING_SIZE, ctrl->size, 0,
				0, NULL);
		if (!err)
			err = ctrl_send_table(np);
	}
	if (err)
		return err;
	ctrl->flags = flags;
	ctrl->programmed = true;
	netdev_info(np->netdev, "hash: toeplitz, types 0x%x, %u-entry table over %u queues\n",
		    flags, ctrl->size, nr);
	return 0;
}

static void ctrl_work(struct work_struct *work)
{
	struct pvnetfront *np = container_of(work, struct pvnetfront, ctrl.work);
	int err;

	mutex_lock(&np->ctrl.lock);
	err = ctrl_program(np);
	mutex_unlock(&np->ctrl.lock);
	if (err)
		netdev_warn(np->netdev, "hash not programmed (%d): the back end chooses queues\n",
			    err);
}

/**
 * pvnetfront_ctrl_start() - set up a control ring, when it can be used
 * @np: device, connecting, its queue count chosen
 *
 * Return: 0 (with or without a ring) or a negative errno, nothing left
 * set up.
 */
int pvnetfront_ctrl_start(struct pvnetfront *np)
{
	struct pvnetfront_ctrl *ctrl = &np->ctrl;
	struct xenbus_device *dev = np->dev;
	int err;

	ctrl->programmed = false;
	ctrl->broken = false;
	if (np->nr_queues < 2 ||
	    !xenbus_read_unsigned(dev->otherend, "feature-ctrl-ring", 0))
		return 0;
	err = pvsplit_ring_alloc(&ctrl->ring, dev, 0, PVNET_CTRL_SLOT);
	if (err)
		return err;
	ctrl->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!ctrl->page) {
		err = -ENOMEM;
		goto free_ring;
	}
	err = pvsplit_grant_pages(dev->otherend_id, &ctrl->page, 1, true,
				  &ctrl->ref);
	if (err)
		goto free_page;
	snprintf(ctrl->name, sizeof(ctrl->name), "%s-ctrl", np->netdev->name);
	ctrl->eoi_owed = 0;
	err = pvsplit_evtchn_alloc(&ctrl->ev, dev, ctrl_interrupt, ctrl->name,
				   ctrl);
	if (err)
		goto revoke;
	mutex_lock(&ctrl->lock);
	ctrl->on = true;
	mutex_unlock(&ctrl->lock);
	return 0;

revoke:
	pvsplit_grant_revoke(&ctrl->ref, &ctrl->page, 1);
free_page:
	if (ctrl->page)
		__free_page(ctrl->page);
	ctrl->page = NULL;
free_ring:
	pvsplit_ring_free(&ctrl->ring);
	return err;
}

/**
 * pvnetfront_ctrl_write() - publish the ring's keys
 * @xbt: the transaction writing the queues' keys
 * @np: device
 *
 * Return: 0 or a negative errno.
 */
int pvnetfront_ctrl_write(struct xenbus_transaction xbt, struct pvnetfront *np)
{
	const char *node = np->dev->nodename;
	int err;

	if (!np->ctrl.on)
		return 0;
	err = xenbus_printf(xbt, node, "ctrl-ring-ref", "%u",
			    np->ctrl.ring.gref[0]);
	if (!err)
		err = xenbus_printf(xbt, node, "event-channel-ctrl", "%u",
				    np->ctrl.ev.port);
	return err;
}

/**
 * pvnetfront_ctrl_connected() - the back end is Connected: program it
 * @np: device
 */
void pvnetfront_ctrl_connected(struct pvnetfront *np)
{
	if (np->ctrl.on)
		schedule_work(&np->ctrl.work);
}

/**
 * pvnetfront_ctrl_stop() - tear the control ring down
 * @np: device, closing; harmless without a ring
 */
void pvnetfront_ctrl_stop(struct pvnetfront *np)
{
	struct pvnetfront_ctrl *ctrl = &np->ctrl;

	cancel_work_sync(&ctrl->work);
	mutex_lock(&ctrl->lock);
	if (ctrl->on) {
		ctrl->on = false;
		ctrl->programmed = false;
		pvsplit_evtchn_close(&ctrl->ev, ctrl);
		pvsplit_ring_free(&ctrl->ring);
		/* a page the back end still maps goes to the grant code */
		pvsplit_grant_revoke(&ctrl->ref, &ctrl->page, 1);
		if (ctrl->page)
			__free_page(ctrl->page);
		ctrl->page = NULL;
	}
	mutex_unlock(&ctrl->lock);
}

/**
 * pvnetfront_ctrl_init() - probe: the key and table every connection
 * starts from
 * @np: device
 */
void pvnetfront_ctrl_init(struct pvnetfront *np)
{
	mutex_init(&np->ctrl.lock);
	init_waitqueue_head(&np->ctrl.wq);
	INIT_WORK(&np->ctrl.work, ctrl_work);
	netdev_rss_key_fill(np->rss_key, sizeof(np->rss_key));
}

/**
 * pvnetfront_rss_get() - what ethtool -x shows
 * @np: device
 * @indir: the table (PVNETFRONT_RSS_TABLE entries), or NULL
 * @key: the key (PVNET_HASH_KEY_MAX bytes), or NULL
 */
void pvnetfront_rss_get(struct pvnetfront *np, u32 *indir, u8 *key)
{
	mutex_lock(&np->ctrl.lock);
	if (indir)
		memcpy(indir, np->rss_table, sizeof(np->rss_table));
	if (key)
		memcpy(key, np->rss_key, sizeof(np->rss_key));
	mutex_unlock(&np->ctrl.lock);
}

/**
 * pvnetfront_rss_set() - ethtool -X: a new table and/or key, sent now
 * @np: device
 * @indir: the table (entries checked against the queues by ethtool's
 *	   core through ETHTOOL_GRXRINGS), or NULL
 * @key: the key, or NULL
 *
 * Return: 0, -EOPNOTSUPP without a programmed hash (or a table for a
 * back end that has none), or the back end's refusal.
 */
int pvnetfront_rss_set(struct pvnetfront *np, const u32 *indir, const u8 *key)
{
	struct pvnetfront_ctrl *ctrl = &np->ctrl;
	unsigned int nr = READ_ONCE(np->nr_queues), i;
	int err = 0;

	mutex_lock(&ctrl->lock);
	if (!ctrl->programmed || (indir && !ctrl->size)) {
		err = -EOPNOTSUPP;
		goto out;
	}
	ctrl->deadline = jiffies + PVNETFRONT_CTRL_WAIT;
	if (indir) {
		for (i = 0; i < PVNETFRONT_RSS_TABLE; i++)
			if (indir[i] >= nr) {
				err = -EINVAL;
				goto out;
			}
		memcpy(np->rss_table, indir, sizeof(np->rss_table));
		np->rss_user = true;
		err = ctrl_send_table(np);
	}
	if (!err && key) {
		memcpy(np->rss_key, key, sizeof(np->rss_key));
		err = ctrl_send_key(np);
	}
out:
	mutex_unlock(&ctrl->lock);
	return err;
}
