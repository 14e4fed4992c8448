#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make-manpage.sh PROGRAM SUMMARY OUT.1
# Writes the manual page of PROGRAM from its own --help and --version with help2man, so the
# page cannot drift from the program. A program with subcommands (CLI11's "Subcommands:"
# list, as kioskctl) gets a COMMANDS section holding every subcommand's --help, depth first,
# under a heading "PROGRAM SUB [SUBSUB]" (tests/packaging/check_manpage.sh relies on that).
set -eu
[ $# -eq 3 ] || { echo "usage: make-manpage.sh PROGRAM SUMMARY OUT.1" >&2; exit 2; }
program=$1 summary=$2 out=$3
. "$(dirname "$0")/cli11-help.sh"
help_program "$program"

include=$(mktemp)
trap 'rm -f "$include"' EXIT

# roff: a backslash is \e, a hyphen \- (so that searching the page for --flag finds it), and
# a line that starts with a dot or a quote is not a request.
roff_escape() {
  sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\([.']\)/\\\\\&\1/"
}
walk() {
  for sub in $(subcommands "$@"); do
    printf '.SS "%s"\n.nf\n' "$name $* $sub" | sed 's/  */ /g'
    "$name" "$@" "$sub" --help | roff_escape
    printf '.fi\n'
    walk "$@" "$sub"
  done
}
set -- --no-info --no-discard-stderr --section=1 --name="$summary" --output="$out"
if [ -n "$(subcommands)" ]; then
  { echo "[COMMANDS]"; walk; } >"$include"
  set -- "$@" --include="$include"
fi
help2man "$@" "$name"
