// SPDX-License-Identifier: GPL-3.0-or-later
// `kioskctl counts report` as an agency runs it: releases made by core::release_counts, sealed
// to the agency's key by a real Outbox and delivered to the real kiosk-receiver, then added up
// by the kioskctl binary; and the same counts as ODK Central exports them (CSV files written
// here in Central's layout). Epsilon 0 where numbers must be exact; one month with noise for the
// margin. Misuse as deliberately: a wrong key, no counts, a damaged item, malformed CSV.
#include "core/counts_report.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <tinyxml2.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>

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

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// One day of an office, released as a kiosk does (cells below k withheld), exactly (epsilon 0)
// unless `epsilon` says otherwise.
core::CountsRelease release(const std::string& office, core::Date day, const core::DayCounts& c,
                            double epsilon = 0, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  return core::release_counts(c, demo(), office, day, {.k = 5, .epsilon = epsilon},
                              [&] { return rng(); });
}

core::Date nov(int day) {
  return *core::Date::from_ymd(2026, 11, day);
}

// Two days of one office: ext-insurance 8 and 10 of 25 and 20 extension checks (40%); ext-photo
// 3 (withheld) and 6; ext-tax 5 and 5.
std::vector<core::CountsRelease> two_days(const std::string& office = "shinjuku-2f") {
  return {release(office, nov(2),
                  {{"visits", 40},
                   {"language:ne", 20},
                   {"language:vi", 12},
                   {"language:ja", 8},
                   {"procedure:extension", 30},
                   {"check:extension", 25},
                   {"held:ext-insurance", 8},
                   {"held:ext-photo", 3},
                   {"held:ext-tax", 5},
                   {"undecided:ext-tax", 6}}),
          release(office, nov(3),
                  {{"visits", 30},
                   {"language:ne", 15},
                   {"language:vi", 10},
                   {"language:ja", 5},
                   {"procedure:extension", 22},
                   {"check:extension", 20},
                   {"held:ext-insurance", 10},
                   {"held:ext-photo", 6},
                   {"held:ext-tax", 5}})};
}

class CountsReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CliRun keygen = run_kioskctl("outbox keygen --out " + dir_ / "keys", dir_.path());
    ASSERT_EQ(keygen.code, 0) << keygen.out << keygen.err;
    std::string error;
    ASSERT_TRUE(receiver_.start(db_path(), &error)) << error;
    config_.state_db_path = dir_ / "kiosk-state.db";
    config_.outbox_url = receiver_.url();
    config_.agency_box_public_key_hex = test::read_text(dir_ / "keys/agency.pub").substr(0, 64);
    outbox_ = std::make_unique<Outbox>(config_);
    ASSERT_TRUE(outbox_->open(&error)) << error;
  }

  std::string db_path() const { return dir_ / "receiver.db"; }
  std::string key_path() const { return dir_ / "keys/agency.key"; }

  void send_raw(const std::string& kind, std::string plaintext) {
    std::string error;
    ASSERT_TRUE(outbox_->enqueue(kind, plaintext, /*consent=*/true, &error)) << error;
    ASSERT_EQ(outbox_->deliver_due().delivered, 1);
  }
  void send(const std::vector<core::CountsRelease>& releases) {
    for (const auto& r : releases) send_raw("counts", core::counts_json(r));
  }

  CliRun report(const std::string& args) {
    return run_kioskctl("counts report --db " + db_path() + " --key " + key_path() + " " + args,
                        dir_.path());
  }
  nlohmann::json json_report(const std::string& args = "") {
    CliRun r = report("--format json " + args);
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    return nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  }

  test::TempDir dir_;
  test::Receiver receiver_;
  SyncConfig config_;
  std::unique_ptr<Outbox> outbox_;
};

const nlohmann::json& by_key(const nlohmann::json& list, const std::string& field,
                             const std::string& value) {
  for (const auto& item : list)
    if (item.value(field, "") == value) return item;
  static const nlohmann::json none;
  ADD_FAILURE() << "no " << field << " " << value << " in " << list.dump();
  return none;
}

TEST_F(CountsReportTest, TheTableShowsFindingsByShareWithWhoMustActAndWithheldDays) {
  send(two_days());
  CliRun r = report("--pack " + kPackDir + " --locale en");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  const std::string& out = r.out;
  EXPECT_TRUE(contains(out,
                       "Counts of office shinjuku-2f, 2026-11-02 to 2026-11-03: 2 days with "
                       "counts, 2 releases\n"))
      << out;
  EXPECT_TRUE(contains(out, "  70 visits ± 0\n")) << out;
  EXPECT_TRUE(std::regex_search(
      out, std::regex("\nemployer +ext-insurance +40% of extension checks \\(18 of 45 ± 0\\) +- "
                      "+Enrolling workers in health insurance and Employees'…\n")))
      << out;
  EXPECT_TRUE(std::regex_search(
      out, std::regex("\nself +ext-tax +22% of extension checks \\(10 of 45 ± 0\\) +- +You need "
                      "the residence tax certificates")))
      << out;
  EXPECT_TRUE(std::regex_search(
      out, std::regex("\nself +ext-photo +13% of extension checks \\(6 of 45 ± 0\\) +1 of 2 days "
                      "+You need a photo 4 cm × 3 cm, taken in the last 6 months.\n")))
      << out << "(day 1's 3 was withheld: the 6 is a lower bound)";
  // Grouped by who must act: the employer's group (the most frequent finding) first.
  EXPECT_LT(out.find("ext-insurance"), out.find("ext-tax"));
  EXPECT_LT(out.find("ext-tax"), out.find("ext-photo"));
  EXPECT_TRUE(std::regex_search(out, std::regex("\next-tax +6 ± 0 +1 of 2 days +You need")))
      << out << "(undecided: only day 1's 6 released)";
  EXPECT_TRUE(std::regex_search(out, std::regex("\nne Nepali +35 ± 0 +50% +-\n"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("\nja Japanese +13 ± 0 +19% +-\n"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("\nextension +52 ± 0 +74% +- +"))) << out;
  EXPECT_TRUE(std::regex_search(out, std::regex("\nextension +45 ± 0 +-\n"))) << out;
}

TEST_F(CountsReportTest, CsvHasEveryCellWithItsSumsAndShares) {
  send(two_days());
  CliRun r = report("--pack " + kPackDir + " --format csv --out " + dir_ / "counts.csv");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  auto rows = parse_csv(test::read_text(dir_ / "counts.csv"));
  ASSERT_GT(rows.size(), 1u);
  const std::vector<std::string> header = {
      "table", "key",   "label",          "responsible",    "outcome",
      "check", "count", "margin95",       "released_days",  "withheld_days",
      "of",    "share", "share_margin95", "mostly_withheld"};
  EXPECT_EQ(rows[0], header);
  auto row = [&](const std::string& table, const std::string& key) {
    for (const auto& r : rows)
      if (r.size() == header.size() && r[0] == table && r[1] == key) return r;
    ADD_FAILURE() << table << " " << key;
    return std::vector<std::string>(header.size());
  };
  EXPECT_EQ(row("visits", "all")[6], "70");
  const auto insurance = row("finding", "ext-insurance");
  EXPECT_EQ(insurance[3], "employer");
  EXPECT_EQ(insurance[4], "action");
  EXPECT_EQ(insurance[5], "extension");
  EXPECT_EQ(insurance[6], "18");
  EXPECT_EQ(insurance[10], "45");
  EXPECT_EQ(insurance[11], "0.4000");
  EXPECT_EQ(insurance[2].rfind("健康保険・厚生年金への加入手続きは会社の義務です", 0), 0u)
      << insurance[2] << " (the office language by default)";
  const auto photo = row("finding", "ext-photo");
  EXPECT_EQ(photo[6], "6");
  EXPECT_EQ(photo[8], "1");
  EXPECT_EQ(photo[9], "1");
  const auto never = row("finding", "ext-expired");
  EXPECT_EQ(never[6], "0");
  EXPECT_EQ(never[9], "2") << "zero on both days: withheld both days";
  EXPECT_EQ(never[13], "true");
  EXPECT_EQ(photo[13], "false") << "released on 1 of 2 days: half, not fewer";
  EXPECT_EQ(row("language", "vi")[11], "0.3143");
  EXPECT_EQ(row("undecided", "ext-tax")[6], "6");
}

TEST_F(CountsReportTest, JsonHasTheSumsSharesAndThePeriod) {
  send(two_days());
  auto j = json_report("--pack " + kPackDir);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["offices"], nlohmann::json::array({"shinjuku-2f"}));
  EXPECT_EQ(j["from"], "2026-11-02");
  EXPECT_EQ(j["to"], "2026-11-03");
  EXPECT_EQ(j["releases"], 2);
  EXPECT_EQ(j["locale"], "ja");
  EXPECT_EQ(j["visits"]["count"], 70);
  EXPECT_EQ(j["findings"][0]["rule"], "ext-insurance");
  EXPECT_EQ(j["findings"][0]["count"], 18);
  EXPECT_EQ(j["findings"][0]["checks"], 45);
  EXPECT_DOUBLE_EQ(j["findings"][0]["share"].get<double>(), 0.4);
  EXPECT_EQ(j["findings"][0]["margin95"], 0.0);
  const auto& photo = by_key(j["findings"], "rule", "ext-photo");
  EXPECT_EQ(photo["withheld_days"], 1);
  EXPECT_EQ(photo["released_days"], 1);
  EXPECT_EQ(by_key(j["languages"], "key", "ne")["count"], 35);
  EXPECT_EQ(by_key(j["procedures"], "key", "extension")["count"], 52);
}

TEST_F(CountsReportTest, WithNoiseTheMarginOfEachSumIsReported) {
  // A month of one office with the kiosks' default epsilon 0.5.
  std::vector<core::CountsRelease> month;
  for (int d = 1; d <= 30; ++d)
    month.push_back(release("shinjuku-2f", nov(d),
                            {{"visits", 40}, {"check:extension", 30}, {"held:ext-insurance", 10}},
                            0.5, 100 + d));
  send(month);
  auto j = json_report();
  const auto& f = by_key(j["findings"], "rule", "ext-insurance");
  const int released = f["released_days"];
  EXPECT_EQ(released + f["withheld_days"].get<int>(), 30);
  const double a = std::exp(-0.5);
  const double want = 1.96 * std::sqrt(released * 2 * a / ((1 - a) * (1 - a)));
  EXPECT_NEAR(f["margin95"].get<double>(), want, 1e-6);
  EXPECT_GT(f["margin95"].get<double>(), 10) << "30 days of noise at epsilon 0.5";
  EXPECT_NEAR(f["count"].get<double>(), 300, 3 * want) << "noise, not a wrong sum";
  ASSERT_TRUE(f["share"].is_number());
  EXPECT_GT(f["share_margin95"].get<double>(), 0);
  EXPECT_EQ(f["check"], "extension") << "without --pack, by the rule id's prefix";
  CliRun table = report("");
  ASSERT_EQ(table.code, 0) << table.err;
  const std::string margin = "± " + std::to_string(std::llround(want)) + ")";
  EXPECT_TRUE(contains(table.out, margin)) << table.out << " wants " << margin;
  EXPECT_TRUE(contains(table.out, "epsilon 0.5 per cell")) << table.out;
}

TEST_F(CountsReportTest, FromToAndOfficeChooseTheReleasesAddedUp) {
  send(two_days("shinjuku-2f"));
  send(two_days("ikebukuro"));
  EXPECT_EQ(json_report()["visits"]["count"], 140);
  auto day = json_report("--from 2026-11-03 --to 2026-11-03");
  EXPECT_EQ(day["visits"]["count"], 60);
  EXPECT_EQ(day["releases"], 2);
  auto office = json_report("--office ikebukuro");
  EXPECT_EQ(office["visits"]["count"], 70);
  EXPECT_EQ(office["offices"], nlohmann::json::array({"ikebukuro"}));
  auto both = json_report(
      "--office ikebukuro --office shinjuku-2f --from 2026-11-02 --to "
      "2026-11-02");
  EXPECT_EQ(both["visits"]["count"], 80);

  CliRun none = report("--from 2026-12-01");
  EXPECT_EQ(none.code, 7) << none.out << none.err;
  EXPECT_EQ(none.out, "");
  EXPECT_TRUE(contains(none.err,
                       "no counts for the days and offices asked (the 4 releases read cover "
                       "2026-11-02 to 2026-11-03, offices ikebukuro, shinjuku-2f)"))
      << none.err;
  EXPECT_EQ(report("--office umeda").code, 7);
  EXPECT_EQ(report("--from 2026-11-31").code, 2);
  EXPECT_EQ(report("--from 2026-11-03 --to 2026-11-02").code, 2);
}

// ---- ODK Central's CSV export ---------------------------------------------------------------

// The releases as Central exports the counts form's submissions: the submissions file (first
// SubmissionDate, then the fields, meta-instanceID, meta-instanceName, KEY, and Central's own
// columns) and the repeat's file (the fields, PARENT_KEY, KEY), LF line ends, quotes where a
// field needs them.
struct CentralExport {
  std::string submissions, cells;
};

std::string central_field(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

CentralExport central_export(const std::vector<core::CountsRelease>& releases) {
  CentralExport e;
  e.submissions =
      "SubmissionDate,office,day,pack_id,pack_version,k,epsilon,meta-instanceID,"
      "meta-instanceName,KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,"
      "Status,ReviewState,DeviceID,Edits,FormVersion\n";
  e.cells = "table,key,count,outcome,responsible,PARENT_KEY,KEY\n";
  for (size_t i = 0; i < releases.size(); ++i) {
    const auto& r = releases[i];
    char uuid[64];
    std::snprintf(uuid, sizeof uuid, "uuid:6f1c2a3b-0000-4000-8000-%012zu", i + 1);
    std::ostringstream eps;
    eps << r.epsilon;
    e.submissions += "2026-12-03T06:49:41.267Z," + central_field(r.office) + "," +
                     r.day.to_string() + "," + r.pack_id + "," + r.pack_version + "," +
                     std::to_string(r.k) + "," + eps.str() + "," + uuid + "," +
                     central_field(r.office + " " + r.day.to_string()) + "," + uuid +
                     ",7,\"Kiosk 1, hall\",0,0,,,,0,2026.11.27-1\n";
    for (size_t c = 0; c < r.cells.size(); ++c) {
      const auto& cell = r.cells[c];
      e.cells += cell.table + "," + central_field(cell.key) + "," +
                 (cell.count ? std::to_string(*cell.count) : "") + "," + cell.outcome + "," +
                 cell.responsible + "," + uuid + "," + uuid + "/cell[" + std::to_string(c + 1) +
                 "]\n";
    }
  }
  return e;
}

class OdkCsvReportTest : public ::testing::Test {
 protected:
  void write(const CentralExport& e) {
    test::write_text(main_csv(), e.submissions);
    test::write_text(cell_csv(), e.cells);
  }
  std::string main_csv() const { return dir_ / "kiosk_counts_jp_residence.csv"; }
  std::string cell_csv() const { return dir_ / "kiosk_counts_jp_residence-cell.csv"; }
  CliRun report(const std::string& args) {
    return run_kioskctl("counts report " + args, dir_.path());
  }
  CliRun both_files(const std::string& args = "") {
    // The cell file first: the files are told apart by their header, not their order.
    return report("--odk-csv " + cell_csv() + " --odk-csv " + main_csv() + " " + args);
  }
  test::TempDir dir_;
};

TEST_F(OdkCsvReportTest, CentralsExportGivesTheSameReportAsTheReceiver) {
  auto releases = two_days("Shinjuku, 2F \"Counter A\"");
  write(central_export(releases));
  CliRun r = both_files("--pack " + kPackDir + " --format json");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["offices"], nlohmann::json::array({"Shinjuku, 2F \"Counter A\""}))
      << "a quoted field with a comma and quotes";
  EXPECT_EQ(j["visits"]["count"], 70);
  EXPECT_EQ(j["findings"][0]["rule"], "ext-insurance");
  EXPECT_EQ(j["findings"][0]["count"], 18);
  EXPECT_EQ(j["findings"][0]["checks"], 45);
  EXPECT_EQ(by_key(j["findings"], "rule", "ext-photo")["withheld_days"], 1)
      << "an empty count is a withheld one";
  // Exactly what the same releases give through the summary the receiver path uses.
  const core::CountsSummary direct = core::summarize_counts(releases, &demo());
  ASSERT_EQ(j["findings"].size(), direct.findings.size());
  for (size_t i = 0; i < direct.findings.size(); ++i) {
    EXPECT_EQ(j["findings"][i]["rule"], direct.findings[i].held.key) << i;
    EXPECT_EQ(j["findings"][i]["count"], direct.findings[i].held.count) << i;
    EXPECT_EQ(j["findings"][i]["withheld_days"], direct.findings[i].held.withheld_days) << i;
  }
  CliRun table =
      both_files("--pack " + kPackDir + " --locale en --office 'Shinjuku, 2F \"Counter A\"'");
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_TRUE(contains(table.out, "40% of extension checks (18 of 45 ± 0)")) << table.out;
}

TEST_F(OdkCsvReportTest, CrlfLinesAndAByteOrderMarkAreReadToo) {
  CentralExport e = central_export(two_days());
  auto crlf = [](const std::string& s) { return std::regex_replace(s, std::regex("\n"), "\r\n"); };
  e.submissions = "\xEF\xBB\xBF" + crlf(e.submissions);
  e.cells = crlf(e.cells);
  write(e);
  CliRun r = both_files("--format json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["visits"]["count"], 70);
}

TEST_F(OdkCsvReportTest, AMalformedFileIsNamedWithItsLine) {
  const CentralExport good = central_export(two_days());
  struct Case {
    const char* what;
    std::function<void(CentralExport&)> spoil;
    std::string file, message;
  };
  auto replace_first = [](std::string& s, const std::string& from, const std::string& to) {
    s.replace(s.find(from), from.size(), to);
  };
  const std::vector<Case> cases = {
      {"an unclosed quote",
       [](CentralExport& e) { e.cells += "finding,\"ext-x,5,,,uuid:z,uuid:z/cell[1]\n"; }, "cell",
       ":" + std::to_string(1 + 2 * static_cast<int>(core::count_domain(demo()).size()) + 1) +
           ": a quoted field opens here and never closes"},
      {"a missing field",
       [&](CentralExport& e) { replace_first(e.cells, "\nvisits,all,40,,,", "\nvisits,all,40,,"); },
       "cell", ":2: 6 fields, the header has 7"},
      {"a count that is no number",
       [&](CentralExport& e) { replace_first(e.cells, "\nvisits,all,40,", "\nvisits,all,forty,"); },
       "cell", ":2: count: not a whole number from 0 to 1000000000: \"forty\""},
      {"a cell of no submission",
       [&](CentralExport& e) { e.cells += "visits,all,9,,,uuid:nobody,uuid:nobody/cell[1]\n"; },
       "cell", ": PARENT_KEY \"uuid:nobody\" is the KEY of no submission in the submissions file"},
      {"a day that is no date",
       [&](CentralExport& e) { replace_first(e.submissions, ",2026-11-03,", ",2026-11-31,"); },
       "main", ":3: day: not a date (YYYY-MM-DD): \"2026-11-31\""},
      {"a quote inside a field",
       [&](CentralExport& e) { replace_first(e.submissions, ",shinjuku-2f,", ",shin\"juku,"); },
       "main", ":2: a quote inside a field that does not start with one"},
      {"the hand-off form's repeat",
       [](CentralExport& e) {
         e.cells = "rule,outcome,responsible,deadline,undecided,PARENT_KEY,KEY\n";
       },
       "cell",
       ":1: a repeat's file without the column(s) table, key, count: not the export of "
       "the counts form"},
  };
  for (const auto& c : cases) {
    CentralExport e = good;
    c.spoil(e);
    write(e);
    CliRun r = both_files();
    EXPECT_EQ(r.code, 8) << c.what << ": " << r.out << r.err;
    EXPECT_EQ(r.out, "") << c.what;
    const std::string file = c.file == "cell" ? cell_csv() : main_csv();
    EXPECT_EQ(r.err.rfind("kioskctl counts: " + file + ":", 0), 0u) << c.what << ": " << r.err;
    EXPECT_TRUE(contains(r.err, c.message)) << c.what << ": " << r.err << " wants " << c.message;
  }
}

TEST_F(OdkCsvReportTest, BothFilesAreNeededAndMustBeReadable) {
  write(central_export(two_days()));
  CliRun one = report("--odk-csv " + main_csv());
  EXPECT_EQ(one.code, 2) << one.err;
  EXPECT_TRUE(contains(one.err, "no cell file among the --odk-csv files")) << one.err;
  CliRun missing = report("--odk-csv " + main_csv() + " --odk-csv " + dir_ / "nope.csv");
  EXPECT_EQ(missing.code, 4) << missing.err;
  EXPECT_TRUE(contains(missing.err, dir_ / "nope.csv" + ": No such file or directory"))
      << missing.err;
  CliRun with_db = report("--odk-csv " + main_csv() + " --db x.db");
  EXPECT_EQ(with_db.code, 2) << "one source at a time";
  write(central_export({}));
  CliRun empty = both_files();
  EXPECT_EQ(empty.code, 7) << empty.err;
  EXPECT_TRUE(contains(empty.err, "no counts in")) << empty.err;
}

// ---- the chart ------------------------------------------------------------------------------

// The chart's bars: <g class="finding" data-rule=... data-responsible=...> in document order.
struct Bar {
  std::string rule, responsible, label, figures, fill;
  double width = 0;
};

std::vector<Bar> bars_of(const tinyxml2::XMLDocument& doc) {
  std::vector<Bar> out;
  for (auto* g = doc.RootElement()->FirstChildElement("g"); g; g = g->NextSiblingElement("g")) {
    if (std::string(g->Attribute("class") ? g->Attribute("class") : "") != "finding") continue;
    Bar b;
    b.rule = g->Attribute("data-rule");
    b.responsible = g->Attribute("data-responsible");
    auto* label = g->FirstChildElement("text");
    b.label = label && label->GetText() ? label->GetText() : "";
    auto* figures = label ? label->NextSiblingElement("text") : nullptr;
    b.figures = figures && figures->GetText() ? figures->GetText() : "";
    auto* bar = g->FirstChildElement("rect");
    b.fill = bar ? bar->Attribute("fill") : "";
    b.width = bar ? bar->DoubleAttribute("width") : 0;
    out.push_back(b);
  }
  return out;
}

std::string all_text(const tinyxml2::XMLElement* e) {
  std::string out;
  for (auto* n = e->FirstChild(); n; n = n->NextSibling()) {
    if (n->ToText()) out += n->Value();
    if (n->ToElement()) out += all_text(n->ToElement()) + "\n";
  }
  return out;
}

TEST_F(CountsReportTest, TheSvgIsWellFormedWithOneBarPerFindingLongestFirst) {
  send(two_days());
  CliRun r = report("--pack " + kPackDir + " --locale en --format svg --out " + dir_ / "c.svg");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  tinyxml2::XMLDocument doc;
  ASSERT_EQ(doc.LoadFile((dir_ / "c.svg").c_str()), tinyxml2::XML_SUCCESS) << doc.ErrorStr();
  EXPECT_STREQ(doc.RootElement()->Name(), "svg");
  EXPECT_STREQ(doc.RootElement()->Attribute("xmlns"), "http://www.w3.org/2000/svg");
  const std::string svg = test::read_text(dir_ / "c.svg");
  EXPECT_FALSE(contains(svg, "<script")) << "self-contained, nothing to run";
  EXPECT_FALSE(contains(svg, "href")) << "nothing to fetch";
  auto bars = bars_of(doc);
  ASSERT_EQ(bars.size(), 3u) << svg << "(the findings that held: insurance, tax, photo)";
  EXPECT_EQ(bars[0].rule, "ext-insurance");
  EXPECT_EQ(bars[0].responsible, "employer");
  EXPECT_EQ(bars[0].fill, "#D55E00");
  EXPECT_EQ(bars[1].rule, "ext-tax");
  EXPECT_EQ(bars[2].rule, "ext-photo");
  EXPECT_EQ(bars[2].fill, "#0072B2");
  EXPECT_GT(bars[0].width, bars[1].width);
  EXPECT_GT(bars[1].width, bars[2].width);
  EXPECT_NEAR(bars[0].width / bars[2].width, 18.0 / 6.0, 0.01) << "length = share";
  EXPECT_EQ(bars[0].label.rfind("Enrolling workers in health insurance", 0), 0u) << bars[0].label;
  EXPECT_TRUE(contains(bars[0].label, "…")) << "cut to the width: " << bars[0].label;
  EXPECT_EQ(bars[0].figures, "40% · 18 / 45 ± 0");
  EXPECT_EQ(bars[2].figures, "13% · 6 / 45 ± 0 · 1 day withheld");
  const std::string text = all_text(doc.RootElement());
  EXPECT_TRUE(contains(text, "Most frequent findings to act on, by who must act")) << text;
  EXPECT_TRUE(contains(text, "Office shinjuku-2f · 2026-11-02 to 2026-11-03 · 70 visits on 2 days"))
      << text;
  EXPECT_TRUE(contains(text, "The employer")) << "the legend names who must act";
  EXPECT_TRUE(contains(text, "not sampling error")) << text;
}

TEST_F(CountsReportTest, TheSvgDrawsTheFifteenMostFrequentWithNoiseMarginsInJapanese) {
  core::DayCounts day = {{"visits", 400}, {"check:extension", 300}, {"check:change", 100}};
  int n = 10;
  for (const auto& rule : demo().rules) day["held:" + rule.id] = n++;  // every rule held
  std::vector<core::CountsRelease> days;
  for (int d = 1; d <= 5; ++d) days.push_back(release("shinjuku-2f", nov(d), day, 0.5, d));
  send(days);
  CliRun r = report("--pack " + kPackDir + " --locale ja --format svg");
  ASSERT_EQ(r.code, 0) << r.err;
  tinyxml2::XMLDocument doc;
  ASSERT_EQ(doc.Parse(r.out.c_str(), r.out.size()), tinyxml2::XML_SUCCESS) << doc.ErrorStr();
  auto bars = bars_of(doc);
  EXPECT_EQ(bars.size(), 15u);
  int margins = 0;
  for (auto* g = doc.RootElement()->FirstChildElement("g"); g; g = g->NextSiblingElement("g"))
    if (auto* m = g->FirstChildElement("g"); m && std::string(m->Attribute("class")) == "margin")
      ++margins;
  EXPECT_EQ(margins, 15) << "a thin error bar on every bar";
  const std::string text = all_text(doc.RootElement());
  EXPECT_TRUE(contains(text, "対応が必要な主な確認結果（対応する人別）")) << text;
  EXPECT_TRUE(contains(text, "雇用主")) << "the legend in Japanese";
  EXPECT_TRUE(contains(text, "標本誤差ではありません")) << text;
  EXPECT_TRUE(contains(text, "表にあります")) << "more findings than bars";
  bool japanese_label = false;
  for (const auto& b : bars)
    japanese_label |= contains(b.label, "必要です") || contains(b.label, "の義務");
  EXPECT_TRUE(japanese_label) << text;
}

TEST_F(CountsReportTest, TextFromTheItemsIsEscapedInTheSvg) {
  auto days = two_days("<b>Shinjuku</b> & \"Co\"\x01");
  // A rule of its own check, so that it has a share and a bar without --pack.
  const std::string rule = "zz<script>-alert('x')&";
  days[0].cells.push_back({"finding", rule, 9, "action", "agency"});
  days[0].cells.push_back({"check", "zz<script>", 20, "", ""});
  send(days);
  CliRun r = report("--format svg");  // without --pack: the rule ids are the labels
  ASSERT_EQ(r.code, 0) << r.err;
  tinyxml2::XMLDocument doc;
  ASSERT_EQ(doc.Parse(r.out.c_str(), r.out.size()), tinyxml2::XML_SUCCESS) << doc.ErrorStr() << "\n"
                                                                           << r.out;
  EXPECT_FALSE(contains(r.out, "<script")) << r.out;
  EXPECT_FALSE(contains(r.out, "<b>")) << r.out;
  const std::string text = all_text(doc.RootElement());
  EXPECT_TRUE(contains(text, "<b>Shinjuku</b> & \"Co\"")) << "read back as the text it was";
  bool found = false;
  for (const auto& b : bars_of(doc))
    if (b.rule == rule) {
      found = true;
      EXPECT_EQ(b.responsible, "agency");
      EXPECT_EQ(b.label, rule);
    }
  EXPECT_TRUE(found) << r.out;
}

// ---- errors ---------------------------------------------------------------------------------

TEST_F(CountsReportTest, AWrongKeyNoCountsAndAnUnknownFormatEachSaySo) {
  CliRun empty = report("");
  EXPECT_EQ(empty.code, 7) << empty.err;
  EXPECT_TRUE(contains(empty.err, "no counts in " + db_path() +
                                      ": no kiosk has sent any yet (are they started with "
                                      "KIOSK_COUNTS=on?"))
      << empty.err;

  send(two_days());
  ASSERT_EQ(run_kioskctl("outbox keygen --out " + dir_ / "other", dir_.path()).code, 0);
  CliRun wrong = run_kioskctl(
      "counts report --db " + db_path() + " --key " + dir_ / "other/agency.key", dir_.path());
  EXPECT_EQ(wrong.code, 6) << wrong.out << wrong.err;
  EXPECT_EQ(wrong.out, "");
  EXPECT_TRUE(contains(wrong.err,
                       "this key opens none of the 2 counts items: is it the "
                       "agency.key that matches the kiosks' KIOSK_AGENCY_KEY?"))
      << wrong.err;

  CliRun format = report("--format pdf");
  EXPECT_EQ(format.code, 2) << format.err;
  EXPECT_TRUE(contains(format.err, "pdf")) << format.err;
  CliRun no_key = run_kioskctl("counts report --db " + db_path(), dir_.path());
  EXPECT_EQ(no_key.code, 2) << no_key.err;
  EXPECT_TRUE(contains(no_key.err, "--key is needed")) << no_key.err;
  CliRun bad_pack = report("--pack " + dir_ / "nowhere");
  EXPECT_EQ(bad_pack.code, 2) << bad_pack.err;
  CliRun no_db =
      run_kioskctl("counts report --db " + dir_ / "nope.db" + " --key " + key_path(), dir_.path());
  EXPECT_EQ(no_db.code, 4) << no_db.err;
}

TEST_F(CountsReportTest, ADamagedCountsItemIsNamedAndTheOthersAreReported) {
  send(two_days());
  send_raw("counts", R"({"kind":"counts","visits":12})");
  CliRun r = report("--format json");
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["visits"]["count"], 70);
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex("damaged item [0-9a-f]{32} received [0-9TZ:-]+: opens, but is no valid "
                        "counts release: version: expected 1\n")))
      << r.err;
  EXPECT_TRUE(contains(r.err, "1 counts item could not be read, the others are reported")) << r.err;
  // The hand-off commands still leave counts items aside, readable or not.
  CliRun list = run_kioskctl("inbox list --db " + db_path() + " --key " + key_path(), dir_.path());
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_TRUE(contains(list.out, "0 hand-offs\n3 items of other kinds not shown (counts 3)\n"))
      << list.out;
}

TEST_F(CountsReportTest, HandOffsAreLeftSealedByTheCountsReport) {
  send(two_days());
  send_raw("handoff", "a hand-off that would not parse: damaged if it were opened");
  CliRun r = report("--format json");
  EXPECT_EQ(r.code, 0) << r.err << " (the report never opens a hand-off)";
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(nlohmann::json::parse(r.out)["visits"]["count"], 70);
  CliRun list = run_kioskctl("inbox list --db " + db_path() + " --key " + key_path(), dir_.path());
  EXPECT_EQ(list.code, 1) << "the hand-off commands do open it";
}

TEST_F(CountsReportTest, CountsOfSeveralPacksAreNotAddedUp) {
  auto days = two_days();
  days[1].pack_id = "jp.other";
  send(days);
  CliRun r = report("");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "the counts come from 2 packs (jp.other, jp.residence)")) << r.err;
  CliRun one = report("--pack " + kPackDir + " --format json");
  EXPECT_EQ(one.code, 0) << one.err;
  EXPECT_TRUE(contains(one.err, "left out 1 release of other packs than jp.residence")) << one.err;
  EXPECT_EQ(nlohmann::json::parse(one.out)["visits"]["count"], 40);
}

TEST_F(CountsReportTest, HelpSaysWhatItComputesAndEveryExitCode) {
  CliRun help = run_kioskctl("counts report --help", dir_.path());
  EXPECT_EQ(help.code, 0);
  for (const char* line :
       {"withheld", "lower bound", "2a/(1-a)^2", "not sampling error",
        "  6  the key opens none of the counts items", "  7  no counts", "  8  an --odk-csv file"})
    EXPECT_TRUE(contains(help.out, line)) << line << "\n" << help.out;
}

#else
TEST(CountsReport, NotBuilt) {
  GTEST_SKIP() << "kioskctl is not part of this build";
}
#endif

}  // namespace
}  // namespace kiosk::sync
