# SPDX-License-Identifier: GPL-2.0-only
# plan: 33
# The network back end: pvnetback in dom0 serves the stock xen-netfront of
# g1, attached with xl network-attach (libxl runs Xen's vif-bridge script,
# which puts vif<domid>.0 on a bridge).  Addresses are IPv4 link-local
# (169.254.0.0/16): they exist only on the lab's bridge inside QEMU, which
# has no network of its own (-net none).
# NET_BACK=stock serves the vif with xen-netback instead (mode netstock):
# the same cases against the stock pair show the scenario itself is sound.
# NET_FRONT=ours runs pvnetfront in the guest instead of xen-netfront.
if [ "${NET_FRONT:-stock}" = ours ]; then
	NET_FE_KO=/pvsplit/pvnetfront.ko NET_FE_DRV=pvnetfront
else
	NET_FE_KO=/lib/modules/extra/xen-netfront.ko NET_FE_DRV=xen-netfront
fi
if [ "${NET_BACK:-ours}" = stock ]; then
	NET_BE_KO=/lib/modules/extra/xen-netback.ko NET_BE_DRV=vif NET_BE_MOD=xen_netback
else
	NET_BE_KO=/pvsplit/pvnetback.ko NET_BE_DRV=pvnetback NET_BE_MOD=pvnetback
fi
NET_FRONT=${NET_FRONT:-stock} NET_BACK=${NET_BACK:-ours}
NET_PAIR="$NET_FRONT front/$NET_BACK back"
NET_BR=xenbr0
NET_DOM0=169.254.10.1
NET_GUEST=169.254.10.2
NET_GUEST_6=fd00:a9fe:a::2
NET_MAC=00:16:3e:5a:00:01
VIF=vif$DOM.0
NET_BE=/local/domain/0/backend/vif/$DOM/0
. "$dir/netlib.sh"

check "$NET_PAIR: dom0: bridge $NET_BR up" net_bridge
check "$NET_PAIR: dom0: load $NET_BE_DRV ${NET_BE_ARGS:-}" insmod $NET_BE_KO ${NET_BE_ARGS:-}
leak_baseline net "$DOM"

net_attach() {
	xl network-attach g1 bridge=$NET_BR mac=$NET_MAC || return 1
	echo "driver: $(readlink /sys/class/net/$VIF/device/driver)"
	readlink /sys/class/net/$VIF/device/driver | grep -q "/$NET_BE_DRV\$" &&
		[ -e /sys/class/net/$NET_BR/brif/$VIF ]
}
check "$NET_PAIR: xl network-attach: $VIF served by $NET_BE_DRV, bridged by vif-bridge" net_attach

net_guest_up() {
	guest "$DOM" "grep -q '^${NET_FE_DRV//-/_} ' /proc/modules || insmod $NET_FE_KO; \
for i in \$(seq 100); do [ -e /sys/class/net/eth0 ] && break; sleep 0.1; done; \
ip link set eth0 up && ip addr add $NET_GUEST/24 dev eth0 && cat /sys/class/net/eth0/address"
}
check "$NET_PAIR: guest: $NET_FE_DRV brings up eth0" net_guest_up
check "$NET_PAIR: back end Connected" wait_until 30 xs_is $NET_BE/state 4

net_ping() {
	ping -c 3 -i 0.2 -W 5 $NET_GUEST || { net_diag; return 1; }
}
check "$NET_PAIR: ping dom0 -> guest" net_ping
net_ping_from() {
	guest "$DOM" "ping -c 3 -i 0.2 -W 5 $NET_DOM0" || { net_diag; return 1; }
}
check "$NET_PAIR: ping guest -> dom0" net_ping_from

check "$NET_PAIR: 64 MiB random TCP stream dom0 -> guest arrives intact" net_stream to-guest 64
check "$NET_PAIR: 64 MiB random TCP stream guest -> dom0 arrives intact" net_stream from-guest 64

check "$NET_PAIR: iperf3 TCP guest -> dom0" net_iperf from-guest
check "$NET_PAIR: iperf3 TCP dom0 -> guest" net_iperf to-guest
check "$NET_PAIR: UDP 1-byte datagrams dom0 -> guest reach its UDP layer" net_udp1
check "$NET_PAIR: UDP 16-byte datagrams both ways delivered (under half lost)" net_udp 16
check "$NET_PAIR: UDP 65507-byte datagrams both ways delivered (under half lost)" net_udp 65507
check "$NET_PAIR: ethtool -K sg/tso/gso/tx/rx off: 16 MiB streams both ways intact" net_offloads off
check "$NET_PAIR: ethtool -K sg/tso/gso/tx/rx on again: 16 MiB streams both ways intact" net_offloads on
check "$NET_PAIR: MTU 9000: 9000-byte packets cross whole both ways, 16 MiB streams both ways intact" net_jumbo
check "$NET_PAIR: IPv6: ping6, TCP both ways with the TCPv6 offloads" net_ipv6

check "$NET_PAIR: $NET_BE_MOD refuses to unload while a guest uses it" \
	sh -c "! rmmod $NET_BE_MOD 2>/dev/null && grep -q '^$NET_BE_MOD ' /proc/modules"

# the vif goes while a TCP stream runs each way: dom0 writes to the
# guest's nc, the guest's iperf3 to dom0's; what is in flight is dropped,
# nothing is left behind (the leak check), and the vif attached again
# below (pvsplit attach vif) passes traffic
net_vif_bytes() { cat /sys/class/net/$VIF/statistics/rx_bytes /sys/class/net/$VIF/statistics/tx_bytes | tr '\n' ' '; }
net_detach() {
	local b0 b1 pid rc=0
	iperf3 -s -1 -D && guest "$DOM" "nc -l -p 5003 > /dev/null 2>&1 &" || return 1
	sleep 0.5
	timeout -s KILL 60 bash -c "cat /dev/zero > /dev/tcp/$NET_GUEST/5003" 2>/dev/null &
	pid=$!
	guest "$DOM" "iperf3 -c $NET_DOM0 -t 60 > /dev/null 2>&1 &" || rc=1
	sleep 2
	read -ra b0 <<<"$(net_vif_bytes)"
	sleep 1
	read -ra b1 <<<"$(net_vif_bytes)"
	echo "$VIF in the second before the detach: from the guest $((b1[0] - b0[0])) bytes, to it $((b1[1] - b0[1]))"
	[ $((b1[0] - b0[0])) -gt 65536 ] && [ $((b1[1] - b0[1])) -gt 65536 ] || rc=1
	xl network-detach g1 0 || rc=1
	wait_until 30 sh -c "! [ -e /sys/class/net/$VIF ]" || { echo "$VIF still there"; rc=1; }
	# the writers and the iperf3 server may wait on the dead connections
	# for long: nothing may outlive the case (a server left holding its
	# port would answer the next case's client "busy")
	kill "$pid" 2>/dev/null
	wait "$pid"
	killall iperf3 2>/dev/null
	guest "$DOM" "killall iperf3 nc 2>/dev/null; true"
	return $rc
}
check "$NET_PAIR: xl network-detach with a TCP stream running each way: the vif goes" net_detach
check "$NET_PAIR: after detach: grants, channels and resources at baseline in both domains" \
	leak_check_settled net "$DOM"

# pvsplit attach vif does what xl and vif-bridge do; --queues caps what
# pvnetback offers (raise its max_queues first so the cap shows)
net_cli_attach() {
	local out
	[ "$NET_BE_MOD" = pvnetback ] && echo 4 > /sys/module/pvnetback/parameters/max_queues
	out=$(pvsplit attach vif g1 --mac $NET_MAC --bridge $NET_BR --queues 2 2>&1)
	echo "$out"
	[ "$out" = "vif 0" ] && [ -e /sys/class/net/$NET_BR/brif/$VIF ] &&
		pvsplit wait vif g1 0 connected --timeout 30 || return 1
	[ "$NET_BE_MOD" = pvnetback ] || return 0
	echo "offered: $(xenstore-read $NET_BE/multi-queue-max-queues)"
	[ "$(xenstore-read $NET_BE/multi-queue-max-queues)" = 2 ]
}
check "$NET_PAIR: pvsplit attach vif: $VIF on $NET_BR, Connected, --queues 2 offered" net_cli_attach
check "$NET_PAIR: pvsplit attach vif: the guest's eth0 is back" net_guest_up
check "$NET_PAIR: pvsplit attach vif: ping dom0 -> guest" net_ping
net_cli_show() {
	local out
	out=$(pvsplit show vif g1 0) || return 1
	echo "$out" | grep -E 'feature-split-event-channels|request-rx-copy|bridge|operstate'
	grep -qE '^ *feature-split-event-channels' <<<"$out" &&
		grep -qE '^ *request-rx-copy +1' <<<"$out" &&
		grep -qE '^ *bridge +'$NET_BR'$' <<<"$out" &&
		grep -qE '^ *operstate +up' <<<"$out" &&
		pvsplit list | grep -qE "^vif +$DOM +0 +connected +connected"
}
check "$NET_PAIR: pvsplit show vif: both ends' features, the netdev on its bridge; list" net_cli_show
# XSA-392: a guest that stops reading its RX ring (the stock front end
# stops when its link goes down) while dom0 blasts UDP at it costs dom0 a
# bounded amount of memory, its vif's carrier goes off, and traffic
# resumes when it reads again
net_stall() {
	local mem0 mem1 st
	echo 2000 > /sys/module/pvnetback/parameters/rx_stall_ms
	ip neigh replace $NET_GUEST lladdr $NET_MAC dev $NET_BR nud permanent
	mem0=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
	guest "$DOM" "ip link set eth0 down" || return 1
	# 1400-byte datagrams to the discard port as fast as bash writes them
	timeout -s KILL 25 bash -c "exec 3>/dev/udp/$NET_GUEST/9; p=\$(printf '%1400s' x); \
for i in \$(seq 40000); do printf '%s' \"\$p\" >&3 2>/dev/null; done" &
	wait_until 15 sh -c "[ \$(cat /sys/class/net/$VIF/carrier) = 0 ]" ||
		{ echo "carrier still on"; ethtool -S $VIF | head -n 16; return 1; }
	mem1=$(awk '/MemAvailable/ { print $2 }' /proc/meminfo)
	wait
	st=$(ethtool -S $VIF)
	echo "$st" | grep -E '^ +(tx_stalls|tx_dropped|tx_stopped|tx_packets):'
	echo "MemAvailable $mem0 -> $mem1 kB"
	dmesg | grep "$VIF: queue 0: guest took no packet" | tail -n 1
	grep -qE '^ +tx_stalls: [1-9]' <<<"$st" && grep -qE '^ +tx_dropped: [1-9]' <<<"$st" &&
		[ $((mem0 - mem1)) -lt 32768 ] || return 1
	guest "$DOM" "ip link set eth0 up" || return 1
	wait_until 20 sh -c "[ \$(cat /sys/class/net/$VIF/carrier) = 1 ]" ||
		{ echo "carrier did not come back"; dmesg | tail -n 5; return 1; }
	dmesg | grep -q "$VIF: queue 0: guest reads again" && ping -c 3 -i 0.2 -W 5 $NET_GUEST
}
if [ "$NET_BACK $NET_FRONT" = "ours stock" ]; then
	check "$NET_PAIR: a guest that stops reading: carrier off, dom0 memory bounded, back when it reads" \
		net_stall
fi
net_cli_random_mac() {
	local mac
	pvsplit attach vif g1 --devid 1 | grep -qx "vif 1" || return 1
	mac=$(xenstore-read /local/domain/0/backend/vif/$DOM/1/mac)
	echo "mac $mac"
	pvsplit detach vif g1 1 || return 1
	[[ $mac =~ ^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$ ]]
}
check "$NET_PAIR: pvsplit attach vif with no --mac: a random address in 00:16:3e" net_cli_random_mac
net_cli_errors() {
	expect_exit 2 "bad MAC address '01:16:3e:00:00:01'" \
		pvsplit attach vif g1 --devid 2 --mac 01:16:3e:00:00:01 &&
	expect_exit 2 "bad MAC address '00:16:3e:00:01'" \
		pvsplit attach vif g1 --devid 2 --mac 00:16:3e:00:01 &&
	expect_exit 1 "no bridge 'nosuchbr' in this domain" \
		pvsplit attach vif g1 --devid 2 --bridge nosuchbr &&
	expect_exit 2 "queues '9' out of range \(1-8\)" \
		pvsplit attach vif g1 --devid 2 --queues 9 &&
	expect_exit 2 "queues '0' out of range" pvsplit attach vif g1 --devid 2 --queues 0 &&
	expect_exit 2 "bad rate '10M/50'" pvsplit attach vif g1 --devid 2 --rate 10M/50 &&
	expect_exit 1 "vif 0 of domain $DOM is already attached" \
		pvsplit attach vif g1 --devid 0 &&
	! xenstore-read /local/domain/0/backend/vif/$DOM/2/state 2>/dev/null
}
check "$NET_PAIR: pvsplit attach vif: bad MAC, unknown bridge, queues or rate out of range, already attached" \
	net_cli_errors
net_cli_detach() {
	pvsplit detach vif g1 0 || return 1
	wait_until 30 sh -c "! [ -e /sys/class/net/$VIF ]" || { echo "$VIF still there"; return 1; }
}
check "$NET_PAIR: pvsplit detach vif: the vif goes" net_cli_detach
# the rate key as one credit bucket: 100000 bytes per 100 ms is 8 Mbit/s
net_rate() {
	local out r
	pvsplit attach vif g1 --mac $NET_MAC --bridge $NET_BR --rate 100000/100000 |
		grep -qx "vif 0" && pvsplit wait vif g1 0 connected --timeout 30 &&
		net_guest_up > /dev/null || return 1
	iperf3 -s -1 -D || return 1
	sleep 0.5
	out=$(guest "$DOM" "iperf3 -c $NET_DOM0 -t 4 -f m" 60)
	r=$(awk '/receiver/ { print $7 }' <<<"$out")
	echo "guest -> dom0 under an 8 Mbit/s limit: ${r:-?} Mbit/s"
	[ -n "$r" ] || echo "$out"
	echo "BENCH: iperf3 from-guest, rate 8 Mbit/s: $r Mbit/s" >&3
	net_cli_detach || return 1
	awk -v r="${r:-0}" 'BEGIN { exit !(r > 2 && r < 9.6) }'
}
if [ "$NET_BACK" = ours ]; then
	check "$NET_PAIR: rate 100000/100000 (8 Mbit/s): guest -> dom0 TCP held at or below it" \
		net_rate
fi
check "$NET_PAIR: after the CLI's vifs: grants, channels and resources at baseline in both domains" \
	leak_check_settled net "$DOM"
check "$NET_PAIR: $NET_BE_MOD unloads once no vif is left" rmmod $NET_BE_MOD
check "$NET_PAIR: guest: $NET_FE_DRV unloads" guest "$DOM" "rmmod ${NET_FE_DRV//-/_}"
