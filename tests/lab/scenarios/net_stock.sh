# SPDX-License-Identifier: GPL-2.0-only
# plan: 31
# net.sh with the stock front end and the stock back end (its plan: the cases net.sh runs for this pairing)
NET_FRONT=stock NET_BACK=stock
. "$dir/net.sh"
