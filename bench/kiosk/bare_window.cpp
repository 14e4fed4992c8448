// SPDX-License-Identifier: GPL-3.0-or-later
// The baseline for bench/kiosk/run.sh: a bare SDL2 + Dear ImGui window with one line of
// ImGui's own text, drawn by the kiosk's window code (kiosk_window: same SDL renderer, same
// draw-list path) and nothing else of the kiosk: no pack, no fonts, no ICU.
//   bare_window [--renderer software|gpu] [--screenshot OUT.png]
// With --screenshot it renders one frame to a PNG and exits (like `kiosk --screenshot`);
// without, it runs until closed, sleeping between events.
#include <SDL.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "kiosk/window.h"

int main(int argc, char** argv) {
  std::string screenshot;
  kiosk::ui::Renderer renderer = kiosk::ui::Renderer::Software;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--screenshot") == 0) screenshot = argv[i + 1];
    if (std::strcmp(argv[i], "--renderer") == 0 &&
        !kiosk::ui::parse_renderer(argv[i + 1], &renderer))
      return 2;
  }
  if (!screenshot.empty()) setenv("SDL_VIDEODRIVER", "offscreen", 0);
  const int w = 1080, h = 1920;
  kiosk::ui::Window window;
  std::string error;
  if (!window.open({w, h, false, !screenshot.empty(), renderer}, &error)) {
    std::fprintf(stderr, "bare_window: %s\n", error.c_str());
    return 3;
  }
  for (int frames = 0;; ++frames) {
    SDL_Event e;
    if (screenshot.empty() && frames > 2 && SDL_WaitEventTimeout(&e, 60000)) {
      ImGui_ImplSDL2_ProcessEvent(&e);
      if (e.type == SDL_QUIT) break;
    }
    window.begin_frame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(float(w), float(h)));
    ImGui::Begin("bare", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::Text("Choose your language");
    ImGui::End();
    window.end_frame(screenshot.empty());
    if (!screenshot.empty() && frames == 1)
      return kiosk::ui::write_png(screenshot, window.read_pixels(w, h), w, h, &error) ? 0 : 1;
  }
  return 0;
}
