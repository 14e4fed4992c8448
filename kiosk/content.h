// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk/content.h: what the screens read: the active pack and one Localizer holding, per
// language, the app's own UI strings (locales/*.po) merged with the pack's messages.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/eval.h"
#include "core/i18n.h"
#include "core/pack.h"

namespace kiosk::ui {

using core::Args;

// The app's UI catalogues: language tag -> PO file text (embedded at build time).
using UiCatalogues = std::map<std::string, std::string>;

class Content {
 public:
  // How the kiosk loads a pack: see core::LoadOptions.
  static constexpr core::LoadOptions kLoadOptions{.check_messages = false,
                                                  .defer_catalogues = true};

  // Loads and validates the pack. On failure returns false with a one-line reason
  // (the first error diagnostic as file:line:col) and keeps whatever was loaded before.
  bool load(const core::PackFiles& pack_files, const UiCatalogues& ui_catalogues,
            std::string* error);
  // Takes a pack already loaded (and checked) the way load() loads one: with the kiosk's
  // app version, core::LoadOptions{.check_messages = false, .defer_catalogues = true}.
  void load(std::shared_ptr<const core::Pack> pack, const UiCatalogues& ui_catalogues);

  // Loads another pack with the same UI catalogues (a new version switched in between two
  // visits). On failure the current pack stays.
  bool reload(const core::PackFiles& pack_files, std::string* error) {
    return load(pack_files, ui_catalogues_, error);
  }
  void reload(std::shared_ptr<const core::Pack> pack) { load(std::move(pack), ui_catalogues_); }

  const core::Pack& pack() const { return *pack_; }
  std::shared_ptr<const core::Pack> pack_ptr() const { return pack_; }
  bool loaded() const { return pack_ != nullptr; }
  core::Localizer& localizer() { return *localizer_; }
  const core::Localizer& localizer() const { return *localizer_; }

  // Languages offered on the welcome screen, in the pack manifest's order.
  const std::vector<std::string>& languages() const { return languages_; }
  bool offers_language(const std::string& tag) const;
  // The manifest's translation status of `tag` (draft, reviewed, machine).
  const core::LanguageInfo* language_info(const std::string& tag) const;
  const std::string& office_language() const { return pack_->manifest.office_language; }

  std::string t(std::string_view id, const Args& args = {}) const {
    return localizer_->format(id, args);
  }
  std::string t_in(const std::string& tag, std::string_view id, const Args& args = {}) const {
    return localizer_->format_in(tag, id, args);
  }
  // "Source: <title>, checked <date>" for a source id, in the current language.
  std::string source_line(const std::string& source_id) const;
  bool source_uncertain(const std::string& source_id) const;

  // Japanese era dates (令和8年11月27日) instead of Gregorian, kept across pack reloads.
  void set_calendar(core::CalendarSystem c) {
    calendar_ = c;
    if (localizer_) localizer_->set_calendar(c);
  }

  // Diagnostics of the last load, for the staff screen.
  const std::string& last_error() const { return last_error_; }

 private:
  std::shared_ptr<const core::Pack> pack_;
  std::unique_ptr<core::Localizer> localizer_;
  std::vector<std::string> languages_;
  std::string last_error_;
  UiCatalogues ui_catalogues_;
  core::CalendarSystem calendar_ = core::CalendarSystem::Gregorian;
};

core::CivilDate to_civil(const core::Date& d);

// An answers file for previews and benchmarks: a plain {question: answer} object, or a golden
// persona ({"today", "check", "answers": {...}}) whose date and check (as the first procedure
// of that check) come along. nullopt and *error (the parser's message) when it does not parse.
struct PreviewAnswers {
  core::Answers answers;
  std::optional<core::Date> today;  // a persona's date
  std::string procedure_id;         // a persona's check, as a procedure id
};
std::optional<PreviewAnswers> parse_preview_answers(const core::Pack& pack, const std::string& json,
                                                    std::string* error);

}  // namespace kiosk::ui
