#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The take-away QR code as a phone would read it: the rendered screen is scanned with zbarimg
# (package zbar-tools) in every layout, and the decoded text is the checklist in the user's
# language with the official Japanese name of the procedure beside its title.
#   qr_test.sh KIOSK PERSONA OUT_DIR
set -u
KIOSK=$1 PERSONA=$2 OUT=$3
mkdir -p "$OUT"
failures=0
check() {  # check LANG SIZE EXPECTED_FIRST_LINE
  local png="$OUT/takeaway-$1-$2.png"
  "$KIOSK" --screenshot "$png" --screen takeaway --locale "$1" --size "$2" --answers "$PERSONA" \
    2>/dev/null || { echo "FAIL: $1 $2: no screenshot"; failures=$((failures+1)); return; }
  local text
  text=$(zbarimg --raw -q "$png" 2>/dev/null)
  local first
  first=$(printf '%s\n' "$text" | head -1)
  if [ "$first" != "$3" ]; then
    echo "FAIL: $1 $2: the code reads \"$first\", expected \"$3\""; failures=$((failures+1))
  elif [ "$(printf '%s\n' "$text" | wc -l)" -lt 4 ]; then
    echo "FAIL: $1 $2: the code holds only: $text"; failures=$((failures+1))
  fi
}
for size in 1080x1920 1920x1080 390x844; do
  check en "$size" "Extend your period of stay / 在留期間更新許可申請"
  check ar "$size" "تمديد مدة الإقامة / 在留期間更新許可申請"
  check my "$size" "နေထိုင်ခွင့်သက်တမ်း တိုးခြင်း / 在留期間更新許可申請"
  check ja-x-easy "$size" "ビザの きかんを のばす / 在留期間更新許可申請"
done
[ $failures -eq 0 ] && echo "12 take-away codes decoded"
[ $failures -eq 0 ]
