# SPDX-License-Identifier: GPL-2.0-only
# make bench-blk: fio in guest g1 against null_blk in dom0, with the stock
# pair (xen-blkback/xen-blkfront) and with ours (pvblkback/pvblkfront) in
# the same boot, modules swapped between runs, plus the same fio natively
# in dom0 as the limit.  The pairs run in the order ours, stock, stock,
# ours and each figure is the mean of its two runs, so that a drift of the
# emulated machine over the boot favours neither.  One JSON row per case.
RT=${BENCH_SECONDS:-8}
NULLB=/dev/nullb0
CASES="randread:4k:1 randread:4k:32 randwrite:4k:1 randwrite:4k:32 read:1m:8 write:1m:8"

# fio_val WHERE DEV RW BS QD: IOPS (4k) or MB/s (1m)
fio_val() {
	local cmd out
	cmd="fio --name=b --filename=$2 --direct=1 --ioengine=libaio --iodepth=$5 \
--rw=$3 --bs=$4 --time_based --runtime=$RT --ramp_time=1 --size=1g \
--output-format=terse --terse-version=3"
	if [ "$1" = dom0 ]; then
		out=$($cmd 2>&1)
	else
		out=$(guest "$DOM" "$cmd" 120)
	fi
	echo "$out" | awk -F';' -v rw="$3" -v bs="$4" 'NF > 50 {
		r = rw ~ /read/; v = bs == "1m" ? (r ? $7 : $48) / 1024 : (r ? $8 : $49)
		printf "%.0f\n", v }'
}

# results in a file: check runs its command in a subshell
RESF=/tmp/blkbench.res
: > $RESF
run_all() {	# run_all WHO WHERE DEV
	local c rw bs qd v
	for c in $CASES; do
		IFS=: read -r rw bs qd <<<"$c"
		v=$(fio_val "$2" "$3" "$rw" "$bs" "$qd")
		echo "# $1 $rw $bs qd$qd: ${v:-failed}" >&3
		echo "$1 $c ${v:-0}" >> $RESF
		[ -n "$v" ] && [ "$v" -gt 0 ] || return 1
	done
}
res() {	# res WHO CASE: mean of the runs
	awk -v w="$1" -v c="$2" '$1 == w && $2 == c { v += $3; n++ }
		END { printf "%.0f\n", n ? v / n : 0 }' $RESF
}

load_stock() {
	insmod /lib/modules/extra/xen-blkback.ko &&
		guest "$DOM" "insmod /lib/modules/extra/xen-blkfront.ko"
}
unload_stock() {
	pvsplit detach vbd "$DOM" 51728 --timeout 30 && rmmod xen-blkback &&
		guest "$DOM" "rmmod xen-blkfront"
}
load_ours() {
	insmod /pvsplit/pvblkback.ko && guest "$DOM" "insmod /pvsplit/pvblkfront.ko"
}
unload_ours() {
	pvsplit detach vbd "$DOM" 51728 --timeout 30 && rmmod pvblkback &&
		guest "$DOM" "rmmod pvblkfront"
}

attach_null() {
	pvsplit attach vbd "$DOM" xvdb $NULLB >/dev/null &&
		pvsplit wait vbd "$DOM" 51728 connected --timeout 60 &&
		wait_until 30 guest "$DOM" "test -b /dev/xvdb"
}

check "null_blk device in dom0" test -b $NULLB
check "native fio in dom0" run_all native dom0 $NULLB

pair_ours() {	# pair_ours ROUND
	check "our pair ($1): load pvblkback and pvblkfront" load_ours
	check "our pair ($1): attach null_blk as xvdb" attach_null
	check "our pair ($1): fio" run_all ours guest /dev/xvdb
	check "our pair ($1): detach and unload" unload_ours
}
pair_stock() {	# pair_stock ROUND
	check "stock pair ($1): load xen-blkback and xen-blkfront" load_stock
	check "stock pair ($1): attach null_blk as xvdb" attach_null
	check "stock pair ($1): fio" run_all stock guest /dev/xvdb
	check "stock pair ($1): detach and unload" unload_stock
}
pair_ours 1
pair_stock 1
pair_stock 2
pair_ours 2

echo "# blk bench (TCG; IOPS for 4k, MB/s for 1m; ${RT}s each)"
printf '# %-18s %9s %9s %9s %7s\n' case stock ours native ours/stock
for c in $CASES; do
	IFS=: read -r rw bs qd <<<"$c"
	s=$(res stock "$c") o=$(res ours "$c") n=$(res native "$c")
	unit=IOPS
	[ "$bs" = 1m ] && unit=MB/s
	ratio=$(awk -v o="$o" -v s="$s" 'BEGIN { printf "%.2f", (s > 0 ? o / s : 0) }')
	printf '# %-18s %9s %9s %9s %7s\n' "$rw $bs qd$qd" "$s" "$o" "$n" "$ratio"
	json "{\"case\": \"$rw $bs qd$qd\", \"stock\": $s, \"ours\": $o, \"native\": $n, \"unit\": \"$unit\", \"ratio\": $ratio}"
done
