#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# checkpatch.pl (from linux-source-6.1, see make deps) over our own C files.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cp=$top/build/ksrc/scripts/checkpatch.pl
[ -x "$cp" ] || "$top/tests/lab/deps.sh" >/dev/null || exit 1
cd "$top"
files=$(git ls-files '*.c' '*.h')
# --no-tree: out of tree; userspace test files use the harness' macros
"$cp" --no-tree --quiet --show-types \
	--ignore FILE_PATH_CHANGES,LINUX_VERSION_CODE,PREFER_DEFINED_ATTRIBUTE_MACRO \
	-f $files
