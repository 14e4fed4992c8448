// SPDX-License-Identifier: GPL-3.0-or-later
// Staff mode, behind a PIN: pack versions, language coverage and translation status, sync
// status, outbox depth, last error. Reached by five taps on the top start corner or F12.
// Wrong PINs lock the pad for a time that doubles with each further failure.
#include <cmath>

#include "kiosk/app.h"
#include "kiosk/column.h"

namespace kiosk::ui {

static void draw_pin_pad(App& app, Column& col) {
  Ui& ui = app.ui();
  StaffState& s = app.staff();
  const float u = ui.unit();
  col.heading(app.staff_t("ui.staff.pin"), 1.1f);
  col.para(std::string(s.pin_entry.size(), '*') + " ", 1.4f);
  if (app.settings().staff_pin.empty()) {
    col.para(app.staff_t("ui.staff.disabled"), 0.9f, ui.theme().text_muted);
    return;
  }
  bool locked = app.now() < s.locked_until;
  if (locked) {
    int wait = static_cast<int>(std::ceil(s.locked_until - app.now()));
    col.para(app.staff_t("ui.staff.locked", {{"seconds", std::int64_t{wait}}}), 0.9f,
             ui.theme().action);
  }
  static const char* keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "OK"};
  float bw = std::min((col.w - 2 * u) / 3, ui.touch() * 2);
  for (int i = 0; i < 12; ++i) {
    Rect r{col.x + (i % 3) * (bw + u), col.y + (i / 3) * (ui.touch() + u), bw, ui.touch()};
    std::string id = std::string("pin.") + keys[i];
    if (!ui.button(id.c_str(), keys[i], r, ButtonKind::Secondary, Icon::None, !locked)) continue;
    if (keys[i][0] == 'C') {
      s.pin_entry.clear();
    } else if (keys[i][0] == 'O') {
      if (s.pin_entry == app.settings().staff_pin) {
        s.unlocked = true;
        s.failed_attempts = 0;
      } else if (++s.failed_attempts >= 3) {
        // 30 s after the third failure, doubling after each further one.
        s.locked_until = app.now() + 30.0 * std::pow(2.0, s.failed_attempts - 3);
      }
      s.pin_entry.clear();
    } else if (s.pin_entry.size() < 12) {
      s.pin_entry += keys[i];
    }
  }
  col.y += 4 * (ui.touch() + u);
}

// A problem staff must see without scrolling: a warning icon and the word "Problem" in bold,
// then the text, all in the blocker colour (the icon and the word carry it without colour).
static void draw_problem(App& app, Column& col, std::string_view text) {
  Ui& ui = app.ui();
  const float u = ui.unit();
  const ImU32 colour = ui.theme().blocker;
  const float icon_size = ui.font(1.0f);
  ui.icon(Icon::Warning, Rect{col.x, col.y, icon_size, icon_size}, colour);
  const float indent = icon_size + u;
  col.y += ui.label(app.staff_t("ui.staff.problem"), Rect{col.x + indent, col.y, col.w - indent, 0},
                    0.9f, true, colour);
  col.para(text, 0.9f, colour, indent);
}

void draw_staff(App& app, const Rect& area) {
  Ui& ui = app.ui();
  Content& content = app.content();
  const float u = ui.unit();
  float y = ui.begin_scroll("staff", area);
  Column col(ui, area, y + 2 * u);
  col.heading(app.staff_t("ui.staff.title"));
  if (!app.staff().unlocked) {
    draw_pin_pad(app, col);
    ui.end_scroll(col.y + u);
    return;
  }
  const core::Pack& pack = content.pack();
  col.para(app.staff_t("ui.staff.pack", {{"id", pack.manifest.id},
                                         {"version", pack.manifest.version},
                                         {"format", std::to_string(pack.manifest.format)}}));
  col.para(app.staff_t("ui.staff.app", {{"version", std::string(KIOSK_APP_VERSION)}}));
  // Problems come before the long language list, so staff see them without scrolling. The
  // details themselves are technical English, as in the journal.
  if (!app.staff().start_note.empty())
    draw_problem(app, col, app.staff_t("ui.staff.at_start", {{"note", app.staff().start_note}}));
  if (!content.last_error().empty())
    draw_problem(app, col,
                 app.staff_t("ui.staff.last_pack_error", {{"error", content.last_error()}}));
  for (const auto& line : app.staff_lines()) col.para(line, 0.9f);
  col.gap(1);
  col.heading(app.staff_t("ui.staff.languages"), 1.1f);
  for (const auto& lang : pack.manifest.languages) {
    const char* status = lang.status == core::TranslationStatus::Reviewed ? "ui.staff.reviewed"
                         : lang.status == core::TranslationStatus::Draft
                             ? "ui.staff.draft"
                             : "ui.staff.machine_translation";
    col.para(lang.tag + "  " + std::to_string(pack.completeness_percent(lang.tag)) + "%  " +
                 app.staff_t(status),
             0.85f);
  }
  col.para(app.staff_t("ui.staff.missing_this_run",
                       {{"count", static_cast<std::int64_t>(content.localizer().missing_count())}}),
           0.85f);
  ui.end_scroll(col.y + u);
}

}  // namespace kiosk::ui
