#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# N kiosks, one OpenRosa server, a long outage, in simulated time (bench/sync/openrosa_scale.cpp).
# Usage: bench/sync/run_scale.sh [kiosks=1000] [outage hours=24] [hand-offs per kiosk=3]
# Runs both cases: kiosks that stay up, and a power cut that restarts every kiosk at recovery.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/bench-sync
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKIOSK_BUILD_TESTS=OFF \
      -DKIOSK_BUILD_BENCH=ON -DKIOSK_BUILD_UI=OFF >/dev/null
cmake --build "$build" -j2 --target openrosa_scale kiosk_receiver
for cut in 0 1; do
  "$build/bench/sync/openrosa_scale" "${1:-1000}" "${2:-24}" "${3:-3}" "$cut"
  echo
done
