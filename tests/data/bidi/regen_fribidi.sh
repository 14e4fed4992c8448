#!/usr/bin/env bash
# Regenerates fribidi.tsv, the second, independent bidi reference: GNU FriBidi's own command
# line tool (Debian package libfribidi-bin) run once by hand on every case of cases.tsv.
#
#   tests/data/bidi/regen_fribidi.sh
#
# For each case it runs `fribidi --novisual --vtol` on the "ICU reference input" column (the
# text, with [[ ]] turned into LRI U+2066 / PDI U+2069 where the engine keeps digit groups
# left to right), with the engine's paragraph direction: forced right to left for
# Arabic/Persian/Urdu, first strong character else right to left on mirrored screens
# (--wrtl), FriBidi's default (first strong character, else left to right) otherwise.
# It writes id<TAB>visual-to-logical code point indices. The test drops
# the LRI/PDI positions and compares the order with the engine's visual order.
set -euo pipefail
cd "$(dirname "$0")"
command -v fribidi >/dev/null || { echo "regen_fribidi.sh: fribidi missing (apt install libfribidi-bin)" >&2; exit 1; }
{
  echo "# Made by regen_fribidi.sh with $(dpkg-query -W -f='libfribidi-bin ${Version}' libfribidi-bin 2>/dev/null || echo fribidi): id<TAB>visual-to-logical indices"
  while IFS=$'\t' read -r id lang rtl text reference expected; do
    [[ -z "$id" || "$id" == \#* ]] && continue
    [[ "$reference" == "=" ]] && reference="$text"
    input="${reference//\[\[/$'\u2066'}"
    input="${input//\]\]/$'\u2069'}"
    base=()
    if [[ "$lang" =~ ^(ar|fa|ur)($|-) ]]; then base=(--rtl); elif [[ "$rtl" == 1 ]]; then base=(--wrtl); fi
    order=$(printf '%s\n' "$input" | fribidi --novisual --vtol --nobreak "${base[@]}")
    printf '%s\t%s\n' "$id" "${order% }"
  done < cases.tsv
} > fribidi.tsv
echo "regen_fribidi.sh: wrote fribidi.tsv ($(grep -vc '^#' fribidi.tsv) cases)"
