# SPDX-License-Identifier: GPL-2.0-only
# plan: 30
# A hostile blkif back end (tests/rogue/pvblkback_rogue.c) in dom0 serves
# disks of guest g4, whose pvblkfront runs with trusted=0, and answers it
# as a malicious back end would.  For each case, on a disk of its own: the
# guest stays up, the request fails or the disk fails all I/O (or, for
# what is only odd, keeps working), a second disk served by pvblkback
# keeps passing fio verify, no page granted to the hostile back end held
# the marker written into freed guest memory or anything but the request's
# own data, and once the disk is detached Xen's counts and pvsplit's
# resources in dom0 and in g4 are back at baseline.
# Binding is by hand (drivers_autoprobe off in dom0) so that pvblkback and
# the hostile back end serve a disk each.
lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
RB_IMG=/tmp/rbback
RB_XBE=/sys/bus/xen-backend
for f in good rogue; do
	dd if=/dev/zero of=$RB_IMG-$f.img bs=1M count=8 2>/dev/null
done
leak_baseline rbback0 "$DOM"
check "dom0: load the hostile back end, automatic binding off" sh -c \
	"insmod /pvsplit/pvrogue.ko && insmod /pvsplit/pvblkback_rogue.ko && echo 0 > $RB_XBE/drivers_autoprobe"
# init_on_alloc=0: Debian's kernels clear every page they hand out, which
# would hide a page pvblkfront grants without clearing it itself
DOM4=$(start_guest g4 init_on_alloc=0)
check "hostile back end: guest g4 boots" test -n "$DOM4"
rb_boot() { guest "$DOM4" "dmesg | grep 'mem auto-init:'" | grep 'heap alloc:off'; }
check "g4: pages not cleared by the allocator (init_on_alloc=0)" rb_boot
check "g4: load pvblkfront with trusted=0" guest "$DOM4" \
	"insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvblkfront.ko trusted=0"

# rb_attach DISK DRIVER FILE: attach, bind the back end to DRIVER, wait
rb_attach() {
	local n
	n=$(vdev "$1") || return 1
	pvsplit attach vbd "$DOM4" "$1" "$3" >/dev/null || return 1
	wait_until 10 test -e "$RB_XBE/devices/vbd-$DOM4-$n" &&
		echo "vbd-$DOM4-$n" > "$RB_XBE/drivers/$2/bind" || return 1
	pvsplit wait vbd "$DOM4" "$n" connected --timeout 60 || {
		dmesg | tail -n 10; guest "$DOM4" "dmesg | tail -n 10"; return 1; }
	wait_until 30 guest "$DOM4" "test -b /dev/$1"
}
rb_good() { fio_verify_run "$DOM4" xvdb 4k randwrite --iodepth=8 --size=256k; }
check "g4: a good disk (xvdb) served by pvblkback" rb_attach xvdb pvblkback $RB_IMG-good.img
# pvblkback's grant pool for the good disk keeps the pages of the deepest
# load it has served, and a case's rb_good may grow it: its pages are left
# out of dom0-pages (lib.sh, leak_counts); the hostile disks' pools are not
LEAK_KEPT=$RB_XBE/devices/vbd-$DOM4-$(vdev xvdb)/pool_pages
rb_good_pool() {
	local n
	rb_good && n=$(cat "$LEAK_KEPT") && echo "pool_pages $n" && [ "$n" -gt 0 ]
}
check "g4: the good disk passes fio verify; its grant pool holds pages (pool_pages)" rb_good_pool
leak_baseline rbback "$DOM4"

# 64 MiB of the marker the hostile back end looks for in every page it is
# granted, written to a file in g4's tmpfs and freed again
RB_MARK="printf 'PVSPLIT-FREED!!\\n' > /tmp/mk && for i in \$(seq"
rb_fill() {
	guest "$DOM4" "$RB_MARK 22); do cat /tmp/mk /tmp/mk > /tmp/mk2 && mv /tmp/mk2 /tmp/mk || exit 1; done && ls -l /tmp/mk && rm /tmp/mk" 300
}
check "g4: 64 MiB of guest memory filled with the marker and freed" rb_fill

# one disk of its own per case, c to p in turn
RB_NEXT=0
rb_pick() {
	local l=cdefghijklmnop
	RB_D=xvd${l:$((RB_NEXT % 14)):1}
	RB_NEXT=$((RB_NEXT + 1))
	RB_V=$(vdev "$RB_D")
}
rb_sys() { cat "$RB_XBE/devices/vbd-$DOM4-$RB_V/$1"; }
rb_inject() { echo "$1" > "$RB_XBE/devices/vbd-$DOM4-$RB_V/inject"; }
rb_fe() { guest "$DOM4" "cat /sys/bus/xen/devices/vbd-$RB_V/$1"; }
rb_is() { [ "$(rb_fe "$1")" = "$2" ]; }
rb_read() { guest "$DOM4" "dd if=/dev/$RB_D of=/dev/null bs=4k count=1 iflag=direct"; }
rb_fio() { fio_verify_run "$DOM4" "$RB_D" 128k write --iodepth=4 --size=2m; }
rb_dd_done() { guest "$DOM4" "test -e /tmp/rb1.rc && test -e /tmp/rb2.rc"; }
# shellcheck disable=SC2046 # word splitting: "0 0" however the lines end
rb_dd_rc() { echo $(guest "$DOM4" "cat /tmp/rb1.rc /tmp/rb2.rc"); }
# a write of one block, then a read of it, through recycled bounce pages
rb_wr() {
	guest "$DOM4" "dd if=/dev/urandom of=/dev/$RB_D bs=64k count=4 oflag=direct && dd if=/dev/$RB_D of=/dev/null bs=64k count=4 iflag=direct"
}
rb_deferred() { resources "$DOM4" | awk '$1 == "grants_deferred" { print $2 }'; }
rb_warns() { guest "$DOM4" "dmesg | grep -c 'WARNING:'"; }

# rb_hold: two reads in flight that the hostile back end holds unanswered
rb_hold() {
	local i
	rb_inject hold || return 1
	for i in 1 2; do
		guest "$DOM4" "rm -f /tmp/rb$i.rc; (dd if=/dev/$RB_D of=/dev/null bs=4k count=1 skip=$((i * 100)) iflag=direct; echo \$? > /tmp/rb$i.rc) </dev/null >/dev/null 2>&1 &" || return 1
	done
	wait_until 20 sh -c "test \"\$(cat $RB_XBE/devices/vbd-$DOM4-$RB_V/nr_held)\" -ge 2" ||
		{ echo "the reads did not arrive"; return 1; }
}

# what a case must leave: broken (the disk fails all I/O), gone (the disk
# went away with its I/O failed), works (it still serves, fio verifies)
rb_broken() {
	wait_until 20 rb_is disk_state broken || { rb_fe disk_state; return 1; }
	echo "disk broken after $(rb_fe statistics/bad_rsp) bad response(s)"
	[ -z "$RB_HELD" ] || wait_until 20 rb_dd_done || { echo "held read never ended"; return 1; }
	! rb_read || { echo "a read still succeeds"; return 1; }
}
rb_gone() {
	wait_until 30 rb_dd_done || { echo "held read never ended"; return 1; }
	! rb_dd_rc | grep -qw 0 || { echo "a held read succeeded: $(rb_dd_rc)"; return 1; }
	wait_until 30 rb_is disk_state disconnected || { rb_fe disk_state; return 1; }
}
rb_works() {
	if [ -n "$RB_HELD" ]; then
		wait_until 30 rb_dd_done && [ "$(rb_dd_rc)" = "0 0" ] ||
			{ echo "a held read failed: $(rb_dd_rc)"; return 1; }
	fi
	rb_is disk_state connected && rb_fio
}
rb_none() { true; }	# the case's own check says it all
# per-case checks beyond the outcome
rb_x_keepmapped() {
	local now
	now=$(rb_deferred)
	echo "grants_deferred $RB_DEF -> $now"
	[ "$now" -gt "$RB_DEF" ]
}
# a disk of no sectors: a read finds nothing to read, a write no room
rb_x_sectors0() {
	wait_until 20 guest "$DOM4" "test \"\$(cat /sys/block/$RB_D/size)\" = 0" || return 1
	rb_read 2>&1 | grep '0+0 records in' || return 1
	! guest "$DOM4" "dd if=/dev/zero of=/dev/$RB_D bs=4k count=1 oflag=direct"
}
rb_x_sectorshuge() {
	wait_until 20 guest "$DOM4" "dmesg | grep -q '$RB_D: unusable size'" || return 1
	test "$(guest "$DOM4" "cat /sys/block/$RB_D/size")" = 16384 && rb_fio
}
rb_x_lowerind() {
	wait_until 20 rb_is negotiated/max_segments 11 || return 1
	rb_fio || return 1
	echo "over_limit $(rb_sys over_limit)"
	[ "$(rb_sys over_limit)" = 0 ]
}
rb_x_garbage() { rb_x_lowerind; }
rb_x_reorder() {
	wait_until 30 rb_is negotiated/ring_page_order 0 ||
		{ echo "ring_page_order $(rb_fe negotiated/ring_page_order)"; return 1; }
	wait_until 30 rb_is disk_state connected ||
		{ echo "disk_state $(rb_fe disk_state)"; xenstore-ls -f "/local/domain/$DOM4/device/vbd/$RB_V"; return 1; }
	wait_until 30 guest "$DOM4" "test -b /dev/$RB_D" && rb_fio
}

# serve: the held reads wait past the disk's timeout, 1 s here, before
# they are answered; each wait is counted and said with the ring's indices
rb_pre_serve() { guest "$DOM4" "echo 1000 > /sys/block/$RB_D/queue/io_timeout"; }
# the last report of g4's disk RB_D, as "produced published answered taken"
rb_timeout_line() {
	guest "$DOM4" "dmesg | grep '$RB_D: ring 0: a request unanswered' | tail -n 1" |
		sed -n 's/.*produced \([0-9]*\), published \([0-9]*\), .* answered \([0-9]*\), taken \([0-9]*\),.*/\1 \2 \3 \4/p'
}
# the back end holds both reads: all published, none answered
rb_timeout_held() {
	rb_timeout_line | awk '{ ok = $1 == $2 && $3 == $4 && $1 - $3 >= 2 } END { exit !ok }'
}
rb_held_serve() {
	wait_until 20 rb_timeout_held || {
		echo "timeouts $(rb_fe statistics/timeouts), last report: $(rb_timeout_line)"; return 1; }
	echo "# serve: timeouts $(rb_fe statistics/timeouts), last report (produced published answered taken): $(rb_timeout_line)" >&3
	[ "$(rb_fe statistics/timeouts)" -ge 2 ]
}

rb_detach() {
	pvsplit detach vbd "$DOM4" "$RB_V" --force >/dev/null
	wait_until 30 guest "$DOM4" "! test -e /sys/bus/xen/devices/vbd-$RB_V" &&
		wait_until 30 sh -c "! test -e $RB_XBE/devices/vbd-$DOM4-$RB_V" ||
		{ echo "disk $RB_D did not go"; return 1; }
}

# rb_case CASE HELD OUTCOME: see above; HELD "held" holds a read first
rb_case() {
	local c=$1 rc=0 m s w
	RB_HELD=${2#-}
	rb_pick
	rb_attach "$RB_D" pvblkback_rogue $RB_IMG-rogue.img || { echo "attach failed"; return 1; }
	RB_DEF=$(rb_deferred)
	w=$(rb_warns)
	if [ "$(type -t "rb_pre_$c")" = function ]; then "rb_pre_$c" || rc=1; fi
	[ -z "$RB_HELD" ] || [ $rc = 1 ] || rb_hold || rc=1
	if [ $rc = 0 ] && [ "$(type -t "rb_held_$c")" = function ]; then
		"rb_held_$c" || rc=1
	fi
	[ $rc = 1 ] || rb_inject "$c" || { echo "inject $c failed"; rc=1; }
	[ $rc = 1 ] || "rb_$3" || rc=1
	if [ $rc = 0 ] && [ "$(type -t "rb_x_$c")" = function ]; then
		"rb_x_$c" || rc=1
	fi
	guest "$DOM4" true || { echo "guest g4 is down"; return 1; }
	[ "$(rb_warns)" = "$w" ] || { echo "a WARN in g4:"; guest "$DOM4" "dmesg | grep -A5 'WARNING:' | tail -n 20"; rc=1; }
	rb_good || { echo "the good disk failed"; rc=1; }
	m=$(rb_sys marker_pages)
	s=$(rb_sys stale_reads)
	echo "pages seen with the marker: $m, reads arriving with data: $s"
	[ "$m" = 0 ] && [ "$s" = 0 ] || rc=1
	rb_detach || rc=1
	leak_check_settled rbback "$DOM4" || rc=1
	return $rc
}

rb_honest() {
	rb_pick
	rb_attach "$RB_D" pvblkback_rogue $RB_IMG-rogue.img && rb_fio && rb_wr || return 1
	echo "served $(rb_sys served), marker $(rb_sys marker_pages), stale $(rb_sys stale_reads)"
	[ "$(rb_sys served)" -gt 0 ] && [ "$(rb_sys marker_pages)" = 0 ] &&
		[ "$(rb_sys stale_reads)" = 0 ] && rb_detach && leak_check_settled rbback "$DOM4"
}
check "hostile back end: served honestly first, the disk verifies; no page it gets holds the marker or earlier data" rb_honest
# the scan can fail: a page that does hold the marker is counted
rb_catch() {
	rb_pick
	rb_attach "$RB_D" pvblkback_rogue $RB_IMG-rogue.img || return 1
	guest "$DOM4" "$RB_MARK 12); do cat /tmp/mk /tmp/mk > /tmp/mk2 && mv /tmp/mk2 /tmp/mk; done && dd if=/tmp/mk of=/dev/$RB_D bs=64k count=1 oflag=direct && rm /tmp/mk" || return 1
	echo "pages seen with the marker: $(rb_sys marker_pages)"
	[ "$(rb_sys marker_pages)" -ge 16 ] && rb_detach && leak_check_settled rbback "$DOM4"
}
check "hostile back end: its scan counts the 16 pages of a write of the marker (the check can fail)" rb_catch

check "hostile back end: unknown id: the disk fails all I/O" rb_case unknownid held broken
check "hostile back end: duplicate id: the disk fails all I/O" rb_case dupid held broken
check "hostile back end: id of a request not in flight: the disk fails all I/O" rb_case notinflight held broken
check "hostile back end: wrong operation: the disk fails all I/O" rb_case wrongop held broken
check "hostile back end: invalid status: the disk fails all I/O" rb_case badstatus held broken
check "hostile back end: rsp_prod far ahead: the disk fails all I/O" rb_case prodahead held broken
check "hostile back end: rsp_prod going backwards: the disk fails all I/O" rb_case prodback held broken
check "hostile back end: more responses than requests: the disk fails all I/O" rb_case moreresp held broken
check "hostile back end: an event storm (100000 events): the disk keeps working" rb_case flood - works
check "hostile back end: two reads held past the disk's timeout: counted, the ring's state said, served late they succeed" rb_case serve held works
check "hostile back end: Closing with I/O in flight: the read fails, the disk goes" rb_case closing held gone
check "hostile back end: Closed without Closing: the read fails, the disk goes" rb_case closed held gone
check "hostile back end: grants kept mapped after their response: the front end never reuses them" rb_case keepmapped held works
check "hostile back end: sectors rewritten to 0: the disk is empty, reads find nothing, writes fail" rb_case sectors0 - none
check "hostile back end: sectors rewritten to 2^63: refused, the disk keeps its size" rb_case sectorshuge - none
check "hostile back end: feature-max-indirect-segments lowered while connected: requests split, no WARN" rb_case lowerind - none
check "hostile back end: garbage in feature keys: fallbacks, the disk keeps working" rb_case garbage - none
check "hostile back end: reconnection with another ring-page-order: the disk comes back and verifies" rb_case reorder - none

# the check on read pages can fail: trusted=1 recycles bounce pages
# without clearing them, so a read reaches the back end holding the data
# of an earlier write
rb_trusted() {
	pvsplit detach vbd "$DOM4" xvdb --timeout 30 >/dev/null &&
		guest "$DOM4" "rmmod pvblkfront && insmod /pvsplit/pvblkfront.ko trusted=1"
}
check "g4: good disk detached, pvblkfront reloaded with trusted=1" rb_trusted
LEAK_KEPT=	# check runs a case in a subshell: cleared here, not in rb_trusted
rb_stale() {
	rb_pick
	rb_attach "$RB_D" pvblkback_rogue $RB_IMG-rogue.img && rb_wr || return 1
	echo "reads arriving with data: $(rb_sys stale_reads)"
	[ "$(rb_sys stale_reads)" -gt 0 ] && rb_detach
}
check "hostile back end: with trusted=1 its check counts reads arriving with earlier data (the check can fail)" rb_stale
rb_cleanup() {
	local rc=0
	xl destroy g4 || rc=1
	echo 1 > $RB_XBE/drivers_autoprobe || rc=1
	settle_after_destroy
	rmmod pvblkback_rogue && rmmod pvrogue || rc=1
	leak_check_settled rbback0 "$DOM" || rc=1
	return $rc
}
check "clean up g4: Xen's counts and pvsplit's resources at baseline" rb_cleanup
