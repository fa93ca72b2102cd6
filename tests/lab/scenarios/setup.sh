# SPDX-License-Identifier: GPL-2.0-only
# plan: 5
# Shared set-up: our modules in dom0, one guest with ours loaded, and the
# baselines the leak checks compare against.
check "dom0: load pvsplit_common" insmod /pvsplit/pvsplit_common.ko
check "dom0: load pvbenchback" insmod /pvsplit/pvbenchback.ko
DOM=$(start_guest g1)
check "guest g1 boots and runs the agent" test -n "$DOM"
check "guest: load pvsplit_common and pvbenchfront" \
	guest "$DOM" "insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvbenchfront.ko"
# what every leak check of the pvbench scenarios compares with: nothing
# attached yet (lib.sh, leak_check)
leak_baseline setup "$DOM"
no_leaks() { leak_check setup "$DOM"; }

# The agent carries commands and their output byte for byte (xenstore-write
# would read "\(" or "\x41" as escapes without -R): what the guest prints
# must be what was sent.
agent_verbatim() {
	local want='a\(b \x41 \\ \n $HOME "q" %s' out
	out=$(guest "$DOM" "printf '%s' '$want'")
	echo "sent [$want] got [$out]"
	[ "$out" = "$want" ]
}
check "agent: a command with backslashes and quotes arrives as written" agent_verbatim
