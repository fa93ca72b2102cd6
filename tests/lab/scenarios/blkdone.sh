# SPDX-License-Identifier: GPL-2.0-only
# End of the block scenarios: with every disk detached the back end
# unloads and leaves nothing behind in dom0.
check "pvblkback unloads once no disk is attached" rmmod pvblkback
check "no pvblkback thread or interrupt left" \
	sh -c '! grep -q pvblkback /proc/interrupts && ! ps | grep -q "[p]vblkback/"'
check "after the block scenarios: dom0 pvsplit resources back to zero" resources_zero
