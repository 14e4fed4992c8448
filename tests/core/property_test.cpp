// SPDX-License-Identifier: GPL-3.0-or-later
// Property tests over the mini pack: thousands of random answer sets (valid, partial,
// "I don't know", answers to hidden questions) never crash, every rule of the check is
// accounted for with a known reason, the overall verdict is the worst outcome, and the
// JSON is byte-identical when evaluated twice.
#include <gtest/gtest.h>

#include <random>

#include "core/eval.h"
#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

Answer random_answer(const Question& q, std::mt19937& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  if (q.allow_unknown && pick(6) == 0) return Answer::dont_know();
  switch (q.type) {
    case QuestionType::YesNo:
      return Answer::of_bool(pick(2) == 0);
    case QuestionType::OneOf:
      return Answer::of_option(q.options[pick(static_cast<int>(q.options.size()))].id);
    case QuestionType::SeveralOf: {
      std::vector<std::string> ids;
      for (const auto& o : q.options)
        if (pick(2)) ids.push_back(o.id);
      return Answer::of_options(ids);
    }
    case QuestionType::Date:
      return Answer::of_date(Date::parse("2026-11-27")->add_days(pick(1500) - 750).value());
    case QuestionType::Number:
      return Answer::of_number(pick(3) == 0 ? pick(5) : pick(5'000'000));
  }
  return Answer::unanswered();
}

int rank(Outcome o) {
  return static_cast<int>(o);
}  // NotApplicable < Ready < Action < Blocker

bool known_reason(const std::string& why) {
  return why == "condition-true" || why == "condition-false" || why == "not-applicable" ||
         why.rfind("unknown-input", 0) == 0;
}

TEST(Property, RandomAnswerSetsAreFullyExplained) {
  auto pack = testing::mini_pack();
  ASSERT_TRUE(pack);
  std::mt19937 rng(20261127);
  int evaluations = 0;
  for (int i = 0; i < 3000; ++i) {
    Answers answers;
    for (const auto& q : pack->questions)
      if (rng() % 4 != 0) answers[q.id] = random_answer(q, rng);
    Date today = Date::parse("2026-11-27")->add_days(static_cast<int>(rng() % 1000) - 500).value();
    for (const auto& check : pack->check_ids()) {
      CheckResult r = evaluate(*pack, check, answers, today);
      ++evaluations;
      size_t expected_rules = 0;
      Outcome worst = Outcome::NotApplicable;
      for (const auto& rule : pack->rules) expected_rules += rule.check_id == check;
      ASSERT_EQ(r.rules.size(), expected_rules);
      for (const auto& rr : r.rules) {
        ASSERT_TRUE(known_reason(rr.why)) << rr.why;
        ASSERT_FALSE(rr.source_id.empty());
        if (rr.why.rfind("unknown-input", 0) == 0) ASSERT_EQ(rr.outcome, Outcome::Action);
        if (rank(rr.outcome) > rank(worst)) worst = rr.outcome;
      }
      ASSERT_EQ(r.overall, worst);
      if (i % 100 == 0) ASSERT_EQ(to_json(r), to_json(evaluate(*pack, check, answers, today)));
    }
  }
  EXPECT_EQ(evaluations, 6000);
}

TEST(Property, VisibleQuestionsAreInFileOrderAndShowIfHolds) {
  auto pack = testing::mini_pack();
  std::mt19937 rng(7);
  for (int i = 0; i < 1000; ++i) {
    Answers answers;
    for (const auto& q : pack->questions)
      if (rng() % 3 != 0) answers[q.id] = random_answer(q, rng);
    auto visible =
        visible_questions(*pack, "extension", answers, Date::parse("2026-11-27").value());
    size_t last = 0;
    for (const auto& id : visible) {
      size_t index = 0;
      while (pack->questions[index].id != id) ++index;
      ASSERT_GE(index, last);
      last = index;
      ASSERT_TRUE(pack->questions[index].asked_by("extension"));
    }
    bool works = answers.count("status") && answers["status"].option == "work";
    bool employment_shown =
        std::find(visible.begin(), visible.end(), "employment") != visible.end();
    ASSERT_EQ(employment_shown, works);
  }
}

TEST(Determinism, SameInputsGiveByteIdenticalJson) {
  auto pack = testing::mini_pack();
  std::string error;
  const char* text =
      R"({"card_expiry": "2027-01-31", "applied": false, "status": "work", "employment": "employee",
                         "employer_docs": null, "months_worked": 2, "income": 3000000,
                         "documents": ["tax_cert", "photo"], "has_insurance": true})";
  auto a = parse_answers_json(*pack, text, &error);
  ASSERT_TRUE(a) << error;
  // Same answers inserted in another order.
  Answers b;
  for (auto it = a->rbegin(); it != a->rend(); ++it) b.emplace(it->first, it->second);
  Date today = Date::parse("2026-11-27").value();
  std::string first = to_json(evaluate(*pack, "extension", *a, today));
  std::string second = to_json(evaluate(*pack, "extension", b, today));
  EXPECT_EQ(first, second);
  EXPECT_EQ(first, to_json(evaluate(*pack, "extension", *a, today)));
  EXPECT_NE(first, to_json(evaluate(*pack, "extension", *a, today.add_days(1).value())));
  EXPECT_EQ(first.back(), '\n');
  EXPECT_NE(first.find("\"why\": \"unknown-input:employer_docs\""), std::string::npos);
}

}  // namespace
}  // namespace kiosk::core
