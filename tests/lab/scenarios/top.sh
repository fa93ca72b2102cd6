# SPDX-License-Identifier: GPL-2.0-only
# plan: 13
# pvsplit top and pvsplit stats while fio runs on a pvblk disk: in dom0
# (the back end) and in the guest (the front end) the figures move between
# two samples, the JSON parses (jq), the Prometheus text passes a strict
# checker (promcheck.awk; Debian 12's promtool comes only with the whole
# prometheus package), and top in an 80- and a 40-column tmux window
# shows its columns, captured with tmux capture-pane.  A few seconds.
TOP_DISK=xvdb
TOP_N=$(vdev $TOP_DISK)
PROMCHECK="awk -f /pvsplit/promcheck.awk"

lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
guest "$DOM" "lsmod | grep -q '^pvblkfront' || insmod /pvsplit/pvblkfront.ko" >/dev/null
# top_start: the disk attached, fio on it in the background in the guest
# (stopped by top_done), running
top_start() {
	attach_vbd $TOP_DISK $IMG-b.img || return 1
	guest "$DOM" "fio --name=top --filename=/dev/$TOP_DISK --direct=1 --ioengine=libaio \
--rw=randrw --bs=4k --iodepth=16 --time_based --runtime=120 --output=/tmp/top-fio.out \
>/dev/null 2>&1 </dev/null & echo \$! > /tmp/top-fio.pid; sleep 2; kill -0 \$(cat /tmp/top-fio.pid)"
}
check "top: attach $TOP_DISK, fio keeps it busy in the guest" top_start

# top_field OUTPUT NAME END COLUMN: column COLUMN (awk field) of the row
# of device NAME at END (its first row) in top's full-width output
top_field() {
	awk -v n="$2" -v e="$3" -v c="$4" '$1 == n && $2 == e { print $c; exit }' <<<"$1"
}

# a rate moved: not 0.0, not "-" (k and M suffixes count as moved)
moved() { [ -n "$1" ] && [ "$1" != 0.0 ] && [ "$1" != - ]; }

top_back_moves() {
	local out r
	out=$(pvsplit top --once -d 1 --width 0) || return 1
	printf '%s\n' "$out" | sed 's/^/# dom0 top --once: /' >&3
	r=$(top_field "$out" vbd-$TOP_N back 5)
	moved "$r" || { echo "REQ/S of vbd-$TOP_N is '$r'"; return 1; }
	# its ring row follows it, with its own rate and latency
	awk -v n="vbd-$TOP_N" '$1 == n && $2 == "back" { getline; print; exit }' <<<"$out" |
		awk '$1 == "ring0" && $2 != "0.0" && $7 ~ /s$/ { ok = 1 } END { exit !ok }'
}
check "top --once in dom0: the back end and its ring show requests/s and p99" top_back_moves

top_front_moves() {
	local out r
	out=$(guest "$DOM" "pvsplit top --once -d 1 --width 0") || return 1
	printf '%s\n' "$out" | sed 's/^/# guest top --once: /' >&3
	r=$(top_field "$out" vbd-$TOP_N front 5)
	moved "$r" || { echo "REQ/S of the front end is '$r'"; return 1; }
	r=$(top_field "$out" vbd-$TOP_N front 6)
	moved "$r" || { echo "MB/S of the front end is '$r'"; return 1; }
}
check "top --once in the guest: the front end shows requests/s and MB/s" top_front_moves

# json_moves WHERE DRIVER: two stats --json samples a second apart, run
# by WHERE ("dom0" or the guest), parse with jq, and the device's
# requests, bytes, its ring's requests and latency count grew
json_moves() {
	local a b q i
	q=".devices[] | select(.driver == \"$2\" and .device == \"vbd-$TOP_N\") |
		[.requests, .bytes, .rings[0].requests, .rings[0].latency.count, .state] | @tsv"
	if [ "$1" = dom0 ]; then
		a=$(pvsplit stats --json) && sleep 1 && b=$(pvsplit stats --json) || return 1
	else
		a=$(guest "$DOM" "pvsplit stats --json") && sleep 1 &&
			b=$(guest "$DOM" "pvsplit stats --json") || return 1
	fi
	a=$(jq -er "$q" <<<"$a") && b=$(jq -er "$q" <<<"$b") || {
		echo "not JSON, or no $2 vbd-$TOP_N:"; printf '%s\n' "$b" | head -c 1500; return 1; }
	{ echo "$1 $2: requests bytes ring0.requests ring0.latency.count state"
	  echo "before: $a"
	  echo "after:  $b"; } | sed 's/^/# /' >&3
	for i in 1 2 3 4; do
		[ "$(cut -f$i <<<"$b")" -gt "$(cut -f$i <<<"$a")" ] ||
			{ echo "field $i did not grow"; return 1; }
	done
	[ "$(cut -f5 <<<"$b")" = connected ]
}
check "stats --json in dom0: parses, the back end's counters grow" json_moves dom0 pvblkback
check "stats --json in the guest: parses, the front end's counters grow" json_moves guest pvblkfront

# prom_value TEXT METRIC END: the vbd's sample of METRIC at END
prom_value() {
	grep -E "^$2\{[^}]*device=\"vbd-$TOP_N\",end=\"$3\"" <<<"$1" | head -n 1 | awk '{ print $NF }'
}

prom_back() {
	local a b
	a=$(pvsplit stats --prometheus) || return 1
	$PROMCHECK <<<"$a" || return 1
	sleep 1
	b=$(pvsplit stats --prometheus) || return 1
	grep -E "device=\"vbd-$TOP_N\"" <<<"$b" | head -n 12
	echo "pvsplit_device_requests_total: $(prom_value "$a" pvsplit_device_requests_total back) -> $(prom_value "$b" pvsplit_device_requests_total back)"
	[ "$(prom_value "$b" pvsplit_device_requests_total back)" -gt \
	  "$(prom_value "$a" pvsplit_device_requests_total back)" ] &&
		[ "$(prom_value "$b" pvsplit_device_up back)" = 1 ] &&
		grep -qE "^pvsplit_ring_latency_seconds\{.*device=\"vbd-$TOP_N\".*ring=\"0\",quantile=\"0.99\"\} 0\.[0-9]*[1-9]" <<<"$b"
}
check "stats --prometheus in dom0: passes the checker, requests_total grows, p99 > 0" prom_back

# the guest checks its own text (the agent brings back 3000 bytes at most)
check "stats --prometheus in the guest: passes the checker" \
	guest "$DOM" "pvsplit stats --prometheus > /tmp/prom.txt && grep -c '^pvsplit_ring_.*end=\"front\"' /tmp/prom.txt && \
awk -f /pvsplit/promcheck.awk /tmp/prom.txt"

# what a checker that passes everything would miss: each of these is
# refused (no TYPE, a counter not named _total, a bad escape, the same
# series twice, a family split in two, a summary without quantile)
prom_rejects_bad() {
	local t n=0
	for t in 'pvsplit_x_total{a="1"} 1' \
		 '# TYPE pvsplit_x counter\npvsplit_x 1' \
		 '# TYPE pvsplit_x_total counter\npvsplit_x_total{a="\\q"} 1' \
		 '# TYPE pvsplit_x_total counter\npvsplit_x_total{a="1"} 1\npvsplit_x_total{a="1"} 2' \
		 '# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x="1"} 2' \
		 '# TYPE s summary\ns{a="1"} 1'; do
		if printf "$t\n" | $PROMCHECK; then
			echo "accepted: $t"
			return 1
		fi
		n=$((n + 1))
	done
	echo "$n bad inputs refused"
}
check "promcheck refuses known-bad exposition text" prom_rejects_bad

# tmux_top COLS: pvsplit top live in a COLS x 20 tmux window; prints the
# screen after two refreshes
tmux_top() {
	local s=/tmp/tmux-top.sock out
	tmux -S $s kill-server 2>/dev/null
	tmux -S $s new-session -d -x "$1" -y 20 "pvsplit top -d 1" || return 1
	sleep 3
	out=$(tmux -S $s capture-pane -p)
	tmux -S $s kill-server
	printf '%s\n' "$out"
}

tmux_columns() {
	local out
	out=$(tmux_top 80) || return 1
	printf '%s\n' "$out" | sed 's/^/# tmux 80x20: /' >&3
	grep -qE '^DEVICE +END +DOM +STATE +REQ/S +MB/S +BATCH +P50 +P99 +ERR$' <<<"$out" &&
		grep -qE "^vbd-$TOP_N +back +$DOM +connected +[0-9.]+[kM]? " <<<"$out" &&
		grep -qE '^  ring0 ' <<<"$out"
}
check "tmux capture-pane: top in 80 columns shows its columns and the disk" tmux_columns

tmux_narrow() {
	local out
	out=$(tmux_top 40) || return 1
	printf '%s\n' "$out" | sed 's/^/# tmux 40x20: /' >&3
	# columns dropped, none wrapped: every row still starts with a name
	grep -qE '^DEVICE +REQ/S' <<<"$out" && ! grep -q 'NTF/REQ' <<<"$out" &&
		grep -qE "^vbd-$TOP_N +[0-9.]+[kM]? " <<<"$out" &&
		! awk 'length($0) > 40 { exit 0 } END { exit 1 }' <<<"$out"
}
check "tmux capture-pane: top in 40 columns drops columns, no row wraps" tmux_narrow

# a pvbench device too: one ring at each end with no ring subdirectory in
# debugfs (pvbenchback-D-N/ring, pvbench-N/ring); a run of 2000 requests
# shows at both ends in stats --json
top_pvbench() {
	local a b
	attach_pvbench "$DOM" 5 || return 1
	guest "$DOM" "pvsplit bench --devid 5 --count 2000 --qd 8 >/dev/null" || return 1
	a=$(pvsplit stats --json | jq -er '.devices[] | select(.driver == "pvbenchback" and .devid == 5) |
		[.rings[0].requests, .state] | @tsv') &&
	b=$(guest "$DOM" "pvsplit stats --json" | jq -er '.devices[] |
		select(.driver == "pvbenchfront" and .devid == 5) |
		[.rings[0].requests, .rings[0].latency.count, .state] | @tsv') || return 1
	echo "back: ring0.requests state: $a; front: ring0.requests ring0.latency.count state: $b"
	pvsplit detach pvbench "$DOM" 5 --timeout 30 || return 1
	[ "$(cut -f1 <<<"$a")" -ge 2000 ] && [ "$(cut -f2 <<<"$a")" = connected ] &&
		[ "$(cut -f1 <<<"$b")" -ge 2000 ] && [ "$(cut -f2 <<<"$b")" -ge 2000 ] &&
		[ "$(cut -f3 <<<"$b")" = connected ]
}
check "stats --json: a pvbench device's one ring at both ends counts a 2000-request run" top_pvbench

# with fio stopped the same rows read idle: what the cases above saw moving
# was fio's I/O
top_idle() {
	local out r
	guest "$DOM" "kill \$(cat /tmp/top-fio.pid); sleep 1; grep -E 'err=' /tmp/top-fio.out | head -2" || return 1
	out=$(pvsplit top --once -d 1 --width 0) || return 1
	printf '%s\n' "$out" | sed 's/^/# dom0 top --once, idle: /' >&3
	r=$(top_field "$out" vbd-$TOP_N back 5)
	[ "$r" = 0.0 ] || { echo "REQ/S of the idle disk is '$r'"; return 1; }
}
check "top: with fio stopped, the disk's requests/s reads 0.0" top_idle
check "top: $TOP_DISK detached" pvsplit detach vbd "$DOM" "$TOP_N" --timeout 30
