// SPDX-License-Identifier: GPL-3.0-or-later
// Bidirectional text: the engine's visual order (runs reordered per line, glyph clusters read
// back) equals ICU's character-level ubidi_writeReordered and GNU FriBidi's, and numbers, dates,
// phone numbers and Latin names inside right-to-left text stay readable left to right.
#include <gtest/gtest.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <map>
#include <sstream>

#include "kiosk/text/text_engine.h"
#include "tests/text/test_support.h"

namespace kiosk::text {
namespace {

TextEngine& engine() {
  return testing::shared_engine();
}

// ICU's reference: the paragraph reordered character by character (UBA L2), same level
// rule as the engine (right to left on mirrored screens and for RTL languages).
std::string icu_visual(const std::string& utf8, UBiDiLevel level) {
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  UErrorCode err = U_ZERO_ERROR;
  UBiDi* bidi = ubidi_open();
  ubidi_setPara(bidi, text.getBuffer(), text.length(), level, nullptr, &err);
  std::vector<UChar> out(text.length() * 2 + 1);
  const int32_t length = ubidi_writeReordered(bidi, out.data(), static_cast<int32_t>(out.size()),
                                              UBIDI_REMOVE_BIDI_CONTROLS, &err);
  ubidi_close(bidi);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  std::string result;
  icu::UnicodeString(out.data(), length).toUTF8String(result);
  return result;
}

// "[[" and "]]" in the data stand for LRI and PDI.
std::string with_isolates(std::string text) {
  for (const auto& [mark, code] : {std::pair<std::string, std::string>{"[[", "\u2066"},
                                   std::pair<std::string, std::string>{"]]", "\u2069"}}) {
    for (size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at)) {
      text.replace(at, mark.size(), code);
    }
  }
  return text;
}

class Bidi : public ::testing::TestWithParam<testing::DataRow> {};

TEST_P(Bidi, VisualOrderEqualsIcuAndNumbersStayLeftToRight) {
  const testing::DataRow& row = GetParam();
  ASSERT_GE(row.fields.size(), 4u) << row.where;
  TextStyle style;
  style.lang = row.fields[1];
  style.rtl_context = row.fields[2] == "1";
  style.size_px = 24;
  const std::string& text = row.fields[3];
  const Layout& layout = engine().layout(text, style);
  ASSERT_EQ(layout.line_count, 1) << row.where;
  EXPECT_FALSE(layout.missing_glyphs) << row.where;

  ASSERT_EQ(row.fields.size(), 6u) << row.where;
  const UBiDiLevel level = is_rtl_language(style.lang) ? 1
                           : style.rtl_context         ? UBIDI_DEFAULT_RTL
                                                       : UBIDI_DEFAULT_LTR;
  const std::string visual = testing::visual_order(layout, text, 0);
  const std::string reference = row.fields[4] == "=" ? text : with_isolates(row.fields[4]);
  EXPECT_EQ(visual, icu_visual(reference, level)) << row.where;

  const std::string& expected = row.fields[5];
  size_t start = 0;
  while (start < expected.size()) {
    const size_t bar = expected.find('|', start);
    const std::string piece = expected.substr(start, bar == std::string::npos ? bar : bar - start);
    EXPECT_NE(visual.find(piece), std::string::npos)
        << row.where << ": '" << piece << "' not left to right in '" << visual << "'";
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  // Start alignment: the right edge on mirrored screens and for right-to-left paragraphs.
  const LayoutLine& line = layout.lines[0];
  if (layout.rtl || style.rtl_context) {
    EXPECT_NEAR(line.x + line.width, layout.width, 0.01) << row.where;
  } else {
    EXPECT_NEAR(line.x, 0, 0.01) << row.where;
  }
}

// Code points of a UTF-8 string.
std::vector<UChar32> code_points(const std::string& utf8) {
  std::vector<UChar32> out;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(utf8);
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1))
    out.push_back(text.char32At(i));
  return out;
}

// Drops combining marks: FriBidi keeps a mark after its base in visual order (REORDER_NSM)
// while the engine and ICU reverse it with its base; where a mark sits inside its cluster is
// HarfBuzz's job, checked by the shaping tests.
std::string without_marks(const std::vector<UChar32>& cps) {
  icu::UnicodeString out;
  for (UChar32 c : cps) {
    const int8_t type = u_charType(c);
    if (type != U_NON_SPACING_MARK && type != U_ENCLOSING_MARK) out.append(c);
  }
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

// Second reference, independent of ICU: GNU FriBidi's visual-to-logical order
// (tests/data/bidi/fribidi.tsv, made by regen_fribidi.sh).
TEST(BidiFribidi, VisualOrderEqualsFribidi) {
  std::map<std::string, testing::DataRow> cases;
  for (const auto& row : testing::read_tsv("bidi/cases.tsv")) cases[row.fields.at(0)] = row;
  const auto fixtures = testing::read_tsv("bidi/fribidi.tsv");
  EXPECT_EQ(fixtures.size(), cases.size()) << "run tests/data/bidi/regen_fribidi.sh";
  for (const auto& fixture : fixtures) {
    SCOPED_TRACE(fixture.where);
    ASSERT_EQ(fixture.fields.size(), 2u);
    ASSERT_TRUE(cases.count(fixture.fields[0]));
    const testing::DataRow& row = cases[fixture.fields[0]];
    const std::string& text = row.fields[3];
    const std::vector<UChar32> reference =
        code_points(row.fields[4] == "=" ? text : with_isolates(row.fields[4]));
    // Positions in the reference input (with LRI/PDI) -> positions in the text.
    std::vector<int> plain_index(reference.size(), -1);
    int next = 0;
    for (size_t i = 0; i < reference.size(); ++i) {
      if (reference[i] != 0x2066 && reference[i] != 0x2069) plain_index[i] = next++;
    }
    const std::vector<UChar32> plain = code_points(text);
    ASSERT_EQ(next, static_cast<int>(plain.size())) << "reference input is not the text";
    std::vector<UChar32> fribidi_visual;
    std::istringstream order(fixture.fields[1]);
    for (size_t index; order >> index;) {
      ASSERT_LT(index, reference.size());
      if (plain_index[index] >= 0) fribidi_visual.push_back(plain[plain_index[index]]);
    }
    TextStyle style;
    style.lang = row.fields[1];
    style.rtl_context = row.fields[2] == "1";
    style.size_px = 24;
    const Layout& layout = engine().layout(text, style);
    ASSERT_EQ(layout.line_count, 1);
    EXPECT_EQ(without_marks(code_points(testing::visual_order(layout, text, 0))),
              without_marks(fribidi_visual));
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Bidi, ::testing::ValuesIn(testing::read_tsv("bidi/cases.tsv")),
                         [](const auto& info) { return info.param.fields.at(0); });

TEST(BidiLayout, RightToLeftParagraphPutsLogicalStartOnTheRight) {
  TextStyle style;
  style.lang = "ar";
  style.size_px = 24;
  const std::string text = "مرحبا";
  const Layout& layout = engine().layout(text, style);
  ASSERT_FALSE(layout.glyphs.empty());
  // The first logical character (cluster 0) is drawn rightmost.
  const PositionedGlyph* rightmost = &layout.glyphs.front();
  for (const PositionedGlyph& g : layout.glyphs) {
    if (g.x > rightmost->x) rightmost = &g;
  }
  EXPECT_EQ(rightmost->cluster, 0u);
  EXPECT_TRUE(layout.rtl);
}

TEST(BidiLayout, WrappedRightToLeftLinesReadTopToBottomInLogicalOrder) {
  TextStyle style;
  style.lang = "ar";
  style.size_px = 24;
  style.wrap_width = 160;
  const std::string text =
      "يرجى زيارة مكتب FRESC للمساعدة في تجديد بطاقة الإقامة (قبل انتهاء صلاحيتها)";
  const Layout& layout = engine().layout(text, style);
  ASSERT_GE(layout.line_count, 2);
  for (int i = 0; i < layout.line_count; ++i) {
    const LayoutLine& line = layout.lines[i];
    const std::string piece = text.substr(line.text_begin, line.text_end - line.text_begin);
    // Each line on its own must reorder like ICU reorders that line's text.
    std::string trimmed = piece;
    while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
    EXPECT_EQ(testing::visual_order(layout, text, i), icu_visual(trimmed, 1)) << "line " << i;
    EXPECT_NEAR(line.x + line.width, layout.width, 0.01) << "line " << i;
  }
}

}  // namespace
}  // namespace kiosk::text
