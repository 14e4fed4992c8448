// SPDX-License-Identifier: GPL-3.0-or-later
// Session: answers in memory, validated against the pack, wiped on clear().
#include "core/session.h"

#include <cmath>

namespace kiosk::core {
namespace {

// Overwrites a string's bytes through a volatile pointer so the compiler cannot drop the
// writes as dead stores, then releases the buffer.
void wipe_string(std::string& s) {
  volatile char* p = s.data();
  for (size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
  s.shrink_to_fit();
}

const char* kind_name(QuestionType t) {
  switch (t) {
    case QuestionType::YesNo:
      return "yes or no";
    case QuestionType::OneOf:
      return "one option";
    case QuestionType::SeveralOf:
      return "a list of options";
    case QuestionType::Date:
      return "a date";
    case QuestionType::Number:
      return "a number";
  }
  return "?";
}

bool kind_fits(QuestionType t, Answer::Kind k) {
  switch (t) {
    case QuestionType::YesNo:
      return k == Answer::Bool;
    case QuestionType::OneOf:
      return k == Answer::Option;
    case QuestionType::SeveralOf:
      return k == Answer::Options;
    case QuestionType::Date:
      return k == Answer::Date;
    case QuestionType::Number:
      return k == Answer::Number;
  }
  return false;
}

}  // namespace

Answer Answer::dont_know() {
  Answer a;
  a.kind = Unknown;
  return a;
}
Answer Answer::of_bool(bool b) {
  Answer a;
  a.kind = Bool;
  a.boolean = b;
  return a;
}
Answer Answer::of_option(std::string id) {
  Answer a;
  a.kind = Option;
  a.option = std::move(id);
  return a;
}
Answer Answer::of_options(std::vector<std::string> ids) {
  Answer a;
  a.kind = Options;
  a.options = std::move(ids);
  return a;
}
Answer Answer::of_date(core::Date d) {
  Answer a;
  a.kind = Date;
  a.date = d;
  return a;
}
Answer Answer::of_number(double n) {
  Answer a;
  a.kind = Number;
  a.number = n;
  return a;
}

void Answer::wipe() {
  wipe_string(option);
  for (auto& o : options) wipe_string(o);
  options.clear();
  options.shrink_to_fit();
  volatile bool* b = &boolean;
  *b = false;
  volatile double* n = &number;
  *n = 0;
  date = core::Date();
  kind = Unanswered;
}

std::optional<std::string> validate_answer(const Pack& pack, const std::string& question_id,
                                           const Answer& answer) {
  const Question* q = pack.find_question(question_id);
  if (!q) return "unknown question '" + question_id + "'";
  if (answer.kind == Answer::Unanswered) return std::nullopt;
  if (answer.kind == Answer::Unknown) {
    if (q->allow_unknown) return std::nullopt;
    return "question '" + question_id + "' does not offer \"I don't know\"";
  }
  if (!kind_fits(q->type, answer.kind))
    return "question '" + question_id + "' expects " + kind_name(q->type);
  if (answer.kind == Answer::Option && !q->find_option(answer.option))
    return "question '" + question_id + "' has no such option";
  if (answer.kind == Answer::Options) {
    for (size_t i = 0; i < answer.options.size(); ++i) {
      if (!q->find_option(answer.options[i]))
        return "question '" + question_id + "' has no such option";
      for (size_t j = 0; j < i; ++j)
        if (answer.options[j] == answer.options[i])
          return "question '" + question_id + "' got an option twice";
    }
  }
  if (answer.kind == Answer::Number) {
    if (!std::isfinite(answer.number))
      return "question '" + question_id + "' expects a finite number";
    if (q->min && answer.number < *q->min)
      return "question '" + question_id + "' is below its minimum";
    if (q->max && answer.number > *q->max)
      return "question '" + question_id + "' is above its maximum";
  }
  return std::nullopt;
}

Session::Session(std::shared_ptr<const Pack> pack) : pack_(std::move(pack)) {}

Session::~Session() {
  clear();
}

std::optional<std::string> Session::set_answer(const std::string& question_id, Answer answer) {
  if (auto error = validate_answer(*pack_, question_id, answer)) {
    answer.wipe();
    return error;
  }
  auto it = answers_.find(question_id);
  if (it != answers_.end()) {
    it->second.wipe();
    answers_.erase(it);
  }
  if (answer.kind != Answer::Unanswered) answers_.emplace(question_id, std::move(answer));
  return std::nullopt;
}

Answer Session::answer(const std::string& question_id) const {
  auto it = answers_.find(question_id);
  return it == answers_.end() ? Answer::unanswered() : it->second;
}

void Session::clear() {
  for (auto& [id, answer] : answers_) answer.wipe();
  answers_.clear();
}

std::vector<std::string> Session::visible_questions(const std::string& check_id, Date today) const {
  return core::visible_questions(*pack_, check_id, answers_, today);
}

}  // namespace kiosk::core
