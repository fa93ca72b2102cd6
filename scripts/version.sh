#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Print the package version of this tree, from git, distinct for each
# commit and rising along a branch:
#   tag vX.Y.Z, N commits on:   X.Y.Z+N.gHASH
#   no tag:                     0.0~gitN.HASH  (N: commits in HEAD)
# and ".dirty" after either when tracked files differ from HEAD.  Outside
# git (an unpacked source package): the top entry of debian/changelog.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
if ! git rev-parse --git-dir >/dev/null 2>&1; then
	dpkg-parsechangelog -S Version
	exit
fi
hash=$(git rev-parse --short=7 HEAD) || exit 1
if d=$(git describe --tags --long --match 'v[0-9]*' 2>/dev/null); then
	# vX.Y.Z-N-gHASH
	n=${d%-g*}
	n=${n##*-}
	tag=${d%-*-g*}
	v="${tag#v}+$n.g$hash"
else
	v="0.0~git$(git rev-list --count HEAD).$hash"
fi
git diff-index --quiet HEAD -- 2>/dev/null || v="$v.dirty"
echo "$v"
