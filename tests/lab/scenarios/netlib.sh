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
