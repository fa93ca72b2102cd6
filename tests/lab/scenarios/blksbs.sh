# SPDX-License-Identifier: GPL-2.0-only
# Both block pairs side by side in guest g1, for benchmarks that compare
# them in the same minutes: null_blk in dom0 with two devices, automatic
# binding off on both xenbus buses, xvdb on nullb0 bound to the stock pair
# (xen-blkback/xen-blkfront), xvdc on nullb1 bound to ours
# (pvblkback/pvblkfront).  sbs_done detaches both and unloads them.
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
attach_to() {	# attach_to VDEV DEVID TARGET BACK-DRIVER FRONT-DRIVER
	pvsplit attach vbd "$DOM" "$1" "$3" >/dev/null &&
		wait_until 10 test -e "/sys/bus/xen-backend/devices/vbd-$DOM-$2" &&
		echo "vbd-$DOM-$2" > "/sys/bus/xen-backend/drivers/$4/bind" &&
		wait_until 10 guest "$DOM" "test -e /sys/bus/xen/devices/vbd-$2" &&
		guest "$DOM" "echo vbd-$2 > /sys/bus/xen/drivers/$5/bind" &&
		pvsplit wait vbd "$DOM" "$2" connected --timeout 60 &&
		wait_until 30 guest "$DOM" "test -b /dev/$1" &&
		readlink "/sys/bus/xen-backend/devices/vbd-$DOM-$2/driver" | grep -q "/$4\$" &&
		guest "$DOM" "readlink /sys/bus/xen/devices/vbd-$2/driver" | grep -q "/$5\$"
}
detach_both() {
	pvsplit detach vbd "$DOM" 51728 --timeout 30 &&
		pvsplit detach vbd "$DOM" 51744 --timeout 30 &&
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
	attach_to xvdb 51728 /dev/nullb0 vbd vbd
check "xvdc on nullb1: pvblkback and pvblkfront" \
	attach_to xvdc 51744 /dev/nullb1 pvblkback pvblkfront
