# SPDX-License-Identifier: GPL-2.0-only
# plan: 46
# blkmq's rmmod and save/restore cases over and over, for a stall seen
# once in 33 cycles here and in two CI runs: guest g5 as in blkmq, then 10
# cycles of rmmod pvblkfront under fio, a restore onto a back end offering
# one queue and no indirect segments, and one back onto its defaults, each
# with fio running across it.  The first stall ends the cycles with the
# cycle's block and AIO trace in the log, and whether one more request
# moves fio on.  Mode blkmqsoak (after blkmq); not in make test.
# The helpers are in blkmqlib.sh.
DOM5=$(mq_create)
check "soak: xl create g5 with 2 vCPUs and a disk= line" test -n "$DOM5"
check "soak: g5 sees 2 CPUs, pvblkfront brings up xvdb" mq_up
check "soak: two rings at each end" mq_queues 2

# mq_poke: after a stall, the cycle's trace into the log; then does one
# more request move fio on?
mq_poke() {
	DOM5=$(xl domid g5)
	mq_trace_dump | sed 's/^/# t: /' >&3
	guest "$DOM5" "dd if=/dev/xvdb of=/dev/null bs=4k count=1 iflag=direct 2>&1 | tail -n 1; sleep 10; \
echo passes \$(cat /tmp/sr.passes), fio \$(pidof fio); cat /sys/block/xvdb/stat"
	false
}
mq_cycle=0
while [ $mq_cycle -lt 10 ]; do
	mq_cycle=$((mq_cycle + 1))
	check "cycle $mq_cycle: rmmod pvblkfront while fio runs: refused" mq_rmmod || break
	check "cycle $mq_cycle: fio goes on" mq_fio_stop rm 1 || break
	for mq_less in "max_queues=1 max_indirect_segments=0" ""; do
		check "cycle $mq_cycle: restore onto ${mq_less:-the defaults}: fio across it" \
			mq_restore_less "$mq_less" || { check "stall: one more request" mq_poke; break 2; }
		DOM5=$(xl domid g5 2>/dev/null)
	done
done
mq_trace_sum | sed 's/^/# last cycle: /' >&3
check "soak: xl destroy g5 while fio runs: the back end lets go" mq_destroy
settle_after_destroy
check "soak: pvblkback reloads with its defaults" sh -c "rmmod pvblkback && insmod /pvsplit/pvblkback.ko"
check "soak: Xen's counts and pvsplit's resources at baseline" blk_no_leaks
rm -f $MQIMG
