# SPDX-License-Identifier: GPL-2.0-only
# plan: 1
# Debug (mode blktune): the pairs side by side (blksbs.sh), like with like
# (scheduler none on both disks and in dom0), 4k random write and read at
# QD32 and random write at QD1, the stock pair against ours under settings
# of the run-time knobs (pvblkfront irq_batch, pvblkback poll_max_us), in
# rounds, with what each run cost per request: CPU that Xen charged to
# dom0 and to the guest over a window inside fio's measured time (as
# make bench-blk takes it), the guest's interrupts by source, softirqs by
# type and context switches, and for ours the back end's counters.
. "$dir/benchlib.sh"
RT=8
FE=/sys/module/pvblkfront/parameters
BE=/sys/module/pvblkback/parameters
BES=/sys/bus/xen-backend/devices/vbd-$DOM-$(vdev xvdc)/statistics
gsnap() {	# interrupts and softirqs of the guest, one "name count" a line
	guest "$DOM" "awk 'NR > 1 { print \"irq:\" \$NF \":\" \$1, \$2 }' /proc/interrupts; \
awk 'NR > 1 { print \"softirq:\" \$1, \$2 }' /proc/softirqs; \
awk '\$1 == \"ctxt\" { print \"ctxt\", \$2 }' /proc/stat"
}
bsnap() {	# the back end's counters of ours, "be:name count"
	local f
	for f in poll_hit poll_miss poll_skip poll_backoff yields drains; do
		echo "be:$f $(cat "$BES/$f")"
	done
}
tune() {	# tune LABEL DEV [QD [RW]]
	local a b out iops n seq d0 g0 d1 g1 t0 t1 cmd
	a="$(gsnap)
$(bsnap)"
	cmd=$(fio_cmd "$2" --time_based --runtime="$RT" --size=1g --output-format=terse \
		--terse-version=3 --iodepth="${3:-32}" --rw="${4:-randread}" --bs=4k --ramp_time=2)
	seq=$(guest_send "$DOM" "$cmd") || return 1
	sleep 3
	t0=$(cut -d' ' -f1 /proc/uptime) d0=$(vcpu_ms 0) g0=$(vcpu_ms "$DOM")
	sleep $((RT - 2))
	t1=$(cut -d' ' -f1 /proc/uptime) d1=$(vcpu_ms 0) g1=$(vcpu_ms "$DOM")
	out=$(guest_wait "$DOM" "$seq" $((RT + 60)))
	b="$(gsnap)
$(bsnap)"
	iops=$(echo "$out" | awk -F';' 'NF > 50 { print $8 + $49 }')
	n=$((iops * (RT + 2) + 1))
	echo "# $1 ${4:-randread} qd${3:-32}: $iops IOPS; us/io dom0 $(awk -v d=$((d1 - d0)) -v g=$((g1 - g0)) -v t0="$t0" -v t1="$t1" -v r="$iops" \
		'BEGIN { n = r * (t1 - t0) + 1; printf "%.0f guest %.0f", d * 1000 / n, g * 1000 / n }'); fio usr/sys/ctx $(echo "$out" | awk -F';' 'NF > 50 { printf "%s%% %s%% %.2f/io", $88, $89, $90 / '$n' }')"
	printf '%s\n%s\n' "$a" "$b" | awk -v n="$n" '
		{ if ($1 in v) { d = $2 - v[$1]; if (d / n >= 0.03) printf "#    %s %.2f\n", $1, d / n }
		  else v[$1] = $2 }'
}
set_ours() {	# set_ours IRQ_BATCH POLL_MAX_US
	guest "$DOM" "echo $1 > $FE/irq_batch" && echo "$2" > $BE/poll_max_us
}
for d in nullb0 nullb1; do echo none > /sys/block/$d/queue/scheduler; done
for d in xvdb xvdc; do guest "$DOM" "echo none > /sys/block/$d/queue/scheduler"; done
# settings in a different order each round: the machine's speed drifts
for rw in randwrite randread; do
	for r in 1 2 3 4; do
		for k in 0 1 2 3; do
			case $(( (k + r) % 4 )) in
			0) tune stock xvdb 32 $rw ;;
			1) set_ours 8 2000; tune "ours batch8 poll" xvdc 32 $rw ;;
			2) set_ours 1 2000; tune "ours batch1 poll" xvdc 32 $rw ;;
			3) set_ours 8 0; tune "ours batch8 nopoll" xvdc 32 $rw ;;
			esac
		done
	done
done
for r in 1 2 3; do
	for k in 0 1 2; do
		case $(( (k + r) % 3 )) in
		0) tune stock xvdb 1 randwrite ;;
		1) set_ours 8 2000; tune "ours poll" xvdc 1 randwrite ;;
		2) set_ours 8 0; tune "ours nopoll" xvdc 1 randwrite ;;
		esac
	done
done
set_ours 8 2000
sbs_done
