// kiosk/window.h: the SDL2 window, its OpenGL 3 context and Dear ImGui's backends, and
// reading a frame back into a PNG. Headless screenshots use SDL's "offscreen" video
// driver (EGL with Mesa's llvmpipe): no X server and no GPU needed.
#pragma once

#include <string>
#include <vector>

struct SDL_Window;

namespace kiosk::ui {

struct WindowOptions {
  int width = 1080, height = 1920;
  bool fullscreen = false;
  bool hidden = false;  // screenshots and scripts
};

class Window {
 public:
  ~Window();
  // Creates the window; on failure returns false with a one-line reason (never a raw
  // SDL error alone).
  bool open(const WindowOptions& options, std::string* error);
  // Starts an ImGui frame (feeds SDL input to ImGui first).
  void begin_frame();
  // Renders ImGui's draw data and swaps (unless `swap` is false: screenshots).
  void end_frame(bool swap = true);
  // Drawable size in pixels.
  void size(int* w, int* h) const;
  // The last rendered frame as top-down RGBA.
  std::vector<unsigned char> read_pixels(int w, int h) const;
  const std::string& video_driver() const { return driver_; }
  SDL_Window* sdl() const { return window_; }

 private:
  SDL_Window* window_ = nullptr;
  void* gl_ = nullptr;
  std::string driver_;
  bool imgui_ready_ = false;
};

// Writes RGBA pixels as PNG atomically (temporary file, then rename). One-line error.
bool write_png(const std::string& path, const std::vector<unsigned char>& rgba, int w, int h,
               std::string* error);

// Checks that `path` can be written (creates then removes it); one-line error otherwise.
bool check_writable(const std::string& path, std::string* error);

}  // namespace kiosk::ui
