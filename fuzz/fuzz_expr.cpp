// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the rule-expression tokenizer, parser, type checker and evaluator.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/expr.h"

namespace {

using namespace kiosk::core;

// A fixed world of names of every type, all of them answered.
class FuzzEnv : public EvalEnv {
 public:
  Value lookup(const std::string& name) override {
    if (name == "d") return Value::of_date(Date::parse("2027-01-31").value());
    if (name == "b") return Value::of_bool(true);
    if (name == "n") return Value::of_number(12);
    if (name == "o") return Value::of_option("work");
    if (name == "s") return Value::of_options({"photo"});
    return Value::unknown();
  }
  bool answered(const std::string& q) override { return q != "u"; }
  bool said_unknown(const std::string& q) override { return q == "u"; }
  Date today() const override { return Date::parse("2026-11-27").value(); }
};

const std::vector<std::string> kOptions = {"work", "student"};

std::optional<NameInfo> resolve(const std::string& name) {
  static const std::map<std::string, ValueType> types = {
      {"d", ValueType::Date},   {"b", ValueType::Bool},      {"n", ValueType::Number},
      {"o", ValueType::Option}, {"s", ValueType::OptionSet}, {"u", ValueType::Date}};
  auto it = types.find(name);
  if (it == types.end()) return std::nullopt;
  NameInfo info;
  info.type = it->second;
  if (it->second == ValueType::Option || it->second == ValueType::OptionSet) {
    info.options = &kOptions;
    info.option_owner = name;
  }
  return info;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ExprError error;
  auto expr = parse_expr(text, &error);
  if (!expr) return 0;
  std::vector<ExprError> errors;
  check_types(*expr, resolve, errors);
  (void)referenced_names(*expr);
  // Only well-typed expressions reach evaluation in a real pack, but the evaluator must be
  // safe on anything the parser accepts.
  FuzzEnv env;
  (void)evaluate_expr(*expr, env).to_text();
  return 0;
}
