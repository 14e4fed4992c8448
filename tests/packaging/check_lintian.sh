#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_lintian.sh DEBS OVERRIDES...
# packaging.lintian: lintian finds no error and no warning in any .deb or .ddeb in DEBS
# (packaging.debs builds them), and every override in OVERRIDES carries a reason: a comment
# line right above it.
set -eu
debs=$1
shift
for o in "$@"; do
  awk -v f="$o" '/^#/ { reason = 1; next }
                 NF && !reason { printf "%s:%d: override without a reason (a # line above it)\n", f, NR; bad = 1 }
                 { reason = 0 }
                 END { exit bad }' "$o"
done
set -- "$debs"/*.deb "$debs"/*.ddeb
[ -e "$1" ] || { echo "check_lintian: no packages in $debs" >&2; exit 1; }
# Running as root, lintian says it would rather not; that line is not about the packages.
out=$(lintian --tag-display-limit 0 --display-info "$@" 2>&1 | grep -v 'running with root privileges' || true)
printf '%s\n' "$out" | grep -E '^[EW]: ' && { echo "check_lintian: the lines above must be fixed (or overridden with a reason)" >&2; exit 1; }
info=$(printf '%s\n' "$out" | grep -c '^I: ' || true)
echo "lintian: $# packages, 0 errors, 0 warnings ($info informational tags)"
