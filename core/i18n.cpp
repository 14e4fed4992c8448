// SPDX-License-Identifier: GPL-3.0-or-later
// i18n: see i18n.h. Everything ICU is created on first use and cached (start-up stays cheap).
#include "core/i18n.h"

#include <unicode/calendar.h>
#include <unicode/coll.h>
#include <unicode/datefmt.h>
#include <unicode/gregocal.h>
#include <unicode/locdspnm.h>
#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/numberformatter.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <set>

#include "core/po.h"

namespace kiosk::core {
namespace {

icu::UnicodeString to_ustring(std::string_view s) {
  return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// ICU locale of a BCP 47 tag ("" or junk gives the root locale).
icu::Locale icu_locale(std::string_view tag) {
  std::string t(tag);
  std::replace(t.begin(), t.end(), '_', '-');
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(t, status);
  if (U_FAILURE(status) || locale.isBogus()) return icu::Locale::getRoot();
  return locale;
}

icu::Locale maximized(icu::Locale locale) {
  UErrorCode status = U_ZERO_ERROR;
  locale.addLikelySubtags(status);
  return locale;
}

std::string join_tag(std::string_view lang, std::string_view script, std::string_view region) {
  std::string out(lang);
  if (!script.empty()) out += "-" + std::string(script);
  if (!region.empty()) out += "-" + std::string(region);
  return out;
}

// Languages written in several scripts, where a catalogue may be named by script ("zh-Hant").
// For them the chain names the script explicitly and never falls to a script it did not ask for.
bool script_sensitive(std::string_view lang) {
  static const std::set<std::string_view> kLangs = {"zh", "sr", "mn", "pa", "uz", "az", "bs"};
  return kLangs.count(lang) > 0;
}

std::string default_script(std::string_view lang) {
  return maximized(icu_locale(lang)).getScript();
}

// Formatting locale: dates are Gregorian unless the Japanese era calendar is asked for. Without
// the keyword, ICU would use the Persian calendar for fa and the Buddhist one for th, while every
// date the user deals with in Japan (residence card, office letters) is Gregorian or Japanese era.
// Western digits everywhere: residence cards, tax papers and phone numbers in Japan use
// them, and translations keep literal numbers as they are; ICU's default Arabic-Indic,
// Persian, Devanagari, Bengali or Myanmar digits would mix two digit systems in one sentence.
icu::Locale with_latin_digits(icu::Locale locale) {
  UErrorCode status = U_ZERO_ERROR;
  locale.setKeywordValue("numbers", "latn", status);
  return locale;
}

icu::Locale with_calendar(icu::Locale locale, CalendarSystem calendar) {
  UErrorCode status = U_ZERO_ERROR;
  locale.setKeywordValue("calendar",
                         calendar == CalendarSystem::Japanese ? "japanese" : "gregorian", status);
  return with_latin_digits(locale);
}

// The date at `hour` o'clock in time zone `zone`, as an ICU UDate.
UDate to_udate(const CivilDate& date, const icu::TimeZone& zone, int hour) {
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar calendar(zone.clone(), status);
  calendar.clear();
  calendar.set(date.year, date.month - 1, date.day, hour, 0, 0);
  const UDate result = calendar.getTime(status);
  return U_SUCCESS(status) ? result : 0.0;
}

// Small caches of ICU objects keyed by locale (and style), shared by all callers.
template <typename T>
struct IcuCache {
  std::mutex mutex;
  std::unordered_map<std::string, std::unique_ptr<T>> items;
};

// ---- pseudo-locales ----

// Accented look-alikes of ASCII letters, A..Z then a..z (each a single precomposed code point,
// so the text keeps its length in characters).
constexpr const char* kAccentedUpper[26] = {"Å", "Ɓ", "Ç", "Ð", "É", "Ƒ", "Ĝ", "Ĥ", "Î",
                                            "Ĵ", "Ķ", "Ļ", "Ṁ", "Ñ", "Ö", "Þ", "Ǫ", "Ŕ",
                                            "Š", "Ţ", "Û", "Ṽ", "Ŵ", "Ẋ", "Ý", "Ž"};
constexpr const char* kAccentedLower[26] = {"á", "ƀ", "ç", "ð", "é", "ƒ", "ĝ", "ĥ", "î",
                                            "ĵ", "ķ", "ļ", "ɱ", "ñ", "ö", "þ", "ǫ", "ŕ",
                                            "š", "ţ", "û", "ṽ", "ŵ", "ẋ", "ý", "ž"};

icu::UnicodeString accent_text(const icu::UnicodeString& text) {
  std::string out;
  for (const char c : to_utf8(text)) {
    if (c >= 'A' && c <= 'Z')
      out += kAccentedUpper[c - 'A'];
    else if (c >= 'a' && c <= 'z')
      out += kAccentedLower[c - 'a'];
    else
      out += c;
  }
  return to_ustring(out);
}

// Words appended so that a message with `length` characters of text grows by about 40%.
icu::UnicodeString expansion_for(int32_t length) {
  static constexpr const char* kWords[] = {"one", "two",   "three", "four", "five",
                                           "six", "seven", "eight", "nine", "ten"};
  const int32_t wanted = (length * 4 + 9) / 10;
  std::string pad;
  for (int i = 0; static_cast<int32_t>(pad.size()) < wanted; i = (i + 1) % 10)
    pad += std::string(" ") + kWords[i];
  return to_ustring(pad);
}

// Characters an argument ("{name}", "{d, date, long}") is taken to show, when sizing padding.
constexpr int32_t kArgumentLength = 10;

struct PseudoStyle {
  icu::UnicodeString (*text)(const icu::UnicodeString&);
  icu::UnicodeString (*message_end)(int32_t text_length, bool top_level);
  icu::UnicodeString top_prefix;
};

// Rewrites the literal text of a MessageFormat pattern, leaving all syntax untouched. A gap
// between two parts is literal text only when the innermost open construct is a message
// (not an argument, whose gaps are syntax such as ", plural,").
std::string rewrite_pattern(std::string_view pattern, const PseudoStyle& style) {
  const icu::UnicodeString text = to_ustring(pattern);
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  icu::MessagePattern mp(text, &parse_error, status);
  if (U_FAILURE(status)) return std::string(pattern);
  struct Frame {
    bool message;
    int32_t text_length;
  };
  std::vector<Frame> stack;
  icu::UnicodeString out;
  // Literal text is rewritten one whole run at a time, quoting apostrophes included: splitting
  // a run at a quote ("'{'") would separate the apostrophe from the brace it quotes.
  icu::UnicodeString run;
  int32_t prev = 0;
  for (int32_t i = 0; i < mp.countParts(); ++i) {
    const auto& part = mp.getPart(i);
    const icu::UnicodeString gap = text.tempSubStringBetween(prev, part.getIndex());
    const UMessagePatternPartType type = part.getType();
    const bool in_message = !stack.empty() && stack.back().message;
    if (!in_message) {
      out += gap;
    } else if (type == UMSGPAT_PART_TYPE_SKIP_SYNTAX || type == UMSGPAT_PART_TYPE_INSERT_CHAR) {
      run += gap;
      run += text.tempSubStringBetween(part.getIndex(), part.getLimit());
      prev = part.getLimit();
      continue;
    } else {
      run += gap;
      if (!run.isEmpty()) out += style.text(run);
      stack.back().text_length += run.countChar32();
      run.remove();
    }
    if (type == UMSGPAT_PART_TYPE_MSG_LIMIT && !stack.empty()) {
      out += style.message_end(stack.back().text_length, stack.size() == 1);
      stack.pop_back();
    }
    out += text.tempSubStringBetween(part.getIndex(), part.getLimit());
    if (type == UMSGPAT_PART_TYPE_MSG_START) {
      if (stack.empty()) out += style.top_prefix;
      stack.push_back({true, 0});
    } else if (type == UMSGPAT_PART_TYPE_ARG_START) {
      // A name or date in the text grows in translations too: count it when sizing the padding.
      const auto arg_type = static_cast<UMessagePatternArgType>(part.getValue());
      if (!stack.empty() &&
          (arg_type == UMSGPAT_ARG_TYPE_NONE || arg_type == UMSGPAT_ARG_TYPE_SIMPLE))
        stack.back().text_length += kArgumentLength;
      stack.push_back({false, 0});
    } else if (type == UMSGPAT_PART_TYPE_ARG_LIMIT && !stack.empty()) {
      stack.pop_back();
    }
    prev = part.getLimit();
  }
  out += text.tempSubStringBetween(prev);
  return to_utf8(out);
}

icu::UnicodeString accented_end(int32_t length, bool top_level) {
  icu::UnicodeString end = expansion_for(length);
  if (top_level) end += u"]";
  return end;
}

// U+202E RIGHT-TO-LEFT OVERRIDE ... U+202C POP DIRECTIONAL FORMATTING around each text run, so
// Latin text shows right to left while arguments (numbers, dates, names) keep their own order.
icu::UnicodeString rtl_text(const icu::UnicodeString& text) {
  if (icu::UnicodeString(text).trim().isEmpty()) return text;
  icu::UnicodeString out(u"\u202E");
  out += text;
  out += u"\u202C";
  return out;
}

icu::UnicodeString rtl_end(int32_t, bool top_level) {
  return top_level ? icu::UnicodeString(u"\u200F") : icu::UnicodeString();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Tags

std::string canonical_tag(std::string_view tag) {
  if (tag.empty()) return {};
  std::string t(tag);
  std::replace(t.begin(), t.end(), '_', '-');
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale = icu::Locale::forLanguageTag(t, status);
  if (U_FAILURE(status) || locale.isBogus() || std::string_view(locale.getLanguage()).empty())
    return {};
  std::string out = locale.toLanguageTag<std::string>(status);
  return U_SUCCESS(status) ? out : std::string();
}

bool is_pseudo_locale(std::string_view tag) {
  const std::string t = canonical_tag(tag);
  return t == kPseudoAccentedTag || t == kPseudoRtlTag;
}

std::vector<std::string> fallback_chain(std::string_view tag, std::string_view base_language) {
  const std::string base = canonical_tag(base_language);
  const std::string canon = canonical_tag(tag);
  std::vector<std::string> chain;
  auto add = [&chain](const std::string& t) {
    if (!t.empty() && std::find(chain.begin(), chain.end(), t) == chain.end()) chain.push_back(t);
  };
  add(canon);
  if (!canon.empty() && !is_pseudo_locale(canon)) {
    const icu::Locale locale = icu_locale(canon);
    const std::string lang = locale.getLanguage();
    const std::string region = locale.getCountry();
    std::string script = locale.getScript();
    const bool sensitive = script_sensitive(lang);
    if (script.empty() && sensitive) script = maximized(locale).getScript();
    const std::string shown_script = sensitive ? script : std::string(locale.getScript());
    // ja-x-easy -> ja; pt-BR-x-foo -> pt-BR: private-use and variants dropped first
    add(join_tag(lang, shown_script, region));
    if (!region.empty()) {
      // zh-Hant-TW -> zh-TW only because TW implies Hant; sr-Latn-RS never -> sr-RS (Cyrillic)
      if (shown_script.empty() ||
          maximized(icu_locale(join_tag(lang, "", region))).getScript() == std::string_view(script))
        add(join_tag(lang, "", region));
      if (!shown_script.empty()) add(join_tag(lang, shown_script, ""));
    }
    // plain "zh" is Simplified: zh-Hant never falls back to it
    if (shown_script.empty() || default_script(lang) == script) add(lang);
  }
  add(base);
  return chain;
}

// ---------------------------------------------------------------------------------------------
// Locale facts

namespace {

std::string compute_language_name(const std::string& canon) {
  if (canon == kEasyJapaneseTag) return "やさしい日本語";
  if (canon == kPseudoAccentedTag) return "[Þšéûðö Åççéñţš one two]";
  if (canon == kPseudoRtlTag) return "\u200F\u202EPseudo RTL\u202C\u200F";
  const icu::Locale locale = icu_locale(canon);
  const std::string_view lang = locale.getLanguage();
  // Chinese is picked by script, not by region: ICU would say 中文（台灣） for zh-TW.
  if (lang == "zh") return script_of(canon) == "Hant" ? "繁體中文" : "简体中文";
  // ICU gives the bare adjective "Indonesia" and "монгол"; speakers name the language so.
  if (lang == "id") return "Bahasa Indonesia";
  if (lang == "mn" && script_of(canon) == "Cyrl") return "Монгол хэл";
  return language_name_in(canon, canon);
}

}  // namespace

std::string language_name(std::string_view tag) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::string> cache;  // the picker asks every frame
  const std::string canon = canonical_tag(tag);
  std::lock_guard lock(mutex);
  auto it = cache.find(canon);
  if (it == cache.end()) it = cache.emplace(canon, compute_language_name(canon)).first;
  return it->second;
}

std::string language_name_in(std::string_view tag, std::string_view display_language) {
  const icu::Locale locale = icu_locale(tag);
  // Capitalised as in a menu ("Español", "Українська"); "Português (Brasil)" as a dialect name.
  UDisplayContext contexts[] = {UDISPCTX_CAPITALIZATION_FOR_UI_LIST_OR_MENU,
                                UDISPCTX_DIALECT_NAMES};
  std::unique_ptr<icu::LocaleDisplayNames> names(
      icu::LocaleDisplayNames::createInstance(icu_locale(display_language), contexts, 2));
  icu::UnicodeString name;
  if (names) names->localeDisplayName(locale, name);
  if (name.isEmpty()) return std::string(tag);
  return to_utf8(name);
}

bool is_rtl(std::string_view tag) {
  const std::string canon = canonical_tag(tag);
  if (canon == kPseudoRtlTag) return true;
  if (canon == kPseudoAccentedTag || canon.empty()) return false;
  return icu_locale(canon).isRightToLeft();
}

std::string script_of(std::string_view tag) {
  // Both pseudo-locales show Latin letters (ar-XB only changes their direction).
  if (is_pseudo_locale(tag)) return "Latn";
  const std::string canon = canonical_tag(tag);
  if (canon.empty()) return {};
  return maximized(icu_locale(canon)).getScript();
}

std::string pseudo_accented(std::string_view pattern) {
  static const PseudoStyle style{accent_text, accented_end, icu::UnicodeString(u"[")};
  return rewrite_pattern(pattern, style);
}

std::string pseudo_rtl(std::string_view pattern) {
  static const PseudoStyle style{rtl_text, rtl_end, icu::UnicodeString(u"\u200F")};
  return rewrite_pattern(pattern, style);
}

std::string message_skeleton(std::string_view pattern) {
  const icu::UnicodeString text = to_ustring(pattern);
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  icu::MessagePattern mp(text, &parse_error, status);
  if (U_FAILURE(status)) return std::string(pattern);
  icu::UnicodeString out;
  int depth = 0;  // nesting of messages and arguments; 1 = the top-level message's text
  int32_t prev = 0;
  for (int32_t i = 0; i < mp.countParts(); ++i) {
    const auto& part = mp.getPart(i);
    const UMessagePatternPartType type = part.getType();
    if (depth == 1) out += text.tempSubStringBetween(prev, part.getIndex());
    prev = part.getLimit();
    switch (type) {
      case UMSGPAT_PART_TYPE_MSG_START:
      case UMSGPAT_PART_TYPE_ARG_START:
        if (type == UMSGPAT_PART_TYPE_ARG_START && depth == 1) out += u"…";
        ++depth;
        break;
      case UMSGPAT_PART_TYPE_MSG_LIMIT:
      case UMSGPAT_PART_TYPE_ARG_LIMIT:
        --depth;
        break;
      default:  // quoting apostrophes (SKIP_SYNTAX, INSERT_CHAR) and an argument's parts
        break;
    }
  }
  return to_utf8(out);
}

// ---------------------------------------------------------------------------------------------
// Dates, numbers, collation

std::string format_date(const CivilDate& date, std::string_view tag, DateStyle style,
                        CalendarSystem calendar) {
  static IcuCache<icu::DateFormat> cache;
  const icu::Locale locale = with_calendar(icu_locale(tag), calendar);
  const icu::DateFormat::EStyle icu_style = style == DateStyle::Long     ? icu::DateFormat::kLong
                                            : style == DateStyle::Medium ? icu::DateFormat::kMedium
                                                                         : icu::DateFormat::kShort;
  const std::string key = std::string(locale.getName()) + "#" + std::to_string(icu_style);
  std::lock_guard lock(cache.mutex);
  auto& format = cache.items[key];
  if (!format) {
    format.reset(icu::DateFormat::createDateInstance(icu_style, locale));
    if (!format) return {};
    format->adoptTimeZone(icu::TimeZone::getGMT()->clone());  // a civil date has no zone
  }
  icu::UnicodeString out;
  format->format(to_udate(date, *icu::TimeZone::getGMT(), 12), out);
  return to_utf8(out);
}

namespace {

std::string format_with(const std::string& key, const icu::number::LocalizedNumberFormatter& make,
                        double value) {
  static std::mutex mutex;
  static std::unordered_map<std::string, icu::number::LocalizedNumberFormatter> cache;
  std::lock_guard lock(mutex);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, make).first;
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString out = it->second.formatDouble(value, status).toString(status);
  return U_SUCCESS(status) ? to_utf8(out) : std::string();
}

}  // namespace

std::string format_number(double value, std::string_view tag) {
  const icu::Locale locale = with_latin_digits(icu_locale(tag));
  return format_with(std::string("n:") + locale.getName(),
                     icu::number::NumberFormatter::withLocale(locale), value);
}

std::string format_integer(std::int64_t value, std::string_view tag) {
  return format_number(static_cast<double>(value), tag);
}

std::string format_currency(double amount, std::string_view currency, std::string_view tag) {
  const icu::Locale locale = with_latin_digits(icu_locale(tag));
  UErrorCode status = U_ZERO_ERROR;
  const std::string code(currency);
  icu::CurrencyUnit unit(to_ustring(code).getTerminatedBuffer(), status);
  if (U_FAILURE(status)) return format_number(amount, tag) + " " + code;
  return format_with(std::string("c:") + code + ":" + locale.getName(),
                     icu::number::NumberFormatter::withLocale(locale).unit(unit), amount);
}

void sort_for_locale(std::vector<std::string>& items, std::string_view tag) {
  static IcuCache<icu::Collator> cache;
  const icu::Locale locale = icu_locale(tag);
  std::lock_guard lock(cache.mutex);
  auto& collator = cache.items[locale.getName()];
  if (!collator) {
    UErrorCode status = U_ZERO_ERROR;
    collator.reset(icu::Collator::createInstance(locale, status));
    if (U_FAILURE(status) || !collator) {
      collator.reset();
      std::stable_sort(items.begin(), items.end());  // byte order beats no order
      return;
    }
  }
  std::stable_sort(items.begin(), items.end(), [&](const std::string& a, const std::string& b) {
    UErrorCode status = U_ZERO_ERROR;
    return collator->compareUTF8(a, b, status) == UCOL_LESS;
  });
}

// ---------------------------------------------------------------------------------------------
// Localizer

struct Localizer::State {
  std::mutex mutex;
  std::map<std::string, Catalogue> catalogues;     // canonical tag -> loaded catalogue
  std::map<std::string, CatalogueLoader> loaders;  // canonical tag -> not yet loaded
  // "tag \x1F msg id" -> compiled message; nullptr if it does not compile. Cleared when a
  // catalogue or the calendar changes.
  std::unordered_map<std::string, std::unique_ptr<icu::MessageFormat>> formats;
  std::map<std::string, int> missing;

  const Catalogue* catalogue(const std::string& tag) {
    if (auto it = loaders.find(tag); it != loaders.end()) {
      CatalogueLoader loader = std::move(it->second);
      loaders.erase(it);
      catalogues[tag] = loader ? loader() : Catalogue{};
    }
    auto it = catalogues.find(tag);
    return it == catalogues.end() ? nullptr : &it->second;
  }

  // The pattern of `id` in catalogue `tag`; pseudo-locales derive theirs from the base catalogue.
  const std::string* pattern(const std::string& tag, const std::string& id,
                             const std::string& base) {
    if ((tag == kPseudoAccentedTag || tag == kPseudoRtlTag) && tag != base) {
      Catalogue& pseudo = catalogues[tag];
      if (auto it = pseudo.find(id); it != pseudo.end()) return &it->second;
      const std::string* source = pattern(base, id, base);
      if (!source) return nullptr;
      return &(pseudo[id] =
                   tag == kPseudoAccentedTag ? pseudo_accented(*source) : pseudo_rtl(*source));
    }
    const Catalogue* messages = catalogue(tag);
    if (!messages) return nullptr;
    auto it = messages->find(id);
    return it == messages->end() || it->second.empty() ? nullptr : &it->second;
  }

  std::unordered_map<std::string, bool> rtl;  // tag -> is_rtl(tag), asked on every format
  std::unordered_map<std::string, std::vector<std::string>> chains;  // tag -> chain, format_in

  bool right_to_left(const std::string& tag) {
    auto it = rtl.find(tag);
    if (it == rtl.end()) it = rtl.emplace(tag, is_rtl(tag)).first;
    return it->second;
  }

  // The compiled message, made on first use; `locale_id` is only called then (it is slow).
  template <typename LocaleId>
  icu::MessageFormat* compiled(const std::string& tag, const std::string& id,
                               const std::string& text, const LocaleId& locale_id) {
    auto [it, inserted] = formats.try_emplace(tag + '\x1F' + id);
    if (inserted) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError parse_error{};
      auto format = std::make_unique<icu::MessageFormat>(
          to_ustring(text), icu::Locale::createFromName(locale_id().c_str()), parse_error, status);
      if (U_SUCCESS(status)) it->second = std::move(format);
    }
    return it->second.get();
  }
};

namespace {

icu::Formattable to_formattable(const ArgValue& value) {
  struct Visitor {
    icu::Formattable operator()(const std::string& s) const {
      return icu::Formattable(to_ustring(s));
    }
    icu::Formattable operator()(std::int64_t n) const { return icu::Formattable(n); }
    icu::Formattable operator()(double d) const { return icu::Formattable(d); }
    icu::Formattable operator()(const CivilDate& date) const {
      // MessageFormat shows dates in the default time zone: noon there is the same civil day.
      std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createDefault());
      return icu::Formattable(to_udate(date, *zone, 12), icu::Formattable::kIsDate);
    }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace

Localizer::Localizer(std::string base_language)
    : base_(canonical_tag(base_language).empty() ? "en" : canonical_tag(base_language)),
      state_(std::make_unique<State>()) {
  set_locale(base_);
}

Localizer::~Localizer() = default;
Localizer::Localizer(Localizer&&) noexcept = default;
Localizer& Localizer::operator=(Localizer&&) noexcept = default;

void Localizer::add_catalogue(std::string_view tag, Catalogue messages) {
  const std::string canon = canonical_tag(tag);
  if (canon.empty()) return;
  std::lock_guard lock(state_->mutex);
  state_->loaders.erase(canon);
  state_->catalogues[canon] = std::move(messages);
  state_->formats.clear();  // compiled messages may come from the replaced catalogue
  // pseudo catalogues are derived from the base one
  state_->catalogues.erase(std::string(kPseudoAccentedTag));
  state_->catalogues.erase(std::string(kPseudoRtlTag));
}

void Localizer::add_catalogue_loader(std::string_view tag, CatalogueLoader loader) {
  const std::string canon = canonical_tag(tag);
  if (canon.empty()) return;
  std::lock_guard lock(state_->mutex);
  state_->catalogues.erase(canon);
  state_->loaders[canon] = std::move(loader);
  state_->formats.clear();
}

std::vector<std::string> Localizer::languages() const {
  std::lock_guard lock(state_->mutex);
  std::set<std::string> tags;
  for (const auto& [tag, messages] : state_->catalogues)
    if (!is_pseudo_locale(tag)) tags.insert(tag);
  for (const auto& [tag, loader] : state_->loaders) tags.insert(tag);
  return {tags.begin(), tags.end()};
}

bool Localizer::has_catalogue(std::string_view tag) const {
  const std::string canon = canonical_tag(tag);
  std::lock_guard lock(state_->mutex);
  return state_->catalogues.count(canon) > 0 || state_->loaders.count(canon) > 0;
}

void Localizer::set_locale(std::string_view tag) {
  const std::string canon = canonical_tag(tag);
  locale_ = canon.empty() ? base_ : canon;
  chain_ = fallback_chain(locale_, base_);
}

void Localizer::set_calendar(CalendarSystem calendar) {
  std::lock_guard lock(state_->mutex);
  if (calendar_ != calendar) state_->formats.clear();  // date arguments are compiled in
  calendar_ = calendar;
}

std::string Localizer::formatting_locale(std::string_view tag) const {
  // pseudo-locales format like the base language their text comes from (plural rules match it)
  const std::string_view real = is_pseudo_locale(tag) ? std::string_view(base_) : tag;
  return with_calendar(icu_locale(real), calendar_).getName();
}

std::string Localizer::format_with_chain(const std::vector<std::string>& chain,
                                         std::string_view msg_id, const Args& args) const {
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;    // as given
  std::vector<icu::Formattable> isolated;  // text arguments in FSI...PDI, for RTL messages
  names.reserve(args.size());
  for (const auto& [name, value] : args) {
    names.push_back(to_ustring(name));
    values.push_back(to_formattable(value));
    // A Latin name inside Arabic text ("Ana Souza.") must not borrow the sentence's
    // direction: U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE keeps it whole.
    isolated.push_back(
        std::holds_alternative<std::string>(value)
            ? icu::Formattable(u"\u2068" + to_ustring(std::get<std::string>(value)) + u"\u2069")
            : values.back());
  }
  const std::string id(msg_id);
  std::lock_guard lock(state_->mutex);
  for (const std::string& tag : chain) {
    const std::string* text = state_->pattern(tag, id, base_);
    if (!text) continue;
    icu::MessageFormat* format =
        state_->compiled(tag, id, *text, [&] { return formatting_locale(tag); });
    if (!format) continue;
    const auto& arguments = state_->right_to_left(tag) ? isolated : values;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString out;
    format->format(names.data(), arguments.data(), static_cast<int32_t>(names.size()), out, status);
    if (U_SUCCESS(status) && !out.isEmpty()) return to_utf8(out);
  }
  ++state_->missing[id];
  return std::string(kMissingText);
}

std::string Localizer::format(std::string_view msg_id, const Args& args) const {
  return format_with_chain(chain_, msg_id, args);
}

std::string Localizer::format_in(std::string_view tag, std::string_view msg_id,
                                 const Args& args) const {
  std::vector<std::string> chain;
  {
    // fallback_chain() costs some 25 µs of ICU work; a result screen asks for every rule
    std::lock_guard lock(state_->mutex);
    auto [it, inserted] = state_->chains.try_emplace(std::string(tag));
    if (inserted) it->second = fallback_chain(tag, base_);
    chain = it->second;
  }
  return format_with_chain(chain, msg_id, args);
}

bool Localizer::has_message(std::string_view msg_id) const {
  return !source_language(msg_id).empty();
}

std::string Localizer::source_language(std::string_view msg_id) const {
  const std::string id(msg_id);
  std::lock_guard lock(state_->mutex);
  for (const std::string& tag : chain_)
    if (state_->pattern(tag, id, base_)) return tag;
  return {};
}

std::map<std::string, int> Localizer::missing_messages() const {
  std::lock_guard lock(state_->mutex);
  return state_->missing;
}

std::size_t Localizer::missing_count() const {
  std::lock_guard lock(state_->mutex);
  std::size_t total = 0;
  for (const auto& [id, count] : state_->missing) total += static_cast<std::size_t>(count);
  return total;
}

std::size_t Localizer::compiled_message_count() const {
  std::lock_guard lock(state_->mutex);
  std::size_t count = 0;
  for (const auto& [key, format] : state_->formats) count += format ? 1 : 0;
  return count;
}

std::string Localizer::format_date(const CivilDate& date, DateStyle style) const {
  return core::format_date(date, is_pseudo_locale(locale_) ? base_ : locale_, style, calendar_);
}

std::string Localizer::format_number(double value) const {
  return core::format_number(value, is_pseudo_locale(locale_) ? base_ : locale_);
}

std::string Localizer::format_currency(double amount, std::string_view currency) const {
  return core::format_currency(amount, currency, is_pseudo_locale(locale_) ? base_ : locale_);
}

void Localizer::sort(std::vector<std::string>& items) const {
  sort_for_locale(items, is_pseudo_locale(locale_) ? base_ : locale_);
}

}  // namespace kiosk::core

namespace kiosk::core {

std::vector<std::string> add_po_directory(Localizer& localizer, const std::filesystem::path& dir) {
  std::vector<std::string> tags;
  std::error_code error;
  for (const auto& file : std::filesystem::directory_iterator(dir, error)) {
    if (file.path().extension() != ".po") continue;
    const std::string tag = canonical_tag(file.path().stem().string());
    if (tag.empty()) continue;
    localizer.add_catalogue_loader(tag, [path = file.path()] {
      PoFile po;
      std::vector<Diagnostic> ignored;  // reported by the locales test and `pack check`
      load_po_file(path, path.filename().string(), po, ignored);
      return po_messages(po);
    });
    tags.push_back(tag);
  }
  std::sort(tags.begin(), tags.end());
  return tags;
}

}  // namespace kiosk::core
