// SPDX-License-Identifier: GPL-3.0-or-later
// `kioskctl inbox` as a help desk runs it: real hand-offs sealed by a real Outbox, delivered to
// the real kiosk-receiver on 127.0.0.1, then read back with the kioskctl binary and the
// agency.key that `kioskctl outbox keygen` wrote. Misuse as deliberately as use: a wrong key,
// a damaged row, a body that opens but is no hand-off, an unknown code, a key others can read,
// no database, and (as root) the deployment's permissions: a help-desk user in the receiver's
// group reading a database another user writes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "core/handoff.h"
#include "sync/crypto.h"
#include "sync/db.h"
#include "sync/files.h"
#include "sync/outbox.h"
#include "tests/sync/kioskctl_run.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

#ifdef KIOSK_KIOSKCTL_BIN

using test::CliRun;
using test::parse_csv;
using test::run_kioskctl;

namespace fs = std::filesystem;
using core::Outcome;
using core::Responsible;

// Checklists as a visitor from Nepal and the Japanese office read them.
constexpr const char* kNepaliChecklist =
    "बसोबास अवधि नवीकरण\n"
    "अहिले तयार छैन\n"
    "! स्वास्थ्य बीमा: दर्ता गराउनु रोजगारदाताको कर्तव्य हो\n"
    "? आम्दानी: तपाईंलाई जवाफ थाहा थिएन\n"
    "✓ आवेदन अवधि खुला छ: 2027-01-10 सम्म";
constexpr const char* kJapaneseChecklist =
    "在留期間更新\n"
    "まだ準備ができていません\n"
    "! 健康保険: 加入手続きは雇用主の義務です\n"
    "? 収入: 回答がありません\n"
    "✓ 申請期間中です: 2027-01-10まで";

core::Handoff nepali_visit(const std::string& code, int day = 27) {
  core::Handoff h;
  h.code = code;
  h.pack_id = "jp.residence";
  h.pack_version = "2026.11.27";
  h.procedure_id = "extension";
  h.language = "ne";
  h.office_language = "ja";
  h.date = *core::Date::from_ymd(2026, 11, day);
  h.checklist_user = kNepaliChecklist;
  h.checklist_office = kJapaneseChecklist;
  h.findings = {
      {"ext-no-insurance-employer", Outcome::Blocker, Responsible::Employer, std::nullopt, false},
      {"ext-income", Outcome::Action, Responsible::Self, std::nullopt, true},
      {"ext-window-open", Outcome::Ready, Responsible::Self, core::Date::from_ymd(2027, 1, 10),
       false}};
  return h;
}

core::Handoff japanese_visit(const std::string& code) {
  core::Handoff h = nepali_visit(code, 28);
  h.procedure_id = "change-of-status";
  h.language = "ja";
  h.checklist_user = kJapaneseChecklist;
  h.findings = {{"cos-ready", Outcome::Ready, Responsible::Self, std::nullopt, false}};
  return h;
}

// A version-1 item, as kiosks sent them before findings existed.
const std::string kVersion1Item =
    R"({"kind":"handoff","version":1,"code":"W2W2-3456","pack":{"id":"jp.residence",)"
    R"("version":"2026.11.27"},"procedure":"extension","language":"ja","office_language":"ja",)"
    R"("date":"2026-11-20","checklist":[{"language":"ja","text":"在留期間更新\n準備ができています"}]})";

std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class InboxTest : public ::testing::Test {
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

  // Seals and delivers one item the way the kiosk does; returns its idempotency key.
  std::string send_raw(const std::string& kind, std::string plaintext) {
    std::string error;
    auto key = outbox_->enqueue(kind, plaintext, /*consent=*/true, &error);
    EXPECT_TRUE(key) << error;
    EXPECT_EQ(outbox_->deliver_due().delivered, 1);
    return key.value_or("");
  }
  std::string send(const core::Handoff& h) { return send_raw("handoff", core::handoff_json(h)); }

  CliRun inbox(const std::string& args) {
    return run_kioskctl("inbox " + args + " --db " + db_path() + " --key " + key_path(),
                        dir_.path());
  }

  void overwrite_body(const std::string& idem_key, const std::string& body) {
    Db db;
    std::string error;
    ASSERT_TRUE(db.open(db_path(), nullptr, &error)) << error;
    Stmt s(db.handle(), "UPDATE items SET body = ? WHERE idem_key = ?");
    s.bind_blob(1, body).bind(2, idem_key);
    ASSERT_TRUE(s.done()) << s.error();
    ASSERT_EQ(db.changes(), 1);
  }
  std::string stored_body(const std::string& idem_key) {
    Db db;
    std::string error;
    EXPECT_TRUE(db.open(db_path(), nullptr, &error)) << error;
    Stmt s(db.handle(), "SELECT body FROM items WHERE idem_key = ?");
    s.bind(1, idem_key);
    EXPECT_TRUE(s.step());
    return s.blob(0);
  }

  test::TempDir dir_;
  test::Receiver receiver_;
  SyncConfig config_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(InboxTest, ListShowsEveryHandOffNewestFirstWithItsFacts) {
  send(nepali_visit("K7F3-9QPX"));
  send_raw("handoff", kVersion1Item);
  send(japanese_visit("M4RT-8WZB"));
  CliRun list = inbox("list");
  ASSERT_EQ(list.code, 0) << list.out << list.err;
  EXPECT_EQ(list.err, "");
  std::istringstream lines(list.out);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 5u) << list.out;
  EXPECT_TRUE(std::regex_match(
      rows[0], std::regex("CODE +VISIT +PROCEDURE +LANG +OFFICE +RECEIVED +TO ACT")))
      << rows[0];
  const std::string received = R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)";
  EXPECT_TRUE(std::regex_match(
      rows[1], std::regex("M4RT-8WZB +2026-11-28 +change-of-status +ja +ja +" + received + " +0")))
      << rows[1];
  EXPECT_TRUE(std::regex_match(
      rows[2], std::regex("W2W2-3456 +2026-11-20 +extension +ja +ja +" + received + " +-")))
      << rows[2] << " (a version-1 item has no findings to count)";
  EXPECT_TRUE(std::regex_match(
      rows[3], std::regex("K7F3-9QPX +2026-11-27 +extension +ne +ja +" + received + " +2")))
      << rows[3] << " (a blocker and an action; the ready finding does not count)";
  EXPECT_EQ(rows[4], "3 hand-offs");
}

TEST_F(InboxTest, ShowPrintsTheOfficeChecklistThenTheVisitorsThenTheFindings) {
  const std::string key = send(nepali_visit("K7F3-9QPX"));
  send(japanese_visit("M4RT-8WZB"));
  for (const char* typed : {"K7F3-9QPX", "k7f39qpx", "'k7f3 9Qpx'"}) {
    CliRun show = inbox(std::string("show ") + typed);
    ASSERT_EQ(show.code, 0) << typed << "\n" << show.out << show.err;
    const std::string& out = show.out;
    EXPECT_TRUE(contains(out, "Hand-off K7F3-9QPX\n")) << out;
    EXPECT_FALSE(contains(out, "M4RT-8WZB")) << "only the hand-off asked for";
    EXPECT_TRUE(contains(out, "  visitor    ne Nepali\n")) << out;
    EXPECT_TRUE(contains(out, "  office     ja Japanese\n")) << out;
    EXPECT_TRUE(contains(out, "  item       " + key + " (format version 2)\n")) << out;
    const size_t office = out.find("Checklist in ja Japanese (the office's language):\n");
    const size_t visitor = out.find("Checklist in ne Nepali (the visitor's language):\n");
    const size_t findings = out.find("Findings: 3, 2 to act on\n");
    ASSERT_NE(office, std::string::npos) << out;
    ASSERT_NE(visitor, std::string::npos) << out;
    ASSERT_NE(findings, std::string::npos) << out;
    EXPECT_LT(office, visitor);
    EXPECT_LT(visitor, findings);
    // Every checklist line, indented, in its section.
    EXPECT_NE(out.find("  ! 健康保険: 加入手続きは雇用主の義務です\n", office), std::string::npos)
        << out;
    EXPECT_LT(out.find("雇用主の義務"), visitor);
    EXPECT_NE(out.find("  ! स्वास्थ्य बीमा: दर्ता गराउनु रोजगारदाताको कर्तव्य हो\n", visitor),
              std::string::npos)
        << out;
    EXPECT_TRUE(
        std::regex_search(out, std::regex("  ext-no-insurance-employer +blocker +employer +-\n")))
        << out;
    EXPECT_TRUE(
        std::regex_search(out, std::regex("  ext-income +action \\(undecided\\) +self +-\n")))
        << out;
    EXPECT_TRUE(std::regex_search(out, std::regex("  ext-window-open +ready +self +2027-01-10\n")))
        << out;
  }
}

TEST_F(InboxTest, AVisitInTheOfficeLanguageShowsItsOneChecklistOnce) {
  send(japanese_visit("M4RT-8WZB"));
  CliRun show = inbox("show M4RT-8WZB");
  ASSERT_EQ(show.code, 0) << show.out << show.err;
  EXPECT_TRUE(
      contains(show.out, "Checklist in ja Japanese (the visitor's and the office's language):\n"))
      << show.out;
  EXPECT_EQ(show.out.find("Checklist in"), show.out.rfind("Checklist in")) << show.out;
}

TEST_F(InboxTest, TwoHandOffsWithTheSameCodeAreBothShown) {
  send(nepali_visit("K7F3-9QPX", 27));
  send(nepali_visit("K7F3-9QPX", 29));
  CliRun show = inbox("show K7F3-9QPX");
  ASSERT_EQ(show.code, 0) << show.out << show.err;
  EXPECT_TRUE(contains(show.out, "2 hand-offs have the code K7F3-9QPX")) << show.out;
  const size_t newer = show.out.find("  visit      2026-11-29\n");
  const size_t older = show.out.find("  visit      2026-11-27\n");
  ASSERT_NE(newer, std::string::npos) << show.out;
  ASSERT_NE(older, std::string::npos) << show.out;
  EXPECT_LT(newer, older) << "newest first";
}

TEST_F(InboxTest, AVersion1ItemIsShownWithoutFindings) {
  send_raw("handoff", kVersion1Item);
  CliRun show = inbox("show w2w2-3456");
  ASSERT_EQ(show.code, 0) << show.out << show.err;
  EXPECT_TRUE(contains(show.out, "(format version 1)")) << show.out;
  EXPECT_TRUE(contains(show.out, "  準備ができています\n")) << show.out;
  EXPECT_TRUE(contains(show.out, "Findings: not in this item (format version 1")) << show.out;
}

TEST_F(InboxTest, AnUnknownCodeHasItsOwnExitCodeAndAMalformedOneIsBadInput) {
  send(nepali_visit("K7F3-9QPX"));
  CliRun unknown = inbox("show K7F3-9QPY");
  EXPECT_EQ(unknown.code, 7) << unknown.out << unknown.err;
  EXPECT_EQ(unknown.out, "");
  EXPECT_TRUE(contains(unknown.err, "no hand-off has the code K7F3-9QPY (1 hand-off searched)"))
      << unknown.err;
  for (const char* typed : {"K7F3-9QP0", "K7F3-9QP", "K7F3-9QPXX", "K7F3_9QPX"}) {
    CliRun malformed = inbox(std::string("show ") + typed);
    EXPECT_EQ(malformed.code, 2) << typed;
    EXPECT_TRUE(contains(malformed.err, "is not a reference code")) << malformed.err;
  }
}

TEST_F(InboxTest, CsvExportParsesBackOneRowPerHandOffWithTheTextsIntact) {
  send(nepali_visit("K7F3-9QPX"));
  send(japanese_visit("M4RT-8WZB"));
  send_raw("handoff", kVersion1Item);
  CliRun exp = inbox("export --format csv --out " + dir_ / "handoffs.csv");
  ASSERT_EQ(exp.code, 0) << exp.out << exp.err;
  EXPECT_EQ(exp.out, "") << "the CSV goes to the file only";
  EXPECT_TRUE(contains(exp.err, "wrote " + dir_ / "handoffs.csv" + ": 3 hand-offs")) << exp.err;
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "handoffs.csv").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  const std::string csv = test::read_text(dir_ / "handoffs.csv");
  auto rows = parse_csv(csv);
  ASSERT_EQ(rows.size(), 4u) << csv;
  const std::vector<std::string> header{
      "code",        "visit_date", "procedure",        "language",         "office_language",
      "received_at", "to_act",     "findings",         "pack_id",          "pack_version",
      "version",     "item",       "checklist_office", "checklist_visitor"};
  EXPECT_EQ(rows[0], header);
  for (const auto& row : rows) EXPECT_EQ(row.size(), header.size()) << csv;
  // Newest first: the version-1 item, the Japanese visit, the Nepali one.
  EXPECT_EQ(rows[1][0], "W2W2-3456");
  EXPECT_EQ(rows[1][6], "") << "a version-1 item has no findings to count";
  EXPECT_EQ(rows[1][7], "");
  EXPECT_EQ(rows[2][0], "M4RT-8WZB");
  EXPECT_EQ(rows[3][0], "K7F3-9QPX");
  EXPECT_EQ(rows[3][1], "2026-11-27");
  EXPECT_EQ(rows[3][3], "ne");
  EXPECT_EQ(rows[3][6], "2");
  EXPECT_EQ(rows[3][7], "3");
  EXPECT_EQ(rows[3][12], kJapaneseChecklist) << "newlines survive inside quoted fields";
  EXPECT_EQ(rows[3][13], kNepaliChecklist);
}

TEST_F(InboxTest, CsvFindingRowsCountWhoMustActOnWhat) {
  send(nepali_visit("K7F3-9QPX"));
  send(japanese_visit("M4RT-8WZB"));
  send_raw("handoff", kVersion1Item);
  CliRun exp = inbox("export --rows findings");
  ASSERT_EQ(exp.code, 0) << exp.out << exp.err;
  auto rows = parse_csv(exp.out);
  ASSERT_EQ(rows.size(), 5u) << exp.out << "(header, 1 + 3 findings, none for version 1)";
  EXPECT_EQ(rows[0], (std::vector<std::string>{"code", "visit_date", "procedure", "rule", "outcome",
                                               "responsible", "deadline", "undecided", "item"}));
  EXPECT_EQ(rows[1][0], "M4RT-8WZB");
  EXPECT_EQ(rows[2], (std::vector<std::string>{"K7F3-9QPX", "2026-11-27", "extension",
                                               "ext-no-insurance-employer", "blocker", "employer",
                                               "", "false", rows[2][8]}));
  EXPECT_EQ(rows[3][3], "ext-income");
  EXPECT_EQ(rows[3][7], "true");
  EXPECT_EQ(rows[4][6], "2027-01-10");
  EXPECT_TRUE(std::regex_match(rows[4][8], std::regex("[0-9a-f]{32}"))) << rows[4][8];
}

TEST_F(InboxTest, ACsvCellThatASpreadsheetWouldRunAsAFormulaStaysText) {
  core::Handoff h = nepali_visit("K7F3-9QPX");
  h.checklist_office = "=HYPERLINK(\"http://evil.invalid\",\"click\")";
  send(h);
  CliRun exp = inbox("export --bom");
  ASSERT_EQ(exp.code, 0) << exp.err;
  EXPECT_EQ(exp.out.rfind("\xEF\xBB\xBF"
                          "code,",
                          0),
            0u)
      << "--bom: a UTF-8 byte order mark first";
  auto rows = parse_csv(exp.out.substr(3));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][12], "'=HYPERLINK(\"http://evil.invalid\",\"click\")");
}

TEST_F(InboxTest, JsonExportIsTheItemsAsSealedPlusWhenAndUnderWhichKey) {
  const std::string a = send(nepali_visit("K7F3-9QPX"));
  const std::string b = send_raw("handoff", kVersion1Item);
  CliRun exp = inbox("export --format json");
  ASSERT_EQ(exp.code, 0) << exp.out << exp.err;
  auto j = nlohmann::json::parse(exp.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(j.is_array()) << exp.out;
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["idem_key"], b);
  EXPECT_EQ(j[0]["version"], 1);
  EXPECT_EQ(j[1]["idem_key"], a);
  EXPECT_EQ(j[1]["code"], "K7F3-9QPX");
  EXPECT_EQ(j[1]["checklist"][0]["text"], kNepaliChecklist);
  EXPECT_EQ(j[1]["checklist"][1]["text"], kJapaneseChecklist);
  EXPECT_EQ(j[1]["findings"].size(), 3u);
  EXPECT_TRUE(std::regex_match(j[1]["received_at"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  CliRun bad = inbox("export --format json --rows findings");
  EXPECT_EQ(bad.code, 2) << bad.err;
}

TEST_F(InboxTest, FiltersKeepTheReceivedDaysAndTheProcedureAsked) {
  send(nepali_visit("K7F3-9QPX"));
  send(japanese_visit("M4RT-8WZB"));
  auto today = core::Date::from_days(static_cast<long long>(std::time(nullptr) / 86400));
  CliRun procedure = inbox("list --procedure change-of-status");
  ASSERT_EQ(procedure.code, 0) << procedure.err;
  EXPECT_TRUE(contains(procedure.out, "M4RT-8WZB"));
  EXPECT_FALSE(contains(procedure.out, "K7F3-9QPX"));
  EXPECT_TRUE(contains(procedure.out, "1 of 2 hand-offs received, procedure change-of-status\n"))
      << procedure.out;
  CliRun later = inbox("list --from " + today->add_days(1)->to_string());
  ASSERT_EQ(later.code, 0) << later.err;
  EXPECT_EQ(later.out, "0 of 2 hand-offs received from " + today->add_days(1)->to_string() + "\n");
  CliRun day = inbox("export --from " + today->to_string() + " --to " + today->to_string());
  EXPECT_EQ(parse_csv(day.out).size(), 3u) << day.out;
  EXPECT_EQ(inbox("list --from 2026-13-01").code, 2);
  EXPECT_EQ(inbox("list --from 2026-12-02 --to 2026-12-01").code, 2);
}

TEST_F(InboxTest, AKeyThatOpensNothingSaysSoWithItsOwnExitCode) {
  send(nepali_visit("K7F3-9QPX"));
  send(japanese_visit("M4RT-8WZB"));
  ASSERT_EQ(run_kioskctl("outbox keygen --out " + dir_ / "other", dir_.path()).code, 0);
  for (const char* cmd : {"list", "show K7F3-9QPX", "export"}) {
    CliRun r = run_kioskctl(
        std::string("inbox ") + cmd + " --db " + db_path() + " --key " + dir_ / "other/agency.key",
        dir_.path());
    EXPECT_EQ(r.code, 6) << cmd << ": " << r.out << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(contains(r.err,
                         "this key opens none of the 2 items: is it the agency.key that matches "
                         "the kiosks' KIOSK_AGENCY_KEY?"))
        << r.err;
    const std::string other_pub = test::read_text(dir_ / "other/agency.pub").substr(0, 64);
    EXPECT_TRUE(contains(r.err, "has the public key " + other_pub)) << r.err;
  }
}

TEST_F(InboxTest, ADamagedRowIsNamedOnStderrAndTheOthersAreStillShown) {
  send(nepali_visit("K7F3-9QPX"));
  const std::string damaged = send(japanese_visit("M4RT-8WZB"));
  send_raw("handoff", kVersion1Item);
  std::string body = stored_body(damaged);
  body[body.size() / 2] ^= 0x01;  // one bit, as a failing disk would
  overwrite_body(damaged, body);

  CliRun list = inbox("list");
  EXPECT_EQ(list.code, 1) << list.out << list.err;
  EXPECT_TRUE(contains(list.out, "K7F3-9QPX"));
  EXPECT_TRUE(contains(list.out, "W2W2-3456"));
  EXPECT_FALSE(contains(list.out, "M4RT-8WZB"));
  EXPECT_TRUE(contains(list.out, "2 hand-offs\n")) << list.out;
  EXPECT_TRUE(std::regex_search(
      list.err, std::regex("damaged item " + damaged +
                           " received [0-9TZ:-]+: does not open with this key \\(damaged, or "
                           "sealed to another key\\)\n")))
      << list.err;
  EXPECT_TRUE(contains(list.err, "1 item could not be read, the others are shown")) << list.err;

  CliRun show = inbox("show K7F3-9QPX");
  EXPECT_EQ(show.code, 1) << "found, but the inbox has a damaged item";
  EXPECT_TRUE(contains(show.out, "Hand-off K7F3-9QPX"));
  CliRun missing = inbox("show M4RT-8WZB");
  EXPECT_EQ(missing.code, 7);
  EXPECT_TRUE(contains(missing.err, "it may be one of the damaged items above")) << missing.err;
  CliRun exp = inbox("export");
  EXPECT_EQ(exp.code, 1);
  EXPECT_EQ(parse_csv(exp.out).size(), 3u) << "header and the two readable hand-offs";
}

TEST_F(InboxTest, ABodyThatOpensButIsNoHandOffIsDamagedWithTheFieldNamed) {
  send(nepali_visit("K7F3-9QPX"));
  const std::string no_code =
      send_raw("handoff", R"({"kind":"handoff","version":2,"pack":{"id":"x","version":"1"}})");
  const std::string not_json = send_raw("handoff", "hello, help desk");
  CliRun list = inbox("list");
  EXPECT_EQ(list.code, 1) << list.out << list.err;
  EXPECT_TRUE(contains(list.out, "K7F3-9QPX")) << list.out;
  EXPECT_TRUE(contains(list.err, no_code)) << list.err;
  EXPECT_TRUE(contains(list.err, "opens, but is no valid hand-off: code: missing")) << list.err;
  EXPECT_TRUE(contains(list.err, not_json + " received")) << list.err;
  EXPECT_TRUE(contains(list.err, "opens, but is no valid hand-off: not a JSON object")) << list.err;
  EXPECT_TRUE(contains(list.err, "2 items could not be read")) << list.err;
}

TEST_F(InboxTest, ItemsOfOtherKindsAreLeftSealedAndCounted) {
  send(nepali_visit("K7F3-9QPX"));
  send_raw("counts", R"({"kind":"counts","visits":12})");
  send_raw("counts", R"({"kind":"counts","visits":3})");
  CliRun list = inbox("list");
  EXPECT_EQ(list.code, 0) << list.out << list.err;
  EXPECT_TRUE(contains(list.out, "1 hand-off\n2 items of other kinds not shown (counts 2)\n"))
      << list.out;
  EXPECT_EQ(list.err, "");
}

TEST_F(InboxTest, ControlCharactersFromAnItemNeverReachTheTerminal) {
  core::Handoff h = nepali_visit("K7F3-9QPX");
  h.checklist_user =
      "line one\n\x1b]0;owned\x07\x1b[2Jline two\xc2\x9b"
      "31m";
  h.procedure_id = "ext\x1b[31m";
  send(h);
  for (const char* cmd : {"list", "show K7F3-9QPX"}) {
    CliRun r = inbox(cmd);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << cmd << ": " << r.out;
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << cmd;
    EXPECT_EQ(r.out.find("\xc2\x9b"), std::string::npos) << cmd;
  }
  EXPECT_TRUE(contains(inbox("show K7F3-9QPX").out, "  ?]0;owned??[2Jline two?31m\n"));
}

TEST_F(InboxTest, AnEmptyInboxIsNoWrongKey) {
  CliRun list = inbox("list");
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_EQ(list.out, "0 hand-offs\n");
}

TEST_F(InboxTest, AKeyFileOthersCanReadIsRefusedLikeAMalformedOrMissingOne) {
  send(nepali_visit("K7F3-9QPX"));
  ASSERT_EQ(::chmod(key_path().c_str(), 0644), 0);
  CliRun readable = inbox("list");
  EXPECT_EQ(readable.code, 5) << readable.out << readable.err;
  EXPECT_EQ(readable.out, "");
  EXPECT_TRUE(
      contains(readable.err, "the secret key is readable by others; run chmod 600 " + key_path()))
      << readable.err;
  ASSERT_EQ(::chmod(key_path().c_str(), 0640), 0);
  EXPECT_EQ(inbox("list").code, 5) << "group-readable counts too";

  test::write_text(dir_ / "bad.key", "not a key\n");
  ::chmod((dir_ / "bad.key").c_str(), 0600);
  CliRun malformed =
      run_kioskctl("inbox list --db " + db_path() + " --key " + dir_ / "bad.key", dir_.path());
  EXPECT_EQ(malformed.code, 5);
  EXPECT_TRUE(contains(malformed.err, "expected 64 hex digits")) << malformed.err;
  CliRun pub = run_kioskctl("inbox list --db " + db_path() + " --key " + dir_ / "keys/agency.pub",
                            dir_.path());
  EXPECT_EQ(pub.code, 5) << "agency.pub is mode 0644: not a secret key file";
  CliRun missing =
      run_kioskctl("inbox list --db " + db_path() + " --key " + dir_ / "none.key", dir_.path());
  EXPECT_EQ(missing.code, 5);
  EXPECT_TRUE(contains(missing.err, "No such file or directory")) << missing.err;
}

TEST_F(InboxTest, NoDatabaseOrNoReceiversDatabaseIsSaidPlainly) {
  auto with_db = [&](const std::string& path) {
    return run_kioskctl("inbox list --db " + quoted(path) + " --key " + key_path(), dir_.path());
  };
  CliRun missing = with_db(dir_ / "nope.db");
  EXPECT_EQ(missing.code, 4);
  EXPECT_TRUE(contains(missing.err, dir_ / "nope.db" + ": No such file or directory"))
      << missing.err;
  EXPECT_FALSE(fs::exists(dir_ / "nope.db")) << "never created at a mistyped path";

  test::write_text(dir_ / "notes.txt", "these are not the items you are looking for\n");
  CliRun text = with_db(dir_ / "notes.txt");
  EXPECT_EQ(text.code, 4);
  EXPECT_TRUE(contains(text.err, "not an SQLite database")) << text.err;

  {
    Db other;
    std::string error;
    ASSERT_TRUE(other.open(dir_ / "kiosk.db", kSyncSchema, &error)) << error;
  }
  CliRun wrong = with_db(dir_ / "kiosk.db");
  EXPECT_EQ(wrong.code, 4);
  EXPECT_TRUE(contains(wrong.err, "not a kiosk-receiver database (no such table: items)"))
      << wrong.err;

  CliRun folder = with_db(dir_.path());
  EXPECT_EQ(folder.code, 4);
  EXPECT_TRUE(contains(folder.err, "not a file")) << folder.err;
}

TEST_F(InboxTest, ReadingNeverChangesTheDatabase) {
  send(nepali_visit("K7F3-9QPX"));
  send_raw("handoff", "damaged");
  receiver_.stop();  // nothing else writes from here on
  std::string error;
  const auto before = sha256_file_hex(db_path(), &error);
  ASSERT_TRUE(before) << error;
  EXPECT_EQ(inbox("list").code, 1);
  EXPECT_EQ(inbox("show K7F3-9QPX").code, 1);
  EXPECT_EQ(inbox("export --format json").code, 1);
  EXPECT_EQ(sha256_file_hex(db_path(), &error), before);
  Db db;
  ASSERT_TRUE(db.open(db_path(), nullptr, &error)) << error;
  EXPECT_EQ(db.integrity_check(), "ok");
}

TEST_F(InboxTest, HelpNamesEveryExitCode) {
  CliRun help = run_kioskctl("inbox list --help", dir_.path());
  EXPECT_EQ(help.code, 0);
  for (const char* line : {"  1  some items are damaged", "  4  the database cannot be read",
                           "  5  the key file cannot be used", "  6  the key opens none",
                           "  7  show: no hand-off has this code"})
    EXPECT_TRUE(contains(help.out, line)) << line << "\n" << help.out;
}

// ---- the deployment's permissions ---------------------------------------------------------
// migrant-kiosk-agency runs the receiver as the user kiosk-receiver with UMask=0027 in a
// StateDirectory of mode 0750; help-desk workers in the group kiosk-receiver read it. Here
// two unused ids stand in for them (setpriv, as root only).

constexpr int kReceiverId = 61234;  // user and group "kiosk-receiver"
constexpr int kWorkerId = 61235;    // a help-desk worker

class InboxPermissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0 || !fs::exists("/usr/bin/setpriv"))
      GTEST_SKIP() << "needs root and setpriv to act as the receiver's and a worker's users";
    ::chmod(dir_.path().c_str(), 0711);
    fs::create_directory(state_dir());
    ::chown(state_dir().c_str(), kReceiverId, kReceiverId);
    ::chmod(state_dir().c_str(), 0750);
    CliRun keygen = run_kioskctl("outbox keygen --out " + dir_ / "keys", dir_.path());
    ASSERT_EQ(keygen.code, 0) << keygen.err;
    ::chown((dir_ / "keys").c_str(), kWorkerId, kWorkerId);
    ::chown(key_path().c_str(), kWorkerId, kWorkerId);
    config_.state_db_path = dir_ / "kiosk-state.db";
    config_.agency_box_public_key_hex = test::read_text(dir_ / "keys/agency.pub").substr(0, 64);
  }
  void TearDown() override { stop_receiver(SIGTERM); }

  std::string state_dir() const { return dir_ / "state"; }
  std::string db_path() const { return state_dir() + "/items.db"; }
  std::string key_path() const { return dir_ / "keys/agency.key"; }

  // The receiver as its own user, with the unit's umask.
  void start_receiver() {
    const int port = test::free_loopback_port();
    const std::string id = std::to_string(kReceiverId);
    pid_ = test::spawn({"/usr/bin/setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups",
                        "/bin/sh", "-c",
                        "umask 027; exec " + std::string(KIOSK_RECEIVER_BIN) + " --port " +
                            std::to_string(port) + " --db " + db_path() + " >/dev/null"});
    for (int i = 0; i < 200 && !test::port_open(port); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    ASSERT_TRUE(test::port_open(port)) << "the receiver did not start";
    config_.outbox_url = "http://127.0.0.1:" + std::to_string(port) + "/v1/outbox";
  }
  void stop_receiver(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  void send(const std::string& code) {
    Outbox outbox(config_);
    std::string error;
    ASSERT_TRUE(outbox.open(&error)) << error;
    std::string item = core::handoff_json(nepali_visit(code));
    ASSERT_TRUE(outbox.enqueue("handoff", item, true, &error)) << error;
    ASSERT_EQ(outbox.deliver_due().delivered, 1);
  }
  // kioskctl as the worker, in the receiver's group or not.
  CliRun worker_runs(const std::string& args, bool in_group = true) {
    const std::string id = std::to_string(kWorkerId);
    const std::string groups =
        in_group ? "--groups=" + std::to_string(kReceiverId) : std::string("--clear-groups");
    return run_kioskctl("inbox " + args + " --db " + db_path() + " --key " + key_path(),
                        dir_ / "keys",
                        "/usr/bin/setpriv --reuid=" + id + " --regid=" + id + " " + groups + " ");
  }

  test::TempDir dir_;
  SyncConfig config_;
  pid_t pid_ = -1;
};

TEST_F(InboxPermissionTest, AWorkerInTheGroupReadsWhileTheReceiverRunsAndAfterItStops) {
  start_receiver();
  send("K7F3-9QPX");
  struct stat st {};
  ASSERT_EQ(::stat(db_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, static_cast<uid_t>(kReceiverId));
  EXPECT_EQ(st.st_mode & 0777, 0640u) << "UMask=0027";

  CliRun running = worker_runs("show K7F3-9QPX");
  EXPECT_EQ(running.code, 0) << running.out << running.err;
  EXPECT_TRUE(contains(running.out, "Hand-off K7F3-9QPX"));

  stop_receiver(SIGTERM);  // a clean stop removes items.db-wal and -shm
  CliRun stopped = worker_runs("list");
  EXPECT_EQ(stopped.code, 0) << stopped.out << stopped.err;
  EXPECT_TRUE(contains(stopped.out, "K7F3-9QPX")) << stopped.out;

  start_receiver();  // the worker's reads left nothing in the receiver's way
  send("M4RT-8WZB");
  stop_receiver(SIGKILL);  // a crash leaves both files, the last item only in the WAL
  CliRun crashed = worker_runs("list");
  EXPECT_EQ(crashed.code, 0) << crashed.out << crashed.err;
  EXPECT_TRUE(contains(crashed.out, "M4RT-8WZB")) << crashed.out;
  EXPECT_TRUE(contains(crashed.out, "2 hand-offs")) << crashed.out;
}

TEST_F(InboxPermissionTest, AUserOutsideTheGroupIsToldWhy) {
  start_receiver();
  send("K7F3-9QPX");
  CliRun r = worker_runs("list", /*in_group=*/false);
  EXPECT_EQ(r.code, 4) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "Permission denied")) << r.err;
  EXPECT_TRUE(contains(r.err, "the group kiosk-receiver")) << r.err;
}

#else
TEST(Inbox, NotBuilt) {
  GTEST_SKIP() << "kioskctl is not part of this build";
}
#endif

}  // namespace
}  // namespace kiosk::sync
