// SPDX-License-Identifier: GPL-3.0-or-later
// Help: where to ask, from the pack: phone lines and centres with their languages and hours.
#include "kiosk/app.h"
#include "kiosk/column.h"

namespace kiosk::ui {

void draw_help(App& app, const Rect& area) {
  Ui& ui = app.ui();
  const float u = ui.unit();
  float y = ui.begin_scroll("help", area);
  Column col(ui, area, y + 2 * u);
  col.heading(app.t("ui.help.title"));
  col.para(app.t("ui.help.intro"), 0.95f, ui.theme().text_muted);
  col.gap(1);
  std::vector<std::string> ids;
  for (const auto& h : app.content().pack().help) ids.push_back(h.id);
  for (const auto& h : help_for_user(app, ids)) draw_help_place(app, col, h);
  ui.end_scroll(col.y + u);
}

}  // namespace kiosk::ui
