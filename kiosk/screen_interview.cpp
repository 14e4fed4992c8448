// SPDX-License-Identifier: GPL-3.0-or-later
// Readiness interview: one question per screen, big choices, "I don't know" where the
// pack allows it, progress, and a previous-question button. Dates and numbers are picked
// with steppers: nothing needs typing.
#include <algorithm>
#include <cmath>
#include <optional>

#include "kiosk/app.h"
#include "kiosk/column.h"

namespace kiosk::ui {

static void advance(App& app) {
  app.visit().question_index++;
  app.visit().picker_year = 0;  // the next date question starts from its own answer or today
  app.visit().picked_options.clear();
}

static void store(App& app, const std::string& qid, core::Answer answer) {
  // The kiosk only offers valid answers, so an error here is a programmer error; it is
  // logged without the answer and the question is asked again.
  if (app.session().set_answer(qid, std::move(answer))) return;
  advance(app);
}

static void init_pickers(App& app, const core::Question& q) {
  Visit& v = app.visit();
  if (v.picker_year != 0) return;
  core::Answer a = app.session().answer(q.id);
  core::Date d = a.kind == core::Answer::Date ? a.date : app.today();
  v.picker_year = d.year();
  v.picker_month = d.month();
  v.picker_day = d.day();
  v.picker_number = a.kind == core::Answer::Number ? a.number : (q.min ? *q.min : 0);
  v.picked_options = a.kind == core::Answer::Options ? a.options : std::vector<std::string>{};
}

// A stepper in a box of width `w` at (x, y): a caption, then [-] value [+], each a full touch
// target. Returns the change (-1, 0, +1); *height gets the height used.
static int stepper_at(App& app, float x, float y, float w, const std::string& id,
                      const std::string& value, const std::string& caption, float* height) {
  Ui& ui = app.ui();
  float top = y;
  if (!caption.empty())
    y += ui.label(caption, Rect{x, y, w, 0}, 0.85f, false, ui.theme().text_muted);
  float bw = ui.touch() * 1.2f;
  int delta = 0;
  if (ui.button((id + ".minus").c_str(), "−", Rect{x, y, bw, ui.touch()})) delta = -1;
  ui.label(value, Rect{x + bw + ui.unit(), y + ui.unit(), w - 2 * bw - 2 * ui.unit(), 0}, 1.2f,
           true, 0, text::TextStyle::Center);
  if (ui.button((id + ".plus").c_str(), "+", Rect{x + w - bw, y, bw, ui.touch()})) delta = 1;
  *height = y + ui.touch() + ui.unit() - top;
  return delta;
}

static int stepper(App& app, Column& col, const std::string& id, const std::string& value,
                   const std::string& caption = {}) {
  float h = 0;
  int d = stepper_at(app, col.x, col.y, col.w, id, value, caption, &h);
  col.y += h;
  return d;
}

static void clamp_picker_day(Visit& v) {
  while (!core::Date::from_ymd(v.picker_year, v.picker_month, v.picker_day) && v.picker_day > 28)
    v.picker_day--;
}

// Year and month steppers: side by side where the column is wide, stacked otherwise.
// Years are written without grouping ("2026", never "2,026").
static void year_and_month(App& app, Column& col) {
  Visit& v = app.visit();
  Ui& ui = app.ui();
  bool side_by_side = col.w >= ui.touch() * 8;
  float half = side_by_side ? (col.w - ui.unit() * 2) / 2 : col.w;
  float year_h = 0, month_h = 0;
  if (int d = stepper_at(app, col.x, col.y, half, "date.year", std::to_string(v.picker_year),
                         app.t("ui.answer.date_year"), &year_h)) {
    v.picker_year = std::clamp(v.picker_year + d, 1900, 2100);
    clamp_picker_day(v);
  }
  float month_x = side_by_side ? col.x + half + ui.unit() * 2 : col.x;
  float month_y = side_by_side ? col.y : col.y + year_h;
  if (int d = stepper_at(app, month_x, month_y, half, "date.month", std::to_string(v.picker_month),
                         app.t("ui.answer.date_month"), &month_h)) {
    v.picker_month = (v.picker_month - 1 + d + 12) % 12 + 1;
    clamp_picker_day(v);
  }
  col.y = side_by_side ? col.y + std::max(year_h, month_h) : month_y + month_h;
}

// Days: a grid of the month's days, one tap each (no 30 taps on a stepper).
static void day_grid(App& app, Column& col) {
  Visit& v = app.visit();
  Ui& ui = app.ui();
  col.y += ui.label(app.t("ui.answer.date_day"), Rect{col.x, col.y, col.w, 0}, 0.85f, false,
                    ui.theme().text_muted);
  int days_in_month = 28;
  while (days_in_month < 31 &&
         core::Date::from_ymd(v.picker_year, v.picker_month, days_in_month + 1))
    days_in_month++;
  const float gap = std::max(2.0f, ui.unit() / 4);
  float cell = (col.w - 6 * gap) / 7;
  float cell_h = std::max(ui.touch() * 0.75f, std::min(cell, ui.touch()));
  for (int day = 1; day <= days_in_month; ++day) {
    int i = day - 1;
    Rect r{col.x + (i % 7) * (cell + gap), col.y + (i / 7) * (cell_h + gap), cell, cell_h};
    std::string id = "date.day." + std::to_string(day);
    if (ui.button(id.c_str(), std::to_string(day), r,
                  day == v.picker_day ? ButtonKind::ChoiceSelected : ButtonKind::Choice))
      v.picker_day = day;
  }
  col.y += ((days_in_month + 6) / 7) * (cell_h + gap) + ui.unit();
}

// The whole date, written the way the user's language writes dates.
static void picked_date(App& app, Column& col) {
  const Visit& v = app.visit();
  col.para(app.content().localizer().format_date({v.picker_year, v.picker_month, v.picker_day},
                                                 core::DateStyle::Long),
           1.3f);
}

static void date_picker(App& app, Column& col) {
  year_and_month(app, col);
  day_grid(app, col);
  picked_date(app, col);
}

// On a landscape screen a date question uses two columns: the question, year, month and
// "I don't know" on the start side, the day grid, the picked date and "Next" beside them, so
// every button is on screen without scrolling. Returns the columns, or nothing where one column
// fits.
struct TwoColumns {
  Column start, days;
};
static std::optional<TwoColumns> landscape_columns(Ui& ui, const Rect& area, float y) {
  if (area.w < area.h * 1.4f) return std::nullopt;
  Column whole(ui, area, y, 140);
  const float gap = ui.unit() * 3;
  const float half = (whole.w - gap) / 2;
  TwoColumns c{whole, whole};
  c.start.w = c.days.w = half;
  c.days.x = whole.x + half + gap;
  return c;
}

void draw_interview(App& app, const Rect& area) {
  Ui& ui = app.ui();
  Content& content = app.content();
  Visit& v = app.visit();
  std::string check = app.current_check();
  std::vector<std::string> visible = app.session().visible_questions(check, app.today());
  if (check.empty() || v.question_index >= static_cast<int>(visible.size())) {
    app.evaluate_now();
    app.go(ScreenId::Result);
    return;
  }
  const core::Question* q = content.pack().find_question(visible[v.question_index]);
  init_pickers(app, *q);
  const float u = ui.unit();
  float y = ui.begin_scroll("interview", area);
  auto two =
      q->type == core::QuestionType::Date ? landscape_columns(ui, area, y + 2 * u) : std::nullopt;
  Column col = two ? two->start : Column(ui, area, y + 2 * u);

  // Progress: words and a bar (the bar alone would not tell a screen reader or a reader).
  std::string progress = app.t(
      "ui.check.progress",
      {{"current", std::int64_t{v.question_index + 1}}, {"total", std::int64_t(visible.size())}});
  col.para(progress, 0.85f, ui.theme().text_muted);
  float frac = float(v.question_index) / float(visible.size());
  ui.fill(Rect{col.x, col.y, col.w, u * 0.6f}, ui.theme().border, u * 0.3f);
  ui.fill(Rect{col.x, col.y, col.w * frac, u * 0.6f}, ui.theme().accent, u * 0.3f);
  col.gap(2);

  col.heading(content.t(q->text_id), 1.3f);
  if (!q->help_id.empty()) col.para(content.t(q->help_id), 0.95f, ui.theme().text_muted);
  col.gap(1);

  core::Answer current = app.session().answer(q->id);
  auto kind_for = [](bool selected) {
    return selected ? ButtonKind::ChoiceSelected : ButtonKind::Choice;
  };
  switch (q->type) {
    case core::QuestionType::YesNo:
      if (col.button("answer.yes", app.t("ui.answer.yes"),
                     kind_for(current.kind == core::Answer::Bool && current.boolean)))
        store(app, q->id, core::Answer::of_bool(true));
      if (col.button("answer.no", app.t("ui.answer.no"),
                     kind_for(current.kind == core::Answer::Bool && !current.boolean)))
        store(app, q->id, core::Answer::of_bool(false));
      break;
    case core::QuestionType::OneOf:
      for (const auto& o : q->options) {
        std::string id = "answer." + o.id;
        if (col.button(id.c_str(), content.t(o.text_id),
                       kind_for(current.kind == core::Answer::Option && current.option == o.id)))
          store(app, q->id, core::Answer::of_option(o.id));
      }
      break;
    case core::QuestionType::SeveralOf:
      for (const auto& o : q->options) {
        std::string id = "answer." + o.id;
        auto it = std::find(v.picked_options.begin(), v.picked_options.end(), o.id);
        bool picked = it != v.picked_options.end();
        if (col.button(id.c_str(), content.t(o.text_id), kind_for(picked))) {
          if (picked)
            v.picked_options.erase(it);
          else
            v.picked_options.push_back(o.id);
        }
      }
      col.gap(1);
      if (col.button("answer.done", app.t("ui.nav.next"), ButtonKind::Primary, Icon::Next))
        store(app, q->id, core::Answer::of_options(v.picked_options));
      break;
    case core::QuestionType::Date: {
      // Landscape: the day grid, the picked date and "Next" beside the question (reading order
      // question, year, month, day, next); "I don't know" stays under the month.
      Column& next_col = two ? two->days : col;
      if (two) {
        year_and_month(app, col);
        day_grid(app, two->days);
        picked_date(app, two->days);
      } else {
        date_picker(app, col);
      }
      next_col.gap(1);
      if (next_col.button("answer.done", app.t("ui.nav.next"), ButtonKind::Primary, Icon::Next)) {
        if (auto d = core::Date::from_ymd(v.picker_year, v.picker_month, v.picker_day))
          store(app, q->id, core::Answer::of_date(*d));
      }
      break;
    }
    case core::QuestionType::Number: {
      double step = 1;
      if (int d = stepper(app, col, "number", content.localizer().format_number(v.picker_number))) {
        v.picker_number += d * step;
        if (q->min) v.picker_number = std::max(v.picker_number, *q->min);
        if (q->max) v.picker_number = std::min(v.picker_number, *q->max);
      }
      col.gap(1);
      if (col.button("answer.done", app.t("ui.nav.next"), ButtonKind::Primary, Icon::Next))
        store(app, q->id, core::Answer::of_number(v.picker_number));
      break;
    }
  }
  if (q->allow_unknown) {
    col.gap(1);
    if (col.button("answer.unknown", app.t("ui.answer.unknown"),
                   kind_for(current.kind == core::Answer::Unknown)))
      store(app, q->id, core::Answer::dont_know());
  }
  if (v.question_index > 0) {
    col.gap(1);
    if (col.button("nav.prev_question", app.t("ui.nav.previous_question"), ButtonKind::Quiet,
                   Icon::Back)) {
      v.question_index--;
      v.picker_year = 0;
    }
  }
  ui.end_scroll(std::max(col.y, two ? two->days.y : 0.0f) + u);
}

}  // namespace kiosk::ui
