# SPDX-License-Identifier: GPL-2.0-only
# plan: 9
# The `trusted` key a tool stack writes in a disk's front-end directory
# (libxl writes 1, or 0 for a disk it is told not to trust): pvblkfront
# reads it at probe, and trusted=0 there must make the disk untrusted (no
# persistent grants at either end, bounce pages cleared after each use)
# even with its module parameter trusted=1.  Guest $DOM, pvblkback in dom0.
TIMG=/tmp/trust.img
TN=$(vdev xvde)
dd if=/dev/zero of=$TIMG bs=1M count=8 2>/dev/null
lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
check "trusted key: guest runs pvblkfront with module parameter trusted=1" \
	guest "$DOM" "lsmod | grep -q '^pvblkfront' || insmod /pvsplit/pvblkfront.ko; \
test \$(cat /sys/module/pvblkfront/parameters/trusted) = Y"

# trust_attach [KEY]: xl block-attach xvde to guest $DOM; with KEY, the
# guest's xenbus binds no driver until the tool stack's trusted key has
# been rewritten to KEY, as a tool stack that does not trust the back end
# writes it (Xen 4.17's xl does not parse the "untrusted" disk option
# xl-disk-configuration(5) lists: it takes the word for the target)
trust_attach() {
	local rc=0
	[ -z "${1:-}" ] || guest "$DOM" "echo 0 > /sys/bus/xen/drivers_autoprobe" || return 1
	xl block-attach "$DOM" "format=raw, vdev=xvde, access=rw, target=$TIMG" || rc=1
	if [ $rc = 0 ] && [ -n "${1:-}" ]; then
		wait_until 30 guest "$DOM" "test -e /sys/bus/xen/devices/vbd-$TN" &&
			xenstore-write "/local/domain/$DOM/device/vbd/$TN/trusted" "$1" &&
			guest "$DOM" "echo vbd-$TN > /sys/bus/xen/drivers/pvblkfront/bind" || rc=1
	fi
	[ -z "${1:-}" ] || guest "$DOM" "echo 1 > /sys/bus/xen/drivers_autoprobe"
	[ $rc = 0 ] && pvsplit wait vbd "$DOM" "$TN" connected --timeout 60 &&
		wait_until 30 guest "$DOM" "test -b /dev/xvde"
}
# trust_neg KEY WANT: the front end's trusted key reads KEY ("none":
# absent); the front end's negotiated trusted and persistent and the back
# end's persistent read WANT
trust_neg() {
	local key fe be
	key=$(xenstore-read "/local/domain/$DOM/device/vbd/$TN/trusted" 2>/dev/null || echo none)
	fe=$(guest "$DOM" "cd /sys/bus/xen/devices/vbd-$TN/negotiated && echo \$(cat trusted) \$(cat persistent)")
	be=$(cat "/sys/bus/xen-backend/devices/vbd-$DOM-$TN/negotiated/persistent")
	echo "trusted key $key; front end trusted, persistent: $fe; back end persistent: $be"
	[ "$key" = "$1" ] && [ "$fe $be" = "$2" ]
}
trust_detach() {
	xl block-detach "$DOM" xvde &&
		wait_until 30 eval "! xenstore-exists $VBD/$TN" &&
		wait_until 30 guest "$DOM" "! test -b /dev/xvde"
}
check "trusted key: xl block-attach xvde" trust_attach
check "trusted key 1 (libxl's default): the front end trusts, persistent grants at both ends" \
	trust_neg 1 "1 1 1"
check "trusted key: xl block-detach xvde" trust_detach
check "trusted key: xl block-attach xvde, the key rewritten to 0 before the front end probes" \
	trust_attach 0
check "trusted key 0 (module parameter 1): untrusted, no persistent grants at either end" \
	trust_neg 0 "0 0 0"
check "trusted key 0: fio verify 4k random (bounce pages cleared after use)" \
	fio_verify_run "$DOM" xvde 4k randwrite
check "trusted key 0: xl block-detach xvde" trust_detach
check "after the trusted key: Xen's counts and pvsplit's resources at baseline" blk_no_leaks
rm -f $TIMG
