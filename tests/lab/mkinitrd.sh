#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the lab's initramfs images from this machine's installed packages:
#   mkinitrd.sh KVER OUT MODDIR
# KVER: full kernel release (e.g. 6.1.0-56-amd64); OUT: output folder;
# MODDIR: folder holding our built .ko files and programs (copied to
# /pvsplit in both images).  LAB_PKG=1 (lab mode pkg): both images get the
# modules DKMS installed for KVER instead, and the CLI from /usr/bin (add_pkg).  Writes OUT/guest.cpio.gz and OUT/dom0.cpio.gz;
# the dom0 image carries the guest kernel and image under /guest.
set -euo pipefail

kver=$1
out=$2
payload=$3
here=$(cd "$(dirname "$0")" && pwd)
mods=/lib/modules/$kver

# copy a program and the libraries it loads into root $1
add_bin() {
	local root=$1 bin=$2 lib
	install -D -m 0755 "$bin" "$root$bin"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$root$lib" ] || install -D "$(readlink -f "$lib")" "$root$lib"
	done
}

# add kernel module $2 with what it depends on, decompressed, to root $1
add_mod() {
	local root=$1 name=$2 path
	for path in $(modprobe -S "$kver" --show-depends "$name" |
		      awk '$1 == "insmod" { print $2 }'); do
		local dst="$root/lib/modules/$(basename "${path%.xz}")"
		[ -e "$dst" ] && continue
		mkdir -p "$root/lib/modules"
		case $path in
		*.xz) xz -dc "$path" > "$dst" ;;
		*.zst) zstd -dcq "$path" > "$dst" ;;
		*) cp "$path" "$dst" ;;
		esac
		echo "$(basename "$dst")" >> "$root/lib/modules/order"
	done
}

# add kernel module $2 to root $1 under /lib/modules/extra, not loaded at
# boot: the stock drivers that tests load in place of ours
add_mod_extra() {
	local root=$1 name=$2 path dst
	path=$(modinfo -k "$kver" -n "$name")
	dst="$root/lib/modules/extra/$name.ko"
	mkdir -p "$root/lib/modules/extra"
	case $path in
	*.xz) xz -dc "$path" > "$dst" ;;
	*.zst) zstd -dcq "$path" > "$dst" ;;
	*) cp "$path" "$dst" ;;
	esac
}

# mode pkg: the modules that pvsplit-dkms had DKMS build and install for
# KVER, decompressed, in their place under /lib/modules/KVER/updates/dkms
# for the image's own depmod and modprobe (kmod's, in place of busybox's),
# and the CLI from pvsplit-tools in /usr/bin; nothing from the tree
add_pkg() {
	local root=$1 f dst t
	mkdir -p "$root$mods/updates/dkms"
	for f in "$mods"/updates/dkms/*.ko*; do
		dst=$root$mods/updates/dkms/$(basename "$f")
		case $f in
		*.xz) xz -dc "$f" > "${dst%.xz}" ;;
		*.zst) zstd -dcq "$f" > "${dst%.zst}" ;;
		*) cp "$f" "$dst" ;;
		esac
	done
	cp "$mods/modules.builtin" "$mods/modules.builtin.modinfo" "$root$mods/"
	add_bin "$root" /usr/bin/kmod
	for t in depmod modprobe modinfo; do
		ln -sf /usr/bin/kmod "$root/bin/$t"
	done
	add_bin "$root" /usr/bin/pvsplit
}

base_root() {
	local root=$1
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,run,tmp,var/log,var/lib,root,mnt}
	ln -s ../run "$root/var/run"
	install -m 0755 /bin/busybox "$root/bin/busybox"
	local b lib
	for b in sh mount umount mkdir ln cat echo sleep ls grep awk sed cut \
		 head tail tr wc dd seq date ps kill poweroff insmod rmmod \
		 lsmod modprobe mknod chmod rm cp mv sort uniq find xargs \
		 true false test expr printf env timeout stat dmesg ip \
		 hexdump od cmp md5sum sync uname hostname blockdev truncate \
		 blkdiscard readlink basename dirname logger which realpath \
		 ping nc killall; do
		ln -sf busybox "$root/bin/$b"
	done
	add_bin "$root" /usr/bin/xenstore
	local x
	for x in read write rm ls list exists chmod watch; do
		ln -sf xenstore "$root/usr/bin/xenstore-$x"
	done
	install -D "$(readlink -f /lib/x86_64-linux-gnu/libgcc_s.so.1)" \
		"$root/lib/x86_64-linux-gnu/libgcc_s.so.1"
	echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
	echo "root:x:0:" > "$root/etc/group"
	mkdir -p "$root/pvsplit"
	cp -r "$payload"/. "$root/pvsplit/"
	local f
	for f in "$root"/pvsplit/*; do
		ldd "$f" >/dev/null 2>&1 || continue
		for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
			[ -e "$root$lib" ] || install -D "$(readlink -f "$lib")" "$root$lib"
		done
	done
	install -m 0755 "$here/agent.sh" "$here/lib.sh" "$root/pvsplit/"
	# the Prometheus text checker of scenario top (no promtool in Debian 12
	# short of the whole prometheus package)
	install -m 0644 "$here/promcheck.awk" "$root/pvsplit/"
	[ -z "${LAB_PKG:-}" ] || add_pkg "$root"
}

pack() {
	(cd "$1" && find . | cpio -o -H newc --quiet) | gzip -1 > "$2"
}

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- guest ----
g=$work/guest
base_root "$g"
# xen-gntalloc: make bench-xring's vchan server grants its rings from here
for m in xen-evtchn xen-gntalloc; do add_mod "$g" "$m"; done
add_mod_extra "$g" xen-blkfront
# null_blk in the guest: the ceiling of bench-blk (no PV transport at all)
add_mod_extra "$g" configfs
add_mod_extra "$g" null_blk
add_bin "$g" /usr/bin/fio
# the network pair: the stock front end to pair with pvnetback, iperf3
add_mod_extra "$g" xen-netfront
add_bin "$g" /usr/bin/iperf3
add_bin "$g" /usr/sbin/ethtool
install -m 0755 "$here/init-guest.sh" "$g/init"
pack "$g" "$out/guest.cpio.gz"

# ---- dom0 ----
d=$work/dom0
base_root "$d"
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs bridge loop \
	 null_blk; do
	add_mod "$d" "$m"
done
add_mod_extra "$d" xen-blkback
add_mod_extra "$d" xen-netback
# rogue_net's receive storm: dom0 sends a vif packets as fast as it can
add_mod_extra "$d" pktgen
for b in /usr/lib/xen-4.17/bin/xl /usr/lib/xen-4.17/bin/xenstored \
	 /usr/lib/xen-4.17/bin/xenconsoled /usr/lib/xen-4.17/bin/xen-init-dom0 \
	 /usr/sbin/losetup /usr/bin/flock /usr/bin/stat /bin/bash \
	 /usr/bin/fio /usr/bin/iperf3 /bin/ip /usr/sbin/ethtool \
	 /usr/bin/jq /usr/bin/tmux; do
	[ -e "$b" ] && add_bin "$d" "$b"
done
# scenario top runs pvsplit top in tmux, which wants a UTF-8 locale (it
# picks C.UTF-8 by itself) and may ask for these terminal descriptions
if [ -d /usr/lib/locale/C.utf8 ]; then
	mkdir -p "$d/usr/lib/locale"
	cp -r /usr/lib/locale/C.utf8 "$d/usr/lib/locale/"
fi
for t in s/screen t/tmux x/xterm l/linux v/vt100; do
	if [ -e "/lib/terminfo/$t" ]; then
		install -D -m 0644 "/lib/terminfo/$t" "$d/lib/terminfo/$t"
	fi
done
# libxl's helpers and hotplug scripts
[ -e /usr/lib/xen-4.17/bin/libxl-save-helper ] &&
	add_bin "$d" /usr/lib/xen-4.17/bin/libxl-save-helper
mkdir -p "$d/etc/xen" "$d/var/lib/xen" "$d/var/log/xen/console" \
	 "$d/var/lib/xenstored" "$d/run/xen" "$d/run/xenstored"
cp -r /etc/xen/scripts "$d/etc/xen/"
cp /etc/xen/xl.conf "$d/etc/xen/" 2>/dev/null || true
install -m 0755 "$here/init-dom0.sh" "$d/init"
cp -r "$here/scenarios" "$d/pvsplit/scenarios"
mkdir -p "$d/guest"
cp "/boot/vmlinuz-$kver" "$d/guest/vmlinuz"
cp "$out/guest.cpio.gz" "$d/guest/initrd.gz"
pack "$d" "$out/dom0.cpio.gz"
ls -la "$out"
