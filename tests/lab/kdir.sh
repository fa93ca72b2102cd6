#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Print the kernel build folder to use: $1 names a kernel line (6.1, 6.12)
# to pick its Debian headers; without it, the running kernel's build folder
# when installed, else the newest Debian headers.
want=${1:-}
if [ -z "$want" ] && [ -d "/lib/modules/$(uname -r)/build" ]; then
	echo "/lib/modules/$(uname -r)/build"
	exit 0
fi
ls -d /usr/src/linux-headers-${want:+$want.}*-amd64 2>/dev/null | sort -V | tail -n 1
