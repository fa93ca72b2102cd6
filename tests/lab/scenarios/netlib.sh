# SPDX-License-Identifier: GPL-2.0-only
# plan: 0
# Helpers of the network scenarios (net.sh and its pairings, netmq.sh):
# the bridge, a checked TCP stream, iperf3, both ends' view on failure.
# A guest other than $DOM at $NET_GUEST: NS_DOM, NS_IP (and NS_VIF, its
# vif in dom0) for one call.
NET_BR=${NET_BR:-xenbr0}
NET_DOM0=${NET_DOM0:-169.254.10.1}

net_bridge() {
	[ -e /sys/class/net/$NET_BR/bridge ] && return 0	# an earlier pairing's
	ip link add name $NET_BR type bridge stp_state 0 forward_delay 0 &&
		ip addr add $NET_DOM0/24 dev $NET_BR && ip link set $NET_BR up
}
# net_diag: both ends' view, printed when a traffic case fails
net_diag() {
	local DOM=${NS_DOM:-$DOM} VIF=${NS_VIF:-$VIF}
	echo "dom0: $(cat /sys/class/net/$VIF/operstate) carrier $(cat /sys/class/net/$VIF/carrier 2>&1)"
	ip -s link show $VIF
	ip -s link show $NET_BR
	for f in /sys/kernel/debug/pvsplit/pvnetback-*/queue*/*; do
		echo "$f:"; cat "$f"
	done
	grep -E 'vif|CPU' /proc/interrupts
	grep -E 'NET_RX|CPU' /proc/softirqs
	# Xen's view of dom0's ports to the guest: [pending/masked/...]
	xen_dump e | awk '/Event channel information for domain 0:/ { on = 1; next }
		/Event channel information for domain/ { on = 0 } on && /d='"$DOM"'/' | head -n 12
	dmesg | grep -iE 'pvnet|vif' | tail -n 15
	guest "$DOM" "grep -E 'eth|CPU' /proc/interrupts; echo carrier \$(cat /sys/class/net/eth0/carrier); \
for f in rx_packets tx_packets rx_errors tx_errors rx_dropped tx_dropped; do echo \$f \$(cat /sys/class/net/eth0/statistics/\$f); done; \
ip addr show eth0; dmesg | tail -n 8"
}
# net_stream DIRECTION MIB: MIB of random bytes over TCP, checksums compared
net_stream() {
	local dir=$1 mib=$2 want got DOM=${NS_DOM:-$DOM} NET_GUEST=${NS_IP:-$NET_GUEST}
	if [ "$dir" = to-guest ]; then
		guest "$DOM" "(nc -l -p 5001 > /tmp/rx; md5sum < /tmp/rx > /tmp/rx.md5) > /dev/null 2>&1 &"
		dd if=/dev/urandom of=/tmp/tx bs=1M count="$mib" 2>/dev/null
		want=$(md5sum < /tmp/tx | cut -d' ' -f1)
		sleep 0.5
		# a stalled stream must fail the case, not hang the lab
		timeout -s KILL 180 bash -c "cat /tmp/tx > /dev/tcp/$NET_GUEST/5001" ||
			{ rm -f /tmp/tx; net_diag; return 1; }
		rm -f /tmp/tx
		wait_until 60 guest "$DOM" "test -s /tmp/rx.md5" || { net_diag; return 1; }
		got=$(guest "$DOM" "cut -d' ' -f1 /tmp/rx.md5; rm -f /tmp/rx /tmp/rx.md5")
	else
		# the guest's nc serves the file and closes; dom0 reads to the
		# end (iperf3 -F loses what is in flight when its test ends)
		want=$(guest "$DOM" "dd if=/dev/urandom of=/tmp/tx bs=1M count=$mib 2>/dev/null; \
md5sum < /tmp/tx | cut -d' ' -f1")
		guest "$DOM" "(nc -l -p 5002 < /tmp/tx; rm -f /tmp/tx) > /dev/null 2>&1 &" || return 1
		sleep 0.5
		rm -f /tmp/rx
		timeout -s KILL 180 bash -c "cat < /dev/tcp/$NET_GUEST/5002 > /tmp/rx" ||
			{ net_diag; return 1; }
		got=$(md5sum < /tmp/rx | cut -d' ' -f1)
		echo "received $(wc -c < /tmp/rx) bytes"
		rm -f /tmp/rx
	fi
	echo "sent $want received $got"
	[ -n "$want" ] && [ "$want" = "$got" ] || { net_diag; return 1; }
}
# net_be_counts: pvnetback's totals a benchmark line explains itself with
# (none for the stock back end)
net_be_counts() {
	[ -d /sys/module/pvnetback ] || return 0
	ethtool -S $VIF 2>/dev/null | awk '$1 ~ /^(tx_packets|tx_bytes|tx_stopped|copy_calls|copy_ops|rx_packets|polls):$/ { printf "%s %s ", $1, $2 }'
	grep -hE '^(count|p50|p99) ' /sys/kernel/debug/pvsplit/pvnetback-$DOM-0/queue0/rx_wait_ns 2>/dev/null |
		awk '{ printf "rx_wait_%s %s ", $1, $2 }'
}
net_iperf() {
	local out c0
	c0=$(net_be_counts)
	if [ "$1" = from-guest ]; then
		iperf3 -s -1 -D || return 1
		sleep 0.5
		out=$(guest "$DOM" "iperf3 -c $NET_DOM0 -t 5 -f m" 60) || { echo "$out"; return 1; }
	else
		guest "$DOM" "iperf3 -s -1 -D" || return 1
		sleep 0.5
		out=$(iperf3 -c $NET_GUEST -t 5 -f m) || { echo "$out"; return 1; }
	fi
	echo "BENCH: iperf3 $1: $(echo "$out" | grep -E 'receiver' | tail -n 1)" >&3
	[ -z "$c0" ] || echo "# pvnetback counters before: $c0; after: $(net_be_counts)" >&3
}

# The cases every pairing runs (net.sh) and netmq's guest with them; each
# talks to ${NS_DOM:-$DOM} at ${NS_IP:-$NET_GUEST} through ${NS_VIF:-$VIF}.

# net_reasm [DOMID]: IP datagrams reassembled so far, in dom0 or a guest
net_reasm() {
	local awkp='/^Ip:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "ReasmReqds") f = i; n = 1 } else print $f }'
	if [ -n "${1:-}" ]; then
		guest "$1" "awk '$awkp' /proc/net/snmp"
	else
		awk "$awkp" /proc/net/snmp
	fi
}
# net_mtu N: MTU N on every hop, and an N-byte packet crosses whole
# (busybox ping has no -M do: neither end's reassembly count may move)
net_mtu() {
	local DOM=${NS_DOM:-$DOM} VIF=${NS_VIF:-$VIF} ip=${NS_IP:-$NET_GUEST} g0 d0 g1 d1
	ip link set "$VIF" mtu "$1" && ip link set "$NET_BR" mtu "$1" &&
		guest "$DOM" "ip link set eth0 mtu $1" || return 1
	g0=$(net_reasm "$DOM") d0=$(net_reasm)
	ping -c 2 -W 5 -s $(($1 - 28)) "$ip" > /dev/null &&
		guest "$DOM" "ping -c 2 -W 5 -s $(($1 - 28)) $NET_DOM0" > /dev/null || return 1
	g1=$(net_reasm "$DOM") d1=$(net_reasm)
	echo "MTU $1: $(($1 - 28))-byte pings both ways; reassemblies: guest $g0 -> $g1, dom0 $d0 -> $d1"
	[ -n "$g0" ] && [ "$g0" = "$g1" ] && [ "$d0" = "$d1" ]
}
net_jumbo() { net_mtu 9000 && net_stream to-guest 16 && net_stream from-guest 16 && net_mtu 1500; }

# net_offloads on|off: the guest's offloads switched, every packet whole
# and checksummed in software when off; 16 MiB streams both ways intact
net_offloads() {
	guest "${NS_DOM:-$DOM}" "ethtool -K eth0 sg $1 tso $1 gso $1 tx $1 rx $1 2>&1; \
ethtool -k eth0 | grep -E '^(scatter-gather|tcp-segmentation-offload|tx-checksumming|rx-checksumming):'" || return 1
	net_stream to-guest 16 && net_stream from-guest 16
}

# net_udp_delivered WHAT OUT: iperf3 -u's output OUT names under half of
# the datagrams lost.  What a flood loses to a TCG guest's vCPU varies
# (21% seen once at about 1000 datagrams/s): the check is for delivery,
# not for speed.
net_udp_delivered() {
	local lost
	lost=$(grep receiver <<<"$2" | grep -oE '\([0-9.e+-]+%\)' | tr -d '()%')
	echo "UDP $1: $(grep receiver <<<"$2")"
	awk -v l="${lost:-100}" 'BEGIN { exit !(l < 50) }'
}
# net_udp LEN: iperf3 UDP datagrams of LEN bytes (16, its least, to
# 65507, the most IPv4 carries) dom0 -> guest, then guest -> dom0
net_udp() {
	local DOM=${NS_DOM:-$DOM} ip=${NS_IP:-$NET_GUEST} out d b=4M
	# about 800 small datagrams a second: what a TCG guest takes in
	[ "$1" -lt 1000 ] && b=100K
	for d in to-guest from-guest; do
		if [ $d = to-guest ]; then
			guest "$DOM" "iperf3 -s -1 -D" || return 1
			sleep 0.5
			out=$(iperf3 -c "$ip" -u -l "$1" -b $b -t 2 -f m) ||
				{ echo "$out"; guest "$DOM" "killall iperf3 2>/dev/null"; return 1; }
		else
			iperf3 -s -1 -D || return 1
			sleep 0.5
			out=$(guest "$DOM" "iperf3 -c $NET_DOM0 -u -l $1 -b $b -t 2 -f m" 60) ||
				{ echo "$out"; killall iperf3 2>/dev/null; return 1; }
		fi
		net_udp_delivered "$1-byte datagrams $d" "$out" || return 1
	done
}
# net_udp1: 1-byte datagrams (iperf3 sends no fewer than 16 bytes) from
# dom0 to a closed port of the guest: its UDP layer counts each one
net_udp1() {
	local DOM=${NS_DOM:-$DOM} ip=${NS_IP:-$NET_GUEST} n0 n1
	local awkp='/^Udp:/ { if (!n) { for (i = 1; i <= NF; i++) { if ($i == "InDatagrams") a = i; if ($i == "NoPorts") b = i } n = 1 } else print $a + $b }'
	n0=$(guest "$DOM" "awk '$awkp' /proc/net/snmp") || return 1
	# a socket per datagram: the guest's port unreachable would fail the
	# next send on a connected one
	bash -c "for i in \$(seq 20); do printf x > /dev/udp/$ip/9; done" || return 1
	sleep 1
	n1=$(guest "$DOM" "awk '$awkp' /proc/net/snmp") || return 1
	echo "guest UDP datagrams taken (delivered or refused): $n0 -> $n1"
	[ -n "$n0" ] && [ $((n1 - n0)) -ge 20 ]
}

# net_ipv6: ULA addresses on the bridge and the guest (no DAD), ping6 and
# iperf3 TCP over IPv6 both ways: TCPv6 segmentation and checksum offload
# (feature-gso-tcpv6, feature-ipv6-csum-offload, where both ends offer
# them) through the pair
NET_DOM0_6=${NET_DOM0_6:-fd00:a9fe:a::1}
net_ipv6() {
	local DOM=${NS_DOM:-$DOM} ip6=${NS_IP6:-$NET_GUEST_6} out r1 r2
	# no duplicate address detection (busybox ip has no nodad): the
	# addresses work at once
	if ! ip -6 addr show dev "$NET_BR" | grep -q "$NET_DOM0_6/64"; then
		echo 0 > "/proc/sys/net/ipv6/conf/$NET_BR/accept_dad" &&
			ip -6 addr add "$NET_DOM0_6/64" dev "$NET_BR" || return 1
	fi
	guest "$DOM" "echo 0 > /proc/sys/net/ipv6/conf/eth0/accept_dad && \
ip -6 addr add $ip6/64 dev eth0" || return 1
	wait_until 10 ping -c 1 -W 2 "$ip6" > /dev/null || { echo "no answer to ping6"; return 1; }
	iperf3 -s -1 -D || return 1
	sleep 0.5
	out=$(guest "$DOM" "iperf3 -c $NET_DOM0_6 -t 3 -f m" 60) ||
		{ echo "$out"; killall iperf3 2>/dev/null; return 1; }
	r1=$(awk '/receiver/ { print $7 }' <<<"$out")
	guest "$DOM" "iperf3 -s -1 -D" || return 1
	sleep 0.5
	out=$(iperf3 -c "$ip6" -t 3 -f m) || { echo "$out"; guest "$DOM" "killall iperf3 2>/dev/null"; return 1; }
	r2=$(awk '/receiver/ { print $7 }' <<<"$out")
	echo "TCP over IPv6: guest -> dom0 ${r1:-?} Mbit/s, dom0 -> guest ${r2:-?} Mbit/s"
	awk -v a="${r1:-0}" -v b="${r2:-0}" 'BEGIN { exit !(a > 1 && b > 1) }'
}
