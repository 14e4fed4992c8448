// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of locale facts: fallback chains, autonyms, direction, scripts, dates, numbers, collation.
#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include "core/i18n.h"

namespace kiosk::core {
namespace {

using Chain = std::vector<std::string>;

TEST(FallbackChain, FollowsRegionScriptAndBase) {
  EXPECT_EQ(fallback_chain("pt-BR", "en"), (Chain{"pt-BR", "pt", "en"}));
  EXPECT_EQ(fallback_chain("pt_br", "en"), (Chain{"pt-BR", "pt", "en"}));
  EXPECT_EQ(fallback_chain("en", "en"), (Chain{"en"}));
  EXPECT_EQ(fallback_chain("ja", "en"), (Chain{"ja", "en"}));
  EXPECT_EQ(fallback_chain("ja-x-easy", "en"), (Chain{"ja-x-easy", "ja", "en"}));
  EXPECT_EQ(fallback_chain("vi", "ja"), (Chain{"vi", "ja"}));
}

TEST(FallbackChain, ChineseStaysInItsScript) {
  EXPECT_EQ(fallback_chain("zh-Hant-TW", "en"), (Chain{"zh-Hant-TW", "zh-TW", "zh-Hant", "en"}));
  EXPECT_EQ(fallback_chain("zh-TW", "en"), (Chain{"zh-TW", "zh-Hant-TW", "zh-Hant", "en"}));
  EXPECT_EQ(fallback_chain("zh-HK", "en"), (Chain{"zh-HK", "zh-Hant-HK", "zh-Hant", "en"}));
  EXPECT_EQ(fallback_chain("zh-Hant", "en"), (Chain{"zh-Hant", "en"}));
  EXPECT_EQ(fallback_chain("zh-CN", "en"), (Chain{"zh-CN", "zh-Hans-CN", "zh-Hans", "zh", "en"}));
  EXPECT_EQ(fallback_chain("zh", "en"), (Chain{"zh", "zh-Hans", "en"}));
  EXPECT_EQ(fallback_chain("zh-Hans", "en"), (Chain{"zh-Hans", "zh", "en"}));
}

TEST(FallbackChain, PseudoLocalesAndJunk) {
  EXPECT_EQ(fallback_chain("en-XA", "en"), (Chain{"en-XA", "en"}));
  EXPECT_EQ(fallback_chain("ar-XB", "en"), (Chain{"ar-XB", "en"}));
  EXPECT_EQ(fallback_chain("", "en"), (Chain{"en"}));
  EXPECT_EQ(fallback_chain("!!", "en"), (Chain{"en"}));
  EXPECT_EQ(canonical_tag("ZH-hant-tw"), "zh-Hant-TW");
  EXPECT_EQ(canonical_tag("ja-X-EASY"), "ja-x-easy");
}

// First letter's script, to check a name is written in the language's own script.
UScriptCode first_letter_script(const std::string& text) {
  const icu::UnicodeString s = icu::UnicodeString::fromUTF8(text);
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    const UChar32 c = s.char32At(i);
    if (!u_isalpha(c)) continue;
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(c, &status);
  }
  return USCRIPT_INVALID_CODE;
}

bool written_in(UScriptCode letter, const std::string& script) {
  if (script == "Jpan")
    return letter == USCRIPT_HAN || letter == USCRIPT_HIRAGANA || letter == USCRIPT_KATAKANA;
  if (script == "Hans" || script == "Hant") return letter == USCRIPT_HAN;
  if (script == "Kore") return letter == USCRIPT_HANGUL;
  return uscript_getShortName(letter) == script;
}

TEST(LanguageName, EveryKioskLanguageInItsOwnScript) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"ja", "日本語"},
      {"ja-x-easy", "やさしい日本語"},
      {"en", "English"},
      {"zh-Hans", "简体中文"},
      {"zh-Hant", "繁體中文"},
      {"ko", "한국어"},
      {"vi", "Tiếng Việt"},
      {"ne", "नेपाली"},
      {"id", "Bahasa Indonesia"},
      {"fil", "Filipino"},
      {"th", "ไทย"},
      {"km", "ខ្មែរ"},
      {"my", "မြန်မာ"},
      {"mn", "Монгол хэл"},
      {"pt-BR", "Português (Brasil)"},
      {"es", "Español"},
      {"si", "සිංහල"},
      {"bn", "বাংলা"},
      {"ta", "தமிழ்"},
      {"ur", "اردو"},
      {"ar", "العربية"},
      {"fa", "فارسی"},
      {"uk", "Українська"},
      {"tr", "Türkçe"},
      {"ti", "ትግርኛ"},
  };
  for (const auto& [tag, name] : expected) {
    const std::string got = language_name(tag);
    EXPECT_EQ(got, name) << tag;
    EXPECT_TRUE(written_in(first_letter_script(got), script_of(tag)))
        << tag << " " << got << " " << script_of(tag);
  }
  EXPECT_EQ(language_name("zh-TW"), "繁體中文");
  EXPECT_EQ(language_name("zh-CN"), "简体中文");
  EXPECT_EQ(language_name_in("fil", "ja"), "フィリピノ語");
  EXPECT_EQ(language_name_in("ja", "en"), "Japanese");
}

TEST(LocaleFacts, RightToLeftLanguages) {
  for (const char* tag : {"ar", "fa", "ur", "ar-XB", "ar-EG"}) EXPECT_TRUE(is_rtl(tag)) << tag;
  for (const char* tag : {"en", "ja", "en-XA", "ne", "my", "", "zz-junk-!"})
    EXPECT_FALSE(is_rtl(tag)) << tag;
}

TEST(LocaleFacts, ScriptOfEachLanguage) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"ja", "Jpan"}, {"ja-x-easy", "Jpan"}, {"zh", "Hans"}, {"zh-TW", "Hant"}, {"zh-Hant", "Hant"},
      {"ko", "Kore"}, {"ne", "Deva"},        {"th", "Thai"}, {"km", "Khmr"},    {"my", "Mymr"},
      {"mn", "Cyrl"}, {"si", "Sinh"},        {"bn", "Beng"}, {"ta", "Taml"},    {"ur", "Arab"},
      {"fa", "Arab"}, {"ti", "Ethi"},        {"vi", "Latn"}, {"en-XA", "Latn"}, {"ar-XB", "Latn"},
  };
  for (const auto& [tag, script] : expected) EXPECT_EQ(script_of(tag), script) << tag;
}

TEST(LocaleDates, JapaneseEraAndGregorian) {
  const CivilDate d{2026, 11, 27};
  EXPECT_EQ(format_date(d, "ja", DateStyle::Long, CalendarSystem::Japanese), "令和8年11月27日");
  EXPECT_EQ(format_date(d, "ja", DateStyle::Long), "2026年11月27日");
  EXPECT_EQ(format_date(d, "ja", DateStyle::Short), "2026/11/27");
  EXPECT_EQ(format_date({2019, 4, 30}, "ja", DateStyle::Long, CalendarSystem::Japanese),
            "平成31年4月30日");
  EXPECT_EQ(format_date({2019, 5, 1}, "ja", DateStyle::Long, CalendarSystem::Japanese),
            "令和元年5月1日");
  EXPECT_EQ(format_date(d, "en", DateStyle::Long), "November 27, 2026");
  EXPECT_EQ(format_date(d, "en", DateStyle::Medium), "Nov 27, 2026");
  EXPECT_EQ(format_date(d, "pt-BR", DateStyle::Long), "27 de novembro de 2026");
  EXPECT_EQ(format_date({2026, 1, 1}, "vi", DateStyle::Short), "01/01/2026");
}

TEST(LocaleNumbers, NumbersAndYen) {
  EXPECT_EQ(format_integer(1234567, "en"), "1,234,567");
  EXPECT_EQ(format_integer(1234567, "es"), "1.234.567");
  EXPECT_EQ(format_number(0.5, "pt-BR"), "0,5");
  EXPECT_EQ(format_currency(3000, "JPY", "ja"), "￥3,000");
  EXPECT_EQ(format_currency(3000, "JPY", "en"), "¥3,000");
  EXPECT_EQ(format_currency(4000, "JPY", "vi"), "4.000\u00A0¥");
  EXPECT_EQ(format_currency(5, "??", "en"), "5 ??");
}

TEST(LocaleCollation, SortsByTheLocaleRules) {
  std::vector<std::string> words = {"zebra", "Éclair", "apple", "öl", "Banana"};
  sort_for_locale(words, "en");
  EXPECT_EQ(words, (std::vector<std::string>{"apple", "Banana", "Éclair", "öl", "zebra"}));
  sort_for_locale(words, "sv");  // in Swedish ö is a letter after z
  EXPECT_EQ(words, (std::vector<std::string>{"apple", "Banana", "Éclair", "zebra", "öl"}));
  std::vector<std::string> kana = {"ビザ", "あさ", "いえ"};
  sort_for_locale(kana, "ja");
  EXPECT_EQ(kana, (std::vector<std::string>{"あさ", "いえ", "ビザ"}));
}

}  // namespace
}  // namespace kiosk::core
