// SPDX-License-Identifier: GPL-3.0-or-later
// Procedure list: every procedure of the pack as a card (title and summary), in the
// visit's language; the pack's notice (e.g. "demonstration content") and a draft-translation
// warning on top, so nobody mistakes a draft for official advice.
#include "core/search.h"
#include "kiosk/app.h"
#include "kiosk/column.h"

namespace kiosk::ui {

static void draw_notices(App& app, Column& col) {
  Content& content = app.content();
  Ui& ui = app.ui();
  const core::Manifest& m = content.pack().manifest;
  if (!m.notice_id.empty()) {
    ui.icon(Icon::Info, Rect{col.x, col.y, ui.font(1.0f), ui.font(1.0f)}, ui.theme().text_muted);
    col.para(content.t(m.notice_id), 0.85f, ui.theme().text_muted, ui.font(1.0f) + ui.unit());
  }
  const core::LanguageInfo* info = content.language_info(app.visit().locale);
  if (info && info->status != core::TranslationStatus::Reviewed) {
    col.para(content.t("ui.pack.draft_translation"), 0.85f, ui.theme().text_muted,
             ui.font(1.0f) + ui.unit());
  }
  col.gap(0.5f);
}

void draw_procedures(App& app, const Rect& area) {
  Ui& ui = app.ui();
  Content& content = app.content();
  const float u = ui.unit();
  float y = ui.begin_scroll("procedures", area);
  Column col(ui, area, y + 2 * u);
  col.heading(app.t("ui.procedures.title"));
  draw_notices(app, col);
  draw_counts_notice(app, col, std::vector<std::string>{app.visit().locale});
  // Search (keyboard optional): tolerant of accents, case and full-width characters.
  std::string& query = app.visit().search;
  {
    std::string shown = query.empty() ? app.t("ui.procedures.search_hint") : query + "|";
    float h = std::max(ui.touch() * 0.8f, ui.measure_height(shown, col.w - 3 * u - ui.touch()) + u);
    ui.fill(Rect{col.x, col.y, col.w - ui.touch() - u, h}, ui.theme().surface, u * 0.5f);
    ui.label(shown, Rect{col.x + u, col.y + u / 2, col.w - 3 * u - ui.touch(), 0}, 1.0f, false,
             query.empty() ? ui.theme().text_muted : ui.theme().text);
    if (ui.button("search.clear", "×", Rect{col.right() - ui.touch(), col.y, ui.touch(), h},
                  ButtonKind::Secondary, Icon::None, !query.empty()))
      query.clear();
    col.y += h + u;
  }
  int shown_count = 0;
  for (const core::Procedure& p : content.pack().procedures) {
    std::string title = content.t(p.title_id);
    std::string summary = content.t(p.summary_id);
    if (!query.empty() && !core::matches(title + "\n" + summary + "\n" + p.official_name, query))
      continue;
    shown_count++;
    float pad = u;
    float th = ui.measure_height(title, col.w - 2 * pad, 1.1f, true);
    float sh = ui.measure_height(summary, col.w - 2 * pad, 0.9f);
    float h = std::max(ui.touch(), th + sh + 3 * pad);
    std::string id = "proc." + p.id;
    Rect card{col.x, col.y, col.w, h};
    // The whole card is the touch target; its text is drawn on top.
    if (ui.button(id.c_str(), "", card, ButtonKind::Secondary)) {
      app.visit().procedure_id = p.id;
      app.go(ScreenId::Guide);
    }
    ui.label(title, Rect{col.x + pad, col.y + pad, col.w - 2 * pad, 0}, 1.1f, true);
    ui.label(summary, Rect{col.x + pad, col.y + 2 * pad + th, col.w - 2 * pad, 0}, 0.9f, false,
             ui.theme().text_muted);
    col.y += h + u;
  }
  if (shown_count == 0) col.para(app.t("ui.procedures.none_found", {{"query", query}}));
  // Connection, calmly: the kiosk works the same offline; this only says how fresh it is.
  if (app.hooks.connection) {
    ConnectionState c = app.hooks.connection();
    if (c.configured) {
      std::string line = c.online ? "● " + app.t("ui.online") : "○ " + app.t("ui.offline");
      if (c.last_update)
        line += " · " + app.t("ui.last_sync", {{"date", to_civil(*c.last_update)}});
      col.para(line, 0.8f, ui.theme().text_muted);
    }
  }
  ui.end_scroll(col.y + u);
}

}  // namespace kiosk::ui
