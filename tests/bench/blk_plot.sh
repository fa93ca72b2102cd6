#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# blk_plot.sh JSON PNG: bar chart of bench-blk results, each case relative
# to the stock pair (stock = 1).
set -euo pipefail
json=$1 png=$2
dat=$(mktemp)
trap 'rm -f "$dat"' EXIT
python3 - "$json" > "$dat" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    s = r["stock"] or 1
    print('"%s" %.3f %.3f %.3f %.3f' % (r["case"], 1.0, r["ours"] / s,
                                      r.get("guest_limit", 0) / s, r["native"] / s))
PY
gnuplot <<GP
set terminal png size 900,500 noenhanced
set output "$png"
set title "pvblk vs stock Xen block drivers (fio in a PV guest, null_blk in dom0)"
set ylabel "relative to the stock pair"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.1:*]
set xtics rotate by -20
set key outside right top
plot "$dat" using 2:xtic(1) title "stock", '' using 3 title "pvsplit", \\
	'' using 4 title "guest, own null_blk (ceiling)", '' using 5 title "native in dom0"
GP
echo "wrote $png"
