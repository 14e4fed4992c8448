// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk/ui.h: the kiosk's own small widget layer over ImGui's draw lists.
//
// Why not ImGui's widgets: every user-facing string must go through the text engine
// (shaping, bidi, line breaking), whole screens mirror for right-to-left languages, and
// every tappable element needs a stable name so scripted tests can tap it ("lang.ne").
// So screens lay out rectangles in *logical* coordinates (x grows from the start edge)
// and Ui maps them to the screen, mirrored when the language is right-to-left.
//
// Touch rules: every target is at least kMinTouchPx tall (64 px at 1080p, about 9 mm),
// tapping is enough (no hover, no long-press), a press that moves more than kDragSlopPx
// becomes a scroll and does not tap.
#pragma once

#include <imgui.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/text/text_engine.h"

namespace kiosk::ui {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
  float right() const { return x + w; }
  float bottom() const { return y + h; }
  bool contains(ImVec2 p) const { return p.x >= x && p.x < x + w && p.y >= y && p.y < y + h; }
};

struct Theme {
  ImU32 background, surface, surface_pressed, text, text_muted, accent, accent_text, border;
  ImU32 ready, action, blocker;  // verdict colours; never the only signal (icons + words too)
};
Theme theme_normal();
Theme theme_high_contrast();

// Text sizes the user can pick (accessibility). Index 0..2.
constexpr int kTextSizes = 3;
float text_scale(int text_size_index);

// What a scripted test or a screenshot can learn about the last frame.
struct Element {
  std::string id;     // stable name, e.g. "lang.ne", "answer.yes", "nav.back"
  std::string label;  // what it says, in the current language
  Rect rect;          // on screen (physical, after mirroring)
  bool enabled = true;
};

enum class ButtonKind { Primary, Secondary, Choice, ChoiceSelected, Quiet };
enum class Icon { None, Back, Next, Home, Help, End, Check, Warning, Stop, Info, Print, Speaker };

class Ui {
 public:
  explicit Ui(text::TextEngine& text) : text_(text) {}

  // Per-frame setup: screen size, language and direction, accessibility choices.
  void begin_frame(float width, float height, const std::string& lang, bool rtl, int text_size,
                   bool high_contrast);
  void end_frame();

  // --- geometry ---------------------------------------------------------------------------
  float width() const { return width_; }
  float height() const { return height_; }
  float unit() const { return unit_; }       // base spacing, scales with the screen
  float touch() const { return touch_px_; }  // minimum touch target height
  float font(float em) const;                // em -> px for the current text size
  bool rtl() const { return rtl_; }
  const std::string& lang() const { return lang_; }
  // Language of the text drawn next (e.g. each language's own name on the welcome screen);
  // empty restores the screen's language.
  void set_text_lang(std::string tag) { text_lang_ = std::move(tag); }
  const std::string& text_lang() const { return text_lang_.empty() ? lang_ : text_lang_; }
  const Theme& theme() const { return theme_; }
  text::TextEngine& text_engine() { return text_; }
  Rect to_screen(const Rect& logical) const;  // mirrors x when rtl

  // --- scrolling region -------------------------------------------------------------------
  // Content drawn between begin_scroll and end_scroll is clipped to `area` and scrolls by
  // dragging (and by the wheel). Returns the y where content starts (already scrolled).
  float begin_scroll(const char* id, const Rect& area);
  void end_scroll(float content_bottom);

  // --- drawing ----------------------------------------------------------------------------
  void fill(const Rect& logical, ImU32 color, float rounding = 0);
  // Lays out and draws text in the current language; returns its height.
  float label(std::string_view utf8, const Rect& logical, float em = 1.0f, bool bold = false,
              ImU32 color = 0, text::TextStyle::Align align = text::TextStyle::Start);
  float measure_height(std::string_view utf8, float width, float em = 1.0f, bool bold = false);
  float measure_width(std::string_view utf8, float em = 1.0f, bool bold = false);
  void icon(Icon icon, const Rect& logical, ImU32 color);

  // --- interaction ------------------------------------------------------------------------
  // A big tappable button. Returns true on the frame it is tapped.
  bool button(const char* id, std::string_view label, const Rect& logical,
              ButtonKind kind = ButtonKind::Secondary, Icon icon = Icon::None, bool enabled = true);
  // While a modal (the idle warning) is up, the screen under it takes no taps.
  void set_blocked(bool blocked) { blocked_ = blocked; }

  // Records a non-interactive text element so scripted tests can assert what is shown.
  void note_text(std::string_view utf8);

  // --- scripting ----------------------------------------------------------------------------
  const std::vector<Element>& elements() const { return last_elements_; }
  const std::vector<std::string>& texts() const { return last_texts_; }
  size_t text_count() const { return texts_.size(); }  // texts drawn so far this frame
  // Queues a tap on the named element for the next frame (scripted tests).
  void queue_tap(const std::string& id) { queued_tap_ = id; }
  bool tap_pending() const { return !queued_tap_.empty(); }
  // Text that did not fit where it was drawn in the last frame (a word wider than its box,
  // a label taller than its button): "cut: <text>" lines. Tests with the pseudo-locales fail
  // on any.
  const std::vector<std::string>& layout_problems() const { return last_problems_; }
  // True when any tap or drag happened this frame (for idle tracking).
  bool had_interaction() const { return interaction_; }

 private:
  bool pointer_released_inside(const Rect& screen_rect, const char* id);

  text::TextEngine& text_;
  ImDrawList* dl_ = nullptr;
  float width_ = 0, height_ = 0, unit_ = 8, touch_px_ = 64, scale_ = 1;
  int text_size_ = 1;
  bool rtl_ = false;
  std::string lang_, text_lang_;
  Theme theme_{};

  // Scrolling state per region id (persists between frames until the screen changes).
  struct ScrollState {
    std::string id;
    float offset = 0, max_offset = 0;
  };
  std::vector<ScrollState> scrolls_;
  ScrollState* active_scroll_ = nullptr;
  Rect scroll_area_;
  float scroll_origin_y_ = 0;

  // Pointer gesture: a press becomes a drag (scroll) once it moves past the slop.
  bool dragging_ = false;
  bool press_active_ = false;
  ImVec2 press_pos_{};
  float press_scroll_offset_ = 0;
  std::string press_scroll_id_;

  std::string queued_tap_;
  std::string tapping_now_;
  bool interaction_ = false;
  bool blocked_ = false;

  std::vector<Element> elements_, last_elements_;
  std::vector<std::string> texts_, last_texts_;
  std::vector<std::string> problems_, last_problems_;
};

}  // namespace kiosk::ui
