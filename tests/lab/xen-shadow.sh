#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian 12 builds Xen 4.17 without CONFIG_SHADOW_PAGING, and a PV guest
# can only be live-migrated (xl migrate) when Xen can track its dirty pages
# in shadow mode ("Failed to enable logdirty: 95").  Build the hypervisor
# alone from Debian's source package with Debian's own config plus shadow
# paging, once, into build/xen-shadow/xen.gz, and print that path.
#
#   xen-shadow.sh      (progress on stderr, the path on stdout)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/build/xen-shadow
[ -s "$out/xen.gz" ] && { echo "$out/xen.gz"; exit 0; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

# Debian's image lists binary packages only; the source needs deb-src
if [ -z "$(apt-cache showsrc xen 2>/dev/null)" ]; then
	echo "xen-shadow: adding deb-src entries for bookworm" >&2
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
			$SUDO tee /etc/apt/sources.list.d/pvsplit-deb-src.sources >/dev/null
	else
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
			$SUDO tee /etc/apt/sources.list.d/pvsplit-deb-src.list >/dev/null
	fi
	$SUDO apt-get update -q >&2
fi
for p in flex bison dpkg-dev xz-utils; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		$SUDO apt-get install -y -q --no-install-recommends "$p" >&2
done

rm -rf "$out"
mkdir -p "$out/src"
cd "$out/src"
# the newest 4.17 source the mirror really has (the security archive's
# may be missing): the hypervisor ABI holds across 4.17.x
got=""
for ver in $(apt-cache showsrc xen | sed -n 's/^Version: //p' | sort -rV); do
	case $ver in 4.17.*) ;; *) continue ;; esac
	if apt-get source -q --download-only "xen=$ver" >&2; then
		got=$ver
		break
	fi
	rm -f ./*
done
[ -n "$got" ] || { echo "xen-shadow: no xen 4.17 source to fetch" >&2; exit 1; }
dpkg-source -x ./*.dsc xen >&2

cd xen/xen
cp /boot/xen-4.17-amd64.config .config
sed -i 's/^# CONFIG_SHADOW_PAGING is not set$/CONFIG_SHADOW_PAGING=y/' .config
make -s olddefconfig >&2
grep -q '^CONFIG_SHADOW_PAGING=y' .config
make -s -j"$(nproc)" >"$out/build.log" 2>&1 || { tail -n 30 "$out/build.log" >&2; exit 1; }
cp xen.gz "$out/xen.gz"
cd "$out"
rm -rf src
echo "xen-shadow: built xen.gz from Debian's xen $got with shadow paging" >&2
echo "$out/xen.gz"
