# SPDX-License-Identifier: GPL-2.0-only
# The stock front end (xen-blkfront) against pvblkback.
lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
guest "$DOM" "lsmod | grep -q '^pvblkfront' || insmod /pvsplit/pvblkfront.ko" >/dev/null
# ---- stock front end <-> our back end ----------------------------------
check "guest: swap pvblkfront for xen-blkfront" \
	guest "$DOM" "rmmod pvblkfront && insmod /lib/modules/extra/xen-blkfront.ko"
check "stock front/our back: attach" attach_vbd xvdb $IMG-e.img
fio_matrix xvdb stock-front/our-back
check "stock front/our back: detach" detach_vbd xvdb
check "guest: back to pvblkfront" \
	guest "$DOM" "rmmod xen-blkfront && insmod /pvsplit/pvblkfront.ko"

