// SPDX-License-Identifier: GPL-3.0-or-later
// Session: one person's answers, kept in memory only and wiped on clear().
// Nothing here writes answers to disk or logs; persistence is out of scope by design.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/pack.h"

namespace kiosk::core {

struct Answer {
  enum Kind { Unanswered, Unknown /* "I don't know" */, Bool, Option, Options, Date, Number };
  Kind kind = Unanswered;
  bool boolean = false;
  std::string option;
  std::vector<std::string> options;
  core::Date date;
  double number = 0;

  static Answer unanswered() { return {}; }
  static Answer dont_know();
  static Answer of_bool(bool b);
  static Answer of_option(std::string id);
  static Answer of_options(std::vector<std::string> ids);
  static Answer of_date(core::Date d);
  static Answer of_number(double n);

  // Overwrites the memory of every string before releasing it.
  void wipe();
};

// Question id -> answer. Questions with no entry are unanswered.
using Answers = std::map<std::string, Answer>;

// Checks an answer against its question: type, option ids, number bounds, whether
// "I don't know" is offered. Returns an error message for staff/logs that never contains
// the answer itself; nullopt when valid.
std::optional<std::string> validate_answer(const Pack& pack, const std::string& question_id,
                                           const Answer& answer);

// Question ids of `check_id` to ask, in file order, whose show_if holds for `answers`
// (answers to hidden questions are ignored, exactly as in evaluate()).
std::vector<std::string> visible_questions(const Pack& pack, const std::string& check_id,
                                           const Answers& answers, Date today);

class Session {
 public:
  explicit Session(std::shared_ptr<const Pack> pack);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Validates and stores; Unanswered removes the answer. Returns an error message
  // (nullopt on success); the stored answers are unchanged on error.
  std::optional<std::string> set_answer(const std::string& question_id, Answer answer);
  // The stored answer, or Unanswered.
  Answer answer(const std::string& question_id) const;
  const Answers& answers() const { return answers_; }
  // Wipes every answer (string memory overwritten before it is freed).
  void clear();

  std::vector<std::string> visible_questions(const std::string& check_id, Date today) const;
  const Pack& pack() const { return *pack_; }

 private:
  std::shared_ptr<const Pack> pack_;
  Answers answers_;
};

}  // namespace kiosk::core
