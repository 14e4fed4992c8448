// SPDX-License-Identifier: GPL-3.0-or-later
// The demo pack's 40+ personas (tests/data/personas/*.json): realistic people, their answers
// and a date in, the overall verdict and key findings out, worked out by hand from the rules.
// Also: the demo pack loads with no diagnostic at all and every listed language is complete,
// and every persona's key findings have messages in every language of the pack.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/eval.h"
#include "core/i18n.h"
#include "core/result_messages.h"
#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

PackFiles demo_files() {
  return testing::read_dir_or_fail(fs::path(KIOSK_SOURCE_DIR) / "assets/packs/jp-residence");
}

// Each persona runs in its own process (gtest_discover_tests), so personas load the pack
// without compiling every message; DemoPack.LoadsCleanAndEveryLanguageIsComplete does the
// full check once.
std::shared_ptr<const Pack> demo_pack() {
  static std::shared_ptr<const Pack> pack = [] {
    LoadResult r = load_pack(demo_files(), KIOSK_APP_VERSION, {.check_messages = false});
    for (const auto& d : r.diagnostics) ADD_FAILURE() << format_diagnostic(d);
    return r.pack;
  }();
  return pack;
}

std::vector<fs::path> persona_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(testing::test_data() / "personas"))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(DemoPack, LoadsCleanAndEveryLanguageIsComplete) {
  LoadResult r = load_pack(demo_files());
  for (const auto& d : r.diagnostics) ADD_FAILURE() << format_diagnostic(d);
  auto pack = r.pack;
  ASSERT_TRUE(pack);
  EXPECT_GE(pack->manifest.languages.size(), 23u);
  for (const auto& lang : pack->manifest.languages)
    EXPECT_EQ(pack->completeness_percent(lang.tag), 100) << lang.tag;
  EXPECT_GE(persona_files().size(), 40u);
}

class Persona : public ::testing::TestWithParam<fs::path> {};

TEST_P(Persona, VerdictAndKeyFindings) {
  auto pack = demo_pack();
  ASSERT_TRUE(pack);
  std::ifstream in(GetParam());
  json persona = json::parse(in);
  auto today = Date::parse(persona.at("today").get<std::string>());
  ASSERT_TRUE(today);
  std::string error;
  auto answers = parse_answers_json(*pack, persona.at("answers").dump(), &error);
  ASSERT_TRUE(answers) << error;
  std::string check = persona.at("check");
  CheckResult result = evaluate(*pack, check, *answers, *today);
  EXPECT_EQ(outcome_name(result.overall), persona.at("expect").at("overall").get<std::string>())
      << persona.value("description", "");
  for (const auto& [rule_id, outcome] : persona.at("expect").at("findings").items()) {
    auto it = std::find_if(result.rules.begin(), result.rules.end(),
                           [&](const RuleResult& r) { return r.rule_id == rule_id; });
    ASSERT_NE(it, result.rules.end()) << "no rule " << rule_id << " in check " << check;
    EXPECT_EQ(outcome_name(it->outcome), outcome.get<std::string>()) << "rule " << rule_id;
  }
  // Every finding that needs action reads in every language, never as a missing text.
  Localizer loc(pack->manifest.base_language);
  add_pack_catalogues(*pack, loc);
  for (const auto& lang : pack->manifest.languages) {
    loc.set_locale(lang.tag);
    for (const auto& r : result.rules) {
      if (r.outcome != Outcome::Action && r.outcome != Outcome::Blocker) continue;
      if (r.waits_for_answer()) continue;  // the kiosk shows the question instead
      std::string text = loc.format(r.message_id, message_args(r));
      EXPECT_NE(text, Localizer::kMissingText) << lang.tag << " " << r.message_id;
      EXPECT_EQ(text.find('{'), std::string::npos)
          << lang.tag << " " << r.message_id << ": " << text;
    }
  }
  // The explained result formats a message only for a finding that holds: a rule that did
  // not fire never reads "in -99 days".
  loc.set_locale("en");
  json explained = json::parse(to_json(result, &loc, "en"));
  for (const auto& r : explained.at("rules"))
    EXPECT_EQ(r.at("message").is_null(), r.at("why") != "condition-true") << r.at("id");
}

INSTANTIATE_TEST_SUITE_P(DemoPack, Persona, ::testing::ValuesIn(persona_files()),
                         [](const auto& info) {
                           std::string name = info.param.stem().string();
                           for (char& c : name)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace kiosk::core
