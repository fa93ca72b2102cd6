# SPDX-License-Identifier: GPL-2.0-only
# plan: 0
# Debug aid (lab.sh --mode dbg): a guest command and its raw answer.
attach_pvbench g1 0 >&3 2>&1
guest "$DOM" "echo hello; ls /sys/bus/xen/devices/" >&3 2>&1
echo "rc=$?" >&3
xenstore-ls /local/domain/$DOM/data >&3 2>&1
guest "$DOM" "pvsplit bench --devid 0 --count 100 --json" >&3 2>&1
echo "rc=$?" >&3
guest_log g1 >&3
