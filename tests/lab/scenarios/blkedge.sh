# SPDX-License-Identifier: GPL-2.0-only
# plan: 9
# Edges of pvblkback with pvblkfront in guest $DOM: a vbd without a mode
# key is refused, a disk past 2 TiB is read and written at its end, FUA
# writes too large for a barrier request take the front end's split path.
# (Secure erase cannot be served here: no block device of the lab supports
# it, so discard-secure is never offered; rogue_blk checks the refusal.)
lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
guest "$DOM" "lsmod | grep -q '^pvblkfront' || insmod /pvsplit/pvblkfront.ko" >/dev/null

# ---- no mode key: not opened, not connected, the xenbus error says why --
NM=$(vdev xvde)
no_mode() {
	local rc err pd
	# unbound until mode is gone: automatic binding stays off till then
	echo 0 > /sys/bus/xen-backend/drivers_autoprobe || return 1
	pvsplit attach vbd "$DOM" xvde $IMG-e.img >/dev/null &&
		wait_until 10 test -e "/sys/bus/xen-backend/devices/vbd-$DOM-$NM" &&
		xenstore-rm "$VBD/$NM/mode" &&
		echo "vbd-$DOM-$NM" > /sys/bus/xen-backend/drivers/pvblkback/bind
	rc=$?
	echo 1 > /sys/bus/xen-backend/drivers_autoprobe
	[ $rc = 0 ] || return 1
	wait_until 20 be_closing "$VBD/$NM" || { echo "state $(xenstore-read "$VBD/$NM/state")"; return 1; }
	err=$(xenstore-read "/local/domain/0/error/backend/vbd/$DOM/$NM/error")
	pd=$(cat "/sys/bus/xen-backend/devices/vbd-$DOM-$NM/negotiated/physical_device")
	echo "state $(xenstore-read "$VBD/$NM/state"); error: $err; physical_device $pd"
	grep -q 'no mode key' <<<"$err" && [ "$pd" = 0:0 ] &&
		dmesg | grep -q "vbd-$DOM-$NM: .*no mode key" &&
		! guest "$DOM" "test -b /dev/xvde"
}
check "no mode key: the back end opens nothing, goes Closing, the xenbus error says why" no_mode
check "no mode key: the device detaches" pvsplit detach vbd "$DOM" xvde --force

# ---- past 2 TiB: sector numbers above 32 bits ---------------------------
BIG=/tmp/blk-big.img
BIGMB=$((3 * 1024 * 1024))	# 3 TiB in MiB
big_attach() {
	rm -f $BIG && truncate -s $((BIGMB << 20)) $BIG && attach_vbd xvdf $BIG || return 1
	guest "$DOM" "cat /sys/block/xvdf/size; test \$(cat /sys/block/xvdf/size) = $((BIGMB * 2048))"
}
check "3 TiB disk (sparse file): attached, the guest sees all $((BIGMB * 2048)) sectors" big_attach
# the last MiB: written by the guest, read back there, and found in the
# file at the same offset (a sector number cut to 32 bits lands elsewhere)
big_end() {
	local w0 out sum file
	w0=$(stat_of xvdf wr_sect)
	out=$(guest "$DOM" "dd if=/dev/urandom of=/tmp/pat bs=1M count=1 2>/dev/null &&
dd if=/tmp/pat of=/dev/xvdf bs=1M seek=$((BIGMB - 1)) oflag=direct 2>/dev/null &&
md5sum < /tmp/pat && dd if=/dev/xvdf bs=1M skip=$((BIGMB - 1)) iflag=direct 2>/dev/null | md5sum") || return 1
	echo "$out"
	sum=$(head -n 1 <<<"$out" | cut -d' ' -f1)
	file=$(dd if=$BIG bs=1M skip=$((BIGMB - 1)) count=1 2>/dev/null | md5sum | cut -d' ' -f1)
	echo "written $sum, read back $(sed -n 2p <<<"$out" | cut -d' ' -f1), in the file $file; wr_sect $w0 -> $(stat_of xvdf wr_sect)"
	[ -n "$sum" ] && [ "$(sed -n 2p <<<"$out" | cut -d' ' -f1)" = "$sum" ] && [ "$file" = "$sum" ] &&
		[ "$(stat_of xvdf wr_sect)" -ge $((w0 + 2048)) ]
}
check "3 TiB disk: the last MiB written, read back, and in the file at its offset" big_end
big_past_end() {
	guest "$DOM" "dd if=/dev/xvdf of=/dev/null bs=512 skip=$((BIGMB * 2048 - 1)) count=1 iflag=direct 2>&1 &&
! dd if=/dev/zero of=/dev/xvdf bs=512 seek=$((BIGMB * 2048)) count=1 oflag=direct 2>/dev/null"
}
check "3 TiB disk: the last sector reads, a write past it does not happen" big_past_end
check "3 TiB disk: detach" sh -c "pvsplit detach vbd $DOM xvdf --timeout 30 && rm -f $BIG"

# ---- FUA writes of 1 MiB: a barrier request holds 11 segments, so the
# front end sends each as an indirect write, then a flush under the same
# id.  A barrier carrying 256 segments would be malformed and shut the
# device down; a FUA dropped on the way would not move f_req.
check "FUA: attach xvdg (8 MiB)" attach_vbd xvdg $IMG-e.img
fua_split() {
	local f0 w0 f1 w1
	guest "$DOM" "test \$(cat /sys/bus/xen/devices/vbd-$(vdev xvdg)/negotiated/feature_fua) = 1" || return 1
	f0=$(stat_of xvdg f_req); w0=$(stat_of xvdg wr_req)
	fio_verify xvdg 1m write --sync=dsync || return 1
	f1=$(stat_of xvdg f_req); w1=$(stat_of xvdg wr_req)
	echo "f_req $f0 -> $f1, wr_req $w0 -> $w1 (8 writes of 1 MiB)"
	[ "$f1" -ge $((f0 + 8)) ] && [ "$w1" -ge $((w0 + 8)) ] &&
		[ "$(xenstore-read "$VBD/$(vdev xvdg)/state")" = 4 ]
}
check "FUA: 1 MiB O_DSYNC writes verified, one flush each, the device still connected" fua_split
edge_done() { detach_vbd xvdg && blk_no_leaks; }
check "FUA: detach; Xen's counts and pvsplit's resources at baseline" edge_done
