#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Kiosk start-up, memory and idle CPU, each beside a bare SDL2 + ImGui window (bare_window,
# drawn by the same window code), on this machine, for both renderers: software (the
# default: SDL's CPU renderer) and gpu (SDL's OpenGL renderer; here Mesa's llvmpipe).
# Builds the "bench" preset first.
#   bench/kiosk/run.sh [RUNS]
# 1. wall time of `kiosk --screenshot` of the welcome screen at 1080x1920 (every language's
#    name in its own script), median of RUNS (default 15);
# 2. PSS (/proc/PID/smaps_rollup) of a running kiosk 5 s after start, on the welcome screen,
#    in a window under Xvfb;
# 3. CPU used by an idle kiosk window over 30 s under Xvfb (target: under 1% of one core).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-15}
cmake --preset bench >/dev/null
cmake --build --preset bench -j"$(nproc)" --target kiosk bare_window >/dev/null
KIOSK=build/bench/kiosk/kiosk
BARE=build/bench/bench/kiosk/bare_window
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

median_ms() {  # median wall time in ms of RUNS runs of "$@"
  local times=()
  for _ in $(seq "$RUNS"); do
    local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
echo "start to exit, --screenshot welcome 1080x1920 (median of $RUNS):"
for r in software gpu; do
  echo "  kiosk        $r  $(median_ms "$KIOSK" --renderer $r --screenshot "$tmp/k.png" --screen welcome --size 1080x1920) ms"
  echo "  bare window  $r  $(median_ms "$BARE" --renderer $r --screenshot "$tmp/b.png") ms"
done

pss_kib() {  # PSS of "$@" 5 s after start, in a window under Xvfb
  xvfb-run -a -s "-screen 0 1080x1920x24" bash -c '
    "$@" >/dev/null 2>&1 & pid=$!; sleep 5
    awk "/^Pss:/ {print \$2}" /proc/$pid/smaps_rollup; kill $pid' _ "$@"
}
echo "PSS 5 s after start (window under Xvfb):"
for r in software gpu; do
  echo "  kiosk        $r  $(( $(pss_kib "$KIOSK" --renderer $r --size 1080x1920) / 1024 )) MiB"
  echo "  bare window  $r  $(( $(pss_kib "$BARE" --renderer $r) / 1024 )) MiB"
done

idle_cpu() {  # percent of one core used over 30 s by an idle window
  xvfb-run -a -s "-screen 0 1080x1920x24" bash -c '
    "$@" >/dev/null 2>&1 & pid=$!; sleep 3
    tck=$(getconf CLK_TCK)
    a=$(awk "{print \$14+\$15}" /proc/$pid/stat); sleep 30
    b=$(awk "{print \$14+\$15}" /proc/$pid/stat); kill $pid
    awk -v d=$((b-a)) -v t=$tck "BEGIN {printf \"%.2f\", 100*d/t/30}"' _ "$@"
}
echo "idle CPU over 30 s (window under Xvfb, nobody touching it):"
echo "  kiosk        software  $(idle_cpu "$KIOSK" --size 1080x1920) % of one core"
echo "  bare window  software  $(idle_cpu "$BARE") % of one core"
