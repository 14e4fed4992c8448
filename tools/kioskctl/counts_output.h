// SPDX-License-Identifier: GPL-3.0-or-later
// The outputs of `kioskctl counts report` (cmd_counts.cpp) from a summary of the releases
// (core/counts_report.h): the table (counts_table.cpp), CSV, JSON and the SVG chart
// (counts_output.cpp, the chart itself in counts_svg.cpp).
#pragma once

#include <string>
#include <vector>

#include "core/counts_report.h"
#include "core/pack.h"

namespace kiosk::tools {

// The texts of findings, procedures and checks in the chosen language, from the pack (the
// ids themselves without one).
struct CountsLabels {
  const core::Pack* pack = nullptr;
  std::string locale;

  std::string finding(const std::string& rule) const {
    return pack ? core::finding_label(*pack, rule, locale) : rule;
  }
  std::string procedure(const std::string& id) const {
    return pack ? core::procedure_label(*pack, id, locale) : id;
  }
  std::string check(const std::string& id) const {
    return pack ? core::check_label(*pack, id, locale) : id;
  }
};

// The days the report covers, as asked (--from, --to) or else as the releases span them.
struct ReportPeriod {
  std::string from, to;
};

std::string counts_table(const core::CountsSummary& s, const ReportPeriod& period,
                         const CountsLabels& labels);
// One RFC 4180 row per cell (docs/agency.md, "CSV and JSON").
std::string counts_csv(const core::CountsSummary& s, const CountsLabels& labels);
std::string counts_report_json(const core::CountsSummary& s, const ReportPeriod& period,
                               const CountsLabels& labels);
std::string counts_svg(const core::CountsSummary& s, const ReportPeriod& period,
                       const CountsLabels& labels);

// ---- shared by the outputs ----

// "31%", "4.2%", "0%": one decimal where a whole percent would hide a difference.
std::string percent(double share);
// "± 26": a cell's noise margin, rounded.
std::string margin_text(const core::CellSum& c);
// "3 of 30 days", or "-" when none was withheld.
std::string withheld_text(const core::CellSum& c);
// Who must act, as a word the legend and the colours know; anything else is "other".
std::string party(const std::string& responsible);
// A finding someone must act on (an action or a blocker); "ready" ones need nothing done. An
// outcome no pack has is shown as one to act on rather than hidden.
bool to_act_on(const core::FindingSum& f);
// "1 day", "30 days", "1,227 visits".
std::string plural(size_t n, const char* one, const char* many);
std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ");

}  // namespace kiosk::tools
