// SPDX-License-Identifier: GPL-3.0-or-later
// Static analyses over a parsed pack; see pack_analysis.h.
#include "core/pack_analysis.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace kiosk::core {

bool is_reserved_word(const std::string& name) {
  static const std::set<std::string> words = {
      "and",          "or",           "not",      "yes",     "no",   "today",      "days",
      "months",       "years",        "day",      "month",   "year", "days_until", "days_since",
      "months_until", "months_since", "answered", "unknown", "has",  "min",        "max"};
  return words.count(name) > 0;
}

ValueType question_value_type(QuestionType t) {
  switch (t) {
    case QuestionType::YesNo:
      return ValueType::Bool;
    case QuestionType::OneOf:
      return ValueType::Option;
    case QuestionType::SeveralOf:
      return ValueType::OptionSet;
    case QuestionType::Date:
      return ValueType::Date;
    case QuestionType::Number:
      return ValueType::Number;
  }
  return ValueType::Bool;
}

std::string join_cycle(const std::vector<std::string>& cycle) {
  std::string out;
  for (const auto& n : cycle) out += (out.empty() ? "" : " -> ") + n;
  return out;
}

namespace {

// Depth-first search over a graph given as node -> successors (nodes in a fixed order).
// Reports each cycle once, rotated to start at its earliest node, and the post-order of
// nodes not in a cycle.
class CycleFinder {
 public:
  CycleFinder(const std::vector<std::string>& nodes,
              std::map<std::string, std::vector<std::string>> edges)
      : nodes_(nodes), edges_(std::move(edges)) {
    for (size_t i = 0; i < nodes_.size(); ++i) index_[nodes_[i]] = i;
  }

  std::vector<std::vector<std::string>> run(std::vector<std::string>& order) {
    for (const auto& n : nodes_)
      if (state_[n] == 0) visit(n);
    for (const auto& n : post_)
      if (!in_cycle_.count(n)) order.push_back(n);
    return cycles_;
  }

 private:
  void visit(const std::string& n) {
    state_[n] = 1;
    stack_.push_back(n);
    for (const auto& m : edges_[n]) {
      if (!index_.count(m)) continue;
      if (state_[m] == 1)
        record_cycle(m);
      else if (state_[m] == 0)
        visit(m);
    }
    stack_.pop_back();
    state_[n] = 2;
    post_.push_back(n);
  }

  void record_cycle(const std::string& start) {
    auto it = std::find(stack_.begin(), stack_.end(), start);
    std::vector<std::string> cycle(it, stack_.end());
    auto first = std::min_element(
        cycle.begin(), cycle.end(),
        [&](const std::string& a, const std::string& b) { return index_[a] < index_[b]; });
    std::rotate(cycle.begin(), first, cycle.end());
    for (const auto& n : cycle) in_cycle_.insert(n);
    cycle.push_back(cycle.front());
    if (std::find(cycles_.begin(), cycles_.end(), cycle) == cycles_.end()) cycles_.push_back(cycle);
  }

  const std::vector<std::string>& nodes_;
  std::map<std::string, std::vector<std::string>> edges_;
  std::map<std::string, size_t> index_;
  std::map<std::string, int> state_;  // 0 new, 1 on the stack, 2 done
  std::vector<std::string> stack_, post_;
  std::set<std::string> in_cycle_;
  std::vector<std::vector<std::string>> cycles_;
};

}  // namespace

std::vector<std::vector<std::string>> find_fact_cycles(const Pack& pack,
                                                       std::vector<std::string>& order) {
  std::vector<std::string> nodes;
  std::map<std::string, std::vector<std::string>> edges;
  for (const auto& f : pack.facts) {
    nodes.push_back(f.name);
    if (f.expr) edges[f.name] = referenced_names(*f.expr);
  }
  return CycleFinder(nodes, std::move(edges)).run(order);
}

std::vector<std::string> show_if_questions(const Pack& pack, const Question& q) {
  if (!q.show_if) return {};
  return questions_read(pack, *q.show_if);
}

std::vector<std::string> questions_read(const Pack& pack, const Expr& root) {
  std::vector<std::string> out;
  std::set<std::string> seen_facts;
  std::function<void(const Expr&)> walk = [&](const Expr& e) {
    for (const auto& name : referenced_names(e)) {
      if (pack.find_question(name)) {
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
      } else if (const Fact* f = pack.find_fact(name);
                 f && f->expr && seen_facts.insert(name).second) {
        walk(*f->expr);
      }
    }
  };
  walk(root);
  return out;
}

namespace {

// Abstract evaluation for "can this show_if ever be true?". A sub-expression is either a
// constant (its value is the same for every answer set) or anything. Questions that are
// never shown are constant unknown, and answered()/unknown() of them constant false.
class Reachability {
 public:
  explicit Reachability(const Pack& pack) : pack_(pack) {}

  void mark_never_shown(const std::string& q) { never_shown_.insert(q); }
  bool is_never_shown(const std::string& q) const { return never_shown_.count(q) > 0; }

  // False when the condition is constant false or constant unknown.
  bool can_hold(const Expr& e) {
    auto v = constant(e);
    return !v || (v->known && v->type == ValueType::Bool && v->boolean);
  }

 private:
  class ConstEnv : public EvalEnv {
   public:
    explicit ConstEnv(Reachability& r) : r_(r) {}
    Value lookup(const std::string& name) override {
      auto v = r_.name_value(name);
      return v ? *v : Value::unknown();
    }
    bool answered(const std::string&) override { return false; }
    bool said_unknown(const std::string&) override { return false; }
    Date today() const override { return Date(); }  // never reached: `today` is not constant

   private:
    Reachability& r_;
  };

  std::optional<Value> name_value(const std::string& name) {
    if (pack_.find_question(name)) {
      if (never_shown_.count(name)) return Value::unknown();
      return std::nullopt;
    }
    const Fact* f = pack_.find_fact(name);
    if (!f || !f->expr || depth_ > 64) return std::nullopt;
    ++depth_;
    auto v = constant(*f->expr);
    --depth_;
    return v;
  }

  std::optional<Value> constant(const Expr& e) {
    switch (e.kind) {
      case ExprKind::Literal:
        return e.literal;
      case ExprKind::String:
        return Value::of_option(e.text);
      case ExprKind::Today:
        return std::nullopt;
      case ExprKind::Name:
        return name_value(e.text);
      case ExprKind::And:
      case ExprKind::Or:
        return logical(e);
      case ExprKind::Call:
        if (e.text == "answered" || e.text == "unknown") {
          if (e.args.size() == 1 && e.args[0]->kind == ExprKind::Name &&
              never_shown_.count(e.args[0]->text))
            return Value::of_bool(false);
          return std::nullopt;
        }
        [[fallthrough]];
      default:
        return strict(e);
    }
  }

  // Kleene and/or: a constant dominant operand decides alone.
  std::optional<Value> logical(const Expr& e) {
    bool dominant = e.kind == ExprKind::Or;
    auto a = constant(*e.args[0]);
    auto b = constant(*e.args[1]);
    for (const auto& v : {a, b})
      if (v && v->known && v->type == ValueType::Bool && v->boolean == dominant)
        return Value::of_bool(dominant);
    if (a && b) return evaluate(e);
    return std::nullopt;
  }

  // Operators where one unknown operand makes the result unknown.
  std::optional<Value> strict(const Expr& e) {
    bool all_constant = true;
    for (const auto& arg : e.args) {
      auto v = constant(*arg);
      if (v && !v->known) return Value::unknown();
      all_constant = all_constant && v.has_value();
    }
    if (all_constant) return evaluate(e);
    return std::nullopt;
  }

  Value evaluate(const Expr& e) {
    ConstEnv env(*this);
    return evaluate_expr(e, env);
  }

  const Pack& pack_;
  std::set<std::string> never_shown_;
  int depth_ = 0;
};

bool asked_by_all_checks_of(const Question& dep, const Question& reader,
                            std::string* missing_check) {
  if (dep.check_ids.empty()) return true;
  if (reader.check_ids.empty()) {
    *missing_check = "(every check)";
    return false;
  }
  for (const auto& c : reader.check_ids)
    if (!dep.asked_by(c)) {
      *missing_check = c;
      return false;
    }
  return true;
}

}  // namespace

std::vector<QuestionProblem> find_question_order_problems(const Pack& pack) {
  std::vector<QuestionProblem> problems;
  std::vector<std::string> nodes;
  std::map<std::string, std::vector<std::string>> edges;
  std::map<std::string, size_t> index;
  for (const auto& q : pack.questions) {
    index[q.id] = nodes.size();
    nodes.push_back(q.id);
    edges[q.id] = show_if_questions(pack, q);
  }
  std::vector<std::string> order;
  std::set<std::string> in_cycle;
  for (const auto& cycle : CycleFinder(nodes, edges).run(order)) {
    problems.push_back(
        {cycle.front(), "dependency cycle among show_if conditions: " + join_cycle(cycle)});
    in_cycle.insert(cycle.begin(), cycle.end());
  }
  Reachability reach(pack);
  for (const auto& q : pack.questions) {
    if (in_cycle.count(q.id) || !q.show_if) continue;
    bool ordered = true;
    for (const auto& dep : edges[q.id]) {
      const Question* d = pack.find_question(dep);
      std::string check;
      if (index[dep] >= index[q.id]) {
        problems.push_back({q.id, "show_if reads question '" + dep + "', which is asked after '" +
                                      q.id + "'; move '" + dep + "' before it"});
        ordered = false;
      } else if (!asked_by_all_checks_of(*d, q, &check)) {
        problems.push_back(
            {q.id, "show_if reads question '" + dep + "', which check " +
                       (check == "(every check)" ? std::string("every check") : "'" + check + "'") +
                       " does not ask"});
      }
    }
    if (ordered && !reach.can_hold(*q.show_if)) {
      std::string why;
      for (const auto& dep : edges[q.id])
        if (reach.is_never_shown(dep))
          why += (why.empty() ? "" : ", ") + std::string("'") + dep + "'";
      problems.push_back(
          {q.id, "question '" + q.id + "' can never be shown: its show_if is never true" +
                     (why.empty() ? std::string() : " (it reads " + why + ", never shown)")});
      reach.mark_never_shown(q.id);
    }
  }
  return problems;
}

}  // namespace kiosk::core
