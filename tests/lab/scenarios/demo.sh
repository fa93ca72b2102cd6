# SPDX-License-Identifier: GPL-2.0-only
# plan: 13
# The main job: attach a pvbench device with the CLI and print ring
# benchmark figures measured across dom0 and the guest; then a virtual
# disk (pvblk) on null_blk, attached the same way, with fio figures.
check "attach pvbench to g1 with pvsplit attach" pvsplit attach pvbench g1 --devid 0
check "both ends Connected" pvsplit wait pvbench g1 0 connected --timeout 30
echo "BENCH: pvsplit list"
pvsplit list | sed 's/^/BENCH:   /'
echo "BENCH: pvsplit show pvbench g1 0"
pvsplit show pvbench g1 0 | sed 's/^/BENCH:   /'
demo_bench() {
	local out rc
	echo "BENCH:" >&3
	echo "BENCH: pvsplit bench $*" >&3
	out=$(guest "$DOM" "pvsplit bench --devid 0 $*")
	rc=$?
	echo "$out" | sed 's/^/BENCH:   /' >&3
	return $rc
}
check "bench: no-op, QD 1" demo_bench --duration 2000 --qd 1 --batch 1 --payload 0
check "bench: no-op, QD 32, batch 16" demo_bench --duration 2000 --qd 32 --batch 16 --payload 0
check "bench: 4 KiB reads, QD 32, batch 16, grant map" demo_bench --duration 2000 --qd 32 --batch 16 --payload 4096 --op read --verify
check "bench: 4 KiB writes, QD 32, batch 16, grant copy" demo_bench --duration 2000 --qd 32 --batch 16 --payload 4096 --op write --xfer copy --verify
check "detach" pvsplit detach pvbench g1 0

# A virtual disk: pvblkback serves null_blk, pvblkfront in g1 shows xvdb.
load_blk() {
	insmod /pvsplit/pvblkback.ko && guest "$DOM" "insmod /pvsplit/pvblkfront.ko"
}
check "load pvblkback (dom0) and pvblkfront (g1)" load_blk
check "attach a disk with pvsplit attach vbd" pvsplit attach vbd g1 xvdb /dev/nullb0
check "disk connected" pvsplit wait vbd g1 xvdb connected --timeout 60
echo "BENCH: pvsplit show vbd g1 xvdb (negotiated)"
pvsplit show vbd g1 xvdb | grep -E 'feature|ring|queue|sectors|state' | sed 's/^/BENCH:   /'
demo_fio() {
	local out
	echo "BENCH: fio $* on /dev/xvdb (guest)" >&3
	out=$(guest "$DOM" "$(fio_cmd xvdb --time_based --runtime=5 --size=1g "$@") | \
grep -E 'IOPS|clat \\('") || return 1
	echo "$out" | sed 's/^/BENCH:   /' >&3
}
check "fio 4k random read, QD 32" demo_fio --rw=randread --bs=4k --iodepth=32
check "fio 1m sequential write, QD 8" demo_fio --rw=write --bs=1m --iodepth=8
check "detach the disk" pvsplit detach vbd g1 xvdb --timeout 30
