# SPDX-License-Identifier: GPL-2.0-only
# plan: 4
# Both block pairs side by side in guest g1, for benchmarks that compare
# them in the same minutes: null_blk in dom0 with two devices, automatic
# binding off on both xenbus buses, xvdb on nullb0 bound to the stock pair
# (xen-blkback/xen-blkfront), xvdc on nullb1 bound to ours
# (pvblkback/pvblkfront).  sbs_done detaches both and unloads them.
# Needs blklib.sh (attach_bound).
two_nullb() {	# null_blk again, with two devices
	rmmod null_blk && insmod /lib/modules/null_blk.ko nr_devices=2 &&
		wait_until 10 test -b /dev/nullb1
}
# Like with like: the stock front end asks for the ring and the indirect
# segments pvblkfront asks for by default (4 pages: 128 slots; 256
# segments), where its own defaults are 1 page and 32; the stock back end
# offers two queues as ours does (its default: dom0's one vCPU).
SBS_STOCK_FRONT="max_ring_page_order=2 max_indirect_segments=256"
# sbs_fronts DOMID [SEGMENTS]: both front ends loaded in DOMID, nothing
# binds by itself; SEGMENTS: both with that many segments per request
sbs_fronts() {
	local st=$SBS_STOCK_FRONT ours=""
	[ -n "${2:-}" ] && st="max_ring_page_order=2 max_indirect_segments=$2" &&
		ours="max_indirect_segments=$2"
	guest "$1" "echo 0 > /sys/bus/xen/drivers_autoprobe && \
insmod /lib/modules/extra/xen-blkfront.ko $st && insmod /pvsplit/pvblkfront.ko $ours"
}
load_both() {	# stock first: xen-blkfront refuses a major that is taken
	echo 0 > /sys/bus/xen-backend/drivers_autoprobe &&
		insmod /lib/modules/extra/xen-blkback.ko max_queues=2 &&
		insmod /pvsplit/pvblkback.ko && sbs_fronts "$DOM"
}
sbs_unload() {	# both pairs unloaded, automatic binding back on
	rmmod pvblkback xen-blkback &&
		guest "$DOM" "rmmod pvblkfront xen-blkfront" &&
		echo 1 > /sys/bus/xen-backend/drivers_autoprobe &&
		guest "$DOM" "echo 1 > /sys/bus/xen/drivers_autoprobe"
}
detach_both() {
	detach_vbd xvdb && detach_vbd xvdc && sbs_unload
}

sbs_done() {
	check "side by side: detach both, unload both pairs" detach_both
}

check "null_blk in dom0 with two devices" two_nullb
check "both pairs loaded, automatic binding off" load_both
check "xvdb on nullb0: xen-blkback and xen-blkfront" \
	attach_bound xvdb /dev/nullb0 vbd vbd
check "xvdc on nullb1: pvblkback and pvblkfront" \
	attach_bound xvdc /dev/nullb1 pvblkback pvblkfront
