// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation of readiness checks and question visibility.
#include "core/eval.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace kiosk::core {
namespace {

// The value of a stored answer, if it is a real answer of the question's type.
Value answer_value(const Question& q, const Answer& a) {
  switch (q.type) {
    case QuestionType::YesNo:
      if (a.kind == Answer::Bool) return Value::of_bool(a.boolean);
      break;
    case QuestionType::OneOf:
      if (a.kind == Answer::Option && q.find_option(a.option)) return Value::of_option(a.option);
      break;
    case QuestionType::SeveralOf:
      if (a.kind == Answer::Options) return Value::of_options(a.options);
      break;
    case QuestionType::Date:
      if (a.kind == Answer::Date) return Value::of_date(a.date);
      break;
    case QuestionType::Number:
      if (a.kind == Answer::Number) return Value::of_number(a.number);
      break;
  }
  return Value::unknown();
}

// Answers seen through visibility: hidden questions and invalid answers read as unknown.
// Records every question and fact read when a sink is set.
class CheckEnv : public EvalEnv {
 public:
  CheckEnv(const Pack& pack, const Answers& answers, Date today)
      : pack_(pack), answers_(answers), today_(today) {}

  void set_visible(std::unordered_set<std::string> visible) {
    visible_ = std::move(visible);
    fact_cache_.clear();
    question_cache_.clear();
  }
  void show(const std::string& q) {
    visible_.insert(q);
    fact_cache_.clear();
    question_cache_.clear();
  }
  void record_into(std::vector<InputRead>* sink, std::string used_in) {
    sink_ = sink;
    used_in_ = std::move(used_in);
  }

  Value lookup(const std::string& name) override {
    if (const Question* q = pack_.find_question(name)) {
      const auto& [value, text] = cached_question(*q);
      record(name, false, text, used_in_);
      return value;
    }
    if (const Fact* f = pack_.find_fact(name)) return fact_value(*f);
    return Value::unknown();
  }

  bool answered(const std::string& q) override {
    const Question* question = pack_.find_question(q);
    if (!question) return false;
    const auto& [value, text] = cached_question(*question);
    record(q, false, text, used_in_);
    return value.known;
  }

  bool said_unknown(const std::string& q) override {
    bool result = visible_.count(q) && kind_of(q) == Answer::Unknown;
    record(q, false, answer_text(q), used_in_);
    return result;
  }

  Date today() const override { return today_; }

 private:
  struct FactEntry {
    Value value;
    std::vector<InputRead> reads;  // questions and facts the fact read
  };

  Answer::Kind kind_of(const std::string& q) const {
    auto it = answers_.find(q);
    return it == answers_.end() ? Answer::Unanswered : it->second.kind;
  }

  Value question_value(const Question& q) const {
    if (!visible_.count(q.id)) return Value::unknown();
    auto it = answers_.find(q.id);
    return it == answers_.end() ? Value::unknown() : answer_value(q, it->second);
  }

  // A question's value and its text, computed once per visibility state (rules read the
  // same few questions many times).
  const std::pair<Value, std::string>& cached_question(const Question& q) {
    auto it = question_cache_.find(&q);
    if (it == question_cache_.end()) {
      Value v = question_value(q);
      std::string text = v.to_text();
      it = question_cache_.emplace(&q, std::make_pair(std::move(v), std::move(text))).first;
    }
    return it->second;
  }

  // "unknown" for "I don't know", unanswered and hidden; the value otherwise.
  std::string answer_text(const std::string& q) const {
    const Question* question = pack_.find_question(q);
    return question ? question_value(*question).to_text() : "unknown";
  }

  // Facts are evaluated once per visibility state; their own reads are replayed into the
  // rule's inputs so an explanation names the questions behind a fact.
  Value fact_value(const Fact& f) {
    auto it = fact_cache_.find(&f);
    if (it == fact_cache_.end()) {
      FactEntry entry;
      auto* outer_sink = sink_;
      auto outer_used = used_in_;
      sink_ = &entry.reads;
      used_in_.clear();
      entry.value = f.expr ? evaluate_expr(*f.expr, *this) : Value::unknown();
      sink_ = outer_sink;
      used_in_ = outer_used;
      it = fact_cache_.emplace(&f, std::move(entry)).first;
    }
    record(f.name, true, it->second.value.to_text(), used_in_);
    for (const auto& read : it->second.reads)
      record(read.id, read.is_fact, read.value, used_in_ + " via " + f.name + read.used_in);
    return it->second.value;
  }

  void record(const std::string& id, bool is_fact, const std::string& value,
              const std::string& used_in) {
    if (!sink_) return;
    for (const auto& r : *sink_)
      if (r.id == id && r.used_in == used_in) return;
    sink_->push_back({id, is_fact, value, used_in});
  }

  const Pack& pack_;
  const Answers& answers_;
  Date today_;
  // Hashed, not ordered: a check of 500 rules looks these up thousands of times.
  std::unordered_set<std::string> visible_;
  std::unordered_map<const Fact*, FactEntry> fact_cache_;
  std::unordered_map<const Question*, std::pair<Value, std::string>> question_cache_;
  std::vector<InputRead>* sink_ = nullptr;
  std::string used_in_;
};

std::unordered_set<std::string> compute_visible(const Pack& pack, const std::string& check_id,
                                                const Answers& answers, Date today,
                                                std::vector<std::string>* ordered) {
  CheckEnv env(pack, answers, today);
  std::unordered_set<std::string> visible;
  // show_if only reads earlier questions (pack check enforces it), so one pass in file order
  // decides every question with the answers of the questions already shown.
  for (const auto& q : pack.questions) {
    if (!q.asked_by(check_id)) continue;
    if (q.show_if) {
      Value v = evaluate_expr(*q.show_if, env);
      if (!(v.known && v.type == ValueType::Bool && v.boolean)) continue;
    }
    env.show(q.id);
    visible.insert(q.id);
    if (ordered) ordered->push_back(q.id);
  }
  return visible;
}

std::optional<bool> truth(const Value& v) {
  if (!v.known || v.type != ValueType::Bool) return std::nullopt;
  return v.boolean;
}

// The first question whose value is unknown among reads made by `field`.
std::string unknown_input_reason(const std::vector<InputRead>& inputs, const std::string& field) {
  for (const auto& in : inputs)
    if (!in.is_fact && in.value == "unknown" && in.used_in.rfind(field, 0) == 0)
      return "unknown-input:" + in.id;
  return "unknown-input";
}

Value eval_recorded(const NamedExpr& e, CheckEnv& env, RuleResult& out,
                    const std::string& used_in) {
  env.record_into(&out.inputs, used_in);
  Value v = evaluate_expr(*e.expr, env);
  env.record_into(nullptr, "");
  return v;
}

void decide_outcome(const Rule& rule, CheckEnv& env, RuleResult& out) {
  if (rule.applies_if.expr) {
    auto applies = truth(eval_recorded(rule.applies_if, env, out, "applies_if"));
    if (!applies) {
      out.outcome = Outcome::Action;
      out.why = unknown_input_reason(out.inputs, "applies_if");
      return;
    }
    if (!*applies) {
      out.outcome = Outcome::NotApplicable;
      out.why = "not-applicable";
      return;
    }
  }
  auto holds = rule.when.expr ? truth(eval_recorded(rule.when, env, out, "when")) : std::nullopt;
  if (!holds) {
    out.outcome = Outcome::Action;
    out.why = unknown_input_reason(out.inputs, "when");
  } else if (*holds) {
    out.outcome = rule.outcome;
    out.why = "condition-true";
  } else {
    out.outcome = Outcome::Ready;
    out.why = "condition-false";
  }
}

RuleResult evaluate_rule(const Rule& rule, CheckEnv& env) {
  RuleResult out;
  out.rule_id = rule.id;
  out.responsible = rule.responsible;
  out.message_id = rule.message_id;
  out.remedy_id = rule.remedy_id;
  out.help_ids = rule.help_ids;
  out.source_id = rule.source_id;
  decide_outcome(rule, env, out);
  if (rule.deadline.expr) {
    Value d = eval_recorded(rule.deadline, env, out, "deadline");
    if (d.known && d.type == ValueType::Date) out.deadline = d.date;
  }
  for (const auto& v : rule.values)
    if (v.expr) out.values[v.name] = eval_recorded(v, env, out, "value:" + v.name);
  return out;
}

int severity(Outcome o) {
  switch (o) {
    case Outcome::NotApplicable:
      return 0;
    case Outcome::Ready:
      return 1;
    case Outcome::Action:
      return 2;
    case Outcome::Blocker:
      return 3;
  }
  return 0;
}

}  // namespace

std::vector<std::string> visible_questions(const Pack& pack, const std::string& check_id,
                                           const Answers& answers, Date today) {
  std::vector<std::string> ordered;
  compute_visible(pack, check_id, answers, today, &ordered);
  return ordered;
}

CheckResult evaluate(const Pack& pack, const std::string& check_id, const Answers& answers,
                     Date today) {
  CheckResult result;
  result.pack_id = pack.manifest.id;
  result.pack_version = pack.manifest.version;
  result.check_id = check_id;
  result.today = today;
  CheckEnv env(pack, answers, today);
  env.set_visible(compute_visible(pack, check_id, answers, today, nullptr));
  for (const auto& rule : pack.rules) {
    if (rule.check_id != check_id) continue;
    result.rules.push_back(evaluate_rule(rule, env));
    if (severity(result.rules.back().outcome) > severity(result.overall))
      result.overall = result.rules.back().outcome;
  }
  return result;
}

}  // namespace kiosk::core
