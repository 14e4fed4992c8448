// Bidirectional text: the engine's visual order (runs reordered per line, glyph clusters read
// back) equals ICU's character-level ubidi_writeReordered, and numbers, dates, phone numbers
// and Latin names inside right-to-left text stay readable left to right.
#include <gtest/gtest.h>
#include <unicode/ubidi.h>
#include <unicode/unistr.h>

#include "kiosk/text/text_engine.h"
#include "tests/text/test_support.h"

namespace kiosk::text {
namespace {

TextEngine& engine() {
  static TextEngine instance;
  static const bool ready = [] {
    std::string error;
    const bool ok = instance.init(&error);
    EXPECT_TRUE(ok) << error;
    return ok;
  }();
  (void)ready;
  return instance;
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
  const bool rtl_level = style.rtl_context || is_rtl_language(style.lang);
  const std::string visual = testing::visual_order(layout, text, 0);
  const std::string reference = row.fields[4] == "=" ? text : with_isolates(row.fields[4]);
  EXPECT_EQ(visual, icu_visual(reference, rtl_level ? 1 : UBIDI_DEFAULT_LTR)) << row.where;

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
  // Start alignment follows the paragraph direction: right edge for right to left.
  EXPECT_EQ(layout.rtl, rtl_level || layout.rtl) << row.where;
  const LayoutLine& line = layout.lines[0];
  if (layout.rtl) {
    EXPECT_NEAR(line.x + line.width, layout.width, 0.01) << row.where;
  } else {
    EXPECT_NEAR(line.x, 0, 0.01) << row.where;
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
