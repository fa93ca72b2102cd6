#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run the userspace unit tests given as arguments (kselftest harness
# programs), echo their TAP, and print "N passed, N failed" at the end.
pass=0
fail=0
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1	# crashed before reporting
		echo "not ok - $t exited with $rc"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "unit: $pass passed, $fail failed"
[ "$fail" = 0 ]
