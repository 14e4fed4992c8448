#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every screen renders in every language of the demo pack in the portrait kiosk layout and,
# at the largest text size, on the phone; left-to-right, right-to-left and complex-script
# languages in the landscape and phone layouts; with a persona's answers so the result screen
# has findings. Any text that is cut off or overflows fails the test (--check-layout). PNGs of a review set stay in the build
# tree (the rest is checked without writing files, to keep the test fast).
set -u
KIOSK=$1 OUT=$2 DATA=$3
rm -rf "$OUT"; mkdir -p "$OUT"
PERSONA=$DATA/personas/03-employer-never-enrolled.json
failures=0
run() {
  if ! "$KIOSK" --gallery "$OUT" --answers "$PERSONA" --check-layout "$@" 2>"$OUT/stderr.log"; then
    echo "FAIL: kiosk --gallery $*"; grep -v '^<' "$OUT/stderr.log"; failures=$((failures+1))
  fi
}
run --size 1080x1920 --no-png
run --size 1080x1920 --locales en,ja-x-easy,ne,my,ar,ur,km,si
run --size 1920x1080 --no-png --locales en,ja,ne,my,km,ar,ur,fa,si,th,ta,ti
run --size 1920x1080 --locales ar,ne --screens welcome,guide,interview,result
run --size 390x844 --no-png --locales en,ja-x-easy,ne,my,ar,ur,vi,km,mn,uk
run --size 390x844 --locales ar,my --screens welcome,guide,interview,result
# The largest text size (A++) where space is tightest: every language on the phone, a
# review set kept as PNGs, and the portrait kiosk in long-word and complex-script languages.
run --size 390x844 --no-png --text-size 2
run --size 390x844 --text-size 2 --locales uk,ta --screens interview,result
run --size 1080x1920 --no-png --text-size 2 --locales en,uk,ta,my,km,si,ar,ur,vi
count=$(ls "$OUT"/*.png | wc -l)
echo "$count screenshots kept for review in $OUT"
[ "$count" -ge 70 ] || { echo "FAIL: expected at least 70 screenshots"; failures=$((failures+1)); }
# A PNG of a rendered screen is never tiny (a blank frame compresses to almost nothing).
small=$(find "$OUT" -name '*.png' -size -8k | head -3)
[ -z "$small" ] || { echo "FAIL: suspiciously small (blank?) screenshots: $small"; failures=$((failures+1)); }
[ $failures -eq 0 ]
