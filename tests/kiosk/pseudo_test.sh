#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Pseudo-locales (issue 4.5): en-XA (accented, ~40% longer) and ar-XB (right-to-left) on
# every screen in the three layouts. Text that overflows or is cut off fails the test.
set -u
KIOSK=$1 OUT=$2
rm -rf "$OUT"; mkdir -p "$OUT"
failures=0
for size in 1080x1920 1920x1080 390x844; do
  "$KIOSK" --gallery "$OUT" --locales en-XA,ar-XB --size "$size" --check-layout \
    || { echo "FAIL: pseudo-locales at $size"; failures=$((failures+1)); }
done
[ $failures -eq 0 ]
