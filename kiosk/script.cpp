// SPDX-License-Identifier: GPL-3.0-or-later
#include "kiosk/script.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "kiosk/app.h"
#include "kiosk/window.h"

namespace kiosk::ui {

namespace {

struct Runner {
  App& app;
  Window& window;
  int width, height;
  core::Date today;
  double clock = 0;

  void frame() {
    // Frames until the picture is current (a frame that switches screens draws the old one).
    for (int i = 0; i < 6; ++i) {
      window.begin_frame();
      app.frame(float(width), float(height), clock, today);
      window.end_frame(false);
      if (!app.take_redraw_request()) break;
    }
  }
  bool has_element(const std::string& id) const {
    for (const auto& e : app.ui().elements())
      if (e.id == id && e.enabled) return true;
    return false;
  }
  bool has_text(const std::string& needle) const {
    for (const auto& t : app.ui().texts())
      if (t.find(needle) != std::string::npos) return true;
    for (const auto& e : app.ui().elements())
      if (e.label.find(needle) != std::string::npos) return true;
    return false;
  }
  void dump() const {
    std::printf("screen %s\n", screen_name(app.screen()));
    for (const auto& e : app.ui().elements())
      std::printf("  element %s%s \"%s\"\n", e.id.c_str(), e.enabled ? "" : " (disabled)",
                  e.label.c_str());
    for (const auto& t : app.ui().texts()) std::printf("  text \"%s\"\n", t.c_str());
  }
};

}  // namespace

int run_script(App& app, Window& window, const std::string& path, int width, int height,
               core::Date today) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "kiosk: cannot read script %s\n", path.c_str());
    return 2;
  }
  Runner r{app, window, width, height, today};
  app.note_input(0);
  r.frame();
  r.frame();
  std::string line;
  int line_no = 0;
  auto fail = [&](const std::string& msg) {
    std::fprintf(stderr, "%s:%d: %s\n", path.c_str(), line_no, msg.c_str());
    r.dump();
    return 1;
  };
  while (std::getline(in, line)) {
    ++line_no;
    size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    std::string cmd = line.substr(start, line.find_first_of(" \t", start) - start);
    size_t arg_start = line.find_first_not_of(" \t", start + cmd.size());
    std::string arg = arg_start == std::string::npos ? "" : line.substr(arg_start);
    while (!arg.empty() && (arg.back() == '\r' || arg.back() == ' ')) arg.pop_back();

    if (cmd == "tap") {
      if (!r.has_element(arg))
        return fail("no element \"" + arg + "\" on screen " + screen_name(app.screen()));
      app.ui().queue_tap(arg);
      r.clock += 0.5;
      r.frame();  // the tap is handled
      r.frame();  // the new screen is laid out and recorded
    } else if (cmd == "expect-screen") {
      if (arg != screen_name(app.screen()))
        return fail("expected screen " + arg + ", got " + screen_name(app.screen()));
    } else if (cmd == "expect-text") {
      if (!r.has_text(arg)) return fail("no text containing \"" + arg + "\"");
    } else if (cmd == "expect-no-text") {
      if (r.has_text(arg)) return fail("unexpected text containing \"" + arg + "\"");
    } else if (cmd == "expect-element") {
      if (!r.has_element(arg)) return fail("no element \"" + arg + "\"");
    } else if (cmd == "advance") {
      char* end = nullptr;
      double s = std::strtod(arg.c_str(), &end);
      if (end == arg.c_str() || s < 0) return fail("advance needs seconds");
      r.clock += s;
      r.frame();
      r.frame();
    } else if (cmd == "screenshot") {
      r.frame();
      std::string error;
      if (!write_png(arg, window.read_pixels(width, height), width, height, &error))
        return fail(error);
    } else if (cmd == "expect-disabled") {
      bool found = false;
      for (const auto& e : app.ui().elements())
        if (e.id == arg) found = true, found = found && !e.enabled;
      if (!found) return fail("expected \"" + arg + "\" on screen and disabled");
    } else if (cmd == "expect-left" || cmd == "expect-right") {
      // Physical side of an element: right-to-left screens mirror (back on the right).
      const Element* found = nullptr;
      for (const auto& e : app.ui().elements())
        if (e.id == arg) found = &e;
      if (!found) return fail("no element \"" + arg + "\"");
      bool left = found->rect.x + found->rect.w / 2 < width / 2.0f;
      if (left != (cmd == "expect-left"))
        return fail(arg + " is on the " + (left ? "left" : "right"));
    } else if (cmd == "type") {
      app.type_text(arg);  // as SDL_TEXTINPUT from a keyboard
      r.frame();
    } else if (cmd == "backspace") {
      app.backspace();
      r.frame();
    } else if (cmd == "set-staff-pin") {
      app.set_staff_pin(arg);
      r.frame();
    } else if (cmd == "open-staff") {
      app.go(ScreenId::Staff);  // what F12 or the five-tap corner gesture does
      r.frame();
      r.frame();
    } else if (cmd == "wait-for-text" || cmd == "wait-for-element") {
      // Real time, for what happens off the UI thread (a form read, an item delivered).
      const size_t space = arg.find(' ');
      char* end = nullptr;
      const double limit = std::strtod(arg.c_str(), &end);
      if (space == std::string::npos || end == arg.c_str() || limit <= 0)
        return fail(cmd + " needs seconds and what to wait for");
      const std::string what = arg.substr(space + 1);
      auto found = [&] { return cmd == "wait-for-text" ? r.has_text(what) : r.has_element(what); };
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limit);
      r.frame();
      while (!found() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        r.frame();
      }
      if (!found()) return fail("after " + arg.substr(0, space) + " s still no \"" + what + "\"");
    } else if (cmd == "dump") {
      r.dump();
    } else {
      return fail("unknown command \"" + cmd + "\"");
    }
  }
  return 0;
}

}  // namespace kiosk::ui
