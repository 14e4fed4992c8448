// SPDX-License-Identifier: GPL-3.0-or-later
// Line breaking: the reference splits (tests/data/linebreak/cases.tsv) equal ICU's
// BreakIterator, the engine breaks exactly there, and wrapped layouts never break inside a
// word nor exceed the wrap width unless one word alone is wider.
#include <gtest/gtest.h>
#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <set>

#include "kiosk/text/text_engine.h"
#include "tests/text/test_support.h"

namespace kiosk::text {
namespace {

struct Case {
  std::string where, id, lang, text;
  std::vector<std::string> segments;
  std::set<uint32_t> breaks;  // UTF-8 byte offsets of break opportunities, incl. 0 and end
};

std::vector<Case> cases() {
  std::vector<Case> result;
  for (const auto& row : testing::read_tsv("linebreak/cases.tsv")) {
    Case c;
    c.where = row.where;
    c.id = row.fields.at(0);
    c.lang = row.fields.at(1);
    std::string segment;
    c.breaks.insert(0);
    for (char ch : row.fields.at(2) + "|") {
      if (ch != '|') {
        segment.push_back(ch);
        continue;
      }
      c.segments.push_back(segment);
      c.text += segment;
      c.breaks.insert(static_cast<uint32_t>(c.text.size()));
      segment.clear();
    }
    result.push_back(std::move(c));
  }
  return result;
}

TextEngine& engine() {
  return testing::shared_engine();
}

class LineBreak : public ::testing::TestWithParam<Case> {};

TEST_P(LineBreak, ReferenceSplitsAreIcuBreakPositions) {
  const Case& c = GetParam();
  UErrorCode err = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(c.lang, err);
  // Japanese is broken between phrases (the engine asks ICU for lw=phrase).
  if (c.lang == "ja") locale.setKeywordValue("lw", "phrase", err);
  std::unique_ptr<icu::BreakIterator> breaker(icu::BreakIterator::createLineInstance(locale, err));
  ASSERT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(c.text);
  breaker->setText(text);
  std::vector<std::string> segments;
  int32_t previous = 0;
  for (int32_t b = breaker->next(); b != icu::BreakIterator::DONE; b = breaker->next()) {
    std::string segment;
    text.tempSubString(previous, b - previous).toUTF8String(segment);
    segments.push_back(segment);
    previous = b;
  }
  EXPECT_EQ(segments, c.segments) << c.where;
}

// With a 1 px wrap width every break opportunity ends a line, so the lines are exactly the
// reference segments.
TEST_P(LineBreak, EngineBreaksAtEveryOpportunityWhenNothingFits) {
  const Case& c = GetParam();
  TextStyle style;
  style.lang = c.lang;
  style.size_px = 24;
  style.wrap_width = 1;
  const Layout& layout = engine().layout(c.text, style);
  std::vector<std::string> lines;
  for (const LayoutLine& line : layout.lines) {
    lines.push_back(c.text.substr(line.text_begin, line.text_end - line.text_begin));
  }
  EXPECT_EQ(lines, c.segments) << c.where;
  EXPECT_TRUE(layout.overflow);
}

TEST_P(LineBreak, WrappedLinesBreakOnlyBetweenWordsAndFit) {
  const Case& c = GetParam();
  TextStyle style;
  style.lang = c.lang;
  style.size_px = 24;
  for (float wrap = 40; wrap <= 700; wrap += 23) {
    style.wrap_width = wrap;
    const Layout& layout = engine().layout(c.text, style);
    SCOPED_TRACE(c.where + " wrap " + std::to_string(wrap));
    ASSERT_GE(layout.line_count, 1);
    EXPECT_EQ(layout.lines.front().text_begin, 0u);
    EXPECT_EQ(layout.lines.back().text_end, c.text.size());
    for (size_t i = 0; i < layout.lines.size(); ++i) {
      const LayoutLine& line = layout.lines[i];
      EXPECT_TRUE(c.breaks.count(line.text_begin)) << "line " << i << " starts inside a word";
      EXPECT_TRUE(c.breaks.count(line.text_end)) << "line " << i << " ends inside a word";
      if (i > 0) {
        EXPECT_EQ(line.text_begin, layout.lines[i - 1].text_end);
      }
      const bool single_word = *c.breaks.upper_bound(line.text_begin) == line.text_end;
      if (!single_word) {
        EXPECT_LE(line.width, wrap + 0.01f) << "line " << i;
      }
      // Greedy filling: the next word would not have fitted on this line.
      if (i + 1 < layout.lines.size()) {
        const uint32_t next_end = *c.breaks.upper_bound(line.text_end);
        std::string longer = c.text.substr(line.text_begin, next_end - line.text_begin);
        while (!longer.empty() && longer.back() == ' ') longer.pop_back();
        TextStyle unwrapped = style;
        unwrapped.wrap_width = 0;
        EXPECT_GT(engine().layout(longer, unwrapped).content_width, wrap) << "line " << i;
      }
    }
  }
}

// Korean and easy Japanese are written with spaces between words: at any width where the
// words fit, every line ends after a space (CSS word-break: keep-all), never inside a word.
TEST(LineBreak, KoreanAndEasyJapaneseKeepWordsWhole) {
  const std::pair<const char*, const char*> samples[] = {
      {"ko", "체류 기간 갱신 허가 신청은 체류 기한 3개월 전부터 할 수 있습니다."},
      {"ja-x-easy", "けんこう ほけんと こうせい ねんきんに いれるのは かいしゃの しごとです。"}};
  for (const auto& [lang, text] : samples) {
    TextStyle style;
    style.lang = lang;
    style.size_px = 24;
    const float widest_word = 24 * 7;  // no word of the samples is wider
    for (float width = widest_word; width < 24 * 30; width += 7) {
      style.wrap_width = width;
      const Layout& layout = engine().layout(text, style);
      EXPECT_FALSE(layout.overflow) << lang << " at " << width;
      for (size_t i = 0; i + 1 < layout.lines.size(); ++i) {
        const std::string line(text + layout.lines[i].text_begin,
                               layout.lines[i].text_end - layout.lines[i].text_begin);
        EXPECT_EQ(line.back(), ' ') << lang << " at " << width << ": line \"" << line << "\"";
      }
    }
  }
}

// A word wider than the line still breaks inside (rather than overflowing the screen).
TEST(LineBreak, AWordWiderThanTheLineStillBreaks) {
  TextStyle style;
  style.lang = "ko";
  style.size_px = 24;
  style.wrap_width = 24 * 2.5f;
  const Layout& layout = engine().layout("출입국재류관리청", style);
  EXPECT_GT(layout.lines.size(), 1u);
  EXPECT_FALSE(layout.overflow);
}

// A right-to-left line does not end inside a bracketed left-to-right run when the run can
// start the next line instead: split, each half would show a bracket that seems to face the
// wrong way ("…セン)" above "(ター", seen on the fa and ar result screens). Where the run is
// wider than a line it still breaks inside, and left-to-right paragraphs are unchanged.
TEST(LineBreak, RightToLeftLinesKeepABracketedLeftToRightRunWhole) {
  const std::string before = "مرکز اطلاعات مهاجرت ";
  const std::string bracket = "(外国人在留総合インフォメーションセンター)";
  const std::string text = before + bracket + " تلفن";
  TextStyle style;
  style.lang = "fa";
  style.size_px = 24;
  const float bracket_width = engine().layout(bracket, style).content_width;
  const float full_width = engine().layout(text, style).content_width;
  const uint32_t open = static_cast<uint32_t>(before.size());
  const uint32_t close = open + static_cast<uint32_t>(bracket.size());
  int wrapped = 0;
  for (float width = bracket_width + 1; width < full_width; width += 5) {
    style.wrap_width = width;
    const Layout& layout = engine().layout(text, style);
    ASSERT_GT(layout.lines.size(), 1u) << width;
    for (const LayoutLine& line : layout.lines) {
      EXPECT_FALSE(line.text_end > open && line.text_end < close)
          << "at " << width << " a line ends inside the brackets: \""
          << text.substr(line.text_begin, line.text_end - line.text_begin) << "\"";
      EXPECT_LE(line.width, width + 0.01f) << width;
    }
    ++wrapped;
  }
  EXPECT_GT(wrapped, 10);
  // Narrower than the bracketed run: it breaks inside, as any word wider than the line.
  style.wrap_width = bracket_width / 2;
  EXPECT_GT(engine().layout(text, style).lines.size(), 2u);
  // Left to right, the same run may still end a line inside its brackets (no mirroring there).
  TextStyle en;
  en.lang = "en";
  en.size_px = 24;
  const std::string latin =
      "Immigration Information Centre (外国人在留総合インフォメーションセンター) phone";
  en.wrap_width =
      engine().layout("Immigration Information Centre (外国人在留総合", en).content_width + 2;
  const Layout& ltr = engine().layout(latin, en);
  ASSERT_GT(ltr.lines.size(), 1u);
  EXPECT_GT(ltr.lines[0].text_end, std::string("Immigration Information Centre (").size());
}

INSTANTIATE_TEST_SUITE_P(Cases, LineBreak, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param.id; });

}  // namespace
}  // namespace kiosk::text
