// SPDX-License-Identifier: GPL-3.0-or-later
#include "kiosk/printout.h"

#include <algorithm>

namespace kiosk::ui {

namespace {

struct PageWriter {
  text::TextEngine& text;
  double dpi;
  platform::PixelSize size;
  float margin, gutter, column;
  std::vector<platform::PageImage> pages;
  text::RgbaImage image;
  float y = 0;

  PageWriter(text::TextEngine& t, double d) : text(t), dpi(d), size(platform::a4_pixels(d)) {
    margin = float(dpi * 0.6);  // 15 mm
    gutter = float(dpi * 0.25);
    column = (size.width - 2 * margin - gutter) / 2;
    new_page();
  }
  void new_page() {
    flush();
    image = text::RgbaImage(size.width, size.height, 0xFFFFFFFFu);
    y = margin;
  }
  void flush() {
    if (image.width == 0) return;
    platform::PageImage page;
    page.width = image.width;
    page.height = image.height;
    page.rgba = std::move(image.pixels);
    page.dpi = dpi;
    pages.push_back(std::move(page));
    image = {};
  }
  text::TextStyle style(const std::string& lang, float pt, bool bold) const {
    text::TextStyle s;
    s.lang = lang;
    s.size_px = float(pt * dpi / 72.0);
    s.bold = bold;
    s.wrap_width = column;
    s.rtl_context = text::is_rtl_language(lang);
    return s;
  }
  // One row: the same item in both languages, side by side, starting on the same line.
  void row(const std::string& left, const std::string& left_lang, const std::string& right,
           const std::string& right_lang, float pt, bool bold = false) {
    const text::Layout& a = text.layout(left, style(left_lang, pt, bold));
    float ha = a.height;
    const text::Layout& b = text.layout(right, style(right_lang, pt, bold));
    float h = std::max(ha, b.height);
    if (y + h > size.height - margin && y > margin) new_page();
    // Layout references stay valid within a frame; lay out again after a page break.
    const text::Layout& la = text.layout(left, style(left_lang, pt, bold));
    text.render(image, la, ImVec2(margin, y), 0x000000FFu);
    const text::Layout& lb = text.layout(right, style(right_lang, pt, bold));
    text.render(image, lb, ImVec2(margin + column + gutter, y), 0x000000FFu);
    y += h + float(dpi * 0.08);
  }
};

}  // namespace

std::vector<platform::PageImage> render_printout(text::TextEngine& text, const Checklist& user,
                                                 const std::string& user_lang,
                                                 const Checklist& office,
                                                 const std::string& office_lang, double dpi) {
  PageWriter w(text, dpi);
  w.row(user.title, user_lang, office.title, office_lang, 14, true);
  if (!user.verdict.empty()) w.row(user.verdict, user_lang, office.verdict, office_lang, 12, true);
  size_t n = std::min(user.todo.size(), office.todo.size());
  for (size_t i = 0; i < n; ++i) w.row(user.todo[i], user_lang, office.todo[i], office_lang, 10);
  n = std::min(user.documents.size(), office.documents.size());
  for (size_t i = 0; i < n; ++i)
    w.row("☐ " + user.documents[i], user_lang, "☐ " + office.documents[i], office_lang, 10);
  if (!user.footer.empty()) w.row(user.footer, "en", office.footer, "en", 8);
  w.flush();
  return std::move(w.pages);
}

}  // namespace kiosk::ui
