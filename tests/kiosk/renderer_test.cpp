// SPDX-License-Identifier: GPL-3.0-or-later
// The window's two renderers (SDL software, SDL GPU through Mesa) draw the text engine's
// glyphs and ImGui's shapes as they should: text equals the engine's own CPU rendering of
// the same atlas glyphs, and a filled rectangle lands on the pixels it covers. Headless
// (SDL's offscreen driver); the GPU case uses EGL with llvmpipe.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "kiosk/text/text_engine.h"
#include "kiosk/window.h"

namespace kiosk::ui {
namespace {

constexpr int kWidth = 640, kHeight = 360;

struct Sample {
  const char* lang;
  const char* text;
};
const Sample kSamples[] = {
    {"ne", "निवास कार्डको नवीकरण"},
    {"my", "နေထိုင်ခွင့်ကတ် သက်တမ်းတိုး"},
    {"ar", "اتصل بـ FRESC على 0570-013904"},
    {"zh-Hans", "请在到期前申请更新。"},
};

class RendererTest : public ::testing::TestWithParam<Renderer> {};

TEST_P(RendererTest, DrawsTextAsTheEngineRendersItAndShapesWhereTheyBelong) {
  // Mesa keeps allocations past exit that LeakSanitizer cannot attribute: the GPU case runs
  // as its own ctest (kiosk.renderer_gpu) with leak checking off.
  if (GetParam() == Renderer::Gpu && !std::getenv("KIOSK_TEST_GPU"))
    GTEST_SKIP() << "runs as ctest kiosk.renderer_gpu";
  Window window;
  std::string error;
  ASSERT_TRUE(window.open({kWidth, kHeight, false, true, GetParam()}, &error)) << error;
  text::TextEngine engine;
  ASSERT_TRUE(engine.init(&error)) << error;
  engine.use_textures(window.texture_hooks());

  std::vector<std::pair<const text::Layout*, ImVec2>> placed;
  float y = 10;
  for (const Sample& s : kSamples) {
    text::TextStyle style;
    style.lang = s.lang;
    style.size_px = 30;
    style.rtl_context = text::is_rtl_language(s.lang);
    style.wrap_width = kWidth - 120;
    placed.emplace_back(&engine.layout(s.text, style), ImVec2(10, y));
    y += placed.back().first->height + 4;
  }
  std::vector<unsigned char> frame;
  for (int pass = 0; pass < 2; ++pass) {  // the second frame draws from a warm atlas
    window.begin_frame();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(kWidth, kHeight), IM_COL32(255, 255, 255, 255));
    dl->AddRectFilled(ImVec2(560, 20), ImVec2(620, 80), IM_COL32(200, 0, 0, 255));
    for (const auto& [layout, at] : placed) engine.draw(dl, *layout, at, IM_COL32(0, 0, 0, 255));
    window.end_frame(false);
    frame = window.read_pixels(kWidth, kHeight);
  }
  text::RgbaImage cpu(kWidth, kHeight, 0xFFFFFFFF);
  for (const auto& [layout, at] : placed) engine.render(cpu, *layout, at, 0x000000FF);

  long ink = 0, differing = 0;
  for (int py = 0; py < kHeight; ++py)
    for (int px = 0; px < 540; ++px) {  // the text area, left of the red square
      size_t i = (static_cast<size_t>(py) * kWidth + px) * 4;
      if (cpu.pixels[i] < 128) ++ink;
      if (std::abs(int(frame[i]) - int(cpu.pixels[i])) > 40) ++differing;
    }
  EXPECT_GT(ink, 2000) << "the samples drew almost nothing";
  EXPECT_LT(differing * 100, ink) << differing << " of " << ink << " ink pixels differ ("
                                  << window.renderer_name() << ")";
  auto pixel = [&](int x, int y) {
    size_t i = (static_cast<size_t>(y) * kWidth + x) * 4;
    return std::vector<int>{frame[i], frame[i + 1], frame[i + 2]};
  };
  EXPECT_EQ(pixel(590, 50), (std::vector<int>{200, 0, 0}));      // inside the square
  EXPECT_EQ(pixel(590, 90), (std::vector<int>{255, 255, 255}));  // below it
  EXPECT_EQ(pixel(630, 50), (std::vector<int>{255, 255, 255}));  // right of it
}

INSTANTIATE_TEST_SUITE_P(Renderers, RendererTest,
                         ::testing::Values(Renderer::Software, Renderer::Gpu),
                         [](const auto& info) {
                           return info.param == Renderer::Software ? "software" : "gpu";
                         });

TEST(Renderer, ParsesItsNames) {
  Renderer r = Renderer::Gpu;
  EXPECT_TRUE(parse_renderer("software", &r));
  EXPECT_EQ(r, Renderer::Software);
  EXPECT_TRUE(parse_renderer("gpu", &r));
  EXPECT_EQ(r, Renderer::Gpu);
  EXPECT_FALSE(parse_renderer("opengl", &r));
}

}  // namespace
}  // namespace kiosk::ui
