# SPDX-License-Identifier: GPL-2.0-only
# xl with our block drivers: a guest created from a config with a disk=
# line (xl runs Xen's block hotplug script, which writes physical-device),
# then xl save + xl restore and xl migrate to localhost while fio writes
# and verifies on that disk; for each pairing of the front and back ends.
XIMG=/tmp/xl.img
dd if=/dev/zero of=$XIMG bs=1M count=24 2>/dev/null

# fio_started TAG: fio writes the first 2 MiB of g4's xvdb in the background
# and reads each pass back (a pass is a few seconds under TCG; fio only
# verifies at the end of a pass), for as long as it is let run
fio_started() {
	guest "$DOM4" "rm -f /tmp/$1.rc; (fio --name=$1 --filename=/dev/xvdb --direct=1 --ioengine=libaio \
--iodepth=16 --rw=randwrite --bs=4k --size=2M --time_based --runtime=900 --verify=crc32c \
--verify_fatal=1 --output=/tmp/$1.out; echo \$? > /tmp/$1.rc) >/dev/null 2>&1 &"
}

# fio_passed TAG: that fio was still running once the domain was back (so
# its I/O crossed the move); let it go on a few seconds, stop it, and it
# must have seen no I/O error and no block that read back wrong
fio_passed() {
	DOM4=$(xl domid g4) || return 1
	echo "g4 is now domain $DOM4"
	guest "$DOM4" "! test -s /tmp/$1.rc" || { echo "fio ended before the move did"; return 1; }
	sleep 5
	guest "$DOM4" "kill -INT \$(pidof fio)" || return 1
	wait_until 60 guest "$DOM4" "test -s /tmp/$1.rc" || return 1
	guest "$DOM4" "cat /tmp/$1.rc; grep -E 'err=|verify|READ:|WRITE:' /tmp/$1.out | head -5; dmesg | grep -i blk | tail -3; \
grep -q 'err= 0:' /tmp/$1.out && grep -q 'READ:' /tmp/$1.out && ! grep -qiE 'verify failed|bad magic|bad header' /tmp/$1.out"
}

save_restore() {
	fio_started sr || return 1
	sleep 3
	xl save g4 /tmp/g4.save || return 1
	xl restore /tmp/g4.save || return 1
	rm -f /tmp/g4.save
	fio_passed sr
}

# With an empty -s, xl runs the "host" argument itself instead of ssh: a
# localhost migration with no ssh.  The old domain stays (paused) until
# the new one runs, so its back end and the new one share the backing file.
migrate_local() {
	local old=$DOM4
	xl info | awk '$1 == "free_memory"'
	fio_started mg || return 1
	sleep 3
	xl migrate -s "" g4 "xl migrate-receive" || return 1
	fio_passed mg || return 1
	[ "$DOM4" != "$old" ] && ! xl list "$old" >/dev/null 2>&1
}

vbd_gone() { ! xenstore-exists "/local/domain/0/backend/vbd/$1/51728"; }
moved() {
	[ -n "$DOM4" ] && [ "$DOM4" != "$1" ] &&
		pvsplit wait vbd "$DOM4" 51728 connected --timeout 30 && wait_until 30 vbd_gone "$1"
}
destroy4() { xl destroy g4 && wait_until 30 vbd_gone "$DOM4"; }

# xl_pairing LABEL BACK-DRIVER FRONT-INSMOD: g4 from an xl config served by
# BACK-DRIVER (pvblkback or vbd, xen-blkback's name), FRONT-INSMOD run in
# the guest; save/restore and migrate with fio across both
xl_pairing() {
	local label=$1 back=$2 front=$3 old
	# 384 MiB: a localhost migration holds two copies of the guest at once
	DOM4=$(GUEST_MEM=384 \
		GUEST_CFG="disk = [ 'format=raw, vdev=xvdb, access=rw, target=$XIMG' ]" start_guest g4)
	check "$label: xl create with a disk= line" test -n "$DOM4"
	check "$label: the disk's back end is $back" sh -c \
		"readlink /sys/bus/xen-backend/devices/vbd-$DOM4-51728/driver | grep -q '/$back\$'"
	check "$label: g4 brings up xvdb" guest "$DOM4" "$front && sleep 2 && test -b /dev/xvdb"
	if [ "$back" = pvblkback ]; then
		check "$label: the back end's rings show in debugfs" \
			test -d "/sys/kernel/debug/pvsplit/pvblkback-$DOM4-51728/ring0"
	fi
	check "$label: xl save + restore while fio writes and verifies: I/O goes on, no error, data intact" \
		save_restore
	old=$DOM4
	DOM4=$(xl domid g4 2>/dev/null)	# check ran save_restore in a subshell
	check "$label: after restore the disk is connected to a new back end, the old one gone" \
		moved "$old"
	check "$label: xl migrate to localhost while fio writes and verifies: I/O goes on, no error, data intact" \
		migrate_local
	old=$DOM4
	DOM4=$(xl domid g4 2>/dev/null)
	check "$label: after migration the disk is connected to a new back end, the old one gone" \
		moved "$old"
	# pvsplit_common's counts with the disk attached (pvblkback's maps, pages)
	[ "$back" = pvblkback ] && awk -v l="$label" \
		'{ print "# " l ", disk attached: dom0 resources " $0 }' /sys/kernel/debug/pvsplit/resources
	check "$label: xl destroy g4: the back end lets go" destroy4
	settle_after_destroy
}

lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
xl_pairing "ours/ours" pvblkback \
	"insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvblkfront.ko"

check "dom0: swap pvblkback for xen-blkback" \
	sh -c "rmmod pvblkback && insmod /lib/modules/extra/xen-blkback.ko"
xl_pairing "our front/stock back" vbd \
	"insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvblkfront.ko"

check "dom0: back to pvblkback" sh -c "rmmod xen-blkback && insmod /pvsplit/pvblkback.ko"
xl_pairing "stock front/our back" pvblkback "insmod /lib/modules/extra/xen-blkfront.ko"
