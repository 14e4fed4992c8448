// SPDX-License-Identifier: GPL-3.0-or-later
// Fast, deterministic "fuzz-lite" that runs with every ctest (the libFuzzer targets in fuzz/
// need clang): the fuzz seeds and thousands of mutations of the mini pack and of rule
// expressions must give diagnostics, never an exception, a crash or a sanitizer report.
#include <gtest/gtest.h>

#include <random>

#include "core/eval.h"
#include "fuzz/fuzz_input.h"
#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

namespace fs = std::filesystem;

fs::path corpus(const char* name) {
  return testing::test_data() / ".." / ".." / "fuzz" / "corpus" / name;
}

void load_and_evaluate(const PackFiles& files) {
  LoadResult r = load_pack(files);
  if (!r.ok()) {
    EXPECT_TRUE(has_error(r.diagnostics));
    return;
  }
  Answers none;
  for (const auto& check : r.pack->check_ids())
    (void)to_json(evaluate(*r.pack, check, none, Date::parse("2026-11-27").value()));
}

TEST(Robustness, FuzzSeedsLoadWithoutCrashing) {
  int seeds = 0;
  for (const auto& e : fs::directory_iterator(corpus("pack"))) {
    std::string bytes = testing::read_text(e.path());
    load_and_evaluate(
        fuzz::split_pack_input(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
    ++seeds;
  }
  EXPECT_GE(seeds, 6);
}

// Random edits of one file of the mini pack: flips, deletions, duplications, truncation.
std::string mutate(std::string s, std::mt19937& rng) {
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits && !s.empty(); ++i) {
    size_t at = rng() % s.size();
    switch (rng() % 5) {
      case 0:
        s[at] = static_cast<char>(rng() % 256);
        break;
      case 1:
        s.erase(at, 1 + rng() % 16);
        break;
      case 2:
        s.insert(at, s.substr(rng() % s.size(), 1 + rng() % 32));
        break;
      case 3:
        s.resize(at);
        break;
      default:
        s.insert(at, 1, "\"'{}[]:-|>#\n\t\\"[rng() % 15]);
        break;
    }
  }
  return s;
}

TEST(Robustness, MutatedPacksNeverCrash) {
  const PackFiles mini = testing::mini_files();
  std::vector<std::string> paths;
  for (const auto& [path, bytes] : mini) paths.push_back(path);
  std::mt19937 rng(42);
  for (int i = 0; i < 400; ++i) {
    PackFiles files = mini;
    std::string& victim = files[paths[rng() % paths.size()]];
    victim = mutate(victim, rng);
    load_and_evaluate(files);
  }
}

TEST(Robustness, MutatedExpressionsNeverCrash) {
  std::vector<std::string> seeds;
  for (const auto& e : fs::directory_iterator(corpus("expr")))
    seeds.push_back(testing::read_text(e.path()));
  ASSERT_FALSE(seeds.empty());
  std::mt19937 rng(7);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = mutate(seeds[rng() % seeds.size()], rng);
    ExprError error;
    auto e = parse_expr(text, &error);
    if (!e) {
      EXPECT_GE(error.offset, 0);
      EXPECT_LE(error.offset, static_cast<int>(text.size()));
      continue;
    }
    ++parsed;
    std::vector<ExprError> errors;
    check_types(
        *e, [](const std::string&) { return std::nullopt; }, errors);
  }
  EXPECT_GT(parsed, 100);
}

}  // namespace
}  // namespace kiosk::core
