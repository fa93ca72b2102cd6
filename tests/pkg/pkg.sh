#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian packages on this machine (not in the lab): make deb, lintian,
# dpkg -i of pvsplit-dkms and pvsplit-tools, DKMS's modules for the 6.1 and
# 6.12 kernels (headers for both installed), modinfo and modprobe --dry-run
# on them, the CLI, its man page and completion from PATH, the example
# modprobe.d file, then dpkg --purge and nothing left behind.
#   tests/pkg/pkg.sh [--lab] [--reinstall] [--plant]
# --lab: with the packages installed, boot the lab once in mode pkg (the
#   modules from DKMS's install path, loaded by modprobe; a disk attached
#   with the installed CLI; under a minute of QEMU) and count its cases
#   here.  Like tests/run-all.sh, this runs lab.sh itself; LAB_LOCK=FILE
#   runs it under flock FILE (a machine shared with other labs).
# --reinstall: dpkg -i pvsplit-dkms once more, as on a machine that runs
#   an installed kernel: an empty /lib/modules/$(uname -r) for the while
#   (this machine's kernel has none), so dh_dkms' snippet builds only for
#   the running kernel (skipped: no headers) and the package's own postinst
#   loop must build for 6.1 and 6.12.  About a minute more.
# --plant: plant a module file under updates/dkms before the purge, which
#   the leftover check must report (shows that check can fail).
# Needs root.  Prints "ok N - ..." / "not ok N - ..." lines (what
# tests/run-all.sh counts) and ends with "pkg: N passed, N failed".
# Whatever pvsplit packages were installed before are purged first.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
lab=""
reinstall=""
plant=""
for a in "$@"; do
	case $a in
	--lab) lab=1 ;;
	--reinstall) reinstall=1 ;;
	--plant) plant=1 ;;
	*) echo "pkg.sh: unknown argument $a" >&2; exit 2 ;;
	esac
done

MODS="pvsplit_common pvbenchfront pvbenchback pvblkfront pvblkback pvnetfront pvnetback"
log=$top/build/pkg.log
mkdir -p "$top/build"
: > "$log"
n=0
fail=0

# check NAME CMD...: one case; CMD's output goes to build/pkg.log, and its
# last lines to the terminal as comments when it fails
check() {
	local name=$1 out rc t0=$SECONDS; shift
	out=$("$@" 2>&1)
	rc=$?
	printf '== %s (rc %s, %s s)\n%s\n' "$name" "$rc" $((SECONDS - t0)) "$out" >>"$log"
	[ $((SECONDS - t0)) -lt 10 ] || echo "# $((SECONDS - t0)) s: $name"
	n=$((n + 1))
	if [ $rc = 0 ]; then
		echo "ok $n - $name"
	else
		fail=$((fail + 1))
		echo "not ok $n - $name"
		printf '%s\n' "$out" | tail -n 15 | sed 's/^/#   /'
	fi
}

purge() {
	dpkg --purge pvsplit-dkms pvsplit-tools pvsplit-tools-dbgsym
}

if [ "$(id -u)" != 0 ]; then
	echo "not ok 1 - tests/pkg/pkg.sh runs as root (dpkg -i)"
	echo "pkg: 0 passed, 1 failed"
	exit 1
fi
purge >/dev/null 2>&1

ver=$(scripts/version.sh)
arch=$(dpkg --print-architecture)
dkms_deb=build/deb/pvsplit-dkms_${ver}_all.deb
tools_deb=build/deb/pvsplit-tools_${ver}_${arch}.deb
echo "# version $ver"

# ---- the version ------------------------------------------------------
version_of_head() {	# HEAD's hash in it, and the no-tag form
	local h
	h=$(git rev-parse --short=7 HEAD) || return 1
	echo "$ver (HEAD $h)"
	[[ $ver == *"$h"* ]] || return 1
	git describe --tags --match 'v[0-9]*' >/dev/null 2>&1 ||
		[[ $ver =~ ^0\.0~git[0-9]+\.[0-9a-f]{7}(\.dirty)?$ ]]
}
version_forms() {	# a scratch repository: no tag, then a tag and a commit
	local d v1 v2 v3 rc=1
	d=$(mktemp -d)
	(
		set -e
		cd "$d"
		mkdir scripts
		cp "$top/scripts/version.sh" scripts/
		git init -q
		git -c user.name=t -c user.email=t@t add scripts
		git -c user.name=t -c user.email=t@t commit -q -m one
		v1=$(scripts/version.sh)
		git -c user.name=t -c user.email=t@t tag v0.3.1
		echo x > f
		git -c user.name=t -c user.email=t@t add f
		git -c user.name=t -c user.email=t@t commit -q -m two
		v2=$(scripts/version.sh)
		echo y > f
		v3=$(scripts/version.sh)
		h=$(git rev-parse --short=7 HEAD)
		echo "no tag: $v1; v0.3.1 + 1: $v2; changed: $v3"
		[[ $v1 =~ ^0\.0~git1\.[0-9a-f]{7}$ ]]
		[ "$v2" = "0.3.1+1.g$h" ]
		[ "$v3" = "0.3.1+1.g$h.dirty" ]
		dpkg --compare-versions "$v1" lt "$v2"
	) && rc=0
	rm -rf "$d"
	return $rc
}
check "version from git holds HEAD's hash ($ver)" version_of_head
check "version forms: 0.0~gitN.HASH, X.Y.Z+N.gHASH after a tag, .dirty, rising" version_forms

# ---- make deb, lintian ------------------------------------------------
rm -f build/deb/*.deb
check "make deb builds $(basename "$dkms_deb") and $(basename "$tools_deb")" \
	sh -c "make -s deb && test -f '$dkms_deb' && test -f '$tools_deb'"

lint_out=$(lintian --no-tag-display-limit "$dkms_deb" "$tools_deb" 2>&1)
printf '== lintian\n%s\n' "$lint_out" >>"$log"
printf '%s\n' "$lint_out" | grep -E '^[EW]: ' | sed 's/^/# lintian: /'
lint_clean() {
	test -f "$dkms_deb" && test -f "$tools_deb" || return 1
	echo "$(grep -c -E '^E: ' <<<"$lint_out") errors, $(grep -c -E '^W: ' <<<"$lint_out") warnings"
	! grep -E '^E: ' <<<"$lint_out"
}
check "lintian: no errors on either package" lint_clean

contents() {	# what each package holds where
	local d t f
	d=$(dpkg -c "$dkms_deb" | awk '{ print $6 }') || return 1
	t=$(dpkg -c "$tools_deb" | awk '{ print $6 }') || return 1
	for f in "./usr/src/pvsplit-$ver/dkms.conf" "./usr/src/pvsplit-$ver/Kbuild" \
		 "./usr/src/pvsplit-$ver/common/ring.c" ./etc/modprobe.d/pvsplit.conf; do
		grep -qxF "$f" <<<"$d" || { echo "pvsplit-dkms: no $f"; return 1; }
	done
	if grep -E '\.(o|ko)$|/tests/' <<<"$d"; then
		echo "pvsplit-dkms: objects or tests"
		return 1
	fi
	for f in ./usr/bin/pvsplit ./usr/share/man/man1/pvsplit.1.gz \
		 ./usr/share/bash-completion/completions/pvsplit; do
		grep -qxF "$f" <<<"$t" || { echo "pvsplit-tools: no $f"; return 1; }
	done
	dpkg-deb -f "$dkms_deb" Depends | tee /dev/stderr | grep -q '^dkms'
}
check "contents: DKMS sources (no objects, no tests), modprobe.d, CLI, man page, completion" contents

# ---- install ----------------------------------------------------------
check "dpkg -i pvsplit-dkms pvsplit-tools (DKMS builds on install)" \
	dpkg -i "$dkms_deb" "$tools_deb"

kvers=""
for k in 6.1 6.12; do
	kv=$(basename "$(tests/lab/kdir.sh "$k")" | sed 's/^linux-headers-//')
	kvers="$kvers $kv"
done

# mods_for KVER: DKMS installed every module for KVER under updates/dkms,
# built for KVER, and modinfo resolves each name to that file
mods_for() {
	local kv=$1 m f
	dkms status -m pvsplit -v "$ver" -k "$kv" | grep ': installed' || return 1
	for m in $MODS; do
		f=$(modinfo -k "$kv" -n "$m") || return 1
		echo "$m: $f"
		[[ $f == /lib/modules/$kv/updates/dkms/$m.ko* ]] || return 1
		[ "$(modinfo -k "$kv" -F vermagic "$m" | awk '{ print $1 }')" = "$kv" ] || return 1
	done
}
# deps_for KVER: modprobe --dry-run resolves every driver with
# pvsplit_common loaded first, from updates/dkms
deps_for() {
	local kv=$1 m out
	for m in ${MODS#pvsplit_common }; do
		modprobe --dry-run -S "$kv" "$m" || return 1
		out=$(modprobe --dry-run --show-depends -S "$kv" "$m") || return 1
		echo "$out"
		[ "$(echo "$out" | awk '{ print $2 }' | xargs -n 1 basename | tr '\n' ' ')" \
			= "pvsplit_common.ko$(ext "$kv") $m.ko$(ext "$kv") " ] || return 1
		modinfo -k "$kv" -F depends "$m" | grep -qx pvsplit_common || return 1
	done
}
ext() {	# the compression suffix DKMS used for KVER's modules
	local f
	f=$(modinfo -k "$1" -n pvsplit_common 2>/dev/null)
	case $f in *.ko.*) echo ".${f##*.}" ;; esac
}
for kv in $kvers; do
	check "$kv: DKMS built and installed all 7 modules under updates/dkms (modinfo)" mods_for "$kv"
	check "$kv: modprobe --dry-run resolves each driver after pvsplit_common" deps_for "$kv"
done

# again_for_all: dpkg -i again with the running kernel "installed"; every
# kernel with headers gets its modules from the postinst's loop
again_for_all() {
	local run=/lib/modules/$(uname -r) made="" out rc=0 k
	[ -e "$run" ] || { mkdir "$run" && made=1; }
	out=$(dpkg -i "$dkms_deb" 2>&1) || rc=1
	[ -n "$made" ] && rmdir "$run"
	echo "$out"
	[ $rc = 0 ] || return 1
	for k in $kvers; do
		grep -qx "pvsplit-dkms: building for $k" <<<"$out" || return 1
		dkms status -m pvsplit -v "$ver" -k "$k" | grep ': installed' || return 1
	done
}
if [ -n "$reinstall" ]; then
	check "dpkg -i again, running kernel installed: the postinst builds for the other kernels" again_for_all
fi

cli() {
	command -v pvsplit
	[ "$(command -v pvsplit)" = /usr/bin/pvsplit ] &&
		pvsplit --help | grep -q '^usage: pvsplit COMMAND' &&
		pvsplit attach --help | grep -q '^usage: pvsplit attach' &&
		man -w pvsplit | grep -qx /usr/share/man/man1/pvsplit.1.gz
}
check "CLI from PATH: /usr/bin/pvsplit runs, man -w pvsplit finds its page" cli

# complete WORDS...: what the completion offers for the last word
complete_words() {
	bash -c '. /usr/share/bash-completion/completions/pvsplit
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pvsplit
		echo "${COMPREPLY[*]}"' - "$@"
}
completion() {
	local c
	c=$(complete_words pvsplit "") && echo "commands: $c" &&
		[[ " $c " == *" attach "* && " $c " == *" wait "* ]] || return 1
	c=$(complete_words pvsplit attach v) && echo "types: $c" && [ "$c" = "vbd vif" ] || return 1
	c=$(complete_words pvsplit attach vbd g1 xvdb img --) && echo "options: $c" &&
		[[ " $c " == *" --sector-size "* ]] || return 1
	c=$(complete_words pvsplit wait vbd g1 51728 co) && echo "states: $c" &&
		[ "$c" = connected ]
}
check "bash completion: commands, types, options from --help, states" completion

modprobe_conf() {	# all commented out; uncommented, it swaps the drivers
	local d kv out
	kv=${kvers# }
	kv=${kv%% *}
	[ -f /etc/modprobe.d/pvsplit.conf ] || return 1
	if grep -v -E '^(#|$)' /etc/modprobe.d/pvsplit.conf; then
		echo "a line not commented out"
		return 1
	fi
	# as installed: a new vbd (alias xen-backend:vbd, udev's modprobe -b)
	# loads both back ends
	out=$(modprobe -b -S "$kv" --dry-run --show-depends xen-backend:vbd)
	echo "as installed, xen-backend:vbd: $out"
	grep -q /xen-blkback.ko <<<"$out" && grep -q /pvblkback.ko <<<"$out" || return 1
	d=$(mktemp -d)
	sed -n 's/^#\(blacklist\|install\) /\1 /p' /etc/modprobe.d/pvsplit.conf > "$d/pvsplit.conf"
	out=$(modprobe -C "$d" -S "$kv" --dry-run --show-depends xen-blkback)
	echo "uncommented, xen-blkback: $out"
	[ "$(echo $out)" = "install /sbin/modprobe pvblkback" ] || { rm -rf "$d"; return 1; }
	out=$(modprobe -b -C "$d" -S "$kv" --dry-run --show-depends xen-backend:vbd)
	echo "uncommented, xen-backend:vbd: $out"
	rm -rf "$d"
	[ "$(echo "$out" | awk '{ print $2 }' | xargs -n 1 basename | tr '\n' ' ')" = \
		"pvsplit_common.ko$(ext "$kv") pvblkback.ko$(ext "$kv") " ]
}
check "modprobe.d/pvsplit.conf: all commented; uncommented, xen-blkback and alias xen-backend:vbd load pvblkback only" modprobe_conf

# ---- the lab, with what the packages installed ---------------------------
if [ -n "$lab" ]; then
	out=$top/build/lab-pkg.out
	${LAB_LOCK:+flock "$LAB_LOCK"} tests/lab/lab.sh --mode pkg >"$out" 2>&1
	rc=$?
	grep -E '^(ok|not ok) ' "$out" | sed 's/^/# lab: /'
	p=$(grep -c -E '^ok ' "$out")
	f=$(grep -c -E '^not ok ' "$out")
	tail -n 1 "$out" | sed 's/^/# /'
	check "lab mode pkg: $p cases passed, $f failed (build/lab-pkg.out)" \
		test "$rc" = 0 -a "$f" = 0 -a "$p" -gt 0
fi

# ---- purge ------------------------------------------------------------
planted=""
if [ -n "$plant" ]; then
	kv=${kvers# }
	planted=/lib/modules/${kv%% *}/updates/dkms/pvplanted.ko
	echo "# --plant: $planted, which the leftover check must report"
	touch "$planted"
fi
check "dpkg --purge pvsplit-dkms pvsplit-tools" purge

leftovers() {
	local left kv
	left=$(ls -d /lib/modules/*/updates/dkms/pv* /usr/src/pvsplit-* /var/lib/dkms/pvsplit \
		/etc/modprobe.d/pvsplit.conf /usr/bin/pvsplit \
		/usr/share/bash-completion/completions/pvsplit \
		/usr/share/man/man1/pvsplit.1.gz 2>/dev/null)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
	dpkg-query -W -f='${Package} ${Status}\n' pvsplit-dkms pvsplit-tools 2>/dev/null |
		grep -v ' not-installed$' && { echo "still known to dpkg"; return 1; }
	for kv in $kvers; do
		modprobe --dry-run -S "$kv" pvblkback 2>/dev/null &&
			{ echo "$kv: modprobe still finds pvblkback"; return 1; }
	done
	return 0
}
check "nothing left: updates/dkms, /usr/src/pvsplit-*, /var/lib/dkms/pvsplit, conffile, CLI; depmod forgot them" leftovers
[ -n "$planted" ] && rm -f "$planted"

echo "pkg: $((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
