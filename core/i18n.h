// SPDX-License-Identifier: GPL-3.0-or-later
// i18n: locale fallback chains, message formatting (ICU MessageFormat, named arguments, CLDR
// plurals), dates (Gregorian or Japanese era), numbers and yen amounts, language autonyms,
// right-to-left and script facts, collation, and the two pseudo-locales used in tests.
//
// Tags are BCP 47 ("pt-BR", "zh-Hant-TW"). Choices made here (see docs in each function):
//  - Easy Japanese (やさしい日本語) is "ja-x-easy": Japanese with a private-use subtag, which is
//    valid BCP 47, keeps ICU treating it as Japanese for plurals/dates/collation, and needs no
//    registry. Its chain is ja-x-easy -> ja -> base: a reader who chose Easy Japanese reads
//    Japanese, so standard Japanese is more useful to them than the base language (English).
//  - Chinese never crosses scripts: zh-TW/zh-HK/zh-MO mean zh-Hant, zh/zh-CN/zh-SG mean zh-Hans.
//    zh-Hant-TW -> zh-TW -> zh-Hant -> base; never zh-Hans or plain "zh" (which is Simplified).
//  - Pseudo-locales: "en-XA" (accented, ~40% longer, in brackets) and "ar-XB" (right-to-left:
//    every text run is wrapped in RLO...PDF) are generated from the base language's catalogue.
//
// Nothing is loaded eagerly: ICU objects (MessageFormat, Collator, DateFormat, number formatters)
// are created on first use and cached, so start-up cost does not grow with the language count.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace kiosk::core {

// A calendar date without time or zone (kept here so i18n does not depend on core/date.h).
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

// A named argument of a message: text, integer, real number or date.
using ArgValue = std::variant<std::string, std::int64_t, double, CivilDate>;
using Args = std::map<std::string, ArgValue, std::less<>>;

enum class DateStyle { Long, Medium, Short };
enum class CalendarSystem { Gregorian, Japanese };

// ---- Tags and locale facts (free functions; cheap, no catalogues needed) ----

inline constexpr std::string_view kEasyJapaneseTag = "ja-x-easy";
inline constexpr std::string_view kPseudoAccentedTag = "en-XA";
inline constexpr std::string_view kPseudoRtlTag = "ar-XB";

// Canonical BCP 47 spelling ("pt_br" -> "pt-BR", "ZH-hant-tw" -> "zh-Hant-TW"); "" if unusable.
std::string canonical_tag(std::string_view tag);

// Tags to try for a message, most specific first, ending with `base_language`.
// pt-BR -> pt -> base; zh-Hant-TW -> zh-TW -> zh-Hant -> base; zh-TW -> zh-Hant-TW -> zh-Hant ->
// base; zh-CN -> zh-Hans-CN -> zh-Hans -> zh -> base; ja-x-easy -> ja -> base.
// A pseudo-locale's chain is itself then the base language.
std::vector<std::string> fallback_chain(std::string_view tag, std::string_view base_language);

// The language's name in its own language and script ("ja" -> "日本語", "zh-Hant" -> "繁體中文").
// ICU's display name, overridden where it is poor for a language picker (see i18n.cpp).
std::string language_name(std::string_view tag);
// The language's name in another language ("fil" in "ja" -> "フィリピノ語"), for staff screens.
std::string language_name_in(std::string_view tag, std::string_view display_language);

// True for right-to-left languages (ar, fa, ur, ... and the pseudo-locale ar-XB).
bool is_rtl(std::string_view tag);

// ISO 15924 code of the script the language is written in, from likely subtags:
// "ja" -> "Jpan", "zh-TW" -> "Hant", "ne" -> "Deva", "ar" -> "Arab", "en-XA" -> "Latn".
std::string script_of(std::string_view tag);

bool is_pseudo_locale(std::string_view tag);

// Pseudo-localized version of an ICU MessageFormat pattern. Arguments, plural/select keywords
// and '#' survive untouched (the pattern is walked with icu::MessagePattern); only literal text
// changes. An invalid pattern is returned unchanged.
std::string pseudo_accented(std::string_view pattern);  // en-XA
std::string pseudo_rtl(std::string_view pattern);       // ar-XB

// The literal text of a MessageFormat pattern with every top-level argument shown as "…"
// ("Your card expired {days, plural, one {# day} other {# days}} ago." -> "Your card expired …
// ago."), quoting resolved: a label for the message where no argument values exist (a form's
// list of findings). An invalid pattern is returned unchanged.
std::string message_skeleton(std::string_view pattern);

// Formats a date in a locale. CalendarSystem::Japanese gives era years ("令和8年11月27日" in ja).
std::string format_date(const CivilDate& date, std::string_view tag, DateStyle style,
                        CalendarSystem calendar = CalendarSystem::Gregorian);
std::string format_number(double value, std::string_view tag);
std::string format_integer(std::int64_t value, std::string_view tag);
// An amount in a currency (ISO 4217, e.g. "JPY"): "￥3,000" in ja, "¥3,000" in en.
std::string format_currency(double amount, std::string_view currency, std::string_view tag);

// Sorts strings (UTF-8) by the locale's collation rules, for lists shown in the UI.
void sort_for_locale(std::vector<std::string>& items, std::string_view tag);

// ---- Localizer: one per UI (or per pack), holds catalogues and the current language ----
// Threads: format*, has_message and the caches are guarded by a mutex and may be called from
// several threads; set_locale() and set_calendar() change the chain and belong to the UI thread.

class Localizer {
 public:
  using Catalogue = std::unordered_map<std::string, std::string>;  // msgid -> MessageFormat text
  using CatalogueLoader = std::function<Catalogue()>;

  // Text shown when a message is missing from every catalogue of the chain (never empty, never
  // the raw id).
  static constexpr std::string_view kMissingText = "…";

  explicit Localizer(std::string base_language);
  ~Localizer();
  Localizer(Localizer&&) noexcept;
  Localizer& operator=(Localizer&&) noexcept;
  Localizer(const Localizer&) = delete;
  Localizer& operator=(const Localizer&) = delete;

  // Adds or replaces a language's catalogue.
  void add_catalogue(std::string_view tag, Catalogue messages);
  // Adds a catalogue loaded on first use (for instance parsing locales/ko.po only when a user
  // picks Korean).
  void add_catalogue_loader(std::string_view tag, CatalogueLoader loader);
  // Tags with a catalogue (loaded or not), canonical spelling, sorted.
  std::vector<std::string> languages() const;
  bool has_catalogue(std::string_view tag) const;

  // Selects the language; any tag is accepted (missing ones fall back along the chain).
  void set_locale(std::string_view tag);
  const std::string& locale() const { return locale_; }
  const std::string& base_language() const { return base_; }
  const std::vector<std::string>& chain() const { return chain_; }
  void set_calendar(CalendarSystem calendar);
  CalendarSystem calendar() const { return calendar_; }

  // The message in the current locale with its arguments, trying the chain; a message whose
  // pattern does not compile counts as missing at that level. Never empty, never the raw id:
  // if no catalogue has the message, returns kMissingText and counts the miss. An argument of the
  // wrong type (text for a plural) also makes that level fail: it is a programmer error, counted.
  // In a right-to-left message, text arguments are wrapped in U+2068 FSI ... U+2069 PDI so a
  // Latin name keeps its own direction inside Arabic, Persian or Urdu text.
  std::string format(std::string_view msg_id, const Args& args = {}) const;
  // Same, in a given language (for bilingual printouts: user language + office language).
  std::string format_in(std::string_view tag, std::string_view msg_id, const Args& args = {}) const;
  // True if some catalogue in the current chain has the message.
  bool has_message(std::string_view msg_id) const;
  // The tag of the catalogue that serves `msg_id` in the current locale ("" if none).
  std::string source_language(std::string_view msg_id) const;

  // Misses counted by format() since the start (msg id -> count), for the staff screen.
  std::map<std::string, int> missing_messages() const;
  std::size_t missing_count() const;
  // Messages compiled so far (each compiled once, then reused: a static screen re-parses nothing).
  std::size_t compiled_message_count() const;

  // Locale facts of the current locale.
  bool rtl() const { return is_rtl(locale_); }
  std::string format_date(const CivilDate& date, DateStyle style = DateStyle::Long) const;
  std::string format_number(double value) const;
  std::string format_currency(double amount, std::string_view currency = "JPY") const;
  void sort(std::vector<std::string>& items) const;

 private:
  struct State;
  std::string format_with_chain(const std::vector<std::string>& chain, std::string_view msg_id,
                                const Args& args) const;
  // ICU locale id (with calendar keyword) for formatting messages of catalogue `tag`.
  std::string formatting_locale(std::string_view tag) const;

  std::string base_;
  std::string locale_;
  std::vector<std::string> chain_;
  CalendarSystem calendar_ = CalendarSystem::Gregorian;
  std::unique_ptr<State> state_;  // catalogues and caches; mutable behind a mutex
};

// Registers every DIR/<tag>.po as a catalogue loaded on first use (locales/ of the app, or a
// pack's messages/). Returns the tags found. A file with errors still gives what parses: the
// errors are reported by `kioskctl pack check` and by the locales test, not here.
std::vector<std::string> add_po_directory(Localizer& localizer, const std::filesystem::path& dir);

}  // namespace kiosk::core
