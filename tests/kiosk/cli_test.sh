#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The kiosk's command-line contract: bad input gives ONE line naming the problem and a
# non-zero exit, never a crash (exit codes >= 128 are signals: a crash fails this test).
set -u
KIOSK=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failures=0
expect_error() {  # expect_error "what" "regex the one line must match" args...
  local what=$1 re=$2; shift 2
  "$KIOSK" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  local lines; lines=$(grep -c . "$tmp/err")
  if [ $rc -eq 0 ] || [ $rc -ge 128 ] || [ "$lines" -ne 1 ] || ! grep -Eq -- "$re" "$tmp/err"; then
    echo "FAIL $what: rc=$rc, stderr:"; cat "$tmp/err"; failures=$((failures+1))
  else
    echo "ok   $what: $(cat "$tmp/err")"
  fi
}
expect_error "unknown locale" 'unknown --locale "xx-Klingon"' --locale xx-Klingon --screenshot "$tmp/a.png"
expect_error "missing pack" 'cannot read pack /nonexistent' --pack /nonexistent
mkdir "$tmp/unreadable"; printf 'format: [' >"$tmp/unreadable/pack.yaml"
expect_error "broken pack" 'pack.yaml:[0-9]+:[0-9]+: error' --pack "$tmp/unreadable"
expect_error "unwritable screenshot" 'cannot write /nonexistent-dir/x.png' --screenshot /nonexistent-dir/x.png --screen welcome
expect_error "malformed size" '--size must be WIDTHxHEIGHT' --size 12x --screenshot "$tmp/b.png"
expect_error "size out of range" '--size must be WIDTHxHEIGHT' --size 100000x5 --screenshot "$tmp/b.png"
expect_error "unknown screen" 'unknown screen "nope"' --screenshot "$tmp/c.png" --screen nope
expect_error "impossible today" '--today must be a real date' --today 2026-02-30 --screenshot "$tmp/d.png"
# No display: the interactive kiosk says so in one sentence and how to get screenshots.
env -u DISPLAY -u WAYLAND_DISPLAY SDL_VIDEODRIVER=offscreen "$KIOSK" >"$tmp/out" 2>"$tmp/err"; rc=$?
if [ $rc -eq 0 ] || [ $rc -ge 128 ] || ! grep -q 'no display found.*--screenshot' "$tmp/err"; then
  echo "FAIL no display: rc=$rc"; cat "$tmp/err"; failures=$((failures+1))
else echo "ok   no display: $(cat "$tmp/err")"; fi
# The screen list is stable and starts with welcome.
[ "$("$KIOSK" --list-screens | head -1)" = welcome ] || { echo "FAIL list-screens"; failures=$((failures+1)); }
echo "$failures failed"
[ $failures -eq 0 ]
