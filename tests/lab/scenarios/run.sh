#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run the lab scenarios of one mode in dom0: main (the demo), suite (the
# tests), xring (the cross-domain benchmark), and the narrower modes below.
# Prints TAP lines prefixed "TAP: ", then the plan and LAB-RESULT.
#
# Each scenario file says in a "# plan: N" line how many cases it runs, so
# a mode knows its count before it starts.  A scenario that fails to load,
# stops half way (a syntax error, a command that exits the shell) or runs
# another number of cases than its plan is a failure of its own, a
# "not ok" line, and LAB-RESULT counts it under short=.
# LAB_DIR: where lib.sh and scenarios/ are (/pvsplit in the lab's dom0);
# tests/lab/plancheck.sh sets it, and LAB_DRY, to count cases off line.
top=${LAB_DIR:-/pvsplit}
. "$top/lib.sh"
[ -n "${LAB_DRY:-}" ] && . "$top/dry.sh"
mode=$1
BLK="blklib blk blkedge blk_stockfront blk_stockback rogue_blk"
dir=$top/scenarios
case $mode in
main) list="setup demo" ;;
suite) list="setup leakcheck cli bench rogue cycle $BLK rogue_blkback xlblk blkmqlib blkmq blktrust top blkdone net_stockfront net_stockback netmq rogue_net teardown" ;;
suite612) list="setup leakcheck cli bench blklib blk blkedge blk_stockfront blk_stockback blktrust blkdone rogue_netback teardown" ;;
xring) list="setup xring" ;;
blk) list="setup leakcheck $BLK xlblk blkmqlib blkmq blktrust blkdone" ;;
blkcov) list="setup blklib blk_stockfront blk_stockback blkmqlib blkmq blktrust blkdone" ;;
blktrust) list="setup blklib blktrust blkdone" ;;
blkmq) list="setup blklib xlblk blkmqlib blkmq blkdone" ;;
blkmqsoak) list="setup blklib xlblk blkmqlib blkmq blkmqsoak blkdone" ;;
blkstock) list="setup blklib blk_stockback" ;;
blkstockfront) list="setup blklib blk_stockfront" ;;
rogueblk) list="setup blklib rogue_blk" ;;
# the hostile front ends against both our back ends, in one boot
roguefronts) list="setup blklib rogue_blk rogue_net" ;;
netctrl) list="setup netmq rogue_net" ;;
blkedge) list="setup blklib blkedge rogue_blk" ;;
roguebback) list="setup rogue_blkback" ;;
roguenet) list="setup rogue_net" ;;
roguebench) list="setup cli bench rogue" ;;
roguenback) list="setup rogue_netback" ;;
rogues) list="setup leakcheck cli bench rogue blklib rogue_blk" ;;
leakcheck) list="setup leakcheck" ;;
checks) list="setup leakcheck cli bench rogue $BLK xlblk blkmqlib blkmq blktrust blkdone" ;;
xlblk) list="setup blklib xlblk blkdone" ;;
blkbench) list="setup blklib blksbs blkbench" ;;
blktune) list="setup blklib blksbs blktune" ;;
blksbs) list="setup blklib blksbs" ;;
blkperf) list="setup blklib blkperf" ;;
blkdiag) list="setup blklib blkdiag" ;;
top) list="setup blklib top blkdone" ;;
net) list="setup net_stockfront net_ours net_stockback netmq rogue_net rogue_netback" ;;
netstock) list="setup net_stock" ;;
netours) list="setup net_ours netmq" ;;
netmq) list="setup netmq" ;;
netfront) list="setup net_stockback" ;;
netbench) list="setup netbench" ;;
netsuite) list="setup net_stockfront net_ours net_stockback netmq" ;;
netshared) NET_BE_ARGS=separate_tx_rx_irq=0 list="setup net" ;;
pkg) list="pkg" ;;
pvbsuite) list="setup leakcheck cli bench rogue cycle teardown" ;;
dbg) list="${DBG_LIST:-setup dbg}" ;;
*) list=$mode ;;
esac

# plan_of SCENARIO: the count its "# plan: N" line declares (empty: none);
# bash alone, for the dry run of plancheck.sh
plan_of() {
	local l
	[ -r "$dir/$1.sh" ] || return 0
	while IFS= read -r l; do
		if [[ $l =~ ^#\ plan:\ ([0-9]+)$ ]]; then
			echo "${BASH_REMATCH[1]}"
			return 0
		fi
	done < "$dir/$1.sh"
}

LAB_SHORT=0
LAB_PLANNED=0
for lab_s in $list; do
	lab_p=$(plan_of "$lab_s")
	LAB_PLANNED=$((LAB_PLANNED + ${lab_p:-0}))
done
echo "# mode $mode: scenarios $list; $LAB_PLANNED cases planned"

# short NAME WHY: one failed case for a scenario that did not run as planned
short() {
	LAB_SHORT=$((LAB_SHORT + 1))
	tap 1 "scenario $1: $2"
}

finish() {
	echo "TAP: 1..$TAP_N"
	echo "LAB-RESULT passed=$((TAP_N - TAP_FAIL)) failed=$TAP_FAIL short=$LAB_SHORT planned=$LAB_PLANNED"
	[ "$TAP_FAIL" = 0 ] && [ "$LAB_SHORT" = 0 ]
}

# A scenario that leaves the shell (exit, or a fatal error) ends up here
# instead of the loop's end: every scenario not finished is short.
LAB_RUNNING=""
LAB_REST=""
on_exit() {
	local rc=$? lab_s
	trap - EXIT
	[ -n "$LAB_RUNNING" ] || exit $rc
	short "$LAB_RUNNING" "left the shell (exit status $rc) after $((TAP_N - LAB_START)) of its ${LAB_PLAN:-?} cases"
	for lab_s in $LAB_REST; do
		short "$lab_s" "never ran: an earlier scenario left the shell"
	done
	finish
	exit 1
}
trap on_exit EXIT

# the loop's own variables have names no scenario uses: scenarios share
# this shell
LAB_REST=$list
for lab_s in $list; do
	LAB_REST=${LAB_REST#"$lab_s"}
	LAB_REST=${LAB_REST# }
	LAB_PLAN=$(plan_of "$lab_s")
	echo "# scenario $lab_s (plan ${LAB_PLAN:-none})"
	if [ -z "$LAB_PLAN" ]; then
		short "$lab_s" "no '# plan: N' line (or no such scenario)"
		continue
	fi
	LAB_START=$TAP_N
	LAB_RUNNING=$lab_s
	lab_t0=$SECONDS
	. "$dir/$lab_s.sh"
	lab_rc=$?
	LAB_RUNNING=""
	lab_ran=$((TAP_N - LAB_START))
	# what each scenario costs, for keeping make test within its budget
	echo "# scenario $lab_s: $lab_ran cases in $((SECONDS - lab_t0)) s"
	if [ "$lab_ran" != "$LAB_PLAN" ]; then
		short "$lab_s" "ran $lab_ran of its $LAB_PLAN cases (last status $lab_rc)"
	fi
done
finish
