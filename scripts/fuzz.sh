#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every libFuzzer target (fuzz/) in turn for MINUTES minutes each (default 10), one at a
# time (the machine is shared), and prints a table: runs, execs/s, edges covered (cov),
# features (ft), corpus size, and whether it ended clean. New inputs go to
# build/fuzz/fuzz/corpus-NAME (seeds in fuzz/corpus/NAME are read, never changed); a crash,
# leak or timeout leaves its reproducer in build/fuzz/fuzz/artifacts/ and fails the script.
#   scripts/fuzz.sh 10            every target, 10 minutes each
#   scripts/fuzz.sh 2 po wav      only these targets
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
shift || true
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_all
bin=build/fuzz/fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.cpp; do n=$(basename "$f" .cpp); targets+=("${n#fuzz_}"); done
fi
mkdir -p "$bin/artifacts" "$bin/logs"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
printf '%-14s %8s %10s %8s %8s %8s %6s  %s\n' target seconds runs execs/s cov ft corpus result
for name in "${targets[@]}"; do
  mkdir -p "$bin/corpus-$name"
  log="$bin/logs/$name.log"
  started=$(date +%s)
  set +e
  "$bin/fuzz_$name" -max_total_time=$((minutes * 60)) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$bin/artifacts/$name-" \
    "$bin/corpus-$name" "fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  set -e
  secs=$(($(date +%s) - started))
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  result=clean
  if [ $rc -ne 0 ]; then result="FAILED (exit $rc, see $log)"; status=1; fi
  printf '%-14s %8s %10s %8s %8s %8s %6s  %s\n' "$name" "${secs:-?}" "${runs:-?}" "${rate:-?}" \
    "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
exit $status
