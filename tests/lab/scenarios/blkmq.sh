# SPDX-License-Identifier: GPL-2.0-only
# plan: 15
# Two queues, and one disk through what tests its limits: guest g5 with
# 2 vCPUs and an xl disk= line, pvblkfront against pvblkback.
#  - two rings negotiated, both carrying the I/O of two fio jobs (one a vCPU)
#  - rmmod pvblkfront while fio runs: refused, the I/O goes on intact
#  - xl save, pvblkback reloaded offering one queue and no indirect
#    segments, xl restore while fio goes on: the disk must use what the new
#    back end offers and carry on (issue #13, item 8)
#  - xl destroy while fio runs: the back end lets go
# The helpers are in blkmqlib.sh.
DOM5=$(mq_create)
check "two queues: xl create g5 with 2 vCPUs and a disk= line" \
	sh -c "test -n '$DOM5' && test \"\$(xl list g5 | awk 'NR == 2 { print \$4 }')\" = 2"
check "two queues: g5 sees 2 CPUs, pvblkfront brings up xvdb" mq_up

check "two queues: multi-queue-num-queues 2 negotiated, two rings at each end" mq_queues 2

MQ_C0=$(mq_consumed 0 2>/dev/null); MQ_C1=$(mq_consumed 1 2>/dev/null)
check "two queues: fio verify, 2 jobs (one a vCPU), 4k random" mq_fio_verify 4k randwrite
mq_both_rings() {
	echo "back-end ring0 consumed $MQ_C0 -> $(mq_consumed 0), ring1 $MQ_C1 -> $(mq_consumed 1)"
	[ "$(mq_consumed 0)" -gt "${MQ_C0:-0}" ] && [ "$(mq_consumed 1)" -gt "${MQ_C1:-0}" ]
}
check "two queues: both rings carried the jobs' requests" mq_both_rings
check "two queues: fio verify, 2 jobs, 1m sequential (indirect requests)" mq_fio_verify 1m write

# ---- rmmod pvblkfront while fio runs ------------------------------------
check "rmmod pvblkfront while fio runs: refused, module and disk stay" mq_rmmod
check "rmmod pvblkfront while fio runs: fio goes on, no error, data intact" mq_fio_stop rm 1

# ---- restore onto a back end offering less (item 8) ---------------------
check "restore onto a back end with 1 queue, no indirect: fio across it, no error, data intact" \
	mq_restore_less "max_queues=1 max_indirect_segments=0"
DOM5=$(xl domid g5 2>/dev/null)	# check ran mq_restore_less in a subshell
check "after the restore: one queue negotiated, one ring at each end" mq_queues 1
check "after the restore: 11 segments a request, no indirect" mq_segs
mq_fio_after() {
	pvsplit wait vbd "$DOM5" "$MQN" connected --timeout 10 || return 1
	mq_fio_verify 1m write
}
check "after the restore: fio verify, 2 jobs, 1m sequential (split to 44 KiB requests)" mq_fio_after

# ---- xl destroy while fio runs ------------------------------------------
check "xl destroy g5 while fio runs: the back end lets go" mq_destroy
settle_after_destroy
check "dom0: pvblkback unloads after the destroyed guest, reloads with its defaults" \
	sh -c "rmmod pvblkback && insmod /pvsplit/pvblkback.ko"
check "two queues: Xen's counts and pvsplit's resources at baseline" blk_no_leaks

rm -f $MQIMG
