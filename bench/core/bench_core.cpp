// SPDX-License-Identifier: GPL-3.0-or-later
// Core benchmarks: evaluating a big check, loading and validating a pack with 20 languages.
#include <benchmark/benchmark.h>

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

// Target: median <= 1 ms for 200 rules over 60 questions.
void BM_Evaluate200Rules60Questions(benchmark::State& state) {
  auto pack = load_or_die(bench::make_big_pack(60, 200, 1));
  core::Answers answers = bench::make_big_answers(*pack);
  core::Date today = core::Date::parse("2026-11-27").value();
  for (auto _ : state) {
    core::CheckResult result = core::evaluate(*pack, "main", answers, today);
    benchmark::DoNotOptimize(result);
  }
  state.counters["rules"] = static_cast<double>(pack->rules.size());
  state.counters["questions"] = static_cast<double>(pack->questions.size());
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

}  // namespace
