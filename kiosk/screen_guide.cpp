// SPDX-License-Identifier: GPL-3.0-or-later
// Procedure guide: what it is, where to go, the steps, the documents (in the user's
// language with the official name in the office language, so the user can ask for exactly
// that paper), fees and deadlines with their sources, and where to get help.
#include <algorithm>

#include "kiosk/app.h"
#include "kiosk/column.h"

namespace kiosk::ui {

static void section(Column& col, const std::string& title) {
  col.gap(1);
  col.heading(title, 1.1f);
}

void draw_cited(App& app, Column& col, const core::CitedText& item) {
  Content& content = app.content();
  col.para(content.t(item.text_id));
  if (content.source_uncertain(item.source_id))
    col.para("⚠ " + content.t("ui.result.check_at_office"), 0.85f, app.ui().theme().action);
  col.para(content.source_line(item.source_id), 0.75f, app.ui().theme().text_muted);
}

void draw_help_place(App& app, Column& col, const std::string& help_id) {
  Content& content = app.content();
  const core::HelpPlace* h = content.pack().find_help(help_id);
  if (!h) return;
  col.para(content.t(h->name_id), 1.0f);
  if (!h->phone.empty()) col.para(content.t("ui.help.phone_line", {{"phone", h->phone}}), 0.95f);
  if (!h->hours_id.empty())
    col.para(content.t("ui.help.hours_line", {{"hours", content.t(h->hours_id)}}), 0.9f);
  if (!h->languages.empty()) {
    std::string names;
    for (const auto& tag : h->languages)
      names += (names.empty() ? "" : ", ") +
               core::language_name_in(tag, app.visit().locale.empty() ? "en" : app.visit().locale);
    col.para(content.t("ui.help.languages_line", {{"languages", names}}), 0.85f,
             app.ui().theme().text_muted);
  }
  col.gap(0.5f);
}

// Places to show for a list of help ids. A line with one number per language (the labour
// hotline has nine) shows once: the number in the user's language, else the office's.
std::vector<std::string> help_for_user(App& app, const std::vector<std::string>& ids) {
  const core::Pack& pack = app.content().pack();
  std::string user = app.visit().locale.substr(0, app.visit().locale.find('-'));
  const std::string& office = app.content().office_language();
  auto speaks = [](const core::HelpPlace& h, const std::string& lang) {
    for (const auto& l : h.languages)
      if (l == lang || l.rfind(lang + "-", 0) == 0) return true;
    return false;
  };
  std::vector<std::string> out;
  std::vector<std::string> names_done;
  for (const auto& id : ids) {
    const core::HelpPlace* h = pack.find_help(id);
    if (!h) continue;
    if (std::find(names_done.begin(), names_done.end(), h->name_id) != names_done.end()) continue;
    std::vector<const core::HelpPlace*> same;
    for (const auto& other : ids)
      if (const core::HelpPlace* o = pack.find_help(other); o && o->name_id == h->name_id)
        same.push_back(o);
    names_done.push_back(h->name_id);
    if (same.size() == 1) {
      out.push_back(id);
      continue;
    }
    const core::HelpPlace* pick = nullptr;
    for (auto* o : same)
      if (!pick && speaks(*o, user)) pick = o;
    for (auto* o : same)
      if (!pick && speaks(*o, office)) pick = o;
    out.push_back(pick ? pick->id : same.front()->id);
  }
  return out;
}

void draw_guide(App& app, const Rect& area) {
  Ui& ui = app.ui();
  Content& content = app.content();
  const core::Procedure* p = content.pack().find_procedure(app.visit().procedure_id);
  if (!p) {
    app.go(ScreenId::Procedures);
    return;
  }
  const float u = ui.unit();
  float y = ui.begin_scroll("guide", area);
  Column col(ui, area, y + 2 * u);
  col.heading(content.t(p->title_id));
  if (!p->official_name.empty()) {
    ui.set_text_lang(content.office_language());
    col.para(p->official_name, 0.9f, ui.theme().text_muted);
    ui.set_text_lang("");
  }
  col.para(content.t(p->summary_id));
  if (!p->check_id.empty()) {
    col.gap(0.5f);
    if (col.button("guide.start_check", app.t("ui.procedure.start_check"), ButtonKind::Primary,
                   Icon::Check)) {
      app.session().clear();
      app.visit().question_index = 0;
      app.visit().result.reset();
      app.go(ScreenId::Interview);
    }
  }
  if (!p->where_id.empty()) {
    section(col, app.t("ui.procedure.where"));
    col.para(content.t(p->where_id));
  }
  if (!p->step_ids.empty()) {
    section(col, app.t("ui.procedure.steps"));
    int n = 1;
    for (const auto& step : p->step_ids)
      col.para(std::to_string(n++) + ". " + content.t(step), 1.0f, 0, ui.unit());
  }
  if (!p->documents.empty()) {
    section(col, app.t("ui.procedure.documents"));
    for (const auto& d : p->documents) {
      col.para("• " + content.t(d.name_id), 1.0f, 0, ui.unit());
      if (!d.official_name.empty()) {
        ui.set_text_lang(content.office_language());
        col.para(d.official_name, 1.0f, ui.theme().accent, 3 * ui.unit());
        ui.set_text_lang("");
      }
      if (!d.note_id.empty())
        col.para(content.t(d.note_id), 0.85f, ui.theme().text_muted, 3 * ui.unit());
    }
  }
  if (!p->fees.empty()) {
    section(col, app.t("ui.procedure.fees"));
    for (const auto& f : p->fees) draw_cited(app, col, f);
  }
  if (!p->deadlines.empty()) {
    section(col, app.t("ui.procedure.deadlines"));
    for (const auto& d : p->deadlines) draw_cited(app, col, d);
  }
  if (!p->help_ids.empty()) {
    section(col, app.t("ui.procedure.help"));
    for (const auto& h : help_for_user(app, p->help_ids)) draw_help_place(app, col, h);
  }
  ui.end_scroll(col.y + u);
}

}  // namespace kiosk::ui
