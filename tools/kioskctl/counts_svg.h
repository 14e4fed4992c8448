// SPDX-License-Identifier: GPL-3.0-or-later
// The bar chart of `kioskctl counts report --format svg`: one self-contained SVG file a manager
// can paste into a report (no script, no external font, image or style sheet; system font
// families, a white background). One horizontal bar per finding, its length the finding's share,
// coloured by who must act, with the noise margin as a thin error bar.
//
// Everything written is escaped (tools/kioskctl/text_output.h, xml_text): rule ids and keys
// come from the kiosks' items or a server's export.
#pragma once

#include <string>
#include <vector>

namespace kiosk::tools {

struct ChartBar {
  std::string rule_id;      // kept as data-rule, for whoever reads the file back
  std::string label;        // the finding's text; cut here to fit the width
  std::string responsible;  // "self", "employer", "school", "agency", "other" (else: other)
  double share = 0;         // 0..1
  double margin95 = 0;      // of the share
  std::string figures;      // "31% · 412 / 1,330 ± 9", written after the bar
  std::string check;        // the check's name, shown after the figures when bars differ in it
};

struct ChartText {
  std::string language;  // BCP 47 tag of the texts (xml:lang, and where lines may break)
  std::string title, subtitle;
  std::string legend_heading;
  // Who must act ("employer") and its name in `language`, in the legend's order.
  std::vector<std::pair<std::string, std::string>> parties;
  std::vector<std::string> notes;  // under the chart, each wrapped to the width
  std::string no_bars;             // said in place of the bars when there are none
};

// Every bar given is drawn, in the order given (the caller picks which).
std::string counts_chart_svg(const ChartText& text, const std::vector<ChartBar>& bars);

// The colour of a responsible party's bars (the Okabe-Ito palette, told apart by colour-blind
// readers too); grey for any other value.
std::string party_colour(const std::string& responsible);

// `text` in lines no wider than `max_px` at `font_px` (estimated: no font is measured here),
// broken where the language allows (ICU line breaks, so Japanese breaks between characters).
std::vector<std::string> wrap_text(const std::string& text, double max_px, double font_px,
                                   const std::string& language);
// The first line of wrap_text, with "…" when the text went on.
std::string fit_text(const std::string& text, double max_px, double font_px,
                     const std::string& language);

}  // namespace kiosk::tools
