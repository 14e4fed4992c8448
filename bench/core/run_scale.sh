#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The kiosk on packs of 1x, 3x and 10x the demo pack's size (bench/core/big_pack.h; 10x:
# 70 procedures, 300 questions, 500 rules, 40 languages), beside the demo pack itself.
# Builds the "bench" preset's kiosk and big_pack_gen first.
#   bench/core/run_scale.sh [RUNS]
# For each pack: start to first frame (wall time of `kiosk --pack DIR --screenshot` of the
# welcome screen at 1080x1920, which lists every language; pack loaded and validated,
# fonts, one frame drawn and written, exit; median of RUNS, default 11), and the peak
# resident memory of that run (GNU time's maximum RSS), with its growth over the demo pack.
# Targets at 10x: at most 0.15 s, at most 20 MiB over the demo pack.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-11}
cmake --preset bench >/dev/null
cmake --build --preset bench --target kiosk big_pack_gen >/dev/null
KIOSK=build/bench/kiosk/kiosk
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for s in 1 3 10; do build/bench/bench/core/big_pack_gen $s "$tmp/pack-${s}x"; done

shot() { "$KIOSK" --pack "$1" --screenshot "$tmp/w.png" --screen welcome --size 1080x1920; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
start_ms() {
  shot "$1" >/dev/null 2>&1  # page cache warm, as on every start but the first after boot
  for _ in $(seq "$RUNS"); do
    local t0 t1; t0=$(date +%s%N); shot "$1" >/dev/null 2>&1; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
  done | median
}
peak_kib() {
  for _ in $(seq 3); do
    /usr/bin/time -f %M -o "$tmp/rss" bash -c 'exec "$@" >/dev/null 2>&1' _ \
      "$KIOSK" --pack "$1" --screenshot "$tmp/w.png" --screen welcome --size 1080x1920
    cat "$tmp/rss"
  done | median
}
demo_rss=$(peak_kib assets/packs/jp-residence)
echo "kiosk --pack DIR --screenshot welcome 1080x1920, software renderer:"
printf '  %-10s %6s  %s\n' pack "start" "peak RSS (growth over the demo pack)"
printf '  %-10s %4s ms  %d MiB\n' demo "$(start_ms assets/packs/jp-residence)" $((demo_rss / 1024))
for s in 1 3 10; do
  rss=$(peak_kib "$tmp/pack-${s}x")
  awk -v s="${s}x" -v t="$(start_ms "$tmp/pack-${s}x")" -v r="$rss" -v d="$demo_rss" \
    'BEGIN {printf "  %-10s %4s ms  %d MiB (%+.1f MiB)\n", s, t, r/1024, (r-d)/1024}'
done
