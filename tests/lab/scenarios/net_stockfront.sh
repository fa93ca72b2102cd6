# SPDX-License-Identifier: GPL-2.0-only
# plan: 24
# net.sh with the stock front end and the ours back end (the plan is net.sh's)
NET_FRONT=stock NET_BACK=ours
. "$dir/net.sh"
