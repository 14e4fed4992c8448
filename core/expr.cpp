// SPDX-License-Identifier: GPL-3.0-or-later
// Expression language: tokenizer, recursive-descent parser, type checker, evaluator.
// The grammar and types are documented in docs/pack-format.md.
#include "core/expr.h"

#include <cmath>
#include <cstdlib>

namespace kiosk::core {
namespace {

// ---------------------------------------------------------------- tokenizer

enum class Tok { End, Number, Date, String, Ident, Op, LParen, RParen, Comma, Error };

struct Token {
  Tok kind = Tok::End;
  int offset = 0;
  std::string text;  // identifier, operator, number digits, string contents, date text
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c);
}

// "dddd-dd-dd" at the start of `s`; the calendar check comes later.
bool looks_like_date(std::string_view s) {
  if (s.size() < 10) return false;
  for (int i = 0; i < 10; ++i) {
    bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : !is_digit(s[i])) return false;
  }
  return true;
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  Token next() {
    while (pos_ < src_.size() &&
           (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\n' || src_[pos_] == '\r'))
      ++pos_;
    Token t;
    t.offset = static_cast<int>(pos_);
    if (pos_ >= src_.size()) return t;
    char c = src_[pos_];
    if (is_digit(c)) return number_or_date(t);
    if (is_ident_start(c)) {
      size_t start = pos_;
      while (pos_ < src_.size() && is_ident_char(src_[pos_])) ++pos_;
      t.kind = Tok::Ident;
      t.text = std::string(src_.substr(start, pos_ - start));
      return t;
    }
    if (c == '"') return string(t);
    return punctuation(t);
  }

 private:
  Token number_or_date(Token t) {
    size_t start = pos_;
    while (pos_ < src_.size() && is_digit(src_[pos_])) ++pos_;
    bool date_shape = pos_ - start == 4 && looks_like_date(src_.substr(start));
    if (date_shape) {
      pos_ += 6;
      t.kind = Tok::Date;
    } else {
      t.kind = Tok::Number;
      if (pos_ + 1 < src_.size() && src_[pos_] == '.' && is_digit(src_[pos_ + 1])) {
        ++pos_;
        while (pos_ < src_.size() && is_digit(src_[pos_])) ++pos_;
      }
    }
    if (pos_ < src_.size() && is_ident_char(src_[pos_])) {
      t.kind = Tok::Error;
      t.text = "a number must be followed by a space or an operator";
      return t;
    }
    t.text = std::string(src_.substr(start, pos_ - start));
    return t;
  }

  Token string(Token t) {
    ++pos_;
    std::string out;
    while (pos_ < src_.size() && src_[pos_] != '"') {
      if (src_[pos_] == '\\' && pos_ + 1 < src_.size()) ++pos_;
      out += src_[pos_++];
    }
    if (pos_ >= src_.size()) {
      t.kind = Tok::Error;
      t.text = "unterminated string";
      return t;
    }
    ++pos_;
    t.kind = Tok::String;
    t.text = std::move(out);
    return t;
  }

  Token punctuation(Token t) {
    char c = src_[pos_];
    char d = pos_ + 1 < src_.size() ? src_[pos_ + 1] : '\0';
    auto take = [&](Tok kind, int len) {
      t.kind = kind;
      t.text = std::string(src_.substr(pos_, len));
      pos_ += len;
      return t;
    };
    if ((c == '=' || c == '!' || c == '<' || c == '>') && d == '=') return take(Tok::Op, 2);
    if (c == '<' || c == '>' || c == '+' || c == '-') return take(Tok::Op, 1);
    if (c == '(') return take(Tok::LParen, 1);
    if (c == ')') return take(Tok::RParen, 1);
    if (c == ',') return take(Tok::Comma, 1);
    t.kind = Tok::Error;
    if (c == '=')
      t.text = "use '==' to compare";
    else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      t.text = "unexpected character";
    else
      t.text = std::string("unexpected character '") + c + "'";
    return t;
  }

  std::string_view src_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------- parser

struct ParseFailure {
  ExprError error;
};

std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::End:
      return "the end of the expression";
    case Tok::String:
      return "\"" + t.text + "\"";
    default:
      return "'" + t.text + "'";
  }
}

bool is_keyword(const std::string& s) {
  return s == "and" || s == "or" || s == "not" || s == "yes" || s == "no" || s == "today" ||
         s == "days" || s == "months" || s == "years" || s == "day" || s == "month" || s == "year";
}

class Parser {
 public:
  explicit Parser(std::string_view src) : lexer_(src) { advance(); }

  std::unique_ptr<Expr> parse_all() {
    auto e = parse_or();
    if (cur_.kind != Tok::End)
      fail(cur_.offset, "unexpected " + describe(cur_) + " after the end of the expression");
    return e;
  }

 private:
  [[noreturn]] void fail(int offset, std::string message) {
    throw ParseFailure{{offset, std::move(message)}};
  }

  void advance() {
    cur_ = lexer_.next();
    if (cur_.kind == Tok::Error) fail(cur_.offset, cur_.text);
  }
  bool at_word(const char* w) const { return cur_.kind == Tok::Ident && cur_.text == w; }
  bool at_op(const char* op) const { return cur_.kind == Tok::Op && cur_.text == op; }

  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser, int offset) : p(parser) {
      if (++p.depth_ > kMaxExprDepth) p.fail(offset, "expression is nested too deeply");
    }
    ~DepthGuard() { --p.depth_; }
  };

  // An operator chain ("a and b and c ...", "1 + 2 + 3 ...") is parsed in a loop but makes a
  // tree one level deeper per operator, which the type checker, the evaluator and the
  // destructor walk recursively: each link counts as one level of nesting.
  struct ChainGuard {
    Parser& p;
    int links = 0;
    explicit ChainGuard(Parser& parser) : p(parser) {}
    void link(int offset) {
      ++links;
      if (++p.depth_ > kMaxExprDepth) p.fail(offset, "expression is nested too deeply");
    }
    ~ChainGuard() { p.depth_ -= links; }
  };

  static std::unique_ptr<Expr> node(ExprKind kind, int offset) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->offset = offset;
    return e;
  }
  static std::unique_ptr<Expr> binary(ExprKind kind, int offset, std::unique_ptr<Expr> a,
                                      std::unique_ptr<Expr> b, std::string text = {}) {
    auto e = node(kind, offset);
    e->text = std::move(text);
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }

  std::unique_ptr<Expr> parse_or() {
    DepthGuard guard(*this, cur_.offset);
    auto left = parse_and();
    ChainGuard chain(*this);
    while (at_word("or")) {
      int at = cur_.offset;
      chain.link(at);
      advance();
      left = binary(ExprKind::Or, at, std::move(left), parse_and());
    }
    return left;
  }

  std::unique_ptr<Expr> parse_and() {
    auto left = parse_not();
    ChainGuard chain(*this);
    while (at_word("and")) {
      int at = cur_.offset;
      chain.link(at);
      advance();
      left = binary(ExprKind::And, at, std::move(left), parse_not());
    }
    return left;
  }

  std::unique_ptr<Expr> parse_not() {
    if (!at_word("not")) return parse_compare();
    DepthGuard guard(*this, cur_.offset);
    auto e = node(ExprKind::Not, cur_.offset);
    advance();
    e->args.push_back(parse_not());
    return e;
  }

  bool at_compare() const {
    return at_op("==") || at_op("!=") || at_op("<") || at_op("<=") || at_op(">") || at_op(">=");
  }

  std::unique_ptr<Expr> parse_compare() {
    auto left = parse_sum();
    if (!at_compare()) return left;
    Token op = cur_;
    advance();
    auto e = binary(ExprKind::Compare, op.offset, std::move(left), parse_sum(), op.text);
    if (at_compare()) fail(cur_.offset, "comparisons cannot be chained; join them with 'and'");
    return e;
  }

  std::unique_ptr<Expr> parse_sum() {
    auto left = parse_unary();
    ChainGuard chain(*this);
    while (at_op("+") || at_op("-")) {
      Token op = cur_;
      chain.link(op.offset);
      advance();
      left = binary(op.text == "+" ? ExprKind::Add : ExprKind::Subtract, op.offset, std::move(left),
                    parse_unary());
    }
    return left;
  }

  std::unique_ptr<Expr> parse_unary() {
    if (!at_op("-")) return parse_primary();
    DepthGuard guard(*this, cur_.offset);
    auto e = node(ExprKind::Negate, cur_.offset);
    advance();
    e->args.push_back(parse_unary());
    return e;
  }

  std::unique_ptr<Expr> parse_primary() {
    Token t = cur_;
    switch (t.kind) {
      case Tok::Number:
        return number(t);
      case Tok::Date:
        return date(t);
      case Tok::String: {
        advance();
        auto e = node(ExprKind::String, t.offset);
        e->text = t.text;
        return e;
      }
      case Tok::LParen: {
        advance();
        auto inner = parse_or();
        expect(Tok::RParen, "')'");
        return inner;
      }
      case Tok::Ident:
        return word(t);
      default:
        fail(t.offset, "expected a value, found " + describe(t));
    }
  }

  void expect(Tok kind, const char* what) {
    if (cur_.kind != kind)
      fail(cur_.offset, std::string("expected ") + what + ", found " + describe(cur_));
    advance();
  }

  std::unique_ptr<Expr> number(const Token& t) {
    advance();
    double n = std::strtod(t.text.c_str(), nullptr);
    if (!std::isfinite(n) || n > 1e12) fail(t.offset, "number '" + t.text + "' is too large");
    auto e = node(ExprKind::Literal, t.offset);
    if (cur_.kind == Tok::Ident &&
        (cur_.text == "days" || cur_.text == "day" || cur_.text == "months" ||
         cur_.text == "month" || cur_.text == "years" || cur_.text == "year")) {
      if (t.text.find('.') != std::string::npos) fail(t.offset, "a duration needs a whole number");
      if (n > 100000) fail(t.offset, "duration '" + t.text + " " + cur_.text + "' is too long");
      auto count = static_cast<long long>(n);
      Duration d;
      if (cur_.text[0] == 'd')
        d.days = count;
      else if (cur_.text[0] == 'm')
        d.months = count;
      else
        d.months = count * 12;
      e->literal = Value::of_duration(d);
      advance();
      return e;
    }
    e->literal = Value::of_number(n);
    return e;
  }

  std::unique_ptr<Expr> date(const Token& t) {
    auto d = Date::parse(t.text);
    if (!d) fail(t.offset, "invalid date '" + t.text + "'");
    advance();
    auto e = node(ExprKind::Literal, t.offset);
    e->literal = Value::of_date(*d);
    return e;
  }

  std::unique_ptr<Expr> word(const Token& t) {
    if (t.text == "yes" || t.text == "no") {
      advance();
      auto e = node(ExprKind::Literal, t.offset);
      e->literal = Value::of_bool(t.text == "yes");
      return e;
    }
    if (t.text == "today") {
      advance();
      return node(ExprKind::Today, t.offset);
    }
    if (is_keyword(t.text)) fail(t.offset, "expected a value, found '" + t.text + "'");
    advance();
    if (cur_.kind != Tok::LParen) {
      auto e = node(ExprKind::Name, t.offset);
      e->text = t.text;
      return e;
    }
    DepthGuard guard(*this, t.offset);
    auto call = node(ExprKind::Call, t.offset);
    call->text = t.text;
    advance();
    if (cur_.kind != Tok::RParen) {
      call->args.push_back(parse_or());
      while (cur_.kind == Tok::Comma) {
        advance();
        call->args.push_back(parse_or());
      }
    }
    expect(Tok::RParen, "',' or ')'");
    return call;
  }

  Lexer lexer_;
  Token cur_;
  int depth_ = 0;
};

void collect_names(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == ExprKind::Name) {
    for (const auto& n : out)
      if (n == e.text) return;
    out.push_back(e.text);
    return;
  }
  for (const auto& a : e.args) collect_names(*a, out);
}

}  // namespace

std::unique_ptr<Expr> parse_expr(std::string_view text, ExprError* error) {
  try {
    Parser parser(text);
    return parser.parse_all();
  } catch (const ParseFailure& f) {
    if (error) *error = f.error;
    return nullptr;
  }
}

std::vector<std::string> referenced_names(const Expr& e) {
  std::vector<std::string> out;
  collect_names(e, out);
  return out;
}

bool reads_today(const Expr& e) {
  if (e.kind == ExprKind::Today) return true;
  for (const auto& a : e.args)
    if (reads_today(*a)) return true;
  return false;
}

// ---------------------------------------------------------------- type checker

namespace {

TypeResult plain(ValueType t) {
  TypeResult r;
  r.type = t;
  return r;
}

class TypeChecker {
 public:
  TypeChecker(const NameResolver& resolve, std::vector<ExprError>& errors)
      : resolve_(resolve), errors_(errors) {}

  // nullopt after an error was reported for this node or one below it.
  std::optional<TypeResult> check(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal:
        return plain(e.literal.type);
      case ExprKind::Today:
        return plain(ValueType::Date);
      case ExprKind::String:
        return error(
            e, "a string such as \"" + e.text + "\" can only be compared with a one_of question");
      case ExprKind::Name:
        return name(e);
      case ExprKind::Negate:
        return negate(e);
      case ExprKind::Not:
        return logical_not(e);
      case ExprKind::And:
      case ExprKind::Or:
        return logical(e);
      case ExprKind::Compare:
        return compare(e);
      case ExprKind::Add:
      case ExprKind::Subtract:
        return arithmetic(e);
      case ExprKind::Call:
        return call(e);
    }
    return std::nullopt;
  }

 private:
  std::optional<TypeResult> error(const Expr& e, std::string message) {
    errors_.push_back({e.offset, std::move(message)});
    return std::nullopt;
  }

  std::optional<TypeResult> name(const Expr& e) {
    auto info = resolve_(e.text);
    if (!info) return error(e, "unknown name '" + e.text + "': not a question or a fact");
    return TypeResult{info->type, info->options, info->option_owner};
  }

  std::optional<TypeResult> negate(const Expr& e) {
    auto t = check(*e.args[0]);
    if (!t) return t;
    if (t->type != ValueType::Number && t->type != ValueType::Duration)
      return error(e, std::string("'-' needs a number or a duration, found ") + type_name(t->type));
    return plain(t->type);
  }

  std::optional<TypeResult> logical_not(const Expr& e) {
    auto t = check(*e.args[0]);
    if (!t) return t;
    if (t->type != ValueType::Bool)
      return error(e, std::string("'not' needs yes/no, found ") + type_name(t->type));
    return t;
  }

  std::optional<TypeResult> logical(const Expr& e) {
    const char* op = e.kind == ExprKind::And ? "and" : "or";
    auto a = check(*e.args[0]);
    auto b = check(*e.args[1]);
    if (!a || !b) return std::nullopt;
    for (const auto* t : {&*a, &*b})
      if (t->type != ValueType::Bool)
        return error(
            e, std::string("'") + op + "' needs yes/no on both sides, found " + type_name(t->type));
    return plain(ValueType::Bool);
  }

  std::optional<TypeResult> compare_option(const Expr& e, const Expr& str, const TypeResult& opt) {
    if (opt.type != ValueType::Option)
      return error(e, std::string("cannot compare ") + type_name(opt.type) +
                          " with a string; strings name options of a one_of question");
    if (e.text != "==" && e.text != "!=")
      return error(e, "options can only be compared with '==' or '!='");
    if (opt.options) {
      bool found = false;
      for (const auto& o : *opt.options) found = found || o == str.text;
      if (!found)
        return error(str,
                     "'" + str.text + "' is not an option of question '" + opt.option_owner + "'");
    }
    return plain(ValueType::Bool);
  }

  std::optional<TypeResult> compare(const Expr& e) {
    const Expr& l = *e.args[0];
    const Expr& r = *e.args[1];
    if (l.kind == ExprKind::String && r.kind == ExprKind::String)
      return error(e, "cannot compare two strings");
    if (l.kind == ExprKind::String || r.kind == ExprKind::String) {
      const Expr& str = l.kind == ExprKind::String ? l : r;
      auto other = check(l.kind == ExprKind::String ? r : l);
      if (!other) return other;
      return compare_option(e, str, *other);
    }
    auto a = check(l);
    auto b = check(r);
    if (!a || !b) return std::nullopt;
    if (a->type != b->type)
      return error(
          e, std::string("cannot compare ") + type_name(a->type) + " with " + type_name(b->type));
    bool equality = e.text == "==" || e.text == "!=";
    bool ordered = a->type == ValueType::Number || a->type == ValueType::Date;
    if (!equality && !ordered)
      return error(
          e, std::string("'") + e.text + "' cannot order values of type " + type_name(a->type));
    if (a->type == ValueType::Duration || a->type == ValueType::OptionSet)
      return error(e, std::string("values of type ") + type_name(a->type) + " cannot be compared");
    return plain(ValueType::Bool);
  }

  std::optional<TypeResult> arithmetic(const Expr& e) {
    bool add = e.kind == ExprKind::Add;
    auto a = check(*e.args[0]);
    auto b = check(*e.args[1]);
    if (!a || !b) return std::nullopt;
    ValueType x = a->type, y = b->type;
    using T = ValueType;
    if (x == T::Number && y == T::Number) return plain(T::Number);
    if (x == T::Date && y == T::Duration) return plain(T::Date);
    if (add && x == T::Duration && y == T::Date) return plain(T::Date);
    if (!add && x == T::Date && y == T::Date) return plain(T::Number);
    if (x == T::Duration && y == T::Duration) return plain(T::Duration);
    return error(e, std::string("cannot ") + (add ? "add " : "subtract ") + type_name(y) +
                        (add ? " to " : " from ") + type_name(x));
  }

  std::optional<TypeResult> call(const Expr& e) {
    const std::string& f = e.text;
    if (f == "days_until" || f == "days_since" || f == "months_until" || f == "months_since")
      return date_function(e);
    if (f == "answered" || f == "unknown") return question_function(e, 1);
    if (f == "has") return has_function(e);
    if (f == "min" || f == "max") return min_max(e);
    return error(e, "unknown function '" + f + "'");
  }

  bool arity(const Expr& e, size_t n) {
    if (e.args.size() == n) return true;
    error(e, e.text + "() takes " + std::to_string(n) + (n == 1 ? " argument" : " arguments") +
                 ", found " + std::to_string(e.args.size()));
    return false;
  }

  std::optional<TypeResult> date_function(const Expr& e) {
    if (!arity(e, 1)) return std::nullopt;
    auto t = check(*e.args[0]);
    if (!t) return t;
    if (t->type != ValueType::Date)
      return error(*e.args[0], e.text + "() needs a date, found " + type_name(t->type));
    return plain(ValueType::Number);
  }

  // answered(q), unknown(q): the argument must be a question id itself.
  std::optional<TypeResult> question_function(const Expr& e, size_t n) {
    if (!arity(e, n)) return std::nullopt;
    const Expr& arg = *e.args[0];
    if (arg.kind != ExprKind::Name) return error(arg, e.text + "() needs a question id");
    auto info = resolve_(arg.text);
    if (!info) return error(arg, "unknown name '" + arg.text + "': not a question or a fact");
    if (info->kind != NameInfo::Kind::Question)
      return error(arg, e.text + "() needs a question id; '" + arg.text + "' is a fact");
    return plain(ValueType::Bool);
  }

  std::optional<TypeResult> has_function(const Expr& e) {
    if (!arity(e, 2)) return std::nullopt;
    const Expr& q = *e.args[0];
    const Expr& opt = *e.args[1];
    auto t = check(q);
    if (!t) return t;
    if (t->type != ValueType::OptionSet)
      return error(q,
                   std::string("has() needs a several_of question, found ") + type_name(t->type));
    if (opt.kind != ExprKind::String)
      return error(opt, "has() needs an option id in quotes as its second argument");
    if (t->options) {
      bool found = false;
      for (const auto& o : *t->options) found = found || o == opt.text;
      if (!found)
        return error(opt,
                     "'" + opt.text + "' is not an option of question '" + t->option_owner + "'");
    }
    return plain(ValueType::Bool);
  }

  std::optional<TypeResult> min_max(const Expr& e) {
    if (!arity(e, 2)) return std::nullopt;
    auto a = check(*e.args[0]);
    auto b = check(*e.args[1]);
    if (!a || !b) return std::nullopt;
    if (a->type != b->type || (a->type != ValueType::Number && a->type != ValueType::Date))
      return error(e, e.text + "() needs two numbers or two dates, found " + type_name(a->type) +
                          " and " + type_name(b->type));
    return plain(a->type);
  }

  const NameResolver& resolve_;
  std::vector<ExprError>& errors_;
};

}  // namespace

std::optional<TypeResult> check_types(const Expr& e, const NameResolver& resolve,
                                      std::vector<ExprError>& errors) {
  TypeChecker checker(resolve, errors);
  return checker.check(e);
}

// ---------------------------------------------------------------- evaluator

namespace {

// Kleene truth value of a bool Value: nullopt means unknown.
std::optional<bool> truth(const Value& v) {
  if (!v.known || v.type != ValueType::Bool) return std::nullopt;
  return v.boolean;
}

class Evaluator {
 public:
  explicit Evaluator(EvalEnv& env) : env_(env) {}

  Value eval(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal:
        return e.literal;
      case ExprKind::Today:
        return Value::of_date(env_.today());
      case ExprKind::String:
        return Value::of_option(e.text);
      case ExprKind::Name:
        return env_.lookup(e.text);
      case ExprKind::Negate:
        return negate(eval(*e.args[0]));
      case ExprKind::Not: {
        auto t = truth(eval(*e.args[0]));
        return t ? Value::of_bool(!*t) : Value::unknown();
      }
      case ExprKind::And:
        return logical(e, false);
      case ExprKind::Or:
        return logical(e, true);
      case ExprKind::Compare:
        return compare(e.text, eval(*e.args[0]), eval(*e.args[1]));
      case ExprKind::Add:
        return add(eval(*e.args[0]), eval(*e.args[1]), 1);
      case ExprKind::Subtract:
        return add(eval(*e.args[0]), eval(*e.args[1]), -1);
      case ExprKind::Call:
        return call(e);
    }
    return Value::unknown();
  }

 private:
  static Value negate(const Value& v) {
    if (!v.known) return v;
    if (v.type == ValueType::Number) return Value::of_number(-v.number);
    if (v.type == ValueType::Duration)
      return Value::of_duration({-v.duration.months, -v.duration.days});
    return Value::unknown();
  }

  // Both operands are always evaluated so every input is recorded for the explanation.
  Value logical(const Expr& e, bool is_or) {
    auto a = truth(eval(*e.args[0]));
    auto b = truth(eval(*e.args[1]));
    if (is_or) {
      if ((a && *a) || (b && *b)) return Value::of_bool(true);
      if (a && b) return Value::of_bool(false);
      return Value::unknown();
    }
    if ((a && !*a) || (b && !*b)) return Value::of_bool(false);
    if (a && b) return Value::of_bool(true);
    return Value::unknown();
  }

  static std::optional<int> order(const Value& a, const Value& b) {
    if (a.type != b.type) return std::nullopt;
    switch (a.type) {
      case ValueType::Number:
        return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
      case ValueType::Date:
        return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
      case ValueType::Bool:
        return a.boolean == b.boolean ? 0 : 2;
      case ValueType::Option:
        return a.option == b.option ? 0 : 2;
      default:
        return std::nullopt;
    }
  }

  static Value compare(const std::string& op, const Value& a, const Value& b) {
    if (!a.known || !b.known) return Value::unknown();
    auto o = order(a, b);
    if (!o) return Value::unknown();
    int c = *o;
    if (op == "==") return Value::of_bool(c == 0);
    if (op == "!=") return Value::of_bool(c != 0);
    if (c == 2) return Value::unknown();  // unordered types; rejected by the type checker
    if (op == "<") return Value::of_bool(c < 0);
    if (op == "<=") return Value::of_bool(c <= 0);
    if (op == ">") return Value::of_bool(c > 0);
    if (op == ">=") return Value::of_bool(c >= 0);
    return Value::unknown();
  }

  static Value shift(const Date& d, const Duration& dur, int sign) {
    auto moved = d.add_months(sign * dur.months);
    if (moved) moved = moved->add_days(sign * dur.days);
    return moved ? Value::of_date(*moved) : Value::unknown();
  }

  static Value add(const Value& a, const Value& b, int sign) {
    if (!a.known || !b.known) return Value::unknown();
    using T = ValueType;
    if (a.type == T::Number && b.type == T::Number)
      return Value::of_number(a.number + sign * b.number);
    if (a.type == T::Date && b.type == T::Duration) return shift(a.date, b.duration, sign);
    if (sign > 0 && a.type == T::Duration && b.type == T::Date) return shift(b.date, a.duration, 1);
    if (sign < 0 && a.type == T::Date && b.type == T::Date)
      return Value::of_number(static_cast<double>(days_between(b.date, a.date)));
    if (a.type == T::Duration && b.type == T::Duration)
      return Value::of_duration(
          {a.duration.months + sign * b.duration.months, a.duration.days + sign * b.duration.days});
    return Value::unknown();
  }

  Value call(const Expr& e) {
    const std::string& f = e.text;
    if (f == "answered" || f == "unknown") {
      if (e.args.size() != 1 || e.args[0]->kind != ExprKind::Name) return Value::unknown();
      const std::string& q = e.args[0]->text;
      return Value::of_bool(f == "answered" ? env_.answered(q) : env_.said_unknown(q));
    }
    std::vector<Value> args;
    for (const auto& a : e.args) args.push_back(eval(*a));
    for (const auto& a : args)
      if (!a.known) return Value::unknown();
    if (f == "has" && args.size() == 2 && args[0].type == ValueType::OptionSet) {
      for (const auto& o : args[0].options)
        if (o == args[1].option) return Value::of_bool(true);
      return Value::of_bool(false);
    }
    if ((f == "min" || f == "max") && args.size() == 2) {
      auto o = order(args[0], args[1]);
      if (!o || *o == 2) return Value::unknown();
      bool first = f == "min" ? *o <= 0 : *o >= 0;
      return first ? args[0] : args[1];
    }
    if (args.size() != 1 || args[0].type != ValueType::Date) return Value::unknown();
    Date today = env_.today();
    const Date& d = args[0].date;
    if (f == "days_until") return Value::of_number(static_cast<double>(days_between(today, d)));
    if (f == "days_since") return Value::of_number(static_cast<double>(days_between(d, today)));
    if (f == "months_until")
      return Value::of_number(static_cast<double>(whole_months_between(today, d)));
    if (f == "months_since")
      return Value::of_number(static_cast<double>(whole_months_between(d, today)));
    return Value::unknown();
  }

  EvalEnv& env_;
};

}  // namespace

Value evaluate_expr(const Expr& e, EvalEnv& env) {
  Evaluator evaluator(env);
  return evaluator.eval(e);
}

}  // namespace kiosk::core
