#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds an optimised kiosk-receiver and measures items/s for N small items (default 10,000)
# over 1 and 8 connections (bench/sync/receiver_items.py).
# Usage: bench/sync/receiver_run.sh [items=10000] [build dir=build/bench-sync]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$root/build/bench-sync}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKIOSK_BUILD_TESTS=OFF \
      -DKIOSK_BUILD_BENCH=ON -DKIOSK_BUILD_UI=OFF >/dev/null
cmake --build "$build" -j2 --target kiosk_receiver
python3 "$root/bench/sync/receiver_items.py" "$build/tools/receiver/kiosk-receiver" "${1:-10000}" 1 8
