// SPDX-License-Identifier: GPL-3.0-or-later
// The expression language on its own: parser errors with offsets, types, Kleene logic.
#include "core/expr.h"

#include <gtest/gtest.h>

#include <map>

namespace kiosk::core {
namespace {

std::string syntax_error(const std::string& text) {
  ExprError err;
  auto e = parse_expr(text, &err);
  if (e) return "parsed";
  return std::to_string(err.offset) + ": " + err.message;
}

TEST(ExprParser, ReportsSyntaxErrorsWithOffsets) {
  EXPECT_EQ(syntax_error("days_left < "), "12: expected a value, found the end of the expression");
  EXPECT_EQ(syntax_error("a = 1"), "2: use '==' to compare");
  EXPECT_EQ(syntax_error("(a and b"), "8: expected ')', found the end of the expression");
  EXPECT_EQ(syntax_error("a < b < c"), "6: comparisons cannot be chained; join them with 'and'");
  EXPECT_EQ(syntax_error("x == \"abc"), "5: unterminated string");
  EXPECT_EQ(syntax_error("today > 2026-02-30"), "8: invalid date '2026-02-30'");
  EXPECT_EQ(syntax_error("3x"), "0: a number must be followed by a space or an operator");
  EXPECT_EQ(syntax_error("a b"), "2: unexpected 'b' after the end of the expression");
  EXPECT_EQ(syntax_error("1.5 days"), "0: a duration needs a whole number");
  EXPECT_EQ(syntax_error("f(a,"), "4: expected a value, found the end of the expression");
  EXPECT_EQ(syntax_error("and"), "0: expected a value, found 'and'");
  EXPECT_EQ(syntax_error("a # b"), "2: unexpected character '#'");
}

TEST(ExprParser, RefusesDeepNestingInsteadOfOverflowingTheStack) {
  EXPECT_EQ(syntax_error(std::string(100, '(') + "1" + std::string(100, ')')).substr(0, 3), "64:");
  EXPECT_NE(syntax_error(std::string(10000, '-') + "1"), "parsed");
  EXPECT_EQ(syntax_error(std::string(10000, 'n') + "1"), "parsed");  // one long identifier is fine
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  EXPECT_NE(syntax_error(nots + "yes"), "parsed");
}

// A tiny world: questions with types, answers, today.
class World : public EvalEnv {
 public:
  std::map<std::string, NameInfo> names;
  std::map<std::string, Value> values;
  std::vector<std::string> status_options{"work", "student"};
  Date day = Date::parse("2026-11-27").value();

  World() {
    add("expiry", ValueType::Date);
    add("applied", ValueType::Bool);
    add("worked", ValueType::Number);
    add("docs", ValueType::OptionSet);
    NameInfo status;
    status.type = ValueType::Option;
    status.options = &status_options;
    status.option_owner = "status";
    names["status"] = status;
  }
  void add(const std::string& n, ValueType t) {
    NameInfo i;
    i.type = t;
    names[n] = i;
  }

  std::string type_errors(const std::string& text) {
    ExprError err;
    auto e = parse_expr(text, &err);
    if (!e) return "syntax: " + err.message;
    std::vector<ExprError> errors;
    check_types(
        *e,
        [&](const std::string& n) -> std::optional<NameInfo> {
          auto it = names.find(n);
          if (it == names.end()) return std::nullopt;
          return it->second;
        },
        errors);
    std::string out;
    for (const auto& x : errors) out += std::to_string(x.offset) + ": " + x.message + ";";
    return out;
  }

  std::string eval(const std::string& text) {
    ExprError err;
    auto e = parse_expr(text, &err);
    if (!e) return "syntax: " + err.message;
    return evaluate_expr(*e, *this).to_text();
  }

  Value lookup(const std::string& n) override {
    auto it = values.find(n);
    return it == values.end() ? Value::unknown() : it->second;
  }
  bool answered(const std::string& q) override { return values.count(q) && values[q].known; }
  bool said_unknown(const std::string& q) override { return false; }
  Date today() const override { return day; }
};

TEST(ExprTypes, AcceptsWellTypedExpressions) {
  World w;
  EXPECT_EQ(w.type_errors("days_until(expiry) < 30 and not applied"), "");
  EXPECT_EQ(w.type_errors("expiry - 3 months <= today"), "");
  EXPECT_EQ(w.type_errors("status == \"work\" or \"student\" != status"), "");
  EXPECT_EQ(w.type_errors("has(docs, \"photo\") or answered(expiry)"), "");
  EXPECT_EQ(w.type_errors("min(worked, 3) > max(1, 2) and expiry - today > 0"), "");
}

TEST(ExprTypes, ReportsMismatchesAtTheOperator) {
  World w;
  EXPECT_EQ(w.type_errors("expiry == applied"), "7: cannot compare date with yes/no;");
  EXPECT_EQ(w.type_errors("worked + expiry"), "7: cannot add date to number;");
  EXPECT_EQ(w.type_errors("not worked"), "0: 'not' needs yes/no, found number;");
  EXPECT_EQ(w.type_errors("status == \"retired\""),
            "10: 'retired' is not an option of question 'status';");
  EXPECT_EQ(w.type_errors("status < \"work\""),
            "7: options can only be compared with '==' or '!=';");
  EXPECT_EQ(w.type_errors("nobody > 1"), "0: unknown name 'nobody': not a question or a fact;");
  EXPECT_EQ(w.type_errors("days_until(worked) > 1"),
            "11: days_until() needs a date, found number;");
  EXPECT_EQ(w.type_errors("answered(1)"), "9: answered() needs a question id;");
  EXPECT_EQ(w.type_errors("min(1)"), "0: min() takes 2 arguments, found 1;");
  EXPECT_EQ(w.type_errors("frobnicate(1)"), "0: unknown function 'frobnicate';");
  EXPECT_EQ(w.type_errors("applied and worked"),
            "8: 'and' needs yes/no on both sides, found number;");
  EXPECT_EQ(w.type_errors("3 months > 1 days"), "9: '>' cannot order values of type duration;");
}

TEST(ExprEval, FollowsKleeneLogic) {
  World w;  // nothing answered: every name is unknown
  EXPECT_EQ(w.eval("no and applied"), "no");
  EXPECT_EQ(w.eval("applied and no"), "no");
  EXPECT_EQ(w.eval("yes or applied"), "yes");
  EXPECT_EQ(w.eval("applied or yes"), "yes");
  EXPECT_EQ(w.eval("yes and applied"), "unknown");
  EXPECT_EQ(w.eval("no or applied"), "unknown");
  EXPECT_EQ(w.eval("not applied"), "unknown");
  EXPECT_EQ(w.eval("worked + 1 > 3"), "unknown");
  EXPECT_EQ(w.eval("answered(applied)"), "no");
}

TEST(ExprEval, ComputesDatesAndNumbers) {
  World w;
  w.values["expiry"] = Value::of_date(Date::parse("2027-01-31").value());
  w.values["worked"] = Value::of_number(7);
  EXPECT_EQ(w.eval("days_until(expiry)"), "65");
  EXPECT_EQ(w.eval("days_since(expiry)"), "-65");
  EXPECT_EQ(w.eval("months_until(expiry)"), "2");
  EXPECT_EQ(w.eval("expiry - 3 months"), "2026-10-31");
  EXPECT_EQ(w.eval("expiry + 1 months"), "2027-02-28");
  EXPECT_EQ(w.eval("expiry + 1 years - 1 days"), "2028-01-30");
  EXPECT_EQ(w.eval("expiry - today"), "65");
  EXPECT_EQ(w.eval("-worked + 2 * 1"), "syntax: unexpected character '*'");
  EXPECT_EQ(w.eval("-worked + 2"), "-5");
  EXPECT_EQ(w.eval("min(worked, 3)"), "3");
  EXPECT_EQ(w.eval("max(expiry, today)"), "2027-01-31");
  EXPECT_EQ(w.eval("expiry + 99999 years"), "unknown");  // leaves the calendar: unknown, no crash
}

}  // namespace
}  // namespace kiosk::core
