#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Sourced by scenarios/run.sh when LAB_DRY is set (tests/lab/plancheck.sh):
# every case counts as passed without running, every command outside the
# shell does nothing and succeeds, and what waits or talks to a guest
# returns at once, so a mode's scenarios run in a second on any machine
# and show how many cases each really emits.
check() { tap 0 "$1"; }
check_fails() { tap 0 "$1"; }
guest() { :; }
start_guest() { echo 7; }
wait_until() { :; }
settle_after_destroy() { :; }
leak_baseline() { :; }
command_not_found_handle() { return 0; }
PATH=/nonexistent
