// SPDX-License-Identifier: GPL-3.0-or-later
// Anonymous counts, said to the visitor (docs/counts.md): a one-line notice on the welcome and
// procedure screens, and a page that lists exactly what is counted, what never is, how the
// numbers are protected and what they are for. Shown only where the office turned counts on.
#include "kiosk/app.h"
#include "kiosk/column.h"

namespace kiosk::ui {

void draw_counts_notice(App& app, Column& col, const std::string& lang) {
  if (!app.hooks.count_visit) return;
  Ui& ui = app.ui();
  Content& content = app.content();
  ui.set_text_lang(lang);
  ui.icon(Icon::Info, Rect{col.x, col.y, ui.font(1.0f), ui.font(1.0f)}, ui.theme().text_muted);
  col.para(content.t_in(lang, "ui.counts.notice"), 0.85f, ui.theme().text_muted,
           ui.font(1.0f) + ui.unit());
  ui.set_text_lang("");
}

// The button to the page: its label in every language given (the welcome screen's two).
static void draw_more_button(App& app, Column& col, const std::vector<std::string>& langs) {
  if (!app.hooks.count_visit) return;
  std::string label;
  for (const auto& l : langs) {
    std::string text = app.content().t_in(l, "ui.counts.more");
    if (label.find(text) == std::string::npos) label += (label.empty() ? "" : " · ") + text;
  }
  if (col.button("counts.more", label, ButtonKind::Secondary, Icon::Info)) app.go(ScreenId::Counts);
}

void draw_counts_notice(App& app, Column& col, const std::vector<std::string>& langs) {
  for (const auto& l : langs) draw_counts_notice(app, col, l);
  draw_more_button(app, col, langs);
}

// The page in the visitor's language, or before one is chosen in the office's and the base
// language (as the welcome screen speaks).
static std::vector<std::string> page_languages(App& app) {
  if (!app.visit().locale.empty()) return {app.visit().locale};
  const std::string& office = app.content().office_language();
  const std::string& base = app.content().pack().manifest.base_language;
  if (office == base) return {office};
  return {office, base};
}

void draw_counts(App& app, const Rect& area) {
  Ui& ui = app.ui();
  Content& content = app.content();
  const float u = ui.unit();
  float y = ui.begin_scroll("counts", area);
  Column col(ui, area, y + 2 * u);
  for (const std::string& lang : page_languages(app)) {
    auto t = [&](const char* id) { return content.t_in(lang, id); };
    ui.set_text_lang(lang);
    col.heading(t("ui.counts.title"));
    col.para(t("ui.counts.intro"));
    col.para(t("ui.counts.what"), 1.0f, 0, 0);
    for (const char* item :
         {"ui.counts.item.visits", "ui.counts.item.procedures", "ui.counts.item.findings"})
      col.para("• " + t(item), 1.0f, 0, u);
    col.gap(0.5f);
    col.para(t("ui.counts.never"));
    col.para(t("ui.counts.protect"));
    col.para(t("ui.counts.why"), 1.0f, ui.theme().text_muted);
    col.gap(1.5f);
    ui.set_text_lang("");
  }
  ui.end_scroll(col.y + u);
}

}  // namespace kiosk::ui
