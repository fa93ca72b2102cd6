# SPDX-License-Identifier: GPL-2.0-only
# plan: 12
# Mode pkg: the drivers and the CLI as the Debian packages installed them
# on the machine (tests/pkg/pkg.sh --lab), not the tree's build.
# mkinitrd.sh (LAB_PKG) put the modules DKMS built into
# /lib/modules/KVER/updates/dkms of dom0 and the guest, kmod's depmod and
# modprobe, and pvsplit-tools' /usr/bin/pvsplit.  Both domains load the
# drivers by name with modprobe after depmod, and a disk is attached, used
# and detached with the installed CLI.  Runs without setup.sh (which
# insmods the tree's modules): it starts its own guest.
PKG_MODS="pvsplit_common pvbenchfront pvbenchback pvblkfront pvblkback pvnetfront pvnetback"
PKG_DIR=/lib/modules/$(uname -r)/updates/dkms
PKG_IMG=/tmp/pkg.img

pkg_layout() {	# every module in updates/dkms, none from the tree
	local m
	for m in $PKG_MODS; do
		test -f "$PKG_DIR/$m.ko" || { echo "no $PKG_DIR/$m.ko"; return 1; }
	done
	ls "$PKG_DIR"
	! ls /pvsplit/*.ko 2>/dev/null
}

pkg_depmod() {	# depmod records the dependency the symbols make
	depmod -a || return 1
	grep '^updates/dkms/' "/lib/modules/$(uname -r)/modules.dep"
	grep -qx 'updates/dkms/pvblkback.ko: updates/dkms/pvsplit_common.ko' \
		"/lib/modules/$(uname -r)/modules.dep"
}

pkg_modprobe() {	# kmod's modprobe, by name: pvsplit_common comes first
	modprobe -V | grep -q kmod || { echo "modprobe is not kmod's"; return 1; }
	test ! -d /sys/module/pvsplit_common || { echo "pvsplit_common already loaded"; return 1; }
	modprobe pvblkback || return 1
	lsmod | grep pv
	test -e /sys/module/pvsplit_common/holders/pvblkback
}

pkg_cli() {
	command -v pvsplit
	[ "$(command -v pvsplit)" = /usr/bin/pvsplit ] &&
		pvsplit --help | grep -q '^usage: pvsplit'
}

pkg_attach() {
	pvsplit attach vbd "$DOM" xvdb "$PKG_IMG" &&
		pvsplit wait vbd "$DOM" 51728 connected --timeout 60 &&
		wait_until 30 guest "$DOM" "test -b /dev/xvdb"
}

pkg_bound() {	# each end's driver is pvsplit's
	readlink "/sys/bus/xen-backend/devices/vbd-$DOM-51728/driver" | grep -q '/pvblkback$' &&
		guest "$DOM" "readlink /sys/bus/xen/devices/vbd-51728/driver" | grep -q '/pvblkfront$'
}

check "dom0: the DKMS modules in $PKG_DIR, none from the tree" pkg_layout
check "dom0: depmod -a lists pvsplit_common as pvblkback's dependency" pkg_depmod
check "dom0: modprobe pvblkback loads pvsplit_common first by itself" pkg_modprobe
check "dom0: pvsplit on PATH is the package's /usr/bin/pvsplit" pkg_cli
DOM=$(start_guest g1)
check "guest g1 boots and runs the agent" test -n "$DOM"
check "guest: depmod, then modprobe pvblkfront loads pvsplit_common by itself" \
	guest "$DOM" "depmod -a && modprobe pvblkfront && test -e /sys/module/pvsplit_common/holders/pvblkfront"
dd if=/dev/zero of="$PKG_IMG" bs=1M count=16 2>/dev/null
check "attach xvdb (a file) with the installed CLI, both ends connect" pkg_attach
check "xvdb served by pvblkback and pvblkfront" pkg_bound
check "guest: fio verify=crc32c, whole disk, bs 4k, randwrite" \
	fio_verify_run "$DOM" xvdb 4k randwrite
check "detach xvdb with the installed CLI" pvsplit detach vbd "$DOM" 51728 --timeout 30
check "guest: modprobe -r pvblkfront takes pvsplit_common out too" \
	guest "$DOM" "modprobe -r pvblkfront && ! test -d /sys/module/pvblkfront && ! test -d /sys/module/pvsplit_common"
check "dom0: modprobe -r pvblkback takes pvsplit_common out too" sh -c \
	"modprobe -r pvblkback && ! test -d /sys/module/pvblkback && ! test -d /sys/module/pvsplit_common"
