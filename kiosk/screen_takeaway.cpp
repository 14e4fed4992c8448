// SPDX-License-Identifier: GPL-3.0-or-later
// Take-away: the checklist as a QR code (the data is inside the code; no server is asked),
// and a printout where a printer is configured. Nothing is kept after the session.
#include <cmath>

#include "kiosk/app.h"
#include "kiosk/checklist.h"
#include "kiosk/column.h"

namespace kiosk::ui {

static void draw_qr(Ui& ui, const QrCode& qr, const Rect& logical) {
  // A QR code is never mirrored: it must read the same in every language.
  const int quiet = 4;
  float module = std::floor(std::min(logical.w, logical.h) / float(qr.size + 2 * quiet));
  float side = module * (qr.size + 2 * quiet);
  Rect box = ui.to_screen(Rect{logical.x, logical.y, side, side});
  // Whole pixels: every module the same size and edge to edge, for cheap phone cameras.
  box.x = std::round(box.x);
  box.y = std::round(box.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(ImVec2(box.x, box.y), ImVec2(box.x + side, box.y + side), IM_COL32_WHITE);
  for (int y = 0; y < qr.size; ++y)
    for (int x = 0; x < qr.size; ++x)
      if (qr.dark[size_t(y) * qr.size + x]) {
        float px = box.x + (x + quiet) * module, py = box.y + (y + quiet) * module;
        dl->AddRectFilled(ImVec2(px, py), ImVec2(px + module, py + module), IM_COL32_BLACK);
      }
}

// The hand-off to a help desk: offered where an outbox is set up and something needs action;
// once queued, the reference code instead (it is also the last line of the checklist).
static void draw_handoff_offer(App& app, Column& col) {
  const Visit& v = app.visit();
  if (v.handoff == HandoffStep::Queued) {
    col.para(app.t("ui.takeaway.handoff_queued", {{"code", v.handoff_code}}), 1.0f,
             app.ui().theme().text);
    return;
  }
  if (!app.can_offer_handoff()) return;
  if (col.button("takeaway.handoff", app.t("ui.takeaway.handoff"), ButtonKind::Secondary,
                 Icon::Next))
    app.begin_handoff();
}

void draw_takeaway(App& app, const Rect& area) {
  Ui& ui = app.ui();
  Content& content = app.content();
  const core::Procedure* p = content.pack().find_procedure(app.visit().procedure_id);
  const float u = ui.unit();
  float y = ui.begin_scroll("takeaway", area);
  Column col(ui, area, y + 2 * u);
  col.heading(app.t("ui.takeaway.title"));
  if (!p) {
    ui.end_scroll(col.y);
    return;
  }
  // Once a hand-off is queued, its reference code is part of the checklist (QR and paper).
  Checklist c = app.visit_checklist(app.visit().locale);
  bool cut = false;
  std::string text = checklist_text(c, kQrComfortableBytes, &cut);
  QrCode qr = make_qr(text);
  col.para(app.t("ui.takeaway.qr_hint"));
  if (qr.size > 0) {
    float side = std::min(col.w, area.h * 0.55f);
    draw_qr(ui, qr, Rect{col.x + (col.w - side) / 2, col.y, side, side});
    ui.note_text(text);
    col.y += side + u;
  }
  if (cut) col.para(app.t("ui.takeaway.too_long_for_qr"), 0.9f, ui.theme().action);
  if (col.button("takeaway.print", app.t("ui.takeaway.print"), ButtonKind::Primary, Icon::Print,
                 !app.printing()))
    app.print_checklist();
  if (!app.visit().notice.empty()) col.para(app.visit().notice, 1.0f, ui.theme().text);
  draw_handoff_offer(app, col);
  col.gap(1);
  // What the code holds, readable here too.
  col.heading(c.title, 1.0f);
  for (const auto& t : c.todo) col.para(t, 0.9f);  // each line starts with its ✗ / ! / ✓ mark
  for (const auto& d : c.documents) col.para("☐ " + d, 0.9f);
  ui.end_scroll(col.y + u);
}

}  // namespace kiosk::ui
