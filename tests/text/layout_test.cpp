// SPDX-License-Identifier: GPL-3.0-or-later
// Engine behaviour: caching (no shaping on a static second frame), font choice per language,
// alignment, wrapping, metrics, bad input, drawing into an ImDrawList and CPU rendering.
#include <gtest/gtest.h>
#include <unicode/utf8.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "kiosk/text/text_engine.h"

namespace kiosk::text {
namespace {

class Engine : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(engine.init(&error)) << error;
  }
  TextStyle style(const std::string& lang, float size = 24, float wrap = 0) {
    TextStyle s;
    s.lang = lang;
    s.size_px = size;
    s.wrap_width = wrap;
    return s;
  }
  std::string face_name(const Layout& layout, size_t glyph = 0) {
    return engine.face_info(layout.glyphs.at(glyph).face).name;
  }
  TextEngine engine;
};

TEST(EngineInit, MissingFontsFailWithOneLineReason) {
  TextEngine engine;
  std::string error;
  const auto empty = std::filesystem::temp_directory_path() / "kiosk-text-no-fonts";
  std::filesystem::create_directories(empty);
  EXPECT_FALSE(engine.init(&error, empty.string()));
  EXPECT_NE(error.find("fonts-noto-core is not installed"), std::string::npos) << error;
  EXPECT_NE(error.find("NotoSans-Regular.ttf missing"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos);
  // Without fonts, layout still answers (empty) rather than crashing.
  EXPECT_EQ(engine.layout("abc", TextStyle{}).glyphs.size(), 0u);
}

TEST_F(Engine, InitOpensNoFontUntilARunNeedsIt) {
  EXPECT_EQ(engine.stats().faces_loaded, 0u);
  engine.layout("Hello", style("en"));
  const uint64_t after_latin = engine.stats().faces_loaded;
  EXPECT_GE(after_latin, 1u);
  EXPECT_LE(after_latin, 2u);
}

TEST_F(Engine, SameStringTwiceShapesOnce) {
  const std::string text = "在留カードの更新 Residence card";
  engine.layout(text, style("ja"));
  const uint64_t shapes = engine.stats().shapes;
  EXPECT_GT(shapes, 0u);
  const Layout& again = engine.layout(text, style("ja"));
  EXPECT_EQ(engine.stats().shapes, shapes);
  EXPECT_EQ(engine.stats().cache_hits, 1u);
  EXPECT_GT(again.glyphs.size(), 0u);
  // Any style change is a different layout.
  engine.layout(text, style("ja", 30));
  EXPECT_GT(engine.stats().shapes, shapes);
}

TEST_F(Engine, CjkFaceFollowsLanguage) {
  const std::string han = "更新";
  EXPECT_EQ(face_name(engine.layout(han, style("ja"))), "NotoSansCJK-Regular.ttc#0");
  EXPECT_EQ(face_name(engine.layout(han, style("ko"))), "NotoSansCJK-Regular.ttc#1");
  EXPECT_EQ(face_name(engine.layout(han, style("zh-Hans"))), "NotoSansCJK-Regular.ttc#2");
  EXPECT_EQ(face_name(engine.layout(han, style("zh-Hant"))), "NotoSansCJK-Regular.ttc#3");
  EXPECT_EQ(face_name(engine.layout(han, style("zh-TW"))), "NotoSansCJK-Regular.ttc#3");
  EXPECT_EQ(face_name(engine.layout(han, style("zh-Hant-HK"))), "NotoSansCJK-Regular.ttc#4");
  EXPECT_EQ(face_name(engine.layout(han, style("en"))), "NotoSansCJK-Regular.ttc#0");
  TextStyle bold = style("zh-Hans");
  bold.bold = true;
  EXPECT_EQ(face_name(engine.layout(han, bold)), "NotoSansCJK-Bold.ttc#2");
}

TEST_F(Engine, ArabicScriptFontFollowsLanguage) {
  EXPECT_EQ(face_name(engine.layout("کارت", style("fa"))), "NotoNaskhArabic-Regular.ttf");
  EXPECT_EQ(face_name(engine.layout("بطاقة", style("ar"))), "NotoNaskhArabic-Regular.ttf");
  EXPECT_EQ(face_name(engine.layout("کارڈ", style("ur"))), "NotoNastaliqUrdu-Regular.ttf");
}

TEST_F(Engine, CharactersMissingFromTheScriptFontFallBack) {
  // Noto Naskh Arabic has no Latin letters or parentheses; Noto Sans Thai has no digits.
  const Layout& ar = engine.layout("(FRESC) مركز", style("ar"));
  EXPECT_FALSE(ar.missing_glyphs);
  for (const PositionedGlyph& g : ar.glyphs) EXPECT_NE(g.glyph_id, 0u);
  const Layout& th = engine.layout("โทร 0570-013904", style("th"));
  EXPECT_FALSE(th.missing_glyphs);
  for (const PositionedGlyph& g : th.glyphs) EXPECT_NE(g.glyph_id, 0u);
}

TEST_F(Engine, UnknownCharacterIsReportedNotDropped) {
  const Layout& layout = engine.layout("A\U000F0000B", style("en"));  // private use plane
  EXPECT_TRUE(layout.missing_glyphs);
  EXPECT_EQ(layout.glyphs.size(), 3u);
}

TEST_F(Engine, InvalidUtf8BecomesReplacementCharacter) {
  const std::string bad = std::string("ab") + '\xC3' + '\x28' + "cd\xFF";
  const Layout& layout = engine.layout(bad, style("en"));
  EXPECT_EQ(layout.line_count, 1);
  EXPECT_GE(layout.glyphs.size(), 5u);
}

TEST_F(Engine, EmptyStringHasOneLineOfHeight) {
  const Layout& layout = engine.layout("", style("en"));
  EXPECT_EQ(layout.line_count, 1);
  EXPECT_GT(layout.height, 20.0f);
  EXPECT_EQ(layout.width, 0.0f);
}

TEST_F(Engine, NewlinesStartParagraphs) {
  const Layout& layout = engine.layout("One\nTwo\n\nFour", style("en"));
  ASSERT_EQ(layout.line_count, 4);
  EXPECT_EQ(layout.lines[3].top, 3 * layout.lines[0].height);
  EXPECT_EQ(layout.lines[2].glyph_count, 0u);
}

TEST_F(Engine, AlignmentRespectsParagraphDirection) {
  TextStyle s = style("en", 24, 400);
  s.align = TextStyle::End;
  const Layout& end_ltr = engine.layout("Next", s);
  EXPECT_NEAR(end_ltr.lines[0].x + end_ltr.lines[0].width, 400, 0.01);
  s.align = TextStyle::Center;
  const Layout& center = engine.layout("Next", s);
  EXPECT_NEAR(center.lines[0].x, std::round((400 - center.lines[0].width) / 2), 0.01);
  s.align = TextStyle::Start;
  s.rtl_context = true;  // mirrored screen: start is the right edge
  const Layout& start_rtl = engine.layout("Next", s);
  EXPECT_NEAR(start_rtl.lines[0].x + start_rtl.lines[0].width, 400, 0.01);
  s.align = TextStyle::End;
  const Layout& end_rtl = engine.layout("التالي", s);
  EXPECT_NEAR(end_rtl.lines[0].x, 0, 0.01);
}

TEST_F(Engine, WrapKeepsLinesWithinWidth) {
  const std::string text =
      "Please bring your passport and residence card. You can apply at the regional "
      "immigration bureau from three months before the card expires.";
  const Layout& layout = engine.layout(text, style("en", 24, 300));
  EXPECT_GT(layout.line_count, 2);
  EXPECT_FALSE(layout.overflow);
  EXPECT_EQ(layout.width, 300);
  for (const LayoutLine& line : layout.lines) EXPECT_LE(line.width, 300.01f);
  EXPECT_EQ(engine.measure(text, style("en", 24, 300)).y, layout.height);
}

TEST_F(Engine, UrduLinesAreTallerThanLatinForNastaliq) {
  const Layout& ur = engine.layout("کارڈ", style("ur"));
  const Layout& en = engine.layout("Card", style("en"));
  EXPECT_GT(ur.height, en.height);
  // Every glyph's box stays inside its line: Nastaliq's marks are not clipped.
  for (const PositionedGlyph& g : ur.glyphs) {
    EXPECT_GE(g.y, 0);
    EXPECT_LE(g.y, ur.height);
  }
}

TEST_F(Engine, StaticSecondFrameDoesNoShapingOrRasterising) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(800, 600);
  io.IniFilename = nullptr;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  const std::vector<std::pair<std::string, std::string>> screen = {
      {"ja", "在留カードの更新"}, {"ne", "निवास कार्डको नवीकरण"}, {"ar", "تجديد بطاقة الإقامة"}};
  auto frame = [&] {
    engine.new_frame();
    ImGui::NewFrame();
    ImGui::Begin("screen");
    for (const auto& [lang, text] : screen) Label(engine, text, style(lang), IM_COL32_WHITE);
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
  };
  frame();  // ImGui hides a new window during its first frame
  const int first_vertices = frame();
  const TextStats first = engine.stats();
  EXPECT_GT(first.shapes, 0u);
  EXPECT_GT(first.glyphs_rasterised, 0u);
  const int second_vertices = frame();
  EXPECT_EQ(engine.stats().shapes, first.shapes);
  EXPECT_EQ(engine.stats().glyphs_rasterised, first.glyphs_rasterised);
  EXPECT_EQ(second_vertices, first_vertices);
  EXPECT_GT(second_vertices, 4 * 10);
  ImGui::DestroyContext();
}

TEST_F(Engine, RenderDrawsInkInsideTheLayoutBox) {
  const Layout& layout = engine.layout("निवास कार्ड", style("ne", 32));
  RgbaImage image(static_cast<int>(layout.width) + 20, static_cast<int>(layout.height) + 20,
                  0xFFFFFFFF);
  engine.render(image, layout, ImVec2(10, 10), 0x000000FF);
  int ink = 0, outside = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (image.pixels[(static_cast<size_t>(y) * image.width + x) * 4] < 128) {
        ++ink;
        if (x < 8 || y < 8 || x >= image.width - 8 || y >= image.height - 8) ++outside;
      }
    }
  }
  EXPECT_GT(ink, 200);
  EXPECT_EQ(outside, 0);
}

TEST_F(Engine, ClearCacheForcesReshaping) {
  engine.layout("Hello", style("en"));
  const uint64_t shapes = engine.stats().shapes;
  engine.clear_cache();
  engine.layout("Hello", style("en"));
  EXPECT_GT(engine.stats().shapes, shapes);
}

TEST_F(Engine, CacheStaysBoundedWhenStringsChangeEveryFrame) {
  // A countdown makes a new string each frame; old ones must go, current ones must stay.
  engine.set_cache_limit(64);
  const Layout* current = nullptr;
  for (int i = 0; i < 300; ++i) {
    engine.new_frame();
    current = &engine.layout("Still there? " + std::to_string(i), style("en"));
    ASSERT_EQ(current->line_count, 1);
  }
  const uint64_t shapes = engine.stats().shapes;
  EXPECT_EQ(shapes, 300u);
  // Inserts in the same frame evict only layouts of earlier frames, never this frame's.
  for (int i = 0; i < 100; ++i) engine.layout("same frame " + std::to_string(i), style("en"));
  EXPECT_EQ(current->line_count, 1);
  engine.layout("Still there? 299", style("en"));
  EXPECT_EQ(engine.stats().shapes, shapes + 100);  // still cached, not shaped again
  engine.layout("Still there? 0", style("en"));
  EXPECT_EQ(engine.stats().shapes, shapes + 101);  // evicted long ago
}

TEST_F(Engine, NonsenseSizesAreClampedNotFatal) {
  for (float size : {0.0f, -5.0f, std::nanf(""), 1e9f, INFINITY}) {
    const Layout& layout = engine.layout("Abc", style("en", size));
    EXPECT_GE(layout.pixel_size, 1);
    EXPECT_LE(layout.pixel_size, 512);
  }
}

TEST_F(Engine, TabsAndCarriageReturnsShowAsSpaces) {
  const Layout& layout = engine.layout("a\tb\r", style("en"));
  EXPECT_FALSE(layout.missing_glyphs);
  for (const PositionedGlyph& g : layout.glyphs) EXPECT_NE(g.glyph_id, 0u);
}

// Mixed scripts, marks without bases, bidi controls, controls and broken UTF-8: the engine
// never crashes (ASan build) and its lines always cover the text in order.
TEST_F(Engine, ArbitraryInputKeepsLayoutInvariants) {
  std::mt19937 random(20261127);
  const std::vector<std::pair<char32_t, char32_t>> ranges = {
      {0x20, 0x7E},     {0x300, 0x36F},   {0x600, 0x6FF},   {0x900, 0x97F},
      {0xE00, 0xE7F},   {0x1000, 0x109F}, {0x1780, 0x17FF}, {0x200B, 0x206F},
      {0x3040, 0x30FF}, {0x4E00, 0x4E80}, {0xAC00, 0xAC40}, {0x1F600, 0x1F64F}};
  const std::vector<std::string> langs = {"en", "ar", "ur", "th", "my", "ja", "ne", "km"};
  for (int round = 0; round < 150; ++round) {
    std::string text;
    const int length = static_cast<int>(random() % 60);
    for (int i = 0; i < length; ++i) {
      if (random() % 25 == 0) {
        text.push_back(static_cast<char>(0x80 + random() % 0x80));  // stray byte
        continue;
      }
      const auto& [lo, hi] = ranges[random() % ranges.size()];
      const char32_t c = lo + static_cast<char32_t>(random() % (hi - lo + 1));
      char buffer[4];
      int32_t n = 0;
      U8_APPEND_UNSAFE(buffer, n, c);
      text.append(buffer, static_cast<size_t>(n));
      if (random() % 15 == 0) text.push_back(random() % 2 ? ' ' : '\n');
    }
    TextStyle s = style(langs[random() % langs.size()], 10.0f + random() % 40,
                        random() % 3 == 0 ? 0.0f : 20.0f + random() % 400);
    s.rtl_context = random() % 2 == 0;
    s.align = static_cast<TextStyle::Align>(random() % 3);
    const Layout& layout = engine.layout(text, s);
    SCOPED_TRACE("round " + std::to_string(round));
    ASSERT_GE(layout.line_count, 1);
    uint32_t expected_begin = 0;
    size_t glyphs = 0;
    for (const LayoutLine& line : layout.lines) {
      // Lines are contiguous, except for the '\n' between paragraphs.
      if (line.text_begin == expected_begin + 1) ++expected_begin;
      EXPECT_EQ(line.text_begin, expected_begin);
      EXPECT_LE(line.text_begin, line.text_end);
      expected_begin = line.text_end;
      glyphs += line.glyph_count;
      for (uint32_t g = line.first_glyph; g < line.first_glyph + line.glyph_count; ++g) {
        EXPECT_LT(layout.glyphs[g].cluster, text.size());
      }
    }
    EXPECT_EQ(expected_begin, text.size());
    EXPECT_EQ(glyphs, layout.glyphs.size());
    RgbaImage image(64, 32);
    engine.render(image, layout, ImVec2(0, 0), 0xFFFFFFFF);
  }
}

}  // namespace
}  // namespace kiosk::text

namespace kiosk::text {
namespace {

// The Localizer wraps names inside right-to-left messages in FSI...PDI (U+2068/U+2069).
// Those are default-ignorable: they must vanish, never show as a box from a fallback font.
TEST(EngineIgnorables, BidiIsolatesAroundLatinNamesDrawNothing) {
  TextEngine engine;
  std::string error;
  ASSERT_TRUE(engine.init(&error)) << error;
  TextStyle s;
  s.lang = "ar";
  s.size_px = 24;
  s.rtl_context = true;
  const Layout& l =
      engine.layout("المصدر: \u2068Who is insured (Japan Pension Service)\u2069، تم التحقق", s);
  EXPECT_FALSE(l.missing_glyphs);
  for (const auto& g : l.glyphs) EXPECT_NE(g.glyph_id, 0u) << "a .notdef box at byte " << g.cluster;
}

}  // namespace
}  // namespace kiosk::text
