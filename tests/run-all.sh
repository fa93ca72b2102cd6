#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make test`: everything, on a fresh Debian 12 machine too.
#  1. set-up when something is missing (tests/lab/deps.sh)
#  2. the modules build with W=1 and no warning against 6.1 and 6.12
#  3. userspace unit tests, and 20 s of fuzzing the ring core
#  3b. the Debian packages built, installed, booted in the lab once and
#     purged (tests/pkg/pkg.sh --lab)
#  4. README's main job (`make lab`), as a user runs it
#  5. the Xen lab suite on 6.1, and a shorter one on 6.12
# Ends with the line "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
pass=0
fail=0
count() {	# count OUTPUT-FILE: add its ok / not ok lines
	local p f
	p=$(grep -c -E '^ok ' "$1")
	f=$(grep -c -E '^not ok ' "$1")
	pass=$((pass + p))
	fail=$((fail + f))
}
result() {	# result RC NAME
	if [ "$1" = 0 ]; then
		echo "ok - $2"
		pass=$((pass + 1))
	else
		echo "not ok - $2"
		fail=$((fail + 1))
	fi
}

tests/lab/deps.sh || { echo "0 passed, 1 failed"; exit 1; }

for k in 6.1 6.12; do
	kdir=$(tests/lab/kdir.sh "$k")
	make -s clean KDIR="$kdir" >/dev/null 2>&1
	log=build/w1-$k.log
	mkdir -p build
	make -j"$(nproc)" modules KDIR="$kdir" >"$log" 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -q -E 'warning:|error:' "$log"; then
		grep -E 'warning:|error:' "$log" | head -n 20
		rc=1
	fi
	result $rc "modules build against $k with W=1, no warnings"
done

out=build/unit.out
make -s -j"$(nproc)" check >"$out" 2>&1
cat "$out"
count "$out"
grep -q 'unit: .* passed' "$out" || result 1 "unit tests ran"

make -s fuzz FUZZ_SECONDS=20 >build/fuzz.out 2>&1
rc=$?
tail -n 3 build/fuzz.out
result $rc "fuzz: hostile peer against the ring core, 20 s, no crash"

# the Debian packages on this machine: make deb, lintian, dpkg -i, DKMS's
# modules for 6.1 and 6.12, modprobe; with them installed, one lab boot
# that loads them by modprobe from DKMS's install path and attaches a disk
# with the installed CLI (mode pkg, under a minute); then dpkg --purge
out=build/pkg.out
tests/pkg/pkg.sh --lab >"$out" 2>&1
rc=$?
cat "$out"
count "$out"
result $rc "packages: make deb, install, DKMS for 6.1 and 6.12, purge (tests/pkg)"

# the main job exactly as README gives it: a broken `make lab` turns CI red
out=build/lab-main.out
make -s lab >"$out" 2>&1
rc=$?
cat "$out"
count "$out"
result $rc "the main job (make lab) completed"

# each with a limit about 1.3 times its length on this lab's slowest
# machine so far (the 6.1 suite: 2800 s on CI, 3700 s on a loaded host)
for spec in "6.1 suite 4200" "6.12 suite612 1500"; do
	set -- $spec
	out=build/lab-$1.out
	tests/lab/lab.sh --kver "$1" --mode "$2" --timeout "$3" >"$out" 2>&1
	rc=$?
	cat "$out"
	count "$out"
	result $rc "lab on $1 ($2) completed"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
