# SPDX-License-Identifier: GPL-2.0-only
# plan: 11
# make bench-net: the stock pair (xen-netback/xen-netfront) and ours
# (pvnetback/pvnetfront) side by side in guest g1, each vif on a subnet of
# its own with no bridge (dom0 routes nothing: each test talks to the
# vif's own address), automatic binding off on both xenbus buses so that
# vif 0 binds the stock pair and vif 1 ours.  Each case runs BENCH_ROUNDS
# rounds, the order stock-ours-loopback and ours-stock-loopback
# alternating, so TCG's drift hits both alike; loopback is the same tool
# over the guest's own lo: no transport at all, the ceiling.  Xen's CPU
# accounting (xl vcpu-list) over each run gives CPU per MB (TCP), per
# packet (UDP) or per round trip (ping) in dom0 and in the guest.
# ratio: median over rounds of ours/stock (stock/ours for latency), so
# above 1 is better; overhead_ratio: median over rounds of what stock adds
# above the ceiling over what ours adds (time per unit of work: 1/rate
# for throughput, the latency itself for ping), as bench-blk defines it,
# so above 1 is better too (0: a pair at or past the ceiling).
RT=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-3}
NB_MAC0=00:16:3e:5b:00:00 NB_MAC1=00:16:3e:5b:00:01
# the rows; rr (ping, one in flight) gives rr-p50 and rr-p99
NB_CASES="tcp-g2d-1 tcp-g2d-4 tcp-d2g-1 tcp-d2g-4 udp64-g2d rr-p50 rr-p99"

nb_ip() {	# nb_ip WHO SIDE: dom0's or the guest's address on WHO's vif
	local n=10
	[ "$1" = ours ] && n=11
	[ "$2" = dom0 ] && echo 10.$n.0.1 || echo 10.$n.0.2
}

nb_load() {	# stock first, then ours; nothing binds by itself
	echo 0 > /sys/bus/xen-backend/drivers_autoprobe &&
		insmod /lib/modules/extra/xen-netback.ko &&
		insmod /pvsplit/pvnetback.ko &&
		guest "$DOM" "echo 0 > /sys/bus/xen/drivers_autoprobe && \
insmod /lib/modules/extra/xen-netfront.ko && insmod /pvsplit/pvnetfront.ko"
}

# nb_attach DEVID BACK FRONT WHO: vif DEVID bound to BACK and FRONT (xenbus
# driver names), addressed as WHO's subnet
nb_attach() {
	local id=$1 back=$2 front=$3 who=$4 mac vif=vif$DOM.$1 ifc
	mac=$NB_MAC0
	[ "$id" = 1 ] && mac=$NB_MAC1
	# the CLI waits for the netdev, which comes once BACK is bound
	pvsplit attach vif g1 --devid "$id" --mac "$mac" > /tmp/nb-attach.out 2>&1 &
	wait_until 10 test -e "/sys/bus/xen-backend/devices/vif-$DOM-$id" &&
		echo "vif-$DOM-$id" > "/sys/bus/xen-backend/drivers/$back/bind" || return 1
	wait || { cat /tmp/nb-attach.out; return 1; }
	ip addr add "$(nb_ip "$who" dom0)/24" dev "$vif" && ip link set "$vif" up &&
		wait_until 10 guest "$DOM" "test -e /sys/bus/xen/devices/vif-$id" &&
		guest "$DOM" "echo vif-$id > /sys/bus/xen/drivers/$front/bind" &&
		pvsplit wait vif g1 "$id" connected --timeout 60 || return 1
	ifc=$(guest "$DOM" "ls /sys/bus/xen/devices/vif-$id/net/")
	echo "vif $id: $back / $front, guest $ifc"
	guest "$DOM" "ip addr add $(nb_ip "$who" guest)/24 dev $ifc && ip link set $ifc up" &&
		wait_until 20 ping -c 1 -W 2 "$(nb_ip "$who" guest)"
}

nb_servers() {	# iperf3 servers that stay: dom0, and the guest's for loopback
	iperf3 -s -D && guest "$DOM" "ip link set lo up && iperf3 -s -D"
}

# mbits OUTPUT: the receiver's Mbit/s in iperf3's summary (the SUM with -P)
mbits() {
	awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1) }
		END { print v + 0 }' <<<"$1"
}

# p50 and p99 of sorted values in ms, printed in microseconds
NB_PCT='{ v[NR] = $1 } END { if (NR) { i = int(NR * 0.5 + 0.5); j = int(NR * 0.99 + 0.5); if (i < 1) i = 1; if (j < 1) j = 1; printf "%.0f %.0f\n", v[i] * 1000, v[j] * 1000 } }'
# nb_tool CASE ADDR: run CASE in the guest against ADDR; print its value
nb_tool() {
	local out
	# the agent answers in one xenstore value: only the summary comes back
	case $1 in
	tcp-g2d-1) out=$(guest "$DOM" "iperf3 -c $2 -t $RT -f m | tail -n 6" 60); mbits "$out" ;;
	tcp-g2d-4) out=$(guest "$DOM" "iperf3 -c $2 -t $RT -f m -P 4 | tail -n 6" 60); mbits "$out" ;;
	tcp-d2g-1) out=$(guest "$DOM" "iperf3 -c $2 -t $RT -f m -R | tail -n 6" 60); mbits "$out" ;;
	tcp-d2g-4) out=$(guest "$DOM" "iperf3 -c $2 -t $RT -f m -R -P 4 | tail -n 6" 60); mbits "$out" ;;
	udp64-g2d)
		# 64-byte datagrams as fast as the guest sends: packets per second
		out=$(guest "$DOM" "iperf3 -c $2 -t $RT -f m -u -b 0 -l 64 | tail -n 6" 60)
		awk -v m="$(mbits "$out")" 'BEGIN { printf "%.0f\n", m * 1e6 / (64 * 8) }' ;;
	rr)
		# one request in flight: each ping answered before the next
		# goes; the guest works out p50 and p99 in microseconds
		guest "$DOM" "ping -A -c 400 -s 56 $2 | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | \
sort -n | awk '$NB_PCT'" 60 ;;
	esac
}

# work done by one run of CASE at VALUE over RT seconds: MB, packets, trips
nb_work() {
	case $1 in
	tcp-*) awk -v v="$2" -v t="$RT" 'BEGIN { printf "%.3f\n", v * t / 8 }' ;;
	udp*) awk -v v="$2" -v t="$RT" 'BEGIN { printf "%.0f\n", v * t }' ;;
	rr*) echo 400 ;;
	esac
}

. "$dir/benchlib.sh"
RESF=/tmp/netbench.res BENCH_CEIL=loop
: > $RESF
# one WHO CASE: a run; rows "WHO CASE VALUE CPU-DOM0 CPU-GUEST" in $RESF,
# CPU in ms per unit of work (MB, packet, round trip)
one() {
	local addr d0 g0 d1 g1 v w
	case $1 in
	loop) addr=127.0.0.1 ;;
	*) addr=$(nb_ip "$1" dom0) ;;
	esac
	d0=$(vcpu_ms 0) g0=$(vcpu_ms "$DOM")
	v=$(nb_tool "$2" "$addr")
	d1=$(vcpu_ms 0) g1=$(vcpu_ms "$DOM")
	echo "# $1 $2: ${v:-failed}; cpu ms dom0 $((d1 - d0)) guest $((g1 - g0))" >&3
	[ -n "$v" ] || return 1
	if [ "$2" = rr ]; then	# two rows from the same pings
		nb_row "$1" rr-p50 "${v% *}" $((d1 - d0)) $((g1 - g0))
		nb_row "$1" rr-p99 "${v#* }" $((d1 - d0)) $((g1 - g0))
	else
		nb_row "$1" "$2" "$v" $((d1 - d0)) $((g1 - g0))
	fi
	[ "${v%%[. ]*}" -gt 0 ]
}
nb_row() {	# nb_row WHO CASE VALUE CPU-MS-DOM0 CPU-MS-GUEST
	bench_row "$@" "$(nb_work "$2" "$3")"
}
run_case() {	# run_case CASE: ROUNDS rounds, the pairs' order alternating
	local r
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then
			one stock "$1" && one ours "$1" && one loop "$1"
		else
			one loop "$1" && one ours "$1" && one stock "$1"
		fi || return 1
	done
}
nb_unit() {
	case $1 in tcp-*) echo Mbit/s ;; udp*) echo pkt/s ;; rr-*) echo us ;; esac
}
nb_cpu_unit() {
	case $1 in tcp-*) echo ms/MB ;; udp*) echo ms/pkt ;; rr-*) echo ms/trip ;; esac
}

check "both net pairs loaded, automatic binding off" nb_load
check "vif 0: xen-netback and xen-netfront (10.10.0.0/24)" nb_attach 0 vif vif stock
check "vif 1: pvnetback and pvnetfront (10.11.0.0/24)" nb_attach 1 pvnetback pvnetfront ours
check "iperf3 servers in dom0 and in the guest" nb_servers
for c in tcp-g2d-1 tcp-g2d-4 tcp-d2g-1 tcp-d2g-4 udp64-g2d rr; do
	check "$c: $ROUNDS rounds of stock, ours and the guest's loopback" run_case "$c"
done
nb_done() {
	pvsplit detach vif g1 0 --timeout 30 && pvsplit detach vif g1 1 --timeout 30 &&
		guest "$DOM" "kill \$(ps | awk '/[i]perf3/ { print \$1 }'); rmmod pvnetfront xen_netfront" ;
	kill $(ps -o pid,comm | awk '$2 == "iperf3" { print $1 }') 2>/dev/null
	rmmod pvnetback xen_netback &&
		echo 1 > /sys/bus/xen-backend/drivers_autoprobe &&
		guest "$DOM" "echo 1 > /sys/bus/xen/drivers_autoprobe"
}
check "detach both vifs, unload both pairs" nb_done

echo "# net bench (TCG; ${RT}s runs; both pairs side by side, $ROUNDS rounds each; medians)"
printf '# %-10s %-6s %9s %9s %9s %6s %6s %9s %9s %9s %9s\n' case unit stock ours ceiling \
	ratio ovh d0-stock d0-ours g-stock g-ours
for c in $NB_CASES; do
	s=$(bench_col stock "$c" 3) o=$(bench_col ours "$c" 3) l=$(bench_col loop "$c" 3)
	ra=$(bench_round "$c" ratio) ov=$(bench_round "$c" overhead)
	ds=$(bench_col stock "$c" 4) do=$(bench_col ours "$c" 4) gs=$(bench_col stock "$c" 5) go=$(bench_col ours "$c" 5)
	printf '# %-10s %-6s %9s %9s %9s %6s %6s %9.4g %9.4g %9.4g %9.4g   spread %s / %s\n' "$c" \
		"$(nb_unit "$c")" "$s" "$o" "$l" "$ra" "$ov" "$ds" "$do" "$gs" "$go" \
		"$(bench_spread stock "$c")" "$(bench_spread ours "$c")"
	json "{\"case\": \"$c\", \"unit\": \"$(nb_unit "$c")\", \"stock\": $s, \"ours\": $o, \"ceiling\": $l, \"ratio\": $ra, \"overhead_ratio\": $ov, \"cpu_unit\": \"$(nb_cpu_unit "$c")\", \"cpu_dom0_stock\": $ds, \"cpu_dom0_ours\": $do, \"cpu_guest_stock\": $gs, \"cpu_guest_ours\": $go, \"rounds\": $ROUNDS}"
done
