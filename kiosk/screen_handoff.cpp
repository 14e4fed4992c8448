// Hand-off to a help desk: the consent step and its outcome. It says who receives the item,
// shows exactly what is sent (the checklist, never the answers) and why, and gives the
// person a reference code to keep; nothing is stored until they tap "Yes, send".
#include <sstream>

#include "kiosk/app.h"
#include "kiosk/column.h"

namespace kiosk::ui {

// The reference code, big and alone on its line: the person copies it or photographs it.
static void draw_code(App& app, Column& col) {
  col.para(app.t("ui.handoff.code_label"));
  col.y += app.ui().label(app.visit().handoff_code, Rect{col.x, col.y, col.w, 0}, 2.2f, true,
                          app.ui().theme().text, text::TextStyle::Center);
  col.gap(1);
}

// What is sent, line by line on a panel, so it reads as a quote of the item.
static void draw_sent_text(App& app, Column& col, const std::string& text) {
  Ui& ui = app.ui();
  const float u = ui.unit();
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  float h = u;
  for (const auto& line : lines) h += ui.measure_height(line, col.w - 2 * u, 0.9f) + u / 2;
  ui.fill(Rect{col.x, col.y, col.w, h}, ui.theme().surface, u / 2);
  float y = col.y + u / 2;
  for (const auto& line : lines)
    y += ui.label(line, Rect{col.x + u, y, col.w - 2 * u, 0}, 0.9f) + u / 2;
  col.y += h + u;
}

static void draw_consent(App& app, Column& col) {
  col.heading(app.t("ui.handoff.title"));
  col.para(app.t("ui.handoff.who", {{"recipient", app.handoff_recipient()}}));
  col.para(app.t("ui.handoff.why"));
  col.para(app.t("ui.handoff.what"));
  draw_sent_text(app, col, app.handoff_text(app.visit().locale));
  draw_code(app, col);
  // Both buttons are drawn every frame; the answer is acted on after.
  bool yes = col.button("handoff.yes", app.t("ui.handoff.yes"), ButtonKind::Primary, Icon::Check);
  bool no = col.button("handoff.no", app.t("ui.handoff.no"), ButtonKind::Secondary, Icon::Back);
  if (yes)
    app.confirm_handoff();
  else if (no)
    app.decline_handoff();
}

static void draw_outcome(App& app, Column& col) {
  const Visit& v = app.visit();
  if (v.handoff == HandoffStep::Queued) {
    col.heading(app.t("ui.handoff.queued_title"));
    ConnectionState c = app.hooks.connection ? app.hooks.connection() : ConnectionState{};
    col.para(
        app.t(c.configured && c.online ? "ui.handoff.queued_online" : "ui.handoff.queued_offline"));
    draw_code(app, col);
  } else {
    col.heading(app.t("ui.handoff.failed_title"));
    col.para(app.t("ui.handoff.failed"));
  }
  if (col.button("handoff.done", app.t("ui.handoff.done"), ButtonKind::Primary, Icon::Back))
    app.go_back();
}

void draw_handoff(App& app, const Rect& area) {
  Ui& ui = app.ui();
  float y = ui.begin_scroll("handoff", area);
  Column col(ui, area, y + 2 * ui.unit());
  if (app.visit().handoff == HandoffStep::Asking)
    draw_consent(app, col);
  else if (app.visit().handoff != HandoffStep::None)
    draw_outcome(app, col);
  ui.end_scroll(col.y + ui.unit());
}

}  // namespace kiosk::ui
