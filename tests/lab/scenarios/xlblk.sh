# SPDX-License-Identifier: GPL-2.0-only
# plan: 29
# xl with our block drivers: a guest created from a config with a disk=
# line (xl runs Xen's block hotplug script, which writes physical-device),
# then xl save + xl restore and xl migrate to localhost while fio writes
# and verifies on that disk, and xl destroy while it still does; for each
# pairing of the front and back ends.
XIMG=/tmp/xl.img
dd if=/dev/zero of=$XIMG bs=1M count=24 2>/dev/null

# fio_started TAG: in g4, fio passes over the first 2 MiB of xvdb one after
# the other until /tmp/TAG.stop appears: each pass writes that range and
# reads it all back checking every block (a pass is a few seconds under
# TCG).  /tmp/TAG.passes counts the passes that ended well; /tmp/TAG.rc
# gets the exit status of the first that did not, or 0 once stopped.
fio_started() {
	guest "$DOM4" "rm -f /tmp/$1.*; echo 0 > /tmp/$1.passes; (n=0; \
while [ ! -e /tmp/$1.stop ]; do $(fio_cmd xvdb --iodepth=16 --rw=randwrite --bs=4k --size=2M \
--verify=crc32c --do_verify=1 --verify_fatal=1 --output=/tmp/$1.out) 2>/tmp/$1.err || \
{ echo \$? > /tmp/$1.rc; exit; }; n=\$((n + 1)); echo \$n > /tmp/$1.passes; done; \
echo 0 > /tmp/$1.rc) >/dev/null 2>&1 &"
}

# fio_passed TAG: fio was still going once the domain was back (so its
# I/O crossed the move); two more passes must end well after that (the
# second began after the move: a whole write and verify pass on the new
# back end), then it stops, with exit status 0 and a verify read in its
# last pass
fio_passed() {
	local p0 rc
	DOM4=$(xl domid g4) || return 1
	echo "g4 is now domain $DOM4"
	guest "$DOM4" "! test -s /tmp/$1.rc" || {
		guest "$DOM4" "cat /tmp/$1.rc /tmp/$1.err; tail -5 /tmp/$1.out"
		echo "fio ended before the move did"; return 1; }
	p0=$(guest "$DOM4" "cat /tmp/$1.passes") || return 1
	wait_until 240 guest "$DOM4" "test -s /tmp/$1.rc || test \$(cat /tmp/$1.passes) -ge $((p0 + 2))"
	guest "$DOM4" "touch /tmp/$1.stop" || return 1
	wait_until 120 guest "$DOM4" "test -s /tmp/$1.rc" || { echo "fio did not stop"; return 1; }
	guest "$DOM4" "echo fio passes ended before the move was back: $p0, in all: \$(cat /tmp/$1.passes), \
exit status \$(cat /tmp/$1.rc); cat /tmp/$1.err; grep -E 'err=|READ:|WRITE:' /tmp/$1.out | head -4; \
dmesg | grep -i blk | tail -3; test \$(cat /tmp/$1.rc) = 0 && \
test \$(cat /tmp/$1.passes) -ge $((p0 + 2)) && grep -q 'READ:' /tmp/$1.out" > /tmp/xl-fio.out
	rc=$?
	# the pass counts show in the lab's output, pass or fail
	head -n 1 /tmp/xl-fio.out | sed "s/^/# $1: /" >&3
	cat /tmp/xl-fio.out
	return $rc
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

vbd_gone() { ! xenstore-exists "/local/domain/0/backend/vbd/$1/$(vdev xvdb)"; }
moved() {
	[ -n "$DOM4" ] && [ "$DOM4" != "$1" ] &&
		pvsplit wait vbd "$DOM4" xvdb connected --timeout 30 && wait_until 30 vbd_gone "$1"
}
# destroy4: xl destroy g4 while fio writes and verifies on xvdb: the back
# end lets go of the requests in flight and of the disk
destroy4() {
	local rc=0
	fio_started dx || rc=1
	sleep 3
	# the loop starts a new fio for each pass: look until one runs (a
	# single look can fall between two passes), and the loop has not
	# stopped on an error
	wait_until 20 guest "$DOM4" "pidof fio && ! test -s /tmp/dx.rc" ||
		{ echo "fio was not running"; guest "$DOM4" "cat /tmp/dx.rc /tmp/dx.err"; rc=1; }
	xl destroy g4 && wait_until 30 vbd_gone "$DOM4" &&
		wait_until 30 test ! -e "/sys/bus/xen-backend/devices/vbd-$DOM4-$(vdev xvdb)" &&
		[ $rc = 0 ]
}

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
		"readlink /sys/bus/xen-backend/devices/vbd-$DOM4-$(vdev xvdb)/driver | grep -q '/$back\$'"
	check "$label: g4 brings up xvdb" guest "$DOM4" "$front && sleep 2 && test -b /dev/xvdb"
	if [ "$back" = pvblkback ]; then
		check "$label: the back end's rings show in debugfs" \
			test -d "/sys/kernel/debug/pvsplit/pvblkback-$DOM4-$(vdev xvdb)/ring0"
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
	check "$label: xl destroy g4 while fio runs: the back end lets go" destroy4
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
check "after the xl pairings: Xen's counts and pvsplit's resources at baseline" blk_no_leaks
