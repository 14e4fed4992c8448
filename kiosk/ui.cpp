// SPDX-License-Identifier: GPL-3.0-or-later
#include "kiosk/ui.h"

#include <algorithm>
#include <cmath>

namespace kiosk::ui {

static constexpr float kDragSlopPx = 12.0f;

Theme theme_normal() {
  Theme t;
  // Contrast ratios against their backgrounds are >= 7:1 for text and >= 4.5:1 for the
  // white text on verdict colours (WCAG 2.2 AA asks 4.5:1).
  t.background = IM_COL32(246, 244, 239, 255);
  t.surface = IM_COL32(255, 255, 255, 255);
  t.surface_pressed = IM_COL32(221, 230, 243, 255);
  t.text = IM_COL32(26, 26, 26, 255);
  t.text_muted = IM_COL32(74, 74, 74, 255);
  t.accent = IM_COL32(23, 70, 135, 255);
  t.accent_text = IM_COL32(255, 255, 255, 255);
  t.border = IM_COL32(120, 120, 120, 255);
  t.ready = IM_COL32(27, 104, 50, 255);
  t.action = IM_COL32(138, 84, 0, 255);
  t.blocker = IM_COL32(170, 32, 26, 255);
  return t;
}

Theme theme_high_contrast() {
  Theme t;
  t.background = IM_COL32(0, 0, 0, 255);
  t.surface = IM_COL32(0, 0, 0, 255);
  t.surface_pressed = IM_COL32(60, 60, 0, 255);
  t.text = IM_COL32(255, 255, 255, 255);
  t.text_muted = IM_COL32(255, 255, 255, 255);
  t.accent = IM_COL32(255, 214, 0, 255);
  t.accent_text = IM_COL32(0, 0, 0, 255);
  t.border = IM_COL32(255, 255, 255, 255);
  t.ready = IM_COL32(0, 0, 0, 255);
  t.action = IM_COL32(0, 0, 0, 255);
  t.blocker = IM_COL32(0, 0, 0, 255);
  return t;
}

float text_scale(int text_size_index) {
  static const float scales[kTextSizes] = {1.0f, 1.25f, 1.5f};
  return scales[std::clamp(text_size_index, 0, kTextSizes - 1)];
}

void Ui::begin_frame(float width, float height, const std::string& lang, bool rtl, int text_size,
                     bool high_contrast) {
  width_ = width;
  height_ = height;
  lang_ = lang;
  rtl_ = rtl;
  text_size_ = text_size;
  theme_ = high_contrast ? theme_high_contrast() : theme_normal();
  // One design at 1080 px on the short side; phones (390 px wide) scale down, but touch
  // targets never drop under 48 px (about 9 mm on a phone's denser screen).
  float short_side = std::min(width, height);
  scale_ = std::clamp(short_side / 1080.0f, 0.36f, 2.0f);
  unit_ = std::max(4.0f, std::round(16.0f * scale_));
  touch_px_ = std::max(48.0f, std::round(96.0f * scale_));
  if (short_side >= 1000) touch_px_ = std::max(touch_px_, 64.0f);
  elements_.clear();
  texts_.clear();
  problems_.clear();
  interaction_ = false;

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, height));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
  ImGui::Begin("##kiosk", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  dl_ = ImGui::GetWindowDrawList();
  dl_->AddRectFilled(ImVec2(0, 0), ImVec2(width, height), theme_.background);

  ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsMouseClicked(0)) {
    press_active_ = true;
    dragging_ = false;
    press_pos_ = io.MousePos;
    press_scroll_id_.clear();
    interaction_ = true;
  }
  if (press_active_ && ImGui::IsMouseDown(0) &&
      std::fabs(io.MousePos.y - press_pos_.y) > kDragSlopPx * std::max(scale_, 0.5f)) {
    dragging_ = true;
  }
  if (io.MouseWheel != 0) interaction_ = true;
  tapping_now_ = queued_tap_;
  queued_tap_.clear();
}

void Ui::end_frame() {
  if (!ImGui::IsMouseDown(0) && !ImGui::IsMouseReleased(0)) press_active_ = false;
  ImGui::End();
  ImGui::PopStyleVar(2);
  last_elements_ = std::move(elements_);
  last_texts_ = std::move(texts_);
  last_problems_ = std::move(problems_);
  elements_.clear();
  texts_.clear();
  problems_.clear();
  tapping_now_.clear();
}

// Body text never drops under 16 px (a phone), the usual minimum for comfortable reading.
float Ui::font(float em) const {
  return std::round(std::max(34.0f * scale_, 16.0f) * text_scale(text_size_) * em);
}

Rect Ui::to_screen(const Rect& r) const {
  if (!rtl_) return r;
  return Rect{width_ - r.x - r.w, r.y, r.w, r.h};
}

float Ui::begin_scroll(const char* id, const Rect& area) {
  auto it = std::find_if(scrolls_.begin(), scrolls_.end(),
                         [&](const ScrollState& s) { return s.id == id; });
  if (it == scrolls_.end()) {
    scrolls_.push_back(ScrollState{id, 0, 0});
    it = scrolls_.end() - 1;
  }
  active_scroll_ = &*it;
  scroll_area_ = area;
  ImGuiIO& io = ImGui::GetIO();
  Rect screen = to_screen(area);
  if (press_active_ && press_scroll_id_.empty() && screen.contains(press_pos_)) {
    press_scroll_id_ = id;
    press_scroll_offset_ = it->offset;
  }
  if (dragging_ && press_scroll_id_ == id && ImGui::IsMouseDown(0)) {
    it->offset = press_scroll_offset_ - (io.MousePos.y - press_pos_.y);
  }
  if (io.MouseWheel != 0 && screen.contains(io.MousePos)) it->offset -= io.MouseWheel * unit_ * 6;
  it->offset = std::clamp(it->offset, 0.0f, it->max_offset);
  dl_->PushClipRect(ImVec2(screen.x, screen.y), ImVec2(screen.right(), screen.bottom()), true);
  scroll_origin_y_ = area.y - it->offset;
  return scroll_origin_y_;
}

void Ui::end_scroll(float content_bottom) {
  if (!active_scroll_) return;
  float content_height = content_bottom - scroll_origin_y_;
  active_scroll_->max_offset = std::max(0.0f, content_height - scroll_area_.h);
  active_scroll_->offset = std::clamp(active_scroll_->offset, 0.0f, active_scroll_->max_offset);
  dl_->PopClipRect();
  // A hint that more is below: a soft edge the user can drag (not the only signal: the cut
  // text itself shows it continues).
  if (active_scroll_->offset < active_scroll_->max_offset - 1) {
    Rect edge =
        to_screen(Rect{scroll_area_.x, scroll_area_.bottom() - unit_, scroll_area_.w, unit_});
    dl_->AddRectFilledMultiColor(ImVec2(edge.x, edge.y), ImVec2(edge.right(), edge.bottom()),
                                 theme_.background & 0x00FFFFFF, theme_.background & 0x00FFFFFF,
                                 theme_.border, theme_.border);
  }
  active_scroll_ = nullptr;
}

void Ui::fill(const Rect& logical, ImU32 color, float rounding) {
  Rect r = to_screen(logical);
  dl_->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.right(), r.bottom()), color, rounding);
}

static text::TextStyle make_style(const Ui& ui, float em, bool bold, float wrap,
                                  text::TextStyle::Align align) {
  text::TextStyle s;
  s.lang = ui.text_lang();
  s.size_px = ui.font(em);
  s.bold = bold;
  s.wrap_width = wrap;
  s.align = align;
  s.rtl_context = ui.rtl();
  return s;
}

float Ui::label(std::string_view utf8, const Rect& logical, float em, bool bold, ImU32 color,
                text::TextStyle::Align align) {
  if (utf8.empty()) return 0;
  const text::Layout& layout = text_.layout(utf8, make_style(*this, em, bold, logical.w, align));
  Rect r = to_screen(logical);
  text_.draw(dl_, layout, ImVec2(r.x, r.y), color ? color : theme_.text);
  texts_.emplace_back(utf8);
  if (layout.overflow || layout.content_width > logical.w + 0.5f || r.x < -0.5f ||
      r.right() > width_ + 0.5f)
    problems_.push_back("too wide: " + std::string(utf8));
  if (logical.h > 0 && layout.height > logical.h + 0.5f)
    problems_.push_back("too tall: " + std::string(utf8));
  return layout.height;
}

float Ui::measure_height(std::string_view utf8, float width, float em, bool bold) {
  if (utf8.empty()) return 0;
  return text_.layout(utf8, make_style(*this, em, bold, width, text::TextStyle::Start)).height;
}

float Ui::measure_width(std::string_view utf8, float em, bool bold) {
  if (utf8.empty()) return 0;
  return text_.layout(utf8, make_style(*this, em, bold, 0, text::TextStyle::Start)).width;
}

void Ui::note_text(std::string_view utf8) {
  texts_.emplace_back(utf8);
}

bool Ui::pointer_released_inside(const Rect& screen_rect, const char* id) {
  if (!tapping_now_.empty()) return tapping_now_ == id;
  if (!ImGui::IsMouseReleased(0) || dragging_ || !press_active_) return false;
  ImVec2 p = ImGui::GetIO().MousePos;
  if (!screen_rect.contains(press_pos_) || !screen_rect.contains(p)) return false;
  // Inside a scroll region only the visible part of a button takes taps.
  if (active_scroll_ && !to_screen(scroll_area_).contains(p)) return false;
  return true;
}

bool Ui::button(const char* id, std::string_view label_text, const Rect& logical, ButtonKind kind,
                Icon icon_kind, bool enabled) {
  Rect r = to_screen(logical);
  bool pressed_now = enabled && press_active_ && !dragging_ && ImGui::IsMouseDown(0) &&
                     r.contains(press_pos_) && r.contains(ImGui::GetIO().MousePos);
  ImU32 bg = theme_.surface, fg = theme_.text, border = theme_.border;
  switch (kind) {
    case ButtonKind::Primary:
    case ButtonKind::ChoiceSelected:
      bg = theme_.accent;
      fg = theme_.accent_text;
      border = theme_.accent;
      break;
    case ButtonKind::Quiet:
      bg = theme_.background;
      border = theme_.background;
      break;
    default:
      break;
  }
  if (pressed_now) bg = theme_.surface_pressed, fg = theme_.text;
  if (!enabled) fg = theme_.text_muted;
  float rounding = unit_ * 0.75f;
  dl_->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.right(), r.bottom()), bg, rounding);
  float border_px = kind == ButtonKind::ChoiceSelected ? std::max(3.0f, unit_ * 0.3f) : 2.0f;
  if (kind != ButtonKind::Quiet)
    dl_->AddRect(ImVec2(r.x, r.y), ImVec2(r.right(), r.bottom()), border, rounding, 0, border_px);

  float pad = unit_;
  bool bold = kind == ButtonKind::Primary;
  float em_max = kind == ButtonKind::Quiet ? 0.9f : 1.0f;
  // A label that does not fit (a long word on a phone-sized button, two lines in a bar)
  // steps down in size, to 70% at most; failing that, an icon moves above the label so the
  // label gets the button's whole width; failing that, the layout check reports it.
  auto fitting_em = [&](const Rect& area) -> float {
    for (float em = em_max; em > 0.71f; em -= 0.1f) {
      const text::Layout& l =
          text_.layout(label_text, make_style(*this, em, bold, area.w, text::TextStyle::Start));
      if (!l.overflow && l.content_width <= area.w + 0.5f && l.height <= area.h) return em;
    }
    return 0;
  };
  float icon_size = icon_kind == Icon::None ? 0 : std::min(logical.h - pad, font(1.2f));
  Rect beside{logical.x + pad + (icon_size > 0 ? icon_size + pad : 0), logical.y,
              logical.w - 2 * pad - (icon_size > 0 ? icon_size + pad : 0), logical.h};
  float em = fitting_em(beside);
  if (em == 0 && icon_size > 0) {
    float small_icon = std::min(logical.h * 0.38f, icon_size);
    Rect below{logical.x + pad / 2, logical.y + small_icon + pad / 4, logical.w - pad,
               logical.h - small_icon - pad / 4};
    if (float stacked_em = fitting_em(below); stacked_em > 0) {
      icon(icon_kind,
           Rect{logical.x + (logical.w - small_icon) / 2, logical.y + pad / 4, small_icon,
                small_icon},
           fg);
      label(label_text, below, stacked_em, bold, fg, text::TextStyle::Center);
      icon_size = -1;  // drawn
    }
  }
  if (icon_size >= 0) {
    if (em == 0) em = 0.7f;
    if (icon_size > 0)
      icon(icon_kind,
           Rect{logical.x + pad, logical.y + (logical.h - icon_size) / 2, icon_size, icon_size},
           fg);
    auto align = icon_size > 0 ? text::TextStyle::Start : text::TextStyle::Center;
    float text_h = measure_height(label_text, beside.w, em, bold);
    beside.y = logical.y + std::max(0.0f, (logical.h - text_h) / 2);
    beside.h = logical.bottom() - beside.y;
    label(label_text, beside, em, bold, fg, align);
  }
  // A selected choice also carries a check mark: selection is never shown by colour alone.
  if (kind == ButtonKind::ChoiceSelected && logical.w > logical.h * 2.5f) {
    float s = std::min(logical.h * 0.5f, font(1.0f));
    icon(Icon::Check, Rect{logical.right() - s - pad, logical.y + (logical.h - s) / 2, s, s}, fg);
  }

  if (blocked_) enabled = false;
  elements_.push_back(Element{id, std::string(label_text), r, enabled});
  bool tapped = enabled && pointer_released_inside(r, id);
  if (tapped) interaction_ = true;
  return tapped;
}

void Ui::icon(Icon kind, const Rect& logical, ImU32 color) {
  // Icons are drawn in logical space and mirrored with the screen, so "back" always points
  // to the start edge.
  auto P = [&](float fx, float fy) {
    float x = logical.x + fx * logical.w, y = logical.y + fy * logical.h;
    return ImVec2(rtl_ ? width_ - x : x, y);
  };
  float th = std::max(2.0f, logical.w * 0.12f);
  switch (kind) {
    case Icon::Back:
      dl_->AddLine(P(0.85f, 0.5f), P(0.15f, 0.5f), color, th);
      dl_->AddLine(P(0.45f, 0.2f), P(0.15f, 0.5f), color, th);
      dl_->AddLine(P(0.45f, 0.8f), P(0.15f, 0.5f), color, th);
      break;
    case Icon::Next:
      dl_->AddLine(P(0.15f, 0.5f), P(0.85f, 0.5f), color, th);
      dl_->AddLine(P(0.55f, 0.2f), P(0.85f, 0.5f), color, th);
      dl_->AddLine(P(0.55f, 0.8f), P(0.85f, 0.5f), color, th);
      break;
    case Icon::Home:
      dl_->AddLine(P(0.1f, 0.5f), P(0.5f, 0.12f), color, th);
      dl_->AddLine(P(0.5f, 0.12f), P(0.9f, 0.5f), color, th);
      dl_->AddLine(P(0.22f, 0.45f), P(0.22f, 0.88f), color, th);
      dl_->AddLine(P(0.78f, 0.45f), P(0.78f, 0.88f), color, th);
      dl_->AddLine(P(0.22f, 0.88f), P(0.78f, 0.88f), color, th);
      break;
    case Icon::Check:
      dl_->AddLine(P(0.12f, 0.52f), P(0.4f, 0.8f), color, th * 1.3f);
      dl_->AddLine(P(0.4f, 0.8f), P(0.9f, 0.2f), color, th * 1.3f);
      break;
    case Icon::Warning:
      dl_->AddTriangle(P(0.5f, 0.08f), P(0.95f, 0.9f), P(0.05f, 0.9f), color, th);
      dl_->AddLine(P(0.5f, 0.35f), P(0.5f, 0.62f), color, th);
      dl_->AddCircleFilled(P(0.5f, 0.76f), th * 0.7f, color);
      break;
    case Icon::Stop: {
      ImVec2 c = P(0.5f, 0.5f);
      dl_->AddNgon(c, logical.w * 0.46f, color, 8, th);
      dl_->AddLine(P(0.3f, 0.3f), P(0.7f, 0.7f), color, th);
      dl_->AddLine(P(0.7f, 0.3f), P(0.3f, 0.7f), color, th);
      break;
    }
    case Icon::Info:
    case Icon::Help:
      dl_->AddCircle(P(0.5f, 0.5f), logical.w * 0.45f, color, 24, th);
      if (kind == Icon::Info) {
        dl_->AddLine(P(0.5f, 0.45f), P(0.5f, 0.75f), color, th);
        dl_->AddCircleFilled(P(0.5f, 0.28f), th * 0.7f, color);
      } else {
        dl_->AddBezierCubic(P(0.33f, 0.38f), P(0.33f, 0.12f), P(0.72f, 0.15f), P(0.62f, 0.45f),
                            color, th);
        dl_->AddLine(P(0.62f, 0.45f), P(0.5f, 0.6f), color, th);
        dl_->AddCircleFilled(P(0.5f, 0.77f), th * 0.7f, color);
      }
      break;
    case Icon::End:
      dl_->AddRect(P(0.15f, 0.15f), P(0.85f, 0.85f), color, 0, 0, th);
      dl_->AddLine(P(0.35f, 0.35f), P(0.65f, 0.65f), color, th);
      dl_->AddLine(P(0.65f, 0.35f), P(0.35f, 0.65f), color, th);
      break;
    case Icon::Print:
      dl_->AddRect(P(0.1f, 0.35f), P(0.9f, 0.75f), color, 0, 0, th);
      dl_->AddRect(P(0.28f, 0.1f), P(0.72f, 0.35f), color, 0, 0, th);
      dl_->AddRect(P(0.28f, 0.6f), P(0.72f, 0.92f), color, 0, 0, th);
      break;
    case Icon::Speaker:
      dl_->AddQuadFilled(P(0.1f, 0.38f), P(0.3f, 0.38f), P(0.3f, 0.62f), P(0.1f, 0.62f), color);
      dl_->AddTriangleFilled(P(0.3f, 0.38f), P(0.55f, 0.15f), P(0.55f, 0.85f), color);
      dl_->AddTriangleFilled(P(0.3f, 0.38f), P(0.55f, 0.85f), P(0.3f, 0.62f), color);
      dl_->AddBezierQuadratic(P(0.68f, 0.3f), P(0.8f, 0.5f), P(0.68f, 0.7f), color, th);
      dl_->AddBezierQuadratic(P(0.78f, 0.18f), P(0.98f, 0.5f), P(0.78f, 0.82f), color, th);
      break;
    case Icon::None:
      break;
  }
}

}  // namespace kiosk::ui
