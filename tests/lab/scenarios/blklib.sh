# SPDX-License-Identifier: GPL-2.0-only
# plan: 0
# Helpers of the block scenarios (blk, blk_stockfront, blk_stockback):
# disks of guest $DOM attached through the pvsplit CLI, fio verify.
VBD=/local/domain/0/backend/vbd/$DOM
IMG=/tmp/blk

# attach_vbd VDEV FILE [OPTIONS]: attach and wait until both ends connect
attach_vbd() {
	local vdev=$1 file=$2 n; shift 2
	n=$(vdev "$vdev")
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
	n=$(vdev "$1")
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
	pvsplit detach vbd "$DOM" "$(vdev "$1")" --timeout 30
}

# fio_verify DEV BS RW [FIO OPTIONS]: fio_verify_run (lib.sh) in guest $DOM
fio_verify() { fio_verify_run "$DOM" "$@"; }

fio_matrix() {
	local dev=$1 who=$2 bs rw
	for bs in 512 4k 44k 128k 1m; do
		rw=randwrite
		[ "$bs" = 512 ] || [ "$bs" = 1m ] && rw=write
		check "$who: fio verify=crc32c, whole disk, bs $bs, $rw" \
			fio_verify "$dev" "$bs" "$rw"
	done
	check "$who: fio verify, mixed random read/write 4k" \
		fio_verify "$dev" 4k randrw --iodepth=32
}

# stat_of DISK NAME, loop_of DISK, loop_flushes DISK: the back end's
# statistics file NAME, the loop device pvsplit attach bound, and the
# flushes that loop device completed (field 16 of its stat file)
stat_of() { cat "/sys/bus/xen-backend/devices/vbd-$DOM-$(vdev "$1")/statistics/$2"; }

loop_of() { xenstore-read "$VBD/$(vdev "$1")/pvsplit-loop"; }

loop_flushes() {
	local l
	l=$(loop_of "$1")
	awk '{ print $16 }' "/sys/block/${l##*/}/stat"
}

for f in b c d e; do
	[ -e $IMG-$f.img ] || dd if=/dev/zero of=$IMG-$f.img bs=1M count=8 2>/dev/null
done

# ring_counters [back]: the ring counters of xvdb's first ring at the back
# end and (unless "back") at the front end, as "# be:" / "# fe:" lines
ring_counters() {
	sed 's/^/# be: /' "/sys/kernel/debug/pvsplit/pvblkback-$DOM-$(vdev xvdb)/ring0/ring"
	[ "${1:-}" = back ] ||
		guest "$DOM" "cat /sys/kernel/debug/pvsplit/pvblkfront/vbd-$(vdev xvdb)/ring0/ring" |
		sed 's/^/# fe: /'
}

# The baseline of the block scenarios' leak checks: other devices (a
# pvbench device the suite keeps for its teardown) may be attached already.
leak_baseline blk "$DOM"
blk_no_leaks() { leak_check_settled blk "$DOM"; }
