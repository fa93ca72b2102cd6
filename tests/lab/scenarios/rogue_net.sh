# SPDX-License-Identifier: GPL-2.0-only
# plan: 58
# A hostile netif front end (tests/rogue/pvnet_rogue.c) in guest g2 writes
# malformed chains into real transmit rings served by pvnetback.  What
# pvnet_tx_parse() judges a drop is answered with errors and the vif goes
# on; what it judges fatal is answered with nothing and that one vif is
# disabled (its back end goes Closing, "vif disabled" in dmesg); xenstore
# keys out of range are refused with a xenbus error or ignored.  Each case
# checks the answer and the vif's counters (pvnetback's own, through
# /sys/class/net/VIF/statistics: rx_* are what the guest sent), dom0 stays
# up, g1's vif (the stock xen-netfront) keeps passing traffic, and nothing
# is left behind.  Fatal and xenstore cases each get a fresh vif.
RN_BR=xenbr0
RN_DOM0=169.254.10.1
RN_G1=169.254.10.2
RN_MAC=00:16:3e:5a:00:01
# net.sh's bridge and back end, unless a scenario before made them
rn_setup() {
	if ! [ -e /sys/class/net/$RN_BR ]; then
		ip link add name $RN_BR type bridge stp_state 0 forward_delay 0 &&
			ip addr add $RN_DOM0/24 dev $RN_BR && ip link set $RN_BR up || return 1
	fi
	grep -q '^pvnetback ' /proc/modules || insmod /pvsplit/pvnetback.ko
}
check "dom0: bridge $RN_BR up, pvnetback loaded" rn_setup
rn_g1_up() {
	pvsplit attach vif g1 --devid 0 --mac $RN_MAC --bridge $RN_BR >/dev/null &&
		guest "$DOM" "grep -q '^xen_netfront ' /proc/modules || insmod /lib/modules/extra/xen-netfront.ko; \
for i in \$(seq 100); do [ -e /sys/class/net/eth0 ] && break; sleep 0.1; done; \
ip link set eth0 up && { ip addr show eth0 | grep -q '$RN_G1/' || ip addr add $RN_G1/24 dev eth0; }" &&
		pvsplit wait vif g1 0 connected --timeout 30
}
check "g1: a vif served by pvnetback, xen-netfront's eth0 up" rn_g1_up
rn_ping() { ping -c 3 -i 0.2 -W 5 $RN_G1; }
# after each case: g1's vif, on the same back end and bridge, still passes
# traffic
rn_g1_alive() {
	ping -c 1 -W 5 $RN_G1 > /dev/null || { echo "g1 no longer answers"; return 1; }
}
check "g1: ping dom0 -> g1 before the hostile front end" rn_ping
leak_baseline roguenet "$DOM"
DOM2=$(start_guest g2)
check "guest g2 boots" test -n "$DOM2"
check "g2: load the hostile netif front end" \
	guest "$DOM2" "insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvrogue.ko && insmod /pvsplit/pvnet_rogue.ko"
# rn_attach DEVID: a vif of g2 (the rogue binds every vif there), bridged
rn_attach() {
	pvsplit attach vif "$DOM2" --devid "$1" --bridge $RN_BR >/dev/null &&
		pvsplit wait vif "$DOM2" "$1" connected --timeout 30
}
check "g2: the hostile front end's vif 0 is Connected" rn_attach 0
rn_be() { echo "/local/domain/0/backend/vif/$DOM2/$1"; }
rn_stats() {	# rn_stats DEVID: "packets bytes dropped errors" of vif<g2>.DEVID
	local s=/sys/class/net/vif$DOM2.$1/statistics
	echo "$(cat $s/rx_packets) $(cat $s/rx_bytes) $(cat $s/rx_dropped) $(cat $s/rx_errors)"
}
# rcase DEVID CASE WANT DPACKETS DBYTES DDROPPED DERRORS: CASE is answered
# WANT and the vif's counters move by exactly that much
rcase() {
	local dev=$1 c=$2 want=$3 before after d
	before=$(rn_stats "$dev") || return 1
	inject_case "$DOM2" "vif-$dev" "$c" "$want" || return 1
	after=$(rn_stats "$dev") || return 1
	d=$(awk -v b="$before" -v a="$after" 'BEGIN { split(b, x); split(a, y);
		printf "%d %d %d %d", y[1] - x[1], y[2] - x[2], y[3] - x[3], y[4] - x[4] }')
	echo "counters packets bytes dropped errors moved by: $d (want $4 $5 $6 $7)"
	[ "$d" = "$4 $5 $6 $7" ] && xs_is "$(rn_be "$dev")/state" 4 && rn_g1_alive
}
T="hostile net front end:"
check "$T a well-formed 3-slot packet is carried" rcase 0 good 0 1 192 0 0
# the counter check can fail: the same packet, said to move nothing
check_fails "$T the counter check catches a packet it was not told of" \
	rcase 0 good 0 0 0 0 0
check "$T 19 slots (the most every back end takes) are carried" rcase 0 slots19 0 1 1216 0 0
check "$T 21 slots: dropped with errors, the vif goes on" rcase 0 slots21 -1 0 0 1 1
check "$T zero-size follow-on slots are carried" rcase 0 zerosize 0 1 60 0 0
check "$T four all-zero slots: four empty packets dropped" rcase 0 allzero -1 0 0 4 4
check "$T 100 bytes over 19 slots, header split over three, carried" rcase 0 tiny19 0 1 100 0 0
check "$T first slot of 8 bytes (under an Ethernet header) is carried" rcase 0 firstshort 0 1 64 0 0
check "$T a 10-byte packet is dropped" rcase 0 runt -1 0 0 1 1
check "$T first-slot size smaller than the others' sum: dropped" rcase 0 sizelt -1 0 0 1 1
check "$T read-only grant (transmit only reads it) is carried" rcase 0 rogref 0 1 60 0 0
check "$T invalid grant ref: copy fails, dropped" rcase 0 badgref -1 0 0 1 1
check "$T grant to another domain: copy fails, dropped" rcase 0 foreigngref -1 0 0 1 1
check "$T extra type 5 (XDP) on transmit: dropped" rcase 0 extra5 -1 0 0 1 1
check "$T multicast extra never negotiated: dropped" rcase 0 mcast -1 0 0 1 1
check "$T GSO on a frame that is not TCP: dropped" rcase 0 gsonottcp -1 0 0 1 1
rn_rewrite() {
	rcase 0 rewrite 0 1 192 0 0 || return 1
	sleep 1
	! dmesg | grep -q "vif$DOM2.0: .*vif disabled" && rcase 0 good 0 1 192 0 0
}
check "$T slots rewritten after the back end read them are not read again" rn_rewrite
rn_spurious() { cat /sys/kernel/debug/pvsplit/pvnetback-$DOM2-0/queue0/tx_eois_spurious; }
rn_flood() {
	local s0 s1
	s0=$(rn_spurious) || return 1
	guest "$DOM2" "echo flood > /sys/bus/xen/devices/vif-0/inject" || return 1
	xenstore-read /local/domain/0/name || return 1
	s1=$(rn_spurious)
	echo "spurious EOIs $s0 -> $s1"
	[ "$s1" -gt "$s0" ] && rcase 0 good 0 1 192 0 0
}
check "$T 100000 events: spurious EOIs counted, dom0 and the vif go on" rn_flood

# A receive ring kept full: the guest re-posts every buffer the moment
# it is answered, and sends an event each time, while pktgen in dom0
# sends the vif 60-byte frames as fast as it can.  Nothing on the guest's
# side ever ends a pass of pvnetback's receive thread; its own bound
# (PVNETBACK_RX_PASS batches) must: tx_yields counts the passes it ended,
# and the late EOIs of the vif's one event channel go on during the storm
# (a pass that never ends owes its EOI, and the guest's events stay
# masked, its transmit ring unserved, till the storm is over).
rn_yields() { ethtool -S "vif$DOM2.0" | awk '$1 == "tx_yields:" { print $2 }'; }
rn_eois() { cat "/sys/kernel/debug/pvsplit/pvnetback-$DOM2-0/queue0/tx_eois"; }
rn_carrier() { [ "$(cat "/sys/class/net/vif$DOM2.0/carrier")" = 1 ]; }
rn_pktgen() {	# rn_pktgen VIF: pktgen's thread 0 set to send VIF 60-byte frames
	local pg=/proc/net/pktgen l
	grep -q '^pktgen ' /proc/modules || insmod /lib/modules/extra/pktgen.ko || return 1
	echo rem_device_all > $pg/kpktgend_0 && echo "add_device $1" > $pg/kpktgend_0 || return 1
	for l in "count 2000000" "pkt_size 60" "delay 0" "clone_skb 0" \
		"dst 169.254.20.9" "dst_mac 00:16:3e:00:00:09"; do
		echo "$l" > "$pg/$1" || { echo rem_device_all > $pg/kpktgend_0; return 1; }
	done
}
rn_rxstorm() {
	local vif=vif$DOM2.0 pg=/proc/net/pktgen y0 y1 e1 e2 seq pid sent out rc=0
	rn_pktgen "$vif" || return 1
	y0=$(rn_yields) || return 1
	seq=$(guest_send "$DOM2" "echo rxstorm > /sys/bus/xen/devices/vif-0/inject && dmesg | grep 'rxstorm:' | tail -n 1") ||
		{ echo rem_device_all > $pg/kpktgend_0; return 1; }
	# pktgen stops at once on a vif without carrier: an earlier case's
	# packets may have left it off (stall) until the storm posts buffers
	wait_until 5 rn_carrier || echo "carrier still off"
	# a stop that came before the start would leave pktgen running: the
	# timeout's signal ends the start, and with it every pktgen thread
	timeout 20 sh -c "echo start > $pg/pgctrl" &
	pid=$!
	sleep 1
	e1=$(rn_eois)
	sleep 1.5
	e2=$(rn_eois)
	out=$(guest_wait "$DOM2" "$seq" 30) || rc=1
	echo "$out"
	echo stop > $pg/pgctrl
	wait $pid
	sent=$(grep -o 'pkts-sofar: [0-9]*' "$pg/$vif")
	echo rem_device_all > $pg/kpktgend_0
	y1=$(rn_yields)
	echo "pktgen $sent; tx_yields $y0 -> $y1; EOIs in 1.5 s of the storm $e1 -> $e2"
	echo "# rxstorm: pktgen $sent; tx_yields $y0 -> $y1; EOIs in 1.5 s of the storm $e1 -> $e2; $out" >&3
	[ $rc = 0 ] && [ "${sent##* }" -gt 0 ] && [ "$y1" -gt "$y0" ] && [ "$e2" -gt "$e1" ] &&
		xs_is "$(rn_be 0)/state" 4 && rcase 0 good 0 1 192 0 0
}
check "$T a receive ring re-posted as fast as dom0 fills it: the RX thread's passes are bounded, the vif goes on" rn_rxstorm

# rfatal DEVID CASE WHY: a fresh vif; CASE gets no answer, the vif is
# disabled for WHY, its back end goes Closing, nothing was carried; the
# vif is removed after
rfatal() {
	local dev=$1
	rn_attach "$dev" || return 1
	if [ "$2" = prodahead ]; then
		guest "$DOM2" "echo prodahead > /sys/bus/xen/devices/vif-$dev/inject" || return 1
	else
		inject_case "$DOM2" "vif-$dev" "$2" none || return 1
	fi
	wait_until 20 be_closing "$(rn_be "$dev")" || { echo "still $(xenstore-read "$(rn_be "$dev")/state")"; return 1; }
	dmesg | grep "vif$DOM2.$dev: queue 0: " | tail -n 1
	dmesg | grep -q "vif$DOM2.$dev: queue 0: $3; vif disabled" || return 1
	xenstore-read "/local/domain/0/error/backend/vif/$DOM2/$dev/error" || return 1
	echo "counters: $(rn_stats "$dev")"
	[ "$(rn_stats "$dev")" = "0 0 0 0" ] && rn_g1_alive || return 1
	pvsplit detach vif "$DOM2" "$dev" --force
}
n=1
while read -r c why; do
	check "$T ${c}: no answer, that vif disabled ($why)" rfatal $n "$c" "$why"
	n=$((n + 1))
done <<'EOF'
slots40 far too many slots
crosspage slot crosses its page
sizegt first slot crosses its page
extra0 bad extra info type
extraunknown bad extra info type
extranoend extra info chain too long
gsounknown bad GSO type
gsozero GSO size 0
prodahead request index beyond the ring
EOF
# rparam NAME VALUE: set a parameter the rogue reads when it connects
rparam() { guest "$DOM2" "echo $2 > /sys/module/pvnet_rogue/parameters/$1"; }
# rrefused DEVID [WHAT]: the fresh vif is refused with a xenbus error
# naming WHAT (the queue count), and never connects
rrefused() {
	local dev=$1 what=${2:-bad multi-queue-num-queues} err
	pvsplit attach vif "$DOM2" --devid "$dev" --bridge $RN_BR >/dev/null || return 1
	wait_until 30 be_closing "$(rn_be "$dev")" || return 1
	err=$(xenstore-read "/local/domain/0/error/backend/vif/$DOM2/$dev/error") || return 1
	echo "error node: $err"
	grep -q "$what" <<<"$err" &&
		! dmesg | grep -q "vif$DOM2.$dev: connected" &&
		pvsplit detach vif "$DOM2" "$dev" --force
}
rqueues() { rparam num_queues "$1" && rrefused "$2"; }
check "$T multi-queue-num-queues 0: refused with a xenbus error" rqueues 0 20
check "$T multi-queue-num-queues 9: refused with a xenbus error" rqueues 9 21
# rkey DEVID PARAM VALUE KEY: a fresh vif whose front end writes KEY out
# of range: pvnetback ignores it (it offers no XDP headroom): Connected,
# carries a packet, the key is there
rkey() {
	local dev=$1
	rparam num_queues -1 && rparam "$2" "$3" || return 1
	# put the parameter back even when the vif fails: later vifs read it
	rn_attach "$dev" || { rparam "$2" "$5"; return 1; }
	rparam "$2" "$5" || return 1
	echo "$4 = $(xenstore-read "/local/domain/$DOM2/device/vif/$dev/$4")"
	xenstore-read "/local/domain/$DOM2/device/vif/$dev/$4" >/dev/null &&
		rcase "$dev" good 0 1 192 0 0 && pvsplit detach vif "$DOM2" "$dev" --force
}
check "$T xdp-headroom 4294967295: ignored, the vif connects and carries" \
	rkey 22 xdp_headroom 4294967295 xdp-headroom 0
# a control ring given but unusable fails the connection, as with the
# stock back end (the front end would wait for answers that never come)
rctrlbad() {
	local rc
	rparam num_queues -1 && rparam ctrl_ring 1 || return 1
	rrefused 23 "connecting the control ring"
	rc=$?
	rparam ctrl_ring 0 || return 1
	return $rc
}
check "$T a control ring with a garbage grant and port: refused with a xenbus error" rctrlbad
# multicast control: a fresh vif whose front end asked for it gets only
# the groups it subscribed to (pvnetback's tx_mcast_filtered counts the
# rest); dom0 sends datagrams to 224.0.0.1 (01:00:5e:00:00:01, the group
# the rogue subscribes to) and 224.0.0.2 over the bridge
rn_filtered() { ethtool -S "vif$DOM2.$1" | awk '$1 == "tx_mcast_filtered:" { print $2 }'; }
# rn_mcast_send DEVID GROUP N: N datagrams to GROUP; prints how many more
# the vif filtered
rn_mcast_send() {
	local f0 f1 n
	f0=$(rn_filtered "$1")
	for ((n = 0; n < $3; n++)); do printf x > "/dev/udp/$2/9"; done
	sleep 0.5
	f1=$(rn_filtered "$1")
	echo $((f1 - f0))
}
rmcast() {
	local dev=24 a b c
	ip route replace 224.0.0.0/4 dev $RN_BR || return 1
	rparam num_queues -1 && rparam mcast_control 1 || return 1
	rn_attach "$dev" || return 1
	rparam mcast_control 0 || return 1
	inject_case "$DOM2" "vif-$dev" mcast 0 || return 1
	a=$(rn_mcast_send $dev 224.0.0.2 10) b=$(rn_mcast_send $dev 224.0.0.1 10)
	inject_case "$DOM2" "vif-$dev" mcastdel 0 || return 1
	c=$(rn_mcast_send $dev 224.0.0.1 10)
	echo "filtered: 10 to a group not subscribed: $a; 10 to the subscribed one: $b; after leaving it: $c"
	echo "updates taken: $(ethtool -S "vif$DOM2.$dev" | awk '$1 == "mcast_updates:" { print $2 }')"
	ip route del 224.0.0.0/4 dev $RN_BR
	[ "$a" -ge 10 ] && [ "$b" -lt 5 ] && [ "$c" -ge 10 ] &&
		pvsplit detach vif "$DOM2" "$dev" --force
}
check "$T multicast control asked for: subscribe answered OK, only that group passes, leave filters it again" rmcast
# control ring: a fresh vif whose front end grants a real one
# (ctrl_real); each hostile request gets the status io/netif.h gives (the
# rogue reads it back from the shared page, id and type checked), the
# configuration dom0 holds (debugfs ctrl/hash) does not change, the
# error is counted, dom0 is up and the vif still carries
RC=25
rc_dbg() { echo "/sys/kernel/debug/pvsplit/pvnetback-$DOM2-$RC/ctrl"; }
rc_stat() { ethtool -S "vif$DOM2.$RC" | awk -v k="$1:" '$1 == k { print $2 }'; }
rc_case() { inject_case "$DOM2" "vif-$RC" "$@"; }	# rc_case CASE WANT
rc_key() { awk 'BEGIN { for (i = 0; i < 40; i++) printf "%02x", 17 + i }'; }
rc_up() {
	rparam num_queues -1 && rparam ctrl_real 1 || return 1
	rn_attach $RC || return 1
	rparam ctrl_real 0 || return 1
	[ -e "$(rc_dbg)/hash" ] || { dmesg | grep "vif$DOM2.$RC: control" | tail -n 2; return 1; }
	rc_case ctrlsize8 0 && rc_case ctrlmap 0 && rc_case ctrlkey 0 || return 1
	cat "$(rc_dbg)/hash"
	grep -qx "mapping_size 8" "$(rc_dbg)/hash" &&
		grep -qx "mapping 0 0 0 0 0 0 0 0" "$(rc_dbg)/hash" &&
		grep -qx "key $(rc_key)" "$(rc_dbg)/hash" && rcase $RC good 0 1 192 0 0
}
# rc_bad CASE WANT [COUNTER]: answered WANT, ctrl_errors (and COUNTER)
# moved, ctrl/hash unchanged, dom0 up, the vif carries
rc_bad() {
	local before after e0 e1 c0 c1 k=${3:-ctrl_errors}
	before=$(cat "$(rc_dbg)/hash") && e0=$(rc_stat ctrl_errors) && c0=$(rc_stat "$k") || return 1
	rc_case "$1" "$2" || return 1
	after=$(cat "$(rc_dbg)/hash") && e1=$(rc_stat ctrl_errors) && c1=$(rc_stat "$k") || return 1
	echo "ctrl_errors $e0 -> $e1, $k $c0 -> $c1"
	[ "$before" = "$after" ] || { echo "configuration changed: $after"; return 1; }
	[ "$e1" -gt "$e0" ] && [ "$c1" -gt "$c0" ] &&
		xenstore-read /local/domain/0/name >/dev/null && rcase $RC good 0 1 192 0 0
}
check "$T control ring (real): mapped; mapping size 8, a table and a 40-byte key: SUCCESS" rc_up
check "$T control ring: XSA-270, entries naming queue 1 and 0xffffffff of 1: INVALID_PARAMETER, old table kept" \
	rc_bad ctrlxsa270 2
check "$T control ring: sub-table 6+4 past the table's 8: INVALID_PARAMETER, table kept" rc_bad ctrlpast 2
check "$T control ring: sub-table at offset 0xffffffff (wraps): INVALID_PARAMETER" rc_bad ctrlwrap 2
check "$T control ring: SET_HASH_MAPPING_SIZE 0xffffffff: INVALID_PARAMETER, size 8 kept" rc_bad ctrlsizemax 2
check "$T control ring: SET_HASH_KEY of 41 bytes: BUFFER_OVERFLOW, key kept" rc_bad ctrlkey41 3
check "$T control ring: SET_HASH_KEY from an invalid grant ref: INVALID_PARAMETER, copy error counted" \
	rc_bad ctrlkeybadgref 2 ctrl_copy_errors
check "$T control ring: SET_HASH_KEY from a grant to another domain: INVALID_PARAMETER" \
	rc_bad ctrlkeyforeign 2 ctrl_copy_errors
check "$T control ring: unknown type 0x7777: NOT_SUPPORTED" rc_bad ctrlunknown 1
rc_flood() {
	local s0 s1
	s0=$(rc_stat ctrl_eois_spurious) || return 1
	guest "$DOM2" "echo ctrlflood > /sys/bus/xen/devices/vif-$RC/inject" || return 1
	xenstore-read /local/domain/0/name >/dev/null || return 1
	s1=$(rc_stat ctrl_eois_spurious)
	echo "ctrl spurious EOIs $s0 -> $s1"
	[ "$s1" -gt "$s0" ] && rc_bad ctrlunknown 1
}
check "$T control ring: 100000 events: spurious EOIs counted, dom0 up, still answered" rc_flood
# req_prod 1000 past what the ring holds: the pass ends (it EOIs), the ring
# is ignored from then on with one log line, even under more events; the
# data rings go on; then the vif is removed
rc_eoied() { [ "$(rc_stat ctrl_eois)" -gt "$1" ]; }
rc_runaway() {
	local e0 e1 r0 r1 n
	e0=$(rc_stat ctrl_eois) && r0=$(rc_stat ctrl_requests) || return 1
	guest "$DOM2" "echo ctrlrunaway > /sys/bus/xen/devices/vif-$RC/inject" || return 1
	wait_until 10 rc_eoied "$e0"
	guest "$DOM2" "echo ctrlflood > /sys/bus/xen/devices/vif-$RC/inject" || return 1
	rc_case ctrlunknown none || return 1
	e1=$(rc_stat ctrl_eois) r1=$(rc_stat ctrl_requests)
	n=$(dmesg | grep -c "vif$DOM2.$RC: control ring: bad producer index")
	echo "ctrl_eois $e0 -> $e1, ctrl_requests $r0 -> $r1, log lines $n"
	xenstore-read /local/domain/0/name >/dev/null && [ "$e1" -gt "$e0" ] &&
		[ "$r1" = "$r0" ] && [ "$n" = 1 ] && rcase $RC good 0 1 192 0 0 &&
		pvsplit detach vif "$DOM2" $RC --force
}
check "$T control ring: req_prod far past the ring: bounded (EOIed), ignored from then on, the vif carries" \
	rc_runaway
check "$T after it all the first vif still carries and is Connected" rcase 0 good 0 1 192 0 0
# rn_vifs: g2's vifs in dom0, on one line
rn_vifs() {
	local v
	for v in /sys/class/net/vif"$DOM2".*; do
		[ -e "$v" ] && printf '%s ' "${v##*/}"
	done
}
rn_only0() { [ "$(rn_vifs)" = "vif$DOM2.0 " ]; }
rn_left() {	# dom0 answers; of g2's vifs only vif 0 is left
	xenstore-read /local/domain/0/name || return 1
	wait_until 20 rn_only0
	echo "g2's vifs: $(rn_vifs)"
	rn_only0
}
check "$T dom0 is up, every broken vif is gone" rn_left
check "g1: ping dom0 -> g1 after the hostile front end" rn_ping
rn_g1_from() { guest "$DOM" "ping -c 3 -i 0.2 -W 5 $RN_DOM0"; }
check "g1: ping g1 -> dom0 after the hostile front end" rn_g1_from
rn_cleanup() {
	pvsplit detach vif "$DOM2" 0 --force || return 1
	xl destroy g2 || return 1
	wait_until 30 sh -c "! ls /sys/class/net | grep -q '^vif$DOM2\\.'"
}
check "clean up g2: its vifs go" rn_cleanup
settle_after_destroy
check "after the hostile netif front end: Xen's counts and pvsplit's resources at baseline" \
	leak_check_settled roguenet "$DOM"
rn_g1_down() {
	pvsplit detach vif g1 0 || return 1
	wait_until 30 sh -c "! [ -e /sys/class/net/vif$DOM.0 ]"
}
check "g1: its vif detaches gracefully" rn_g1_down
check "pvnetback unloads once no vif is left" rmmod pvnetback
