#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# net_plot.sh JSON PNG: bar chart of bench-net results, each case relative
# to the stock pair (stock = 1, higher is better: latency rows are inverted).
set -euo pipefail
json=$1 png=$2
dat=$(mktemp)
trap 'rm -f "$dat"' EXIT
python3 - "$json" > "$dat" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    s, o, c = r["stock"] or 1, r["ours"] or 1, r["ceiling"] or 1
    if r["unit"] == "us":	# latency: less is better
        rel_o, rel_c = s / o, s / c
    else:
        rel_o, rel_c = o / s, c / s
    print('"%s" %.3f %.3f %.3f' % (r["case"], 1.0, rel_o, rel_c))
PY
gnuplot <<GP
set terminal png size 900,500 noenhanced
set output "$png"
set title "pvnet vs stock Xen network drivers (iperf3 and ping in a PV guest)"
set ylabel "relative to the stock pair (higher is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.1:*]
set xtics rotate by -20
set key outside right top
plot "$dat" using 2:xtic(1) title "stock", '' using 3 title "pvsplit", \\
	'' using 4 title "guest loopback (ceiling)"
GP
