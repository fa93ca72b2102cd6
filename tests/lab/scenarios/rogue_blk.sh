# SPDX-License-Identifier: GPL-2.0-only
# plan: 39
# A hostile blkif front end (tests/rogue/pvblk_rogue.c) in guest g3 writes
# malformed requests into real rings served by pvblkback.  Requests that
# are merely unserviceable get error answers and the device stays up;
# malformed ones get an error answer and that one device is shut down;
# dom0 stays up and a good disk in the same guest keeps working.  Each
# case also checks the back end's counters: an unserviceable request
# moves err_req only, a malformed one bad_req.
lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
RIMG=/tmp/rogue.img
dd if=/dev/zero of=$RIMG bs=1M count=8 2>/dev/null
dd if=/dev/zero of=$RIMG-4k bs=1M count=8 2>/dev/null
leak_baseline rogueblk "$DOM"
DOM3=$(start_guest g3)
check "guest g3 boots" test -n "$DOM3"
check "g3: load the hostile blkif front end, then pvblkfront" \
	guest "$DOM3" "insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvrogue.ko && insmod /pvsplit/pvblk_rogue.ko && insmod /pvsplit/pvblkfront.ko || { dmesg | tail -n 8; false; }"
good_disk() { fio_verify_run "$DOM3" xvdb 4k randwrite --iodepth=8 --size=2m; }
rattach() {	# rattach VDEV-NUMBER [IMAGE [ATTACH OPTIONS]]
	local v=$1 img=${2:-$RIMG}
	shift $(($# < 2 ? $# : 2))
	pvsplit attach vbd "$DOM3" "$v" "$img" "$@" >/dev/null &&
		pvsplit wait vbd "$DOM3" "$v" connected --timeout 30
}
check "g3: a good disk (xvdb, pvblkfront)" sh -c "pvsplit attach vbd $DOM3 xvdb $IMG-b.img &&
	pvsplit wait vbd $DOM3 xvdb connected --timeout 30"
check "g3: good disk passes fio verify" good_disk
RV=$(vdev xvdi)	# bound by the hostile front end; xvdj.. for the fatal cases
check "g3: attach the hostile front end's disk" rattach $RV
rcase() { inject_case "$DOM3" "vbd-$1" "$2" "$3"; }	# rcase VDEV CASE WANT
rstate() { xenstore-read "/local/domain/0/backend/vbd/$DOM3/$1/state"; }
bstat() { cat "/sys/bus/xen-backend/devices/vbd-$DOM3-$1/statistics/$2"; }	# bstat VDEV NAME
# ncase VDEV CASE WANT: answered WANT; an error moves err_req by one, a
# success leaves it; nothing moves bad_req (the request was not malformed)
ncase() {
	local e0 b0 e1 b1 de=1
	[ "$3" = 0 ] && de=0
	e0=$(bstat "$1" err_req) && b0=$(bstat "$1" bad_req) || return 1
	rcase "$1" "$2" "$3" || return 1
	e1=$(bstat "$1" err_req); b1=$(bstat "$1" bad_req)
	echo "err_req $e0 -> $e1 (want +$de), bad_req $b0 -> $b1 (want +0)"
	[ "$e1" = $((e0 + de)) ] && [ "$b1" = "$b0" ]
}
check "rogue: a well-formed read is answered" ncase $RV good 0
check "rogue: unknown operation gets EOPNOTSUPP, err_req +1" ncase $RV badop -2
check "rogue: reserved operation 4 gets EOPNOTSUPP, err_req +1" ncase $RV reservedop -2
check "rogue: sector past the end gets an error, err_req +1" ncase $RV pastend -1
check "rogue: sector that wraps around gets an error, err_req +1" ncase $RV wrapsector -1
check "rogue: invalid grant reference gets an error, err_req +1" ncase $RV badgref -1
check "rogue: grant for another domain gets an error, err_req +1" ncase $RV foreigngref -1
check "rogue: read into a read-only grant gets an error, err_req +1" ncase $RV rogrant -1
check "rogue: discard past the end gets an error, err_req +1" ncase $RV discardpastend -1
check "rogue: secure discard (not offered) gets EOPNOTSUPP, err_req +1" ncase $RV securediscard -2
check "rogue: invalid indirect page reference gets an error, err_req +1" ncase $RV badindgref -1

# barrier: 8 reads of 44 KiB, then a barrier write, in one batch; the back
# end must wait for the reads (drains +1) and answer the barrier last
barrier_last() {
	local d0 f0 e0 d1 f1 e1 msg
	d0=$(bstat $RV drains) && f0=$(bstat $RV f_req) && e0=$(bstat $RV err_req) || return 1
	rcase $RV barrier 0 || { guest "$DOM3" "dmesg | grep 'barrier:' | tail -n 1"; return 1; }
	d1=$(bstat $RV drains); f1=$(bstat $RV f_req); e1=$(bstat $RV err_req)
	msg="drains $d0 -> $d1, f_req $f0 -> $f1, err_req $e0 -> $e1"
	echo "$msg"
	echo "# barrier: $msg" >&3
	[ "$d1" = $((d0 + 1)) ] && [ "$f1" = $((f0 + 1)) ] && [ "$e1" = "$e0" ]
}
check "rogue: a barrier behind 8 reads waits for them (drains +1) and is answered last" barrier_last

# refill: for 25 s (longer than the soft-lockup threshold) g3 puts a new
# unknown operation in each slot as soon as its answer is in.  dom0 has
# one vCPU: a worker that never yields would stop the ticker below (and
# everything else) for the whole time.  Every request is answered
# (err_req moves by exactly the number sent), the worker gave up the CPU
# between passes (yields moves), the ticker never stalled, no lockup.
refill_fair() {
	local e0 b0 y0 e1 b1 y1 sent gap tp msg
	e0=$(bstat $RV err_req) && b0=$(bstat $RV bad_req) && y0=$(bstat $RV yields) || return 1
	( for i in $(seq 240); do read -r up _ < /proc/uptime; echo "$up"; sleep 0.25; done ) > /tmp/rogue-ticks &
	tp=$!
	rcase $RV refill -2
	kill $tp 2>/dev/null; wait $tp 2>/dev/null
	e1=$(bstat $RV err_req); b1=$(bstat $RV bad_req); y1=$(bstat $RV yields)
	guest "$DOM3" "dmesg | grep 'refill: sent' | tail -n 1"
	sent=$(guest "$DOM3" "dmesg | grep 'refill: sent' | tail -n 1" | sed -n 's/.*refill: sent \([0-9]*\) answered \1 .*/\1/p')
	gap=$(awk 'NR > 1 { g = $1 - p; if (g > m) m = g } { p = $1 } END { printf "%.1f", m }' /tmp/rogue-ticks)
	# on the console too: the figures are worth keeping when it passes
	msg="sent/answered ${sent:-?}; err_req $e0 -> $e1, bad_req $b0 -> $b1, yields $y0 -> $y1; dom0 ticker's longest gap ${gap}s"
	echo "$msg"
	echo "# refill: $msg" >&3
	dmesg | grep -E 'soft lockup|rcu.*stall' && return 1
	[ -n "$sent" ] && [ "$sent" -gt 1000 ] && [ "$e1" = $((e0 + sent)) ] && [ "$b1" = "$b0" ] &&
		[ "$y1" -gt "$y0" ] && awk -v g="$gap" 'BEGIN { exit !(g < 5) }'
}
check "rogue: a ring refilled as fast as it drains for 25 s: all answered, the worker yields, dom0 keeps running" refill_fair

# events without requests: lateeoi throttles them; nothing is counted as
# a failed or malformed request, the spurious wake-ups are
ring_stat() { awk -v k="$2" '$1 == k { print $2 }' "/sys/kernel/debug/pvsplit/pvblkback-$DOM3-$1/ring0/ring"; }
ev_flood() {
	local e0 b0 s0 e1 b1 s1
	e0=$(bstat $RV err_req) && b0=$(bstat $RV bad_req) && s0=$(ring_stat $RV spurious) || return 1
	guest "$DOM3" "echo flood > /sys/bus/xen/devices/vbd-$RV/inject" || return 1
	xenstore-read /local/domain/0/name >/dev/null || return 1
	rcase $RV good 0 || return 1
	e1=$(bstat $RV err_req); b1=$(bstat $RV bad_req); s1=$(ring_stat $RV spurious)
	echo "err_req $e0 -> $e1, bad_req $b0 -> $b1, spurious wake-ups $s0 -> $s1"
	[ "$e1" = "$e0" ] && [ "$b1" = "$b0" ] && [ "$s1" -gt "$s0" ]
}
check "rogue: 100000 events without requests: dom0 and the device answer, err_req/bad_req unchanged" ev_flood
check "rogue: the device still serves after all that" ncase $RV good 0
check "rogue: the device is still connected" test "$(rstate $RV)" = 4

RO=$(vdev xvdq)
check "rogue: attach a read-only disk (xvdq, mode r)" rattach $RO "$RIMG" --mode r
ro_write() {
	local sum
	sum=$(md5sum < "$RIMG")
	ncase $RO write -1 && [ "$(md5sum < "$RIMG")" = "$sum" ]
}
check "rogue: a write to the read-only disk gets an error, err_req +1, disk unchanged" ro_write
ro_read() { ncase $RO good 0 && [ "$(rstate $RO)" = 4 ]; }
check "rogue: the read-only disk still serves reads, still connected" ro_read
pvsplit detach vbd "$DOM3" $RO --force

# fatal_case VDEV CASE [ATTACH OPTIONS]: answered with an error, bad_req
# +1, device shut down
fatal_case() {
	local v=$1 c=$2 b0 b1; shift 2
	rattach $v "$RIMG" "$@" || return 1
	b0=$(bstat $v bad_req) || return 1
	rcase $v "$c" -1 || return 1
	wait_until 20 be_closing "/local/domain/0/backend/vbd/$DOM3/$v" || return 1
	dmesg | grep -q "vbd-$DOM3-$v: .*disconnecting" || return 1
	b1=$(bstat $v bad_req)
	echo "bad_req $b0 -> $b1 (want +1)"
	[ "$b1" = $((b0 + 1)) ] || return 1
	pvsplit detach vbd "$DOM3" $v --force
}
n=1
for c in zerosegs toomanysegs firstgtlast pastpage indzero indtoomany indgarbage; do
	check "rogue: malformed request ($c): error answer, bad_req +1, that device shut down" \
		fatal_case $((RV + 16 * n)) $c
	n=$((n + 1))
done
# 4096-byte sectors: two segments of 4 sectors make one whole block in
# total, but the bio would have to be cut inside it
S4K=$(vdev xvdr)
good_4k() {
	local v
	v=$(vdev xvds)
	rattach $v "$RIMG-4k" --sector-size 4096 && ncase $v good 0 &&
		pvsplit detach vbd "$DOM3" $v --force
}
check "rogue: 4096-byte-sector disk: an aligned one-page read is answered" good_4k
fatal_4k() { RIMG=$RIMG-4k fatal_case $S4K splitblock --sector-size 4096; }
check "rogue: 4096-byte sectors, segments of 4+4 sectors: error answer, bad_req +1, device shut down" fatal_4k
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
