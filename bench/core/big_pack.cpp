// SPDX-License-Identifier: GPL-3.0-or-later
#include "bench/core/big_pack.h"

#include <string>

namespace kiosk::bench {
namespace {

using core::PackFiles;

const char* const kTypes[] = {"yesno", "one_of", "several_of", "date", "number"};
const char* const kLanguages[] = {
    "en", "ja", "zh-Hans", "zh-Hant", "ko", "vi", "ne", "id", "tl", "pt-BR", "es", "th", "my", "km",
    "si", "bn", "ar",      "fa",      "ur", "mn", "uk", "tr", "ta", "ti",    "fr", "de", "ru", "hi",
    "ms", "it", "pl",      "ro",      "am", "sw", "te", "ml", "lo", "ps",    "he", "ka"};
constexpr int kMaxLanguages = sizeof kLanguages / sizeof kLanguages[0];

std::string q(int i) {
  return "q" + std::to_string(i);
}

std::string questions_yaml(int n) {
  std::string out = "questions:\n";
  for (int i = 0; i < n; ++i) {
    std::string type = kTypes[i % 5];
    out += "  - id: " + q(i) + "\n    type: " + type + "\n    text: " + q(i) +
           ".text\n    allow_unknown: true\n";
    if (i % 7 == 6) out += "    show_if: \"answered(" + q(i - 1) + ")\"\n";
    if (type == "one_of" || type == "several_of") {
      out += "    options:\n";
      for (const char* o : {"a", "b", "c"})
        out += "      - { id: " + std::string(o) + ", text: " + q(i) + "." + o + " }\n";
    }
  }
  return out;
}

// A condition over question `i` that fits its type.
std::string condition(int i) {
  switch (i % 5) {
    case 0:
      return "not " + q(i);
    case 1:
      return "'" + q(i) + " == \"a\"'";
    case 2:
      return "'has(" + q(i) + ", \"b\")'";
    case 3:
      return "\"days_until(" + q(i) + ") < 90 and today >= " + q(i) + " - 3 months\"";
    default:
      return "\"" + q(i) + " < 3 or " + q(i) + " > 1000\"";
  }
}

std::string rules_yaml(int questions, int rules) {
  std::string out = "facts:\n";
  for (int i = 3; i < questions; i += 5)
    out += "  left_" + q(i) + ": \"days_until(" + q(i) + ")\"\n";
  out += "rules:\n";
  for (int r = 0; r < rules; ++r) {
    int i = (r * 7) % questions;
    std::string id = "r" + std::to_string(r);
    out += "  - id: " + id + "\n    check: main\n    when: " + condition(i) + "\n";
    if (r % 3 == 0) out += "    applies_if: \"answered(" + q((i + 1) % questions) + ")\"\n";
    out += std::string("    outcome: ") + (r % 4 == 0 ? "blocker" : "action") + "\n";
    out += "    message: " + id + ".msg\n    remedy: " + id + ".remedy\n    responsible: self\n";
    int d = (i / 5) * 5 + 3;
    if (d < questions) {
      out += "    deadline: \"" + q(d) + " + 2 months\"\n";
      out += "    values:\n      days: \"left_" + q(d) + "\"\n";
    }
    out += "    source: src\n";
  }
  return out;
}

// Procedure 0 runs the check "main"; the others are guides only.
std::string procedures_yaml(int procedures) {
  std::string out = "procedures:\n";
  for (int p = 0; p < procedures; ++p) {
    const std::string id = "p" + std::to_string(p);
    out += "  - id: " + id + "\n    title: " + id + ".title\n    summary: " + id +
           ".summary\n    where: " + id + ".where\n";
    if (p == 0) out += "    check: main\n";
    out += "    steps: [" + id + ".step0, " + id + ".step1, " + id + ".step2]\n";
    out += "    documents:\n";
    for (int d = 0; d < 3; ++d)
      out += "      - { id: d" + std::to_string(d) + ", name: " + id + ".doc" + std::to_string(d) +
             ", note: " + id + ".doc" + std::to_string(d) + ".note, source: src }\n";
    out += "    fees:\n      - { text: " + id + ".fee, source: src }\n";
  }
  return out;
}

std::string po_entry(const std::string& id, const std::string& text) {
  return "msgid \"" + id + "\"\nmsgstr \"" + text + "\"\n\n";
}

std::string catalogue(const std::string& tag, int questions, int rules, int procedures) {
  std::string out = "msgid \"\"\nmsgstr \"\"\n\"Language: " + tag +
                    "\\n\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n\n";
  out += po_entry("pack.title", "Big pack " + tag);
  for (int i = 0; i < questions; ++i) {
    out += po_entry(q(i) + ".text", "Question " + std::to_string(i) + " in " + tag + "?");
    if (i % 5 == 1 || i % 5 == 2)
      for (const char* o : {"a", "b", "c"})
        out += po_entry(q(i) + "." + o, std::string("Option ") + o);
  }
  for (int r = 0; r < rules; ++r) {
    std::string id = "r" + std::to_string(r);
    out += po_entry(id + ".msg", "Rule " + std::to_string(r) +
                                     ": {days, plural, one {# day left} other {# days left}} (" +
                                     tag + ")");
    out += po_entry(id + ".remedy", "Act by {deadline, date, long}.");
  }
  for (int p = 0; p < procedures; ++p) {
    const std::string id = "p" + std::to_string(p), n = std::to_string(p);
    out += po_entry(id + ".title", "Procedure " + n + " (" + tag + ")");
    out += po_entry(id + ".summary", "What procedure " + n + " is for, in one sentence.");
    out += po_entry(id + ".where", "Office " + n);
    for (int k = 0; k < 3; ++k)
      out += po_entry(id + ".step" + std::to_string(k),
                      "Step " + std::to_string(k + 1) + " of procedure " + n + ".");
    for (int d = 0; d < 3; ++d) {
      out += po_entry(id + ".doc" + std::to_string(d), "Document " + std::to_string(d + 1));
      out += po_entry(id + ".doc" + std::to_string(d) + ".note", "Where to get it.");
    }
    out += po_entry(id + ".fee", "No fee.");
  }
  return out;
}

}  // namespace

PackFiles make_big_pack(int questions, int rules, int languages, int procedures) {
  PackFiles files;
  std::string manifest =
      "format: 1\nid: bench.big\nversion: 1.0.0\nmin_app_version: 0.1.0\ntitle: "
      "pack.title\nbase_language: en\n"
      "languages:\n";
  for (int l = 0; l < languages && l < kMaxLanguages; ++l) {
    manifest += std::string("  - { tag: ") + kLanguages[l] + ", status: draft }\n";
    files[std::string("messages/") + kLanguages[l] + ".po"] =
        catalogue(kLanguages[l], questions, rules, procedures);
  }
  manifest +=
      "sources:\n  - { id: src, title: \"Source\", url: https://example.org, verified: 2026-11-01 "
      "}\n";
  files["pack.yaml"] = manifest;
  files["questions.yaml"] = questions_yaml(questions);
  files["rules.yaml"] = rules_yaml(questions, rules);
  if (procedures > 0) files["procedures.yaml"] = procedures_yaml(procedures);
  return files;
}

PackSize pack_size_at(int scale) {
  const int languages = scale <= 1 ? 25 : scale <= 3 ? 30 : 40;
  return {7 * scale, 30 * scale, 50 * scale, languages};
}

PackFiles make_pack_at(int scale) {
  const PackSize s = pack_size_at(scale);
  return make_big_pack(s.questions, s.rules, s.languages, s.procedures);
}

core::Answers make_big_answers(const core::Pack& pack) {
  core::Answers answers;
  int i = 0;
  for (const auto& question : pack.questions) {
    switch (question.type) {
      case core::QuestionType::YesNo:
        answers[question.id] = core::Answer::of_bool(i % 2 == 0);
        break;
      case core::QuestionType::OneOf:
        answers[question.id] = core::Answer::of_option(i % 3 ? "a" : "b");
        break;
      case core::QuestionType::SeveralOf:
        answers[question.id] = core::Answer::of_options({"a", "b"});
        break;
      case core::QuestionType::Date:
        answers[question.id] =
            core::Answer::of_date(core::Date::parse("2027-01-31")->add_days(i * 3).value());
        break;
      case core::QuestionType::Number:
        answers[question.id] = core::Answer::of_number(i * 37);
        break;
    }
    ++i;
  }
  return answers;
}

}  // namespace kiosk::bench
