#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest agent: dom0 writes "SEQ COMMAND" to our data/cmd; we run COMMAND
# and write its output, exit code and then SEQ to data/out, data/rc and
# data/done.  Relative xenstore paths are below /local/domain/<us>.
# Newlines of the output travel as RS (octal 036) characters.
last=""
if ! xenstore-write data/agent ready; then
	echo "agent: cannot write to xenstore"
fi
echo "agent: ready"
while :; do
	# -R on every read and write: xenstore-read escapes backslashes and
	# control characters and xenstore-write parses escapes, so without it
	# a command such as grep 'clat \(' arrives changed
	c=$(xenstore-read -R data/cmd 2>/dev/null)
	seq=${c%% *}
	if [ -n "$c" ] && [ "$seq" != "$last" ]; then
		last=$seq
		sh -c "${c#* }" > /tmp/out 2>&1
		rc=$?
		# xenstore values lose newlines: carry them as RS characters;
		# the leading "|" keeps output such as "-2" from reading as an
		# option of xenstore-write
		xenstore-write -R data/out "|$(tail -c 3000 /tmp/out | tr '\n' '\036')" \
			data/rc "$rc"
		xenstore-write data/done "$seq"
	else
		sleep 0.05
	fi
done
