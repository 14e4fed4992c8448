// SPDX-License-Identifier: GPL-3.0-or-later
// Result: the overall verdict first, then every finding that needs something, each with
// why, who must act, what to do, by when, where to get help and the source. Outcomes are
// shown by an icon, a word and a colour together, never by colour alone.
#include <algorithm>
#include <cmath>

#include "core/result_messages.h"
#include "kiosk/app.h"
#include "kiosk/checklist.h"
#include "kiosk/column.h"

namespace kiosk::ui {

Icon outcome_icon(core::Outcome o) {
  switch (o) {
    case core::Outcome::Ready:
      return Icon::Check;
    case core::Outcome::Action:
      return Icon::Warning;
    case core::Outcome::Blocker:
      return Icon::Stop;
    default:
      return Icon::Info;
  }
}

ImU32 outcome_colour(const Theme& t, core::Outcome o) {
  switch (o) {
    case core::Outcome::Ready:
      return t.ready;
    case core::Outcome::Action:
      return t.action;
    case core::Outcome::Blocker:
      return t.blocker;
    default:
      return t.text_muted;
  }
}

static void draw_finding(App& app, Column& col, const core::RuleResult& r) {
  Ui& ui = app.ui();
  Content& content = app.content();
  const float u = ui.unit();
  Args args = core::message_args(r);
  ImU32 colour = outcome_colour(ui.theme(), r.outcome);
  float top = col.y;
  // A coloured edge on the start side plus an icon and a word.
  float icon_size = ui.font(1.1f);
  ui.icon(outcome_icon(r.outcome), Rect{col.x + u, col.y, icon_size, icon_size}, colour);
  float indent = icon_size + 2 * u;
  col.y += ui.label(content.t(verdict_id(r.outcome) + ".short"),
                    Rect{col.x + indent, col.y, col.w - indent, 0}, 0.85f, true, colour);
  col.gap(0.3f);
  const bool unknown = r.waits_for_answer();
  if (unknown) {
    // The rule's message states a fact the user did not confirm; say what is missing instead.
    col.y += ui.label(content.t("ui.result.unknown_answer"),
                      Rect{col.x + indent, col.y, col.w - indent, 0}, 1.0f, true);
    col.gap(0.3f);
    if (const core::Question* q = content.pack().find_question(r.missing_question()))
      col.para(content.t(q->text_id), 1.0f, 0, indent);
  } else {
    col.y += ui.label(content.t(r.message_id, args), Rect{col.x + indent, col.y, col.w - indent, 0},
                      1.0f, true);
  }
  col.gap(0.5f);
  col.para(content.t(std::string("ui.result.responsible.") + core::responsible_name(r.responsible)),
           0.9f, 0, indent);
  if (!r.remedy_id.empty() && !unknown) {
    col.y += ui.label(content.t("ui.result.what_to_do"),
                      Rect{col.x + indent, col.y, col.w - indent, 0}, 0.9f, true);
    col.para(content.t(r.remedy_id, args), 0.95f, 0, indent);
  }
  if (r.deadline && !unknown)
    col.para(content.t("ui.result.by_when", {{"date", to_civil(*r.deadline)}}), 0.95f, colour,
             indent);
  if (content.source_uncertain(r.source_id))
    col.para("⚠ " + content.t("ui.result.check_at_office"), 0.85f, ui.theme().action, indent);
  col.para(content.source_line(r.source_id), 0.75f, ui.theme().text_muted, indent);
  if (!r.help_ids.empty()) {
    Column inner = col;
    inner.x += indent;
    inner.w -= indent;
    for (const auto& h : help_for_user(app, r.help_ids)) draw_help_place(app, inner, h);
    col.y = inner.y;
  }
  ui.fill(Rect{col.x, top, u * 0.4f, col.y - top}, colour);
  col.gap(1.5f);
}

void draw_result(App& app, const Rect& area) {
  Ui& ui = app.ui();
  Content& content = app.content();
  if (!app.visit().result) app.evaluate_now();
  const float u = ui.unit();
  float y = ui.begin_scroll("result", area);
  Column col(ui, area, y + 2 * u);
  col.heading(app.t("ui.result.title"));
  if (!app.visit().result) {
    col.para(app.t("ui.result.no_check"));
    ui.end_scroll(col.y + u);
    return;
  }
  const core::CheckResult& result = *app.visit().result;
  // Verdict banner.
  ImU32 colour = outcome_colour(ui.theme(), result.overall);
  std::string verdict = content.t(verdict_id(result.overall));
  float icon_size = ui.font(1.6f);
  float vh =
      std::max(icon_size, ui.measure_height(verdict, col.w - icon_size - 4 * u, 1.3f, true)) +
      2 * u;
  ui.fill(Rect{col.x, col.y, col.w, vh}, colour, u);
  ImU32 fg = app.visit().high_contrast ? ui.theme().text : IM_COL32(255, 255, 255, 255);
  ui.icon(outcome_icon(result.overall), Rect{col.x + u, col.y + u, icon_size, icon_size}, fg);
  ui.label(verdict, Rect{col.x + icon_size + 2 * u, col.y + u, col.w - icon_size - 3 * u, 0}, 1.3f,
           true, fg);
  col.y += vh + 2 * u;

  for (const core::RuleResult* r : findings_to_show(result)) draw_finding(app, col, *r);
  if (col.button("result.takeaway", app.t("ui.takeaway.title"), ButtonKind::Primary, Icon::Print))
    app.go(ScreenId::Takeaway);
  int ready = 0;
  for (const auto& r : result.rules) ready += r.outcome == core::Outcome::Ready;
  col.para(app.t("ui.result.ready_count", {{"count", std::int64_t{ready}}}), 0.85f,
           ui.theme().text_muted);
  col.para(app.t("ui.result.pack_version", {{"id", result.pack_id},
                                            {"version", result.pack_version},
                                            {"date", to_civil(result.today)}}),
           0.75f, ui.theme().text_muted);
  ui.end_scroll(col.y + u);
}

}  // namespace kiosk::ui
