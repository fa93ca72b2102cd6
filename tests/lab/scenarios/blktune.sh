# SPDX-License-Identifier: GPL-2.0-only
# plan: 1
# Debug (mode blktune): the pairs side by side (blksbs.sh), 4k random read
# at QD32 and random read and write at QD1, the stock pair against ours
# under several settings of the run-time knobs (pvblkfront irq_batch,
# pvblkback poll_max_us), in rounds, with what the guest spent per
# request: interrupts by source, softirqs by type, fio's own CPU and
# context switches.
RT=8
FE=/sys/module/pvblkfront/parameters
BE=/sys/module/pvblkback/parameters
gsnap() {	# interrupts and softirqs of the guest, one "name count" a line
	guest "$DOM" "awk 'NR > 1 { print \"irq:\" \$NF \":\" \$1, \$2 }' /proc/interrupts; \
awk 'NR > 1 { print \"softirq:\" \$1, \$2 }' /proc/softirqs; \
awk '\$1 == \"ctxt\" { print \"ctxt\", \$2 }' /proc/stat"
}
tune() {	# tune LABEL DEV [QD [RW]]
	local a b out iops n
	a=$(gsnap)
	out=$(fio_terse "$DOM" "$2" "$RT" --iodepth="${3:-32}" --rw="${4:-randread}" --bs=4k)
	b=$(gsnap)
	iops=$(echo "$out" | awk -F';' 'NF > 50 { print $8 + $49 }')
	n=$((iops * RT + 1))
	echo "# $1 ${4:-randread} qd${3:-32}: $iops IOPS; fio usr/sys/ctx $(echo "$out" | awk -F';' 'NF > 50 { printf "%s%% %s%% %.2f/io", $88, $89, $90 / '$n' }')"
	printf '%s\n%s\n' "$a" "$b" | awk -v n="$n" '
		{ if ($1 in v) { d = $2 - v[$1]; if (d / n >= 0.03) printf "#    %s %.2f\n", $1, d / n }
		  else v[$1] = $2 }'
}
set_ours() {	# set_ours IRQ_BATCH POLL_MAX_US
	guest "$DOM" "echo $1 > $FE/irq_batch" && echo "$2" > $BE/poll_max_us
}
# settings in a different order each round: the machine's speed drifts
for r in 1 2 3 4; do
	for k in $(seq 0 3); do
		case $(( (k + r) % 4 )) in
		0) tune stock xvdb ;;
		1) set_ours 8 2000; tune "ours batch8 poll" xvdc ;;
		2) set_ours 1 2000; tune "ours batch1 poll" xvdc ;;
		3) set_ours 8 0; tune "ours batch8 nopoll" xvdc ;;
		esac
	done
done
for rw in randread randwrite; do
	for r in 1 2 3; do
		for k in 0 1 2; do
			case $(( (k + r) % 3 )) in
			0) tune stock xvdb 1 $rw ;;
			1) set_ours 8 2000; tune "ours poll" xvdc 1 $rw ;;
			2) set_ours 8 0; tune "ours nopoll" xvdc 1 $rw ;;
			esac
		done
	done
done
sbs_done
