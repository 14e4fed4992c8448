// SPDX-License-Identifier: GPL-3.0-or-later
// The condition and expression language of rules.yaml and questions.yaml (show_if):
// tokenizer, recursive-descent parser, type checker and three-valued evaluator.
// The grammar is in docs/pack-format.md. Every error carries the byte offset inside the
// expression text; the pack loader maps it back to a line and column of the YAML file.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace kiosk::core {

enum class ExprKind {
  Literal,  // number, date, duration, yes/no
  String,   // "employee": an option id, meaningful only beside a one_of question
  Name,     // a question id or a fact name
  Today,
  Negate,  // -a
  Not,     // not a
  And,
  Or,
  Compare,  // a op b, op in ==, !=, <, <=, >, >=
  Add,
  Subtract,
  Call,  // name(args)
};

struct Expr {
  ExprKind kind = ExprKind::Literal;
  int offset = 0;                           // byte offset of the node in the source text
  Value literal;                            // Literal
  std::string text;                         // String value, Name, Call function, Compare op
  std::vector<std::unique_ptr<Expr>> args;  // operands or call arguments
};

struct ExprError {
  int offset = 0;  // byte offset inside the expression text
  std::string message;
};

// Parses one expression; nullptr and *error on a syntax error. Never throws; nesting
// deeper than kMaxExprDepth is a syntax error rather than a stack overflow.
constexpr int kMaxExprDepth = 64;
std::unique_ptr<Expr> parse_expr(std::string_view text, ExprError* error);

// Every question or fact name the expression reads, in order of first appearance,
// including the arguments of answered(), unknown() and has().
std::vector<std::string> referenced_names(const Expr& e);
// True when the expression reads `today` anywhere.
bool reads_today(const Expr& e);

// What the type checker needs to know about a name.
struct NameInfo {
  enum class Kind { Question, Fact } kind = Kind::Question;
  ValueType type = ValueType::Bool;
  const std::vector<std::string>* options = nullptr;  // one_of / several_of option ids
  std::string option_owner;                           // question that defines `options`
};
using NameResolver = std::function<std::optional<NameInfo>(const std::string&)>;

struct TypeResult {
  ValueType type = ValueType::Bool;
  const std::vector<std::string>* options = nullptr;  // set when type is Option/OptionSet
  std::string option_owner;
};

// Type-checks `e`; appends errors (unknown names, unknown options, type mismatches,
// misuse of functions) and returns the type when there was none.
std::optional<TypeResult> check_types(const Expr& e, const NameResolver& resolve,
                                      std::vector<ExprError>& errors);

// What evaluation needs from its surroundings (answers, facts, today).
class EvalEnv {
 public:
  virtual ~EvalEnv() = default;
  virtual Value lookup(const std::string& name) = 0;       // question or fact
  virtual bool answered(const std::string& question) = 0;  // a real answer, not "I don't know"
  virtual bool said_unknown(const std::string& question) = 0;
  virtual Date today() const = 0;
};

// Evaluates a type-checked expression with Kleene logic: unknown propagates through
// arithmetic and comparisons; `false and unknown` is false, `true or unknown` is true.
// Never throws; arithmetic leaving the supported date range gives unknown.
Value evaluate_expr(const Expr& e, EvalEnv& env);

}  // namespace kiosk::core
