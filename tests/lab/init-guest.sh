#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the lab's PV guest: mount the basics and hand over to the agent,
# which runs the commands dom0 sends through xenstore.
export PATH=/pvsplit:/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug
dmesg -n 1
for m in $(cat /lib/modules/order 2>/dev/null); do
	insmod "/lib/modules/$m" 2>/dev/null
done
echo "guest up: $(uname -r)"
exec /bin/sh /pvsplit/agent.sh
