// SPDX-License-Identifier: GPL-3.0-or-later
// The kiosk's keeping of anonymous counts: batches of k visits reach the disk, one row per cell;
// a closed day leaves as one release through the outbox, to the reference receiver (sealed) and
// to an OpenRosa server (the counts form's submission), its rows deleted in the same commit; a
// day that cannot be queued stays for the next try.
#include "sync/counts_keeper.h"

#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <filesystem>

#include "core/result_messages.h"
#include "core/xform.h"
#include "sync/crypto.h"
#include "tests/sync/openrosa_server.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

const core::Pack& demo() {
  static auto pack = [] {
    std::string error;
    auto files =
        core::read_pack_dir(fs::path(KIOSK_SOURCE_DIR) / "assets/packs/jp-residence", &error);
    return core::load_pack(*files).pack;
  }();
  return *pack;
}

core::VisitRecord visit(const std::string& lang, bool employer_finding) {
  core::VisitRecord v;
  v.language = lang;
  v.procedures = {"extension"};
  core::CheckResult c;
  c.check_id = "extension";
  core::RuleResult r;
  r.rule_id = "ext-insurance";
  r.why = employer_finding ? "condition-true" : "condition-false";
  c.rules.push_back(r);
  v.checks.push_back(c);
  return v;
}

int64_t rows(const std::string& db_path, const std::string& sql) {
  Db db;
  std::string error;
  EXPECT_TRUE(db.open(db_path, nullptr, &error)) << error;
  Stmt s(db.handle(), sql.c_str());
  return s.step() ? s.int64(0) : -1;
}

class Counts : public ::testing::Test {
 protected:
  void SetUp() override {
    agency_ = make_box_keypair();
    config_.state_db_path = dir_ / "state.db";
    config_.outbox_url = "http://127.0.0.1:9/v1/outbox";  // nothing listens: items stay
    config_.agency_box_public_key_hex = to_hex(agency_.public_key);
  }
  TempDir dir_;
  BoxKeyPair agency_;
  SyncConfig config_;
  const core::Date day1 = *core::Date::from_ymd(2026, 12, 3);
  const core::Date day2 = *core::Date::from_ymd(2026, 12, 4);
};

TEST_F(Counts, OnlyBatchesOfKVisitsReachTheDiskAsOneRowPerCell) {
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  CountsKeeper keeper(config_, outbox, "office", {.k = 5, .epsilon = 0.5});
  ASSERT_TRUE(keeper.open(&error)) << error;
  for (int i = 0; i < 4; ++i) keeper.add_visit(visit("ne", i % 2 == 0), demo(), day1);
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT count(*) FROM counts"), 0) << "4 visits: memory only";
  EXPECT_EQ(keeper.counts_of(day1).at("visits"), 4) << "the staff screen sees them";
  keeper.add_visit(visit("vi", false), demo(), day1);
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT n FROM counts WHERE cell = 'visits'"), 5);
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT n FROM counts WHERE cell = 'held:ext-insurance'"), 2);
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT count(*) FROM counts"),
            rows(dir_ / "state.db", "SELECT count(DISTINCT cell) FROM counts"));
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT count(*) FROM counts WHERE day != '2026-12-03'"), 0);
}

TEST_F(Counts, AClosedDayLeavesOnceSealedAndItsRowsGoInTheSameCommit) {
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  CountsKeeper keeper(config_, outbox, "shinjuku-2f", {.k = 5, .epsilon = 0});
  ASSERT_TRUE(keeper.open(&error)) << error;
  for (int i = 0; i < 7; ++i) keeper.add_visit(visit("ne", i < 6), demo(), day1);
  keeper.add_visit(visit("ja", false), demo(), day2);  // the next day: day 1 is released
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT count(*) FROM counts WHERE day = '2026-12-03'"), 0);
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT count(*) FROM outbox WHERE kind = 'counts'"), 1);
  keeper.add_visit(visit("ja", false), demo(), day2);
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT count(*) FROM outbox WHERE kind = 'counts'"), 1)
      << "released once";

  Db db;
  ASSERT_TRUE(db.open(dir_ / "state.db", nullptr, &error));
  Stmt s(db.handle(), "SELECT sealed FROM outbox WHERE kind = 'counts'");
  ASSERT_TRUE(s.step());
  auto opened = unseal(s.blob(0), agency_);
  ASSERT_TRUE(opened) << "sealed to the agency";
  auto release = core::parse_counts_json(*opened, &error);
  ASSERT_TRUE(release) << error;
  EXPECT_EQ(release->office, "shinjuku-2f");
  EXPECT_EQ(release->day, day1);
  EXPECT_EQ(release->cells.size(), core::count_domain(demo()).size());
  for (const auto& c : release->cells) {
    if (c.table == "visits") {
      EXPECT_EQ(c.count, 7);
    }
    if (c.table == "language" && c.key == "ne") {
      EXPECT_EQ(c.count, 7);
    }
    if (c.table == "language" && c.key == "ja") {
      EXPECT_FALSE(c.count) << "day 2's visit is not in day 1";
    }
    if (c.table == "finding" && c.key == "ext-insurance") {
      EXPECT_EQ(c.count, 6);
      EXPECT_EQ(c.responsible, "employer");
    }
  }
}

TEST_F(Counts, ADayThatCannotBeQueuedStaysForTheNextTry) {
  config_.outbox_max_items = 0;  // the outbox refuses everything
  Outbox full(config_);
  std::string error;
  ASSERT_TRUE(full.open(&error)) << error;
  CountsKeeper keeper(config_, full, "office");
  ASSERT_TRUE(keeper.open(&error)) << error;
  for (int i = 0; i < 5; ++i) keeper.add_visit(visit("ne", true), demo(), day1);
  EXPECT_EQ(keeper.close_days_before(day2, demo(), &error), 0);
  EXPECT_NE(error.find("outbox full"), std::string::npos) << error;
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT n FROM counts WHERE cell = 'visits'"), 5);
  config_.outbox_max_items = 100;
  Outbox roomy(config_);
  ASSERT_TRUE(roomy.open(&error)) << error;
  CountsKeeper again(config_, roomy, "office");
  ASSERT_TRUE(again.open(&error)) << error;
  EXPECT_EQ(again.close_days_before(day2, demo(), &error), 1) << error;
  EXPECT_EQ(rows(dir_ / "state.db", "SELECT count(*) FROM counts"), 0);
}

TEST_F(Counts, ToAnOpenRosaServerADayIsOneSubmissionOfTheCountsForm) {
  test::OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  core::Localizer labels(demo().manifest.base_language);
  core::add_pack_catalogues(demo(), labels);
  server.publish(core::export_counts_xform(demo(), labels));  // counts: no key needed
  config_.outbox_url = server.outbox_url();
  Outbox outbox(config_);
  ASSERT_TRUE(outbox.open(&error)) << error;
  const core::FormIdentity form = core::counts_form(demo().manifest.id, demo().manifest.version);
  outbox.watch_form(form);
  outbox.refresh_watched_forms();
  EXPECT_TRUE(outbox.can_take(form, &error, /*personal=*/false)) << error;
  EXPECT_FALSE(outbox.can_take(form, &error, /*personal=*/true)) << "a hand-off would need a key";
  CountsKeeper keeper(config_, outbox, "office-7", {.k = 5, .epsilon = 0});
  ASSERT_TRUE(keeper.open(&error)) << error;
  for (int i = 0; i < 9; ++i) keeper.add_visit(visit(i < 6 ? "ne" : "my", true), demo(), day1);
  ASSERT_EQ(keeper.close_days_before(day2, demo(), &error), 1) << error;
  EXPECT_EQ(outbox.deliver_due().delivered, 1) << outbox.status().last_error;
  ASSERT_EQ(server.submissions().size(), 1u);
  const std::string xml = server.submissions()[0].parts.at("xml_submission_file");
  tinyxml2::XMLDocument doc;
  ASSERT_EQ(doc.Parse(xml.c_str()), tinyxml2::XML_SUCCESS);
  EXPECT_STREQ(doc.RootElement()->Attribute("id"), form.id.c_str());
  EXPECT_STREQ(doc.RootElement()->FirstChildElement("day")->GetText(), "2026-12-03");
  int cells = 0;
  for (auto* c = doc.RootElement()->FirstChildElement("cell"); c; c = c->NextSiblingElement("cell"))
    ++cells;
  EXPECT_EQ(cells, static_cast<int>(core::count_domain(demo()).size()));
  EXPECT_NE(xml.find("<table>language</table><key>ne</key><count>6</count>"), std::string::npos);
  EXPECT_NE(xml.find("<table>language</table><key>my</key><count></count>"), std::string::npos)
      << "3 < k: withheld";
}

}  // namespace
}  // namespace kiosk::sync
