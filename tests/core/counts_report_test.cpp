// SPDX-License-Identifier: GPL-3.0-or-later
// The agency's sums over released counts: withheld day-cells add 0 and are counted apart,
// shares are of the finding's own check, the noise margin is the one the release mechanism
// really has (checked against draws of the noise itself), and findings come most frequent first.
#include "core/counts_report.h"

#include <gtest/gtest.h>

#include <cmath>
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

// An exact release (epsilon 0) of one day: cells below k withheld, as a kiosk does it.
CountsRelease exact_day(const std::string& office, int day, const DayCounts& counts) {
  std::mt19937_64 rng(1);
  return release_counts(counts, demo(), office, *Date::from_ymd(2026, 11, day),
                        {.k = 5, .epsilon = 0}, [&] { return rng(); });
}

const FindingSum& finding(const CountsSummary& s, const std::string& rule) {
  for (const auto& f : s.findings)
    if (f.held.key == rule) return f;
  static FindingSum none;
  ADD_FAILURE() << "no finding " << rule;
  return none;
}

TEST(CountsReport, WithheldDayCellsAddNothingAndAreCountedApart) {
  std::vector<CountsRelease> days = {
      exact_day("shinjuku", 1,
                {{"visits", 40},
                 {"check:extension", 25},
                 {"held:ext-insurance", 8},
                 {"held:ext-photo", 3}}),
      exact_day("shinjuku", 2,
                {{"visits", 30},
                 {"check:extension", 20},
                 {"held:ext-insurance", 10},
                 {"held:ext-photo", 6}}),
  };
  const CountsSummary s = summarize_counts(days, &demo());
  EXPECT_EQ(s.releases, 2);
  EXPECT_EQ(s.days, 2);
  EXPECT_EQ(s.visits.count, 70);
  const FindingSum& insurance = finding(s, "ext-insurance");
  EXPECT_EQ(insurance.held.count, 18);
  EXPECT_EQ(insurance.held.withheld_days, 0);
  EXPECT_EQ(insurance.check_id, "extension");
  EXPECT_EQ(insurance.checks.count, 45);
  ASSERT_TRUE(insurance.share);
  EXPECT_DOUBLE_EQ(insurance.share->value, 18.0 / 45);
  EXPECT_EQ(insurance.share->margin95, 0) << "epsilon 0: no noise";
  EXPECT_EQ(insurance.responsible, "employer");
  const FindingSum& photo = finding(s, "ext-photo");
  EXPECT_EQ(photo.held.count, 6) << "the 3 of day 1 was withheld (below k = 5)";
  EXPECT_EQ(photo.held.withheld_days, 1);
  EXPECT_EQ(photo.held.released_days, 1);
  EXPECT_EQ(s.findings.front().held.key, "ext-insurance") << "40% before 13%";
}

TEST(CountsReport, TheMarginIsTheNoiseOfTheReleasedDayCells) {
  // The variance formula against the mechanism itself.
  std::mt19937_64 rng(3);
  for (double eps : {0.25, 0.5, 1.0}) {
    double sum = 0, sum2 = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
      const double x = static_cast<double>(geometric_noise(eps, [&] { return rng(); }));
      sum += x;
      sum2 += x * x;
    }
    const double variance = sum2 / n - (sum / n) * (sum / n);
    EXPECT_NEAR(variance / noise_variance(eps), 1.0, 0.03) << "epsilon " << eps;
  }
  EXPECT_EQ(noise_variance(0), 0);

  std::vector<CountsRelease> days;
  for (int d = 1; d <= 3; ++d) {
    days.push_back(exact_day("o", d, {{"visits", 50}, {"held:ext-insurance", 20}}));
    days.back().epsilon = d == 3 ? 1.0 : 0.5;  // as if the kiosks had said so
  }
  days[2].cells[0].count = std::nullopt;  // a withheld visits cell carries no noise
  const CountsSummary s = summarize_counts(days, nullptr);
  const double want = 1.96 * std::sqrt(2 * noise_variance(0.5) + noise_variance(1.0));
  EXPECT_NEAR(finding(s, "ext-insurance").held.margin95(), want, 1e-9);
  EXPECT_NEAR(s.visits.margin95(), 1.96 * std::sqrt(2 * noise_variance(0.5)), 1e-9);
}

TEST(CountsReport, AShareMarginAddsTheChecksNoiseToTheFindings) {
  CellSum held{"finding", "x", 300, 30, 0, 30 * noise_variance(0.5)};
  CellSum checks{"check", "c", 1000, 30, 0, 30 * noise_variance(0.5)};
  auto share = share_of(held, checks);
  ASSERT_TRUE(share);
  EXPECT_DOUBLE_EQ(share->value, 0.3);
  const double v = 30 * noise_variance(0.5);
  EXPECT_NEAR(share->margin95, 1.96 * std::sqrt((v + 0.09 * v) / 1e6), 1e-12);
  EXPECT_FALSE(share_of(held, CellSum{"check", "c"})) << "no share of zero checks";
}

TEST(CountsReport, WithoutThePackAFindingBelongsToTheOneCheckItsIdStartsWith) {
  const std::vector<std::string> checks = {"address",   "change",    "employer-change",
                                           "extension", "lost-card", "ssw-renewal"};
  EXPECT_EQ(check_by_prefix("ext-insurance", checks), "extension");
  EXPECT_EQ(check_by_prefix("change-docs", checks), "change");
  EXPECT_EQ(check_by_prefix("employer-notice-due", checks), "employer-change");
  EXPECT_EQ(check_by_prefix("ssw-tax", checks), "ssw-renewal");
  EXPECT_EQ(check_by_prefix("visa-photo", checks), "") << "none fits";
  EXPECT_EQ(check_by_prefix("ext-insurance", {"extension", "ext-student"}), "")
      << "two fit: no guess";

  std::vector<CountsRelease> day = {
      exact_day("o", 1, {{"check:extension", 10}, {"held:ext-insurance", 5}})};
  const CountsSummary s = summarize_counts(day, nullptr);
  ASSERT_TRUE(finding(s, "ext-insurance").share);
  EXPECT_DOUBLE_EQ(finding(s, "ext-insurance").share->value, 0.5);
}

TEST(CountsReport, FindingsWithoutAShareComeAfterTheOnesWithOne) {
  std::vector<CountsRelease> day = {exact_day(
      "o", 1, {{"check:extension", 100}, {"held:ext-insurance", 30}, {"held:ext-tax", 60}})};
  // A rule the pack does not know, of no check: a count, no share.
  day[0].cells.push_back({"finding", "zz-unknown", 500, "action", "other"});
  const CountsSummary s = summarize_counts(day, &demo());
  ASSERT_GE(s.findings.size(), 3u);
  EXPECT_EQ(s.findings[0].held.key, "ext-tax");
  EXPECT_EQ(s.findings[1].held.key, "ext-insurance");
  EXPECT_FALSE(finding(s, "zz-unknown").share);
  EXPECT_EQ(s.findings.back().held.count, 0) << "no share and no count: last";
  size_t unknown_at = 0;
  while (s.findings[unknown_at].held.key != "zz-unknown") ++unknown_at;
  for (size_t i = 0; i < unknown_at; ++i) EXPECT_TRUE(s.findings[i].share) << i;
}

TEST(CountsReport, TheFilterKeepsTheDaysAndOfficesAsked) {
  std::vector<CountsRelease> days;
  for (int d = 1; d <= 5; ++d) {
    days.push_back(exact_day("shinjuku", d, {{"visits", 10}}));
    days.push_back(exact_day("ikebukuro", d, {{"visits", 100}}));
  }
  CountsFilter filter{Date::from_ymd(2026, 11, 2), Date::from_ymd(2026, 11, 4), {"ikebukuro"}};
  const CountsSummary s = summarize_counts(days, nullptr, filter);
  EXPECT_EQ(s.releases, 3);
  EXPECT_EQ(s.visits.count, 300);
  EXPECT_EQ(s.offices, std::vector<std::string>{"ikebukuro"});
  EXPECT_EQ(s.first_day, Date::from_ymd(2026, 11, 2));
  EXPECT_EQ(s.last_day, Date::from_ymd(2026, 11, 4));
  CountsFilter december;
  december.from = Date::from_ymd(2026, 12, 1);
  EXPECT_EQ(summarize_counts(days, nullptr, december).releases, 0);
}

TEST(CountsReport, AReleaseNoKioskCouldSendIsNamed) {
  CountsRelease r = exact_day("o", 1, {{"visits", 10}});
  EXPECT_EQ(release_problem(r), "");
  r.cells[0].count = -3;
  EXPECT_EQ(release_problem(r), "cells[0].count: -3 is out of range for k " + std::to_string(r.k));
  r.k = 0;  // a kiosk that withholds nothing sends negative noisy counts too
  EXPECT_EQ(release_problem(r), "");
  r.cells[0].count = 10;
  r.epsilon = std::nan("");
  EXPECT_NE(release_problem(r).find("epsilon"), std::string::npos);
}

TEST(CountsReport, LabelsAreTheMessagesWithoutTheirValues) {
  EXPECT_EQ(finding_label(demo(), "ext-photo", "en"),
            "You need a photo 4 cm × 3 cm, taken in the last 6 months.");
  EXPECT_EQ(finding_label(demo(), "ext-photo", "ja"),
            "6か月以内に撮った縦4cm×横3cmの写真が必要です。");
  EXPECT_EQ(finding_label(demo(), "zz-unknown", "ja"), "zz-unknown");
  EXPECT_NE(check_label(demo(), "extension", "en"), "extension");
  EXPECT_EQ(check_label(demo(), "no-such-check", "en"), "no-such-check");
}

}  // namespace
}  // namespace kiosk::core
