// SPDX-License-Identifier: GPL-3.0-or-later
// Value: what an expression, a fact or an answer evaluates to.
// A value is either known (with a type) or unknown: three-valued logic treats an
// unanswered question, an "I don't know" answer and a hidden question alike.
#pragma once

#include <string>
#include <vector>

#include "core/date.h"

namespace kiosk::core {

enum class ValueType { Bool, Number, Date, Duration, Option, OptionSet };

// A calendar duration: months and days kept apart because months vary in length.
struct Duration {
  long long months = 0;
  long long days = 0;
  friend bool operator==(const Duration&, const Duration&) = default;
};

struct Value {
  bool known = false;
  ValueType type = ValueType::Bool;
  bool boolean = false;
  double number = 0;
  Date date;
  Duration duration;
  std::string option;                // Option
  std::vector<std::string> options;  // OptionSet, sorted

  static Value unknown() { return {}; }
  static Value of_bool(bool b);
  static Value of_number(double n);
  static Value of_date(Date d);
  static Value of_duration(Duration d);
  static Value of_option(std::string id);
  static Value of_options(std::vector<std::string> ids);

  // Text for explanations and JSON: "yes"/"no", "12", "2026-04-01", "3 months",
  // "employee", "a,b"; "unknown" when not known.
  std::string to_text() const;
  friend bool operator==(const Value&, const Value&) = default;
};

// Name of a type as staff read it in diagnostics: "yes/no", "number", "date", ...
const char* type_name(ValueType t);

}  // namespace kiosk::core
