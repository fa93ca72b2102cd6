#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Off-line check of the scenario plans: runs each mode of scenarios/run.sh
# dry (dry.sh: no case runs, no command either) and fails when a scenario
# emits another number of cases than its "# plan: N" line says, so a plan
# is right before a lab run spends twenty minutes finding out.
#   plancheck.sh [MODE...]     (default: every mode run.sh lists)
here=$(cd "$(dirname "$0")" && pwd)
modes=${*:-$(sed -n 's/^\([a-z0-9]*\)) list=.*/\1/p' "$here/scenarios/run.sh")}
rc=0
for m in $modes; do
	out=$(cd /tmp && LAB_DIR=$here LAB_DRY=1 bash "$here/scenarios/run.sh" "$m" 2>&1)
	res=$(grep '^LAB-RESULT' <<<"$out")
	if grep -q '^TAP: not ok' <<<"$out" || [ -z "$res" ]; then
		echo "plancheck: mode $m: ${res:-no result}"
		grep '^TAP: not ok' <<<"$out" | sed 's/^TAP: /  /'
		rc=1
	else
		echo "plancheck: mode $m: ${res#LAB-RESULT }"
	fi
done
exit $rc
