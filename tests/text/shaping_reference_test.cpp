// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's shaping equals HarfBuzz's own hb-shape on the same font file and face:
// glyph ids, clusters and positions, for a corpus in 17 scripts (tests/data/shaping,
// fixtures made by tests/data/shaping/regen.sh). Also checks that the engine picked the font
// the corpus names for that language (e.g. the SC face of the CJK .ttc for zh-Hans).
#include <gtest/gtest.h>
#include <hb.h>

#include <nlohmann/json.hpp>
#include <set>

#include "kiosk/text/text_engine.h"
#include "tests/text/test_support.h"

namespace kiosk::text {
namespace {

constexpr float kSize = 64.0f;

struct Expected {
  uint32_t glyph, cluster;
  float x, y, advance;  // font units
};

class ShapingReference : public ::testing::TestWithParam<testing::DataRow> {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    ASSERT_TRUE(engine().init(&error)) << error;
  }
  static TextEngine& engine() {
    static TextEngine instance;
    return instance;
  }
};

TEST_P(ShapingReference, GlyphsClustersAndPositionsEqualHbShape) {
  const testing::DataRow& row = GetParam();
  ASSERT_EQ(row.fields.size(), 6u) << row.where << ": expected 6 tab-separated fields";
  const std::string& id = row.fields[0];
  const std::string& text = row.fields[5];
  const nlohmann::json fixture =
      nlohmann::json::parse(testing::read_file("shaping/" + id + ".json"));

  TextStyle style;
  style.lang = row.fields[1];
  style.bold = row.fields[2] == "1";
  style.size_px = kSize;
  const Layout& layout = engine().layout(text, style);
  ASSERT_EQ(layout.line_count, 1) << row.where;
  EXPECT_FALSE(layout.missing_glyphs) << row.where;
  ASSERT_EQ(layout.glyphs.size(), fixture.size()) << row.where << " (" << id << ")";

  const std::string font_path = "/usr/share/fonts/" + row.fields[3];
  const int face_index = std::stoi(row.fields[4]);
  // hb-shape positions are in font units (its default scale is units per em).
  hb_blob_t* blob = hb_blob_create_from_file(font_path.c_str());
  hb_face_t* hb_face = hb_face_create(blob, static_cast<unsigned>(face_index));
  const double scale = kSize / hb_face_get_upem(hb_face);
  hb_face_destroy(hb_face);
  hb_blob_destroy(blob);

  double pen = 0;
  for (size_t i = 0; i < fixture.size(); ++i) {
    const auto& want = fixture[i];
    const PositionedGlyph& got = layout.glyphs[i];
    const FaceInfo face = engine().face_info(got.face);
    SCOPED_TRACE(row.where + " glyph " + std::to_string(i));
    EXPECT_EQ(face.path, font_path);
    EXPECT_EQ(face.index, face_index);
    EXPECT_EQ(got.glyph_id, want["g"].get<uint32_t>());
    EXPECT_EQ(got.cluster, want["cl"].get<uint32_t>());
    EXPECT_NEAR(got.advance, want["ax"].get<double>() * scale, 0.01);
    const double want_x = (pen + want["dx"].get<double>()) * scale;
    EXPECT_NEAR(got.x - layout.lines[0].x, want_x, 0.02);
    const double want_y = layout.lines[0].baseline - want["dy"].get<double>() * scale;
    EXPECT_NEAR(got.y, want_y, 0.01);
    pen += want["ax"].get<double>();
  }
}

std::vector<testing::DataRow> corpus() {
  return testing::read_tsv("shaping/corpus.tsv");
}

INSTANTIATE_TEST_SUITE_P(Corpus, ShapingReference, ::testing::ValuesIn(corpus()),
                         [](const auto& info) { return info.param.fields.at(0); });

TEST(ShapingCorpus, CoversAtLeastTwelveScripts) {
  std::set<std::string> fonts;
  for (const auto& row : corpus()) fonts.insert(row.fields.at(3) + "#" + row.fields.at(4));
  // Distinct font faces stand for distinct scripts (Latin/Cyrillic share Noto Sans, so the
  // real script count is higher than this).
  EXPECT_GE(fonts.size(), 12u);
}

}  // namespace
}  // namespace kiosk::text
