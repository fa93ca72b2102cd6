# SPDX-License-Identifier: GPL-2.0-only
# plan: 20
# The CLI: attach/show/list/wait/detach, and clear errors for bad input.
check "attach pvbench through the CLI" pvsplit attach pvbench g1 --devid 0
check "both ends reach Connected" pvsplit wait pvbench g1 0 connected --timeout 30
check "list shows the device connected" sh -c "pvsplit list | grep -E '^pvbench +$DOM +0 +connected +connected'"
check "show: negotiated ring-page-order and back-end features" sh -c \
	"pvsplit show pvbench $DOM 0 | tee /dev/stderr | grep -q 'ring-page-order' &&
	 pvsplit show pvbench $DOM 0 | grep -q 'max-ring-page-order' &&
	 pvsplit show pvbench $DOM 0 | grep -q 'feature-grant-copy'"
check "front end directory owned by the guest, back end by dom0" sh -c \
	"xenstore-ls -p /local/domain/$DOM/device/pvbench/0 | grep '^state ' | grep -qF '(n$DOM,r0)' &&
	 xenstore-ls -p /local/domain/0/backend/pvbench/$DOM/0 | grep '^state ' | grep -qF '(n0,r$DOM)'"
check "error: already attached" \
	expect_exit 1 "pvbench 0 of domain $DOM is already attached" pvsplit attach pvbench g1 --devid 0
check "error: unknown domain name" \
	expect_exit 1 "no domain named 'nosuchguest'" pvsplit attach pvbench nosuchguest
check "error: unknown domain id" expect_exit 1 "no domain with id 4242" pvsplit attach pvbench 4242
check "error: bad device id" \
	expect_exit 2 "bad device id '70000'" pvsplit attach pvbench g1 --devid 70000
check "error: unknown type" expect_exit 2 "unknown device type 'floppy'" pvsplit attach floppy g1
check "error: unknown option" \
	expect_exit 2 "unknown option '--bogus'" pvsplit attach pvbench g1 --bogus
check "error: missing arguments" \
	expect_exit 2 "^usage: pvsplit detach TYPE DOMAIN DEVID" pvsplit detach pvbench g1
check "error: unknown command" expect_exit 2 "unknown command 'frobnicate'" pvsplit frobnicate
check "error: detach of a device not attached" \
	expect_exit 1 "pvbench 9 of domain $DOM is not attached" pvsplit detach pvbench g1 9
check "error: timeout waiting for a state" \
	expect_exit 1 "timeout: pvbench 0 of domain .* not closing after 2 s" \
	pvsplit wait pvbench g1 0 closing --timeout 2
check "error: xenstore unreachable" \
	expect_exit 1 "cannot reach xenstore" env XENSTORED_PATH=/nonexistent pvsplit list
check "error: same domain at both ends" \
	expect_exit 1 "front and back end in the same domain 0" pvsplit attach pvbench 0
check "--help for every command" sh -c \
	'for c in attach detach list show wait bench; do pvsplit $c --help | grep -q usage || exit 1; done'
check "attach picks the lowest free device id" sh -c "pvsplit attach pvbench g1 | grep -qx 'pvbench 1'"
check "detach waits for Closed and removes both directories" sh -c \
	"pvsplit detach pvbench g1 1 && ! xenstore-read /local/domain/$DOM/device/pvbench/1/state &&
	 ! xenstore-read /local/domain/0/backend/pvbench/$DOM/1/state"
