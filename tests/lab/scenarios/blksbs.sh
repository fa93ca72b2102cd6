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
load_both() {	# stock first: xen-blkfront refuses a major that is taken
	echo 0 > /sys/bus/xen-backend/drivers_autoprobe &&
		insmod /lib/modules/extra/xen-blkback.ko &&
		insmod /pvsplit/pvblkback.ko &&
		guest "$DOM" "echo 0 > /sys/bus/xen/drivers_autoprobe && \
insmod /lib/modules/extra/xen-blkfront.ko && insmod /pvsplit/pvblkfront.ko"
}
detach_both() {
	detach_vbd xvdb && detach_vbd xvdc &&
		rmmod pvblkback xen-blkback &&
		guest "$DOM" "rmmod pvblkfront xen-blkfront" &&
		echo 1 > /sys/bus/xen-backend/drivers_autoprobe &&
		guest "$DOM" "echo 1 > /sys/bus/xen/drivers_autoprobe"
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
