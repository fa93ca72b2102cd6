/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvrogue.h - the core of the hostile peers in tests/rogue.
 *
 * A rogue front end (ops->back false) connects like a real front end
 * (ring, event channel, xenstore keys); a rogue back end (ops->back true)
 * maps the ring a real front end granted and binds its event channel,
 * and gets from the core its offer (pvrogue_offer()), a way to close and
 * offer the device again (pvrogue_reoffer()) and the requests one by one
 * (pvrogue_next_request()).  Either way the core gives each rogue device
 * two sysfs files: writing a case name to "inject" sends it,
 * "last_status" reads what the case reports (a front end: the back end's
 * answer, "none" when there was none).  The cases "prodahead" (our
 * producer index far past the ring) and "flood" (events for nothing) need
 * no knowledge of the protocol and are handled here; every other case
 * goes to the protocol's pvrogue_ops.
 * Test-only code: never load it in production.
 */
#ifndef PVROGUE_H
#define PVROGUE_H

#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "pvsplit/pvsplit.h"

/* last_status when no answer came */
#define PVROGUE_NO_ANSWER	1000
/* most pages a protocol's cases may name */
#define PVROGUE_MAX_PAGES	5
/* a domain that can never map: grants to it are "foreign" to the back end */
#define PVROGUE_FOREIGN_DOM	0x7ff0

/**
 * struct pvrogue_page - how one of the case pages is granted
 * @readonly: the back end may only read it
 * @foreign: granted to PVROGUE_FOREIGN_DOM, not to the back end
 */
struct pvrogue_page {
	bool readonly;
	bool foreign;
};

struct pvrogue;

/**
 * struct pvrogue_ops - what one protocol's rogue peer adds
 * @name: name of its interrupt
 * @back: a rogue back end (else a rogue front end)
 * @slot_size: bytes of a request slot
 * @ring_order: front end: log2 of the pages of the core's ring
 *		(at most PVRING_MAX_ORDER)
 * @nr_pages: front end: how many pages its cases name (at most
 *	      PVROGUE_MAX_PAGES)
 * @pages: how each is granted, on every connect
 * @ring_key: optional; the key of the core's ring reference, which a
 *	      front end writes and a back end reads ("ring-ref" when NULL)
 * @setup: optional, front end; set up what else the protocol shares (more
 *	   rings), on every connect, after the core's ring and event channel
 * @teardown: optional, front end; undo @setup, on every disconnect; also
 *	      called when not set up, so it must check what it frees (a
 *	      failing @setup undoes its own work)
 * @publish: optional, front end; more keys, in the connect transaction
 * @connected: optional; front end: the back end went Connected; back
 *	       end: the ring is mapped, called (with rg->lock held) just
 *	       before we go Connected
 * @event: optional; the peer notified us (interrupt context)
 * @disconnect: optional, back end; drop what the protocol holds of the
 *		peer, with rg->lock held, before the ring goes
 * @remove: optional; the device goes, after the disconnect (no lock held)
 * @inject: send case @what and set last_status; -EINVAL for a name it
 *	    does not know
 */
struct pvrogue_ops {
	const char *name;
	bool back;
	size_t slot_size;
	unsigned int ring_order;
	unsigned int nr_pages;
	const struct pvrogue_page *pages;
	const char *ring_key;
	int (*setup)(struct pvrogue *rg);
	void (*teardown)(struct pvrogue *rg);
	int (*publish)(struct xenbus_transaction xbt, struct pvrogue *rg);
	void (*connected)(struct pvrogue *rg);
	void (*event)(struct pvrogue *rg);
	void (*disconnect)(struct pvrogue *rg);
	void (*remove)(struct pvrogue *rg);
	int (*inject)(struct pvrogue *rg, const char *what);
};

/**
 * struct pvrogue - one rogue device, embedded in the protocol's own
 * @dev: its xenbus device
 * @ops: its protocol
 * @lock: one connect, disconnect or injection at a time
 * @ring: the shared ring
 * @ev: its event channel
 * @wq: woken by the back end's notifications
 * @pg: the case pages, zeroed
 * @ref: their grant references while @granted
 * @granted: the case pages are granted
 * @last_status: the back end's last answer, or PVROGUE_NO_ANSWER
 * @id: the id of the last request sent
 * @max_order: back end: the largest ring-page-order it maps
 * @reoffer: back end: go InitWait again once the front end is Closed
 *	     (set by pvrogue_reoffer())
 */
struct pvrogue {
	struct xenbus_device *dev;
	const struct pvrogue_ops *ops;
	struct mutex lock;
	struct pvsplit_ring ring;
	struct pvsplit_evtchn ev;
	wait_queue_head_t wq;
	struct page *pg[PVROGUE_MAX_PAGES];
	grant_ref_t ref[PVROGUE_MAX_PAGES];
	bool granted;
	int last_status;
	u64 id;
	unsigned int max_order;
	bool reoffer;
};

extern const struct attribute_group pvrogue_group;
extern const struct attribute_group *pvrogue_groups[];

int pvrogue_probe(struct xenbus_device *dev, const struct pvrogue_ops *ops,
		  size_t size);
void pvrogue_remove(struct xenbus_device *dev);
void pvrogue_backend_changed(struct xenbus_device *dev,
			     enum xenbus_state bstate);
void pvrogue_frontend_changed(struct xenbus_device *dev,
			      enum xenbus_state fstate);
bool pvrogue_send(struct pvrogue *rg);
bool pvrogue_next_request(struct pvrogue *rg, void *buf, size_t len);
int pvrogue_offer(struct xenbus_device *dev, const char *const *keys,
		  const unsigned int *vals, unsigned int n);
int pvrogue_reoffer(struct pvrogue *rg);

/*
 * PVROGUE_COUNTER(type, name): a read-only sysfs file "name" showing the
 * unsigned counter @name of the rogue driver's struct @type (which embeds
 * struct pvrogue as "core"), read under the core's lock.
 */
#define PVROGUE_COUNTER(type, name)					\
static ssize_t name##_show(struct device *d, struct device_attribute *a, \
			   char *buf)					\
{									\
	struct pvrogue *rg = dev_get_drvdata(d);			\
	unsigned long v;						\
									\
	mutex_lock(&rg->lock);						\
	v = container_of(rg, struct type, core)->name;			\
	mutex_unlock(&rg->lock);					\
	return sysfs_emit(buf, "%lu\n", v);				\
}									\
static DEVICE_ATTR_RO(name)

/* Register in a Xen domain only; the macros bind the driver to its module. */
#define pvrogue_register(drv) \
	(xen_domain() ? xenbus_register_frontend(drv) : -ENODEV)
#define pvrogue_register_back(drv) \
	(xen_domain() ? xenbus_register_backend(drv) : -ENODEV)

#define module_pvrogue_driver(drv) \
	module_driver(drv, pvrogue_register, xenbus_unregister_driver)
#define module_pvrogue_back_driver(drv) \
	module_driver(drv, pvrogue_register_back, xenbus_unregister_driver)

#endif /* PVROGUE_H */
