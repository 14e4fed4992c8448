// SPDX-License-Identifier: GPL-3.0-or-later
// Whole-pack analyses used by the loader: dependency cycles among facts and among the
// questions' show_if, questions whose show_if reads later questions, and questions that can
// never be shown. Internal to core/ (pack_load.cpp and tests).
#pragma once

#include <string>
#include <vector>

#include "core/pack.h"

namespace kiosk::core {

// Names that cannot be question ids or fact names (keywords and functions).
bool is_reserved_word(const std::string& name);

ValueType question_value_type(QuestionType t);

// Cycles among facts (each cycle listed from its first fact in file order, ending with that
// fact again). `order` receives every fact that is in no cycle, in dependency order.
std::vector<std::vector<std::string>> find_fact_cycles(const Pack& pack,
                                                       std::vector<std::string>& order);

// "a -> b -> a"
std::string join_cycle(const std::vector<std::string>& cycle);

// The questions a question's show_if reads, directly or through facts, without duplicates.
std::vector<std::string> show_if_questions(const Pack& pack, const Question& q);
// The questions an expression reads, directly or through facts, in order, without duplicates.
std::vector<std::string> questions_read(const Pack& pack, const Expr& e);

struct QuestionProblem {
  std::string question;  // the question whose show_if is at fault
  std::string message;
};

// Problems with the order and reachability of questions, in file order:
//  - cycles among show_if conditions;
//  - a show_if that reads a question asked later (questions are asked in file order, so the
//    answer could never be known in time);
//  - a show_if that reads a question some of its checks do not ask;
//  - a question that can never be shown: its show_if is never true, given that questions
//    that can never be shown are always unknown (constant false, `answered(q)` of such a
//    question, or comparisons that only read them).
std::vector<QuestionProblem> find_question_order_problems(const Pack& pack);

}  // namespace kiosk::core
