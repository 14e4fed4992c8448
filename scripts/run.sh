#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds the kiosk (release preset) and runs it on the embedded
# demo pack. Extra arguments go to the kiosk, e.g. ./scripts/run.sh --locale ne --size 1080x1920
# Without a display it says so and renders screenshots instead.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake --preset release >/dev/null
cmake --build --preset release --target kiosk -j"$(nproc)"
KIOSK=build/release/kiosk/kiosk
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display here, so the kiosk cannot open a window; rendering its screens to ./screenshots/ instead (open the PNG files to see them)."
  mkdir -p screenshots
  for screen in $("$KIOSK" --list-screens); do
    "$KIOSK" --screenshot "screenshots/$screen.png" --screen "$screen" "$@"
  done
  ls screenshots/*.png
  exit 0
fi
exec "$KIOSK" "$@"
