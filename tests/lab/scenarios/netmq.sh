# SPDX-License-Identifier: GPL-2.0-only
# plan: 23
# pvnetfront with pvnetback in a guest of 2 vCPUs created with a vif= line
# (xl create, Xen's vif-bridge): two queues negotiated, flows on both,
# ethtool -S/-L/-K, MTU 9000, ICMP from 1 byte to 64 KiB, UDP, the rate
# key across both queues, xl save/restore and xl migrate to localhost
# with a TCP stream running, and xl destroy under traffic.
. "$dir/netlib.sh"
NM_MAC=00:16:3e:5a:00:06
NM_IP=169.254.10.6
NM_BR=$NET_BR

nm_dom0() {
	net_bridge || return 1
	if grep -q '^pvnetback ' /proc/modules; then
		echo 2 > /sys/module/pvnetback/parameters/max_queues
	else
		insmod /pvsplit/pvnetback.ko max_queues=2
	fi
}
check "net mq: dom0: bridge up, pvnetback offering 2 queues" nm_dom0

# dom0's share, compared once g6 is gone: pvsplit's resources and Xen's
# event channels of dom0
nm_dom0_counts() {
	resources | grep -v '^grants_deferred '
	echo "xen-evtchns-d0 $(xen_evtchns 0)"
}
nm_dom0_counts > /tmp/nm-base
nm_warns() { dmesg | grep -cE "$KERNEL_REPORT"; }
NM_WARNS=$(nm_warns)
DOM6=$(GUEST_VCPUS=2 GUEST_MEM=384 \
	GUEST_CFG="vif = [ 'bridge=$NM_BR,mac=$NM_MAC' ]" start_guest g6)
NM_VIF=vif$DOM6.0
nm_created() {
	[ -n "$DOM6" ] || return 1
	echo "g6 is domain $DOM6, vCPUs $(xl list g6 | awk 'NR == 2 { print $4 }')"
	readlink /sys/class/net/$NM_VIF/device/driver | grep -q '/pvnetback$' &&
		[ -e /sys/class/net/$NM_BR/brif/$NM_VIF ]
}
check "net mq: xl create g6 (2 vCPUs) with a vif= line: $NM_VIF served by pvnetback, on $NM_BR" nm_created

# nm_up: pvnetfront's eth0 up with g6's address
nm_up() {
	guest "$DOM6" "grep -q '^pvnetfront ' /proc/modules || { insmod /pvsplit/pvsplit_common.ko; \
insmod /pvsplit/pvnetfront.ko; }; for i in \$(seq 100); do [ -e /sys/class/net/eth0 ] && break; \
sleep 0.1; done; ip link set eth0 up && ip addr replace $NM_IP/24 dev eth0" &&
		wait_until 30 guest "$DOM6" "test \$(cat /sys/class/net/eth0/carrier) = 1" &&
		ping -c 2 -W 5 $NM_IP > /dev/null
}
# nm_queues N: N queues at both ends: the key, ethtool -l, the back end's
# queue directories
nm_queues() {
	local fe=/local/domain/$DOM6/device/vif/0 k l b
	k=$(xenstore-read $fe/multi-queue-num-queues 2>/dev/null || echo 1)
	l=$(guest "$DOM6" "ethtool -l eth0 | awk '/^Current/ { c = 1 } c && /^Combined/ { print \$2 }'")
	b=$(ls -d /sys/kernel/debug/pvsplit/pvnetback-$DOM6-*/queue* 2>/dev/null | wc -l)
	echo "multi-queue-num-queues $k, ethtool -l current $l, back-end queues $b"
	[ "$k" = "$1" ] && [ "$l" = "$1" ] && [ "$b" = "$1" ]
}
nm_up2() { nm_up && nm_queues 2; }
check "net mq: g6: pvnetfront up with 2 queues at both ends" nm_up2

# nm_ring_counts: both ends' ring counters of queue 0, as "#" lines (what
# a throughput figure is explained with: batches, events, wake-ups)
nm_ring_counts() {
	local f=/sys/kernel/debug/pvsplit/pvnetback-$DOM6-0/queue0 pat='^(produced|consumed|publishes|notify_sent|notify_suppressed|wakeups|spurious|batch)'
	echo "# dom0 rx ring: $(grep -E "$pat" $f/rx 2>/dev/null | tr '\n' ' ')"
	echo "# dom0 tx ring: $(grep -E "$pat" $f/tx 2>/dev/null | tr '\n' ' ')"
	echo "# dom0 rx wait (queued to copied, ns): $(grep -E '^(count|p50|p90|p99) ' $f/rx_wait_ns 2>/dev/null | tr '\n' ' ')"
	echo "# dom0: $(ethtool -S $NM_VIF | awk '$1 ~ /^(tx_packets|tx_bytes|copy_calls|copy_ops|rx_packets|polls|tx_stopped):$/ { printf "%s %s ", $1, $2 }')"
	guest "$DOM6" "cd /sys/kernel/debug/pvsplit/pvnetfront/vif-0/queue0 && for r in rx tx; do \
echo \"# guest \$r ring: \$(grep -E '$pat' \$r | tr '\n' ' ')\"; done"
}
# several flows: both queues of each end carry packets
nm_flows() {
	local g0 g1 out
	guest "$DOM6" "iperf3 -s -1 -D" || return 1
	sleep 0.5
	iperf3 -c $NM_IP -t 4 -P 8 -f m > /tmp/nm-iperf.out || { cat /tmp/nm-iperf.out; return 1; }
	echo "BENCH: iperf3 -P 8 dom0 -> g6 (2 queues): $(grep 'SUM.*receiver' /tmp/nm-iperf.out)" >&3
	nm_ring_counts >&3
	iperf3 -s -1 -D || return 1
	sleep 0.5
	# (the agent's answer is one xenstore value: the summary only)
	out=$(guest "$DOM6" "iperf3 -c $NET_DOM0 -t 4 -P 8 -f m | tail -n 4" 60) || { echo "$out"; return 1; }
	echo "BENCH: iperf3 -P 8 g6 -> dom0 (2 queues): $(grep 'SUM.*receiver' <<<"$out")" >&3
	# the ACKs of the first run put packets on both TX queues too: the
	# second run must have run
	grep -q 'SUM.*receiver' <<<"$out" || { echo "g6 -> dom0: no iperf3 result"; return 1; }
	out=$(guest "$DOM6" "ethtool -S eth0")
	g0=$(awk '$1 == "q0_tx_packets:" { print $2 }' <<<"$out")
	g1=$(awk '$1 == "q1_tx_packets:" { print $2 }' <<<"$out")
	echo "guest sent: queue 0 $g0, queue 1 $g1 packets"
	echo "guest received: $(grep -E 'q[01]_rx_packets' <<<"$out" | tr -s ' \n' ' ')"
	[ "${g0:-0}" -gt 1000 ] && [ "${g1:-0}" -gt 1000 ] &&
		grep -qE '^ +q1_rx_packets: [1-9][0-9]{3}' <<<"$out"
}
check "net mq: 8 TCP flows each way: both queues of the guest carry them" nm_flows

# nm_gstat NAME: the guest's ethtool -S counter NAME (the total)
nm_gstat() { guest "$DOM6" "ethtool -S eth0" | awk -v k="$1:" '$1 == k { print $2; exit }'; }
# the counters' names; the back end is trusted (the default): received
# data past the headers went up in the pages the back end filled
nm_stats_names() {
	local out
	out=$(guest "$DOM6" "ethtool -i eth0; ethtool -S eth0")
	grep -E '^driver|q1_|trusted|rx_zerocopy' <<<"$out" | head -n 16
	grep -q '^driver: pvnetfront' <<<"$out" && grep -q '^ *q1_rx_errors:' <<<"$out" &&
		[ "$(grep -c '^ *tx_packets:' <<<"$out")" = 1 ] &&
		grep -q '^ *trusted: 1$' <<<"$out" &&
		grep -qE '^ +q0_rx_zerocopy: [1-9]' <<<"$out" &&
		grep -qE '^ +q1_rx_zerocopy: [1-9]' <<<"$out"
}
check "net mq: ethtool -i/-S: driver pvnetfront, totals then q0_/q1_ counters; trusted back end: received pages passed up on both queues, not copied" nm_stats_names

nm_set_channels() {
	guest "$DOM6" "ethtool -L eth0 combined $1" || return 1
	wait_until 30 nm_queues "$1" > /dev/null
	nm_queues "$1" && wait_until 30 guest "$DOM6" "test \$(cat /sys/class/net/eth0/carrier) = 1" &&
		ping -c 2 -W 5 $NM_IP
}
# nm_stream DIRECTION MIB: netlib's checked stream, with g6
nm_stream() { NS_DOM=$DOM6 NS_IP=$NM_IP net_stream "$@"; }
# with the toolstack's trusted key at 0 (read at each connection) every
# received byte is copied: rx_zerocopy stays still while 16 MiB arrive
NM_FE=/local/domain/$DOM6/device/vif/0
nm_channels1() {
	local z0 z1
	xenstore-write $NM_FE/trusted 0 && nm_set_channels 1 || return 1
	z0=$(nm_gstat rx_zerocopy)
	nm_stream to-guest 16 || return 1
	z1=$(nm_gstat rx_zerocopy)
	echo "trusted $(nm_gstat trusted), rx_zerocopy $z0 -> $z1"
	[ "$(nm_gstat trusted)" = 0 ] && [ -n "$z0" ] && [ "$z0" = "$z1" ]
}
nm_channels2() {
	xenstore-rm $NM_FE/trusted && nm_set_channels 2 &&
		[ "$(nm_gstat trusted)" = 1 ] && nm_stream from-guest 16
}
nm_channels3() { ! guest "$DOM6" "ethtool -L eth0 combined 3" && nm_queues 2; }
check "net mq: trusted key 0, ethtool -L combined 1: reconnects with one queue, not trusting: 16 MiB to the guest intact, every byte copied" nm_channels1
check "net mq: trusted key gone, ethtool -L combined 2: two queues again, trusting, traffic passes" nm_channels2
check "net mq: ethtool -L combined 3 refused (the back end offers 2)" nm_channels3

# offloads off: every packet is whole and checksummed in software
nm_offloads() { NS_DOM=$DOM6 NS_IP=$NM_IP net_offloads "$1"; }
check "net mq: ethtool -K sg/tso/gso/tx/rx off: 16 MiB streams both ways intact" nm_offloads off
check "net mq: ethtool -K sg/tso/gso/tx/rx on again: 16 MiB streams both ways intact" nm_offloads on

nm_mtu() { NS_DOM=$DOM6 NS_VIF=$NM_VIF NS_IP=$NM_IP net_mtu "$1"; }
nm_jumbo() { nm_mtu 9000 && nm_stream to-guest 16 && nm_mtu 1500; }
check "net mq: MTU 9000: 9000-byte packets cross whole both ways, 16 MiB stream intact" nm_jumbo

# ICMP echo from 1 byte to 64 KiB (IP fragments past the MTU); UDP at
# the smallest and largest datagram iperf3 sends
nm_sizes() {
	local s
	for s in 1 100 1472 1473 4000 9000 32768 65000 65507; do
		ping -c 1 -W 5 -s $s $NM_IP > /dev/null || { echo "ping -s $s failed"; return 1; }
	done
	echo "ICMP echo of 1 to 65507 bytes: all answered"
}
check "net mq: ICMP echo of 1 to 65507 bytes answered" nm_sizes
nm_udp() {
	local len=$1 out
	guest "$DOM6" "iperf3 -s -1 -D" || return 1
	sleep 0.5
	out=$(iperf3 -c $NM_IP -u -l "$len" -b 20M -t 3 -f m) || { echo "$out"; return 1; }
	echo "BENCH: iperf3 UDP $len bytes dom0 -> g6: $(grep receiver <<<"$out")" >&3
	net_udp_delivered "$len-byte datagrams dom0 -> g6" "$out"
}
check "net mq: UDP 64-byte datagrams dom0 -> g6 delivered (under half lost)" nm_udp 64
check "net mq: UDP 63 KiB datagrams dom0 -> g6 delivered (under half lost)" nm_udp 64000

# nm_sender: in the background, 256 KiB of /tmp/nm-tx every 0.25 s to
# g6's port 5006 until 8 more have gone after /tmp/nm-moved appeared (the
# move is over), so the stream spans the move however long it takes;
# /tmp/nm-sent counts what the socket took, /tmp/nm-at what it had taken
# when the move was over
nm_sender() {
	local i=0 after=0
	exec > "/dev/tcp/$NM_IP/5006" || exit 1
	while [ $i -lt 256 ] && [ $after -lt 8 ]; do
		dd if=/tmp/nm-tx bs=256k skip=$i count=1 2>/dev/null || exit 1
		i=$((i + 1))
		echo $i > /tmp/nm-sent
		if [ -e /tmp/nm-moved ]; then
			[ $after = 0 ] && echo $i > /tmp/nm-at
			after=$((after + 1))
		fi
		sleep 0.25
	done
}
# nm_across CMD...: CMD moves g6 (save + restore, migrate) while dom0
# sends it a TCP stream: the guest comes back as a new domain on a new
# vif, pvnetfront reconnects, the stream goes on and arrives intact
nm_across() {
	local want got n at t0 old=$DOM6
	rm -f /tmp/nm-moved /tmp/nm-sent /tmp/nm-at
	dd if=/dev/urandom of=/tmp/nm-tx bs=1M count=64 2>/dev/null
	guest "$DOM6" "(nc -l -p 5006 > /tmp/rx; md5sum < /tmp/rx > /tmp/rx.md5) > /dev/null 2>&1 &"
	sleep 0.5
	export -f nm_sender
	NM_IP=$NM_IP timeout -s KILL 300 bash -c nm_sender &
	sleep 2
	t0=$SECONDS
	"$@" || { kill $! 2>/dev/null; return 1; }
	echo > /tmp/nm-moved
	t0=$((SECONDS - t0))
	# (check runs this in a subshell: the new domid is read again after it)
	DOM6=$(xl domid g6) || return 1
	echo "g6: domain $old moved to $DOM6 after $(cat /tmp/nm-sent) of 256 chunks"
	[ "$DOM6" != "$old" ] && ! xl list "$old" > /dev/null 2>&1 ||
		{ echo "domain $old is still there"; return 1; }
	wait || { echo "the sender failed"; return 1; }
	at=$(cat /tmp/nm-at 2>/dev/null)
	[ -n "$at" ] || { echo "the stream ended before the move did"; return 1; }
	n=$(cat /tmp/nm-sent)
	want=$(dd if=/tmp/nm-tx bs=256k count="$n" 2>/dev/null | md5sum | cut -d' ' -f1)
	wait_until 60 guest "$DOM6" "test -s /tmp/rx.md5" || { NS_DOM=$DOM6 NS_VIF=vif$DOM6.0 net_diag; return 1; }
	got=$(guest "$DOM6" "echo \$(wc -c < /tmp/rx) \$(cut -d' ' -f1 /tmp/rx.md5); rm -f /tmp/rx /tmp/rx.md5")
	rm -f /tmp/nm-tx /tmp/nm-moved /tmp/nm-sent /tmp/nm-at
	echo "sent $((n * 262144)) bytes $want, received $got"
	echo "# $1: $t0 s, domain $old -> $DOM6; of $n chunks of 256 KiB, $at sent by its end" >&3
	[ "$got" = "$((n * 262144)) $want" ] && nm_queues "${NM_WANTQ:-2}"
}

# xl save + restore while dom0 sends, onto a back end that offers one
# queue where the old one offered two: pvnetfront renegotiates down
# (migrate below takes it up again)
nm_save_restore() {
	local rc
	xl save g6 /tmp/g6.save && echo 1 > /sys/module/pvnetback/parameters/max_queues &&
		xl restore /tmp/g6.save
	rc=$?
	rm -f /tmp/g6.save
	return $rc
}
nm_restore_fewer() { NM_WANTQ=1 nm_across nm_save_restore; }
check "net mq: xl save, then xl restore onto a back end offering 1 queue, with a TCP stream running: it arrives intact, 1 queue" \
	nm_restore_fewer
DOM6=$(xl domid g6 2>/dev/null || echo "$DOM6")
NM_VIF=vif$DOM6.0

# nm_fdb_port: the bridge port $NM_BR learned g6's MAC on ("" when none);
# brforward holds 16-byte entries: MAC, port_no, is_local, ageing timer
# (4), port_hi, padding (3)
nm_fdb_port() {
	od -An -v -tx1 /sys/class/net/$NM_BR/brforward | tr -s ' \n' '  ' |
		awk -v mac="$(tr -d : <<<"$NM_MAC" | tr A-F a-f)" '{
			for (i = 1; i + 15 <= NF; i += 16)
				if ($i $(i + 1) $(i + 2) $(i + 3) $(i + 4) $(i + 5) == mac && $(i + 7) == "00")
					print $(i + 12) $(i + 6) }'
}
# xl migrate to localhost (no ssh: -s "" runs the receiver itself) while
# dom0 sends: as above, and the bridge has learned g6's MAC on the new
# vif (the old vif's port went with the old domain).  The front end
# announces itself on connecting (gratuitous ARP), but the stream's ACKs
# would teach the bridge as well: this shows the bridge follows the move,
# not which frame taught it.
nm_migrate_local() {
	echo 2 > /sys/module/pvnetback/parameters/max_queues
	xl info | awk '$1 == "free_memory"'
	xl migrate -s "" g6 "xl migrate-receive"
}
nm_migrate() {
	local want got
	nm_across nm_migrate_local || return 1
	DOM6=$(xl domid g6) || return 1
	want=$(printf '%04x' "$(cat /sys/class/net/vif$DOM6.0/brport/port_no)")
	got=$(nm_fdb_port)
	echo "bridge port of vif$DOM6.0: $want; $NM_MAC learned on port(s): ${got:-none}"
	[ "$got" = "$want" ]
}
check "net mq: xl migrate to localhost with a TCP stream running: it arrives intact, 2 queues again, the bridge learns the MAC on the new vif" \
	nm_migrate
DOM6=$(xl domid g6 2>/dev/null || echo "$DOM6")
NM_VIF=vif$DOM6.0

# the rate key is one bucket for the whole vif: 8 flows over 2 queues
# together stay under 8 Mbit/s (xen-netback gives each queue the rate)
nm_rate() {
	local out r
	xl network-detach g6 0 || return 1
	wait_until 30 sh -c "! [ -e /sys/class/net/$NM_VIF ]" || return 1
	pvsplit attach vif g6 --mac $NM_MAC --bridge $NM_BR --queues 2 --rate 100000/100000 |
		grep -qx "vif 0" && pvsplit wait vif g6 0 connected --timeout 30 && nm_up &&
		nm_queues 2 || return 1
	iperf3 -s -1 -D || return 1
	sleep 0.5
	out=$(guest "$DOM6" "iperf3 -c $NET_DOM0 -t 4 -P 8 -f m | tail -n 4" 60)
	r=$(awk '/SUM.*receiver/ { print $6 }' <<<"$out")
	echo "8 flows over 2 queues under an 8 Mbit/s vif limit: ${r:-?} Mbit/s"
	echo "BENCH: iperf3 -P 8 g6 -> dom0, 2 queues, rate 8 Mbit/s: $r Mbit/s" >&3
	awk -v r="${r:-0}" 'BEGIN { exit !(r > 2 && r < 9.6) }'
}
check "net mq: rate 8 Mbit/s with 2 queues: 8 flows together held at or below it" nm_rate

# ---- control ring and Toeplitz hash (feature-ctrl-ring) ----
# On the connection nm_rate made: pvnetfront programs the hash over the
# control ring, pvnetback steers packets for the guest with it; then the
# guest's table is set to queue 0 only (ethtool -X) and back, and the
# queues that carry 8 flows follow it.
nm_ctrl_stat() { ethtool -S $NM_VIF | awk -v k="$1:" '$1 == k { print $2 }'; }
nm_ctrl_on() {
	local fe=/local/domain/$DOM6/device/vif/0 be out
	be=$(xenstore-read $fe/backend) || return 1
	echo "feature-ctrl-ring $(xenstore-read $be/feature-ctrl-ring)," \
		"ctrl-ring-ref $(xenstore-read $fe/ctrl-ring-ref)," \
		"event-channel-ctrl $(xenstore-read $fe/event-channel-ctrl)"
	wait_until 10 sh -c "ethtool -S $NM_VIF | grep -qE '^ +hash_mapping_size: 128$'" || true
	echo "dom0: $(ethtool -S $NM_VIF | grep -E '^ +(ctrl_|hash_)' | tr -s ' \n' ' ')"
	out=$(guest "$DOM6" "ethtool -S eth0 | grep -E '(ctrl_|hash_)'")
	echo "guest: $(tr -s ' \n' ' ' <<<"$out")"
	[ "$(nm_ctrl_stat hash_alg)" = 1 ] && [ "$(nm_ctrl_stat hash_flags)" = 15 ] &&
		[ "$(nm_ctrl_stat hash_mapping_size)" = 128 ] &&
		[ "$(nm_ctrl_stat ctrl_errors)" = 0 ] &&
		[ "$(nm_ctrl_stat ctrl_requests)" -ge 7 ] &&
		grep -qE 'hash_programmed: 1$' <<<"$out"
}
check "net mq: control ring connected, Toeplitz hash programmed (all 4 types, 128 entries)" nm_ctrl_on

# the table ethtool -x shows in the guest is the one dom0 uses
nm_ctrl_table() {
	local x map
	x=$(guest "$DOM6" "ethtool -x eth0")
	map=$(grep '^mapping ' /sys/kernel/debug/pvsplit/pvnetback-$DOM6-0/ctrl/hash)
	echo "guest: $(grep -A1 -i 'table for' <<<"$x" | tail -n 1)"
	echo "dom0: $(cut -c1-60 <<<"$map")"
	grep -qi 'toeplitz: on' <<<"$x" &&
		[ "$(sed -n '/^ *[0-9]*: /p' <<<"$x" | cut -d: -f2- | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')" = \
		  "$(sed 's/^mapping //' <<<"$map")" ] &&
		grep -qw 1 <<<"$map" && grep -qw 0 <<<"$map"
}
check "net mq: ethtool -x in the guest: Toeplitz, the table dom0 steers with, both queues in it" nm_ctrl_table

# nm_ctrl_spread: iperf3 -P 8 dom0 -> g6; print dom0's q0/q1 packet deltas
nm_ctrl_spread() {
	local a0 a1 s0 b0 b1 s1
	a0=$(nm_ctrl_stat q0_tx_packets) a1=$(nm_ctrl_stat q1_tx_packets)
	s0=$(nm_ctrl_stat hash_steered)
	guest "$DOM6" "iperf3 -s -1 -D" || return 1
	sleep 0.5
	iperf3 -c $NM_IP -t 2 -P 8 > /dev/null || return 1
	b0=$(nm_ctrl_stat q0_tx_packets) b1=$(nm_ctrl_stat q1_tx_packets)
	s1=$(nm_ctrl_stat hash_steered)
	echo "$((b0 - a0)) $((b1 - a1)) $((s1 - s0))"
}
nm_ctrl_steer() {
	local d
	guest "$DOM6" "ethtool -X eth0 weight 1 0" || return 1
	d=$(nm_ctrl_spread) || return 1
	set -- $d
	echo "table all queue 0: 8 flows put $1 packets on queue 0, $2 on queue 1 ($3 steered)"
	echo "# table all queue 0: $1 packets on queue 0, $2 on queue 1, $3 steered" >&3
	[ "$1" -gt 1000 ] && [ "$2" -lt $(($1 / 100 + 20)) ] || return 1
	guest "$DOM6" "ethtool -X eth0 default" || return 1
	d=$(nm_ctrl_spread) || return 1
	set -- $d
	echo "table spread: 8 flows put $1 packets on queue 0, $2 on queue 1 ($3 steered)"
	echo "# table spread: $1 packets on queue 0, $2 on queue 1, $3 steered" >&3
	[ "$1" -gt 200 ] && [ "$2" -gt 200 ] && [ "$3" -gt $((($1 + $2) / 2)) ]
}
check "net mq: 8 flows dom0 -> g6 follow the guest's table (all on queue 0, then spread)" nm_ctrl_steer
# ---- end of control ring ----

nm_guest_clean() {
	guest "$DOM6" "! dmesg | grep -E -A 5 '$KERNEL_REPORT'"
}
check "net mq: no WARN, BUG or Oops in g6" nm_guest_clean

nm_at_base() { [ "$(nm_dom0_counts)" = "$(cat /tmp/nm-base)" ]; }
# the guest destroyed while both directions carry traffic
nm_destroy() {
	guest "$DOM6" "iperf3 -s -D" || return 1
	sleep 0.5
	iperf3 -c $NM_IP -t 30 -P 4 > /dev/null 2>&1 &
	sleep 3
	xl destroy g6 || return 1
	# its peer is gone: the client would wait for it for minutes
	kill $! 2>/dev/null
	wait
	wait_until 30 sh -c "! [ -e /sys/class/net/$NM_VIF ]" || { echo "$NM_VIF still there"; return 1; }
	settle_after_destroy
	wait_until 30 nm_at_base
	nm_dom0_counts > /tmp/nm-now
	# (no diff in dom0's busybox)
	[ "$(cat /tmp/nm-base)" = "$(cat /tmp/nm-now)" ] ||
		{ echo "baseline: $(tr '\n' ' ' < /tmp/nm-base)"; echo "now: $(tr '\n' ' ' < /tmp/nm-now)"; return 1; }
	echo "dom0 at baseline: $(tr '\n' ' ' < /tmp/nm-now)"
}
check "net mq: xl destroy g6 under traffic: vif gone, dom0's resources and event channels at baseline" nm_destroy
nm_no_warn() { [ "$(nm_warns)" = "$NM_WARNS" ] || { dmesg | grep -E -A 5 "$KERNEL_REPORT"; false; }; }
check "net mq: no new WARN, BUG or Oops in dom0" nm_no_warn
