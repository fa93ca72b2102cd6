# SPDX-License-Identifier: GPL-2.0-only
# plan: 12
# Benchmark runs on device 0 (attached by cli.sh): every request answered
# exactly once, payloads intact both ways, both transfer modes.
bench_ok() {	# bench_ok ARGS: run, then check the counts in the JSON line
	local out n
	out=$(guest "$DOM" "pvsplit bench --devid 0 --json $*") || { echo "$out"; return 1; }
	echo "$out"
	n=$(echo "$out" | sed -n 's/.*"requests": \([0-9]*\).*/\1/p')
	[ "$n" = 3000 ] && echo "$out" | grep -q '"errors": 0, "bad_csum": 0'
}
check "bench: no-op requests, QD 32 batch 16" bench_ok --count 3000 --qd 32 --batch 16 --payload 0
check "bench: QD 1 batch 1" bench_ok --count 3000 --qd 1 --batch 1 --payload 0
check "bench: 4 KiB reads by grant map, verified" bench_ok --count 3000 --qd 16 --batch 8 --payload 4096 --op read --verify
check "bench: 4 KiB writes by grant map, verified" bench_ok --count 3000 --qd 16 --batch 8 --payload 4096 --op write --verify
check "bench: 44 KiB reads by grant copy, verified" bench_ok --count 3000 --qd 8 --batch 4 --payload 45056 --op read --xfer copy --verify
check "bench: 6000-byte writes by grant copy, verified" bench_ok --count 3000 --qd 8 --batch 8 --payload 6000 --op write --xfer copy --verify
check "bench: polling mode" bench_ok --count 3000 --qd 32 --batch 16 --payload 0 --poll
ring_counts_add_up() {
	local be fe
	be=/sys/kernel/debug/pvsplit/pvbenchback-$DOM-0/ring
	fe=$(guest "$DOM" "cat /sys/kernel/debug/pvsplit/pvbench-0/ring") || return 1
	cat "$be"
	echo "front: $fe"
	val() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
	# requests the front published = requests the back consumed = responses
	# the back published = responses the front consumed, and no errors
	local fp bc bp fc
	fp=$(val "$fe" produced); fc=$(val "$fe" consumed)
	bp=$(val "$(cat "$be")" produced); bc=$(val "$(cat "$be")" consumed)
	echo "front produced $fp consumed $fc; back consumed $bc produced $bp"
	[ "$fp" -ge 21000 ] && [ "$fp" = "$bc" ] && [ "$bc" = "$bp" ] && [ "$bp" = "$fc" ] &&
		[ "$(val "$(cat "$be")" protocol_errors)" = 0 ] &&
		[ "$(val "$fe" protocol_errors)" = 0 ]
}
check "every request answered exactly once (ring counters of both ends)" ring_counts_add_up
# pvbenchback's spin for the next request (pvpoll.h, pvsplit_ring_poll()):
# its counters hang together, a batched run spins and finds requests, and
# poll_max_us 0 turns it off.  The policy itself (window, credit, back-off)
# is unit-tested (tests/unit/pvpoll_test.c).
BENCH_DBG=/sys/kernel/debug/pvsplit/pvbenchback-$DOM-0
bench_spins() { cat $BENCH_DBG/poll_hit $BENCH_DBG/poll_miss $BENCH_DBG/poll_backoff | tr '\n' ' '; }
# spins_moved ON|OFF: a batched run with poll_max_us as it is (spins find
# requests: poll_hit moves) or 0 (no spin counter moves)
spins_moved() {
	local p=/sys/module/pvbenchback/parameters/poll_max_us old a b rc=0
	old=$(cat $p) || return 1
	[ "$1" = OFF ] && { echo 0 > $p || return 1; }
	a=$(bench_spins)
	bench_ok --count 3000 --qd 32 --batch 16 --payload 0 >/dev/null || rc=1
	b=$(bench_spins)
	echo "$old" > $p
	echo "poll_max_us $old, $1: poll_hit poll_miss poll_backoff before: $a after: $b"
	[ $rc = 0 ] && [ "$(echo $a | wc -w)" = 3 ] && [ "$(echo $b | wc -w)" = 3 ] || return 1
	if [ "$1" = OFF ]; then
		[ "$a" = "$b" ]
	else
		[ "${b%% *}" -gt "${a%% *}" ]
	fi
}
check "back end spins for batches of requests and finds them (poll_hit moves)" spins_moved ON
check "back end: poll_max_us 0 turns the spin off (no spin counter moves)" spins_moved OFF
spin_counts_consistent() {
	local s
	s=$(bench_spins) || return 1
	echo "poll_hit poll_miss poll_backoff: $s"
	set -- $s
	[ $# = 3 ] && [ "$3" -le $(($2 * 64)) ]
}
check "back end: spin counters consistent (chances passed up <= 64 x missed spins)" spin_counts_consistent
bad_params_refused() {
	local out
	out=$(guest "$DOM" "pvsplit bench --devid 0 --payload 99999")
	[ $? = 1 ] && echo "$out" | grep -q "Numerical result out of range" || return 1
	out=$(guest "$DOM" "pvsplit bench --devid 0 --op erase")
	[ $? = 2 ] && echo "$out" | grep -q "read, write or nop" || return 1
	out=$(guest "$DOM" "pvsplit bench --devid 0 --payload 8192 --xfer copy --qd 0")
	[ $? = 1 ] && echo "$out" | grep -q "qd" || return 1
}
check "bench: bad parameters are refused with a reason" bad_params_refused
