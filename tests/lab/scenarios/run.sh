#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run the lab scenarios of one mode in dom0: main (the demo), suite (the
# tests), xring (the cross-domain benchmark).  Prints TAP lines prefixed
# "TAP: " and a plan at the end.
. /pvsplit/lib.sh
mode=$1
BLK="blklib blk blk_stockfront blk_stockback rogue_blk"
dir=/pvsplit/scenarios
case $mode in
main) list="setup demo" ;;
suite) list="setup cli bench rogue cycle $BLK xlblk blkdone teardown" ;;
suite612) list="setup cli bench rogue blklib blk rogue_blk blkdone teardown" ;;
xring) list="setup xring" ;;
blk) list="setup $BLK xlblk blkdone" ;;
blkstock) list="setup blklib blk_stockback" ;;
blkstockfront) list="setup blklib blk_stockfront" ;;
rogueblk) list="setup blklib rogue_blk" ;;
rogues) list="setup cli bench rogue blklib rogue_blk" ;;
xlblk) list="setup blklib xlblk blkdone" ;;
blkbench) list="setup blklib blksbs blkbench" ;;
blktune) list="setup blklib blksbs blktune" ;;
blksbs) list="setup blklib blksbs" ;;
blkperf) list="setup blkperf" ;;
blkdiag) list="setup blkdiag" ;;
pvbsuite) list="setup cli bench rogue cycle teardown" ;;
dbg) list="${DBG_LIST:-setup dbg}" ;;
*) list=$mode ;;
esac
for s in $list; do
	echo "# scenario $s"
	. "$dir/$s.sh"
done
echo "TAP: 1..$TAP_N"
echo "LAB-RESULT passed=$((TAP_N - TAP_FAIL)) failed=$TAP_FAIL"
[ "$TAP_FAIL" = 0 ]
