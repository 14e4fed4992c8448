// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation of a readiness check: every rule of the check with its outcome, the inputs
// it read and why, plus the overall verdict. Deterministic: `today` is a parameter and the
// clock is never read, so the same pack version, answers and date give the same result.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/pack.h"
#include "core/session.h"
#include "core/value.h"

namespace kiosk::core {

class Localizer;  // core/i18n.h

// One question or fact a rule read.
struct InputRead {
  std::string id;  // question id or fact name
  bool is_fact = false;
  std::string value;    // Value::to_text(), "unknown" when unknown
  std::string used_in;  // "applies_if", "when", "deadline" or "value:<name>"
};

struct RuleResult {
  std::string rule_id;
  Outcome outcome = Outcome::NotApplicable;
  std::vector<InputRead> inputs;
  // Reason code: "condition-true", "condition-false", "not-applicable",
  // "unknown-input:<question id>" (or "unknown-input" when no single question is to blame).
  std::string why;
  Responsible responsible = Responsible::Self;
  std::string message_id, remedy_id;
  std::vector<std::string> help_ids;
  std::optional<Date> deadline;
  std::map<std::string, Value> values;
  std::string source_id;

  // Undecided because an answer is unknown ("I don't know", or not asked yet).
  bool waits_for_answer() const { return why.rfind("unknown-input", 0) == 0; }
  // The question whose answer is missing; "" when no single question is to blame.
  std::string missing_question() const {
    return why.rfind("unknown-input:", 0) == 0 ? why.substr(14) : std::string();
  }
};

struct CheckResult {
  std::string pack_id, pack_version, check_id;
  Date today;
  Outcome overall = Outcome::NotApplicable;
  std::vector<RuleResult> rules;  // every rule of the check, in file order
};

// Evaluates every rule whose `check` is `check_id`. Answers to questions that are hidden
// (show_if false or unknown) count as unknown. Answers are assumed validated; invalid
// ones are treated as unknown.
CheckResult evaluate(const Pack& pack, const std::string& check_id, const Answers& answers,
                     Date today);

// Deterministic JSON (sorted keys, two-space indent, trailing newline). With a localizer,
// each rule also carries "message" and "remedy" formatted in `locale` (null for a rule that did
// not fire: the message describes a finding that holds).
std::string to_json(const CheckResult& result, const Localizer* localizer = nullptr,
                    const std::string& locale = "");

// Readable explanation for staff (kioskctl check), in English or via the localizer.
std::string to_text(const CheckResult& result, const Localizer* localizer = nullptr,
                    const std::string& locale = "");

// Parses the answers file of `kioskctl check` (format in docs/pack-format.md).
// Unknown question, wrong type, impossible date, unknown option, out of bounds, or
// "I don't know" where not offered -> nullopt and *error.
std::optional<Answers> parse_answers_json(const Pack& pack, std::string_view json,
                                          std::string* error);

}  // namespace kiosk::core
