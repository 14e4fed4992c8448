#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_environment.sh SOURCE_DIR KIOSK
# Every KIOSK_* variable the kiosk's sources read with getenv (core/ kiosk/ platform/ sync/)
# is named in `kiosk --help`, from which the manual page is made.
set -eu
src=$1 kiosk=$2
help=$(ASAN_OPTIONS=detect_leaks=0 "$kiosk" --help)
vars=$(cd "$src" && grep -rhoE 'getenv\("KIOSK_[A-Z0-9_]+"' core kiosk platform sync |
  sed 's/.*"\(KIOSK_[A-Z0-9_]*\)"/\1/' | sort -u)
[ -n "$vars" ] || { echo "check_environment: found no getenv(\"KIOSK_...\") in $src" >&2; exit 1; }
missing=0
for v in $vars; do
  printf '%s\n' "$help" | grep -qw "$v" || { echo "kiosk --help does not name $v" >&2; missing=1; }
done
[ $missing -eq 0 ] && echo "kiosk --help names all $(echo $vars | wc -w) KIOSK_* variables the sources read"
exit $missing
