# SPDX-License-Identifier: GPL-2.0-only
# plan: 0
# Debug: mixed pairings on null_blk, 4k random read at QD 1 and 32, to see
# which end costs what (mode blkperf).  Needs blklib.sh.
RT=5
one() {	# one LABEL
	local rw qd
	for qd in 1 32; do
		echo "# $1 randread 4k qd$qd: $(fio_terse "$DOM" xvdb "$RT" --iodepth="$qd" \
--rw=randread --bs=4k | awk -F';' 'NF > 50 { print $8 }')"
	done
}
att() { attach_vbd xvdb /dev/nullb0 >/dev/null && sleep 1; }
det() { detach_vbd xvdb; }
insmod /pvsplit/pvblkback.ko; guest "$DOM" "insmod /lib/modules/extra/xen-blkfront.ko"
att; one "stock-front/our-back"
ring_counters back
det
guest "$DOM" "rmmod xen-blkfront; insmod /pvsplit/pvblkfront.ko"
att; one "our-front/our-back"
ring_counters
guest "$DOM" "cat /sys/bus/xen/devices/vbd-$(vdev xvdb)/statistics/interrupts" | sed 's/^/# fe: /'
det
rmmod pvblkback; insmod /lib/modules/extra/xen-blkback.ko
att; one "our-front/stock-back"
det
