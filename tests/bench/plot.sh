#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# plot.sh TITLE JSON PNG: the side-by-side benchmarks' chart (bench-blk,
# bench-net).  Top: for each row, ratio (ours over stock, stock over ours
# for a latency) and overhead_ratio (stock's overhead above the ceiling
# over ours), both higher-is-better, 1 the line to beat.  Bottom: CPU per
# unit of work that Xen charged, ours relative to stock's, in dom0 and in
# the guest (lower is better); the JSON has the absolute figures.
set -euo pipefail
title=$1 json=$2 png=$3
dat=$(mktemp)
trap 'rm -f "$dat"' EXIT
python3 - "$json" > "$dat" <<'PY'
import json, sys

def cpu(r, where, who):
    # bench-blk names them cpu_dom0_us_stock, bench-net cpu_dom0_stock
    v = r.get("cpu_%s_us_%s" % (where, who), r.get("cpu_%s_%s" % (where, who)))
    return v or 0

def rel(a, b):
    return a / b if a and b else 0

for r in json.load(open(sys.argv[1])):
    ov = r.get("overhead_ratio")
    print('"%s" %.3f %.3f %.3f %.3f' % (
        r["case"], r["ratio"] or 0, ov if ov is not None else 0,
        rel(cpu(r, "dom0", "ours"), cpu(r, "dom0", "stock")),
        rel(cpu(r, "guest", "ours"), cpu(r, "guest", "stock"))))
PY
gnuplot <<GP
set terminal png size 1000,800 noenhanced
set output "$png"
set multiplot layout 2,1 title "$title"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -20
set key outside right top
set grid ytics
set ylabel "ours against stock (higher is better)"
set yrange [0:*]
plot "$dat" using 2:xtic(1) title "ratio", '' using 3 title "overhead ratio", 1 notitle lc rgb "black"
set ylabel "CPU per unit of work, ours / stock's (lower is better)"
plot "$dat" using 4:xtic(1) title "dom0", '' using 5 title "guest", 1 notitle lc rgb "black"
unset multiplot
GP
echo "wrote $png"
