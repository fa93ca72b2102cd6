# SPDX-License-Identifier: GPL-2.0-only
# Shared set-up: our modules in dom0, one guest with ours loaded, and the
# baselines the leak checks compare against.
check "dom0: load pvsplit_common" insmod /pvsplit/pvsplit_common.ko
check "dom0: load pvbenchback" insmod /pvsplit/pvbenchback.ko
DOM=$(start_guest g1)
check "guest g1 boots and runs the agent" test -n "$DOM"
check "guest: load pvsplit_common and pvbenchfront" \
	guest "$DOM" "insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvbenchfront.ko"
BASE_GRANTS=$(xen_active_grants "$DOM")
BASE_EV_GUEST=$(xen_evtchns "$DOM")
BASE_EV_DOM0=$(xen_evtchns 0)
echo "# baseline: guest mapped grants $BASE_GRANTS, event channels guest $BASE_EV_GUEST dom0 $BASE_EV_DOM0"

# no_leaks WHAT: Xen's counts and ours are back to the baseline
no_leaks() {
	local g e0 eg
	g=$(xen_active_grants "$DOM")
	e0=$(xen_evtchns 0)
	eg=$(xen_evtchns "$DOM")
	echo "mapped grants of guest $g (baseline $BASE_GRANTS), event channels dom0 $e0 ($BASE_EV_DOM0) guest $eg ($BASE_EV_GUEST)"
	[ "$g" = "$BASE_GRANTS" ] && [ "$e0" = "$BASE_EV_DOM0" ] && [ "$eg" = "$BASE_EV_GUEST" ]
}

# resources_zero: pvsplit_common in dom0 holds nothing
resources_zero() {
	cat /sys/kernel/debug/pvsplit/resources
	awk '$1 != "grants_deferred" && $2 != 0 { bad = 1 } END { exit bad }' \
		/sys/kernel/debug/pvsplit/resources
}

# guest_resources_zero: and in the guest
guest_resources_zero() {
	guest "$DOM" "cat /sys/kernel/debug/pvsplit/resources; awk '\$1 != \"grants_deferred\" && \$2 != 0 { bad = 1 } END { exit bad }' /sys/kernel/debug/pvsplit/resources"
}

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
