// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of core::Localizer: CLDR plurals through ICU MessageFormat, fallback chains, missing
// messages, dates in messages, lazy catalogues.
#include <gtest/gtest.h>

#include "core/i18n.h"

namespace kiosk::core {
namespace {

std::string days(const Localizer& l, std::int64_t n) {
  return l.format("days", {{"n", n}});
}

TEST(LocalizerPlurals, RussianAndUkrainianUseOneFewMany) {
  Localizer l("en");
  l.add_catalogue("ru",
                  {{"days", "{n, plural, one {# день} few {# дня} many {# дней} other {# дня}}"}});
  l.add_catalogue("uk",
                  {{"days", "{n, plural, one {# день} few {# дні} many {# днів} other {# дня}}"}});
  l.set_locale("ru");
  EXPECT_EQ(days(l, 1), "1 день");
  EXPECT_EQ(days(l, 3), "3 дня");
  EXPECT_EQ(days(l, 5), "5 дней");
  EXPECT_EQ(days(l, 11), "11 дней");
  EXPECT_EQ(days(l, 21), "21 день");
  EXPECT_EQ(days(l, 22), "22 дня");
  l.set_locale("uk");
  EXPECT_EQ(days(l, 1), "1 день");
  EXPECT_EQ(days(l, 2), "2 дні");
  EXPECT_EQ(days(l, 5), "5 днів");
  EXPECT_EQ(days(l, 101), "101 день");
}

TEST(LocalizerPlurals, ArabicUsesAllSixCategories) {
  Localizer l("en");
  l.add_catalogue("ar", {{"days",
                          "{n, plural, zero {zero} one {one} two {two} few {few #} many {many #} "
                          "other {other #}}"}});
  l.set_locale("ar");
  EXPECT_EQ(days(l, 0), "zero");
  EXPECT_EQ(days(l, 1), "one");
  EXPECT_EQ(days(l, 2), "two");
  // Western digits in every locale (see with_latin_digits in core/i18n.cpp).
  EXPECT_EQ(days(l, 3), "few 3");
  EXPECT_EQ(days(l, 10), "few 10");
  EXPECT_EQ(days(l, 11), "many 11");
  EXPECT_EQ(days(l, 99), "many 99");
  EXPECT_EQ(days(l, 100), "other 100");
}

TEST(LocalizerPlurals, JapaneseHasOnlyOther) {
  Localizer l("en");
  l.add_catalogue("ja", {{"days", "{n, plural, one {ONE} other {#日}}"}});
  l.set_locale("ja");
  EXPECT_EQ(days(l, 1), "1日");  // "one" never applies in Japanese
  EXPECT_EQ(days(l, 2), "2日");
}

TEST(LocalizerPlurals, EnglishExactMatchAndSelect) {
  Localizer l("en");
  l.add_catalogue("en", {{"days", "{n, plural, =0 {today} one {# day} other {# days}}"},
                         {"who", "{g, select, employer {your employer} other {you}} ({name})"}});
  EXPECT_EQ(days(l, 0), "today");
  EXPECT_EQ(days(l, 1), "1 day");
  EXPECT_EQ(days(l, 1234), "1,234 days");
  EXPECT_EQ(l.format("who", {{"g", "employer"}, {"name", "Ana"}}), "your employer (Ana)");
  EXPECT_EQ(l.format("who", {{"g", "x"}, {"name", "Ana"}}), "you (Ana)");
}

// A catalogue set where each language says which catalogue served the message.
Localizer chain_fixture() {
  Localizer l("en");
  l.add_catalogue("en", {{"m", "en"}, {"only.en", "en"}});
  l.add_catalogue("pt", {{"m", "pt"}});
  l.add_catalogue("zh-Hans", {{"m", "zh-Hans"}, {"only.hans", "zh-Hans"}});
  l.add_catalogue("zh-Hant", {{"m", "zh-Hant"}});
  l.add_catalogue("ja", {{"m", "ja"}, {"only.ja", "ja"}});
  l.add_catalogue("ja-x-easy", {{"m", "easy"}});
  return l;
}

TEST(LocalizerFallback, PortugueseBrazilFallsBackToPortugueseThenBase) {
  Localizer l = chain_fixture();
  l.set_locale("pt-BR");
  EXPECT_EQ(l.chain(), (std::vector<std::string>{"pt-BR", "pt", "en"}));
  EXPECT_EQ(l.format("m"), "pt");
  EXPECT_EQ(l.format("only.en"), "en");
}

TEST(LocalizerFallback, TraditionalChineseNeverReachesSimplified) {
  Localizer l = chain_fixture();
  for (const char* tag : {"zh-Hant-TW", "zh-TW", "zh-HK", "zh-Hant"}) {
    l.set_locale(tag);
    EXPECT_EQ(l.format("m"), "zh-Hant") << tag;
    EXPECT_EQ(l.format("only.hans"), "…") << tag;  // not even zh-Hans text for a missing one
    for (const auto& t : l.chain()) EXPECT_TRUE(t.find("Hans") == std::string::npos && t != "zh");
  }
  for (const char* tag : {"zh-CN", "zh", "zh-Hans-CN", "zh-SG"}) {
    l.set_locale(tag);
    EXPECT_EQ(l.format("m"), "zh-Hans") << tag;
  }
}

TEST(LocalizerFallback, EasyJapaneseFallsBackToJapanese) {
  Localizer l = chain_fixture();
  l.set_locale("ja-x-easy");
  EXPECT_EQ(l.chain(), (std::vector<std::string>{"ja-x-easy", "ja", "en"}));
  EXPECT_EQ(l.format("m"), "easy");
  EXPECT_EQ(l.format("only.ja"), "ja");
  EXPECT_EQ(l.source_language("only.ja"), "ja");
}

TEST(LocalizerFallback, MissingMessageIsNeverEmptyNorRawId) {
  Localizer l = chain_fixture();
  l.add_catalogue("ko", {{"empty", ""}, {"broken", "{n, plural, one {x}"}});
  l.set_locale("ko");
  EXPECT_EQ(l.missing_count(), 0u);
  const std::string text = l.format("ui.no.such.message");
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.find("ui.no.such.message"), std::string::npos);
  EXPECT_EQ(text, Localizer::kMissingText);
  l.format("ui.no.such.message");
  EXPECT_EQ(l.missing_count(), 2u);
  EXPECT_EQ(l.missing_messages().at("ui.no.such.message"), 2);
  EXPECT_FALSE(l.has_message("ui.no.such.message"));
  // an empty translation and one that does not compile both fall back to the base language
  l.add_catalogue("en", {{"empty", "base empty"}, {"broken", "base broken"}});
  EXPECT_EQ(l.format("empty"), "base empty");
  EXPECT_EQ(l.format("broken", {{"n", std::int64_t{1}}}), "base broken");
}

TEST(LocalizerFallback, FormatInAnotherLanguageForBilingualPrintouts) {
  Localizer l = chain_fixture();
  l.set_locale("pt-BR");
  EXPECT_EQ(l.format_in("ja", "m"), "ja");
  EXPECT_EQ(l.format("m"), "pt");
}

TEST(LocalizerDates, DateArgumentsUseTheCalendarOption) {
  Localizer l("en");
  l.add_catalogue("en", {{"by", "By {d, date, long}"}});
  l.add_catalogue("ja", {{"by", "{d, date, long}までに"}});
  const Args args{{"d", CivilDate{2026, 11, 27}}};
  EXPECT_EQ(l.format("by", args), "By November 27, 2026");
  l.set_locale("ja");
  EXPECT_EQ(l.format("by", args), "2026年11月27日までに");
  l.set_calendar(CalendarSystem::Japanese);
  EXPECT_EQ(l.format("by", args), "令和8年11月27日までに");
  EXPECT_EQ(l.format_date({2026, 11, 27}), "令和8年11月27日");
  l.set_calendar(CalendarSystem::Gregorian);
  EXPECT_EQ(l.format_date({2026, 11, 27}, DateStyle::Short), "2026/11/27");
}

TEST(LocalizerDates, PersianAndThaiShowGregorianYearsByDefault) {
  Localizer l("en");
  l.add_catalogue("fa", {{"by", "{d, date, long}"}});
  l.add_catalogue("th", {{"by", "{d, date, long}"}});
  l.set_locale("fa");
  EXPECT_NE(l.format("by", {{"d", CivilDate{2026, 11, 27}}}).find("2026"), std::string::npos);
  l.set_locale("th");
  // Gregorian year with its era marker (ค.ศ.), not the Buddhist year 2569
  EXPECT_EQ(l.format("by", {{"d", CivilDate{2026, 11, 27}}}), "27 พฤศจิกายน ค.ศ. 2026");
}

TEST(LocalizerLazy, LoadsACatalogueOnlyWhenItsLanguageIsUsed) {
  Localizer l("en");
  l.add_catalogue("en", {{"m", "en"}});
  int loads = 0;
  l.add_catalogue_loader("ko", [&loads] {
    ++loads;
    return Localizer::Catalogue{{"m", "한국어"}};
  });
  EXPECT_TRUE(l.has_catalogue("ko"));
  EXPECT_EQ(l.languages(), (std::vector<std::string>{"en", "ko"}));
  EXPECT_EQ(l.format("m"), "en");
  EXPECT_EQ(loads, 0);
  l.set_locale("ko");
  EXPECT_EQ(l.format("m"), "한국어");
  EXPECT_EQ(l.format("m"), "한국어");
  EXPECT_EQ(loads, 1);
}

TEST(LocalizerBidi, TextArgumentsAreIsolatedInRightToLeftMessages) {
  Localizer l("en");
  l.add_catalogue("en", {{"office", "Go to {place} in {days} days."}});
  l.add_catalogue("ar", {{"office", "اذهب إلى {place}."}});
  l.set_locale("ar");
  EXPECT_EQ(l.format("office", {{"place", "Shinagawa (ISA)"}}),
            "اذهب إلى \u2068Shinagawa (ISA)\u2069.");
  // the English fallback of an Arabic user is a left-to-right message: nothing added
  l.add_catalogue("ar", {});
  EXPECT_EQ(l.format("office", {{"place", "Shinagawa"}, {"days", std::int64_t{3}}}),
            "Go to Shinagawa in 3 days.");
}

TEST(LocalizerCache, EachMessageIsCompiledOnceAndReused) {
  Localizer l("en");
  l.add_catalogue("en", {{"a", "{n, plural, one {# day} other {# days}}"}, {"b", "B"}});
  EXPECT_EQ(l.compiled_message_count(), 0u);
  for (std::int64_t frame = 0; frame < 100; ++frame) {
    EXPECT_EQ(l.format("a", {{"n", std::int64_t{2}}}), "2 days");
    EXPECT_EQ(l.format("b"), "B");
  }
  EXPECT_EQ(l.compiled_message_count(), 2u);
  l.set_calendar(CalendarSystem::Japanese);  // dates are compiled in: the cache starts again
  EXPECT_EQ(l.compiled_message_count(), 0u);
}

TEST(LocalizerLazy, ReadsTheAppLocalesDirectory) {
  Localizer l("en");
  const auto tags = add_po_directory(l, std::string(KIOSK_SOURCE_DIR) + "/locales");
  EXPECT_NE(std::find(tags.begin(), tags.end(), "en"), tags.end());
  EXPECT_NE(std::find(tags.begin(), tags.end(), "ja"), tags.end());
  EXPECT_EQ(l.format("ui.nav.back"), "Back");
  l.set_locale("ja");
  EXPECT_EQ(l.format("ui.nav.back"), "もどる");
  EXPECT_EQ(l.format("ui.idle.warning", {{"seconds", std::int64_t{30}}}),
            "まだいますか？あと30秒で終わります。");
  EXPECT_EQ(l.format("ui.procedure.fee_amount", {{"amount", std::int64_t{4000}}}), "￥4,000");
  EXPECT_EQ(l.format("ui.result.by_when", {{"date", CivilDate{2027, 3, 31}}}),
            "2027年3月31日までに");
  l.set_locale("ja-x-easy");  // locales/ja-x-easy.po is found under its private-use tag
  EXPECT_EQ(l.source_language("ui.nav.next"), "ja-x-easy");
  l.set_locale("en");
  EXPECT_EQ(l.format("ui.idle.warning", {{"seconds", std::int64_t{1}}}),
            "Are you still there? This session will end in 1 second.");
}

TEST(LocalizerLocaleFacts, NumbersCurrencyAndSortInTheCurrentLocale) {
  Localizer l("en");
  l.set_locale("ja");
  EXPECT_EQ(l.format_currency(4000), "￥4,000");
  EXPECT_EQ(l.format_number(1234.5), "1,234.5");
  EXPECT_FALSE(l.rtl());
  l.set_locale("ar");
  EXPECT_TRUE(l.rtl());
}

}  // namespace
}  // namespace kiosk::core
