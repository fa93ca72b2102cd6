# SPDX-License-Identifier: GPL-2.0-only
# plan: 0
# What the side-by-side benchmarks (blkbench.sh, netbench.sh) share: Xen's
# CPU accounting and the statistics over their rounds.  Each benchmark
# writes one line per run into $RESF:
#   WHO CASE VALUE CPU-DOM0 CPU-GUEST
# WHO being stock, ours or the ceiling ($BENCH_CEIL: the same work with no
# transport at all), VALUE a rate (or a latency for cases named rr-*), the
# CPU figures per unit of work.  Rounds are the runs of a case in order:
# round i is the i-th run of each WHO, taken back to back.

vcpu_ms() {	# vcpu_ms DOMID: CPU time Xen charged to all its vCPUs, in ms
	xl vcpu-list "$1" | awk 'NR > 1 { s += $6 } END { printf "%.0f\n", s * 1000 }'
}

# bench_col WHO CASE FIELD: median over WHO's runs of CASE of field 3
# (the value), 4 or 5 (CPU per unit in dom0, in the guest)
bench_col() {
	awk -v w="$1" -v c="$2" -v f="$3" '$1 == w && $2 == c { print $f }' "$RESF" | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) { print 0; exit }
			print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# bench_round CASE KIND [STOCK]: median over rounds of the round's ratio
# (KIND ratio: ours over STOCK, STOCK over ours for a latency) or overhead
# ratio (KIND overhead: what STOCK adds above the ceiling over what ours
# adds, in time per unit of work: 1/rate, or the latency itself).  Above 1
# is better for ours either way; an overhead of ours at or below 0 (at or
# past the ceiling) gives 0.  STOCK: the WHO to compare with (stock).
bench_round() {
	awk -v c="$1" -v k="$2" -v sw="${3:-stock}" -v cw="$BENCH_CEIL" '$2 != c { next }
		$1 == sw { s[++ns] = $3 } $1 == "ours" { o[++no] = $3 } $1 == cw { l[++nl] = $3 }
		END {
			lat = c ~ /^rr-/
			n = ns; if (no < n) n = no
			if (k != "ratio" && nl < n) n = nl
			for (i = 1; i <= n; i++) {
				if (k == "ratio")
					x = lat ? (o[i] > 0 ? s[i] / o[i] : 0) : (s[i] > 0 ? o[i] / s[i] : 0)
				else if (s[i] <= 0 || o[i] <= 0 || l[i] <= 0)
					x = 0
				else {
					if (lat) { os = s[i] - l[i]; oo = o[i] - l[i] }
					else { os = 1 / s[i] - 1 / l[i]; oo = 1 / o[i] - 1 / l[i] }
					x = oo > 0 ? os / oo : 0
				}
				r[i] = x
				for (j = i; j > 1 && r[j - 1] > r[j]; j--) { t = r[j]; r[j] = r[j - 1]; r[j - 1] = t }
			}
			if (!n) { print 0; exit }
			printf "%.2f\n", n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
		}' "$RESF"
}

bench_spread() {	# bench_spread WHO CASE: lowest-highest of its runs' values
	awk -v w="$1" -v c="$2" '$1 == w && $2 == c {
		if (!n++ || $3 < lo) lo = $3; if ($3 > hi) hi = $3 }
		END { printf "%s-%s\n", lo, hi }' "$RESF"
}

# bench_row WHO CASE VALUE CPU-MS-DOM0 CPU-MS-GUEST WORK: one run's line,
# the CPU times divided by WORK (the run's units of work) and scaled by
# $BENCH_CPU_SCALE (1000: microseconds from milliseconds)
bench_row() {
	awk -v who="$1" -v c="$2" -v v="$3" -v d="$4" -v g="$5" -v w="$6" -v k="${BENCH_CPU_SCALE:-1}" \
		'BEGIN { w = w > 0 ? w : 1; printf "%s %s %s %.6f %.6f\n", who, c, v, d * k / w, g * k / w }' >> "$RESF"
}
