#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# check_manpage.sh PROGRAM PAGE.1[.gz]
# Fails (exit 1, naming it) when an option of PROGRAM or of one of its subcommands, as its
# --help lists it now, is missing from the manual page, under that subcommand's heading
# (platform/deploy/man/make-manpage.sh writes them), or when a subcommand has no heading.
set -eu
program=$1 page=$2
# help_program and subcommands: the same reading of --help as make-manpage.sh.
. "$(dirname "$0")/../../platform/deploy/man/cli11-help.sh"
help_program "$program"

text=$(mktemp)
trap 'rm -f "$text"' EXIT
# The page's text with roff's escapes and font changes undone: \- is -, \e is \.
case $page in
  *.gz) gzip -dc "$page" ;;
  *) cat "$page" ;;
esac | sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\e/\\/g' -e 's/\\&//g' >"$text"

# The options of "$name $*": every -x and --long at the start of an option line.
options() {
  "$name" "$@" --help | awk '/^(Options|Positionals):/ { on = 1; next }
                             on && !/^ / { on = 0 }
                             on && /^  -/ { print $1 }' | tr ',' '\n' | sed 's/[=: ].*//' |
    grep -E '^--?[A-Za-z0-9]' | sort -u
}
# The part of the page about "$name $*": before the first subcommand heading for the
# program itself, else from its heading to the next one.
section() {
  if [ $# -eq 0 ]; then
    awk '/^\.SS / { exit } { print }' "$text"
  else
    heading=".SS \"$name $*\""
    awk -v h="$heading" '$0 == h { on = 1; next } on && /^\.S[SH] / { exit } on { print }' "$text"
  fi
}
missing=0
check() {
  body=$(section "$@")
  if [ -z "$body" ]; then
    echo "$page: no section for \"$name $*\"" >&2
    missing=1
    return
  fi
  for opt in $(options "$@"); do
    if ! printf '%s\n' "$body" | grep -q -e "$opt\([^A-Za-z0-9-]\|$\)"; then
      echo "$page: \"$name${*:+ $*}\" option $opt is not on the page" >&2
      missing=1
    fi
  done
  for sub in $(subcommands "$@"); do
    check "$@" "$sub"
  done
}
check
[ $missing -eq 0 ] && echo "$page: every option of $name and its subcommands is on the page"
exit $missing
