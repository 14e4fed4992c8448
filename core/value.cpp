// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kiosk::core {

Value Value::of_bool(bool b) {
  Value v;
  v.known = true;
  v.type = ValueType::Bool;
  v.boolean = b;
  return v;
}

Value Value::of_number(double n) {
  if (!std::isfinite(n)) return unknown();
  Value v;
  v.known = true;
  v.type = ValueType::Number;
  v.number = n == 0 ? 0 : n;  // no "-0" in results
  return v;
}

Value Value::of_date(Date d) {
  Value v;
  v.known = true;
  v.type = ValueType::Date;
  v.date = d;
  return v;
}

Value Value::of_duration(Duration d) {
  Value v;
  v.known = true;
  v.type = ValueType::Duration;
  v.duration = d;
  return v;
}

Value Value::of_option(std::string id) {
  Value v;
  v.known = true;
  v.type = ValueType::Option;
  v.option = std::move(id);
  return v;
}

Value Value::of_options(std::vector<std::string> ids) {
  Value v;
  v.known = true;
  v.type = ValueType::OptionSet;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  v.options = std::move(ids);
  return v;
}

static std::string number_text(double n) {
  char buf[64];
  if (std::floor(n) == n && std::fabs(n) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", n);
  else
    std::snprintf(buf, sizeof buf, "%.17g", n);
  return buf;
}

std::string Value::to_text() const {
  if (!known) return "unknown";
  switch (type) {
    case ValueType::Bool:
      return boolean ? "yes" : "no";
    case ValueType::Number:
      return number_text(number);
    case ValueType::Date:
      return date.to_string();
    case ValueType::Duration: {
      std::string out;
      if (duration.months != 0) out = std::to_string(duration.months) + " months";
      if (duration.days != 0 || out.empty()) {
        if (!out.empty()) out += duration.days < 0 ? " " : " +";
        out += std::to_string(duration.days) + " days";
      }
      return out;
    }
    case ValueType::Option:
      return option;
    case ValueType::OptionSet: {
      std::string out;
      for (const auto& o : options) out += (out.empty() ? "" : ",") + o;
      return out;
    }
  }
  return "unknown";
}

const char* type_name(ValueType t) {
  switch (t) {
    case ValueType::Bool:
      return "yes/no";
    case ValueType::Number:
      return "number";
    case ValueType::Date:
      return "date";
    case ValueType::Duration:
      return "duration";
    case ValueType::Option:
      return "option";
    case ValueType::OptionSet:
      return "options";
  }
  return "?";
}

}  // namespace kiosk::core
