# SPDX-License-Identifier: GPL-2.0-only
# xl with pvblkback: a guest created from a config with a disk= line (xl
# runs Xen's block hotplug script, which writes physical-device), then
# xl save and xl restore while fio writes and verifies on that disk.
XIMG=/tmp/xl.img
dd if=/dev/zero of=$XIMG bs=1M count=24 2>/dev/null
lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
DOM4=$(GUEST_CFG="disk = [ 'format=raw, vdev=xvdb, access=rw, target=$XIMG' ]" start_guest g4)
check "xl create with a disk= line" test -n "$DOM4"
check "the disk's back end is pvblkback" sh -c \
	"readlink /sys/bus/xen-backend/devices/vbd-$DOM4-51728/driver | grep -q pvblkback"
check "g4: pvblkfront brings up xvdb" guest "$DOM4" \
	"insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvblkfront.ko && sleep 2 && test -b /dev/xvdb"
check "the back end's rings show in debugfs" \
	test -d "/sys/kernel/debug/pvsplit/pvblkback-$DOM4-51728/ring0"
check "g4: fio verify on the xl-created disk" guest "$DOM4" \
	"fio --name=x --filename=/dev/xvdb --direct=1 --ioengine=libaio --iodepth=16 --rw=randwrite \
--bs=16k --size=100% --verify=crc32c --verify_fatal=1 --output=/tmp/fio.out" 300

save_restore() {
	local d
	guest "$DOM4" "fio --name=sr --filename=/dev/xvdb --direct=1 --ioengine=libaio --iodepth=16 \
--rw=randwrite --bs=4k --size=100% --loops=4 --verify=crc32c --verify_fatal=1 \
--output=/tmp/sr.out >/dev/null 2>&1; echo \$? > /tmp/sr.rc &" >/dev/null || return 1
	sleep 3
	xl save g4 /tmp/g4.save || return 1
	xl restore /tmp/g4.save || return 1
	rm -f /tmp/g4.save
	d=$(xl domid g4) || return 1
	echo "restored as domain $d"
	DOM4=$d
	wait_until 300 guest "$DOM4" "test -s /tmp/sr.rc" || return 1
	guest "$DOM4" "cat /tmp/sr.rc; grep -E 'err=|verify' /tmp/sr.out | head -3; dmesg | grep -i pvblk | tail -3; test \$(cat /tmp/sr.rc) = 0"
}
check "xl save + restore while fio writes and verifies: no error, data intact" save_restore
DOM4=$(xl domid g4 2>/dev/null)	# check ran save_restore in a subshell
check "g4 after restore: the disk is connected to a new back end" \
	pvsplit wait vbd "$DOM4" 51728 connected --timeout 30
no_vbd4() { ! ls -d "/sys/kernel/debug/pvsplit/pvblkback-$DOM4-51728" 2>/dev/null; }
destroy4() { xl destroy g4 && wait_until 30 no_vbd4; }
check "xl destroy g4: the back end lets go" destroy4
settle_after_destroy
