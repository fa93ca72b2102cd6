# SPDX-License-Identifier: GPL-2.0-only
# plan: 3
# End of the block scenarios: with every disk detached the back end
# unloads and leaves no thread or interrupt behind in dom0 (Xen's counts
# and pvsplit's resources are back at blklib's baseline: a pvbench device
# may still be attached).
check "pvblkback unloads once no disk is attached" rmmod pvblkback
# what pvsplit_common still counts (maps and pages include pvblkback's)
sed 's/^/# dom0 resources after pvblkback: /' /sys/kernel/debug/pvsplit/resources
check "no pvblkback thread or interrupt left" \
	sh -c '! grep -q pvblkback /proc/interrupts && ! ps | grep -q "[p]vblkback/"'
check "after the block scenarios: Xen's counts and pvsplit's resources at baseline" blk_no_leaks
