// SPDX-License-Identifier: GPL-3.0-or-later
// Anonymous counts: a visit adds only marginal cells; a release covers the whole domain, adds
// two-sided geometric noise and withholds small cells; the noise has the distribution the
// privacy bound rests on; and the differencing attack (two consecutive days that differ by one
// visit) that defeats suppression alone does not single the visit out.
#include "core/counts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

const Pack& demo() {
  static auto pack = [] {
    auto files = testing::read_dir_or_fail(std::filesystem::path(KIOSK_SOURCE_DIR) /
                                           "assets/packs/jp-residence");
    return load_pack(files).pack;
  }();
  return *pack;
}

CheckResult check(const std::string& check_id,
                  std::vector<std::pair<std::string, std::string>> rules) {
  CheckResult c;
  c.check_id = check_id;
  for (auto& [id, why] : rules) {
    RuleResult r;
    r.rule_id = id;
    r.why = why;
    c.rules.push_back(r);
  }
  return c;
}

TEST(Counts, AVisitAddsOnlyMarginalCellsOnce) {
  VisitRecord v;
  v.language = "ne";
  v.procedures = {"extension", "address"};
  v.checks = {check("extension", {{"ext-insurance", "condition-true"},
                                  {"ext-window-open", "condition-false"},
                                  {"ext-photo", "unknown-input:photo_ready"}})};
  EXPECT_EQ(visit_cells(v), (std::set<std::string>{"visits", "language:ne", "procedure:extension",
                                                   "procedure:address", "check:extension",
                                                   "held:ext-insurance", "undecided:ext-photo"}));
  DayCounts day;
  add_visit(day, v);
  add_visit(day, v);
  EXPECT_EQ(day["held:ext-insurance"], 2);
  EXPECT_EQ(day.count("held:ext-window-open"), 0u);
  VisitRecord welcome_only;  // left on the welcome screen: not a visit
  EXPECT_TRUE(visit_cells(welcome_only).empty());
}

TEST(Counts, AReleaseCoversTheWholeDomainAndWithholdsSmallCells) {
  DayCounts day = {
      {"visits", 12}, {"language:ne", 9}, {"language:ti", 1}, {"held:ext-insurance", 4}};
  std::mt19937_64 rng(1);
  CountsRelease r = release_counts(day, demo(), "shinjuku-2f", *Date::from_ymd(2026, 12, 3),
                                   {.k = 5, .epsilon = 0}, [&] { return rng(); });
  EXPECT_EQ(r.cells.size(), count_domain(demo()).size()) << "zeros are released too";
  auto find = [&](const std::string& table, const std::string& key) {
    for (const auto& c : r.cells)
      if (c.table == table && c.key == key) return c;
    ADD_FAILURE() << table << ":" << key;
    return ReleasedCell{};
  };
  EXPECT_EQ(find("visits", "all").count, 12);
  EXPECT_EQ(find("language", "ne").count, 9);
  EXPECT_FALSE(find("language", "ti").count) << "1 < k";
  EXPECT_FALSE(find("language", "vi").count) << "0 < k";
  EXPECT_FALSE(find("finding", "ext-insurance").count) << "4 < k";
  EXPECT_EQ(find("finding", "ext-insurance").responsible, "employer");
  std::string error;
  auto back = parse_counts_json(counts_json(r), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->cells.size(), r.cells.size());
  EXPECT_EQ(back->office, "shinjuku-2f");
  EXPECT_EQ(counts_json(*back), counts_json(r));
}

TEST(Counts, NoiseHasTheTwoSidedGeometricDistribution) {
  std::mt19937_64 rng(7);
  const double eps = 0.5, a = std::exp(-eps);
  const int n = 200000;
  std::map<int64_t, int> seen;
  for (int i = 0; i < n; ++i) seen[geometric_noise(eps, [&] { return rng(); })]++;
  // P(x) = (1 - a) / (1 + a) * a^|x|
  for (int x : {-3, -1, 0, 1, 2, 5}) {
    const double want = (1 - a) / (1 + a) * std::pow(a, std::abs(x));
    EXPECT_NEAR(double(seen[x]) / n, want, 0.006) << "x = " << x;
  }
  EXPECT_EQ(geometric_noise(0, [&] { return rng(); }), 0);
}

// The attacker knows every visit of two consecutive days but one, and that the extra visit on
// the second day was by a person speaking Nepali or Vietnamese (equally likely). From the two
// releases it guesses which. Suppression alone gives it away every time when the language is
// common; with the noise, no attacker can be right more often than e^(2 eps) / (1 + e^(2 eps))
// (73% at eps 0.5 per cell: two cells differ), whatever else it knows.
double attack_accuracy(double epsilon, int trials) {
  std::mt19937_64 rng(20261203);
  std::bernoulli_distribution coin(0.5);
  DayCounts day1 = {{"visits", 40}, {"language:ne", 20}, {"language:vi", 12}, {"language:ja", 8}};
  int right = 0;
  for (int t = 0; t < trials; ++t) {
    const bool nepali = coin(rng);
    DayCounts day2 = day1;
    VisitRecord x;
    x.language = nepali ? "ne" : "vi";
    add_visit(day2, x);
    auto rand = [&] { return rng(); };
    const Date d = *Date::from_ymd(2026, 12, 3);
    CountsRelease a = release_counts(day1, demo(), "o", d, {.k = 5, .epsilon = epsilon}, rand);
    CountsRelease b = release_counts(day2, demo(), "o", d, {.k = 5, .epsilon = epsilon}, rand);
    auto count = [](const CountsRelease& r, const std::string& key) {
      for (const auto& c : r.cells)
        if (c.table == "language" && c.key == key) return c.count.value_or(2);
      return int64_t{0};
    };
    const int64_t rise_ne = count(b, "ne") - count(a, "ne");
    const int64_t rise_vi = count(b, "vi") - count(a, "vi");
    const bool guess_nepali = rise_ne != rise_vi ? rise_ne > rise_vi : coin(rng);
    right += guess_nepali == nepali;
  }
  return double(right) / trials;
}

TEST(Counts, OneVisitCannotBeSingledOutFromTwoConsecutiveDays) {
  EXPECT_EQ(attack_accuracy(/*epsilon=*/0, 400), 1.0) << "suppression alone: always right";
  const double bound = std::exp(2 * 0.5) / (1 + std::exp(2 * 0.5));
  const double accuracy = attack_accuracy(/*epsilon=*/0.5, 2000);
  std::cout << "[ attack ] right " << accuracy * 100 << "% of the time (bound " << bound * 100
            << "%, chance 50%)\n";
  EXPECT_LE(accuracy, bound + 0.02) << "the privacy bound (0.731) plus sampling slack";
  EXPECT_GE(accuracy, 0.5 - 0.03) << "a sane attacker still does no worse than chance";
}

// What withholding costs, and what k 0 buys: over 30 days, a finding held about twice a day
// loses about 40% of its count to withheld days at k 5, and a finding that never held gains
// about 10 from noise that reached k; without withholding the sums are right on average.
TEST(Counts, WithholdingBiasesMonthlySumsAndNoWithholdingDoesNot) {
  std::mt19937_64 rng(5);
  std::poisson_distribution<int> twice_a_day(2.0);
  auto month_sum = [&](int k, bool never) {
    double sum = 0, truth = 0;
    const int trials = 60;
    for (int t = 0; t < trials; ++t)
      for (int d = 0; d < 30; ++d) {
        const int64_t n = never ? 0 : twice_a_day(rng);
        DayCounts day = {{"held:ext-insurance", n}};
        CountsRelease r = release_counts(day, demo(), "o", *Date::from_ymd(2026, 11, 1),
                                         {.k = k, .epsilon = 0.5}, [&] { return rng(); });
        for (const auto& c : r.cells)
          if (c.table == "finding" && c.key == "ext-insurance") sum += c.count.value_or(0);
        truth += n;
      }
    return std::pair{sum / trials, truth / trials};
  };
  auto [k5, truth] = month_sum(5, false);
  EXPECT_LT(k5, 0.7 * truth) << "withheld days";
  auto [k0, truth0] = month_sum(0, false);
  EXPECT_NEAR(k0, truth0, 6.0) << "unbiased without withholding (3 sd of the mean)";
  EXPECT_GT(month_sum(5, true).first, 5.0) << "noise lifts a zero to k now and then";
  EXPECT_NEAR(month_sum(0, true).first, 0.0, 6.0);
}

TEST(Counts, MalformedReleasesAreRefusedWithTheField) {
  std::string error;
  EXPECT_FALSE(parse_counts_json("{", &error));
  EXPECT_EQ(error, "not a JSON object");
  EXPECT_FALSE(parse_counts_json(R"({"kind":"handoff"})", &error));
  EXPECT_EQ(error, "kind: not \"counts\"");
  // A field of another type (found by fuzz_items: it threw out of the reader).
  EXPECT_FALSE(
      parse_counts_json(R"({"kind":"counts","version":1,"day":[1],"office":"o"})", &error));
  EXPECT_EQ(error, "day: not a date (YYYY-MM-DD)");
  EXPECT_FALSE(parse_counts_json(
      R"({"kind":"counts","version":1,"office":"o","day":"2026-12-03","pack":{"id":"p","version":"1"},"k":5,"epsilon":0.5,"cells":[{"table":"language","key":"ne","count":"many"}]})",
      &error));
  EXPECT_EQ(error, "cells[0].count: not a whole number");
}

}  // namespace
}  // namespace kiosk::core
