# SPDX-License-Identifier: GPL-2.0-only
# Debug: mixed pairings on null_blk, 4k random read at QD 1 and 32, to see
# which end costs what (mode blkperf).
RT=5
one() {	# one LABEL
	local rw qd
	for qd in 1 32; do
		echo "# $1 randread 4k qd$qd: $(guest "$DOM" "fio --name=b --filename=/dev/xvdb --direct=1 \
--ioengine=libaio --iodepth=$qd --rw=randread --bs=4k --time_based --runtime=$RT --size=1g \
--output-format=terse --terse-version=3" 60 | awk -F';' 'NF > 50 { print $8 }')"
	done
}
att() { pvsplit attach vbd "$DOM" xvdb /dev/nullb0 >/dev/null && pvsplit wait vbd "$DOM" 51728 connected --timeout 60 && sleep 1; }
det() { pvsplit detach vbd "$DOM" 51728 --timeout 30; }
insmod /pvsplit/pvblkback.ko; guest "$DOM" "insmod /lib/modules/extra/xen-blkfront.ko"
att; one "stock-front/our-back"
cat /sys/kernel/debug/pvsplit/pvblkback-$DOM-51728/ring0/ring | sed 's/^/# be: /'
det
guest "$DOM" "rmmod xen-blkfront; insmod /pvsplit/pvblkfront.ko"
att; one "our-front/our-back"
cat /sys/kernel/debug/pvsplit/pvblkback-$DOM-51728/ring0/ring | sed 's/^/# be: /'
guest "$DOM" "cat /sys/kernel/debug/pvsplit/pvblkfront/vbd-51728/ring0/ring; cat /sys/bus/xen/devices/vbd-51728/statistics/interrupts" | sed 's/^/# fe: /'
det
rmmod pvblkback; insmod /lib/modules/extra/xen-blkback.ko
att; one "our-front/stock-back"
det
