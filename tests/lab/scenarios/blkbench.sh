# SPDX-License-Identifier: GPL-2.0-only
# plan: 9
# make bench-blk: fio in guest g1 against null_blk in dom0, the stock pair
# (xen-blkback/xen-blkfront) and ours (pvblkback/pvblkfront) side by side
# (blksbs.sh: xvdb is the stock pair's, xvdc ours).  Each case runs
# BENCH_ROUNDS times per pair, alternating stock-ours and ours-stock, so
# that the emulated machine's drift (large under TCG) hits both alike.  A
# figure is the mean of its rounds; "median" is the median over rounds of
# ours/stock, each round's two runs being back to back.  The same fio
# natively in dom0 gives dom0's limit (once per case).  The same fio in the
# guest against a null_blk of the guest's own, in each round, gives what
# the guest's vCPU does with I/O that costs nothing to carry: a ceiling for
# any PV driver pair ("ceiling" is the median over rounds of it over the
# stock pair).  One JSON row per case.
RT=${BENCH_SECONDS:-8}
ROUNDS=${BENCH_ROUNDS:-4}
CASES="randread:4k:1 randread:4k:32 randwrite:4k:1 randwrite:4k:32 read:1m:8 write:1m:8"

# fio_val WHERE DEV RW BS QD: IOPS (4k) or MB/s (1m)
fio_val() {
	local dom=$DOM
	[ "$1" = dom0 ] && dom=0
	fio_terse "$dom" "$2" "$RT" --iodepth="$5" --rw="$3" --bs="$4" --ramp_time=1 |
		awk -F';' -v rw="$3" -v bs="$4" 'NF > 50 {
		r = rw ~ /read/; v = bs == "1m" ? (r ? $7 : $48) / 1024 : (r ? $8 : $49)
		printf "%.0f\n", v }'
}

# results in a file: check runs its command in a subshell
RESF=/tmp/blkbench.res
: > $RESF
one() {	# one WHO WHERE DEV CASE
	local rw bs qd v
	IFS=: read -r rw bs qd <<<"$4"
	v=$(fio_val "$2" "$3" "$rw" "$bs" "$qd")
	echo "# $1 $rw $bs qd$qd: ${v:-failed}" >&3
	echo "$1 $4 ${v:-0}" >> $RESF
	[ -n "$v" ] && [ "$v" -gt 0 ]
}
run_case() {	# run_case CASE: dom0's limit once, then rounds in alternating order
	local r
	one native dom0 /dev/nullb0 "$1" || return 1
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then
			one stock guest /dev/xvdb "$1" && one ours guest /dev/xvdc "$1" &&
				one guest guest /dev/nullb0 "$1"
		else
			one guest guest /dev/nullb0 "$1" && one ours guest /dev/xvdc "$1" &&
				one stock guest /dev/xvdb "$1"
		fi || return 1
	done
}
res() {	# res WHO CASE: mean of the runs
	awk -v w="$1" -v c="$2" '$1 == w && $2 == c { v += $3; n++ }
		END { printf "%.0f\n", n ? v / n : 0 }' $RESF
}
rmed() {	# rmed CASE [WHO]: median over rounds of WHO (ours)/stock, each round's runs back to back
	awk -v c="$1" -v w="${2:-ours}" '$2 == c && $1 == "stock" { s[++ns] = $3 }
		$2 == c && $1 == w { o[++no] = $3 }
		END {
			n = ns < no ? ns : no
			for (i = 1; i <= n; i++) {
				r[i] = s[i] > 0 ? o[i] / s[i] : 0
				for (j = i; j > 1 && r[j - 1] > r[j]; j--) {
					t = r[j]; r[j] = r[j - 1]; r[j - 1] = t
				}
			}
			m = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
			printf "%.2f\n", n ? m : 0
		}' $RESF
}
spread() {	# spread WHO CASE: lowest-highest of the runs
	awk -v w="$1" -v c="$2" '$1 == w && $2 == c {
		if (!n++ || $3 < lo) lo = $3; if ($3 > hi) hi = $3 }
		END { printf "%d-%d\n", lo, hi }' $RESF
}

check "guest: a null_blk of its own (the ceiling)" \
	guest "$DOM" "insmod /lib/modules/extra/configfs.ko; insmod /lib/modules/extra/null_blk.ko && \
test -b /dev/nullb0"
for c in $CASES; do
	check "fio $c: native, then $ROUNDS rounds of each pair and in-guest null_blk" run_case "$c"
done
check "guest: null_blk unloads" guest "$DOM" "rmmod null_blk"
sbs_done

echo "# blk bench (TCG; IOPS for 4k, MB/s for 1m; ${RT}s runs; pairs side by side, $ROUNDS rounds each)"
printf '# %-18s %7s %7s %7s %7s %7s %7s %7s   %s\n' case stock ours native guest \
	ours/st median ceiling "spread stock / ours"
for c in $CASES; do
	IFS=: read -r rw bs qd <<<"$c"
	s=$(res stock "$c") o=$(res ours "$c") n=$(res native "$c") g=$(res guest "$c")
	unit=IOPS
	[ "$bs" = 1m ] && unit=MB/s
	ratio=$(awk -v o="$o" -v s="$s" 'BEGIN { printf "%.2f", (s > 0 ? o / s : 0) }')
	ceil=$(rmed "$c" guest)
	med=$(rmed "$c")
	printf '# %-18s %7s %7s %7s %7s %7s %7s %7s   %s / %s\n' "$rw $bs qd$qd" "$s" "$o" "$n" \
		"$g" "$ratio" "$med" "$ceil" "$(spread stock "$c")" "$(spread ours "$c")"
	json "{\"case\": \"$rw $bs qd$qd\", \"stock\": $s, \"ours\": $o, \"native\": $n, \"guest_limit\": $g, \"unit\": \"$unit\", \"ratio\": $ratio, \"round_ratio_median\": $med, \"ceiling\": $ceil}"
done
