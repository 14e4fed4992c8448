#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages this project needs, and only those that are missing.
# Idempotent; works as root or through sudo; says what it installs.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev clang-format
  # UI
  libimgui-dev libsdl2-dev libgl-dev libgl1-mesa-dri xvfb xauth
  # text
  libicu-dev libharfbuzz-dev libfreetype-dev libharfbuzz-bin libfribidi-bin fonts-noto-core fonts-noto-cjk
  # data, parsing, crypto, network
  libsqlite3-dev sqlite3 libyaml-cpp-dev libtinyxml2-dev libssl-dev nlohmann-json3-dev libcli11-dev libsodium-dev
  libcurl4-openssl-dev ca-certificates libcpp-httplib-dev nginx-light
  # take-away, speech, printing, deployment
  libqrencode-dev libpng-dev libespeak-ng-dev espeak-ng-data libcups2-dev libcairo2-dev libsystemd-dev
  # opened with dlopen on first use (platform/lazy_library.h), so named here as well as
  # through their -dev packages: the kiosk needs the runtime library, not the link-time one
  libcups2 libcairo2 libespeak-ng1 libcurl4
  # checks of the printing path (pdfinfo) and of the take-away QR code (zbarimg) in tests
  poppler-utils zbar-tools
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # Unicode's own conformance files (BidiCharacterTest.txt, LineBreakTest.txt) for the text tests
  unicode-data
  # packaging: manual pages from --help, the .deb checks, the unit checks of the install test
  help2man lintian dpkg-dev systemd
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm, for the test-only ODK form engine (tests/odk/run.sh): Debian's package only where no npm
# is on the PATH (a NodeSource nodejs brings its own, and Debian's npm would conflict with it).
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed."
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done."
