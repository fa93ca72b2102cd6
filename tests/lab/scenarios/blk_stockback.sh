# SPDX-License-Identifier: GPL-2.0-only
# plan: 28
# pvblkfront against the stock back end (xen-blkback): fio verify at every
# block size, then flush, FUA, discard, resize, read-only and 4096-byte
# sectors (blklib.sh, blk_features).
guest "$DOM" "lsmod | grep -q '^pvblkfront' || insmod /pvsplit/pvblkfront.ko" >/dev/null
# ---- our front end <-> stock back end ----------------------------------
check "dom0: swap pvblkback for xen-blkback" \
	sh -c "{ ! lsmod | grep -q '^pvblkback' || rmmod pvblkback; } && insmod /lib/modules/extra/xen-blkback.ko"
check "our front/stock back: attach" attach_vbd xvdb $IMG-e.img
fio_matrix xvdb our-front/stock-back
check "our front/stock back: detach" detach_vbd xvdb
blk_features "our front/stock back"
check "dom0: back to pvblkback" sh -c "rmmod xen-blkback && insmod /pvsplit/pvblkback.ko"
check "after all pairings: Xen's counts and pvsplit's resources at baseline" blk_no_leaks
