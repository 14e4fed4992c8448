# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by make-manpage.sh and tests/packaging/check_manpage.sh, which read a program's
# CLI11 --help the same way: one parse, so the page and its check cannot disagree about it.

# help_program PROGRAM: sets $name and puts PROGRAM's folder first on PATH, so that it runs
# by its name (its usage lines say "kioskctl", not the build folder's path); a sanitizer
# build must not print leak reports into the help.
help_program() {
  name=$(basename "$1")
  PATH="$(cd "$(dirname "$1")" && pwd):$PATH"
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0"
  export PATH ASAN_OPTIONS
}

# subcommands [SUB...]: the subcommands CLI11 lists in "$name SUB... --help".
subcommands() {
  "$name" "$@" --help | awk '/^Subcommands:/ { on = 1; next }
                             on && /^  [a-z]/ { print $1; next }
                             on && !/^ / { on = 0 }'
}
