# SPDX-License-Identifier: GPL-2.0-only
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
fio_matrix xvdb ours/ours
check "back-end statistics count the I/O (rd_req, wr_req, sectors)" \
	sh -c "[ $(stat_of 51728 rd_req) -gt 0 ] && [ $(stat_of 51728 wr_sect) -gt 16384 ]"
check "front-end statistics count the I/O" \
	guest "$DOM" "r=\$(cat /sys/bus/xen/devices/vbd-51728/statistics/reads); echo reads \$r; test \$r -gt 0"
check "back end polled for requests under load (poll_hit > 0)" \
	sh -c "grep . /sys/bus/xen-backend/devices/vbd-$DOM-51728/statistics/poll_*; [ $(stat_of 51728 poll_hit) -gt 0 ]"
check "guest queue: no I/O scheduler, non-rotational" guest "$DOM" \
	"cd /sys/block/xvdb/queue && cat scheduler rotational && grep -q '\[none\]' scheduler && test \$(cat rotational) = 0"

flush_reaches_disk() {
	local f0 b0
	f0=$(loop_flushes 51728); b0=$(stat_of 51728 f_req)
	guest "$DOM" "fio --name=f --filename=/dev/xvdb --direct=1 --rw=write --bs=4k \
--size=64k --fsync=1 --output=/tmp/fio.out" || return 1
	echo "f_req $b0 -> $(stat_of 51728 f_req), loop flushes $f0 -> $(loop_flushes 51728)"
	[ "$(stat_of 51728 f_req)" -gt "$b0" ] && [ "$(loop_flushes 51728)" -gt "$f0" ]
}
check "flush from the guest reaches the backing device" flush_reaches_disk

fua_reaches_disk() {
	local f0
	f0=$(loop_flushes 51728)
	# O_DSYNC direct writes are FUA writes on a disk with a write cache
	guest "$DOM" "fio --name=s --filename=/dev/xvdb --direct=1 --sync=dsync --rw=write \
--bs=4k --size=64k --output=/tmp/fio.out" || return 1
	echo "loop flushes $f0 -> $(loop_flushes 51728)"
	[ "$(loop_flushes 51728)" -gt "$f0" ]
}
check "FUA writes from the guest reach the backing device" fua_reaches_disk

discard_zeroes() {
	guest "$DOM" "dd if=/dev/urandom of=/dev/xvdb bs=64k count=16 oflag=direct 2>/dev/null && \
blkdiscard -o 0 -l 1048576 /dev/xvdb && \
dd if=/dev/xvdb bs=64k count=16 iflag=direct 2>/dev/null | od -v -An -tx1 | tr -s ' ' '\\n' | sort -u | grep . > /tmp/z; \
cat /tmp/z; test \"\$(cat /tmp/z)\" = 00" || return 1
	[ "$(stat_of 51728 ds_req)" -gt 0 ]
}
check "discard on a file-backed disk reads back as zeros" discard_zeroes

grow() {
	truncate -s 16M $IMG-b.img && losetup -c "$(loop_of 51728)" &&
		wait_until 30 guest "$DOM" "test \$(cat /sys/block/xvdb/size) = 32768"
}
check "resize: the guest sees the grown disk without re-attach" grow
check "resized disk: fio verify over the new whole disk" fio_verify xvdb 64k randwrite

check "read-only disk attaches (mode r)" attach_vbd xvdc $IMG-c.img --mode r
check "read-only disk: guest sees it read-only" guest "$DOM" "test \$(cat /sys/block/xvdc/ro) = 1"
check_fails "read-only disk: a write fails" \
	guest "$DOM" "dd if=/dev/zero of=/dev/xvdc bs=4k count=1 oflag=direct 2>&1"
check "read-only disk: reads work" guest "$DOM" "dd if=/dev/xvdc of=/dev/null bs=64k iflag=direct 2>&1"

check "4096-byte sectors: attach" attach_vbd xvdd $IMG-d.img --sector-size 4096
check "4096-byte sectors: guest sees logical block size 4096" \
	guest "$DOM" "test \$(cat /sys/block/xvdd/queue/logical_block_size) = 4096"
check "4096-byte sectors: fio verify 4k random" fio_verify xvdd 4k randwrite
check "4096-byte sectors: fio verify 1m sequential" fio_verify xvdd 1m write
check "module unload refused while disks are in use" sh -c '! rmmod pvblkback 2>/dev/null'

detach_during_io() {
	guest "$DOM" "fio --name=l --filename=/dev/xvdd --direct=1 --ioengine=libaio --iodepth=32 \
--rw=randrw --bs=4k --time_based --runtime=60 --output=/tmp/long.out >/dev/null 2>&1 &" >/dev/null
	sleep 4
	detach_vbd xvdd || return 1
	wait_until 60 guest "$DOM" "! pidof fio >/dev/null" || return 1
	guest "$DOM" "grep -E 'err=' /tmp/long.out; test ! -b /dev/xvdd"
}
check "detach while fio runs: I/O errors in the guest, disk gone, no crash" detach_during_io
for v in xvdb xvdc; do
	check "detach $v" detach_vbd $v
done
check "after detaching all: Xen grant and event channel counts at baseline" blk_no_leaks
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
check "untrusted: grants back at baseline" blk_no_leaks
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
	sh -c "[ $(stat_of 51728 poll_hit) = 0 ] && [ $(stat_of 51728 poll_miss) = 0 ]"
check "minimal back end: detach" detach_vbd xvdb
check "dom0: pvblkback reloaded with its defaults" sh -c "rmmod pvblkback && insmod /pvsplit/pvblkback.ko"
