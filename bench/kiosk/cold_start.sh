#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Cold start: time to first frame with nothing in the page cache, and what dominates it.
# Needs root (it writes /proc/sys/vm/drop_caches; without it, says so and stops). Builds the
# "bench" preset's kiosk first.
#   bench/kiosk/cold_start.sh [RUNS]
# Time to first frame is the wall time of `kiosk --screenshot` of the welcome screen at
# 1080x1920 (start, pack, fonts, window, one frame drawn and written as PNG, exit), median of
# RUNS (default 5):
#   warm:  caches as they are after a run;
#   cold:  after `sync; echo 3 > /proc/sys/vm/drop_caches`;
#   only X cold: caches dropped, then every file the kiosk opens read back into the page
#          cache (cat > /dev/null, not timed) but those of X, so "only X cold" - warm is what
#          reading X costs;
# X is each group of the files the kiosk opens (from strace of a warm run): its program and
# shared libraries, ICU's data library, the fonts, everything else. On a machine shared with
# other work (their reads are dropped too) expect tens of ms of noise: the "other" group
# (two small files) shows how much.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
if ! { echo 1 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
  echo "cold_start: cannot drop the page cache here (needs root and a writable /proc/sys);"
  echo "measure the first start after installing instead."
  exit 1
fi
cmake --preset bench >/dev/null
cmake --build --preset bench --target kiosk >/dev/null
KIOSK=$PWD/build/bench/kiosk/kiosk
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
run() { "$KIOSK" --screenshot "$tmp/w.png" --screen welcome --size 1080x1920 >/dev/null 2>&1; }

# The files a start opens, in groups.
strace -f -qq -e trace=openat,open -o "$tmp/trace" "$KIOSK" --screenshot "$tmp/w.png" \
  --screen welcome --size 1080x1920 >/dev/null 2>&1
sed -n 's/.*open[a-z]*([^"]*"\([^"]*\)".*= [0-9][0-9]* *$/\1/p' "$tmp/trace" | sort -u |
  while read -r f; do [ -f "$f" ] && readlink -f "$f"; done | sort -u > "$tmp/files"
{ echo "$KIOSK"; ldd "$KIOSK" | awk '/=> \// {print $3}' | xargs -r readlink -f; } |
  sort -u > "$tmp/libs.all"
grep -F -x -f "$tmp/libs.all" "$tmp/files" | grep -v libicudata > "$tmp/g.program" || true
echo "$KIOSK" >> "$tmp/g.program"
grep libicudata "$tmp/files" > "$tmp/g.icu" || ldd "$KIOSK" | awk '/libicudata/ {print $3}' |
  xargs -r readlink -f > "$tmp/g.icu"
grep -E '\.(ttf|otf|ttc)$' "$tmp/files" > "$tmp/g.fonts" || true
cat "$tmp/g.program" "$tmp/g.icu" "$tmp/g.fonts" | sort -u > "$tmp/g.known"
grep -v -F -x -f "$tmp/g.known" "$tmp/files" > "$tmp/g.other" || true

mb() { xargs -r du -cb < "$1" 2>/dev/null | tail -1 | awk '{printf "%.1f", $1/1048576}'; }
ms_of() { local t0 t1; t0=$(date +%s%N); run; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
timed() {  # timed GROUP: median of RUNS cold runs, all files but GROUP's read back first
  for _ in $(seq "$RUNS"); do
    drop
    if [ -n "$1" ]; then
      for g in program icu fonts other; do
        [ "$g" = "$1" ] || xargs -r cat < "$tmp/g.$g" > /dev/null
      done
    fi
    ms_of
  done | median
}

run
warm=$(for _ in $(seq "$RUNS"); do ms_of; done | median)
cold=$(timed "")
echo "time to first frame, kiosk --screenshot welcome 1080x1920, software renderer (median of $RUNS):"
echo "  warm                      $warm ms"
echo "  cold (page cache dropped) $cold ms"
for g in program icu fonts other; do
  n=$(wc -l < "$tmp/g.$g")
  t=$(timed $g)
  printf '  only %-8s cold        %s ms: reading them costs %s ms (%s files, %s MiB)\n' \
    "$g" "$t" $((t - warm)) "$n" "$(mb "$tmp/g.$g")"
done
