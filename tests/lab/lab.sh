#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The pvsplit lab: build modules and tools for a Debian kernel line, build
# dom0 and guest images, boot Xen 4.17 under QEMU (TCG) and run scenarios.
#
#   lab.sh [--kver 6.1|6.12] [--main | --suite | --bench-xring | --mode M]
#          [--timeout SECONDS] [--xen debian|shadow]
#
# Prints the scenario TAP lines, keeps the serial log in build/lab/, writes
# bench-results/xring.json for --bench-xring, and exits non-zero on any
# failure or timeout.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kline=6.1
mode=main
tmo=1500
xen_kind=auto
while [ $# -gt 0 ]; do
	case $1 in
	--kver) kline=$2; shift ;;
	--main) mode=main ;;
	--suite) mode=suite ;;
	--bench-xring) mode=xring ;;
	--mode) mode=$2; shift ;;
	--timeout) tmo=$2; shift ;;
	--xen) xen_kind=$2; shift ;;
	*) echo "lab.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
case $xen_kind in
auto|debian|shadow) ;;
*) echo "lab.sh: --xen debian|shadow" >&2; exit 2 ;;
esac

if ! [ -e /usr/lib/xen-4.17/bin/xl ] || ! command -v qemu-system-x86_64 >/dev/null ||
   [ -z "$("$top/tests/lab/kdir.sh" "$kline")" ] ||
   ! ls /boot/vmlinuz-"$kline".* >/dev/null 2>&1; then
	"$top/tests/lab/deps.sh" || exit 1
fi

kdir=$("$top/tests/lab/kdir.sh" "$kline")
kver=$(basename "$kdir" | sed 's/^linux-headers-//')
[ -e "/boot/vmlinuz-$kver" ] || { echo "lab: no /boot/vmlinuz-$kver"; exit 1; }
out=$top/build/lab/$kver

# Mode pkg tests what the Debian packages installed on this machine, not
# the tree (tests/pkg/pkg.sh --lab installs them first): mkinitrd.sh takes
# the modules DKMS built from /lib/modules/KVER/updates/dkms and the CLI
# from /usr/bin; nothing is built here.
lab_pkg=""
if [ "$mode" = pkg ]; then
	lab_pkg=1
	if ! ls "/lib/modules/$kver/updates/dkms/pvblkback.ko"* >/dev/null 2>&1 ||
	   ! [ -x /usr/bin/pvsplit ]; then
		echo "lab: mode pkg: install pvsplit-dkms and pvsplit-tools first (tests/pkg/pkg.sh --lab)"
		exit 1
	fi
	rm -rf "$out/payload"
	mkdir -p "$out/payload"
else
	# Build in a copy of the sources per kernel, so that builds for 6.1 and
	# 6.12 (or one in the work tree) never mix objects.
	src=$out/src
	rm -rf "$src"
	mkdir -p "$src"
	(cd "$top" && tar -cf - --exclude=./build --exclude=./.git --exclude=./bench-results .) |
		(cd "$src" && tar -xf -)
	find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' -o -name '.*.cmd' \
		-o -name Module.symvers -o -name modules.order \) -delete
	# every core: kbuild's jobs and the tools side by side (about half the
	# minute one job took, on two cores)
	make -s -j"$(nproc)" -C "$src" modules tools KDIR="$kdir" BUILD="$src/build" >"$out/build.log" 2>&1 || {
		cat "$out/build.log"; echo "lab: build failed"; exit 1; }
	rm -rf "$out/payload"
	mkdir -p "$out/payload"
	find "$src/common" "$src/frontend" "$src/backend" "$src/tests/rogue" -name '*.ko' \
		-exec cp {} "$out/payload/" \;
	# DWARF only (the symbol tables stay, so traces still name functions):
	# 14 MB less in every image each guest boots
	strip --strip-debug "$out"/payload/*.ko
	cp "$src/build/pvsplit" "$src/build/vchan_bench" "$out/payload/"
fi

LAB_PKG=$lab_pkg "$top/tests/lab/mkinitrd.sh" "$kver" "$out" "$out/payload" >"$out/mkinitrd.log" 2>&1 || {
	cat "$out/mkinitrd.log"; echo "lab: image build failed"; exit 1; }

# Debian's hypervisor, except for the modes that run xl migrate: that needs
# shadow paging, which Debian leaves out (see xen-shadow.sh)
# (the modes whose scenario list in run.sh holds xlblk or netmq, the
# scenarios that migrate; read from run.sh so that a new mode cannot miss
# it; a mode run.sh does not list runs the scenario of that name)
if [ "$xen_kind" = auto ]; then
	list=$(sed -n "s/^$mode) .*list=\"\([^\"]*\)\".*/\1/p" "$top/tests/lab/scenarios/run.sh")
	case " ${list:-$mode} " in
	*" xlblk "* | *" netmq "*) xen_kind=shadow ;;
	*) xen_kind=debian ;;
	esac
fi
xen_gz=/boot/xen-4.17-amd64.gz
if [ "$xen_kind" = shadow ]; then
	xen_gz=$("$top/tests/lab/xen-shadow.sh") || { echo "lab: no Xen with shadow paging"; exit 1; }
fi
xen=$out/xen
zcat "$xen_gz" > "$xen"
log=$out/serial-$mode.log
# conring_size: the leak checks count what debug keys dump into Xen's
# console ring, and the default 16 KiB holds fewer than 300 grant lines
xen_cmd="console=com1 com1=115200,8n1 dom0_mem=1536M,max:1536M dom0_max_vcpus=1 loglvl=all guest_loglvl=all conring_size=1M"
# log_buf_len: teardown reads dom0's log of the whole run for WARN, BUG and
# Oops, so it must not wrap (the default is 128 KiB)
dom0_cmd="console=hvc0 earlyprintk=xen log_buf_len=4M pvsplit_mode=$mode"
# the benchmarks' run length and rounds, when set here (a short trial run)
[ -n "${BENCH_SECONDS:-}" ] && dom0_cmd="$dom0_cmd pvsplit_bench_seconds=$BENCH_SECONDS"
[ -n "${BENCH_ROUNDS:-}" ] && dom0_cmd="$dom0_cmd pvsplit_bench_rounds=$BENCH_ROUNDS"

# LAB_CONSOLE=PATH: a FIFO there feeds the serial console, so a person can
# press Xen's debug keys in a hung lab (three Ctrl-A switch input to Xen):
#   printf '\001\001\001' > PATH; printf 0 > PATH   # dom0's registers
# and dom0's SysRq keys (Ctrl-O, then the key) while input goes to dom0:
#   printf '\017w' > PATH                           # dom0's blocked tasks
# and a root shell of dom0's (pvsplit_shell), which reads the same input:
#   printf 'cat /proc/interrupts\n' > PATH
console_in=/dev/null console_fifo=
if [ -n "${LAB_CONSOLE:-}" ]; then
	rm -f "$LAB_CONSOLE" && mkfifo "$LAB_CONSOLE" || exit 1
	console_in=$LAB_CONSOLE console_fifo=$LAB_CONSOLE
	dom0_cmd="$dom0_cmd pvsplit_shell"
	exec 9<>"$LAB_CONSOLE"	# held open: QEMU never sees end of file
fi

echo "lab: Xen 4.17 ($xen_kind build) + Linux $kver under QEMU (TCG), mode $mode; log $log"
start=$(date +%s)
timeout --foreground -k 10 "$tmo" qemu-system-x86_64 \
	-accel tcg,thread=multi -cpu qemu64,+rdrand -m 3072 -smp 2 \
	-nographic -no-reboot -monitor none -serial stdio -net none \
	-kernel "$xen" -append "$xen_cmd" \
	-initrd "/boot/vmlinuz-$kver $dom0_cmd,$out/dom0.cpio.gz" \
	<"$console_in" >"$log" 2>&1
qrc=$?
[ -n "$console_fifo" ] && rm -f "$console_fifo"
secs=$(($(date +%s) - start))

tr -d '\r' < "$log" | grep -a -E '^(TAP: |# |JSON: |BENCH: )' |
	sed -e 's/^TAP: //' -e 's/^BENCH: //' | grep -v '^JSON: '
if [ "$mode" = xring ] || grep -aq '^JSON: ' "$log"; then
	mkdir -p "$top/bench-results"
	tr -d '\r' < "$log" | sed -n 's/^JSON: //p' |
		python3 -c 'import sys, json; rows = [json.loads(l) for l in sys.stdin if l.strip()]; json.dump(rows, open(sys.argv[1], "w"), indent=1)' \
		"$top/bench-results/${mode}.json" &&
		echo "lab: wrote bench-results/${mode}.json"
fi
# kernel_reports: the head of each kernel report on the serial log (an
# Oops or panic of dom0, whose console is otherwise quiet (dmesg -n 1), and
# Xen's own), printed last, where a CI excerpt of the output's tail still
# shows what went wrong
kernel_reports() {
	local r
	r=$(tr -d '\r' < "$log" | grep -a -E \
		'(WARNING: CPU|BUG:|Oops:|general protection|Kernel panic|RIP: e030|Dom0 crashed|\(XEN\) .*(FATAL|Panic))' |
		head -n 12)
	[ -n "$r" ] || return 0
	echo "lab: kernel reports on the serial log (first 12):"
	echo "$r"
}
res=$(tr -d '\r' < "$log" | grep -a '^LAB-RESULT' | tail -n 1)
echo "lab: qemu exit $qrc after ${secs}s; ${res:-no result}"
if [ $qrc = 124 ] || [ $qrc = 137 ]; then
	echo "lab: TIMEOUT after ${tmo}s; last lines of the serial log:"
	tail -n 40 "$log"
	kernel_reports
	exit 1
fi
# both: run.sh exits 0 only with no failed and no missing case, and its
# LAB-RESULT line says so (a dom0 that died on the way prints neither)
if ! grep -aq '^LAB-DONE rc=0' "$log" ||
   ! [[ $res =~ failed=0\ short=0 ]]; then
	echo "lab: scenarios failed or did not finish; last lines of the serial log:"
	tail -n 60 "$log"
	kernel_reports
	exit 1
fi
exit 0
