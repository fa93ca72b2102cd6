#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /init of the lab's dom0: bring up the Xen tool stack, then run the
# scenario named by pvsplit_mode= on the kernel command line, then power off.
export PATH=/pvsplit:/bin:/sbin:/usr/bin:/usr/sbin:/usr/lib/xen-4.17/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mkdir -p /run/xen /run/xenstored /run/lock /var/log/xen/console
dmesg -n 1
# every SysRq function: in a hung lab, Ctrl-O then w on the console (see
# LAB_CONSOLE in lab.sh) lists the blocked tasks with their stacks
echo 1 > /proc/sys/kernel/sysrq
for m in $(cat /lib/modules/order); do
	insmod "/lib/modules/$m" 2>/dev/null
done
[ -d /sys/kernel/config ] && mount -t configfs configfs /sys/kernel/config
mount -t xenfs xenfs /proc/xen
xenstored --pid-file /run/xenstored.pid
for i in $(seq 100); do
	xenstore-read -s / >/dev/null 2>&1 && break
	sleep 0.1
done
xen-init-dom0 >/dev/null
xenconsoled --log=guest
ip link set lo up
mode=$(sed -n 's/.*pvsplit_mode=\([^ ]*\).*/\1/p' /proc/cmdline)
# pvsplit_shell (lab.sh with LAB_CONSOLE): a root shell on the console too,
# to look around a hung lab; what it prints lands in the serial log
if grep -q pvsplit_shell /proc/cmdline; then
	setsid sh -c 'exec sh -i < /dev/hvc0 > /dev/hvc0 2>&1' &
fi
# benchmark settings lab.sh passed on (BENCH_SECONDS, BENCH_ROUNDS)
v=$(sed -n 's/.*pvsplit_bench_seconds=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$v" ] && export BENCH_SECONDS=$v
v=$(sed -n 's/.*pvsplit_bench_rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
[ -n "$v" ] && export BENCH_ROUNDS=$v
echo "LAB-UP kernel $(uname -r) mode ${mode:-main}"
/bin/bash /pvsplit/scenarios/run.sh "${mode:-main}"
echo "LAB-DONE rc=$?"
sync
poweroff -f
