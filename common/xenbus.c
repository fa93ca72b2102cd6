// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c - xenstore helpers: bounded reads of what the other end wrote,
 * feature keys, transactions retried on EAGAIN, ring layouts.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xenbus.h>

#include "pvsplit/pvsplit.h"
#include "internal.h"

/**
 * pvsplit_xb_switch() - move our end to @state unless it is there already
 * @dev: xenbus device
 * @state: new state
 *
 * Return: 0 or a negative errno.
 */
int pvsplit_xb_switch(struct xenbus_device *dev, enum xenbus_state state)
{
	if (dev->state == state)
		return 0;
	dev_dbg(&dev->dev, "%s -> %s\n", xenbus_strstate(dev->state),
		xenbus_strstate(state));
	return xenbus_switch_state(dev, state);
}
PVSPLIT_EXPORT(pvsplit_xb_switch);

/**
 * pvsplit_back_frontend_changed() - a back end's answer to its front end's
 * state, the same for every device type
 * @dev: our xenbus device
 * @fstate: the front end's new state
 * @ops: connect and disconnect of this device type
 * @data: passed to @ops
 *
 * Initialising after Closed offers the device again (InitWait);
 * Initialised or Connected connects unless connected; Closing and Closed
 * disconnect and follow; Closed when the toolstack took the device offline,
 * and Unknown (the front end's directory vanished), also unregister it.
 */
void pvsplit_back_frontend_changed(struct xenbus_device *dev,
				   enum xenbus_state fstate,
				   const struct pvsplit_back_ops *ops, void *data)
{
	dev_dbg(&dev->dev, "front end %s, we are %s\n", xenbus_strstate(fstate),
		xenbus_strstate(dev->state));
	switch (fstate) {
	case XenbusStateInitialising:
		if (dev->state == XenbusStateClosed)
			pvsplit_xb_switch(dev, XenbusStateInitWait);
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		if (dev->state != XenbusStateConnected)
			ops->connect(data);
		break;
	case XenbusStateClosing:
		ops->disconnect(data);
		pvsplit_xb_switch(dev, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		ops->disconnect(data);
		pvsplit_xb_switch(dev, XenbusStateClosed);
		if (xenbus_dev_is_online(dev))
			break;
		fallthrough;
	case XenbusStateUnknown:
		ops->disconnect(data);
		device_unregister(&dev->dev);
		break;
	default:
		xenbus_dev_fatal(dev, -EINVAL, "unexpected front end state %d",
				 fstate);
		break;
	}
}
PVSPLIT_EXPORT(pvsplit_back_frontend_changed);

/*
 * The front end's half of the handshake, as every pvsplit front end runs
 * it.  Each line: the back end's new state, and our state when it arrives
 * -> what we do, and the state we move to.
 *
 *   probe, resume                      -> (core) Initialising
 *   InitWait;  we Initialising/Closed  -> ops->connect, Initialised
 *   InitWait;  we anything else        -> nothing (a restarted back end
 *                                         goes Closed first, see below)
 *   Connected; we Initialised          -> ops->connected, Connected
 *   Connected; we already Connected    -> ops->connected (the back end
 *                                         rewrote its state, e.g. to
 *                                         announce a new disk size)
 *   Connected; we Initialising/Closed  -> nothing: it holds no rings of
 *                                         ours (a stale state, after resume)
 *   Closing/Closed/Unknown; we not Closed -> ops->closing, Closed
 *   Closing/Closed/Unknown; we Closed  -> nothing
 *   Initialising, Initialised, Reconfiguring, Reconfigured -> nothing
 *
 *      Initialising --InitWait--> Initialised --Connected--> Connected
 *           ^                                                    |
 *           | resume            Closed <--Closing/Closed/Unknown-+
 *           |                     |       (from any state)
 *           +--(any state)        +--InitWait--> Initialised ...
 *
 * Reconnecting needs nothing more: after Closed the back end goes InitWait
 * again and we, Closed, connect anew.  Resume (restore, migration) is the
 * driver's .resume, which drops the old rings; the xenbus core has put us
 * back in Initialising, so the new back end's InitWait connects again.
 * A failing ops->connect or ops->connected reports with xenbus_dev_fatal(),
 * which moves us to Closing, and we do not advance.
 */

/**
 * pvsplit_front_backend_changed() - a front end's answer to its back end's
 * state, the same for every device type
 * @dev: our xenbus device
 * @bstate: the back end's new state
 * @ops: what this device type does at each step
 * @data: passed to @ops
 *
 * Meant to be called from the driver's .otherend_changed; the table above
 * this function says what happens in which state.  The ops take their own
 * locks; this function holds none while calling them.
 */
void pvsplit_front_backend_changed(struct xenbus_device *dev,
				   enum xenbus_state bstate,
				   const struct pvsplit_front_ops *ops,
				   void *data)
{
	dev_dbg(&dev->dev, "back end %s, we are %s\n", xenbus_strstate(bstate),
		xenbus_strstate(dev->state));
	switch (bstate) {
	case XenbusStateInitWait:
		if (dev->state != XenbusStateInitialising &&
		    dev->state != XenbusStateClosed)
			break;
		if (!ops->connect(data))
			pvsplit_xb_switch(dev, ops->connect_state ?:
					  XenbusStateInitialised);
		break;
	case XenbusStateConnected:
		if (dev->state != XenbusStateInitialised &&
		    dev->state != XenbusStateConnected)
			break;
		if (!ops->connected(data))
			pvsplit_xb_switch(dev, XenbusStateConnected);
		break;
	case XenbusStateClosing:
	case XenbusStateClosed:
	case XenbusStateUnknown:
		if (dev->state == XenbusStateClosed)
			break;
		ops->closing(data);
		xenbus_frontend_closed(dev);
		break;
	default:
		break;
	}
}
PVSPLIT_EXPORT(pvsplit_front_backend_changed);

/**
 * pvsplit_xb_read_uint() - read an unsigned value the peer wrote, in bounds
 * @dir: xenstore directory
 * @node: key below it
 * @min: smallest accepted value
 * @max: largest accepted value
 * @val: result
 *
 * Return: 0, -ENOENT when absent, -EINVAL when not a number in [@min, @max].
 */
int pvsplit_xb_read_uint(const char *dir, const char *node, unsigned int min,
			 unsigned int max, unsigned int *val)
{
	unsigned long long v;
	char *s;
	int err;

	s = xenbus_read(XBT_NIL, dir, node, NULL);
	if (IS_ERR(s))
		return -ENOENT;
	err = kstrtoull(s, 0, &v);
	kfree(s);
	if (err || v < min || v > max)
		return -EINVAL;
	*val = (unsigned int)v;
	return 0;
}
PVSPLIT_EXPORT(pvsplit_xb_read_uint);

/**
 * pvsplit_xb_write_features() - write feature/limit keys in our directory
 * @dev: xenbus device
 * @keys: key names
 * @vals: their values
 * @n: how many
 *
 * Return: 0 or the first errno.
 */
int pvsplit_xb_write_features(struct xenbus_device *dev, const char *const *keys,
			      const unsigned int *vals, unsigned int n)
{
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		err = xenbus_printf(XBT_NIL, dev->nodename, keys[i], "%u",
				    vals[i]);
		if (err) {
			xenbus_dev_error(dev, err, "writing %s", keys[i]);
			return err;
		}
	}
	return 0;
}
PVSPLIT_EXPORT(pvsplit_xb_write_features);

/**
 * pvsplit_xb_txn() - run @fn inside a transaction, again on -EAGAIN
 * @dev: xenbus device, for error reports
 * @fn: writes to do; returns 0 or a negative errno
 * @arg: its argument
 *
 * Return: 0 or a negative errno; on error the transaction is aborted.
 */
int pvsplit_xb_txn(struct xenbus_device *dev,
		   int (*fn)(struct xenbus_transaction xbt, void *arg),
		   void *arg)
{
	struct xenbus_transaction xbt;
	int err;

	do {
		err = xenbus_transaction_start(&xbt);
		if (err) {
			xenbus_dev_error(dev, err, "starting transaction");
			return err;
		}
		err = fn(xbt, arg);
		if (err) {
			xenbus_transaction_end(xbt, 1);
			return err;
		}
		err = xenbus_transaction_end(xbt, 0);
	} while (err == -EAGAIN);
	if (err)
		xenbus_dev_error(dev, err, "completing transaction");
	return err;
}
PVSPLIT_EXPORT(pvsplit_xb_txn);

/* "<otherend>[/<queue>]" */
static char *queue_dir(struct xenbus_device *dev, const char *base,
		       const char *queue)
{
	if (!queue)
		return kstrdup(base, GFP_KERNEL);
	return kasprintf(GFP_KERNEL, "%s/%s", base, queue);
}

/**
 * pvsplit_xb_read_ring() - read the ring a front end published
 * @dev: our (back-end) xenbus device
 * @queue: "queue-N" for a multi-queue device, NULL for the single ring
 * @max_order: largest ring-page-order we offered
 * @ref_base: "ring-ref" (or "tx-ring-ref", ...)
 * @evtchn_key: "event-channel" (or NULL to skip)
 * @lay: result
 *
 * Accepts both layouts Linux front ends write: "<ref_base>" alone for one
 * page, or "ring-page-order" with "<ref_base>0".."<ref_base>N-1".
 * ring-page-order sits in the device directory, refs and event channel in
 * the queue directory.
 *
 * Return: 0, or -EINVAL / -ENOENT with a xenbus error written.
 */
int pvsplit_xb_read_ring(struct xenbus_device *dev, const char *queue,
			 unsigned int max_order, const char *ref_base,
			 const char *evtchn_key,
			 struct pvsplit_ring_layout *lay)
{
	unsigned int i, nr, v;
	char node[32];
	bool single;
	char *dir;
	int err;

	memset(lay, 0, sizeof(*lay));
	err = pvsplit_xb_read_uint(dev->otherend, "ring-page-order", 0,
				   min(max_order, PVRING_MAX_ORDER), &v);
	if (err == -EINVAL) {
		xenbus_dev_fatal(dev, err, "bad ring-page-order");
		return err;
	}
	single = err == -ENOENT;
	lay->order = single ? 0 : v;
	nr = 1u << lay->order;

	dir = queue_dir(dev, dev->otherend, queue);
	if (!dir)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		if (single)
			snprintf(node, sizeof(node), "%s", ref_base);
		else
			snprintf(node, sizeof(node), "%s%u", ref_base, i);
		if (pvsplit_xb_read_uint(dir, node, 0, UINT_MAX, &v)) {
			err = -EINVAL;
			xenbus_dev_fatal(dev, err, "reading %s/%s", dir, node);
			goto free_dir;
		}
		lay->gref[i] = v;
	}
	err = 0;
	if (evtchn_key &&
	    pvsplit_xb_read_uint(dir, evtchn_key, 1, UINT_MAX, &v)) {
		err = -EINVAL;
		xenbus_dev_fatal(dev, err, "reading %s/%s", dir, evtchn_key);
		goto free_dir;
	}
	lay->evtchn = evtchn_key ? v : 0;
free_dir:
	kfree(dir);
	return err;
}
PVSPLIT_EXPORT(pvsplit_xb_read_ring);

/**
 * pvsplit_xb_write_ring() - publish a front-end ring, inside @xbt
 * @xbt: transaction
 * @dev: our (front-end) xenbus device
 * @queue: "queue-N" or NULL
 * @ring: the ring
 * @ref_base: "ring-ref" or similar
 * @evtchn_key: "event-channel" or NULL
 * @port: its port
 *
 * A one-page ring is written as "<ref_base>" so that back ends without
 * multi-page support understand it.  The caller writes ring-page-order.
 *
 * Return: 0 or a negative errno.
 */
int pvsplit_xb_write_ring(struct xenbus_transaction xbt,
			  struct xenbus_device *dev, const char *queue,
			  const struct pvsplit_ring *ring, const char *ref_base,
			  const char *evtchn_key, evtchn_port_t port)
{
	unsigned int i, nr = 1u << ring->order;
	char node[32];
	char *dir;
	int err = 0;

	dir = queue_dir(dev, dev->nodename, queue);
	if (!dir)
		return -ENOMEM;
	for (i = 0; i < nr && !err; i++) {
		if (ring->order)
			snprintf(node, sizeof(node), "%s%u", ref_base, i);
		else
			snprintf(node, sizeof(node), "%s", ref_base);
		err = xenbus_printf(xbt, dir, node, "%u", ring->gref[i]);
	}
	if (!err && evtchn_key)
		err = xenbus_printf(xbt, dir, evtchn_key, "%u", port);
	kfree(dir);
	return err;
}
PVSPLIT_EXPORT(pvsplit_xb_write_ring);

/**
 * pvsplit_xb_rm() - remove a node in a transaction; absent is fine
 * @xbt: transaction
 * @dir: directory
 * @node: node below it (with everything below that)
 *
 * Return: 0 or a negative errno other than -ENOENT.
 */
int pvsplit_xb_rm(struct xenbus_transaction xbt, const char *dir,
		  const char *node)
{
	int err = xenbus_rm(xbt, dir, node);

	return err == -ENOENT ? 0 : err;
}
PVSPLIT_EXPORT(pvsplit_xb_rm);

/**
 * pvsplit_xb_drop_keys() - remove an earlier connection's keys
 * @xbt: transaction
 * @dir: our directory
 * @keys: keys to remove
 * @n: entries in @keys
 * @nr_queues: queue-0 .. queue-(@nr_queues - 1) go too
 *
 * A front end that connects again (the back end closed and offered itself
 * anew, or fewer queues are wanted) must not leave keys this connection
 * would not overwrite: the back end would read stale grant references,
 * event channels or a queue count.
 *
 * Return: 0 or a negative errno.
 */
int pvsplit_xb_drop_keys(struct xenbus_transaction xbt, const char *dir,
			 const char *const *keys, unsigned int n,
			 unsigned int nr_queues)
{
	char node[20];
	unsigned int i;
	int err = 0;

	for (i = 0; !err && i < n; i++)
		err = pvsplit_xb_rm(xbt, dir, keys[i]);
	for (i = 0; !err && i < nr_queues; i++) {
		snprintf(node, sizeof(node), "queue-%u", i);
		err = pvsplit_xb_rm(xbt, dir, node);
	}
	return err;
}
PVSPLIT_EXPORT(pvsplit_xb_drop_keys);
