# SPDX-License-Identifier: GPL-2.0-only
# plan: 7
# Load, attach, use, detach and unload every module 20 times over, both
# sides; then every count is back at its baseline.
cycle_once() {
	guest "$DOM" "insmod /pvsplit/pvbenchfront.ko dyndbg=+p" || return 1
	insmod /pvsplit/pvbenchback.ko dyndbg=+p || return 1
	attach_pvbench "$DOM" 3 || return 1
	guest "$DOM" "pvsplit bench --devid 3 --count 200 --qd 8 --batch 4 --payload 4096 --verify" \
		>/tmp/cycle.out || { cat /tmp/cycle.out; return 1; }
	pvsplit detach pvbench "$DOM" 3 || return 1
	rmmod pvbenchback || return 1
	guest "$DOM" "rmmod pvbenchfront" || return 1
}
cycle_diag() {
	dmesg | grep -i pvbench | tail -n 12
	cat /sys/kernel/debug/pvsplit/pvbenchback-$DOM-3/ring
	grep pvbench /proc/interrupts
	xenstore-ls -f /local/domain/0/backend/pvbench
	xl dmesg -c >/dev/null; xl debug-keys g; xl dmesg | grep -v "^(XEN) *$" | tail -n 25
	guest "$DOM" "dmesg | grep -i pvbench | tail -n 12; grep pvbench /proc/interrupts; cat /sys/kernel/debug/pvsplit/pvbench-3/ring; xenstore-ls -f device"
}

cycle20() {
	local i
	# 60 s: Xen may still be scrubbing the memory of the guest destroyed before
	pvsplit detach pvbench "$DOM" 0 --timeout 60 || return 1
	guest "$DOM" "rmmod pvbenchfront" >/dev/null
	rmmod pvbenchback
	for i in $(seq 20); do
		cycle_once || { echo "cycle $i failed"; cycle_diag; return 1; }
	done
	for i in $(seq 20); do	# and bare load/unload, common module included
		rmmod pvsplit_common && insmod /pvsplit/pvsplit_common.ko || return 1
		guest "$DOM" "rmmod pvsplit_common && insmod /pvsplit/pvsplit_common.ko" >/dev/null || return 1
	done
	insmod /pvsplit/pvbenchback.ko &&
		guest "$DOM" "insmod /pvsplit/pvbenchfront.ko" >/dev/null
}
check "rmmod pvbenchback refused while a device is connected" sh -c \
	'! rmmod pvbenchback && grep -q "^pvbenchback " /proc/modules'
check "20 cycles: load, attach, bench, detach, unload (dom0 and guest)" cycle20
check "after 20 cycles: Xen's grant and event channel counts at baseline" no_leaks
check "after 20 cycles: no pvbench interrupts left in dom0" \
	sh -c '! grep -q pvbench /proc/interrupts'
check "after 20 cycles: dom0 resources back to zero" resources_zero
check "after 20 cycles: guest resources back to zero" resources_zero "$DOM"
check "device 0 attaches again" attach_pvbench "$DOM" 0
