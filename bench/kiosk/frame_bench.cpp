// SPDX-License-Identifier: GPL-3.0-or-later
// How long one frame of a busy screen takes to draw and present, per renderer: the result
// screen (findings, sources, help) in Arabic, with a persona's answers, while a finger drags
// its list up and down (every frame scrolls, so nothing on the list is where it was). This
// is what drag scrolling pays per frame; a still kiosk draws nothing.
//   frame_bench [--renderer software|gpu] [--size WxH] [--png FILE] [FRAMES]
// --png writes the last frame, to see that the list did move.
// Prints the median and mean of FRAMES frames (default 120), and the median of building
// ImGui's draw lists alone (the same frames, not rasterised).
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "core/session.h"
#include "kiosk/app.h"
#include "kiosk/content.h"
#include "kiosk/embedded.h"
#include "kiosk/window.h"

using namespace kiosk;

int main(int argc, char** argv) {
  ui::Renderer renderer = ui::Renderer::Software;
  int frames = 120, w = 1080, h = 1920;
  std::string png;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--renderer") == 0 && i + 1 < argc) {
      if (!ui::parse_renderer(argv[++i], &renderer))
        return std::fprintf(stderr, "frame_bench: --renderer software|gpu\n"), 2;
    } else if (std::strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
      if (std::sscanf(argv[++i], "%dx%d", &w, &h) != 2 || w < 200 || h < 200 || w > 8192 ||
          h > 8192)
        return std::fprintf(stderr, "frame_bench: --size WxH, e.g. 3840x2160\n"), 2;
    } else if (std::strcmp(argv[i], "--png") == 0 && i + 1 < argc) {
      png = argv[++i];
    } else {
      frames = std::max(1, std::atoi(argv[i]));
    }
  }
  setenv("SDL_VIDEODRIVER", "offscreen", 0);
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

  // The finger: pressed at 70% of the screen's height, then dragged up to 30% and back
  // down, 2% of the height per frame: the list scrolls down by up to 40% of the screen and
  // back up, a step every frame.
  ImGuiIO& io = ImGui::GetIO();
  const float x = w * 0.5f, top = h * 0.3f, bottom = h * 0.7f, step = h * 0.02f;
  float y = bottom, dir = -1;
  auto draw = [&](bool present) {
    // window.begin_frame(), with the finger put in between: the SDL backend sets the mouse
    // from SDL's state, which a hidden window does not have.
    ImGui_ImplSDL2_NewFrame();
    io.MousePos = ImVec2(x, y);
    io.MouseDown[0] = true;
    y += dir * step;
    if (y > bottom || y < top) dir = -dir, y = std::clamp(y, top, bottom);
    ImGui::NewFrame();
    app.frame(float(w), float(h), 0.0, app.today());
    window.end_frame(present);
  };
  using clock = std::chrono::steady_clock;
  // CPU time of this thread (which draws too) as well as wall time: on a machine shared
  // with other work, wall time also counts the waits for a core.
  auto cpu_ms = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
  };
  std::vector<double> cpu;
  auto time_frames = [&](bool present) {
    std::vector<double> ms;
    cpu.clear();
    for (int i = 0; i < frames; ++i) {
      auto t0 = clock::now();
      const double c0 = cpu_ms();
      draw(present);
      cpu.push_back(cpu_ms() - c0);
      ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
    }
    return ms;
  };
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  };
  // Layouts and glyphs cached, as after the first frames of a screen; the drag under way.
  for (int i = 0; i < 10; ++i) draw(true);
  const std::vector<double> ui_only = time_frames(false);
  const std::vector<double> ui_cpu = cpu;
  const std::vector<double> whole = time_frames(true);
  const double mean = std::accumulate(whole.begin(), whole.end(), 0.0) / whole.size();
  std::printf(
      "%s renderer (%s), result screen %dx%d ar, drag scrolling, %d frames: median %.2f ms "
      "per frame (mean %.2f; CPU time median %.2f), of which building the draw lists %.2f "
      "(CPU %.2f)\n",
      renderer == ui::Renderer::Software ? "software" : "gpu", window.renderer_name().c_str(), w, h,
      frames, median(whole), mean, median(cpu), median(ui_only), median(ui_cpu));
  if (!png.empty() && !ui::write_png(png, window.read_pixels(w, h), w, h, &error))
    return std::fprintf(stderr, "frame_bench: %s\n", error.c_str()), 1;
  return 0;
}
