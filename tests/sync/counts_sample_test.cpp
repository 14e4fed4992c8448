// SPDX-License-Identifier: GPL-3.0-or-later
// A synthetic month of one office, the sample of docs/agency.md ("The agency's view of the
// counts"): 30 days of about 40 visits, made visit by visit (core::add_visit) from fixed rates,
// where a third of the extension checks find that the employer did not enrol the worker in
// social insurance. Each day is released as a kiosk releases it (k 5, epsilon 0.5), sealed by a
// real Outbox to a real Receiver, and reported by the kioskctl binary. The test checks that the
// report finds what was put in, noise and withheld days included. With
// KIOSK_COUNTS_SAMPLE_OUT=DIR it also writes what the doc shows: DIR/counts-sample.txt (the
// table), DIR/counts-sample.svg and DIR/counts-sample-ja.svg (the chart in English, Japanese).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <tinyxml2.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "core/counts.h"
#include "core/pack.h"
#include "sync/outbox.h"
#include "tests/sync/kioskctl_run.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

#ifdef KIOSK_KIOSKCTL_BIN

using test::CliRun;
using test::parse_csv;
using test::run_kioskctl;

const std::string kPackDir = std::string(KIOSK_SOURCE_DIR) + "/assets/packs/jp-residence";

const core::Pack& demo() {
  static auto pack = [] {
    std::string error;
    auto files = core::read_pack_dir(kPackDir, &error);
    EXPECT_TRUE(files) << error;
    return core::load_pack(*files).pack;
  }();
  return *pack;
}

// ---- the visitors ---------------------------------------------------------------------------

template <typename T>
using Weighted = std::vector<std::pair<T, double>>;

struct Check {
  std::string id;
  double completed;                                       // of the visits that open the procedure
  Weighted<std::string> window;                           // exactly one of these holds
  std::vector<std::pair<std::string, double>> findings;   // each holds on its own
  std::vector<std::pair<std::string, double>> undecided;  // the visitor did not know
};

const Weighted<std::string> kLanguages = {{"ne", 28},     {"vi", 24}, {"ja", 10},
                                          {"my", 9},      {"id", 8},  {"fil", 7},
                                          {"zh-Hans", 6}, {"en", 5},  {"si", 3}};

const std::vector<std::pair<Check, double>> kProcedures = {
    {{"extension",
      0.85,
      {{"ext-too-early", 10},
       {"ext-window-open", 70},
       {"ext-after-expiry", 15},
       {"ext-expired", 5}},
      {{"ext-insurance", 0.33},
       {"ext-photo", 0.28},
       {"ext-form", 0.24},
       {"ext-tax", 0.20},
       {"ext-job-notice", 0.12}},
      {{"ext-tax", 0.08}}},
     60},
    {{"change",
      0.8,
      {{"change-window-open", 80}, {"change-after-expiry", 15}, {"change-expired", 5}},
      {{"change-docs", 0.45}, {"change-photo", 0.30}, {"change-tax", 0.2}},
      {}},
     12},
    {{"ssw-renewal",
      0.8,
      {{"ssw-window-open", 85}, {"ssw-too-early", 15}},
      {{"ssw-support-plan", 0.25},
       {"ssw-employer-proof", 0.2},
       {"ssw-insurance-none", 0.12},
       {"ssw-photo", 0.25}},
      {}},
     12},
    {{"address", 0.9, {}, {{"address-due", 0.7}, {"address-late", 0.25}}, {}}, 10},
    {{"employer-change",
      0.85,
      {},
      {{"employer-notice-due", 0.6}, {"employer-notice-late", 0.3}},
      {}},
     6},
};

class Visitors {
 public:
  explicit Visitors(uint64_t seed) : rng_(seed) {}

  core::VisitRecord next() {
    core::VisitRecord v;
    v.language = pick(kLanguages);
    const Check& check = pick(kProcedures);
    v.procedures.insert(check.id);
    if (chance(check.completed)) v.checks.push_back(result(check));
    return v;
  }
  int visits_today() { return std::uniform_int_distribution<int>(32, 48)(rng_); }

 private:
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  template <typename T>
  const T& pick(const std::vector<std::pair<T, double>>& items) {
    std::vector<double> weights;
    for (const auto& [item, w] : items) weights.push_back(w);
    return items[std::discrete_distribution<size_t>(weights.begin(), weights.end())(rng_)].first;
  }

  core::CheckResult result(const Check& check) {
    core::CheckResult r;
    r.check_id = check.id;
    auto add = [&](const std::string& rule, const char* why) {
      core::RuleResult rule_result;
      rule_result.rule_id = rule;
      rule_result.why = why;
      r.rules.push_back(rule_result);
    };
    if (!check.window.empty()) add(pick(check.window), "condition-true");
    for (const auto& [rule, p] : check.findings)
      if (chance(p)) add(rule, "condition-true");
    for (const auto& [rule, p] : check.undecided)
      if (chance(p)) add(rule, "unknown-input:income");
    return r;
  }

  std::mt19937_64 rng_;
};

// ---- running it -----------------------------------------------------------------------------

TEST(CountsSampleMonth, AThirdOfExtensionChecksFindTheEmployerDidNotEnrolTheWorker) {
  test::TempDir dir;
  ASSERT_EQ(run_kioskctl("outbox keygen --out " + dir / "keys", dir.path()).code, 0);
  test::Receiver receiver;
  std::string error;
  ASSERT_TRUE(receiver.start(dir / "receiver.db", &error)) << error;
  SyncConfig config;
  config.state_db_path = dir / "kiosk-state.db";
  config.outbox_url = receiver.url();
  config.agency_box_public_key_hex = test::read_text(dir / "keys/agency.pub").substr(0, 64);
  Outbox outbox(config);
  ASSERT_TRUE(outbox.open(&error)) << error;

  Visitors visitors(20261101);
  std::mt19937_64 noise(1130);
  core::DayCounts month;  // the truth, to compare with
  for (int d = 1; d <= 30; ++d) {
    core::DayCounts day;
    for (int v = visitors.visits_today(); v > 0; --v) core::add_visit(day, visitors.next());
    for (const auto& [cell, n] : day) month[cell] += n;
    auto release =
        core::release_counts(day, demo(), "shinjuku-2f", *core::Date::from_ymd(2026, 11, d),
                             {.k = 5, .epsilon = 0.5}, [&] { return noise(); });
    std::string item = core::counts_json(release);
    ASSERT_TRUE(outbox.enqueue("counts", item, true, &error)) << error;
  }
  ASSERT_EQ(outbox.deliver_due().delivered, 30);

  const std::string source = "counts report --db " + dir / "receiver.db" + " --key " +
                             dir / "keys/agency.key" + " --pack " + kPackDir +
                             " --from 2026-11-01 --to 2026-11-30 --office shinjuku-2f";
  CliRun json = run_kioskctl(source + " --format json", dir.path());
  ASSERT_EQ(json.code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  // The employer's most frequent finding (findings come most frequent first).
  nlohmann::json top;
  for (const auto& f : j["findings"])
    if (f["responsible"] == "employer" && f["outcome"] != "ready") {
      top = f;
      break;
    }
  // What was put in: a third of the extension checks (the truth of this month, to the visit).
  const double truth = double(month["held:ext-insurance"]) / double(month["check:extension"]);
  EXPECT_NEAR(truth, 1.0 / 3, 0.05);
  std::cout << "[ sample ] the month's truth: " << month["visits"] << " visits, "
            << month["check:extension"] << " extension checks, ext-insurance held in "
            << month["held:ext-insurance"] << " (" << 100 * truth << "%), ext-tax in "
            << month["held:ext-tax"] << ", lost-card checks " << month["check:lost-card"] << "\n";
  EXPECT_EQ(top["rule"], "ext-insurance") << j["findings"].dump(1);
  // Withheld days only lower a sum; the noise moves it within its margin.
  const double share = top["share"], margin = top["share_margin95"];
  EXPECT_GT(margin, 0);
  EXPECT_LT(share, truth + 2 * margin);
  EXPECT_GT(share, truth - 0.1) << "a few days withheld at most";
  EXPECT_NEAR(j["visits"]["count"].get<double>(), double(month["visits"]),
              3 * j["visits"]["margin95"].get<double>());

  CliRun table = run_kioskctl(source + " --locale en", dir.path());
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("\nemployer  ext-insurance  "), std::string::npos) << table.out;
  for (const char* locale : {"en", "ja"}) {
    CliRun svg = run_kioskctl(source + " --format svg --locale " + locale, dir.path());
    ASSERT_EQ(svg.code, 0) << svg.err;
    tinyxml2::XMLDocument doc;
    ASSERT_EQ(doc.Parse(svg.out.c_str(), svg.out.size()), tinyxml2::XML_SUCCESS);
    if (const char* out = std::getenv("KIOSK_COUNTS_SAMPLE_OUT")) {
      const std::string name =
          std::string(locale) == "en" ? "counts-sample.svg" : "counts-sample-ja.svg";
      test::write_text(std::string(out) + "/" + name, svg.out);
    }
  }
  if (const char* out = std::getenv("KIOSK_COUNTS_SAMPLE_OUT"))
    test::write_text(std::string(out) + "/counts-sample.txt", table.out);
}

#endif

}  // namespace
}  // namespace kiosk::sync
