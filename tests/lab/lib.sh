#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Helpers for lab scenarios in dom0: TAP output, guest commands, waiting,
# and resource counts for leak checks.

TAP_N=0
TAP_FAIL=0
TAP_T=$SECONDS
# fd 3 reaches the console even from inside check's captured output
exec 3>&1

# ok COND-EXIT-CODE NAME: print one TAP line, and after it how long the
# case took when that was 10 s or more (what make test's time goes to)
tap() {
	local rc=$1 took=$((SECONDS - TAP_T)); shift
	TAP_N=$((TAP_N + 1))
	TAP_T=$SECONDS
	if [ "$rc" = 0 ]; then
		echo "TAP: ok $TAP_N - $*"
	else
		TAP_FAIL=$((TAP_FAIL + 1))
		echo "TAP: not ok $TAP_N - $*"
	fi
	[ "$took" -lt 10 ] || echo "# case $TAP_N took $took s"
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

# xs_wait SECONDS PATH VALUE: wait until the node PATH reads VALUE, asleep
# in a xenstore watch on it (it fires once when set, then at each write),
# so an answer is seen at once and nothing polls meanwhile; where the
# watch cannot be had or ends early, poll for the rest of the time.
xs_wait() {
	local end=$((SECONDS + $1)) path=$2 want=$3 rc=1 left
	coproc XSW { exec xenstore-watch "$path" 2>/dev/null; }
	while left=$((end - SECONDS)) && [ "$left" -gt 0 ] &&
	      read -r -t "$left" _ <&"${XSW[0]}" 2>/dev/null; do
		xs_is "$path" "$want" && { rc=0; break; }
	done
	kill "$XSW_PID" 2>/dev/null
	wait "$XSW_PID" 2>/dev/null
	[ $rc = 0 ] && return 0
	left=$((end - SECONDS))
	[ "$left" -gt 0 ] && wait_until "$left" xs_is "$path" "$want"
}

# guest DOMID CMD [TIMEOUT]: run CMD in the guest, print its output,
# return its exit code (124 on timeout)
guest() {
	local seq
	seq=$(guest_send "$1" "$2") || return 125
	guest_wait "$1" "$seq" "${3:-120}"
}

# guest_send DOMID COMMAND: hand COMMAND to DOMID's agent and return at
# once, printing the sequence number for guest_wait (a benchmark samples
# Xen's accounting meanwhile, with nothing polling on either side)
guest_send() {
	local seq
	# a file, not a variable: guest runs inside $(...) subshells too
	seq=$(($(cat /tmp/agent.seq 2>/dev/null || echo 0) + 1))
	echo "$seq" > /tmp/agent.seq
	# raw (-R): the command arrives byte for byte, backslashes included
	xenstore-write -R "/local/domain/$1/data/cmd" "$seq $2" || return 125
	echo "$seq"
}

# guest_wait DOMID SEQ [TIMEOUT]: the output and exit status of command SEQ
guest_wait() {
	local base=/local/domain/$1/data out
	if ! xs_wait "${3:-120}" "$base/done" "$2"; then
		echo "guest $1: timeout running: $(xenstore-read -R "$base/cmd" 2>/dev/null)"
		return 124
	fi
	out=$(xenstore-read -R "$base/out")
	out=${out#|}
	printf '%s\n' "${out//$'\036'/$'\n'}"
	return "$(xenstore-read "$base/rc")"
}

# expect_exit CODE MESSAGE CMD...: CMD exits CODE and says MESSAGE (an ERE)
expect_exit() {
	local want=$1 msg=$2 out rc; shift 2
	out=$("$@" 2>&1)
	rc=$?
	echo "exit $rc (want $want): $out" | head -n 3
	[ "$rc" = "$want" ] && grep -qE "$msg" <<<"$out"
}

# start_guest NAME [EXTRA]: create a PV guest running the agent; prints domid.
# GUEST_CFG adds lines to its xl configuration (e.g. a disk= line),
# GUEST_MEM sets its memory (MiB), GUEST_VCPUS its vCPUs (default 1).
start_guest() {
	local name=$1 cfg=/tmp/$1.cfg dom
	cat > "$cfg" <<CFG
name = "$name"
type = "pv"
kernel = "/guest/vmlinuz"
ramdisk = "/guest/initrd.gz"
extra = "console=hvc0 quiet ${2:-}"
memory = ${GUEST_MEM:-512}
vcpus = ${GUEST_VCPUS:-1}
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

# xen_dump KEY: press Xen debug key KEY and print what it dumped, with the
# "(XEN) " prefix; fails when the start of the dump is not there (the
# console ring overflowed: a count from it would be short)
xen_dump() {
	local out
	xl dmesg -c >/dev/null || return 1
	xl debug-keys "$1" || return 1
	out=$(xl dmesg -c) || return 1
	case $1 in
	g) grep -q "gnttab_usage_print_all \[ key 'g' pressed" <<<"$out" &&
		grep -q 'gnttab_usage_print_all \] done' <<<"$out" ;;
	e) grep -q "'e' pressed -> dumping event-channel info" <<<"$out" ;;
	esac || { echo "xen_dump $1: incomplete dump" >&2; return 1; }
	printf '%s\n' "$out"
}

# xen_active_grants DOMID: entries of DOMID's grant table that some domain
# has mapped or is copying now (Xen lists only those with a pin count), as
# Xen 4.17's debug key g prints them:
#   (XEN) grant-table for remote d1 (v1)
#   (XEN)   1 frames (64 max), 0 maptrack frames (1024 max)
#   (XEN) [0x000]      0 0x9ee02 0x00000002          0 0x09ee02 0x19
# ([ref] mapping-domain mfn pin granted-to gfn flags).  Prints nothing and
# fails when the dump lacks DOMID's table.
xen_active_grants() {
	local out
	out=$(xen_dump g) || return 1
	awk -v d="d$1" '
		/grant-table for remote / { on = ($(NF - 1) == d); seen += on; next }
		/gnttab_usage_print_all \] done/ { on = 0 }
		on && /^\(XEN\) \[0x[0-9a-f]+\] / { n++ }
		END { if (!seen) exit 1; print n + 0 }' <<<"$out"
}

# xen_evtchns DOMID: event channel ports DOMID has in use (any state but
# free), as Xen 4.17's debug key e prints them:
#   (XEN) Event channel information for domain 1:
#   (XEN)        1 [0/0/  -   ]: s=3 n=0 x=0 d=0 p=16
# Prints nothing and fails when the dump lacks DOMID.
xen_evtchns() {
	local out
	out=$(xen_dump e) || return 1
	xen_evtchns_in "$out" "$1"
}

# xen_evtchns_in DUMP DOMID: the same, from a dump of key e already taken
# (one dump serves several domains: each costs three xl commands)
xen_evtchns_in() {
	awk -v d="$2:" '
		/Event channel information for domain / { on = ($NF == d); seen += on; next }
		on && /^\(XEN\) +[0-9]+ \[[0-9]\/[0-9]\// { n++ }
		END { if (!seen) exit 1; print n + 0 }' <<<"$1"
}

RES=/sys/kernel/debug/pvsplit/resources

# resources [DOMID]: pvsplit_common's counters ("key value" lines) in dom0,
# or in guest DOMID
resources() {
	if [ -n "${1:-}" ]; then
		guest "$1" "cat $RES" 20
	else
		cat "$RES"
	fi
}

# resources_zero [DOMID]: pvsplit_common holds nothing in dom0 (or in
# guest DOMID): every key but grants_deferred (an event count) is 0
resources_zero() {
	local out
	out=$(resources "${1:-}") || return 1
	echo "$out"
	[ -n "$out" ] &&
		awk '$1 != "grants_deferred" && $2 != 0 { bad = 1 } END { exit bad }' <<<"$out"
}

# leak_counts DOMID: every count the leak checks compare, one "name value"
# a line: Xen's active grants of guest DOMID, Xen's event channels of dom0
# and of DOMID, and every key of pvsplit's resources file in dom0 and in
# DOMID (a key added to that file is compared too).  grants_deferred is
# left out: it counts events (a revoke while the peer still mapped the
# page), not something held now.
# dom0-pages leaves out the pages held by the grant pools whose pool_pages
# files LEAK_KEPT lists (devices that stay attached from baseline to check):
# a pool keeps the pages of the deepest load it has served, so a later load
# may grow it; that is not a leak, and whatever else a case leaves shows.
leak_counts() {
	local v e
	v=$(xen_active_grants "$1") || v="unreadable"
	echo "xen-grants-of-d$1 $v"
	e=$(xen_dump e) || e=""
	v=$(xen_evtchns_in "$e" 0) || v="unreadable"
	echo "xen-evtchns-d0 $v"
	v=$(xen_evtchns_in "$e" "$1") || v="unreadable"
	echo "xen-evtchns-d$1 $v"
	resources | awk -v kept="$(leak_kept_pages)" '
		$1 == "pages" { $2 = kept == "" ? "unreadable" : $2 - kept }
		$1 != "grants_deferred" && NF == 2 { print "dom0-" $1, $2 }'
	resources "$1" | awk '$1 != "grants_deferred" && NF == 2 { print "guest-" $1, $2 }'
}

# leak_kept_pages: the sum of the pool_pages files LEAK_KEPT lists, or
# nothing when one can't be read
leak_kept_pages() {
	local f v n=0
	for f in ${LEAK_KEPT:-}; do
		v=$(cat "$f") && [[ $v =~ ^[0-9]+$ ]] || return 1
		n=$((n + v))
	done
	echo "$n"
}

# leak_baseline NAME DOMID: take the counts leak_check NAME compares with
leak_baseline() {
	leak_counts "$2" > "/tmp/leak-base-$1"
	echo "# leak baseline $1 (guest $2): $(tr '\n' ' ' < "/tmp/leak-base-$1")"
}

# leak_check NAME DOMID: every count of leak_counts is at baseline NAME;
# prints each that is not as "LEAK name: baseline -> now" and fails
leak_check() {
	local base=/tmp/leak-base-$1
	[ -s "$base" ] || { echo "no leak baseline $1"; return 1; }
	leak_counts "$2" | awk -v base="$base" '
		BEGIN { while ((getline l < base) > 0) { split(l, f, " "); b[f[1]] = f[2] } }
		{ now[$1] = $2 }
		END {
			for (k in b)
				if (!(k in now) || now[k] != b[k] || b[k] == "unreadable") {
					printf "LEAK %s: %s -> %s\n", k, b[k], (k in now) ? now[k] : "gone"; bad = 1
				}
			for (k in now)
				if (!(k in b)) { printf "LEAK %s: new -> %s\n", k, now[k]; bad = 1 }
			if (!bad) printf "at baseline:"
			for (k in now) if (!bad) printf " %s %s", k, now[k]
			print ""
			exit bad
		}'
}

# KERNEL_REPORT: an ERE for the lines a kernel's WARN, BUG and Oops reports
# start with, for the checks that read a domain's dmesg
KERNEL_REPORT='WARNING:|BUG:|Oops|general protection'

# leak_check_settled NAME DOMID: leak_check, after giving a destroyed
# guest's back ends and Xen's tool stack up to 30 s to let go
leak_check_settled() {
	local rc
	wait_until 30 leak_check_to /tmp/leak-last "$@"
	rc=$?
	# the last try's lines: the counts at baseline, or what leaked
	cat /tmp/leak-last
	return $rc
}

# leak_check_to FILE NAME DOMID: leak_check, its lines into FILE
leak_check_to() {
	local f=$1
	shift
	leak_check "$@" > "$f"
}

# vdev NAME: the xenstore device number of disk NAME (xvdb -> 51728): Xen's
# scheme, major 202 with 16 minors a disk for xvda..xvdp, the extended
# form (1 << 28 | index << 8) beyond
vdev() {
	local i
	case $1 in
	xvd[a-z]) ;;
	[0-9]*) echo "$1"; return 0 ;;
	*) echo "vdev: not a disk name: $1" >&2; return 1 ;;
	esac
	i=$(($(printf '%d' "'${1#xvd}") - 97))
	if [ $i -lt 16 ]; then
		echo $((202 << 8 | i << 4))
	else
		echo $((1 << 28 | i << 8))
	fi
}

# fio_cmd DISKS [FIO OPTIONS]: the lab's fio command line: direct libaio
# I/O with the options given (--rw, --bs, --iodepth, --output...) for all,
# then one job per disk of DISKS (names such as xvdb or nullb0, several
# separated by commas)
fio_cmd() {
	local disks=$1 d jobs=""; shift
	for d in ${disks//,/ }; do
		jobs="$jobs --name=${d#/dev/} --filename=/dev/${d#/dev/}"
	done
	echo "fio --direct=1 --ioengine=libaio $*$jobs"
}

# fio_run DOMID DISKS [FIO OPTIONS]: run fio in guest DOMID (0: in dom0) and
# pass its exit status on; prints fio's error, bandwidth and verify lines
fio_run() {
	local dom=$1 cmd; shift
	cmd="$(fio_cmd "$@" --output=/tmp/fio.out); rc=\$?; \
grep -E 'err=|WRITE:|READ:|verify' /tmp/fio.out | head -8; exit \$rc"
	if [ "$dom" = 0 ]; then
		sh -c "$cmd"
	else
		guest "$dom" "$cmd" 300
	fi
}

# fio_verify_run DOMID DEV BS RW [FIO OPTIONS]: write the whole disk with
# pattern RW at block size BS, read it all back and check every block's
# crc32c; the first bad block fails the run (verify_fatal), and so does a
# run whose verify pass never ran
fio_verify_run() {
	local dom=$1 dev=$2 bs=$3 rw=$4 out rc; shift 4
	out=$(fio_run "$dom" "$dev" --rw="$rw" --bs="$bs" --iodepth=16 --size=100% \
		--verify=crc32c --do_verify=1 --verify_fatal=1 --randrepeat=0 "$@")
	rc=$?
	echo "$out"
	[ "$rc" = 0 ] || return "$rc"
	grep -q 'READ:' <<<"$out" || { echo "no verify pass ran (no reads)"; return 1; }
}

# fio_terse DOMID DEV SECONDS [FIO OPTIONS]: a timed run for figures, in
# fio's terse format (version 3) for the awk of the caller
fio_terse() {
	local dom=$1 dev=$2 t=$3 cmd; shift 3
	cmd="$(fio_cmd "$dev" --time_based --runtime="$t" --size=1g \
--output-format=terse --terse-version=3 "$@")"
	if [ "$dom" = 0 ]; then
		$cmd 2>&1
	else
		guest "$dom" "$cmd" $((t + 60))
	fi
}

# attach_pvbench DOMAIN DEVID: attach a pvbench device to guest DOMAIN
# (id or name) with the CLI and wait until both ends are Connected
attach_pvbench() {
	pvsplit attach pvbench "$1" --devid "$2" >/dev/null &&
		pvsplit wait pvbench "$1" "$2" connected --timeout 30
}

# inject_case DOMID DEVICE CASE WANT: a hostile front end (tests/rogue) in
# guest DOMID sends CASE on xenbus device DEVICE; the back end's answer
# must be status WANT
inject_case() {
	local st
	guest "$1" "echo $3 > /sys/bus/xen/devices/$2/inject" || return 1
	st=$(guest "$1" "cat /sys/bus/xen/devices/$2/last_status") || return 1
	echo "answer: $st (want $4)"
	[ "$st" = "$4" ]
}

# be_closing BACKEND-PATH: that back end is Closing (5) or Closed (6)
be_closing() {
	local s
	s=$(xenstore-read "$1/state")
	[ "$s" = 5 ] || [ "$s" = 6 ]
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
