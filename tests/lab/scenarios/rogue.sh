# SPDX-License-Identifier: GPL-2.0-only
# plan: 22
# A hostile front end (tests/rogue) in a second guest: the back end answers
# malformed requests with errors, survives an event flood, disconnects the
# device when the ring indices break, serves a ring refilled as fast as it
# drains in passes of bounded size, and dom0 and g1's device carry on.
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
# A second device whose ring g2 refills as fast as it is drained, for 60 s:
# the worker must come out of its loop after each budget (yields move), and
# a forced detach must complete while the refilling goes on.  A worker that
# never left its loop would hold kthread_stop(), and with it dom0's xenbus
# thread, until the front end stopped.  The refill holds g2's rogue device
# lock, and with it g2's xenbus thread, for the whole 60 s: no command is
# sent to g2 after it, g2 is destroyed.
check "attach a second pvbench to g2" attach_pvbench "$DOM2" 1
refill_dbg=/sys/kernel/debug/pvsplit/pvbenchback-$DOM2-1
refill_yields() {
	local y
	y=$(cat "$refill_dbg/yields") && echo "yields: $y" && [ "$y" -gt 0 ]
}
refill_consumed() { sed -n 's/^consumed //p' "$refill_dbg/ring"; }
refill_ring() { grep -E '^(consumed|wakeups|spurious) ' "$refill_dbg/ring" | tr '\n' ' '; }
# the device's own sysfs directory goes only once the back end's remove()
# returned (the bus's link to it goes before)
refill_detach() {
	local c0 c1 t0 d
	c0=$(refill_consumed)
	echo "# refill: $(refill_ring)" >&3
	sleep 1
	c1=$(refill_consumed)
	echo "# refill, 1 s later: $(refill_ring) yields $(cat "$refill_dbg/yields" 2>&1)" >&3
	[ "${c1:-0}" -gt "${c0:-0}" ] || { echo "the front end is not refilling"; return 1; }
	d=$(readlink -f "/sys/bus/xen-backend/devices/pvbench-$DOM2-1")
	[ -n "$d" ] && test -e "$d/nodename" || { echo "no device directory: '$d'"; return 1; }
	echo "# refill: the back end's device is $d" >&3
	t0=$SECONDS
	pvsplit detach pvbench "$DOM2" 1 --force || return 1
	wait_until 8 test ! -e "$d" || {
		echo "the back end of pvbench-$DOM2-1 still there 8 s after the detach"
		return 1
	}
	echo "# refill: the back end went $((SECONDS - t0)) s after the detach" >&3
	# the refill (60 s) must still have been running at the end
	[ $((SECONDS - REFILL_T0)) -lt 50 ] || {
		echo "too late: $((SECONDS - REFILL_T0)) s after the refill began"; return 1; }
}
REFILL_T0=$SECONDS
guest_send "$DOM2" "echo refill > /sys/bus/xen/devices/pvbench-1/inject" >/dev/null
check "rogue: a ring refilled as fast as it drains is served in passes of bounded size" \
	wait_until 10 refill_yields
check "rogue: a forced detach completes while the front end refills the ring" refill_detach
check "clean up g2" sh -c "pvsplit detach pvbench $DOM2 0 --force && xl destroy g2"
settle_after_destroy
check "after the hostile front end: Xen's counts and pvsplit's resources at baseline" \
	leak_check_settled rogue "$DOM"
