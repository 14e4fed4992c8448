// SPDX-License-Identifier: GPL-3.0-or-later
// Core benchmarks: evaluating a big check, loading and validating a pack with 20 languages,
// and the same at 1x, 3x and 10x the demo pack's size (bench/core/big_pack.h).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdio>

#include "bench/core/big_pack.h"
#include "core/eval.h"

namespace {

using namespace kiosk;

std::shared_ptr<const core::Pack> load_or_die(const core::PackFiles& files) {
  core::LoadResult r = core::load_pack(files);
  if (!r.ok()) {
    for (const auto& d : r.diagnostics)
      std::fprintf(stderr, "%s\n", core::format_diagnostic(d).c_str());
    std::abort();  // the generator is wrong: a programmer error, not user input
  }
  return r.pack;
}

// Evaluates the check "main" of `pack` (every rule of a generated pack) on its answers.
void evaluate_main_check(benchmark::State& state, const core::Pack& pack) {
  core::Answers answers = bench::make_big_answers(pack);
  core::Date today = core::Date::parse("2026-11-27").value();
  for (auto _ : state) {
    core::CheckResult result = core::evaluate(pack, "main", answers, today);
    benchmark::DoNotOptimize(result);
  }
  state.counters["rules"] = static_cast<double>(pack.rules.size());
  state.counters["questions"] = static_cast<double>(pack.questions.size());
}

// Target: median <= 1 ms for 200 rules over 60 questions.
void BM_Evaluate200Rules60Questions(benchmark::State& state) {
  evaluate_main_check(state, *load_or_die(bench::make_big_pack(60, 200, 1)));
}
BENCHMARK(BM_Evaluate200Rules60Questions)->Unit(benchmark::kMicrosecond);

// Evaluation plus the deterministic JSON, as `kioskctl check --json` does.
void BM_Evaluate200RulesToJson(benchmark::State& state) {
  auto pack = load_or_die(bench::make_big_pack(60, 200, 1));
  core::Answers answers = bench::make_big_answers(*pack);
  core::Date today = core::Date::parse("2026-11-27").value();
  for (auto _ : state)
    benchmark::DoNotOptimize(core::to_json(core::evaluate(*pack, "main", answers, today)));
}
BENCHMARK(BM_Evaluate200RulesToJson)->Unit(benchmark::kMicrosecond);

// Target: <= 200 ms to parse and validate a pack with 20 languages.
void BM_LoadPack20Languages(benchmark::State& state) {
  core::PackFiles files = bench::make_big_pack(60, 200, 20);
  size_t bytes = 0;
  for (const auto& [path, text] : files) bytes += text.size();
  for (auto _ : state) {
    core::LoadResult r = core::load_pack(files);
    if (!r.ok()) state.SkipWithError("generated pack has errors");
    benchmark::DoNotOptimize(r);
  }
  state.counters["files"] = static_cast<double>(files.size());
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_LoadPack20Languages)->Unit(benchmark::kMillisecond);

// ---- At scale: 1x, 3x, 10x the demo pack (10x: 70 procedures, 300 questions, 500 rules,
// 40 languages). The argument is the scale.

// Target: the largest check (every rule of the pack) evaluated in at most 1 ms at 10x.
void BM_AtScaleEvaluateLargestCheck(benchmark::State& state) {
  evaluate_main_check(state, *load_or_die(bench::make_pack_at(static_cast<int>(state.range(0)))));
}
BENCHMARK(BM_AtScaleEvaluateLargestCheck)->Arg(1)->Arg(3)->Arg(10)->Unit(benchmark::kMicrosecond);

// Heap in use (malloc's count of allocated bytes), for what a loaded pack holds.
double heap_mib() {
  return static_cast<double>(mallinfo2().uordblks) / (1024.0 * 1024.0);
}

// The load at a kiosk's start (what ui::Content::load does: messages not compiled, only the
// base language parsed), and the heap the loaded pack holds (heap_MiB; demo pack: below).
void BM_AtScaleLoadAsKiosk(benchmark::State& state) {
  const core::PackFiles files = bench::make_pack_at(static_cast<int>(state.range(0)));
  const core::LoadOptions kiosk{.check_messages = false, .defer_catalogues = true};
  double held = 0;
  for (auto _ : state) {
    const double before = heap_mib();
    core::LoadResult r = core::load_pack(files, KIOSK_APP_VERSION, kiosk);
    if (!r.ok()) state.SkipWithError("generated pack has errors");
    held = heap_mib() - before;
    benchmark::DoNotOptimize(r);
  }
  size_t bytes = 0;
  for (const auto& [path, text] : files) bytes += text.size();
  state.counters["heap_MiB"] = held;
  state.counters["pack_MiB"] = static_cast<double>(bytes) / (1024.0 * 1024.0);
}
BENCHMARK(BM_AtScaleLoadAsKiosk)->Arg(1)->Arg(3)->Arg(10)->Unit(benchmark::kMillisecond);

// The full check of `kioskctl pack check` and of sync's install: every message of every
// language compiled with ICU.
void BM_AtScaleLoadChecked(benchmark::State& state) {
  const core::PackFiles files = bench::make_pack_at(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    core::LoadResult r = core::load_pack(files);
    if (!r.ok()) state.SkipWithError("generated pack has errors");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_AtScaleLoadChecked)->Arg(1)->Arg(3)->Arg(10)->Unit(benchmark::kMillisecond);

// The demo pack loaded as the kiosk loads it: the baseline of heap_MiB above.
void BM_DemoPackLoadAsKiosk(benchmark::State& state) {
  std::string error;
  auto files = core::read_pack_dir(KIOSK_SOURCE_DIR "/assets/packs/jp-residence", &error);
  if (!files) return state.SkipWithError(error.c_str());
  const core::LoadOptions kiosk{.check_messages = false, .defer_catalogues = true};
  double held = 0;
  for (auto _ : state) {
    const double before = heap_mib();
    core::LoadResult r = core::load_pack(*files, KIOSK_APP_VERSION, kiosk);
    if (!r.ok()) state.SkipWithError("the demo pack has errors");
    held = heap_mib() - before;
    benchmark::DoNotOptimize(r);
  }
  state.counters["heap_MiB"] = held;
}
BENCHMARK(BM_DemoPackLoadAsKiosk)->Unit(benchmark::kMillisecond);

}  // namespace
