# SPDX-License-Identifier: GPL-2.0-only
# plan: 19
# A hostile front end (tests/rogue) in a second guest: the back end answers
# malformed requests with errors, survives an event flood, disconnects the
# device when the ring indices break, and dom0 and g1's device carry on.
leak_baseline rogue "$DOM"
DOM2=$(start_guest g2)
check "guest g2 boots" test -n "$DOM2"
check "g2: load the hostile front end" \
	guest "$DOM2" "insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvrogue.ko && insmod /pvsplit/pvbench_rogue.ko"
check "attach pvbench to g2" attach_pvbench "$DOM2" 0
rogue_case() { inject_case "$DOM2" pvbench-0 "$1" "$2"; }	# rogue_case CASE STATUS
check "rogue: a well-formed request is answered" rogue_case good 0
check "rogue: unknown op gets EOPNOTSUPP" rogue_case badop -2
check "rogue: unknown flag gets EOPNOTSUPP" rogue_case badflags -2
check "rogue: no-op carrying segments gets an error" rogue_case nopsegs -1
check "rogue: payload without segments gets an error" rogue_case nosegs -1
check "rogue: length beyond its segments gets an error" rogue_case badlen -1
check "rogue: 200 segments get an error" rogue_case toomanysegs -1
check "rogue: invalid grant ref gets an error" rogue_case badgref -1
check "rogue: write into a read-only grant (map) gets an error" rogue_case rogrant -1
check "rogue: write into a read-only grant (copy) gets an error" rogue_case rogrant-copy -1
rogue_flood() {
	guest "$DOM2" "echo flood > /sys/bus/xen/devices/pvbench-0/inject" &&
		xenstore-read /local/domain/0/name && rogue_case good 0
}
check "rogue: 100000 events without requests; dom0 and the device still answer" rogue_flood
rogue_prodahead() {
	guest "$DOM2" "echo prodahead > /sys/bus/xen/devices/pvbench-0/inject" || return 1
	wait_until 20 be_closing "/local/domain/0/backend/pvbench/$DOM2/0" || return 1
	dmesg | grep -q "broke the ring protocol"
}
check "rogue: producer index past the ring: the back end disconnects that device" rogue_prodahead
check "rogue: the back end let go of its ring and worker" \
	wait_until 20 test ! -e "/sys/kernel/debug/pvsplit/pvbenchback-$DOM2-0"
check "g1's device keeps working" \
	guest "$DOM" "pvsplit bench --devid 0 --count 1000 --payload 4096 --verify"
check "clean up g2" sh -c "pvsplit detach pvbench $DOM2 0 --force && xl destroy g2"
settle_after_destroy
check "after the hostile front end: Xen's counts and pvsplit's resources at baseline" \
	leak_check_settled rogue "$DOM"
