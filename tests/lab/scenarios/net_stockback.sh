# SPDX-License-Identifier: GPL-2.0-only
# plan: 31
# net.sh with the ours front end and the stock back end (its plan: the cases net.sh runs for this pairing)
NET_FRONT=ours NET_BACK=stock
. "$dir/net.sh"
