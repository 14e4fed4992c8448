#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds every target in the development preset (Debug with
# AddressSanitizer and UndefinedBehaviorSanitizer) and runs every test with ctest.
# Slow tiers (kill -9 soak, long fuzzing, benchmarks) are not part of this: see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# Cache hits across clones in other folders (CI clones afresh): paths relative to here.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$(nproc)"
# Mesa and SDL keep a few allocations alive until exit; those are not our leaks.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# libFuzzer targets (clang), one per parser of outside input (fuzz/CMakeLists.txt): a brief run
# here (at most 15 s each), longer runs with scripts/fuzz.sh MINUTES. Run first, so ctest's
# summary closes the output.
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j"$(nproc)" --target fuzz_all
ctest --test-dir build/fuzz -L fuzz --output-on-failure
ctest --preset dev "$@"
