# SPDX-License-Identifier: GPL-2.0-only
# plan: 31
# A hostile blkif front end (tests/rogue/pvblk_rogue.c) in guest g3 writes
# malformed requests into real rings served by pvblkback.  Requests that
# are merely unserviceable get error answers and the device stays up;
# malformed ones get an error answer and that one device is shut down;
# dom0 stays up and a good disk in the same guest keeps working.
lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
RIMG=/tmp/rogue.img
dd if=/dev/zero of=$RIMG bs=1M count=8 2>/dev/null
leak_baseline rogueblk "$DOM"
DOM3=$(start_guest g3)
check "guest g3 boots" test -n "$DOM3"
check "g3: load the hostile blkif front end, then pvblkfront" \
	guest "$DOM3" "insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvrogue.ko && insmod /pvsplit/pvblk_rogue.ko && insmod /pvsplit/pvblkfront.ko || { dmesg | tail -n 8; false; }"
good_disk() { fio_verify_run "$DOM3" xvdb 4k randwrite --iodepth=8 --size=2m; }
rattach() {	# rattach VDEV-NUMBER
	pvsplit attach vbd "$DOM3" "$1" "$RIMG" >/dev/null &&
		pvsplit wait vbd "$DOM3" "$1" connected --timeout 30
}
check "g3: a good disk (xvdb, pvblkfront)" sh -c "pvsplit attach vbd $DOM3 xvdb $IMG-b.img &&
	pvsplit wait vbd $DOM3 xvdb connected --timeout 30"
check "g3: good disk passes fio verify" good_disk
RV=$(vdev xvdi)	# bound by the hostile front end; xvdj.. for the fatal cases
check "g3: attach the hostile front end's disk" rattach $RV
rcase() { inject_case "$DOM3" "vbd-$1" "$2" "$3"; }	# rcase VDEV CASE WANT
rstate() { xenstore-read "/local/domain/0/backend/vbd/$DOM3/$1/state"; }
check "rogue: a well-formed read is answered" rcase $RV good 0
check "rogue: unknown operation gets EOPNOTSUPP" rcase $RV badop -2
check "rogue: reserved operation 4 gets EOPNOTSUPP" rcase $RV reservedop -2
check "rogue: sector past the end gets an error" rcase $RV pastend -1
check "rogue: sector that wraps around gets an error" rcase $RV wrapsector -1
check "rogue: invalid grant reference gets an error" rcase $RV badgref -1
check "rogue: grant for another domain gets an error" rcase $RV foreigngref -1
check "rogue: read into a read-only grant gets an error" rcase $RV rogrant -1
check "rogue: discard past the end gets an error" rcase $RV discardpastend -1
check "rogue: secure discard (not offered) gets EOPNOTSUPP" rcase $RV securediscard -2
check "rogue: invalid indirect page reference gets an error" rcase $RV badindgref -1
check "rogue: the device still serves after all that" rcase $RV good 0
check "rogue: the device is still connected" test "$(rstate $RV)" = 4

fatal_case() {	# fatal_case N CASE: answered with an error, device shut down
	local v=$((RV + 16 * $1))
	rattach $v || return 1
	rcase $v "$2" -1 || return 1
	wait_until 20 be_closing "/local/domain/0/backend/vbd/$DOM3/$v" || return 1
	dmesg | grep -q "vbd-$DOM3-$v: .*disconnecting" || return 1
	pvsplit detach vbd "$DOM3" $v --force
}
n=1
for c in zerosegs toomanysegs firstgtlast pastpage indzero indtoomany indgarbage; do
	check "rogue: malformed request ($c): error answer, that device shut down" fatal_case $n $c
	n=$((n + 1))
done
check "rogue: its ring is in debugfs before the last case" \
	test -d "/sys/kernel/debug/pvsplit/pvblkback-$DOM3-$RV/ring0"
prodahead() {
	guest "$DOM3" "echo prodahead > /sys/bus/xen/devices/vbd-$RV/inject" || return 1
	wait_until 20 be_closing "/local/domain/0/backend/vbd/$DOM3/$RV" || return 1
	dmesg | grep -q "request index beyond the ring"
}
check "rogue: producer index far ahead: that device is shut down" prodahead
check "rogue: dom0 up, back end released the broken rings" \
	wait_until 20 sh -c "! ls -d /sys/kernel/debug/pvsplit/pvblkback-$DOM3-$RV/ring0 2>/dev/null"
check "g3: the good disk in the same guest keeps working" good_disk
cleanup3() {
	local rc=0
	pvsplit detach vbd "$DOM3" $RV --force
	pvsplit detach vbd "$DOM3" xvdb --timeout 30 || rc=1
	xl destroy g3 || rc=1
	return $rc
}
check "clean up g3: the good disk detaches gracefully" cleanup3
settle_after_destroy
check "after the hostile blkif front end: Xen's counts and pvsplit's resources at baseline" \
	leak_check_settled rogueblk "$DOM"
