# SPDX-License-Identifier: GPL-2.0-only
# plan: 55
# Block devices, ours at both ends: pvblkback in dom0, pvblkfront in guest
# $DOM; every feature, resize, read-only, 4 KiB sectors, detach under I/O.
check "dom0: load pvblkback" insmod /pvsplit/pvblkback.ko
check "guest: load pvblkfront" guest "$DOM" "insmod /pvsplit/pvblkfront.ko"

# ---- ours <-> ours ----------------------------------------------------
check "ours/ours: attach xvdb (file on a loop device)" attach_vbd xvdb $IMG-b.img
check "guest sees xvdb with the file's size (16384 sectors)" \
	guest "$DOM" "test \$(cat /sys/block/xvdb/size) = 16384"
check "negotiated: multi-page ring, persistent grants, indirect" \
	sh -c "cd /sys/bus/xen-backend/devices/vbd-$DOM-51728/negotiated && grep . * >&2 &&
		[ \$(cat ring_page_order) -gt 0 ] && [ \$(cat persistent) = 1 ] && [ \$(cat max_indirect_segments) = 256 ]"
check "pvsplit show: pvblkback's negotiated files" sh -c "pvsplit show vbd $DOM xvdb | grep -A20 '^negotiated' >&2 &&
	pvsplit show vbd $DOM xvdb | grep -qE '^  max_indirect_segments +256\$'"
guest "$DOM" "cd /sys/bus/xen/devices/vbd-51728 && grep . disk disk_state negotiated/*" | sed 's/^/# /'

# ring_shape DISK: the front end wrote a multi-page ring (ring-page-order
# the smaller of what it asks for and what the back end offered, at least
# 1, and 2^order ring-ref nodes per queue) and one queue per vCPU the back
# end allows; the back end runs exactly that many rings (its debugfs ring
# directories)
ring_shape() {
	local n fe be order max ask q maxq cpus want i dir rings
	n=$(vdev "$1")
	fe=/local/domain/$DOM/device/vbd/$n
	be=$VBD/$n
	order=$(xenstore-read "$fe/ring-page-order") || { echo "no ring-page-order"; return 1; }
	max=$(xenstore-read "$be/max-ring-page-order") || return 1
	ask=$(guest "$DOM" "cat /sys/module/pvblkfront/parameters/ring_page_order") || return 1
	q=$(xenstore-read "$fe/multi-queue-num-queues" 2>/dev/null || echo 1)
	maxq=$(xenstore-read "$be/multi-queue-max-queues" 2>/dev/null || echo 1)
	cpus=$(guest "$DOM" "grep -c ^processor /proc/cpuinfo") || return 1
	want=$((cpus < maxq ? cpus : maxq))
	rings=$(ls -d "/sys/kernel/debug/pvsplit/pvblkback-$DOM-$n"/ring* 2>/dev/null | wc -l)
	echo "ring-page-order $order (asked $ask, offered $max), queues $q (vCPUs $cpus, offered $maxq), back-end rings $rings"
	[ "$order" -ge 1 ] && [ "$order" = $((ask < max ? ask : max)) ] &&
		[ "$q" = "$want" ] && [ "$rings" = "$q" ] || return 1
	for i in $(seq 0 $((q - 1))); do
		dir=$fe
		[ "$q" -gt 1 ] && dir=$fe/queue-$i
		[ "$(xenstore-list "$dir" | grep -c '^ring-ref[0-9]')" = $((1 << order)) ] ||
			{ echo "queue $i: not 2^$order ring-ref nodes"; return 1; }
	done
}
check "multi-page ring: page order as negotiated, one ring per queue at both ends" ring_shape xvdb
fio_matrix xvdb ours/ours
check "back-end statistics count the I/O (rd_req, wr_req, sectors)" \
	sh -c "[ $(stat_of xvdb rd_req) -gt 0 ] && [ $(stat_of xvdb wr_sect) -gt 16384 ]"
check "front-end statistics count the I/O" \
	guest "$DOM" "r=\$(cat /sys/bus/xen/devices/vbd-$(vdev xvdb)/statistics/reads); echo reads \$r; test \$r -gt 0"
check "back end polled for requests under load (poll_hit > 0)" \
	sh -c "grep . /sys/bus/xen-backend/devices/vbd-$DOM-$(vdev xvdb)/statistics/poll_*; [ $(stat_of xvdb poll_hit) -gt 0 ]"
# After a spin that finds nothing the worker passes up the next chance to
# spin, after two in a row the next two, up to 64 (pvpoll_missed()): no
# chance is passed up without a miss, nor more than 64 per miss.  The
# policy itself is unit-tested (tests/unit/pvpoll_test.c); this checks
# what the sysfs counters say of it.
spin_backoff_bounded() {
	local m b
	m=$(stat_of xvdb poll_miss) b=$(stat_of xvdb poll_backoff)
	echo "poll_miss $m poll_backoff $b"
	[ -n "$m" ] && [ -n "$b" ] && [ "$b" -le $((64 * m)) ]
}
check "spin counters consistent: chances passed up <= 64 x missed spins (poll_backoff, poll_miss)" spin_backoff_bounded
# qd1_no_spin: with one request in flight the worker does not spin for the
# next (the front end sends none before the answer): poll_skip moves,
# poll_hit and poll_miss do not.  poll_max_us is raised for the run: a slow
# TCG guest can space its QD1 requests wider than the default 2 ms, and
# then polling is off for the gap alone, so the case would say nothing
# about the skip (CI on 6.12 once saw 24 skips in 3 s that way).
qd1_no_spin() {
	local p old h0 m0 k0 h1 m1 k1 rc=0
	p=/sys/module/pvblkback/parameters/poll_max_us
	h0=$(stat_of xvdb poll_hit) m0=$(stat_of xvdb poll_miss) k0=$(stat_of xvdb poll_skip)
	old=$(cat $p) && echo 1000000 > $p || return 1
	fio_terse "$DOM" xvdb 3 --iodepth=1 --rw=randread --bs=4k >/dev/null || rc=1
	echo "$old" > $p
	h1=$(stat_of xvdb poll_hit) m1=$(stat_of xvdb poll_miss) k1=$(stat_of xvdb poll_skip)
	echo "QD1: poll_hit +$((h1 - h0)) poll_miss +$((m1 - m0)) poll_skip +$((k1 - k0))"
	[ $rc = 0 ] && [ $((k1 - k0)) -gt 100 ] && [ $((h1 - h0)) = 0 ] && [ $((m1 - m0)) = 0 ]
}
check "QD1: the back end does not spin for a request that cannot come (poll_skip moves, poll_hit and poll_miss do not)" qd1_no_spin
check "guest queue: no I/O scheduler, non-rotational" guest "$DOM" \
	"cd /sys/block/xvdb/queue && cat scheduler rotational && grep -q '\[none\]' scheduler && test \$(cat rotational) = 0"

flush_reaches_disk() {
	local f0 b0
	f0=$(loop_flushes xvdb); b0=$(stat_of xvdb f_req)
	fio_run "$DOM" xvdb --rw=write --bs=4k --size=64k --fsync=1 || return 1
	echo "f_req $b0 -> $(stat_of xvdb f_req), loop flushes $f0 -> $(loop_flushes xvdb)"
	[ "$(stat_of xvdb f_req)" -gt "$b0" ] && [ "$(loop_flushes xvdb)" -gt "$f0" ]
}
check "flush from the guest reaches the backing device" flush_reaches_disk

fua_reaches_disk() {
	local f0
	f0=$(loop_flushes xvdb)
	# O_DSYNC direct writes are FUA writes on a disk with a write cache
	fio_run "$DOM" xvdb --sync=dsync --rw=write --bs=4k --size=64k || return 1
	echo "loop flushes $f0 -> $(loop_flushes xvdb)"
	[ "$(loop_flushes xvdb)" -gt "$f0" ]
}
check "FUA writes from the guest reach the backing device" fua_reaches_disk

discard_zeroes() {
	guest "$DOM" "dd if=/dev/urandom of=/dev/xvdb bs=64k count=16 oflag=direct 2>/dev/null && \
blkdiscard -o 0 -l 1048576 /dev/xvdb && \
dd if=/dev/xvdb bs=64k count=16 iflag=direct 2>/dev/null | od -v -An -tx1 | tr -s ' ' '\\n' | sort -u | grep . > /tmp/z; \
cat /tmp/z; test \"\$(cat /tmp/z)\" = 00" || return 1
	[ "$(stat_of xvdb ds_req)" -gt 0 ]
}
check "discard on a file-backed disk reads back as zeros" discard_zeroes

grow() {
	truncate -s 16M $IMG-b.img && losetup -c "$(loop_of xvdb)" &&
		wait_until 30 guest "$DOM" "test \$(cat /sys/block/xvdb/size) = 32768"
}
check "resize: the guest sees the grown disk without re-attach" grow
check "resized disk: fio verify over the new whole disk" fio_verify xvdb 64k randwrite

check "read-only disk attaches (mode r)" attach_vbd xvdc $IMG-c.img --mode r
check "read-only disk: guest sees it read-only" guest "$DOM" "test \$(cat /sys/block/xvdc/ro) = 1"
# the write must fail as a refused write does (the guest's kernel for a
# read-only disk, or an error answer from the back end), not by a timeout
# of the agent, and leave the disk as it was
ro_write_fails() {
	local before out
	before=$(md5sum < $IMG-c.img)
	out=$(guest "$DOM" "dd if=/dev/urandom of=/dev/xvdc bs=4k count=1 oflag=direct 2>&1; echo dd-status \$?")
	echo "$out"
	grep -q '^dd-status [1-9]' <<<"$out" &&
		grep -qE 'Operation not permitted|Permission denied|Input/output error|Read-only file system' <<<"$out" &&
		[ "$(md5sum < $IMG-c.img)" = "$before" ]
}
check "read-only disk: a write is refused with an error, the disk unchanged" ro_write_fails
check "read-only disk: reads work" guest "$DOM" "dd if=/dev/xvdc of=/dev/null bs=64k iflag=direct 2>&1"

check "4096-byte sectors: attach" attach_vbd xvdd $IMG-d.img --sector-size 4096
check "4096-byte sectors: guest sees logical block size 4096" \
	guest "$DOM" "test \$(cat /sys/block/xvdd/queue/logical_block_size) = 4096"
check "4096-byte sectors: fio verify 4k random" fio_verify xvdd 4k randwrite
check "4096-byte sectors: fio verify 1m sequential" fio_verify xvdd 1m write
unload_refused() {
	! rmmod pvblkback && grep -q '^pvblkback ' /proc/modules &&
		guest "$DOM" "test -b /dev/xvdd && dd if=/dev/xvdd of=/dev/null bs=4k count=1 iflag=direct"
}
check "module unload refused while disks are in use: still loaded, disks still serve" unload_refused

detach_during_io() {
	guest "$DOM" "$(fio_cmd xvdd --iodepth=32 --rw=randrw --bs=4k --time_based --runtime=60 \
--output=/tmp/long.out) >/dev/null 2>&1 &" >/dev/null
	sleep 4
	detach_vbd xvdd || return 1
	wait_until 60 guest "$DOM" "! pidof fio >/dev/null" || return 1
	guest "$DOM" "grep -E 'err=' /tmp/long.out; test ! -b /dev/xvdd"
}
check "detach while fio runs: I/O errors in the guest, disk gone, no crash" detach_during_io
for v in xvdb xvdc; do
	check "detach $v" detach_vbd $v
done
check "after detaching all: Xen's grant and event channel counts and pvsplit's resources at baseline" blk_no_leaks
check "after detaching all: no loop device left bound" sh -c '! losetup -a | grep -q blk-'
check "guest still responsive, disks gone" guest "$DOM" "! ls /dev/xvd* 2>/dev/null"


# an untrusted back end: no persistent grants, bounce pages cleared
check "untrusted: reload pvblkfront with trusted=0" \
	guest "$DOM" "rmmod pvblkfront && insmod /pvsplit/pvblkfront.ko trusted=0"
check "untrusted: attach" attach_vbd xvdb $IMG-b.img
check "untrusted: no persistent grants negotiated" guest "$DOM" \
	"cd /sys/bus/xen/devices/vbd-51728/negotiated && grep . persistent trusted && test \"\$(cat persistent) \$(cat trusted)\" = '0 0'"
check "untrusted: fio verify 4k random" fio_verify xvdb 4k randwrite
check "untrusted: detach" detach_vbd xvdb
check "untrusted: Xen's counts and pvsplit's resources back at baseline" blk_no_leaks
check "guest: pvblkfront reloaded, trusted" \
	guest "$DOM" "rmmod pvblkfront && insmod /pvsplit/pvblkfront.ko"

# a back end offering nothing optional: the front end falls back
check "minimal back end: reload pvblkback with every option off" sh -c "rmmod pvblkback &&
	insmod /pvsplit/pvblkback.ko max_ring_page_order=0 max_queues=1 max_indirect_segments=0 feature_persistent=0 poll_max_us=0"
check "minimal back end: attach" attach_vbd xvdb $IMG-b.img
check "minimal back end: one page, 11 segments, no persistent grants" guest "$DOM" \
	"cd /sys/bus/xen/devices/vbd-51728/negotiated && grep . * && test \"\$(cat ring_page_order) \$(cat ring_slots) \$(cat persistent) \$(cat trusted) \$(cat max_segments)\" = '0 32 0 1 11'"
check "minimal back end: fio verify 1m (split into 44 KiB requests)" fio_verify xvdb 1m write
check "minimal back end: fio verify 4k random at QD16" fio_verify xvdb 4k randwrite
check "minimal back end: no polling (poll_max_us=0): poll_hit and poll_miss 0" \
	sh -c "[ $(stat_of xvdb poll_hit) = 0 ] && [ $(stat_of xvdb poll_miss) = 0 ]"
check "minimal back end: detach" detach_vbd xvdb
check "minimal back end: Xen's counts and pvsplit's resources back at baseline" blk_no_leaks
check "dom0: pvblkback reloaded with its defaults" sh -c "rmmod pvblkback && insmod /pvsplit/pvblkback.ko"
