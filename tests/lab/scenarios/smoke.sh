# SPDX-License-Identifier: GPL-2.0-only
# Bring-up check: modules load, a guest boots, a raw pvbench device connects.
check "load pvsplit_common in dom0" insmod /pvsplit/pvsplit_common.ko
check "load pvbenchback" insmod /pvsplit/pvbenchback.ko
DOM=$(start_guest g1)
check "guest boots" test -n "$DOM"
check "guest loads modules" guest "$DOM" "insmod /pvsplit/pvsplit_common.ko && insmod /pvsplit/pvbenchfront.ko"
check "attach pvbench" pvsplit attach pvbench "$DOM" --devid 0
check "connected" pvsplit wait pvbench "$DOM" 0 connected --timeout 30
check "bench runs" guest "$DOM" "pvsplit bench --devid 0 --count 2000 --qd 8"
