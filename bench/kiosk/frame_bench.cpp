// SPDX-License-Identifier: GPL-3.0-or-later
// How long one frame of a busy screen takes to draw and present, per renderer: the result
// screen (findings, sources, help) at 1080x1920 in Arabic, with a persona's answers. This is
// what drag scrolling pays per frame; a still kiosk draws nothing.
//   frame_bench [--renderer software|gpu] [FRAMES]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "core/session.h"
#include "kiosk/app.h"
#include "kiosk/content.h"
#include "kiosk/embedded.h"
#include "kiosk/window.h"

using namespace kiosk;

int main(int argc, char** argv) {
  ui::Renderer renderer = ui::Renderer::Software;
  int frames = 60;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--renderer") == 0 && i + 1 < argc)
      ui::parse_renderer(argv[++i], &renderer);
    else
      frames = std::max(1, std::atoi(argv[i]));
  }
  setenv("SDL_VIDEODRIVER", "offscreen", 0);
  const int w = 1080, h = 1920;
  std::string error;
  ui::Window window;
  text::TextEngine text;
  ui::Content content;
  if (!content.load(ui::embedded_pack(), ui::embedded_ui_catalogues(), &error) ||
      !text.init(&error) || !window.open({w, h, false, true, renderer}, &error)) {
    std::fprintf(stderr, "frame_bench: %s\n", error.c_str());
    return 1;
  }
  text.use_textures(window.texture_hooks());
  ui::Settings settings;
  ui::App app(content, text, settings);
  std::ifstream in(std::string(KIOSK_SOURCE_DIR) +
                   "/tests/data/personas/03-employer-never-enrolled.json");
  std::stringstream buf;
  buf << in.rdbuf();
  auto persona = ui::parse_preview_answers(content.pack(), buf.str(), &error);
  if (!persona || !persona->today)
    return std::fprintf(stderr, "frame_bench: %s\n", error.c_str()), 1;
  for (auto& [q, a] : persona->answers) app.session().set_answer(q, a);
  app.set_today(*persona->today);
  app.visit().procedure_id = persona->procedure_id;
  app.prepare_for_preview(ui::ScreenId::Result, "ar");
  auto draw = [&](bool present) {
    window.begin_frame();
    app.frame(float(w), float(h), 0.0, app.today());
    window.end_frame(present);
  };
  auto per_frame_ms = [&](bool present) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < frames; ++i) draw(present);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
               .count() /
           frames;
  };
  for (int i = 0; i < 3; ++i) draw(true);  // layouts and glyphs cached, as on a still screen
  const double ui_only = per_frame_ms(false), whole = per_frame_ms(true);
  std::printf(
      "%s renderer (%s), result screen 1080x1920 ar: %.2f ms per frame, of which %.2f ms "
      "building the draw lists (%d frames)\n",
      renderer == ui::Renderer::Software ? "software" : "gpu", window.renderer_name().c_str(),
      whole, ui_only, frames);
  return 0;
}
