#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make deb: build pvsplit-dkms_VERSION_all.deb and
# pvsplit-tools_VERSION_ARCH.deb into build/deb/, VERSION from git
# (scripts/version.sh).  The build runs in a copy of the tree's files
# (tracked and untracked, not the ignored ones: no objects, no build/), with
# a debian/changelog entry for VERSION on top, so the tree stays as it is.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
ver=$("$top/scripts/version.sh")
stage=$out/src
src=$stage/pvsplit-$ver

for t in dpkg-buildpackage dh dh_dkms; do
	command -v "$t" >/dev/null || { "$top/tests/lab/deps.sh" >&2; break; }
done

rm -rf "$stage"
mkdir -p "$src"
cd "$top"
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z -c -o --exclude-standard |
		while IFS= read -r -d '' f; do
			[ -e "$f" ] && printf '%s\0' "$f"
		done | tar --null -T - -cf - | tar -xf - -C "$src"
	what="git commit $(git rev-parse --short=7 HEAD): $(git log -1 --format=%s | cut -c1-50)"
	git diff-index --quiet HEAD -- || what="$what, with changes not committed"
else
	tar -cf - --exclude=./build --exclude=./bench-results . | tar -xf - -C "$src"
	what="a tree outside git"
fi

maint=$(sed -n 's/^Maintainer: //p' debian/control)
if [ "$(dpkg-parsechangelog -l debian/changelog -S Version)" != "$ver" ]; then
	{
		echo "pvsplit ($ver) unstable; urgency=medium"
		echo
		echo "  * Build of $what." | fold -s -w 72 | sed '2,$s/^/    /'
		echo
		echo " -- $maint  $(date -R)"
		echo
		cat debian/changelog
	} > "$src/debian/changelog"
fi

echo "deb: building pvsplit $ver (log: build/deb/build.log)"
mkdir -p "$out"
(cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log"; echo "deb: dpkg-buildpackage failed"; exit 1; }
rm -f "$out"/*.deb "$out"/*.buildinfo "$out"/*.changes
mv "$stage"/*.deb "$stage"/*.buildinfo "$stage"/*.changes "$out/"
rm -rf "$stage"
ls -1 "$out"/*.deb
