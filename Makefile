# SPDX-License-Identifier: GPL-2.0-only
#
# pvsplit top-level Makefile: kernel modules through kbuild (out of tree),
# userspace tools, tests and benchmarks.  `make help` lists the targets.

# Running kernel's build folder when there is one, else the newest Debian
# headers installed.  LAB_KVER picks the lab's kernel line (6.1 or 6.12).
LAB_KVER ?= 6.1
KDIR ?= $(shell tests/lab/kdir.sh)
BUILD ?= $(CURDIR)/build

CC ?= cc
USER_CFLAGS := -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Werror=implicit-function-declaration \
	-Icommon/portable -Ixenstore-tools
KSFT := $(BUILD)/ksrc/tools/testing/selftests

TOOLS := $(BUILD)/pvsplit
VCHAN_BENCH := $(BUILD)/vchan_bench
UNIT_TESTS := $(BUILD)/tests/pvring_test $(BUILD)/tests/pvstats_test \
	$(BUILD)/tests/pvbench_proto_test $(BUILD)/tests/cli_args_test \
	$(BUILD)/tests/pvblkif_test $(BUILD)/tests/pvnetif_test \
	$(BUILD)/tests/cli_stats_test $(BUILD)/tests/pvnethash_test \
	$(BUILD)/tests/pvpoll_test
RING_BENCH := $(BUILD)/ring_bench

CLI_SRC := $(filter-out xenstore-tools/main.c,$(wildcard xenstore-tools/*.c))
CLI_HDR := $(wildcard xenstore-tools/*.h)
PORTABLE_HDR := $(wildcard common/portable/*.h)

FUZZ_SECONDS ?= 20
FUZZER := $(BUILD)/ring_fuzz

.PHONY: all modules tools deps deb check test lab lab-6.12 bench-ring bench-xring bench-blk bench-net \
	fuzz sparse checkpatch clean help

all: modules tools

help:
	@echo "make            build modules (KDIR=$(KDIR)) and userspace"
	@echo "make deps       install packages, extract kernel test/lint helpers"
	@echo "make deb        Debian packages pvsplit-dkms and pvsplit-tools into build/deb/"
	@echo "make check      userspace unit tests (seconds)"
	@echo "make test       unit tests + Xen lab suite; ends 'N passed, N failed'"
	@echo "make lab        boot Xen in QEMU, attach pvbench, print a benchmark"
	@echo "make bench-ring userspace ring benchmark vs. Xen's io/ring.h"
	@echo "make bench-xring cross-domain pvbench benchmark in the lab"
	@echo "make bench-blk  fio: stock vs pvblk block drivers vs native, in the lab"
	@echo "make bench-net  iperf3/ping: stock vs pvnet network drivers vs loopback, in the lab"
	@echo "make fuzz       fuzz the ring core as a hostile peer (FUZZ_SECONDS=$(FUZZ_SECONDS))"
	@echo "make sparse | checkpatch | clean"

# W=1 always: the tree must stay free of its warnings.
modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: run make deps"; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

tools: $(TOOLS) $(VCHAN_BENCH)

$(TOOLS): xenstore-tools/main.c $(CLI_SRC) $(CLI_HDR) $(PORTABLE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ \
		xenstore-tools/main.c $(CLI_SRC) -lxenstore -lxenctrl

# libxenvchan's side of make bench-xring (carried into the lab's images)
$(VCHAN_BENCH): tests/bench/vchan_bench.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -o $@ $< -lxenvchan

deps:
	tests/lab/deps.sh

# Debian packages (debian/, dkms.conf), version from git: Documentation/packaging.rst
deb:
	scripts/deb.sh

$(BUILD)/tests/%_test: tests/unit/%_test.c $(PORTABLE_HDR) $(CLI_SRC) $(CLI_HDR)
	@test -f $(KSFT)/kselftest_harness.h || tests/lab/deps.sh
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Wno-missing-prototypes -Wno-unused-parameter \
		-I$(KSFT) -pthread -o $@ $< \
		$(if $(findstring cli_,$*),$(filter-out xenstore-tools/main.c,$(CLI_SRC)) -lxenstore -lxenctrl)

check: $(UNIT_TESTS)
	tests/unit/run.sh $(UNIT_TESTS)

test:
	tests/run-all.sh

# The lab builds its own copy of the tree for the lab kernel.
lab:
	tests/lab/lab.sh --kver $(LAB_KVER) --main

lab-6.12:
	$(MAKE) lab LAB_KVER=6.12

$(RING_BENCH): tests/bench/ring_bench.c tests/bench/ring_ends.c tests/bench/ring_bench.h $(PORTABLE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -O3 -pthread -o $@ tests/bench/ring_bench.c tests/bench/ring_ends.c

# --fifo: both ends SCHED_FIFO (when allowed), so other work on the cores
# does not decide the figures; about 30 s.
RING_BENCH_FLAGS ?= --fifo --pairs 15
bench-ring: $(RING_BENCH)
	@mkdir -p bench-results
	$(RING_BENCH) $(RING_BENCH_FLAGS) --json bench-results/ring.json

bench-xring:
	tests/lab/lab.sh --kver $(LAB_KVER) --bench-xring

# fio: stock pair, our pair and native dom0 in one lab boot.
bench-blk:
	tests/lab/lab.sh --kver $(LAB_KVER) --mode blkbench --timeout 3000
	mv bench-results/blkbench.json bench-results/blk.json
	tests/bench/plot.sh "pvblk vs the stock Xen block pair (fio in a PV guest, null_blk in dom0)" bench-results/blk.json bench-results/blk.png

# iperf3 and ping: stock net pair and ours side by side, and the guest's
# loopback (the ceiling), in one lab boot.
bench-net:
	tests/lab/lab.sh --kver $(LAB_KVER) --mode netbench
	mv bench-results/netbench.json bench-results/net.json
	tests/bench/plot.sh "pvnet vs the stock Xen network pair (iperf3 and ping in a PV guest)" bench-results/net.json bench-results/net.png

$(FUZZER): tests/fuzz/ring_fuzz.c $(PORTABLE_HDR)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Icommon/portable -o $@ $<

# Hostile-peer fuzzing of the ring core and request validation.
fuzz: $(FUZZER)
	@mkdir -p $(BUILD)/fuzz-corpus
	$(FUZZER) -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-print_final_stats=1 $(BUILD)/fuzz-corpus

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

checkpatch:
	tests/lint/checkpatch.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)/tests $(TOOLS) $(VCHAN_BENCH) $(RING_BENCH) $(FUZZER)
