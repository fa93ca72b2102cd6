# SPDX-License-Identifier: GPL-2.0-only
# plan: 9
# The leak checks can fail.  tests/rogue/pvleak.ko keeps on purpose what a
# leaking driver would: a page the guest granted, dom0's mapping of it, an
# event channel port in either domain.  leak_check (lib.sh), the function
# behind every scenario's leak check, must name each count that moved and
# only those, and be clean again once the module lets go or unloads.
LEAKCTL=/sys/kernel/debug/pvleak/keep
leak_baseline leakcheck "$DOM"

dkeep() { echo "$*" > $LEAKCTL; }
gkeep() { guest "$DOM" "echo $* > $LEAKCTL"; }

# leak_caught COUNT...: leak_check fails, naming exactly these counts
leak_caught() {
	local out k
	out=$(leak_check leakcheck "$DOM") && { echo "$out"; echo "leak check passed"; return 1; }
	echo "$out"
	# what was caught shows in the lab's output, pass or fail
	grep '^LEAK ' <<<"$out" | sed 's/^/#   /' >&3
	for k in "$@"; do
		grep -q "^LEAK $k: " <<<"$out" || { echo "not reported: $k"; return 1; }
	done
	[ "$(grep -c '^LEAK ' <<<"$out")" = $# ] || { echo "other counts moved too"; return 1; }
}

loaded_idle() {
	insmod /pvsplit/pvleak.ko && guest "$DOM" "insmod /pvsplit/pvleak.ko" &&
		leak_check leakcheck "$DOM"
}
check "pvleak loaded in dom0 and the guest, keeping nothing: leak check clean" loaded_idle
check "leak check catches a page the guest keeps granted (pvsplit resources)" \
	eval 'gkeep grant 0 && leak_caught guest-grants'
kept_map() {
	local ref
	ref=$(guest "$DOM" "cat $LEAKCTL" | awk '$1 == "grant" { print $2 }')
	echo "guest's grant reference: $ref"
	[ -n "$ref" ] && dkeep map "$DOM" "$ref" &&
		leak_caught "xen-grants-of-d$DOM" dom0-maps dom0-pages guest-grants
}
check "leak check catches a kept grant (dom0 maps it: Xen's active grants, dom0 maps and the pool's page)" kept_map
check "leak check clean once both let go" \
	eval 'dkeep release && gkeep release && leak_check leakcheck "$DOM"'
check "leak check catches an event channel port kept in dom0 (Xen's ports of dom0)" \
	eval 'dkeep evtchn "$DOM" && leak_caught xen-evtchns-d0'
check "leak check catches an event channel port kept in the guest (Xen's ports of the guest)" \
	eval 'dkeep release && gkeep evtchn 0 && leak_caught "xen-evtchns-d$DOM"'
keep_all() {
	local ref
	gkeep release && gkeep grant 0 && gkeep evtchn 0 || return 1
	ref=$(guest "$DOM" "cat $LEAKCTL" | awk '$1 == "grant" { print $2 }')
	dkeep map "$DOM" "$ref" && dkeep evtchn "$DOM" &&
		leak_caught "xen-grants-of-d$DOM" "xen-evtchns-d0" "xen-evtchns-d$DOM" \
			dom0-maps dom0-pages guest-grants
}
check "leak check names all six counts when all is kept at once" keep_all
unload_all() {
	rmmod pvleak && guest "$DOM" "rmmod pvleak" || return 1
	! grep -q '^pvleak ' /proc/modules && guest "$DOM" "! grep -q '^pvleak ' /proc/modules"
}
check "pvleak unloads while keeping all that" unload_all
check "leak check clean after the unload: the module gave everything back" \
	leak_check leakcheck "$DOM"
