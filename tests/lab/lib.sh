#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for lab scenarios in dom0: TAP output, guest commands, waiting,
# and resource counts for leak checks.

TAP_N=0
TAP_FAIL=0
# fd 3 reaches the console even from inside check's captured output
exec 3>&1

# ok COND-EXIT-CODE NAME: print one TAP line
tap() {
	local rc=$1; shift
	TAP_N=$((TAP_N + 1))
	if [ "$rc" = 0 ]; then
		echo "TAP: ok $TAP_N - $*"
	else
		TAP_FAIL=$((TAP_FAIL + 1))
		echo "TAP: not ok $TAP_N - $*"
	fi
	return "$rc"
}

# check NAME CMD...: run CMD, report it as one test case, show output on failure
check() {
	local name=$1 out rc; shift
	out=$("$@" 2>&1)
	rc=$?
	[ $rc = 0 ] || printf '%s\n' "$out" | sed 's/^/#   /' | tail -n 100
	tap "$rc" "$name"
}

# check_fails NAME CMD...: CMD must fail
check_fails() {
	local name=$1 out rc; shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/#   /' | tail -n 3
	[ $rc != 0 ]
	tap $? "$name"
}

# wait_until SECONDS CMD...: poll CMD until it succeeds; every 0.1 s for
# two seconds, then every 0.5 s (each try forks, and under TCG forks in
# dom0 take CPU from what a benchmark measures)
wait_until() {
	local t=$1 end n=0; shift
	end=$((SECONDS + t))
	while ! "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -ge "$end" ] && return 1
		n=$((n + 1))
		if [ $n -lt 20 ]; then sleep 0.1; else sleep 0.5; fi
	done
	return 0
}

# xs_is PATH VALUE: the xenstore node PATH reads VALUE now
xs_is() {
	[ "$(xenstore-read "$1" 2>/dev/null)" = "$2" ]
}

# guest DOMID CMD [TIMEOUT]: run CMD in the guest, print its output,
# return its exit code (124 on timeout)
guest() {
	local dom=$1 cmd=$2 t=${3:-120} base out seq
	base=/local/domain/$dom/data
	# a file, not a variable: guest runs inside $(...) subshells too
	seq=$(($(cat /tmp/agent.seq 2>/dev/null || echo 0) + 1))
	echo "$seq" > /tmp/agent.seq
	# raw (-R): the command arrives byte for byte, backslashes included
	xenstore-write -R "$base/cmd" "$seq $cmd" || return 125
	if ! wait_until "$t" xs_is "$base/done" "$seq"; then
		echo "guest $dom: timeout running: $cmd"
		return 124
	fi
	out=$(xenstore-read -R "$base/out")
	out=${out#|}
	printf '%s\n' "${out//$'\036'/$'\n'}"
	return "$(xenstore-read "$base/rc")"
}

# start_guest NAME [EXTRA]: create a PV guest running the agent; prints domid.
# GUEST_CFG adds lines to its xl configuration (e.g. a disk= line).
start_guest() {
	local name=$1 cfg=/tmp/$1.cfg dom
	cat > "$cfg" <<CFG
name = "$name"
type = "pv"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd.gz"
extra = "console=hvc0 quiet ${2:-}"
memory = ${GUEST_MEM:-512}
vcpus = 1
on_crash = "destroy"
${GUEST_CFG:-}
CFG
	xl create -q "$cfg" >/tmp/xl-create-$name.log 2>&1 || {
		cat /tmp/xl-create-$name.log >&2; return 1; }
	dom=$(xl domid "$name") || return 1
	wait_until 120 xs_is "/local/domain/$dom/data/agent" ready || {
		echo "# guest $name did not come up" >&2; guest_log "$name" >&2; return 1; }
	echo "$dom"
}

guest_log() {
	tail -n 40 "/var/log/xen/console/guest-$1.log" 2>/dev/null | sed 's/^/#   guest: /'
}

# resource VALUE-NAME: a counter of pvsplit_common in this domain
resource() {
	awk -v k="$1" '$1 == k { print $2 }' /sys/kernel/debug/pvsplit/resources 2>/dev/null
}

# xen_active_grants DOMID: grant entries of DOMID mapped by anyone, per Xen
xen_active_grants() {
	xl dmesg -c >/dev/null
	xl debug-keys g
	xl dmesg -c | awk -v d="d$1" '
		/grant-table for remote/ { on = ($NF == d || $(NF-1) == d) ; next }
		/grant-table for/ { on = 0 }
		on && /\[ *[0-9]+\]/ { n++ }
		END { print n + 0 }'
}

# xen_evtchns DOMID: event channel ports in use by DOMID, per Xen
xen_evtchns() {
	xl dmesg -c >/dev/null
	xl debug-keys e
	xl dmesg -c | awk -v d="$1" '
		/Event channel information for domain/ { on = ($NF == d":" || $NF == d); next }
		/Event channel information/ { on = 0 }
		on && /^\(XEN\) +[0-9]+ \[/ { n++ }
		END { print n + 0 }'
}

# json TEXT: one benchmark row for bench-results/
json() {
	echo "JSON: $*" >&3
}

# settle_after_destroy: wait (up to 90 s) until Xen has taken back the
# memory of a destroyed guest; under TCG scrubbing it slows everything else
settle_after_destroy() {
	local prev=-1 cur i
	for i in $(seq 45); do
		cur=$(xl info 2>/dev/null | awk '$1 == "free_memory" { print $3 }')
		[ "$cur" = "$prev" ] && return 0
		prev=$cur
		sleep 2
	done
}
