# SPDX-License-Identifier: GPL-2.0-only
# plan: 34
# The stock front end (xen-blkfront) against pvblkback: fio verify at
# every block size; flush, FUA, discard, resize, read-only and 4096-byte
# sectors (blklib.sh, blk_features); both front ends side by side.
lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
guest "$DOM" "lsmod | grep -q '^pvblkfront' || insmod /pvsplit/pvblkfront.ko" >/dev/null
# ---- stock front end <-> our back end ----------------------------------
check "guest: swap pvblkfront for xen-blkfront" \
	guest "$DOM" "rmmod pvblkfront && insmod /lib/modules/extra/xen-blkfront.ko"
check "stock front/our back: attach" attach_vbd xvdb $IMG-e.img
fio_matrix xvdb stock-front/our-back
check "stock front/our back: detach" detach_vbd xvdb
blk_features "stock front/our back"

# ---- both front ends in one guest, each bound to its own disk ----------
check "side by side: pvblkfront loads beside xen-blkfront (major 202 shared)" \
	guest "$DOM" "insmod /pvsplit/pvblkfront.ko && grep -q '^202 xvd\$' /proc/devices && \
echo 0 > /sys/bus/xen/drivers_autoprobe"
check "side by side: xvdb bound to xen-blkfront" attach_bound xvdb $IMG-e.img - vbd
check "side by side: xvdc bound to pvblkfront" attach_bound xvdc $IMG-c.img - pvblkfront
check "side by side: fio verify on both disks at once" \
	fio_verify_run "$DOM" xvdb,xvdc 4k randwrite --iodepth=8 --size=100%
check "side by side: detach both" eval "detach_vbd xvdb && detach_vbd xvdc"
check "side by side: pvblkfront unloads, xen-blkfront keeps major 202" \
	guest "$DOM" "echo 1 > /sys/bus/xen/drivers_autoprobe && rmmod pvblkfront && \
grep -q '^202 xvd\$' /proc/devices"
check "guest: back to pvblkfront" \
	guest "$DOM" "rmmod xen-blkfront && insmod /pvsplit/pvblkfront.ko"
check "after the stock front end: Xen's counts and pvsplit's resources at baseline" blk_no_leaks

