// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk/column.h: a vertical stack of content in a centred column of readable width, the
// layout every screen uses. Positions are logical (mirrored by Ui for right-to-left).
#pragma once

#include <algorithm>
#include <string_view>

#include "kiosk/ui.h"

namespace kiosk::ui {

struct Column {
  Ui& ui;
  float x = 0, w = 0, y = 0;

  // Centres a column of at most `max_w_units` * unit in `area`, starting at `y0`.
  Column(Ui& ui_, const Rect& area, float y0, float max_w_units = 70) : ui(ui_), y(y0) {
    float margin = ui.unit() * 1.5f;
    w = std::min(area.w - 2 * margin, ui.unit() * max_w_units);
    x = area.x + (area.w - w) / 2;
  }
  void gap(float units = 1) { y += ui.unit() * units; }
  float right() const { return x + w; }
  float heading(std::string_view text, float em = 1.4f) {
    y += ui.label(text, Rect{x, y, w, 0}, em, true);
    gap(0.75f);
    return y;
  }
  float para(std::string_view text, float em = 1.0f, ImU32 color = 0, float indent = 0) {
    y += ui.label(text, Rect{x + indent, y, w - indent, 0}, em, false, color);
    gap(0.5f);
    return y;
  }
  bool button(const char* id, std::string_view label, ButtonKind kind = ButtonKind::Secondary,
              Icon icon = Icon::None, bool enabled = true) {
    // Tall enough for the touch target and for two lines of a long label.
    float h = std::max(ui.touch(), ui.measure_height(label, w - 4 * ui.unit()) + ui.unit());
    bool tapped = ui.button(id, label, Rect{x, y, w, h}, kind, icon, enabled);
    y += h + ui.unit();
    return tapped;
  }
};

}  // namespace kiosk::ui
