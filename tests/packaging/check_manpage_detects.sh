#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_manpage_detects.sh CHECK PROGRAM PAGE.1.gz WORK
# The man page check can fail: a copy of PAGE with every line naming --from removed (a flag
# of `kioskctl counts report`) must make CHECK exit 1 naming that flag and subcommand.
set -eu
check=$1 program=$2 page=$3 work=$4
mkdir -p "$work"
gzip -dc "$page" | grep -v -e '\\-\\-from' >"$work/doctored.1"
if sh "$check" "$program" "$work/doctored.1" 2>"$work/err"; then
  echo "check_manpage.sh passed a page without --from" >&2
  exit 1
fi
grep -q '"kioskctl counts report" option --from is not on the page' "$work/err" ||
  { echo "check_manpage.sh did not name the missing flag:" >&2; cat "$work/err" >&2; exit 1; }
echo "a page missing --from fails: $(cat "$work/err" | head -1)"
