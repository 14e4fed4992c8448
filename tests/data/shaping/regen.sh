#!/usr/bin/env bash
# Regenerates the shaping reference fixtures <id>.json from corpus.tsv with HarfBuzz's own
# hb-shape (Debian package libharfbuzz-bin), run once by hand; the test only reads the JSON.
#
#   tests/data/shaping/regen.sh [font_root]      (font_root defaults to /usr/share/fonts)
#
# hb-shape picks script and direction itself (from the text); the language is given
# explicitly because hb-shape would otherwise take it from $LANG. Positions are in font
# units (hb-shape's default scale = units per em), clusters UTF-8 byte offsets (--utf8-clusters,
# as in kiosk::text::PositionedGlyph::cluster). Fails if a glyph is .notdef (gid 0),
# i.e. if the corpus names a font that does not cover its text.
set -euo pipefail
cd "$(dirname "$0")"
font_root="${1:-/usr/share/fonts}"
command -v hb-shape >/dev/null || { echo "regen.sh: hb-shape missing (apt install libharfbuzz-bin)" >&2; exit 1; }
echo "regen.sh: $(hb-shape --version | head -1)"
while IFS=$'\t' read -r id lang bold font index text; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  out="$id.json"
  hb-shape --output-format=json --no-glyph-names --utf8-clusters --language="$lang" --face-index="$index" \
    "$font_root/$font" "$text" > "$out"
  if grep -q '"g":0,' "$out"; then
    echo "regen.sh: $id: .notdef in $font for: $text" >&2
    exit 1
  fi
  echo "regen.sh: wrote $out ($(grep -o '"g"' "$out" | wc -l) glyphs)"
done < corpus.tsv
