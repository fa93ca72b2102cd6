# SPDX-License-Identifier: GPL-2.0-only
# plan: 0
# Helpers of the two-queue scenarios (blkmq, blkmqsoak): guest g5 with 2
# vCPUs and an xl disk= line (xvdb on $MQIMG), pvblkfront against
# pvblkback; fio passes running across an rmmod, a save and restore, a
# destroy; what a stall leaves, for a failure's output.
MQIMG=/tmp/mq.img
MQN=$(vdev xvdb)

# mq_create: a fresh 16 MiB disk image, and g5 on it; prints g5's domid
mq_create() {
	lsmod | grep -q '^pvblkback' || insmod /pvsplit/pvblkback.ko
	dd if=/dev/zero of=$MQIMG bs=1M count=16 2>/dev/null
	GUEST_VCPUS=2 GUEST_MEM=384 \
		GUEST_CFG="disk = [ 'format=raw, vdev=xvdb, access=rw, target=$MQIMG' ]" start_guest g5
}

# g5's disk: the back end's sysfs and debugfs directories, the front end's
# and the back end's xenstore directories
mq_be() { echo "/sys/bus/xen-backend/devices/vbd-$DOM5-$MQN"; }
mq_dbg() { echo "/sys/kernel/debug/pvsplit/pvblkback-$DOM5-$MQN"; }
mq_fe() { echo "/local/domain/$DOM5/device/vbd/$MQN"; }
mq_bexs() { echo "/local/domain/0/backend/vbd/$DOM5/$MQN"; }

# mq_show: both ends of g5's disk, for a failure's output; what tells a
# stall from an error (ring indices at both ends, blk-mq's queue state,
# fio's) comes last, where CI's excerpt of a failure is
mq_show() {
	local k='^(prod_pvt|published|cons|broken|shared|wakeups)'
	# blocked tasks (sysrq w) into the log, and fio's counts into its
	# output (SIGUSR1 to the fio whose parent is not a fio), read below
	guest "$DOM5" "echo w > /proc/sysrq-trigger; for p in \$(pidof fio); do \
grep -q '^fio' /proc/\$(awk '{ print \$4 }' /proc/\$p/stat)/comm || kill -USR1 \$p; done; \
sleep 1; dmesg | tail -n 24" 20 | sed 's/^/g5: /'
	dmesg | tail -n 8 | sed 's/^/dom0: /'
	echo "front end state $(xenstore-read "$(mq_fe)/state" 2>/dev/null), back end state \
$(xenstore-read "$(mq_bexs)/state" 2>/dev/null)"
	for f in "$(mq_dbg)"/ring*/ring; do
		[ -e "$f" ] && echo "dom0 ${f#"$(mq_dbg)"/}: $(grep -E "$k" "$f" | tr '\n' ' ')"
	done
	guest "$DOM5" "cd /sys/bus/xen/devices/vbd-$MQN/statistics && echo front end: \
\$(for f in *; do echo \$f \$(cat \$f); done); grep pvblkfront /proc/interrupts | tr -s ' '; \
echo xvdb stat \$(cat /sys/block/xvdb/stat), queue \$(cat /sys/kernel/debug/block/xvdb/state); \
grep -h 'issued rwts' /tmp/*.out | tail -n 2" 20 | sed 's/^/g5: /'
	mq_trace_sum | sed 's/^/g5 trace: /'
	guest "$DOM5" "cd /sys/kernel/debug/pvsplit/pvblkfront/vbd-$MQN && for f in ring*/ring; do \
echo \$f: \$(grep -E '$k' \$f); done; cd /sys/kernel/debug/block/xvdb && for h in hctx*; do \
echo \$h: \$(cat \$h/state) busy \$(wc -l < \$h/busy) dispatch \$(wc -l < \$h/dispatch) \
ctx \$(cat \$h/cpu*/*_rq_list | wc -l) \$(grep -h busy= \$h/tags \$h/sched_tags 2>/dev/null | tr '\\n' ' '); \
done; echo requeue_list \$(wc -l < requeue_list), inflight \$(cat /sys/block/xvdb/inflight), \
scheduler \$(cat /sys/block/xvdb/queue/scheduler); for p in \$(pidof fio); do \
echo fio \$p: \$(cat /proc/\$p/wchan) \$(awk '{ print \$3 }' /proc/\$p/stat) \
\$(awk '{ print \$2 }' /proc/\$p/stack 2>/dev/null | head -n 8 | tr '\\n' ' '); done; \
for t in /tmp/*.passes; do echo \$t \$(cat \$t); done" 20 | sed 's/^/g5: /'
}

# mq_fio_opts: two fio jobs, one on each vCPU (so on each queue), each
# writing and verifying its own half of xvdb
MQ_FIO2="--numjobs=2 --size=50% --offset_increment=50% --cpus_allowed=0,1 --cpus_allowed_policy=split"

# mq_fio_start TAG BS: in g5, two-job fio passes over xvdb at block size BS
# one after the other until /tmp/TAG.stop appears, each writing its half
# and reading it all back checking every block.  /tmp/TAG.passes counts
# the passes that ended well; /tmp/TAG.rc gets the exit status of the
# first that did not, or 0 once stopped.
mq_fio_start() {
	guest "$DOM5" "rm -f /tmp/$1.*; echo 0 > /tmp/$1.passes; (n=0; \
while [ ! -e /tmp/$1.stop ]; do $(fio_cmd xvdb --iodepth=8 --rw=randwrite --bs="$2" $MQ_FIO2 \
--verify=crc32c --do_verify=1 --verify_fatal=1 --output=/tmp/$1.out) 2>/tmp/$1.err || \
{ echo \$? > /tmp/$1.rc; exit; }; n=\$((n + 1)); echo \$n > /tmp/$1.passes; done; \
echo 0 > /tmp/$1.rc) >/dev/null 2>&1 &"
}

# mq_fio_stop TAG MORE: fio TAG is still going; MORE passes must end well
# from now on, then it stops with exit status 0 and a verify read in its
# last pass
mq_fio_stop() {
	local p0
	guest "$DOM5" "! test -s /tmp/$1.rc" || {
		guest "$DOM5" "cat /tmp/$1.rc /tmp/$1.err; tail -5 /tmp/$1.out"
		echo "fio ended before"; mq_show; return 1; }
	p0=$(guest "$DOM5" "cat /tmp/$1.passes") || return 1
	wait_until 150 guest "$DOM5" "test -s /tmp/$1.rc || test \$(cat /tmp/$1.passes) -ge $((p0 + $2))" ||
		echo "$1: not $2 more passes in 150 s: $p0 -> $(guest "$DOM5" "cat /tmp/$1.passes")"
	guest "$DOM5" "touch /tmp/$1.stop" || return 1
	wait_until 90 guest "$DOM5" "test -s /tmp/$1.rc" || {
		echo "fio did not stop: passes $p0 -> $(guest "$DOM5" "cat /tmp/$1.passes")"
		mq_show; return 1; }
	guest "$DOM5" "echo $1: passes before: $p0, in all: \$(cat /tmp/$1.passes), \
exit status \$(cat /tmp/$1.rc); cat /tmp/$1.err; grep -E 'err=|READ:|WRITE:' /tmp/$1.out | head -4; \
test \$(cat /tmp/$1.rc) = 0 && test \$(cat /tmp/$1.passes) -ge $((p0 + $2)) && \
grep -q 'READ:' /tmp/$1.out" > /tmp/mq-fio.out
	local rc=$?
	head -n 1 /tmp/mq-fio.out | sed 's/^/# /' >&3
	cat /tmp/mq-fio.out
	[ $rc = 0 ] || mq_show
	return $rc
}

# mq_trace_on: g5 records block-layer and AIO syscall events from now on
# (a stall's output summarizes them)
mq_trace_on() {
	guest "$DOM5" "mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing; \
cd /sys/kernel/tracing && echo 0 > tracing_on && echo 4096 > buffer_size_kb && echo > trace && \
for e in block/block_bio_queue block/block_getrq block/block_rq_insert block/block_rq_issue \
block/block_rq_complete block/block_rq_requeue syscalls/sys_exit_io_submit \
syscalls/sys_exit_io_getevents; do echo 1 > events/\$e/enable; done; echo 1 > tracing_on"
}

# mq_trace_sum: g5's events since mq_trace_on, by kind, and the last 8
# (tracing stops; nothing when it was not on)
mq_trace_sum() {
	guest "$DOM5" "cd /sys/kernel/tracing 2>/dev/null && grep -q 1 events/block/block_rq_issue/enable && \
{ echo 0 > tracing_on; grep -v '^#' trace > /tmp/trace.txt; awk '{ for (i = 1; i <= NF; i++) \
if (\$i ~ /^block_[a-z_]*:\$/ || \$i ~ /^sys_io_/) { n[\$i]++; break } } END { for (e in n) printf \"%s %d \", e, n[e]; \
print \"\" }' /tmp/trace.txt; tail -n 8 /tmp/trace.txt | cut -c 1-140; }" 20
}

# mq_trace_dump [N]: g5's last N (400) trace lines, 20 a call (the agent
# returns 3000 bytes)
mq_trace_dump() {
	local i n
	mq_trace_sum >/dev/null	# stops tracing, the events into /tmp/trace.txt
	n=$(guest "$DOM5" "wc -l < /tmp/trace.txt")
	echo "trace: $n lines"
	for i in $(seq $((n > ${1:-400} ? n - ${1:-400} : 1)) 20 "$n"); do
		guest "$DOM5" "sed -n '$i,$((i + 19))p' /tmp/trace.txt | cut -c 1-150"
	done
}

# mq_up: g5 loads pvblkfront, xvdb connects
mq_up() {
	guest "$DOM5" "grep -c ^processor /proc/cpuinfo; insmod /pvsplit/pvsplit_common.ko && \
insmod /pvsplit/pvblkfront.ko" &&
		pvsplit wait vbd "$DOM5" "$MQN" connected --timeout 60 &&
		wait_until 30 guest "$DOM5" "test -b /dev/xvdb" || { mq_show; return 1; }
}

# mq_queues N: the front end wrote N queues (multi-queue-num-queues, or
# none for one) and each end runs N rings
mq_queues() {
	local fe q fr br dr
	fe=$(mq_fe)
	q=$(xenstore-read "$fe/multi-queue-num-queues" 2>/dev/null || echo 1)
	fr=$(guest "$DOM5" "cat /sys/bus/xen/devices/vbd-$MQN/negotiated/rings")
	br=$(cat "$(mq_be)/negotiated/rings")
	dr=$(ls -d "$(mq_dbg)"/ring* 2>/dev/null | wc -l)
	echo "multi-queue-num-queues $q (back end offers $(xenstore-read "$(mq_bexs)/multi-queue-max-queues" 2>/dev/null || echo none)), front end rings $fr, back end rings $br, back-end ring directories $dr"
	[ "$q" = "$1" ] && [ "$fr" = "$1" ] && [ "$br" = "$1" ] && [ "$dr" = "$1" ] || return 1
	if [ "$1" -gt 1 ]; then
		xenstore-exists "$fe/queue-0/event-channel" && xenstore-exists "$fe/queue-1/event-channel"
	else
		! xenstore-exists "$fe/queue-0"
	fi
}

mq_consumed() { awk '$1 == "consumed" { print $2 }' "$(mq_dbg)/ring$1/ring"; }
# mq_fio_verify BS RW: a two-job fio verify run over xvdb
mq_fio_verify() {
	local out
	out=$(fio_verify_run "$DOM5" xvdb "$@" $MQ_FIO2)
	local rc=$?
	echo "$out"
	[ $rc = 0 ] && [ "$(grep -c 'err= 0' <<<"$out")" = 2 ] || { mq_show; return 1; }
}

# mq_rmmod: rmmod pvblkfront while fio runs is refused
mq_rmmod() {
	local out
	mq_fio_start rm 16k || return 1
	sleep 3
	# fio runs in passes: catch one (a loaded TCG host starts it slowly)
	out=$(guest "$DOM5" "for i in \$(seq 100); do pidof fio >/dev/null && break; sleep 0.1; done; \
pidof fio >/dev/null && echo fio-running; rmmod pvblkfront 2>&1; \
echo rmmod-status \$?; grep '^pvblkfront ' /proc/modules; test -b /dev/xvdb && echo disk-there")
	echo "$out"
	grep -q fio-running <<<"$out" && grep -q '^rmmod-status [1-9]' <<<"$out" &&
		grep -q '^pvblkfront ' <<<"$out" && grep -q disk-there <<<"$out"
}

# mq_restore_less PARAMS: xl save g5 while fio runs, reload pvblkback with
# PARAMS (what it offers), xl restore: fio goes on with no error
mq_restore_less() {
	local rc=0 less=$1
	mq_fio_start sr 1m || return 1
	sleep 3
	mq_trace_on >/dev/null
	xl save g5 /tmp/g5.save || return 1
	wait_until 30 test ! -e "$(mq_be)" || { echo "the saved domain's back end stayed"; rc=1; }
	# restore whatever happens: the domain is only in that file now
	{ rmmod pvblkback && insmod /pvsplit/pvblkback.ko $less; } || rc=1
	xl restore /tmp/g5.save || return 1
	rm -f /tmp/g5.save
	DOM5=$(xl domid g5) || return 1
	echo "g5 is now domain $DOM5; pvblkback $(cat /sys/module/pvblkback/parameters/max_queues) queue(s), \
$(cat /sys/module/pvblkback/parameters/max_indirect_segments) indirect segments"
	[ $rc = 0 ] || return 1
	pvsplit wait vbd "$DOM5" "$MQN" connected --timeout 60 || { echo "not connected"; mq_show; return 1; }
	mq_fio_stop sr 2
}

# mq_segs: 11 segments a request, no indirect, at both ends
mq_segs() {
	local fs bi
	fs=$(guest "$DOM5" "cat /sys/bus/xen/devices/vbd-$MQN/negotiated/max_segments")
	bi=$(cat "$(mq_be)/negotiated/max_indirect_segments")
	echo "front end max_segments $fs, back end max_indirect_segments $bi, feature-max-indirect-segments \
$(xenstore-read "$(mq_bexs)/feature-max-indirect-segments" 2>/dev/null || echo none)"
	[ "$fs" = 11 ] && [ "$bi" = 0 ]
}

# mq_destroy: xl destroy g5 while fio runs; g5 goes whatever happens
# (the checks after it need its disk gone)
mq_destroy() {
	local old=$DOM5 rc=0
	mq_fio_start dx 4k || rc=1
	sleep 4
	guest "$DOM5" "pidof fio" >/dev/null || {
		echo "fio was not running (the disk: $(xenstore-read "$(mq_fe)/state" 2>/dev/null || echo gone))"
		rc=1; }
	xl destroy g5 || return 1
	wait_until 30 eval "! xenstore-exists /local/domain/0/backend/vbd/$old/$MQN && \
! test -e /sys/bus/xen-backend/devices/vbd-$old-$MQN" || { echo "back end stayed"; rc=1; }
	! xl list g5 >/dev/null 2>&1 && [ $rc = 0 ]
}
