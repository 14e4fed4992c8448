// SPDX-License-Identifier: GPL-3.0-or-later
// Golden cases: tests/data/golden/mini/NNN-name.json hold today, answers and the expected
// verdict of every rule of the check; the explained result is read back from to_json().
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/eval.h"
#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::vector<fs::path> golden_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(testing::test_data() / "golden" / "mini"))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class Golden : public ::testing::TestWithParam<fs::path> {};

// Compares the fields an expectation names; a bare string names the outcome only.
void expect_rule(const std::string& id, const json& want, const json& got) {
  if (want.is_string()) {
    EXPECT_EQ(got.at("outcome"), want) << "rule " << id;
    return;
  }
  for (auto it = want.begin(); it != want.end(); ++it) {
    if (it.key() == "values") {
      for (auto v = it->begin(); v != it->end(); ++v)
        EXPECT_EQ(got.at("values").at(v.key()), *v) << "rule " << id << " value " << v.key();
    } else {
      EXPECT_EQ(got.at(it.key()), *it) << "rule " << id << " field " << it.key();
    }
  }
}

TEST_P(Golden, MatchesExpectedVerdicts) {
  auto pack = testing::mini_pack();
  ASSERT_TRUE(pack);
  json c = json::parse(testing::read_text(GetParam()));
  std::string error;
  auto answers = parse_answers_json(*pack, c.at("answers").dump(), &error);
  ASSERT_TRUE(answers) << error;
  auto today = Date::parse(c.at("today").get<std::string>());
  ASSERT_TRUE(today);
  CheckResult result = evaluate(*pack, c.at("check"), *answers, *today);
  json got = json::parse(to_json(result));
  const json& expect = c.at("expect");
  EXPECT_EQ(got.at("overall"), expect.at("overall"));
  EXPECT_EQ(got.at("pack").at("id"), "test.mini");
  EXPECT_EQ(got.at("pack").at("version"), "1.2.3");
  // Every rule of the check is accounted for, and nothing else.
  std::set<std::string> got_ids;
  for (const auto& r : got.at("rules")) got_ids.insert(r.at("id").get<std::string>());
  std::set<std::string> want_ids;
  for (auto it = expect.at("rules").begin(); it != expect.at("rules").end(); ++it)
    want_ids.insert(it.key());
  EXPECT_EQ(got_ids, want_ids);
  for (const auto& r : got.at("rules")) {
    std::string id = r.at("id");
    if (expect.at("rules").contains(id)) expect_rule(id, expect.at("rules").at(id), r);
  }
}

INSTANTIATE_TEST_SUITE_P(Mini, Golden, ::testing::ValuesIn(golden_files()),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           std::string name = info.param.stem().string();
                           for (auto& ch : name)
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return "case_" + name;
                         });

TEST(GoldenCount, AtLeastThirtyCases) {
  EXPECT_GE(golden_files().size(), 30u);
}

}  // namespace
}  // namespace kiosk::core
