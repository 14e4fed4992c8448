// SPDX-License-Identifier: GPL-3.0-or-later
#include "kiosk/content.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/result_messages.h"

namespace kiosk::ui {

core::CivilDate to_civil(const core::Date& d) {
  return {d.year(), d.month(), d.day()};
}

bool Content::load(const core::PackFiles& pack_files, const UiCatalogues& ui_catalogues,
                   std::string* error) {
  // Messages were checked when the pack was built (tests) or installed (sync); skipping that
  // here, and parsing a language's messages only when someone picks it, keeps the start
  // fast. See core::LoadOptions.
  core::LoadResult result = core::load_pack(pack_files, KIOSK_APP_VERSION, kLoadOptions);
  if (!result.ok()) {
    std::string first = "the pack has errors";
    for (const auto& d : result.diagnostics)
      if (d.severity == core::Severity::Error) {
        first = core::format_diagnostic(d);
        break;
      }
    last_error_ = first;
    if (error) *error = first;
    return false;
  }
  load(result.pack, ui_catalogues);
  return true;
}

void Content::load(std::shared_ptr<const core::Pack> pack, const UiCatalogues& ui_catalogues) {
  auto localizer = std::make_unique<core::Localizer>(pack->manifest.base_language);
  std::vector<std::string> tags;
  for (const auto& lang : pack->manifest.languages) tags.push_back(lang.tag);
  for (const auto& [tag, text] : ui_catalogues)
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  auto ui_copy = std::make_shared<const UiCatalogues>(ui_catalogues);
  for (const std::string& tag : tags) {
    // Parsed on first use: a kiosk start does not pay for 20 languages nobody picked yet.
    localizer->add_catalogue_loader(tag, [pack, tag, ui_copy] {
      auto it = ui_copy->find(tag);
      return core::merged_catalogue(*pack, tag, it == ui_copy->end() ? nullptr : &it->second);
    });
  }
  localizer->set_calendar(calendar_);
  pack_ = pack;
  localizer_ = std::move(localizer);
  ui_catalogues_ = *ui_copy;
  languages_.clear();
  for (const auto& lang : pack_->manifest.languages) languages_.push_back(lang.tag);
  last_error_.clear();
}

bool Content::offers_language(const std::string& tag) const {
  return std::find(languages_.begin(), languages_.end(), tag) != languages_.end() ||
         core::is_pseudo_locale(tag);
}

const core::LanguageInfo* Content::language_info(const std::string& tag) const {
  for (const auto& lang : pack_->manifest.languages)
    if (lang.tag == tag) return &lang;
  return nullptr;
}

std::string Content::source_line(const std::string& source_id) const {
  const core::Source* s = pack_->find_source(source_id);
  if (!s) return {};
  Args args{{"title", s->title}};
  if (s->verified) args["date"] = to_civil(*s->verified);
  return t(s->verified ? "ui.result.source" : "ui.result.source_undated", args);
}

bool Content::source_uncertain(const std::string& source_id) const {
  const core::Source* s = pack_->find_source(source_id);
  return s && s->uncertain;
}

std::optional<PreviewAnswers> parse_preview_answers(const core::Pack& pack, const std::string& json,
                                                    std::string* error) {
  PreviewAnswers out;
  std::string answers_json = json;
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (!doc.is_discarded() && doc.is_object() && doc.contains("answers")) {
    answers_json = doc["answers"].dump();
    if (doc.contains("today") && doc["today"].is_string())
      out.today = core::Date::parse(doc["today"].get<std::string>());
    if (doc.contains("check") && doc["check"].is_string()) {
      auto p = std::find_if(pack.procedures.begin(), pack.procedures.end(),
                            [&](const core::Procedure& p) { return p.check_id == doc["check"]; });
      if (p != pack.procedures.end()) out.procedure_id = p->id;
    }
  }
  auto answers = core::parse_answers_json(pack, answers_json, error);
  if (!answers) return std::nullopt;
  out.answers = std::move(*answers);
  return out;
}

}  // namespace kiosk::ui
