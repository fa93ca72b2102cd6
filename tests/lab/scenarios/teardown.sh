# SPDX-License-Identifier: GPL-2.0-only
# plan: 11
# Detach while a benchmark runs; destroy the guest while one runs.  The
# back end cleans up, counts return to baseline, and modules unload.  Last,
# dom0's kernel log of the whole run is read for WARN, BUG and Oops.
detach_during_run() {
	guest "$DOM" "pvsplit bench --devid 0 --duration 60000 --qd 32 --batch 8 --payload 4096 > /tmp/long.out 2>&1 &" >/dev/null
	# detach once the run is under way (a loaded TCG host starts it late)
	wait_until 30 guest "$DOM" "pidof pvsplit > /dev/null" || return 1
	sleep 3
	pvsplit detach pvbench "$DOM" 0 --timeout 60 || return 1
	# the run ends early with the device gone: its result says so, or,
	# when the device went before the result could be read, the run
	# itself failed with ENODEV
	wait_until 30 guest "$DOM" "grep -qE 'run failed|run 1: No such device' /tmp/long.out" || {
		guest "$DOM" "cat /tmp/long.out"; return 1; }
	guest "$DOM" "cat /tmp/long.out"
}
check "detach while a benchmark runs: the run stops with an error" detach_during_run
check "after detach during a run: dom0 resources back to zero" resources_zero
check "after detach during a run: guest resources back to zero" resources_zero "$DOM"
check "after detach during a run: Xen counts at baseline" no_leaks
reattach() {
	attach_pvbench "$DOM" 0 &&
		guest "$DOM" "pvsplit bench --devid 0 --count 500 --verify --payload 4096"
}
check "the device attaches again afterwards" reattach

destroy_during_run() {
	guest "$DOM" "pvsplit bench --devid 0 --duration 60000 --qd 32 --batch 8 --payload 4096 > /tmp/long.out 2>&1 &" >/dev/null
	sleep 3
	xl destroy g1 || return 1
	# the back end saw its front end vanish and let go of everything
	wait_until 30 resources_zero || { resources_zero; return 1; }
}
check "guest destroyed while a benchmark runs: back end releases everything" destroy_during_run
check "stale back-end nodes of the dead guest removed with detach --force" \
	pvsplit detach pvbench "$DOM" 0 --force
check "pvbenchback unloads after the guest died" rmmod pvbenchback
check "pvsplit_common unloads in dom0" rmmod pvsplit_common
check "no pvbench interrupt left in dom0" sh -c '! grep -q pvbench /proc/interrupts'

# dom0_clean: dom0's log of the whole run holds no WARN, BUG or Oops.  One
# report is the emulator's, not a driver's, and is shown but not counted:
# a single-step trap in dom0's kernel (exc_debug_kernel) taken with
# reserved RFLAGS bits set, which no kernel code sets (seen on 6.12 under
# QEMU 7.2's TCG; Documentation/lab.rst, "Platform faults").
dom0_clean() {
	local log bad fault='WARNING: .* exc_debug_kernel'
	log=$(dmesg)
	grep -E "$fault" <<< "$log" | sed 's/^/# platform fault, not counted: /' >&3
	bad=$(grep -E "$KERNEL_REPORT" <<< "$log" | grep -v -E "$fault")
	[ -z "$bad" ] && return 0
	grep -E -A 12 "$KERNEL_REPORT" <<< "$log"
	return 1
}
check "dom0's log of the whole run: no WARN, BUG or Oops" dom0_clean
