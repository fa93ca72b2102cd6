# SPDX-License-Identifier: GPL-2.0-only
# plan: 0
# Needs blklib.sh.  Debug (mode blkdiag): where the time goes.  For the stock pair and ours,
# 4k random read and write at QD32 and QD1 on null_blk, with the CPU seconds
# Xen charged to dom0 and to the guest over the run (xl vcpu-list) and the
# ring counters of both ends, so cost per request can be read per side;
# then ours again with pvblkback's polling off and back on.
RT=${BENCH_SECONDS:-8}
vcpu_ms() {	# vcpu_ms DOMID: CPU time of vCPU 0 in ms
	xl vcpu-list "$1" | awk 'NR == 2 { printf "%.0f\n", $6 * 1000 }'
}
pstat() {	# pstat: context switches, interrupts, softirqs so far
	awk '$1 == "ctxt" || $1 == "intr" || $1 == "softirq" { printf "%s ", $2 } END { print "" }' /proc/stat
}
per_io() {	# per_io BEFORE AFTER IOS
	echo "$1 $2" | awk -v n="$3" '{ printf "ctxt %.2f intr %.2f softirq %.2f", ($4 - $1) / n, ($5 - $2) / n, ($6 - $3) / n }'
}
diag() {	# diag LABEL RW [QD]
	local d0 g0 d1 g1 out iops
	d0=$(vcpu_ms 0) g0=$(vcpu_ms "$DOM")
	local ps0 ps1 gs0 gs1
	ps0=$(pstat)
	gs0=$(guest "$DOM" "awk '\$1 == \"ctxt\" || \$1 == \"intr\" || \$1 == \"softirq\" { printf \"%s \", \$2 }' /proc/stat")
	out=$(fio_terse "$DOM" xvdb "$RT" --iodepth="${3:-32}" --rw="$2" --bs=4k)
	d1=$(vcpu_ms 0) g1=$(vcpu_ms "$DOM")
	ps1=$(pstat)
	gs1=$(guest "$DOM" "awk '\$1 == \"ctxt\" || \$1 == \"intr\" || \$1 == \"softirq\" { printf \"%s \", \$2 }' /proc/stat")
	iops=$(echo "$out" | awk -F';' -v rw="$2" 'NF > 50 { print (rw ~ /read/ ? $8 : $49) }')
	echo "# $1 $2 qd${3:-32}: $iops IOPS; cpu ms dom0 $((d1 - d0)) guest $((g1 - g0)); \
us/io dom0 $(( (d1 - d0) * 1000 / (iops * RT + 1) )) guest $(( (g1 - g0) * 1000 / (iops * RT + 1) ))"
	echo "#   dom0 per io: $(per_io "$ps0" "$ps1" $((iops * RT + 1)))"
	echo "#   guest per io: $(per_io "${gs0#|}" "${gs1#|}" $((iops * RT + 1)))"
}
qattr() {
	guest "$DOM" "cd /sys/block/xvdb/queue && grep . scheduler rotational add_random nomerges rq_affinity nr_requests max_sectors_kb iostats" | tr '\036' ' '
	echo
}
att() { attach_vbd xvdb /dev/nullb0 >/dev/null && sleep 2; }
det() { detach_vbd xvdb; }
xl vcpu-list
d0=$(vcpu_ms 0); sleep 5; echo "# dom0 idle: $(( $(vcpu_ms 0) - d0 )) ms in 5 s"
insmod /lib/modules/extra/xen-blkback.ko; guest "$DOM" "insmod /lib/modules/extra/xen-blkfront.ko"
att; qattr; diag stock randread; diag stock randwrite; diag stock randread 1
diag stock randwrite 1; diag stock randwrite 1; det
rmmod xen-blkback; guest "$DOM" "rmmod xen-blkfront"
insmod /pvsplit/pvblkback.ko; guest "$DOM" "insmod /pvsplit/pvblkfront.ko"
att; qattr; diag ours randread; diag ours randwrite; diag ours randread 1
diag ours randwrite 1; diag ours randwrite 1
ring_counters
grep . /sys/bus/xen-backend/devices/vbd-$DOM-$(vdev xvdb)/statistics/* | sed 's/^/# be: /'
det
# the same without polling, for comparison in the same boot
echo 0 > /sys/module/pvblkback/parameters/poll_max_us
att; diag ours-nopoll randread; diag ours-nopoll randread 1; det
echo 2000 > /sys/module/pvblkback/parameters/poll_max_us
att; diag ours randread 1; det
