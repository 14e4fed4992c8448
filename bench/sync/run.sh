#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the sync benchmark in an optimised build folder and runs it.
# Usage: bench/sync/run.sh [items=10000] [megabytes=50] [build dir=build/bench-sync]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${3:-$root/build/bench-sync}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKIOSK_BUILD_TESTS=OFF \
      -DKIOSK_BUILD_BENCH=ON -DKIOSK_BUILD_UI=OFF >/dev/null
cmake --build "$build" -j2 --target sync_bench kiosk_receiver
"$build/bench/sync/sync_bench" "${1:-10000}" "${2:-50}"
