// SPDX-License-Identifier: GPL-2.0-only
/*
 * evtchn.c - event channels: allocated by a front end, bound by a back end.
 *
 * Both ends bind with lateeoi, so that a peer raising events faster than
 * they are handled cannot keep one of our CPUs in interrupt context: the
 * event is not re-enabled until the handler (or its worker) says it is
 * done, with pvsplit_evtchn_eoi().  One that found nothing to do says so
 * (spurious), and Xen's event code then waits longer and longer before
 * letting the next event in.  A back end storming a guest therefore costs
 * it at most one handler run per EOI, and a front end storming dom0 the
 * same there.
 */
#include <linux/module.h>
#include <xen/events.h>

#include "pvsplit/pvsplit.h"
#include "internal.h"

/*
 * Xen sets a port pending when it is bound (a notification sent before
 * may have been lost), so the handler runs inside the bind call, and its
 * work (a NAPI poll run on the way out of that interrupt) may want to EOI
 * before the bind has returned the irq.  Such an EOI is noted and issued
 * here, once the irq is known; else the port would stay masked for good.
 */
static void bound(struct pvsplit_evtchn *ev, int irq)
{
	WRITE_ONCE(ev->irq, irq);
	smp_mb();	/* irq before early_eoi; pairs with eoi_early() */
	if (xchg(&ev->early_eoi, false))
		xen_irq_lateeoi(irq, 0);
}

/**
 * pvsplit_evtchn_eoi_early() - an EOI before the irq is known
 * @ev: event channel being bound
 *
 * Called by pvsplit_evtchn_eoi() only; exactly one of this and the end of
 * the bind issues the EOI.
 */
void pvsplit_evtchn_eoi_early(struct pvsplit_evtchn *ev)
{
	int irq;

	WRITE_ONCE(ev->early_eoi, true);
	smp_mb();	/* early_eoi before irq; pairs with bound() */
	irq = READ_ONCE(ev->irq);
	if (irq && xchg(&ev->early_eoi, false))
		xen_irq_lateeoi(irq, 0);
}
PVSPLIT_EXPORT(pvsplit_evtchn_eoi_early);

/**
 * pvsplit_evtchn_alloc() - allocate an unbound port for the other end
 * and bind it to @handler, in lateeoi mode
 * @ev: event channel to set up
 * @dev: xenbus device
 * @handler: irq handler, which must lead to exactly one
 *	     pvsplit_evtchn_eoi() per interrupt, once its work is done
 * @name: irq name
 * @data: handler cookie
 *
 * Return: 0 or a negative errno.
 */
int pvsplit_evtchn_alloc(struct pvsplit_evtchn *ev, struct xenbus_device *dev,
			 irq_handler_t handler, const char *name, void *data)
{
	int err, irq;

	memset(ev, 0, sizeof(*ev));
	err = xenbus_alloc_evtchn(dev, &ev->port);
	if (err)
		return err;
	irq = bind_evtchn_to_irqhandler_lateeoi(ev->port, handler, 0, name,
						data);
	if (irq < 0) {
		xenbus_free_evtchn(dev, ev->port);
		return irq;
	}
	ev->lateeoi = true;
	bound(ev, irq);
	atomic_long_inc(&pvsplit_counts.evtchns);
	return 0;
}
PVSPLIT_EXPORT(pvsplit_evtchn_alloc);


/**
 * pvsplit_evtchn_bind() - bind to the port the other end allocated,
 * in lateeoi mode
 * @ev: event channel to set up
 * @dev: xenbus device of the other end
 * @remote: its port, as it published it
 * @handler: irq handler, which must lead to pvsplit_evtchn_eoi()
 * @name: irq name
 * @data: handler cookie
 *
 * Return: 0 or a negative errno.
 */
int pvsplit_evtchn_bind(struct pvsplit_evtchn *ev, struct xenbus_device *dev,
			evtchn_port_t remote, irq_handler_t handler,
			const char *name, void *data)
{
	int irq;

	memset(ev, 0, sizeof(*ev));
	ev->lateeoi = true;
	irq = bind_interdomain_evtchn_to_irqhandler_lateeoi(dev, remote,
							    handler, 0, name,
							    data);
	if (irq < 0)
		return irq;
	ev->port = remote;
	bound(ev, irq);
	atomic_long_inc(&pvsplit_counts.evtchns);
	return 0;
}
PVSPLIT_EXPORT(pvsplit_evtchn_bind);

/**
 * pvsplit_evtchn_close() - unbind and close an event channel
 * @ev: event channel; may be one that was never bound
 * @data: the cookie it was bound with
 */
void pvsplit_evtchn_close(struct pvsplit_evtchn *ev, void *data)
{
	if (!ev->irq)
		return;
	unbind_from_irqhandler(ev->irq, data);
	ev->irq = 0;
	atomic_long_dec(&pvsplit_counts.evtchns);
}
PVSPLIT_EXPORT(pvsplit_evtchn_close);
