// SPDX-License-Identifier: GPL-3.0-or-later
// Hand-off to a help desk: the consent step and its outcome. It says who receives the item,
// shows exactly what is sent (the checklist, never the answers) and why, and gives the
// person a reference code to keep; nothing is stored until they tap "Yes, send".
#include <algorithm>
#include <sstream>

#include "kiosk/app.h"
#include "kiosk/column.h"

namespace kiosk::ui {

// The reference code, big and alone on its line: the person copies it or photographs it.
static void draw_code(App& app, Column& col, bool with_label = true) {
  if (with_label) col.para(app.t("ui.handoff.code_label"));
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

// The consent text scrolls; the code and the two answers stay in view: beside the text on a
// landscape screen, in a bar at the bottom otherwise, so the person never has to find the
// buttons under a long checklist. Only where a bar would leave too little room to read what
// is sent does everything scroll together.
static void draw_consent(App& app, const Rect& area) {
  Ui& ui = app.ui();
  const float u = ui.unit();
  enum class Answers { Beside, Bar, Scrolling };
  Answers where = area.w >= area.h * 1.4f ? Answers::Beside : Answers::Bar;
  Rect text_area = area, answers_area = area;
  if (where == Answers::Beside) {
    // Text on the start side (mirrored by Ui for right-to-left), answers on the end side.
    Column whole(ui, area, 0, 140);
    text_area.w = whole.x - area.x + whole.w * 0.62f;
    answers_area.x = text_area.right() + u;
    answers_area.w = area.right() - answers_area.x;
  } else {
    Column probe(ui, area, 0);
    auto button_h = [&](const std::string& label) {
      return std::max(ui.touch(), ui.measure_height(label, probe.w - 4 * u) + u) + u;
    };
    const float bar_h = u + ui.measure_height(app.visit().handoff_code, probe.w, 2.2f, true) + u +
                        button_h(app.t("ui.handoff.yes")) + button_h(app.t("ui.handoff.no"));
    if (bar_h < area.h * 0.4f) {
      text_area.h -= bar_h;
      answers_area = Rect{area.x, text_area.bottom(), area.w, bar_h};
    } else {
      where = Answers::Scrolling;
    }
  }

  float y = ui.begin_scroll("handoff", text_area);
  Column col(ui, text_area, y + 2 * u, where == Answers::Beside ? 90 : 70);
  col.heading(app.t("ui.handoff.title"));
  col.para(app.t("ui.handoff.who", {{"recipient", app.handoff_recipient()}}));
  col.para(app.t("ui.handoff.why"));
  col.para(app.t("ui.handoff.what"));
  draw_sent_text(app, col, app.handoff_text(app.visit().locale));
  if (where == Answers::Bar) col.para(app.t("ui.handoff.code_label"));  // the code is below
  Column answers = col;
  if (where != Answers::Scrolling) {
    ui.end_scroll(col.y + u);
    if (where == Answers::Bar) {
      ui.fill(answers_area, ui.theme().surface);
      ui.fill(Rect{area.x, answers_area.y, area.w, std::max(2.0f, u / 6)}, ui.theme().border);
    }
    const Column placed(ui, answers_area, answers_area.y + (where == Answers::Bar ? u : 2 * u));
    answers.x = placed.x;
    answers.w = placed.w;
    answers.y = placed.y;
  }
  draw_code(app, answers, /*with_label=*/where != Answers::Bar);
  // Both buttons are drawn every frame; the answer is acted on after.
  bool yes =
      answers.button("handoff.yes", app.t("ui.handoff.yes"), ButtonKind::Primary, Icon::Check);
  bool no = answers.button("handoff.no", app.t("ui.handoff.no"), ButtonKind::Secondary, Icon::Back);
  if (where == Answers::Scrolling) ui.end_scroll(answers.y + u);
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
  if (app.visit().handoff == HandoffStep::Asking) return draw_consent(app, area);
  Ui& ui = app.ui();
  float y = ui.begin_scroll("handoff", area);
  Column col(ui, area, y + 2 * ui.unit());
  if (app.visit().handoff != HandoffStep::None) draw_outcome(app, col);
  ui.end_scroll(col.y + ui.unit());
}

}  // namespace kiosk::ui
