// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c - pvblk front end (xenbus type "vbd"): negotiation and states.
 *
 * The xenbus states follow pvsplit_front_backend_changed(); this device's
 * steps:
 *
 *   probe                     -> place the disk (virtual-device), wait
 *   back end InitWait         -> rings granted, keys written, Initialised
 *   back end Connected        -> read size and features; first time: add
 *                                the disk; after resume: requeue what was
 *                                in flight; otherwise: a resize
 *   back end Closing/Closed   -> fail I/O in flight, remove the disk,
 *                                free the rings, Closed
 *   resume (restore, migrate) -> rings dropped, requests in flight put
 *                                back on the queue, Initialising again
 *
 * Every value read from the back end's directory is bounded before use.
 */
#include <linux/blkdev.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xen/xenbus.h>

#include "pvblkfront.h"

unsigned int pvblkfront_ring_order = 2;
module_param_named(ring_page_order, pvblkfront_ring_order, uint, 0444);
MODULE_PARM_DESC(ring_page_order, "Ring size to ask for (log2 pages, 0-4)");

unsigned int pvblkfront_max_queues = 4;
module_param_named(max_queues, pvblkfront_max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "Most rings per disk (also bounded by vCPUs)");

unsigned int pvblkfront_max_indirect = 256;
module_param_named(max_indirect_segments, pvblkfront_max_indirect, uint, 0444);
MODULE_PARM_DESC(max_indirect_segments, "Most data pages per request with indirect descriptors");

bool pvblkfront_persistent = true;
module_param_named(feature_persistent, pvblkfront_persistent, bool, 0444);
MODULE_PARM_DESC(feature_persistent, "Use persistent grants when the back end offers them");

bool pvblkfront_trusted = true;
module_param_named(trusted, pvblkfront_trusted, bool, 0444);
MODULE_PARM_DESC(trusted, "Trust back ends (else: no persistent grants, bounce pages cleared after each use)");

unsigned int pvblkfront_irq_batch = 8;
module_param_named(irq_batch, pvblkfront_irq_batch, uint, 0644);
MODULE_PARM_DESC(irq_batch, "With many requests in flight, ask for an interrupt after up to this many responses (1: each)");

static DEFINE_IDA(pvblkfront_disks);
static struct dentry *pvblkfront_dbg;

/**
 * pvblkfront_alloc_segs() - most data pages one ring request may carry
 * with this module's parameters: what each shadow has room for
 *
 * Return: a count from PVBLK_MAX_SEGS to PVBLK_MAX_INDIRECT_SEGS.
 */
unsigned int pvblkfront_alloc_segs(void)
{
	return clamp(pvblkfront_max_indirect, PVBLK_MAX_SEGS,
		     PVBLK_MAX_INDIRECT_SEGS);
}

struct keys_arg {
	struct pvblkfront *info;
};

/*
 * Ring keys of an earlier connection that this one would not overwrite (a
 * back end that closed and offered itself again, with another ring size
 * or fewer queues) go first: the back end would read stale grant
 * references and event channels, or a ring-page-order it no longer takes.
 */
static int drop_ring_keys(struct xenbus_transaction xbt,
			  struct pvblkfront *info)
{
	static const char *const keys[] = {
		"ring-page-order", "multi-queue-num-queues", "ring-ref",
		"event-channel",
	};
	const char *dir = info->dev->nodename;
	char node[20];
	unsigned int i;
	int err;

	err = pvsplit_xb_drop_keys(xbt, dir, keys, ARRAY_SIZE(keys),
				   info->nr_rings);
	for (i = 0; !err && i < PVSPLIT_MAX_RING_PAGES; i++) {
		snprintf(node, sizeof(node), "ring-ref%u", i);
		err = pvsplit_xb_rm(xbt, dir, node);
	}
	return err;
}

static int write_keys(struct xenbus_transaction xbt, void *arg)
{
	struct pvblkfront *info = ((struct keys_arg *)arg)->info;
	struct xenbus_device *dev = info->dev;
	char queue[20];
	unsigned int i;
	int err;

	err = drop_ring_keys(xbt, info);
	if (!err && info->order)
		err = xenbus_printf(xbt, dev->nodename, "ring-page-order", "%u",
				    info->order);
	if (!err && info->nr_active > 1)
		err = xenbus_printf(xbt, dev->nodename,
				    "multi-queue-num-queues", "%u",
				    info->nr_active);
	for (i = 0; !err && i < info->nr_active; i++) {
		struct pvblkfront_ring *rg = &info->rings[i];

		snprintf(queue, sizeof(queue), "queue-%u", i);
		err = pvsplit_xb_write_ring(xbt, dev,
					    info->nr_active > 1 ? queue : NULL,
					    &rg->ring, "ring-ref",
					    "event-channel", rg->ev.port);
	}
	if (!err)
		err = xenbus_printf(xbt, dev->nodename, "protocol", "%s",
				    "x86_64-abi");
	if (!err)
		err = xenbus_printf(xbt, dev->nodename, "feature-persistent",
				    "%u", pvblkfront_persistent && info->trusted);
	return err;
}

static int talk_to_backend(struct pvblkfront *info)
{
	struct xenbus_device *dev = info->dev;
	struct keys_arg arg = { .info = info };
	unsigned int max_order, max_q, nr;
	int err;

	max_order = xenbus_read_unsigned(dev->otherend, "max-ring-page-order", 0);
	info->order = min3(pvblkfront_ring_order, max_order, PVRING_MAX_ORDER);
	max_q = xenbus_read_unsigned(dev->otherend, "multi-queue-max-queues", 1);
	nr = clamp(min3(pvblkfront_max_queues, num_online_cpus(), max_q), 1u,
		   64u);
	if (!info->rings) {
		info->rings = kcalloc(nr, sizeof(*info->rings), GFP_KERNEL);
		if (!info->rings)
			return -ENOMEM;
		info->nr_rings = nr;
	}
	/*
	 * The disk's queues stay as they are across a resume; a back end
	 * offering fewer gets fewer rings, which the queues share.
	 */
	nr = min(nr, info->nr_rings);
	if (info->gd && nr < info->nr_rings)
		dev_info(&dev->dev, "%s: the back end offers %u queue(s): %u queues share them\n",
			 info->gd->disk_name, nr, info->nr_rings);
	err = pvblkfront_rings_setup(info, nr);
	if (err) {
		xenbus_dev_fatal(dev, err, "setting up rings");
		return err;
	}
	err = pvsplit_xb_txn(dev, write_keys, &arg);
	if (err) {
		xenbus_dev_fatal(dev, err, "writing ring keys");
		pvblkfront_rings_free(info, NULL);
		return err;
	}
	return 0;
}

/* Read what the back end offers, bounding every value. */
static int read_backend(struct pvblkfront *info)
{
	const char *be = info->dev->otherend;
	unsigned int v, ind;
	u64 sectors;

	/* the size in bytes must fit a loff_t: 2^63 sectors does not */
	if (xenbus_scanf(XBT_NIL, be, "sectors", "%llu", &sectors) != 1 ||
	    sectors > (u64)LLONG_MAX >> SECTOR_SHIFT)
		return -EINVAL;
	info->sectors = sectors;
	info->lbs = 512;
	if (!pvsplit_xb_read_uint(be, "sector-size", 512, 4096, &v) &&
	    is_power_of_2(v))
		info->lbs = v;
	info->pbs = info->lbs;
	if (!pvsplit_xb_read_uint(be, "physical-sector-size", info->lbs,
				  65536, &v) && is_power_of_2(v))
		info->pbs = v;
	v = xenbus_read_unsigned(be, "info", 0);
	info->readonly = v & (PVBLK_VDISK_READONLY | PVBLK_VDISK_CDROM);
	info->flush = xenbus_read_unsigned(be, "feature-flush-cache", 0);
	info->barrier = xenbus_read_unsigned(be, "feature-barrier", 0);
	info->discard = xenbus_read_unsigned(be, "feature-discard", 0);
	info->secure = info->discard &&
		       xenbus_read_unsigned(be, "discard-secure", 0);
	info->discard_gran = info->lbs;
	if (!pvsplit_xb_read_uint(be, "discard-granularity", 0, 1u << 30, &v) &&
	    v >= info->lbs && is_power_of_2(v))
		info->discard_gran = v;
	info->discard_align = 0;
	if (!pvsplit_xb_read_uint(be, "discard-alignment", 0, 1u << 30, &v) &&
	    v < info->discard_gran && !(v % info->lbs))
		info->discard_align = v;
	/*
	 * A limit like any other when it changes while connected: queue_rq
	 * splits what no longer fits (the block layer keeps its limits).
	 */
	ind = xenbus_read_unsigned(be, "feature-max-indirect-segments", 0);
	v = PVBLK_MAX_SEGS;
	if (ind > PVBLK_MAX_SEGS)
		v = min3(ind, pvblkfront_alloc_segs(), PVBLK_MAX_INDIRECT_SEGS);
	WRITE_ONCE(info->max_segs, v);
	info->persistent = pvblkfront_persistent && info->trusted &&
			   xenbus_read_unsigned(be, "feature-persistent", 0);
	return 0;
}

/*
 * Restart the queues a resume stopped, and send what it put back.
 *
 * 6.1's blk-mq, finding a queue stopped (or quiesced) as it issues a
 * request directly, parks the request without running the queue (6.12
 * runs it).  A submitter that saw the queue stopped just before we
 * restart it parks its request after the restart looked for work, and it
 * waits for another run.  It checks and parks inside a dispatch section:
 * once those running now have ended, every such request is parked, and
 * the run below finds it.
 */
static void requeue_start(struct pvblkfront *info)
{
	struct request_queue *q = info->gd->queue;

	blk_mq_start_stopped_hw_queues(q, true);
	pvsplit_wait_dispatch_done(q);
	blk_mq_run_hw_queues(q, true);
	blk_mq_kick_requeue_list(q);
}

/* Back end InitWait: rings and keys; pvsplit_front_ops.connect. */
static int pvblkfront_talk(void *data)
{
	struct pvblkfront *info = data;
	int err;

	mutex_lock(&info->lock);
	err = talk_to_backend(info);
	mutex_unlock(&info->lock);
	return err;
}

/* Back end Connected: pvsplit_front_ops.connected. */
static int pvblkfront_connect(void *data)
{
	struct pvblkfront *info = data;
	struct xenbus_device *dev = info->dev;
	u64 old = info->sectors;
	int err = 0;

	mutex_lock(&info->lock);
	if (!info->rings || !info->rings[0].ring.area) {
		err = -ENOTCONN;	/* never talked to this back end */
		goto out;
	}
	if (info->state == PVBLKFRONT_CONNECTED) {
		unsigned int segs = info->max_segs;

		/* the back end rewrote its state: maybe a new size or limit */
		if (read_backend(info)) {
			dev_warn_ratelimited(&dev->dev, "%s: unusable size from the back end; keeping %llu sectors\n",
					     info->gd->disk_name, info->sectors);
			goto out;
		}
		if (info->sectors != old) {
			dev_info(&dev->dev, "%s: new size %llu sectors\n",
				 info->gd->disk_name, info->sectors);
			set_capacity_and_notify(info->gd, info->sectors);
		}
		if (info->max_segs != segs)
			dev_info(&dev->dev, "%s: the back end now takes %u segments per request (was %u)\n",
				 info->gd->disk_name, info->max_segs, segs);
		goto out;
	}
	err = read_backend(info);
	if (err) {
		xenbus_dev_fatal(dev, err, "reading back end features");
		goto out;
	}
	WRITE_ONCE(info->state, PVBLKFRONT_CONNECTED);
	if (info->gd) {
		set_capacity_and_notify(info->gd, info->sectors);
		requeue_start(info);
		dev_info(&dev->dev, "%s: reconnected\n", info->gd->disk_name);
	} else {
		err = pvblkfront_disk_create(info);
		if (err) {
			WRITE_ONCE(info->state, PVBLKFRONT_DISCONNECTED);
			xenbus_dev_fatal(dev, err, "adding the disk");
			goto out;
		}
	}
	dev_info(&dev->dev, "%s: %llu sectors of %u bytes, %u ring(s) of order %u, persistent %s, %u segments, flush %d fua %d discard %d%s\n",
		 info->gd->disk_name, info->sectors, info->lbs, info->nr_active,
		 info->order, info->persistent ? "on" : "off", info->max_segs,
		 info->flush, info->barrier, info->discard,
		 info->readonly ? ", read-only" : "");
out:
	mutex_unlock(&info->lock);
	return err;
}

/*
 * Back end closing or gone, or our device removed: pvsplit_front_ops.closing.
 *
 * queue_rq reads the state without a lock, so one that read CONNECTED just
 * before we changed it may still be about to produce into a ring (and grant
 * a page) that is being freed.  Quiescing waits for every queue_rq running;
 * those that start after it see DISCONNECTED and fail the request.  Only
 * then do the rings go.
 *
 * Queues stopped by a resume, and requests waiting on the requeue list,
 * are restarted: del_gendisk() waits for every request, and those now
 * fail at once.
 */
static void pvblkfront_teardown(void *data)
{
	struct pvblkfront *info = data;

	mutex_lock(&info->lock);
	WRITE_ONCE(info->state, PVBLKFRONT_DISCONNECTED);
	if (info->gd)
		blk_mq_quiesce_queue(info->gd->queue);
	pvblkfront_rings_free(info, NULL);
	if (info->gd) {
		blk_mq_unquiesce_queue(info->gd->queue);
		requeue_start(info);
	}
	pvblkfront_disk_destroy(info);
	mutex_unlock(&info->lock);
}

static const struct pvsplit_front_ops pvblkfront_ops = {
	.connect = pvblkfront_talk,
	.connected = pvblkfront_connect,
	.closing = pvblkfront_teardown,
};

static void pvblkfront_backend_changed(struct xenbus_device *dev,
				       enum xenbus_state bstate)
{
	pvsplit_front_backend_changed(dev, bstate, &pvblkfront_ops,
				      dev_get_drvdata(&dev->dev));
}

static int pvblkfront_probe(struct xenbus_device *dev,
			    const struct xenbus_device_id *id)
{
	struct pvblkfront *info;
	unsigned int vdev;
	char name[32];
	int err;

	err = xenbus_scanf(XBT_NIL, dev->nodename, "virtual-device", "%u", &vdev);
	if (err != 1) {
		xenbus_dev_fatal(dev, -EINVAL, "reading virtual-device");
		return -EINVAL;
	}
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->dev = dev;
	info->vdev = vdev;
	mutex_init(&info->lock);
	err = pvblkfront_parse_vdev(vdev, &info->index, &info->first_minor,
				    &info->minors);
	if (err) {
		xenbus_dev_fatal(dev, err, "virtual-device %#x has no xvd name", vdev);
		goto free_info;
	}
	err = ida_alloc_range(&pvblkfront_disks, info->index, info->index,
			      GFP_KERNEL);
	if (err < 0) {
		xenbus_dev_fatal(dev, -EEXIST, "disk index %u in use", info->index);
		goto free_info;
	}
	info->trusted = pvblkfront_trusted &&
			xenbus_read_unsigned(dev->nodename, "trusted", 1);
	snprintf(name, sizeof(name), "vbd-%u", vdev);
	info->dbg = pvsplit_debugfs_dir(name, pvblkfront_dbg);
	dev_set_drvdata(&dev->dev, info);
	return 0;

free_info:
	kfree(info);
	return err;
}

static void pvblkfront_remove(struct xenbus_device *dev)
{
	struct pvblkfront *info = dev_get_drvdata(&dev->dev);

	pvblkfront_teardown(info);
	pvsplit_debugfs_remove(info->dbg);
	ida_free(&pvblkfront_disks, info->index);
	dev_set_drvdata(&dev->dev, NULL);
	kfree(info->rings);
	kfree(info);
}

/* After restore or migration: new back end, same disk. */
static int pvblkfront_resume(struct xenbus_device *dev)
{
	struct pvblkfront *info = dev_get_drvdata(&dev->dev);
	struct request *rq, *tmp;
	LIST_HEAD(requeue);

	mutex_lock(&info->lock);
	if (!info->gd) {
		WRITE_ONCE(info->state, PVBLKFRONT_DISCONNECTED);
		pvblkfront_rings_free(info, NULL);
		goto out;
	}
	WRITE_ONCE(info->state, PVBLKFRONT_SUSPENDED);
	blk_mq_stop_hw_queues(info->gd->queue);
	/* no queue_rq is running once this returns */
	blk_mq_quiesce_queue(info->gd->queue);
	blk_mq_unquiesce_queue(info->gd->queue);
	pvblkfront_rings_free(info, &requeue);
	list_for_each_entry_safe(rq, tmp, &requeue, queuelist) {
		list_del_init(&rq->queuelist);
		blk_mq_requeue_request(rq, false);
	}
	dev_info(&dev->dev, "%s: resumed; waiting for the back end\n",
		 info->gd->disk_name);
out:
	mutex_unlock(&info->lock);
	return 0;
}

static const struct xenbus_device_id pvblkfront_ids[] = {
	{ "vbd" },
	{ "" }
};

static struct xenbus_driver pvblkfront_driver = {
	.name = "pvblkfront",	/* not "vbd", the stock name */
	.ids = pvblkfront_ids,
	.probe = pvblkfront_probe,
	.remove = pvblkfront_remove,
	.resume = pvblkfront_resume,
	.otherend_changed = pvblkfront_backend_changed,
	.not_essential = true,
	.driver.dev_groups = pvblkfront_groups,
};

/*
 * Major 202 is xen-blkfront's too.  When it holds the major we share it
 * rather than refuse to load: a disk's minors and its name both follow from
 * its virtual-device number, which no two disks of a domain share, and a
 * clash would fail add_disk() on the duplicate name.  xen-blkfront must then
 * be loaded first (it refuses a taken major).
 */
static bool pvblkfront_own_major;

static int __init pvblkfront_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	err = register_blkdev(PVBLKFRONT_MAJOR, "xvd");
	if (err == -EBUSY)
		pr_info("pvblkfront: major %d is another driver's (xen-blkfront?); sharing it\n",
			PVBLKFRONT_MAJOR);
	else if (err)
		return err;
	pvblkfront_own_major = !err;
	pvblkfront_dbg = pvsplit_debugfs_dir("pvblkfront", NULL);
	err = xenbus_register_frontend(&pvblkfront_driver);
	if (err)
		goto unregister_blkdev;
	return 0;

unregister_blkdev:
	pvsplit_debugfs_remove(pvblkfront_dbg);
	if (pvblkfront_own_major)
		unregister_blkdev(PVBLKFRONT_MAJOR, "xvd");
	return err;
}

static void __exit pvblkfront_exit(void)
{
	xenbus_unregister_driver(&pvblkfront_driver);
	pvsplit_debugfs_remove(pvblkfront_dbg);
	if (pvblkfront_own_major)
		unregister_blkdev(PVBLKFRONT_MAJOR, "xvd");
}

module_init(pvblkfront_init);
module_exit(pvblkfront_exit);

MODULE_DESCRIPTION("pvsplit: Xen virtual block device front end");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:vbd");
MODULE_ALIAS_BLOCKDEV_MAJOR(PVBLKFRONT_MAJOR);
PVSPLIT_IMPORT_NS();
