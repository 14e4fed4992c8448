// SPDX-License-Identifier: GPL-3.0-or-later
// Welcome: a grid of languages, each by its own name in its own script. No flags:
// languages are not countries.
#include <algorithm>
#include <cmath>

#include "kiosk/app.h"
#include "kiosk/column.h"

namespace kiosk::ui {

void draw_welcome(App& app, const Rect& area) {
  Ui& ui = app.ui();
  Content& content = app.content();
  const float u = ui.unit();
  float y = ui.begin_scroll("welcome", area);
  Column col(ui, area, y + 2 * u, 110);
  // The prompt in the office language and the base language: whoever stands here reads
  // at least one of them, and every button below reads in its own language anyway.
  const std::string& office = content.office_language();
  const std::string& base = content.pack().manifest.base_language;
  ui.set_text_lang(office);
  col.heading(content.t_in(office, "ui.welcome.title"), 1.3f);
  ui.set_text_lang(base);
  if (base != office) col.heading(content.t_in(base, "ui.welcome.title"), 1.3f);
  ui.set_text_lang("");
  // Before anyone answers anything: anonymous counts are kept (where the office turned them on).
  draw_counts_notice(
      app, col,
      base == office ? std::vector<std::string>{office} : std::vector<std::string>{office, base});
  col.gap(1);

  const auto& langs = content.languages();
  float min_w = std::max(ui.touch() * 2.8f, 260.0f * ui.unit() / 16.0f);
  int columns = std::clamp(static_cast<int>((col.w + u) / (min_w + u)), 1, 4);
  float bw = (col.w - (columns - 1) * u) / columns;
  float bh = ui.touch() * 1.1f;
  for (size_t i = 0; i < langs.size(); ++i) {
    const std::string& tag = langs[i];
    int r = static_cast<int>(i) / columns, c = static_cast<int>(i) % columns;
    Rect cell{col.x + c * (bw + u), col.y + r * (bh + u), bw, bh};
    std::string id = "lang." + tag;
    // Each name is laid out in its own language, so its script gets the right font.
    ui.set_text_lang(tag);
    bool tapped = ui.button(id.c_str(), core::language_name(tag), cell, ButtonKind::Secondary);
    ui.set_text_lang("");
    if (tapped) {
      app.visit().locale = tag;
      content.localizer().set_locale(tag);
      app.go(ScreenId::Procedures);
    }
  }
  int rows = (static_cast<int>(langs.size()) + columns - 1) / columns;
  col.y += rows * (bh + u);
  ui.end_scroll(col.y + u);
}

}  // namespace kiosk::ui
