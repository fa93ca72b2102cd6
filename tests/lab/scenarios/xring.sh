# SPDX-License-Identifier: GPL-2.0-only
# plan: 14
# make bench-xring: pvbench against libxenvchan, the library people use
# today to move messages between dom0 and a guest, in the same boot.
# Both run request/response from the guest to dom0 at the same sizes and
# depths: 64-byte messages with 1 and 32 in flight, and 4 KiB answers
# (a 64-byte request, a 4 KiB payload back, as a pvbench READ) with 16 in
# flight.  vchan: tests/bench/vchan_bench.c, the guest end the vchan
# server (it grants the rings), dom0's end answering.  ours: pvsplit
# bench, batch 1 (each request published on its own, as each vchan send
# is) and batch 16; payloads by grant map and, batch 1, by grant copy;
# batch 1 once more with pvbenchback's spin for the next request turned
# off (poll_max_us 0; ours_nopoll).  Three rounds, the cases interleaved;
# one JSON row per case: {case, unit, vchan, ours, ratio} with medians
# over rounds, ratio = median over rounds of ours/vchan, and spreads.
POLL_PARAM=/sys/module/pvbenchback/parameters/poll_max_us
XRING_DAT=/tmp/xring.dat
XRING_MS=2000
: > "$XRING_DAT"
check "attach pvbench" pvsplit attach pvbench g1 --devid 0
check "connected" pvsplit wait pvbench g1 0 connected --timeout 30
check "guest: grant allocation device for the vchan server" \
	guest "$DOM" "test -c /dev/xen/gntalloc"

# xring_rps CMD...: run in the guest, print its req_per_s
xring_guest_rps() {
	local out
	out=$(guest "$DOM" "$1" 120) || { echo "$out" >&2; return 1; }
	echo "$out" | sed 's/^/# /' >&3
	echo "$out" | sed -n 's/.*"req_per_s": \([0-9.]*\).*/\1/p' | grep .
}

# xring_round ROUND NAME RSP QD PAYLOAD: one round of one case, both peers
xring_round() {
	local round=$1 name=$2 rsp=$3 qd=$4 payload=$5 path pid v o o16 oc on pm
	path=/local/domain/$DOM/data/vchanbench-$round-$qd-$rsp
	timeout 120 /pvsplit/vchan_bench echo --peer "$DOM" --path "$path" \
		--req 64 --rsp "$rsp" 2>/tmp/vchan-echo.log &
	pid=$!
	v=$(xring_guest_rps "/pvsplit/vchan_bench request --peer 0 --path $path --req 64 --rsp $rsp --qd $qd --duration $XRING_MS --json")
	wait "$pid" || { cat /tmp/vchan-echo.log; return 1; }
	[ -n "$v" ] || return 1
	o=$(xring_guest_rps "pvsplit bench --devid 0 --json --duration $XRING_MS --qd $qd --batch 1 --payload $payload --op read") || return 1
	o16=$o
	if [ "$qd" -ge 16 ]; then
		o16=$(xring_guest_rps "pvsplit bench --devid 0 --json --duration $XRING_MS --qd $qd --batch 16 --payload $payload --op read") || return 1
	fi
	# payloads: also by grant copy (one hypercall a request, no map/unmap)
	oc=$o
	if [ "$payload" -gt 0 ]; then
		oc=$(xring_guest_rps "pvsplit bench --devid 0 --json --duration $XRING_MS --qd $qd --batch 1 --payload $payload --op read --xfer copy") || return 1
	fi
	# the back end not spinning for the next request
	pm=$(cat $POLL_PARAM) && echo 0 > $POLL_PARAM || return 1
	on=$(xring_guest_rps "pvsplit bench --devid 0 --json --duration $XRING_MS --qd $qd --batch 1 --payload $payload --op read")
	echo "$pm" > $POLL_PARAM
	[ -n "$on" ] || return 1
	echo "$name|$v|$o|$o16|$oc|$on" >> "$XRING_DAT"
	echo "$name: vchan $v ours $o (batch 16: $o16, grant copy: $oc, no spin: $on) req/s"
	echo "# pvbenchback totals: $(cd /sys/kernel/debug/pvsplit/pvbenchback-$DOM-0 && grep . poll_* | tr '\n' ' ')" >&3
}

for round in 1 2 3; do
	check "xring round $round: 64 B, 1 in flight" \
		xring_round "$round" "64 B request/response, 1 in flight" 64 1 0
	check "xring round $round: 64 B, 32 in flight" \
		xring_round "$round" "64 B request/response, 32 in flight" 64 32 0
	check "xring round $round: 4 KiB, 16 in flight" \
		xring_round "$round" "64 B request, 4 KiB response, 16 in flight" 4160 16 4096
done

# med3 A B C: the middle one of three numbers
med3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

# medians over rounds (dom0 has no python: awk and sort), every case with
# all three rounds
xring_rows() {
	local name n v o o16 oc on r r16 rc rn row
	for name in "64 B request/response, 1 in flight" \
		    "64 B request/response, 32 in flight" \
		    "64 B request, 4 KiB response, 16 in flight"; do
		n=$(grep -c "^$name|" "$XRING_DAT")
		[ "$n" = 3 ] || { echo "$name: $n rounds"; return 1; }
		col() { grep "^$name|" "$XRING_DAT" | cut -d'|' -f"$1"; }
		# per-round ratios ours/vchan and ours (batch 16)/vchan
		r=$(grep "^$name|" "$XRING_DAT" | awk -F'|' '{ printf "%.3f\n", $3 / $2 }')
		r16=$(grep "^$name|" "$XRING_DAT" | awk -F'|' '{ printf "%.3f\n", $4 / $2 }')
		rc=$(grep "^$name|" "$XRING_DAT" | awk -F'|' '{ printf "%.3f\n", $5 / $2 }')
		rn=$(grep "^$name|" "$XRING_DAT" | awk -F'|' '{ printf "%.3f\n", $6 / $2 }')
		v=$(med3 $(col 2)); o=$(med3 $(col 3)); o16=$(med3 $(col 4))
		oc=$(med3 $(col 5)); on=$(med3 $(col 6))
		row=$(printf '{"case": "%s", "unit": "req/s", "vchan": %.0f, "ours": %.0f, "ratio": %s, "ratio_min": %s, "ratio_max": %s, "ours_batch16": %.0f, "ratio_batch16": %s, "ours_copy": %.0f, "ratio_copy": %s, "ours_nopoll": %.0f, "ratio_nopoll": %s, "rounds": 3, "seconds_per_run": %s}' \
			"$name" "$v" "$o" "$(med3 $r)" \
			"$(printf '%s\n' $r | sort -g | head -n 1)" \
			"$(printf '%s\n' $r | sort -g | tail -n 1)" \
			"$o16" "$(med3 $r16)" "$oc" "$(med3 $rc)" "$on" "$(med3 $rn)" \
			"$((XRING_MS / 1000))")
		json "$row"
		echo "$row"
	done
}
check "xring: medians of 3 rounds for 3 cases" xring_rows
check "detach" pvsplit detach pvbench g1 0
