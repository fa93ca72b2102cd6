# SPDX-License-Identifier: GPL-2.0-only
# Helpers of the block scenarios (blk, blk_stockfront, blk_stockback):
# disks of guest $DOM attached through the pvsplit CLI, fio verify.
VBD=/local/domain/0/backend/vbd/$DOM
IMG=/tmp/blk

vdev_num() { case $1 in
	xvdb) echo 51728 ;; xvdc) echo 51744 ;; xvdd) echo 51760 ;;
	xvde) echo 51776 ;; esac; }

# attach_vbd VDEV FILE [OPTIONS]: attach and wait until both ends connect
attach_vbd() {
	local vdev=$1 file=$2 n; shift 2
	n=$(vdev_num "$vdev")
	pvsplit attach vbd "$DOM" "$vdev" "$file" "$@" || return 1
	pvsplit wait vbd "$DOM" "$n" connected --timeout 60 || {
		xenstore-ls -f "$VBD/$n" 2>/dev/null | head -30
		dmesg | tail -n 15
		guest "$DOM" "dmesg | tail -n 25" 20
		return 1; }
	wait_until 30 guest "$DOM" "test -b /dev/$vdev" || return 1
}

# attach_bound VDEV TARGET BACK FRONT: attach with automatic binding off,
# bind the back end to driver BACK ("-": dom0 binds as usual) and the front
# end to FRONT, wait until connected, check each end has its driver
attach_bound() {
	local n
	n=$(vdev_num "$1")
	pvsplit attach vbd "$DOM" "$1" "$2" >/dev/null || return 1
	if [ "$3" != - ]; then
		wait_until 10 test -e "/sys/bus/xen-backend/devices/vbd-$DOM-$n" &&
			echo "vbd-$DOM-$n" > "/sys/bus/xen-backend/drivers/$3/bind" &&
			readlink "/sys/bus/xen-backend/devices/vbd-$DOM-$n/driver" |
			grep -q "/$3\$" || return 1
	fi
	wait_until 10 guest "$DOM" "test -e /sys/bus/xen/devices/vbd-$n" &&
		guest "$DOM" "echo vbd-$n > /sys/bus/xen/drivers/$4/bind" &&
		pvsplit wait vbd "$DOM" "$n" connected --timeout 60 &&
		wait_until 30 guest "$DOM" "test -b /dev/$1" &&
		guest "$DOM" "readlink /sys/bus/xen/devices/vbd-$n/driver" | grep -q "/$4\$"
}

detach_vbd() {
	pvsplit detach vbd "$DOM" "$(vdev_num "$1")" --timeout 30
}

# fio_verify DEV BS RW: write the whole disk with RW pattern at block size
# BS, then read it all back and check every block's crc32c
fio_verify() {
	guest "$DOM" "fio --name=v --filename=/dev/$1 --direct=1 --ioengine=libaio \
--iodepth=16 --rw=$3 --bs=$2 --size=100% --verify=crc32c --do_verify=1 \
--verify_fatal=1 --randrepeat=0 --output=/tmp/fio.out; rc=\$?; \
grep -E 'err=|WRITE:|READ:|verify' /tmp/fio.out | head -5; exit \$rc" 300
}

fio_matrix() {
	local dev=$1 who=$2 bs rw
	for bs in 512 4k 44k 128k 1m; do
		rw=randwrite
		[ "$bs" = 512 ] || [ "$bs" = 1m ] && rw=write
		check "$who: fio verify=crc32c, whole disk, bs $bs, $rw" \
			fio_verify "$dev" "$bs" "$rw"
	done
	check "$who: fio verify, mixed random read/write 4k" \
		guest "$DOM" "fio --name=m --filename=/dev/$dev --direct=1 --ioengine=libaio \
--iodepth=32 --rw=randrw --bs=4k --size=100% --verify=crc32c --randrepeat=0 \
--output=/tmp/fio.out; rc=\$?; grep err= /tmp/fio.out; exit \$rc" 300
}

stat_of() { cat "/sys/bus/xen-backend/devices/vbd-$DOM-$1/statistics/$2"; }

loop_of() { xenstore-read "$VBD/$1/pvsplit-loop"; }

# flushes the backing loop device completed (field 16 of its stat file)
loop_flushes() {
	local l
	l=$(loop_of "$1")
	awk '{ print $16 }' "/sys/block/${l##*/}/stat"
}

for f in b c d e; do
	[ -e $IMG-$f.img ] || dd if=/dev/zero of=$IMG-$f.img bs=1M count=8 2>/dev/null
done

# Baselines of the block scenarios: other devices (a pvbench device the
# suite keeps for its teardown) may be attached already.
BLK_GRANTS=$(xen_active_grants "$DOM")
BLK_EV0=$(xen_evtchns 0)
BLK_EVG=$(xen_evtchns "$DOM")
blk_no_leaks() {
	local g e0 eg
	g=$(xen_active_grants "$DOM")
	e0=$(xen_evtchns 0)
	eg=$(xen_evtchns "$DOM")
	echo "mapped grants of guest $g ($BLK_GRANTS), event channels dom0 $e0 ($BLK_EV0) guest $eg ($BLK_EVG)"
	[ "$g" = "$BLK_GRANTS" ] && [ "$e0" = "$BLK_EV0" ] && [ "$eg" = "$BLK_EVG" ]
}
