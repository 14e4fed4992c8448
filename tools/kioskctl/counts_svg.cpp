// SPDX-License-Identifier: GPL-3.0-or-later
#include "tools/kioskctl/counts_svg.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/i18n.h"
#include "tools/kioskctl/text_output.h"

namespace kiosk::tools {

namespace {

// ---- text width, estimated ------------------------------------------------------------------
// The reader's font is unknown (a system sans-serif), so widths are averages of common sans
// fonts in em. Labels are cut with room to spare rather than measured exactly.

double em_width(UChar32 c) {
  const auto gc = u_charType(c);
  if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_FORMAT_CHAR) return 0;
  const auto eaw = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  if (eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH) return 1.0;
  if (c == ' ' || std::u32string_view(U"iljtf.,:;'!|()[]").find(c) != std::u32string_view::npos)
    return 0.3;
  if (c == 'm' || c == 'w' || c == 'M' || c == 'W') return 0.85;
  if (c >= 'A' && c <= 'Z') return 0.68;
  if (c < 0x80) return 0.56;
  return 0.62;  // other scripts: Devanagari, Thai, Arabic, Cyrillic ...
}

double em_width_of(char32_t c) {
  return em_width(static_cast<UChar32>(c));
}

double text_px(const std::string& text, double font_px) {
  return text_width(text, em_width_of) * font_px;
}

// ---- SVG pieces -----------------------------------------------------------------------------

// Fonts every reader has: the system's UI font, then Noto (Linux), the Japanese system fonts
// of macOS and Windows, and the generic family last.
constexpr const char* kFontFamilies =
    "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK JP', 'Hiragino Sans', "
    "'Yu Gothic', Meiryo, Roboto, Arial, sans-serif";

constexpr double kWidth = 960, kMargin = 32;
constexpr double kBarWidth = 560;  // the axis; the figures go to its right
constexpr double kRowHeight = 52, kBarHeight = 16;
constexpr double kTitlePx = 22, kLabelPx = 14, kSmallPx = 12;
// A label's width, with 16 px to spare: its width is estimated, not measured.
constexpr double kLabelRoom = kWidth - 2 * kMargin - 16;
constexpr const char* kInk = "#1a1a1a";
constexpr const char* kGrey = "#555555";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  return s.ends_with(".0") ? s.substr(0, s.size() - 2) : s;
}

std::string text_at(double x, double y, double px, const std::string& fill,
                    const std::string& content, const std::string& extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" font-size=\"" + num(px) + "\" fill=\"" +
         fill + "\"" + extra + ">" + xml_text(content) + "</text>\n";
}

std::string rect(double x, double y, double w, double h, const std::string& fill,
                 const std::string& extra = "") {
  return "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" +
         num(h) + "\" fill=\"" + fill + "\"" + extra + "/>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& stroke,
                 double width) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" +
         num(y2) + "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width) + "\"/>\n";
}

// The axis's end and step: round numbers (1, 2, 5, 10, 20, 25, 50 %) with at most 6 steps,
// so that the longest bar and its error bar fit.
std::pair<double, double> axis_of(const std::vector<ChartBar>& bars) {
  double top = 0;
  for (const auto& b : bars) top = std::max(top, b.share + b.margin95);
  top = std::min(std::max(top, 0.01), 1.0);
  for (double step : {0.01, 0.02, 0.05, 0.1, 0.2, 0.25})
    if (std::ceil(top / step - 1e-9) <= 6) return {step * std::ceil(top / step - 1e-9), step};
  return {1.0, 0.2};
}

struct Layout {
  double axis_max = 1, axis_step = 0.2;
  double x0 = kMargin;
  double bar_x(double share) const {
    return x0 + kBarWidth * std::clamp(share, 0.0, axis_max) / axis_max;
  }
};

std::string header(const ChartText& t, double* y) {
  std::string out = text_at(kMargin, *y, kTitlePx, kInk, t.title, " font-weight=\"bold\"");
  *y += 26;
  for (const auto& l : wrap_text(t.subtitle, kWidth - 2 * kMargin, kLabelPx, t.language)) {
    out += text_at(kMargin, *y, kLabelPx, kGrey, l);
    *y += 19;
  }
  return out;
}

std::string legend(const ChartText& t, const std::vector<ChartBar>& bars, double* y) {
  std::set<std::string> shown;
  for (const auto& b : bars) shown.insert(b.responsible);
  *y += 10;
  double x = kMargin;
  const double px = kSmallPx + 1;
  std::string out = text_at(x, *y, px, kInk, t.legend_heading);
  x += text_px(t.legend_heading, px) + 14;
  for (const auto& [party, name] : t.parties) {
    if (!shown.count(party)) continue;
    out += rect(x, *y - 11, 12, 12, party_colour(party));
    out += text_at(x + 17, *y, px, kInk, name);
    x += 17 + text_px(name, px) + 22;
  }
  *y += 22;
  return out;
}

std::string axis(const Layout& l, double top, double bottom) {
  std::string out = "<g class=\"axis\">\n";
  const int steps = static_cast<int>(std::lround(l.axis_max / l.axis_step));
  for (int i = 0; i <= steps; ++i) {
    const double share = l.axis_step * i, x = l.bar_x(share);
    out += line(x, top + 6, x, bottom, i == 0 ? "#888888" : "#e3e3e3", 1);
    out += text_at(x, top, kSmallPx, kGrey, num(share * 100) + "%", " text-anchor=\"middle\"");
  }
  return out + "</g>\n";
}

// The finding's text above its bar. A right-to-left one keeps the chart's left edge: its
// paragraph runs right to left and ends (text-anchor end) at x, so "…" is at the left.
std::string label_text(const ChartBar& b, double x, double y, const std::string& language) {
  const std::string rtl = core::is_rtl(language) ? " direction=\"rtl\" text-anchor=\"end\"" : "";
  return text_at(x, y, kLabelPx, kInk, fit_text(b.label, kLabelRoom, kLabelPx, language), rtl);
}

// The thin error bar of the margin, with end caps, centred on the bar at height `mid`.
std::string margin_bar(const ChartBar& b, const Layout& l, double mid) {
  const double lo = l.bar_x(b.share - b.margin95), hi = l.bar_x(b.share + b.margin95);
  return "<g class=\"margin\">\n" + line(lo, mid, hi, mid, kInk, 1.5) +
         line(lo, mid - 5, lo, mid + 5, kInk, 1.5) + line(hi, mid - 5, hi, mid + 5, kInk, 1.5) +
         "</g>\n";
}

// The figures after the bar; in a right-to-left language the check's name is isolated (FSI ...
// PDI), so that the bidi algorithm leaves the figures before it in their order.
std::string figures_text(const ChartBar& b, double x, double y, bool name_checks,
                         const std::string& language) {
  const std::string check = core::is_rtl(language) ? "\u2068" + b.check + "\u2069" : b.check;
  const std::string figures = b.figures + (name_checks && !b.check.empty() ? " · " + check : "");
  return text_at(x, y, kSmallPx + 1, kInk,
                 fit_text(figures, kWidth - kMargin - x, kSmallPx + 1, language));
}

std::string bar_row(const ChartBar& b, const Layout& l, double y, bool name_checks,
                    const std::string& language) {
  std::string out = "<g class=\"finding\" data-rule=\"" + xml_text(b.rule_id) +
                    "\" data-responsible=\"" + xml_text(b.responsible) + "\">\n";
  out += label_text(b, l.x0, y + 15, language);
  const double bar_top = y + 22, mid = bar_top + kBarHeight / 2, end = l.bar_x(b.share);
  out += rect(l.x0, bar_top, std::max(end - l.x0, 1.0), kBarHeight, party_colour(b.responsible),
              " class=\"bar\"");
  double right = end;
  if (b.margin95 > 0) {
    out += margin_bar(b, l, mid);
    right = std::max(right, l.bar_x(b.share + b.margin95));
  }
  out += figures_text(b, right + 8, mid + 4.5, name_checks, language);
  return out + "</g>\n";
}

std::string notes(const ChartText& t, double* y) {
  std::string out;
  for (const auto& note : t.notes)
    for (const auto& l : wrap_text(note, kWidth - 2 * kMargin, kSmallPx, t.language)) {
      out += text_at(kMargin, *y, kSmallPx, kGrey, l);
      *y += 16;
    }
  return out;
}

bool bars_differ_in_check(const std::vector<ChartBar>& bars) {
  std::set<std::string> checks;
  for (const auto& b : bars) checks.insert(b.check);
  return checks.size() > 1;
}

}  // namespace

std::string party_colour(const std::string& responsible) {
  if (responsible == "self") return "#0072B2";      // blue
  if (responsible == "employer") return "#D55E00";  // vermilion
  if (responsible == "school") return "#009E73";    // bluish green
  if (responsible == "agency") return "#CC79A7";    // reddish purple
  return "#8C8C8C";                                 // grey: someone else
}

std::vector<std::string> wrap_text(const std::string& text, double max_px, double font_px,
                                   const std::string& language) {
  return wrap_lines(text, max_px / font_px, language, em_width_of);
}

std::string fit_text(const std::string& text, double max_px, double font_px,
                     const std::string& language) {
  return fit_line(text, max_px / font_px, language, em_width_of);
}

std::string counts_chart_svg(const ChartText& t, const std::vector<ChartBar>& bars) {
  double y = 40;
  std::string body = header(t, &y);  // apart: both move y, in this order
  body += legend(t, bars, &y);
  Layout l;
  std::tie(l.axis_max, l.axis_step) = axis_of(bars);
  const double axis_top = y + 4, rows_top = axis_top + 12;
  double rows_bottom = rows_top + kRowHeight * static_cast<double>(bars.size());
  if (bars.empty()) {
    body += text_at(kMargin, rows_top + 20, kLabelPx, kInk, t.no_bars);
    rows_bottom = rows_top + 36;
  } else {
    body += axis(l, axis_top, rows_bottom - 6);
    const bool name_checks = bars_differ_in_check(bars);
    for (size_t i = 0; i < bars.size(); ++i)
      body += bar_row(bars[i], l, rows_top + kRowHeight * static_cast<double>(i), name_checks,
                      t.language);
  }
  y = rows_bottom + 18;
  body += notes(t, &y);
  const std::string height = num(std::ceil(y + 8));
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" +
         num(kWidth) + "\" height=\"" + height + "\" viewBox=\"0 0 " + num(kWidth) + " " + height +
         "\" xml:lang=\"" + xml_text(t.language) + "\" font-family=\"" + kFontFamilies +
         "\" role=\"img\" aria-labelledby=\"chart-title\">\n<title id=\"chart-title\">" +
         xml_text(t.title + " — " + t.subtitle) + "</title>\n" +
         rect(0, 0, kWidth, std::ceil(y + 8), "#ffffff") + body + "</svg>\n";
}

}  // namespace kiosk::tools
