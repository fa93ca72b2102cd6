# SPDX-License-Identifier: GPL-2.0-only
# The main job: attach a pvbench device with the CLI and print ring
# benchmark figures measured across dom0 and the guest.
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
