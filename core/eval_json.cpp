// SPDX-License-Identifier: GPL-3.0-or-later
// Explained results as JSON and as text, and the answers file of `kioskctl check`.
// JSON goes through nlohmann::json, whose objects keep keys sorted (std::map), so the same
// result always serialises to the same bytes.
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/eval.h"
#include "core/i18n.h"
#include "core/po.h"
#include "core/result_messages.h"

namespace kiosk::core {
namespace {

using nlohmann::json;

json value_json(const Value& v) {
  if (!v.known) return nullptr;
  switch (v.type) {
    case ValueType::Bool:
      return v.boolean;
    case ValueType::Number:
      if (std::floor(v.number) == v.number && std::fabs(v.number) < 9e15)
        return static_cast<long long>(v.number);
      return v.number;
    case ValueType::Date:
      return v.date.to_string();
    case ValueType::Duration:
      return v.to_text();
    case ValueType::Option:
      return v.option;
    case ValueType::OptionSet:
      return v.options;
  }
  return nullptr;
}

ArgValue arg_value(const Value& v) {
  switch (v.type) {
    case ValueType::Number:
      if (std::floor(v.number) == v.number && std::fabs(v.number) < 9e15)
        return static_cast<std::int64_t>(v.number);
      return v.number;
    case ValueType::Date:
      return CivilDate{v.date.year(), v.date.month(), v.date.day()};
    default:
      return v.to_text();
  }
}

json rule_json(const RuleResult& r, const Localizer* localizer, const std::string& locale) {
  json j;
  j["id"] = r.rule_id;
  j["outcome"] = outcome_name(r.outcome);
  j["why"] = r.why;
  j["responsible"] = responsible_name(r.responsible);
  j["message_id"] = r.message_id;
  j["remedy_id"] = r.remedy_id.empty() ? json(nullptr) : json(r.remedy_id);
  j["help"] = r.help_ids;
  j["deadline"] = r.deadline ? json(r.deadline->to_string()) : json(nullptr);
  j["source"] = r.source_id;
  json values = json::object();
  for (const auto& [name, v] : r.values) values[name] = value_json(v);
  j["values"] = values;
  json inputs = json::array();
  for (const auto& in : r.inputs)
    inputs.push_back({{"id", in.id},
                      {"kind", in.is_fact ? "fact" : "question"},
                      {"value", in.value},
                      {"used_in", in.used_in}});
  j["inputs"] = inputs;
  // The message describes the finding, so it is formatted only when the finding holds (a rule
  // that did not fire could read "in -99 days"); null otherwise.
  if (localizer && r.why != "condition-true") {
    j["message"] = nullptr;
    j["remedy"] = nullptr;
  } else if (localizer) {
    Args args = message_args(r);
    j["message"] = localizer->format_in(locale, r.message_id, args);
    j["remedy"] =
        r.remedy_id.empty() ? json(nullptr) : json(localizer->format_in(locale, r.remedy_id, args));
  }
  return j;
}

}  // namespace

std::string to_json(const CheckResult& result, const Localizer* localizer,
                    const std::string& locale) {
  json j;
  j["pack"] = {{"id", result.pack_id}, {"version", result.pack_version}};
  j["check"] = result.check_id;
  j["today"] = result.today.to_string();
  j["overall"] = outcome_name(result.overall);
  if (localizer) j["locale"] = locale;
  json rules = json::array();
  for (const auto& r : result.rules) rules.push_back(rule_json(r, localizer, locale));
  j["rules"] = rules;
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

namespace {

std::string upper(const char* s) {
  std::string out(s);
  for (auto& c : out)
    c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : (c == '_' ? ' ' : c);
  return out;
}

void append_rule_text(std::string& out, const RuleResult& r, const Localizer* localizer,
                      const std::string& locale) {
  out += "\n[" + upper(outcome_name(r.outcome)) + "] " + r.rule_id + "  (" + r.why + ")\n";
  Args args = message_args(r);
  // The message describes the finding, so it is shown only when the finding holds.
  if (r.why == "condition-true") {
    if (localizer) {
      out += "  " + localizer->format_in(locale, r.message_id, args) + "\n";
      if (!r.remedy_id.empty())
        out += "  what to do: " + localizer->format_in(locale, r.remedy_id, args) + "\n";
    } else {
      out += "  message: " + r.message_id + "\n";
      if (!r.remedy_id.empty()) out += "  remedy: " + r.remedy_id + "\n";
    }
  } else if (!r.missing_question().empty()) {
    out += "  needs an answer to: " + r.missing_question() + "\n";
  }
  out += std::string("  responsible: ") + responsible_name(r.responsible) + "\n";
  if (r.deadline) out += "  deadline: " + r.deadline->to_string() + "\n";
  // Values are computed for the finding; beside a rule that did not fire they only confuse.
  if (r.why == "condition-true")
    for (const auto& [name, v] : r.values) out += "  value " + name + " = " + v.to_text() + "\n";
  for (const auto& in : r.inputs)
    out += "  read " + std::string(in.is_fact ? "fact " : "question ") + in.id + " = " + in.value +
           "  [" + in.used_in + "]\n";
  if (!r.help_ids.empty()) {
    out += "  help:";
    for (const auto& h : r.help_ids) out += " " + h;
    out += "\n";
  }
  out += "  source: " + r.source_id + "\n";
}

}  // namespace

std::string to_text(const CheckResult& result, const Localizer* localizer,
                    const std::string& locale) {
  std::string out = "pack " + result.pack_id + " " + result.pack_version + ", check " +
                    result.check_id + ", today " + result.today.to_string() + "\n";
  out += "overall: " + upper(outcome_name(result.overall)) + "\n";
  for (const auto& r : result.rules) append_rule_text(out, r, localizer, locale);
  return out;
}

namespace {

// One answer from JSON, by the question's type; nullopt and *error when it does not fit.
std::optional<Answer> answer_from_json(const Question& q, const json& v, std::string* error) {
  auto fail = [&](const std::string& expected) -> std::optional<Answer> {
    *error = "question '" + q.id + "': expected " + expected;
    return std::nullopt;
  };
  if (v.is_null()) return Answer::dont_know();
  switch (q.type) {
    case QuestionType::YesNo:
      if (!v.is_boolean()) return fail("true or false");
      return Answer::of_bool(v.get<bool>());
    case QuestionType::OneOf:
      if (!v.is_string()) return fail("an option id as a string");
      return Answer::of_option(v.get<std::string>());
    case QuestionType::SeveralOf: {
      if (!v.is_array()) return fail("a list of option ids");
      std::vector<std::string> ids;
      for (const auto& item : v) {
        if (!item.is_string()) return fail("a list of option ids");
        ids.push_back(item.get<std::string>());
      }
      return Answer::of_options(std::move(ids));
    }
    case QuestionType::Date: {
      if (!v.is_string()) return fail("a date \"YYYY-MM-DD\"");
      auto d = Date::parse(v.get<std::string>());
      if (!d)
        return fail(
            "a real calendar date \"YYYY-MM-DD\" (this one does not exist or is malformed)");
      return Answer::of_date(*d);
    }
    case QuestionType::Number:
      if (!v.is_number()) return fail("a number");
      return Answer::of_number(v.get<double>());
  }
  return fail("a value");
}

}  // namespace

std::optional<Answers> parse_answers_json(const Pack& pack, std::string_view text,
                                          std::string* error) {
  std::string ignored;
  if (!error) error = &ignored;
  json j;
  try {
    j = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    *error = "answers: invalid JSON at byte " + std::to_string(e.byte);
    return std::nullopt;
  } catch (const json::exception&) {
    *error = "answers: invalid JSON (a number is out of range)";
    return std::nullopt;
  }
  if (!j.is_object()) {
    *error = "answers: expected a JSON object {\"question_id\": answer, ...}";
    return std::nullopt;
  }
  Answers answers;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const Question* q = pack.find_question(it.key());
    if (!q) {
      *error = "answers: unknown question '" + it.key() + "'";
      return std::nullopt;
    }
    auto a = answer_from_json(*q, it.value(), error);
    if (!a) {
      *error = "answers: " + *error;
      return std::nullopt;
    }
    if (auto problem = validate_answer(pack, q->id, *a)) {
      *error = "answers: " + *problem;
      return std::nullopt;
    }
    answers[q->id] = std::move(*a);
  }
  return answers;
}

Args message_args(const RuleResult& r) {
  Args args;
  for (const auto& [name, v] : r.values)
    if (v.known) args[name] = arg_value(v);
  if (r.deadline)
    args["deadline"] = CivilDate{r.deadline->year(), r.deadline->month(), r.deadline->day()};
  return args;
}

void add_pack_catalogues(const Pack& pack, Localizer& localizer) {
  for (const auto& lang : pack.manifest.languages)
    if (const Catalogue* cat = pack.catalogue(lang.tag))
      localizer.add_catalogue(lang.tag,
                              Localizer::Catalogue(cat->messages.begin(), cat->messages.end()));
}

Localizer::Catalogue merged_catalogue(const Pack& pack, const std::string& tag,
                                      const std::string* ui_po_text) {
  Localizer::Catalogue messages;
  if (ui_po_text) {
    PoFile po;
    std::vector<Diagnostic> diags;
    // The UI catalogues are checked by tests at build time; a broken entry here only
    // means fewer messages, which fall back along the chain.
    parse_po(*ui_po_text, "locales/" + tag + ".po", po, diags);
    messages = po_messages(po);
  }
  if (const Catalogue* c = pack.catalogue(tag))
    for (const auto& [id, text] : c->messages) messages[id] = text;
  return messages;
}

}  // namespace kiosk::core
