/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvbenchfront.h - state of one pvbench device in the guest.
 */
#ifndef PVBENCHFRONT_H
#define PVBENCHFRONT_H

#include <linux/mutex.h>
#include <linux/wait.h>

#include "pvsplit/pvsplit.h"
#include "pvbench.h"

enum pvbench_xfer { PVBENCH_XFER_MAP, PVBENCH_XFER_COPY };

/**
 * struct pvbench_params - what the next run does (sysfs, under @lock)
 * @qd: requests in flight at most
 * @batch: requests published together (at most @qd)
 * @payload: bytes per request, 0 for no-op requests
 * @count: requests to send, 0 to run for @duration_ms instead
 * @duration_ms: how long to run when @count is 0
 * @op: PVBENCH_OP_READ or PVBENCH_OP_WRITE when @payload > 0
 * @xfer: how the back end moves the payload
 * @verify: check every payload's checksum
 * @poll: spin on the ring instead of sleeping on the event channel
 */
struct pvbench_params {
	unsigned int qd;
	unsigned int batch;
	unsigned int payload;
	unsigned int count;
	unsigned int duration_ms;
	unsigned int op;
	enum pvbench_xfer xfer;
	bool verify;
	bool poll;
};

/**
 * struct pvbench_result - outcome of the last run
 * @status: 0, or the negative errno the run ended with
 * @requests: requests answered
 * @errors: answers with a non-zero status
 * @bad_csum: payload checksums that did not match
 * @bytes: payload bytes moved
 * @elapsed_ns: wall time of the run
 * @cpu_ns: busy CPU time of this domain over the run, all CPUs
 * @notify_sent: event channel notifications we sent
 * @wakeups: notifications we received
 * @p50_ns: median latency
 * @p99_ns: 99th percentile latency
 */
struct pvbench_result {
	int status;
	u64 requests;
	u64 errors;
	u64 bad_csum;
	u64 bytes;
	u64 elapsed_ns;
	u64 cpu_ns;
	u64 notify_sent;
	u64 wakeups;
	u64 p50_ns;
	u64 p99_ns;
};

/**
 * struct pvbench_front - one pvbench device, front end
 * @dev: our xenbus device
 * @lock: serialises runs, parameter changes, connect and disconnect
 * @ring: our ring, granted to the back end
 * @ev: its event channel
 * @wq: a run sleeps here
 * @kicked: an event arrived since the run last looked
 * @connected: both ends Connected; cleared (and @wq woken) on the way out
 * @broken: the back end misbehaved; no more runs
 * @order: ring-page-order in use
 * @backend_copy: the back end offers grant copy
 * @max_segs: segments per request the back end accepts
 * @params: next run's parameters
 * @result: last run's results
 * @gen: run number, in the upper half of request ids
 * @stale: requests of earlier, cut-short runs still unanswered
 * @lat: latency histogram of the last run
 * @dbg: debugfs directory
 */
struct pvbench_front {
	struct xenbus_device *dev;
	struct mutex lock;
	struct pvsplit_ring ring;
	struct pvsplit_evtchn ev;
	wait_queue_head_t wq;
	atomic_t kicked;
	bool connected;
	bool broken;
	unsigned int order;
	bool backend_copy;
	unsigned int max_segs;
	struct pvbench_params params;
	struct pvbench_result result;
	u64 gen;
	u64 stale;
	struct pvhist *lat;
	struct dentry *dbg;
};

extern unsigned int pvbenchfront_ring_order;
extern const struct attribute_group *pvbenchfront_groups[];

int pvbenchfront_connect(struct pvbench_front *fe);
void pvbenchfront_disconnect(struct pvbench_front *fe);
int pvbenchfront_run(struct pvbench_front *fe);

#endif /* PVBENCHFRONT_H */
