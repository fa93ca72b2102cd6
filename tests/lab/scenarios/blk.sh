# SPDX-License-Identifier: GPL-2.0-only
# Block devices: pvblkback in dom0 and pvblkfront in guest $DOM, attached
# through the pvsplit CLI; data checked by fio verify; then the stock
# front end against our back end and ours against the stock back end.
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
		xenstore-ls -f "$VBD/$n" 2>/dev/null | head -30; return 1; }
	wait_until 30 guest "$DOM" "test -b /dev/$vdev" || return 1
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
	dd if=/dev/zero of=$IMG-$f.img bs=1M count=8 2>/dev/null
done

check "dom0: load pvblkback" insmod /pvsplit/pvblkback.ko
check "guest: load pvblkfront" guest "$DOM" "insmod /pvsplit/pvblkfront.ko"

# ---- ours <-> ours ----------------------------------------------------
check "ours/ours: attach xvdb (file on a loop device)" attach_vbd xvdb $IMG-b.img
check "guest sees xvdb with the file's size (16384 sectors)" \
	guest "$DOM" "test \$(cat /sys/block/xvdb/size) = 16384"
check "negotiated: multi-page ring, persistent grants, indirect" \
	sh -c "cat /sys/bus/xen-backend/devices/vbd-$DOM-51728/negotiated | tee /dev/stderr |
		grep -q 'persistent 1 indirect 256'"
guest "$DOM" "cat /sys/bus/xen/devices/vbd-51728/negotiated" | sed 's/^/# /'
fio_matrix xvdb ours/ours
check "back-end statistics count the I/O (rd_req, wr_req, sectors)" \
	sh -c "[ $(stat_of 51728 rd_req) -gt 0 ] && [ $(stat_of 51728 wr_sect) -gt 16384 ]"
check "front-end statistics count the I/O" \
	guest "$DOM" "r=\$(cat /sys/bus/xen/devices/vbd-51728/statistics/reads); echo reads \$r; test \$r -gt 0"

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
check "after detaching all: Xen grant and event channel counts at baseline" no_leaks
check "after detaching all: no loop device left bound" sh -c '! losetup -a | grep -q blk-'
check "guest still responsive, disks gone" guest "$DOM" "! ls /dev/xvd* 2>/dev/null"

# ---- stock front end <-> our back end ----------------------------------
check "guest: swap pvblkfront for xen-blkfront" \
	guest "$DOM" "rmmod pvblkfront && insmod /lib/modules/extra/xen-blkfront.ko"
check "stock front/our back: attach" attach_vbd xvdb $IMG-e.img
fio_matrix xvdb stock-front/our-back
check "stock front/our back: detach" detach_vbd xvdb
check "guest: back to pvblkfront" \
	guest "$DOM" "rmmod xen-blkfront && insmod /pvsplit/pvblkfront.ko"

# ---- our front end <-> stock back end ----------------------------------
check "dom0: swap pvblkback for xen-blkback" \
	sh -c "rmmod pvblkback && insmod /lib/modules/extra/xen-blkback.ko"
check "our front/stock back: attach" attach_vbd xvdb $IMG-e.img
fio_matrix xvdb our-front/stock-back
check "our front/stock back: detach" detach_vbd xvdb
check "dom0: back to pvblkback" sh -c "rmmod xen-blkback && insmod /pvsplit/pvblkback.ko"
check "after all pairings: Xen counts at baseline" no_leaks
