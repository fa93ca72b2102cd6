#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Guest agent: dom0 writes "SEQ COMMAND" to our data/cmd; we run COMMAND
# and write its output, exit code and then SEQ to data/out, data/rc and
# data/done.  Relative xenstore paths are below /local/domain/<us>.
# Newlines of the output travel as RS (octal 036) characters.
#
# The agent sleeps in a xenstore watch on data/cmd (it fires once when set,
# then at each write) instead of polling: polling 20 times a second cost
# every idle guest a fork of xenstore-read and of sleep each time, taken
# from the two host cores that the busy domains share under TCG.  The
# last sequence run is kept in a file, so a watch set again (it ended, a
# resume) never runs a command twice.
if ! xenstore-write data/agent ready; then
	echo "agent: cannot write to xenstore"
fi
echo "agent: ready"
: > /tmp/agent.last
while :; do
	xenstore-watch data/cmd | while read -r _; do
		# -R on every read and write: xenstore-read escapes
		# backslashes and control characters and xenstore-write
		# parses escapes, so without it a command such as
		# grep 'clat \(' arrives changed
		c=$(xenstore-read -R data/cmd 2>/dev/null)
		seq=${c%% *}
		[ -n "$c" ] && [ "$seq" != "$(cat /tmp/agent.last)" ] || continue
		echo "$seq" > /tmp/agent.last
		# stdin from /dev/null: the watch's pipe is ours alone
		sh -c "${c#* }" > /tmp/out 2>&1 < /dev/null
		rc=$?
		# xenstore values lose newlines: carry them as RS characters;
		# the leading "|" keeps output such as "-2" from reading as an
		# option of xenstore-write
		xenstore-write -R data/out "|$(tail -c 3000 /tmp/out | tr '\n' '\036')" \
			data/rc "$rc"
		xenstore-write data/done "$seq"
	done
	echo "agent: watch on data/cmd ended; setting it again"
	sleep 0.2
done
