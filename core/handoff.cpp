// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/handoff.h"

#include <nlohmann/json.hpp>

#include "core/json_fields.h"

namespace kiosk::core {

using nlohmann::json;

std::string handoff_json(const Handoff& h) {
  json j = {
      {"kind", "handoff"},
      {"version", kHandoffVersion},
      {"code", h.code},
      {"pack", {{"id", h.pack_id}, {"version", h.pack_version}}},
      {"procedure", h.procedure_id},
      {"language", h.language},
      {"office_language", h.office_language},
      {"date", h.date.to_string()},
  };
  // The person's language first; the office's beside it, once when they are the same.
  j["checklist"] = json::array();
  j["checklist"].push_back({{"language", h.language}, {"text", h.checklist_user}});
  // An item read back without the office's text (version 1 allowed that) is written the same
  // way, not with an empty text no reader accepts (found by fuzz_items).
  if (h.office_language != h.language && !h.checklist_office.empty())
    j["checklist"].push_back({{"language", h.office_language}, {"text", h.checklist_office}});
  j["findings"] = json::array();
  for (const auto& f : h.findings) {
    json item = {{"rule", f.rule_id},
                 {"outcome", outcome_name(f.outcome)},
                 {"responsible", responsible_name(f.responsible)}};
    item["deadline"] = f.deadline ? json(f.deadline->to_string()) : json(nullptr);
    item["undecided"] = f.undecided;
    j["findings"].push_back(std::move(item));
  }
  return j.dump();
}

namespace {

// Reads j[key] as a non-empty string; false and *error naming `where` otherwise.
bool get_string(const json& j, const char* key, const std::string& where, std::string* out,
                std::string* error) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    *error = where + key + ": missing or not a non-empty string";
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

bool get_date(const json& j, const char* key, const std::string& where, Date* out,
              std::string* error) {
  std::string text;
  if (!get_string(j, key, where, &text, error)) return false;
  auto d = Date::parse(text);
  if (!d) {
    *error = where + key + ": not a date (YYYY-MM-DD): \"" + text + "\"";
    return false;
  }
  *out = *d;
  return true;
}

bool read_finding(const json& f, const std::string& where, HandoffFinding* out,
                  std::string* error) {
  if (!f.is_object()) return *error = where + ": not an object", false;
  std::string outcome, responsible;
  if (!get_string(f, "rule", where + ".", &out->rule_id, error) ||
      !get_string(f, "outcome", where + ".", &outcome, error) ||
      !get_string(f, "responsible", where + ".", &responsible, error))
    return false;
  auto o = parse_outcome(outcome);
  if (!o) return *error = where + ".outcome: unknown value \"" + outcome + "\"", false;
  auto r = parse_responsible(responsible);
  if (!r) return *error = where + ".responsible: unknown value \"" + responsible + "\"", false;
  out->outcome = *o;
  out->responsible = *r;
  if (auto d = f.find("deadline"); d != f.end() && !d->is_null()) {
    Date date;
    if (!get_date(f, "deadline", where + ".", &date, error)) return false;
    out->deadline = date;
  }
  if (auto u = f.find("undecided"); u != f.end()) {
    if (!u->is_boolean()) return *error = where + ".undecided: not true or false", false;
    out->undecided = u->get<bool>();
  }
  return true;
}

}  // namespace

std::optional<Handoff> parse_handoff_json(std::string_view text, std::string* error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "not a JSON object";
    return std::nullopt;
  }
  Handoff h;
  if (string_field(j, "kind") != "handoff") {
    *error = "kind: not \"handoff\"";
    return std::nullopt;
  }
  auto v = j.find("version");
  if (v == j.end() || !v->is_number_integer() || *v < 1 || *v > kHandoffVersion) {
    *error = "version: expected 1 to " + std::to_string(kHandoffVersion);
    return std::nullopt;
  }
  h.version = v->get<int>();
  const json& pack = j.contains("pack") ? j["pack"] : json();
  if (!pack.is_object()) {
    *error = "pack: missing or not an object";
    return std::nullopt;
  }
  if (!get_string(j, "code", "", &h.code, error) ||
      !get_string(pack, "id", "pack.", &h.pack_id, error) ||
      !get_string(pack, "version", "pack.", &h.pack_version, error) ||
      !get_string(j, "procedure", "", &h.procedure_id, error) ||
      !get_string(j, "language", "", &h.language, error) ||
      !get_string(j, "office_language", "", &h.office_language, error) ||
      !get_date(j, "date", "", &h.date, error))
    return std::nullopt;
  auto lists = j.find("checklist");
  if (lists == j.end() || !lists->is_array() || lists->empty() || lists->size() > 2) {
    *error = "checklist: expected one or two entries";
    return std::nullopt;
  }
  for (size_t i = 0; i < lists->size(); ++i) {
    const std::string where = "checklist[" + std::to_string(i) + "].";
    std::string lang, body;
    if (!(*lists)[i].is_object()) {
      *error = where.substr(0, where.size() - 1) + ": not an object";
      return std::nullopt;
    }
    if (!get_string((*lists)[i], "language", where, &lang, error) ||
        !get_string((*lists)[i], "text", where, &body, error))
      return std::nullopt;
    if (lang == h.language && h.checklist_user.empty())
      h.checklist_user = body;
    else if (lang == h.office_language)
      h.checklist_office = body;
    else {
      *error = where + "language: \"" + lang + "\" is neither the visitor's nor the office's";
      return std::nullopt;
    }
  }
  if (h.checklist_user.empty()) {
    *error = "checklist: no entry in the visitor's language \"" + h.language + "\"";
    return std::nullopt;
  }
  if (h.office_language == h.language) h.checklist_office = h.checklist_user;
  if (h.version >= 2) {
    auto f = j.find("findings");
    if (f == j.end() || !f->is_array()) {
      *error = "findings: missing or not an array";
      return std::nullopt;
    }
    for (size_t i = 0; i < f->size(); ++i) {
      HandoffFinding finding;
      if (!read_finding((*f)[i], "findings[" + std::to_string(i) + "]", &finding, error))
        return std::nullopt;
      h.findings.push_back(std::move(finding));
    }
  }
  return h;
}

static void wipe_text(std::string& s) {
  volatile char* p = s.data();  // volatile: the stores to a dying buffer must not be dropped
  for (size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

void wipe_handoff(Handoff& h) {
  wipe_text(h.code);
  wipe_text(h.checklist_user);
  wipe_text(h.checklist_office);
  h.findings.clear();
}

}  // namespace kiosk::core
