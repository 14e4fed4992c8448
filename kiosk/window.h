// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk/window.h: the SDL2 window, its SDL_Renderer, Dear ImGui's SDL2 input backend and our
// own drawing of ImGui's draw lists, and reading a frame back into a PNG.
//
// Two renderers behind one path (SDL_RenderGeometry draws ImGui's triangles on both):
// - software (default): SDL's CPU renderer into the window surface. No GPU driver is loaded,
//   so a spare PC without working graphics drivers still runs the kiosk, it starts in tens of
//   milliseconds and takes a fraction of the memory of Mesa's llvmpipe. The kiosk draws only
//   when something changes, so CPU drawing costs nothing while idle.
// - gpu: SDL's accelerated renderer (OpenGL), for large displays or smooth drag scrolling.
// Headless screenshots use SDL's "offscreen" video driver: no X server needed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "kiosk/text/text_engine.h"

struct SDL_Window;
struct SDL_Renderer;
struct SDL_Texture;

namespace kiosk::ui {

// The software renderer's copies of glyph pages: texture -> alpha, size x size bytes.
using GlyphPages = std::unordered_map<SDL_Texture*, std::vector<uint8_t>>;

enum class Renderer { Software, Gpu };

struct WindowOptions {
  int width = 1080, height = 1920;
  bool fullscreen = false;
  bool hidden = false;  // screenshots and scripts
  Renderer renderer = Renderer::Software;
};

// "software" / "gpu" to a Renderer; false for anything else.
bool parse_renderer(const std::string& name, Renderer* out);

class Window {
 public:
  ~Window();
  // Creates the window; on failure returns false with a one-line reason (never a raw
  // SDL error alone).
  bool open(const WindowOptions& options, std::string* error);
  // Starts an ImGui frame (feeds SDL input to ImGui first).
  void begin_frame();
  // Ends the ImGui frame; with `present`, draws it and shows it. Without (screenshots,
  // scripts), nothing is drawn unless read_pixels() asks: frames that only settle layout
  // cost no rasterising.
  void end_frame(bool present = true);
  // Drawable size in pixels.
  void size(int* w, int* h) const;
  // The last frame as top-down RGBA (drawn now if it was not yet).
  std::vector<unsigned char> read_pixels(int w, int h);
  // How the text engine's glyph atlas becomes textures of this window's renderer.
  text::TextureHooks texture_hooks();
  const std::string& video_driver() const { return driver_; }
  const std::string& renderer_name() const { return renderer_name_; }
  SDL_Window* sdl() const { return window_; }

 private:
  void rasterise();

  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  SDL_Texture* font_texture_ = nullptr;
  std::string driver_, renderer_name_;
  bool imgui_ready_ = false;
  bool software_ = false;
  bool rasterised_ = false;
  // Cleared on destruction: textures die with the renderer, so later destroy hooks do nothing.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::shared_ptr<GlyphPages> glyph_pages_ = std::make_shared<GlyphPages>();
};

// Writes an opaque frame (RGBA pixels, alpha ignored) as an RGB PNG atomically (temporary
// file, then rename). One-line error.
bool write_png(const std::string& path, const std::vector<unsigned char>& rgba, int w, int h,
               std::string* error);

// Checks that `path` can be written (creates then removes it); one-line error otherwise.
bool check_writable(const std::string& path, std::string* error);

}  // namespace kiosk::ui
