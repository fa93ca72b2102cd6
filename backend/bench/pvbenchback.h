/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvbenchback.h - state of one pvbench device served from dom0.
 */
#ifndef PVBENCHBACK_H
#define PVBENCHBACK_H

#include <linux/wait.h>
#include <linux/kthread.h>
#include <linux/mutex.h>

#include "pvsplit/pvsplit.h"
#include "pvbench.h"
#include "pvpoll.h"

#define PVBENCHBACK_BATCH	32u	/* requests copied out per pass */
#define PVBENCHBACK_BUDGET	1024u	/* requests a pass answers at most */

/**
 * struct pvbench_back - one pvbench device, back end
 * @dev: our xenbus device
 * @domid: the front end's domain
 * @lock: serialises connect and disconnect
 * @ring: the front end's ring, mapped
 * @ev: its event channel, bound in lateeoi mode
 * @task: worker thread answering requests
 * @wq: the worker sleeps here
 * @kicked: the worker should look at the ring
 * @eoi_owed: an interrupt arrived whose late EOI is not sent yet
 * @gpool: pages to map one request's payload into
 * @copy_pages: local pages for the grant-copy path
 * @reqs: requests copied out of the ring, owned by the worker
 * @dbg: debugfs directory
 * @poll: idle gaps of the ring, for the decision to spin
 * @bad_req: malformed requests answered with an error
 * @poll_st: how the worker's spins on an empty ring ended
 * @yields: passes cut short by PVBENCHBACK_BUDGET, requests left on the ring
 */
struct pvbench_back {
	struct xenbus_device *dev;
	domid_t domid;
	struct mutex lock;
	struct pvsplit_ring ring;
	struct pvsplit_evtchn ev;
	struct task_struct *task;
	wait_queue_head_t wq;
	atomic_t kicked;
	atomic_t eoi_owed;
	struct pvsplit_gpool gpool;
	struct page *copy_pages[PVBENCH_MAX_SEGS];
	struct pvbench_request reqs[PVBENCHBACK_BATCH];
	struct dentry *dbg;
	struct pvpoll poll;
	u64 bad_req;
	struct pvsplit_poll_stats poll_st;
	u64 yields;
};

extern unsigned int pvbenchback_max_ring_order;
extern unsigned int pvbenchback_poll_max_us;

int pvbenchback_start(struct pvbench_back *be, const struct pvsplit_ring_layout *lay);
void pvbenchback_stop(struct pvbench_back *be);

#endif /* PVBENCHBACK_H */
