# SPDX-License-Identifier: GPL-2.0-only
# plan: 16
# make bench-blk: fio in a guest against null_blk in dom0, the stock pair
# (xen-blkback/xen-blkfront) and ours (pvblkback/pvblkfront) side by side
# (blksbs.sh: xvdb is the stock pair's, xvdc ours), like with like: the
# same ring (4 pages), the same segments per request (256), the I/O
# scheduler none on both disks, on the ceiling's disk and in dom0.
#
# Each case runs BENCH_ROUNDS rounds, stock-ours-ceiling and
# ceiling-ours-stock alternating, so that the emulated machine's drift
# (large under TCG) hits all alike.  The ceiling: the same fio in the same
# guest against a null_blk of the guest's own, I/O that costs nothing to
# carry; what a pair adds above it (1/rate over 1/ceiling) is the
# transport's overhead, overhead_ratio stock's over ours (median over
# rounds).  Xen's CPU accounting (xl vcpu-list) over each run gives
# microseconds of dom0 and of the guest per I/O (the run's I/Os: its rate
# times runtime plus ramp).  The same fio natively in dom0 (once per case)
# gives dom0's own limit.
#
# Then two rows with the stock front end at its defaults (1-page ring, 32
# segments, mq-deadline) against ours: what a user gets out of the box,
# not like with like.  Then the two-queue row: guest g7 with 2 vCPUs, both
# pairs with 2 rings and 32 segments a request, fio with 2 jobs at QD16,
# one a vCPU.
. "$dir/benchlib.sh"
# runs of RT seconds after 2 of ramp; CPU is sampled over RT - 2 of them
RT=${BENCH_SECONDS:-8}
[ "$RT" -ge 5 ] || RT=5
ROUNDS=${BENCH_ROUNDS:-4}
# a case: RW:BS:QD[:JOBS]; a d- in front: stock at its defaults
CASES="randread:4k:1 randread:4k:32 randwrite:4k:1 randwrite:4k:32 read:1m:8 write:1m:8"
DEF_CASES="d-randread:4k:32 d-read:1m:8"
MQ_CASE="randread:4k:16:2"
RESF=/tmp/blkbench.res BENCH_CEIL=guest BENCH_CPU_SCALE=1000
: > $RESF
BB_DOM=$DOM

# bb_fio DOMID DEV RW BS QD JOBS: run fio (in dom0 for DOMID 0) and
# print "VALUE CPU-DOM0 CPU-GUEST WINDOW": IOPS (4k) or MB/s (1m) of all
# jobs, and what Xen charged to dom0 and to the guest (ms) over a window
# of WINDOW ms inside fio's measured time, where no side polls (the agent
# is busy with fio, dom0 sleeps): fio's start under TCG costs seconds
# that would otherwise swamp the I/O's own cost.
BB_SETTLE=3
bb_fio() {
	local more="" cmd seq out pid t0 t1 d0 g0 d1 g1
	[ "$6" -gt 1 ] && more="--numjobs=$6 --group_reporting"
	# one job a vCPU in the guest (dom0 has one)
	[ "$6" -gt 1 ] && [ "$1" != 0 ] &&
		more="$more --cpus_allowed=0-$(($6 - 1)) --cpus_allowed_policy=split"
	# shellcheck disable=SC2086
	cmd=$(fio_cmd "$2" --time_based --runtime="$RT" --size=1g --output-format=terse \
		--terse-version=3 --iodepth="$5" --rw="$3" --bs="$4" --ramp_time=2 $more)
	if [ "$1" = 0 ]; then
		$cmd > /tmp/bb-fio.out 2>&1 &
		pid=$!
	else
		seq=$(guest_send "$1" "$cmd") || return 1
	fi
	sleep $BB_SETTLE
	t0=$(cut -d' ' -f1 /proc/uptime) d0=$(vcpu_ms 0) g0=$(vcpu_ms "$BB_DOM")
	sleep $((RT - 2))
	t1=$(cut -d' ' -f1 /proc/uptime) d1=$(vcpu_ms 0) g1=$(vcpu_ms "$BB_DOM")
	if [ "$1" = 0 ]; then
		wait "$pid"
		out=$(cat /tmp/bb-fio.out)
	else
		out=$(guest_wait "$1" "$seq" $((RT + 60)))
	fi
	awk -F';' -v rw="$3" -v bs="$4" -v d=$((d1 - d0)) -v g=$((g1 - g0)) -v t0="$t0" -v t1="$t1" 'NF > 50 {
		r = rw ~ /read/; v = bs == "1m" ? (r ? $7 : $48) / 1024 : (r ? $8 : $49)
		printf "%.0f %d %d %.0f\n", v, d, g, (t1 - t0) * 1000 }' <<<"$out"
}

bb_name() {	# bb_name CASE: how a row is called
	local c=${1#d-} rw bs qd jobs n
	IFS=: read -r rw bs qd jobs <<<"$c"
	n="$rw $bs qd$qd"
	[ -n "$jobs" ] && n="$rw $bs ${jobs}x qd$qd"
	[ "$c" != "$1" ] && n="$n (stock default)"
	echo "$n"
}

# one WHO DOMID DEV CASE: a run; its line in $RESF, CPU in microseconds
# per I/O (the window's I/Os: the run's rate times the window)
one() {
	local rw bs qd jobs v d g w
	IFS=: read -r rw bs qd jobs <<<"${4#d-}"
	read -r v d g w <<<"$(bb_fio "$2" "$3" "$rw" "$bs" "$qd" "${jobs:-1}")"
	echo "# $1 $(bb_name "$4"): ${v:-failed}; cpu ms dom0 $d guest $g in $w ms" >&3
	[ -n "$v" ] && [ "$v" -gt 0 ] || return 1
	bench_row "$1" "$4" "$v" "$d" "$g" "$(awk -v v="$v" -v w="$w" 'BEGIN { print v * w / 1000 }')"
}

# bb_case CASE: dom0's limit once, then the rounds in alternating order
bb_case() {
	local r
	one native 0 /dev/nullb0 "$1" || return 1
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then
			one stock "$BB_DOM" xvdb "$1" && one ours "$BB_DOM" xvdc "$1" &&
				one guest "$BB_DOM" nullb0 "$1"
		else
			one guest "$BB_DOM" nullb0 "$1" && one ours "$BB_DOM" xvdc "$1" &&
				one stock "$BB_DOM" xvdb "$1"
		fi || return 1
	done
}

# bb_def_case CASE: rounds of the stock pair at its defaults and ours
bb_def_case() {
	local r
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) = 1 ]; then
			one stockdef "$BB_DOM" xvdb "$1" && one ours "$BB_DOM" xvdc "$1"
		else
			one ours "$BB_DOM" xvdc "$1" && one stockdef "$BB_DOM" xvdb "$1"
		fi || return 1
	done
}

# bb_disk DEV: what a guest disk runs with (scheduler, ring pages,
# queues, segments per request); one line
bb_disk() {
	local fe o q
	fe=/local/domain/$BB_DOM/device/vbd/$(vdev "$1")
	o=$(xenstore-read "$fe/ring-page-order" 2>/dev/null || echo 0)
	q=$(xenstore-read "$fe/multi-queue-num-queues" 2>/dev/null || echo 1)
	echo "$(guest "$BB_DOM" "sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/block/$1/queue/scheduler") \
pages $((1 << o)) queues $q segments $(guest "$BB_DOM" "cat /sys/block/$1/queue/max_segments")"
}
# bb_like SCHED QUEUES: both disks alike, with SCHED and QUEUES rings
bb_like() {
	local b c
	b=$(bb_disk xvdb) c=$(bb_disk xvdc)
	echo "stock xvdb: $b; ours xvdc: $c"
	[ "$b" = "$c" ] && [ "${b%% *}" = "$1" ] && [[ $b == *" queues $2 "* ]]
}
# bb_sched SCHED DEV...: SCHED for guest disks DEV
bb_sched() {
	local s=$1 d; shift
	for d in "$@"; do
		guest "$BB_DOM" "echo $s > /sys/block/$d/queue/scheduler" || return 1
	done
}

# bb_stock_defaults: xen-blkfront again with no parameters, xvdb on it
bb_stock_defaults() {
	detach_vbd xvdb &&
		guest "$BB_DOM" "rmmod xen-blkfront && insmod /lib/modules/extra/xen-blkfront.ko" &&
		attach_bound xvdb /dev/nullb0 vbd vbd && bb_disk xvdb
}

check "guest: a null_blk of its own (the ceiling)" \
	guest "$DOM" "insmod /lib/modules/extra/configfs.ko; insmod /lib/modules/extra/null_blk.ko && \
test -b /dev/nullb0"
bb_none() {	# scheduler none in dom0 and in the guest, both disks alike
	local d
	for d in nullb0 nullb1; do echo none > /sys/block/$d/queue/scheduler || return 1; done
	bb_sched none xvdb xvdc nullb0 && bb_like none 1
}
check "like with like: scheduler none on both disks, the ceiling's and dom0's; the same ring and segments" \
	bb_none
for c in $CASES; do
	check "fio $(bb_name "$c"): native, then $ROUNDS rounds of each pair and the ceiling" bb_case "$c"
done
check "stock front end at its defaults on xvdb (not like with like)" bb_stock_defaults
for c in $DEF_CASES; do
	check "fio $(bb_name "$c"): $ROUNDS rounds of it and ours" bb_def_case "$c"
done
bb_leave() { guest "$DOM" "rmmod null_blk" && detach_vbd xvdb && detach_vbd xvdc; }
check "guest: null_blk unloads; both disks leave g1" bb_leave

# The two-queue row, in g7 (2 vCPUs); the disk helpers work on $DOM
G1=$DOM
DOM7=$(GUEST_VCPUS=2 GUEST_MEM=384 start_guest g7)
DOM=$DOM7 BB_DOM=$DOM7
bb_mq_up() {
	# 32 segments a request for both (4k I/O needs one): with 256, each
	# front end's buffers for two 128-slot rings took the 384 MiB guest
	# into the OOM killer's panic
	[ -n "$DOM7" ] && guest "$DOM7" "insmod /pvsplit/pvsplit_common.ko" && sbs_fronts "$DOM7" 32 &&
		guest "$DOM7" "insmod /lib/modules/extra/configfs.ko; \
insmod /lib/modules/extra/null_blk.ko submit_queues=2 && test -b /dev/nullb0" &&
		attach_bound xvdb /dev/nullb0 vbd vbd && attach_bound xvdc /dev/nullb1 pvblkback pvblkfront &&
		bb_sched none xvdb xvdc nullb0 && bb_like none 2 ||
		{ xl list; guest_log g7; return 1; }
}
check "two queues: g7 with 2 vCPUs, both pairs with 2 rings, scheduler none" bb_mq_up
check "fio $(bb_name "$MQ_CASE"): native, then $ROUNDS rounds of each pair and the ceiling" \
	bb_case "$MQ_CASE"
bb_mq_down() { detach_vbd xvdb && detach_vbd xvdc && xl destroy g7 && settle_after_destroy; }
check "two queues: both disks leave g7, g7 destroyed" bb_mq_down
DOM=$G1 BB_DOM=$G1
check "both pairs unloaded" sbs_unload

bb_json_num() { [ "$1" = - ] && echo null || echo "$1"; }
echo "# blk bench (TCG; IOPS for 4k, MB/s for 1m; ${RT}s runs; pairs side by side, $ROUNDS rounds; medians)"
echo "# cpu: microseconds per I/O that Xen charged to dom0 (d0) and to the guest (g)"
printf '# %-28s %7s %7s %7s %7s %6s %6s %7s %7s %7s %7s   %s\n' case stock ours ceiling native \
	ratio ovh d0-st d0-ours g-st g-ours "spread stock / ours"
for c in $CASES $DEF_CASES $MQ_CASE; do
	IFS=: read -r rw bs qd jobs <<<"${c#d-}"
	unit=IOPS
	[ "$bs" = 1m ] && unit=MB/s
	sw=stock
	[ "$c" != "${c#d-}" ] && sw=stockdef
	s=$(bench_col $sw "$c" 3) o=$(bench_col ours "$c" 3)
	ra=$(bench_round "$c" ratio $sw)
	ds=$(bench_col $sw "$c" 4) do=$(bench_col ours "$c" 4)
	gs=$(bench_col $sw "$c" 5) go=$(bench_col ours "$c" 5)
	if [ $sw = stock ]; then
		l=$(bench_col guest "$c" 3) n=$(bench_col native "$c" 3) ov=$(bench_round "$c" overhead)
	else
		l=- n=- ov=-
	fi
	printf '# %-28s %7s %7s %7s %7s %6s %6s %7.1f %7.1f %7.1f %7.1f   %s / %s\n' "$(bb_name "$c")" \
		"$s" "$o" "$l" "$n" "$ra" "$ov" "$ds" "$do" "$gs" "$go" \
		"$(bench_spread $sw "$c")" "$(bench_spread ours "$c")"
	like=true
	[ $sw = stock ] || like=false
	json "{\"case\": \"$(bb_name "$c")\", \"unit\": \"$unit\", \"stock\": $s, \"ours\": $o, \"ceiling\": $(bb_json_num "$l"), \"native\": $(bb_json_num "$n"), \"ratio\": $ra, \"overhead_ratio\": $(bb_json_num "$ov"), \"cpu_dom0_us_stock\": $ds, \"cpu_dom0_us_ours\": $do, \"cpu_guest_us_stock\": $gs, \"cpu_guest_us_ours\": $go, \"like_with_like\": $like, \"rounds\": $ROUNDS}"
done
