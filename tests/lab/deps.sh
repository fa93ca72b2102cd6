#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install what pvsplit needs on Debian 12 (idempotent; debhelper, dh-dkms,
# dkms and lintian for make deb and tests/pkg), then extract the
# kernel's test harness and checkpatch from linux-source-6.1 into build/.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
ksrc="$top/build/ksrc"

pkgs="build-essential bc kmod cpio busybox-static
linux-image-amd64 linux-headers-amd64
linux-image-6.12-amd64 linux-headers-6.12-amd64 linux-source-6.1
xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils libxen-dev
qemu-system-x86 fio iperf3 ethtool sparse gnuplot-nox iproute2 python3
jq tmux
clang libclang-rt-14-dev
debhelper dh-dkms dkms lintian"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	SUDO=""
	[ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -q
	# the lab boots kernels from the package files: no need to build
	# initramfs images for this machine
	$SUDO env INITRD=No apt-get install -y -q --no-install-recommends $missing
fi

if [ ! -f "$ksrc/scripts/checkpatch.pl" ] ||
   [ ! -f "$ksrc/tools/testing/selftests/kselftest_harness.h" ]; then
	tarball=$(ls /usr/src/linux-source-6.1*.tar.xz | sort -V | tail -n 1)
	mkdir -p "$ksrc"
	top_dir=$(tar -tJf "$tarball" | head -n 1 | cut -d/ -f1)
	tar -xJf "$tarball" -C "$ksrc" --strip-components=1 \
		"$top_dir/scripts/checkpatch.pl" \
		"$top_dir/scripts/spelling.txt" \
		"$top_dir/scripts/const_structs.checkpatch" \
		"$top_dir/tools/testing/selftests/kselftest_harness.h" \
		"$top_dir/tools/testing/selftests/kselftest.h" \
		"$top_dir/.clang-format"
fi
echo "deps: ok"
