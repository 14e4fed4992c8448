// SPDX-License-Identifier: GPL-3.0-or-later
// The hand-off record: what the kiosk writes reads back the same, version 1 items still
// read, and every malformed item in tests/data/handoff/bad/NAME.json is refused with the
// message in NAME.expected.
#include "core/handoff.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Handoff sample() {
  Handoff h;
  h.code = "K7F3-9QPX";
  h.pack_id = "jp.residence";
  h.pack_version = "2026.11.27";
  h.procedure_id = "extension";
  h.language = "ne";
  h.office_language = "ja";
  h.date = *Date::from_ymd(2026, 11, 27);
  h.checklist_user = "नवीकरण\n! ...";
  h.checklist_office = "在留期間更新\n! ...";
  h.findings = {
      {"ext-no-insurance-employer", Outcome::Blocker, Responsible::Employer, {}, false},
      {"ext-window-open", Outcome::Ready, Responsible::Self, Date::from_ymd(2027, 1, 10), false},
      {"ext-photo", Outcome::Action, Responsible::Self, {}, true}};
  return h;
}

TEST(Handoff, RoundTrips) {
  const Handoff h = sample();
  std::string error;
  auto back = parse_handoff_json(handoff_json(h), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->version, kHandoffVersion);
  EXPECT_EQ(back->code, h.code);
  EXPECT_EQ(back->pack_version, h.pack_version);
  EXPECT_EQ(back->date, h.date);
  EXPECT_EQ(back->checklist_user, h.checklist_user);
  EXPECT_EQ(back->checklist_office, h.checklist_office);
  ASSERT_EQ(back->findings.size(), 3u);
  EXPECT_EQ(back->findings[0].responsible, Responsible::Employer);
  EXPECT_EQ(back->findings[1].deadline, Date::from_ymd(2027, 1, 10));
  EXPECT_FALSE(back->findings[0].deadline);
  EXPECT_TRUE(back->findings[2].undecided);
}

TEST(Handoff, TheDocumentedExampleReads) {
  std::string error;
  auto h = parse_handoff_json(slurp(testing::test_data() / "handoff/good-v2.json"), &error);
  ASSERT_TRUE(h) << error;
  EXPECT_EQ(h->findings.size(), 2u);
  EXPECT_EQ(h->checklist_office.substr(0, 6), "在留");
}

TEST(Handoff, VersionOneHasNoFindingsAndOneChecklistForOneLanguage) {
  std::string error;
  auto h = parse_handoff_json(slurp(testing::test_data() / "handoff/good-v1.json"), &error);
  ASSERT_TRUE(h) << error;
  EXPECT_EQ(h->version, 1);
  EXPECT_TRUE(h->findings.empty());
  EXPECT_EQ(h->checklist_office, h->checklist_user);
}

TEST(Handoff, WipeLeavesNothing) {
  Handoff h = sample();
  wipe_handoff(h);
  EXPECT_TRUE(h.code.empty());
  EXPECT_TRUE(h.checklist_user.empty());
  EXPECT_TRUE(h.checklist_office.empty());
  EXPECT_TRUE(h.findings.empty());
}

class BadHandoff : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadHandoff, IsRefusedWithItsMessage) {
  fs::path expected = GetParam();
  expected.replace_extension(".expected");
  std::string want = slurp(expected);
  while (!want.empty() && want.back() == '\n') want.pop_back();
  std::string error;
  EXPECT_FALSE(parse_handoff_json(slurp(GetParam()), &error));
  EXPECT_EQ(error, want) << GetParam().string();
}

std::vector<fs::path> bad_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(testing::test_data() / "handoff" / "bad"))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Files, BadHandoff, ::testing::ValuesIn(bad_files()), [](const auto& info) {
  std::string n = info.param.stem().string();
  for (char& c : n)
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
});

}  // namespace
}  // namespace kiosk::core
