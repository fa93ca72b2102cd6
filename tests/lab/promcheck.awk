# SPDX-License-Identifier: GPL-2.0-only
# A strict checker of Prometheus' text exposition format (version 0.0.4),
# for the lab, which has no promtool: `awk -f promcheck.awk FILE` prints
# one line per problem and exits 1 on any, else prints the counts.
# Checks: HELP/TYPE syntax, one TYPE per family and before its samples,
# a family's samples together, metric and label names, label values
# quoted with only \\ \" \n escapes, no label twice, values that parse as
# floats, counters named *_total, summaries' quantile label, no series
# twice.  Works with busybox awk.

function bad(msg) {
	printf "line %d: %s: %s\n", NR, msg, $0
	errors++
}

function name_ok(s) {
	return s ~ /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
}

function value_ok(s) {
	return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ ||
	       s ~ /^([-+]?Inf|NaN)$/
}

# the family a sample name belongs to, given the families TYPEd so far
function family_of(n,    b) {
	if (n in type)
		return n
	b = n
	if (sub(/_(sum|count)$/, "", b) && (type[b] == "summary" || type[b] == "histogram"))
		return b
	b = n
	if (sub(/_bucket$/, "", b) && type[b] == "histogram")
		return b
	return n
}

# parse the labels of "{...}" starting at position p of s; sets
# LABELS (canonical "k=v," string), HAS_QUANTILE, HAS_LE; returns the
# position after "}" or 0 on a syntax error
function parse_labels(s, p,    c, k, v, seen, n) {
	LABELS = ""
	HAS_QUANTILE = 0
	HAS_LE = 0
	delete seen
	p++
	n = length(s)
	for (;;) {
		if (substr(s, p, 1) == "}")
			return p + 1
		k = ""
		while (p <= n && substr(s, p, 1) ~ /[a-zA-Z0-9_]/) {
			k = k substr(s, p, 1)
			p++
		}
		if (k !~ /^[a-zA-Z_][a-zA-Z0-9_]*$/ || k ~ /^__/)
			return 0
		if (k in seen)
			return 0
		seen[k] = 1
		if (substr(s, p, 2) != "=\"")
			return 0
		p += 2
		v = ""
		for (;;) {
			if (p > n)
				return 0
			c = substr(s, p, 1)
			if (c == "\"")
				break
			if (c == "\\") {
				c = substr(s, p + 1, 1)
				if (c != "\\" && c != "\"" && c != "n")
					return 0
				v = v "\\" c
				p += 2
				continue
			}
			v = v c
			p++
		}
		p++
		if (k == "quantile") {
			HAS_QUANTILE = 1
			if (!value_ok(v))
				return 0
		}
		if (k == "le")
			HAS_LE = 1
		LABELS = LABELS k "=" v ","
		c = substr(s, p, 1)
		if (c == ",") {
			p++
			continue
		}
		if (c != "}")
			return 0
	}
}

BEGIN { errors = 0; samples = 0; families = 0; current = "" }

/^#/ {
	if ($0 ~ /^# HELP /) {
		if (!name_ok($3))
			bad("bad metric name in HELP")
		if ($3 in help)
			bad("second HELP for " $3)
		help[$3] = 1
	} else if ($0 ~ /^# TYPE /) {
		if (NF != 4 || !name_ok($3))
			bad("bad TYPE line")
		else if ($4 !~ /^(counter|gauge|summary|histogram|untyped)$/)
			bad("unknown type " $4)
		else if ($3 in type)
			bad("second TYPE for " $3)
		else if ($3 in sampled)
			bad("TYPE after samples of " $3)
		else {
			type[$3] = $4
			families++
			if ($4 == "counter" && $3 !~ /_total$/)
				bad("counter not named *_total")
		}
	}
	next
}

/^[ \t]*$/ { next }

{
	line = $0
	p = match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*/)
	if (!p) {
		bad("bad metric name")
		next
	}
	n = substr(line, 1, RLENGTH)
	rest = substr(line, RLENGTH + 1)
	LABELS = ""
	HAS_QUANTILE = 0
	HAS_LE = 0
	if (substr(rest, 1, 1) == "{") {
		q = parse_labels(rest, 1)
		if (!q) {
			bad("bad labels")
			next
		}
		rest = substr(rest, q)
	}
	if (rest !~ /^ [^ ]+( -?[0-9]+)?$/) {
		bad("bad value field")
		next
	}
	split(substr(rest, 2), f, " ")
	if (!value_ok(f[1]))
		bad("bad value " f[1])
	fam = family_of(n)
	if (!(fam in type))
		bad("sample with no TYPE before it")
	if (fam != current && (fam in sampled))
		bad("samples of " fam " not together")
	current = fam
	sampled[fam] = 1
	if (type[fam] == "summary" && n == fam && !HAS_QUANTILE)
		bad("summary sample without quantile")
	if (type[fam] == "histogram" && n == fam "_bucket" && !HAS_LE)
		bad("histogram bucket without le")
	if (type[fam] == "counter" && f[1] ~ /^-/)
		bad("negative counter")
	key = n "{" LABELS "}"
	if (key in series)
		bad("series twice")
	series[key] = 1
	samples++
}

END {
	if (!samples && !errors)
		bad("no samples")
	if (errors)
		exit 1
	printf "promcheck: %d families, %d samples, no problems\n", families, samples
}
