# SPDX-License-Identifier: GPL-2.0-only
# plan: 9
# make bench-xring: pvbench across domains, QD 1 and 32, batch 1 and 16,
# payload 0 and 4 KiB; one JSON row per case.
check "attach pvbench" pvsplit attach pvbench g1 --devid 0
check "connected" pvsplit wait pvbench g1 0 connected --timeout 30
xring_case() {
	local out
	out=$(guest "$DOM" "pvsplit bench --devid 0 --json --duration 3000 $*") || {
		echo "$out"; return 1; }
	json "$out"
	echo "$out" | sed 's/^/# /' >&3
}
for qd in 1 32; do
	for batch in 1 16; do
		[ "$batch" -gt "$qd" ] && continue
		for payload in 0 4096; do
			check "xring qd $qd batch $batch payload $payload" \
				xring_case --qd $qd --batch $batch --payload $payload --op read
		done
	done
done
check "detach" pvsplit detach pvbench g1 0
