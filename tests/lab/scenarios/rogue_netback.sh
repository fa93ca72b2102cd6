# SPDX-License-Identifier: GPL-2.0-only
# plan: 38
# A hostile netif back end (tests/rogue/pvnetback_rogue.c) in dom0 serves
# vifs of guest g5, whose front end is pvnetfront, and answers it as a
# malicious back end would.  Honestly it answers ARP and ping for any
# address on its "wire" (169.254.20.0/24), so traffic passes first.  For
# each case, on a vif of its own: the guest stays up with no new WARN,
# BUG or Oops; pvnetfront disables that device (carrier off, a xenbus
# error node, "device disabled" in its dmesg) or drops the packet and
# counts it (the counters move by exactly that); no page granted to the
# hostile back end held the marker written into freed guest memory; once
# the vif is detached Xen's counts and pvsplit's resources in dom0 and in
# g5 are back at baseline; and a second vif, served by pvnetback and
# bridged to dom0, still passes ping both ways.
# Binding is by hand (drivers_autoprobe off in dom0) so that pvnetback and
# the hostile back end serve a vif each.
NB_XBE=/sys/bus/xen-backend
NB_BR=xenbr0
NB_DOM0=169.254.10.1
NB_GOOD=169.254.10.5
NB_WIRE=169.254.20.1
NB_ME=169.254.20.2
T="hostile net back end:"
nb_setup() {
	if ! [ -e /sys/class/net/$NB_BR ]; then
		ip link add name $NB_BR type bridge stp_state 0 forward_delay 0 &&
			ip addr add $NB_DOM0/24 dev $NB_BR && ip link set $NB_BR up || return 1
	fi
	if ! grep -q '^pvnetback ' /proc/modules; then
		insmod /pvsplit/pvnetback.ko && : > /tmp/nb-netback || return 1
	fi
		insmod /pvsplit/pvrogue.ko && insmod /pvsplit/pvnetback_rogue.ko &&
		echo 0 > $NB_XBE/drivers_autoprobe
}
leak_baseline rnback0 "$DOM"
check "dom0: bridge up, pvnetback and the hostile back end loaded, automatic binding off" nb_setup
# init_on_alloc=0: Debian's kernels clear every page they hand out, which
# would hide a page pvnetfront grants without clearing it itself
DOM5=$(start_guest g5 init_on_alloc=0)
nb_boot() { test -n "$DOM5" && guest "$DOM5" "dmesg | grep 'mem auto-init:'" | grep 'heap alloc:off'; }
check "$T guest g5 boots, pages not cleared by the allocator (init_on_alloc=0)" nb_boot
check "g5: load pvnetfront (it trusts back ends unless told not to)" guest "$DOM5" \
	"insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvnetfront.ko"

# Each vif's front end is told not to trust its back end by the
# toolstack's key (trusted = 0 in its own directory, written before the
# back end is bound, read when it connects); NB_TRUST=1 leaves it out.
NB_FE=/local/domain/$DOM5/device/vif

# nb_attach DEVID DRIVER [BRIDGE]: attach, bind the back end to DRIVER
# (pvsplit attach waits for the back end's netdev), wait until Connected
nb_attach() {
	local pid
	pvsplit attach vif "$DOM5" --devid "$1" ${3:+--bridge "$3"} > /tmp/nb-attach.log 2>&1 &
	pid=$!
	wait_until 10 test -e "$NB_XBE/devices/vif-$DOM5-$1" &&
		{ [ "${NB_TRUST:-0}" = 1 ] || xenstore-write "$NB_FE/$1/trusted" 0; } &&
		echo "vif-$DOM5-$1" > "$NB_XBE/drivers/$2/bind" ||
		{ wait $pid; dmesg | tail -n 10; return 1; }
	wait $pid || { cat /tmp/nb-attach.log; return 1; }
	pvsplit wait vif "$DOM5" "$1" connected --timeout 30 || {
		dmesg | tail -n 10; guest "$DOM5" "dmesg | tail -n 10"; return 1; }
}
# nb_if DEVID: the guest's netdev of vif DEVID
nb_if() { guest "$DOM5" "ls /sys/bus/xen/devices/vif-$1/net"; }
# nb_up DEVID ADDR: that netdev up with ADDR/24
nb_up() {
	local i
	wait_until 20 nb_if "$1" || return 1
	i=$(nb_if "$1")
	guest "$DOM5" "ip link set $i up && ip addr add $2/24 dev $i"
}
nb_good_up() { nb_attach 0 pvnetback $NB_BR && nb_up 0 $NB_GOOD; }
check "g5: a good vif (0) served by pvnetback, bridged, up" nb_good_up
nb_good() { ping -c 2 -i 0.2 -W 5 $NB_GOOD && guest "$DOM5" "ping -c 2 -i 0.2 -W 5 $NB_DOM0"; }
check "g5: the good vif passes ping both ways" nb_good
# not trusted: every received byte was copied out of the granted pages
nb_untrusted() {
	local out
	out=$(guest "$DOM5" "ethtool -S $(nb_if 0)") || return 1
	grep -E '^ +(trusted|rx_zerocopy|rx_packets):' <<<"$out"
	grep -qE '^ +trusted: 0$' <<<"$out" && grep -qE '^ +rx_zerocopy: 0$' <<<"$out" &&
		grep -qE '^ +rx_packets: [1-9]' <<<"$out"
}
check "g5: the good vif, trusted key 0: its front end does not trust, nothing received went up uncopied" nb_untrusted
leak_baseline rnback "$DOM5"

# check runs each case in a subshell: the vif a case uses is in a file
echo 0 > /tmp/nb-dev
NB_ERR=/local/domain/$DOM5/error/device/vif
nb_sys() { cat "$NB_XBE/devices/vif-$DOM5-$NB_DEV/$1"; }
nb_inject() { echo "$1" > "$NB_XBE/devices/vif-$DOM5-$NB_DEV/inject"; }
nb_stat() { guest "$DOM5" "cat /sys/class/net/$NB_IF/statistics/$1"; }
nb_carrier() { guest "$DOM5" "cat /sys/class/net/$NB_IF/carrier"; }
nb_warns() { guest "$DOM5" "dmesg | grep -cE '$KERNEL_REPORT' || true"; }
# nb_msgs ERE: lines of g5's dmesg matching ERE (netdev names are reused)
nb_msgs() { guest "$DOM5" "dmesg | grep -cE '$1' || true"; }
# nb_cur: the vif of the case running (NB_DEV, NB_IF in g5)
nb_cur() { NB_DEV=$(cat /tmp/nb-dev); NB_IF=$(nb_if "$NB_DEV"); }
nb_ping() { guest "$DOM5" "ping -c 2 -i 0.2 -W 5 $NB_WIRE"; }
nb_deferred() { resources "$DOM5" | awk '$1 == "grants_deferred" { print $2 }'; }
# nb_new: a fresh vif of the hostile back end, up, ping through it;
# detached again when that fails
nb_new() { nb_new1 || { nb_detach; return 1; }; }
nb_new1() {
	NB_DEV=$(($(cat /tmp/nb-dev) + 1))
	echo $NB_DEV > /tmp/nb-dev
	xenstore-rm "$NB_ERR/$NB_DEV" 2>/dev/null
	nb_attach $NB_DEV pvnetback_rogue || { echo "attach failed"; return 1; }
	nb_up $NB_DEV $NB_ME || return 1
	NB_IF=$(nb_if $NB_DEV)
	nb_ping || { echo "no ping through the hostile back end"; return 1; }
	NB_DIS=$(nb_msgs "$NB_IF: queue 0: .*device disabled")
	NB_DISC=$(nb_msgs "$NB_IF: disconnected")
}
nb_detach() {
	pvsplit detach vif "$DOM5" "$NB_DEV" --force >/dev/null
	wait_until 30 guest "$DOM5" "! test -e /sys/bus/xen/devices/vif-$NB_DEV" &&
		wait_until 30 sh -c "! test -e $NB_XBE/devices/vif-$DOM5-$NB_DEV" ||
		{ echo "vif $NB_DEV did not go"; return 1; }
}
# TX requests in flight: ping, held unanswered
nb_hold() {
	nb_inject hold || return 1
	guest "$DOM5" "(ping -c 4 -i 0.3 -W 1 $NB_WIRE; true) </dev/null >/dev/null 2>&1 &" || return 1
	wait_until 20 sh -c "test \"\$(cat $NB_XBE/devices/vif-$DOM5-$NB_DEV/nr_held)\" -ge 2" ||
		{ echo "no requests held"; return 1; }
}

# what a case must leave: broken (that device disabled), counted (the
# packet dropped, the counters exact, the device goes on), works (traffic
# still passes), gone (the front end disconnected as told)
nb_broken() {
	wait_until 20 xenstore-read "$NB_ERR/$NB_DEV/error" || { echo "no xenbus error node"; return 1; }
	echo "error node: $(xenstore-read "$NB_ERR/$NB_DEV/error")"
	guest "$DOM5" "dmesg | grep '$NB_IF: queue 0: .*device disabled' | tail -n 1"
	[ "$(nb_msgs "$NB_IF: queue 0: .*device disabled")" = $((NB_DIS + 1)) ] ||
		{ echo "no new 'device disabled' line"; return 1; }
	[ "$(nb_carrier)" = 0 ] || { echo "carrier still on"; return 1; }
}
nb_works() { [ "$(nb_carrier)" = 1 ] && nb_ping; }
nb_gone() {
	wait_until 20 sh -c "[ \"\$(xenstore-read $NB_FE/$NB_DEV/state)\" = 6 ]" ||
		{ echo "front end $(xenstore-read "$NB_FE/$NB_DEV/state")"; return 1; }
	[ "$(nb_msgs "$NB_IF: disconnected")" -gt "$NB_DISC" ] || { echo "no 'disconnected' line"; return 1; }
	! xenstore-read "$NB_ERR/$NB_DEV/error" || return 1
	[ "$(nb_carrier)" = 0 ]
}
nb_none() { true; }	# the case's own check says it all
# per-case checks beyond the outcome
nb_x_flood() {
	local now
	now=$(guest "$DOM5" "grep '$NB_IF-q0' /proc/interrupts" | awk '{ print $2 }')
	echo "# flood: front end interrupts $NB_IRQ -> $now (100000 events sent)" >&3
	[ -n "$now" ] && [ $((now - NB_IRQ)) -lt 100000 ]
}
nb_carrier_on() { [ "$(nb_carrier)" = 1 ]; }
nb_disc_more() { [ "$(nb_msgs "$NB_IF: disconnected")" -gt "$NB_DISC" ]; }
nb_x_reconnect() {
	wait_until 20 nb_disc_more || { echo "the front end never disconnected"; return 1; }
	wait_until 30 xs_is "$NB_FE/$NB_DEV/state" 4 ||
		{ echo "front end state $(xenstore-read "$NB_FE/$NB_DEV/state")"; return 1; }
	wait_until 20 nb_carrier_on || { echo "carrier still off"; return 1; }
	nb_ping
}

# nb_case CASE HELD OUTCOME: see above; HELD "held" holds TX requests first
nb_case() {
	local c=$1 rc=0 w m
	nb_new || return 1
	w=$(nb_warns)
	NB_IRQ=$(guest "$DOM5" "grep '$NB_IF-q0' /proc/interrupts" | awk '{ print $2 }')
	[ "$2" != held ] || nb_hold || rc=1
	[ $rc = 1 ] || nb_inject "$c" || { echo "inject $c failed"; rc=1; }
	[ $rc = 1 ] || "nb_$3" || rc=1
	if [ $rc = 0 ] && [ "$(type -t "nb_x_$c")" = function ]; then
		"nb_x_$c" || rc=1
	fi
	guest "$DOM5" true || { echo "guest g5 is down"; return 1; }
	[ "$(nb_warns)" = "$w" ] || { echo "a WARN in g5:"; guest "$DOM5" "dmesg | grep -A5 -E '$KERNEL_REPORT' | tail -n 20"; rc=1; }
	m=$(nb_sys marker_pages)
	echo "served $(nb_sys served), filled $(nb_sys filled), pages seen with the marker: $m"
	[ "$m" = 0 ] || rc=1
	nb_detach || rc=1
	nb_good || { echo "the good vif failed"; rc=1; }
	leak_check_settled rnback "$DOM5" || rc=1
	return $rc
}

# freed guest memory filled with the marker: 64 MiB of 0xa7 in a file of
# g5's tmpfs, removed again
nb_fill() {
	guest "$DOM5" "printf '\\247\\247\\247\\247\\247\\247\\247\\247' > /tmp/mk && for i in \$(seq 23); do cat /tmp/mk /tmp/mk > /tmp/mk2 && mv /tmp/mk2 /tmp/mk || exit 1; done && ls -l /tmp/mk && rm /tmp/mk" 300
}
check "g5: 64 MiB of guest memory filled with the marker and freed" nb_fill

nb_honest() {
	nb_new && guest "$DOM5" "ping -c 5 -i 0.3 -W 5 $NB_WIRE" || return 1
	echo "served $(nb_sys served), filled $(nb_sys filled), echoed $(nb_sys echoed), marker $(nb_sys marker_pages)"
	[ "$(nb_sys served)" -ge 5 ] && [ "$(nb_sys echoed)" -ge 5 ] &&
		[ "$(nb_sys marker_pages)" = 0 ] && nb_detach && leak_check_settled rnback "$DOM5"
}
check "$T served honestly first: ARP and ping answered through it, no page it gets holds the marker" nb_honest
# the scan can fail: pings whose payload is the marker are counted
nb_catch() {
	nb_new && guest "$DOM5" "ping -c 3 -s 1000 -p a7 -W 5 $NB_WIRE" || return 1
	echo "pages seen with the marker: $(nb_sys marker_pages)"
	[ "$(nb_sys marker_pages)" -ge 3 ] && nb_detach && leak_check_settled rnback "$DOM5"
}
check "$T its scan counts pings carrying the marker (the check can fail)" nb_catch

# nb_count CASE DPACKETS DERRORS: one vif (nb_count_vif) takes CASE; the
# front end's rx_packets and rx_errors move by exactly that much, the
# device stays on and passes traffic
nb_count() {
	local p0 e0 p1 e1
	nb_cur
	p0=$(nb_stat rx_packets) && e0=$(nb_stat rx_errors) || return 1
	nb_inject "$1" || return 1
	sleep 1
	p1=$(nb_stat rx_packets) && e1=$(nb_stat rx_errors) || return 1
	echo "rx_packets +$((p1 - p0)) rx_errors +$((e1 - e0)) (want +$2 +$3)"
	[ $((p1 - p0)) = "$2" ] && [ $((e1 - e0)) = "$3" ] && nb_works
}
nb_count_vif() { nb_new && nb_warns > /tmp/nb-warns; }
check "$T a vif for the counted cases" nb_count_vif
check "$T one good frame: rx_packets +1" nb_count rxgood 1 0
# the counter check can fail: the same frame, said to move nothing
check_fails "$T the counter check catches a frame it was not told of" nb_count rxgood 0 0
check "$T an RX error status: the packet dropped, rx_errors +1" nb_count rxerror 0 1
check "$T a 10-byte RX packet: dropped, rx_errors +1" nb_count rxrunt 0 1
nb_count_done() {
	nb_cur
	echo "marker $(nb_sys marker_pages)"
	[ "$(nb_sys marker_pages)" = 0 ] && [ "$(nb_warns)" = "$NB_W" ] &&
		nb_detach && nb_good && leak_check_settled rnback "$DOM5"
}
NB_W=$(cat /tmp/nb-warns 2>/dev/null)
check "$T after the counted cases: no marker, no WARN, nothing leaked" nb_count_done

check "$T TX response with an id out of range: device disabled" nb_case txbadid held broken
check "$T TX response with a bad status: device disabled" nb_case txbadstatus held broken
check "$T TX response id duplicated: device disabled" nb_case txdupid held broken
check "$T TX response for an id not in flight: device disabled" nb_case txnotinflight held broken
check "$T TX rsp_prod far ahead: device disabled" nb_case prodahead held broken
check "$T TX rsp_prod going backwards: device disabled" nb_case txprodback held broken
check "$T RX response id not its slot's: device disabled" nb_case rxbadid - broken
check "$T RX response id duplicated: device disabled" nb_case rxdupid - broken
check "$T RX offset+size past the page: device disabled" nb_case rxoffset - broken
check "$T RX status past the buffer: device disabled" nb_case rxstatus - broken
check "$T RX rsp_prod far ahead: device disabled" nb_case rxprodahead - broken
check "$T RX rsp_prod going backwards: device disabled" nb_case rxprodback - broken
check "$T RX extra-info chain with no end: device disabled" nb_case rxextranoend - broken
check "$T RX extra info of an unknown type: device disabled" nb_case rxextraunknown - broken
check "$T RX GSO extra of size 0: device disabled" nb_case rxgso0 - broken
check "$T an event storm (100000 events, lateeoi): the guest and the vif go on" nb_case flood - works
check "$T Closing with TX in flight: the front end disconnects" nb_case closing held gone
check "$T a reconnection: the vif comes back and passes traffic" nb_case reconnect - none

# grants kept mapped after their responses, then the front end
# disconnects: it revokes them later (deferred) and never reuses the
# pages, so the marker written into freed memory never shows in them
nb_keep() {
	local d0 d1 w
	nb_new || return 1
	w=$(nb_warns)
	d0=$(nb_deferred)
	nb_inject keepmapped && nb_ping || return 1
	echo "kept mapped: $(nb_sys nr_kept)"
	[ "$(nb_sys nr_kept)" = 2 ] || return 1
	nb_inject closing && nb_gone || return 1
	d1=$(nb_deferred)
	echo "# keepmapped: g5 grants_deferred $d0 -> $d1" >&3
	[ "$d1" -ge $((d0 + 2)) ] || return 1
	nb_fill >/dev/null || return 1
	echo "kept pages holding the marker: $(nb_sys kept_marker), pages seen with it: $(nb_sys marker_pages)"
	[ "$(nb_sys kept_marker)" = 0 ] && [ "$(nb_sys marker_pages)" = 0 ] || return 1
	[ "$(nb_warns)" = "$w" ] && nb_detach && nb_good && leak_check_settled rnback "$DOM5"
}
check "$T TX and RX grants kept mapped, then a disconnect: the pages are never reused" nb_keep

# a back end trusted (no key) that keeps a receive page mapped after
# filling it: passing that page up the stack would leave it writable by
# the back end, so the device is disabled, nothing leaks; Linux's grant
# code says "g.e. ... still in use" once (a WARNING: line, no WARN)
nb_warns_real() { guest "$DOM5" "dmesg | grep -E '$KERNEL_REPORT' | grep -vc 'WARNING: g.e. ' || true"; }
nb_trustmap() {
	local w
	NB_TRUST=1 nb_new || return 1
	guest "$DOM5" "ethtool -S $NB_IF" | grep -E '^ +trusted: 1$' || { echo "not trusted"; return 1; }
	w=$(nb_warns_real)
	nb_inject keepmapped || return 1
	guest "$DOM5" "ping -c 2 -s 1000 -W 2 $NB_WIRE >/dev/null 2>&1; true" || return 1
	nb_broken || return 1
	guest "$DOM5" "dmesg | grep '$NB_IF: queue 0: back end maps a receive page; device disabled'" || return 1
	echo "kept mapped: $(nb_sys nr_kept), pages seen with the marker: $(nb_sys marker_pages)"
	[ "$(nb_sys marker_pages)" = 0 ] && [ "$(nb_warns_real)" = "$w" ] &&
		nb_detach && nb_good && leak_check_settled rnback "$DOM5"
}
check "$T trusted, an RX page kept mapped once filled: device disabled, the page never passed up" nb_trustmap

# trusted and honest: the pages pvnetfront grants in place of those it
# passes up are cleared first.  The hostile back end maps every RX page it
# fills and scans it for the marker before writing (rx_marker_pages: the
# requests' TX pages carry the marker as data meant for it); 600 replies
# of 1000 bytes of the marker (ping -p a7) wrap the 256-slot ring twice,
# so it fills fresh pages.  A page passed up is freed as soon as ping has read the reply,
# and is the first the allocator hands out again: the fresh page of the
# next reply, uncleared, would hold that reply's marker.
nb_zc() { guest "$DOM5" "ethtool -S $NB_IF" | awk '$1 == "rx_zerocopy:" { print $2; exit }'; }
nb_trustfresh() {
	local z0 z1
	NB_TRUST=1 nb_new || return 1
	z0=$(nb_zc)
	guest "$DOM5" "ping -q -A -c 600 -s 1000 -p a7 -w 120 $NB_WIRE" | tail -n 2
	z1=$(nb_zc)
	echo "rx_zerocopy $z0 -> $z1, filled $(nb_sys filled), receive buffers holding the marker: $(nb_sys rx_marker_pages)"
	[ $((z1 - z0)) -ge 512 ] && [ "$(nb_sys rx_marker_pages)" = 0 ] &&
		nb_detach && nb_good && leak_check_settled rnback "$DOM5"
}
check "$T trusted and honest: the fresh pages granted in place of those passed up come cleared" nb_trustfresh

# removal right after a reconnection: the vif goes while the front end
# connects again
nb_rmre() {
	local w
	nb_new || return 1
	w=$(nb_warns)
	nb_inject reconnect || return 1
	nb_detach || return 1
	guest "$DOM5" true && [ "$(nb_warns)" = "$w" ] && nb_good &&
		leak_check_settled rnback "$DOM5"
}
check "$T removal right after a reconnection: the vif goes, nothing left" nb_rmre

nb_cleanup() {
	local rc=0
	xl destroy g5 || rc=1
	echo 1 > $NB_XBE/drivers_autoprobe || rc=1
	settle_after_destroy
	wait_until 30 sh -c "! ls /sys/class/net | grep -q '^vif$DOM5\\.'" || rc=1
	rmmod pvnetback_rogue && rmmod pvrogue || rc=1
	if [ -e /tmp/nb-netback ]; then
		rmmod pvnetback && rm /tmp/nb-netback || rc=1
	fi
	leak_check_settled rnback0 "$DOM" || rc=1
	return $rc
}
check "clean up g5: Xen's counts and pvsplit's resources at baseline" nb_cleanup
