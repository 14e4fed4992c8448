// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/session.h"

#include <gtest/gtest.h>

#include "core/eval.h"
#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

Date today() {
  return Date::parse("2026-11-27").value();
}

TEST(Session, ValidatesAnswersAgainstTheirQuestions) {
  Session s(testing::mini_pack());
  EXPECT_EQ(s.set_answer("nope", Answer::of_bool(true)), "unknown question 'nope'");
  EXPECT_EQ(s.set_answer("applied", Answer::of_number(3)), "question 'applied' expects yes or no");
  EXPECT_EQ(s.set_answer("applied", Answer::dont_know()),
            "question 'applied' does not offer \"I don't know\"");
  EXPECT_EQ(s.set_answer("status", Answer::of_option("retired")),
            "question 'status' has no such option");
  EXPECT_EQ(s.set_answer("documents", Answer::of_options({"photo", "photo"})),
            "question 'documents' got an option twice");
  EXPECT_EQ(s.set_answer("months_worked", Answer::of_number(601)),
            "question 'months_worked' is above its maximum");
  EXPECT_EQ(s.set_answer("months_worked", Answer::of_number(-1)),
            "question 'months_worked' is below its minimum");
  EXPECT_EQ(s.set_answer("card_expiry", Answer::dont_know()), std::nullopt);
  EXPECT_EQ(s.set_answer("months_worked", Answer::of_number(12)), std::nullopt);
  EXPECT_EQ(s.answer("months_worked").number, 12);
  EXPECT_EQ(s.answer("applied").kind, Answer::Unanswered);
  EXPECT_EQ(s.answers().size(), 2u);
}

TEST(Session, ShowsFollowUpQuestionsOnlyWhenTheyApply) {
  Session s(testing::mini_pack());
  auto base = s.visible_questions("extension", today());
  EXPECT_EQ(base, (std::vector<std::string>{"applied", "card_expiry", "status", "documents",
                                            "has_insurance"}));
  ASSERT_EQ(s.set_answer("status", Answer::of_option("work")), std::nullopt);
  EXPECT_EQ(s.visible_questions("extension", today()),
            (std::vector<std::string>{"applied", "card_expiry", "status", "employment", "income",
                                      "documents", "has_insurance"}));
  ASSERT_EQ(s.set_answer("employment", Answer::of_option("employee")), std::nullopt);
  EXPECT_EQ(
      s.visible_questions("extension", today()),
      (std::vector<std::string>{"applied", "card_expiry", "status", "employment", "employer_docs",
                                "months_worked", "income", "documents", "has_insurance"}));
  EXPECT_EQ(s.visible_questions("reentry", today()),
            (std::vector<std::string>{"card_expiry", "trip_date"}));
}

TEST(Session, ClearWipesEveryAnswer) {
  Session s(testing::mini_pack());
  ASSERT_EQ(s.set_answer("status", Answer::of_option("student")), std::nullopt);
  ASSERT_EQ(s.set_answer("documents", Answer::of_options({"photo", "passport"})), std::nullopt);
  s.clear();
  EXPECT_TRUE(s.answers().empty());
  EXPECT_EQ(s.answer("status").kind, Answer::Unanswered);
  EXPECT_EQ(s.visible_questions("extension", today()).size(), 5u);
}

TEST(Session, WipeOverwritesAnswerStrings) {
  Answer a = Answer::of_options({"passport", "photo"});
  a.option = "a long option id that does not fit in the small string buffer";
  a.wipe();
  EXPECT_EQ(a.kind, Answer::Unanswered);
  EXPECT_TRUE(a.option.empty());
  EXPECT_TRUE(a.options.empty());
}

TEST(AnswersJson, RejectsInvalidAnswersWithClearMessages) {
  auto pack = testing::mini_pack();
  auto error_of = [&](const std::string& json) {
    std::string error;
    auto a = parse_answers_json(*pack, json, &error);
    return a ? std::string("ok") : error;
  };
  EXPECT_EQ(error_of(R"({"card_expiry": "2027-01-31", "applied": true})"), "ok");
  EXPECT_EQ(error_of(R"({"card_expiry": null})"), "ok");
  EXPECT_EQ(error_of(R"({"nationality": "x"})"), "answers: unknown question 'nationality'");
  EXPECT_EQ(error_of(R"({"applied": "yes"})"),
            "answers: question 'applied': expected true or false");
  EXPECT_EQ(error_of(R"({"card_expiry": "2026-02-30"})"),
            "answers: question 'card_expiry': expected a real calendar date \"YYYY-MM-DD\" (this "
            "one does not exist or "
            "is malformed)");
  EXPECT_EQ(error_of(R"({"documents": "photo"})"),
            "answers: question 'documents': expected a list of option ids");
  EXPECT_EQ(error_of(R"({"status": "retired"})"), "answers: question 'status' has no such option");
  EXPECT_EQ(error_of(R"({"applied": null})"),
            "answers: question 'applied' does not offer \"I don't know\"");
  EXPECT_EQ(error_of(R"({"months_worked": 1e400})"),
            "answers: invalid JSON (a number is out of range)");
  EXPECT_EQ(error_of(R"([1, 2])"),
            "answers: expected a JSON object {\"question_id\": answer, ...}");
  EXPECT_EQ(error_of("{"), "answers: invalid JSON at byte 2");
}

}  // namespace
}  // namespace kiosk::core
