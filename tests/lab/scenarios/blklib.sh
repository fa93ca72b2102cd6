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

# ---- the features every pairing serves (blk_stockfront, blk_stockback) --
# Each takes the disk's name: the stock drivers at either end must pass
# what blk.sh checks of ours with ours.

# flush_reaches DISK: an fsync from the guest is a flush request at the
# back end (statistics/f_req, which xen-blkback keeps too) and reaches the
# loop device under it
flush_reaches() {
	local f0 b0
	f0=$(loop_flushes "$1"); b0=$(stat_of "$1" f_req)
	fio_run "$DOM" "$1" --rw=write --bs=4k --size=64k --fsync=1 || return 1
	echo "f_req $b0 -> $(stat_of "$1" f_req), loop flushes $f0 -> $(loop_flushes "$1")"
	[ "$(stat_of "$1" f_req)" -gt "$b0" ] && [ "$(loop_flushes "$1")" -gt "$f0" ]
}

# fua_reaches DISK: O_DSYNC direct writes (FUA writes on a disk with a
# write cache) reach the loop device as flushes
fua_reaches() {
	local f0
	f0=$(loop_flushes "$1")
	fio_run "$DOM" "$1" --sync=dsync --rw=write --bs=4k --size=64k || return 1
	echo "loop flushes $f0 -> $(loop_flushes "$1")"
	[ "$(loop_flushes "$1")" -gt "$f0" ]
}

# discard_zeroes_on DISK: random data, a 1 MiB discard, zeros read back,
# and the back end counted a discard request
discard_zeroes_on() {
	guest "$DOM" "dd if=/dev/urandom of=/dev/$1 bs=64k count=16 oflag=direct 2>/dev/null && \
blkdiscard -o 0 -l 1048576 /dev/$1 && \
dd if=/dev/$1 bs=64k count=16 iflag=direct 2>/dev/null | od -v -An -tx1 | tr -s ' ' '\\n' | sort -u | grep . > /tmp/z; \
cat /tmp/z; test \"\$(cat /tmp/z)\" = 00" || return 1
	echo "ds_req $(stat_of "$1" ds_req)"
	[ "$(stat_of "$1" ds_req)" -gt 0 ]
}

# grow_disk DISK FILE MIB: grow the file and its loop device; the guest
# must see the new size with no re-attach.  Each try reads a block: a
# back end may look at its device's size only when it has work
# (xen-blkback does).
grow_disk() {
	local want=$(($3 * 2048))
	truncate -s "$3M" "$2" && losetup -c "$(loop_of "$1")" || return 1
	wait_until 60 guest "$DOM" "dd if=/dev/$1 of=/dev/null bs=4k count=1 iflag=direct 2>/dev/null; \
test \$(cat /sys/block/$1/size) = $want" ||
		{ guest "$DOM" "cat /sys/block/$1/size; dmesg | tail -n 5"; return 1; }
}

# ro_write_refused DISK FILE: a write to read-only DISK fails as a refused
# write does (the guest's kernel, or an error answer from the back end),
# not by a timeout of the agent, and FILE is unchanged
ro_write_refused() {
	local before out
	before=$(md5sum < "$2")
	out=$(guest "$DOM" "dd if=/dev/urandom of=/dev/$1 bs=4k count=1 oflag=direct 2>&1; echo dd-status \$?")
	echo "$out"
	grep -q '^dd-status [1-9]' <<<"$out" &&
		grep -qE 'Operation not permitted|Permission denied|Input/output error|Read-only file system' <<<"$out" &&
		[ "$(md5sum < "$2")" = "$before" ]
}

# blk_features WHO: flush, FUA, discard, resize, a read-only disk and
# 4096-byte sectors with the drivers loaded now; 17 cases
blk_features() {
	local who=$1 img=/tmp/blk-feat.img
	rm -f $img
	dd if=/dev/zero of=$img bs=1M count=8 2>/dev/null
	check "$who: attach xvdb for the features" attach_vbd xvdb $img
	check "$who: flush from the guest reaches the backing device" flush_reaches xvdb
	check "$who: FUA writes from the guest reach the backing device" fua_reaches xvdb
	check "$who: discard on a file-backed disk reads back as zeros" discard_zeroes_on xvdb
	check "$who: resize: the guest sees the grown disk without re-attach" grow_disk xvdb $img 16
	check "$who: resized disk: fio verify over the new whole disk" fio_verify xvdb 64k randwrite
	check "$who: detach xvdb" detach_vbd xvdb
	check "$who: read-only disk attaches (mode r)" attach_vbd xvdc $IMG-c.img --mode r
	check "$who: read-only disk: guest sees it read-only" \
		guest "$DOM" "test \$(cat /sys/block/xvdc/ro) = 1"
	check "$who: read-only disk: a write is refused with an error, the disk unchanged" \
		ro_write_refused xvdc $IMG-c.img
	check "$who: read-only disk: reads work" \
		guest "$DOM" "dd if=/dev/xvdc of=/dev/null bs=64k iflag=direct 2>&1"
	check "$who: detach xvdc" detach_vbd xvdc
	check "$who: 4096-byte sectors: attach" attach_vbd xvdd $IMG-d.img --sector-size 4096
	check "$who: 4096-byte sectors: guest sees logical block size 4096" \
		guest "$DOM" "test \$(cat /sys/block/xvdd/queue/logical_block_size) = 4096"
	check "$who: 4096-byte sectors: fio verify 4k random" fio_verify xvdd 4k randwrite
	check "$who: 4096-byte sectors: fio verify 1m sequential" fio_verify xvdd 1m write
	check "$who: detach xvdd" detach_vbd xvdd
	rm -f $img
}
