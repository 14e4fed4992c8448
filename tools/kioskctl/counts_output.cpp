// SPDX-License-Identifier: GPL-3.0-or-later
// CSV, JSON and the SVG chart of `kioskctl counts report` (counts_output.h), and what the
// outputs share. The chart is drawn by counts_svg.cpp; this file picks its bars and texts.
#include "tools/kioskctl/counts_output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/i18n.h"
#include "core/po.h"
#include "tools/kioskctl/counts_svg.h"
#include "tools/kioskctl/text_output.h"

namespace kiosk::assets::locales {
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_files();
}

namespace kiosk::tools {

using core::CellSum;
using core::CountsSummary;
using core::FindingSum;
using Row = std::vector<std::string>;

constexpr size_t kChartBars = 15;  // the chart's bars at most

std::string plural(size_t n, const char* one, const char* many) {
  return with_thousands(static_cast<long long>(n)) + " " + (n == 1 ? one : many);
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

std::string percent(double share) {
  const double p = share * 100;
  char buf[32];
  std::snprintf(buf, sizeof buf, p > 0 && p < 9.95 ? "%.1f%%" : "%.0f%%", p);
  return buf;
}

std::string margin_text(const CellSum& c) {
  return "± " + with_thousands(std::llround(c.margin95()));
}

std::string withheld_text(const CellSum& c) {
  if (c.withheld_days == 0) return "-";
  return std::to_string(c.withheld_days) + " of " +
         plural(c.withheld_days + c.released_days, "day", "days");
}

std::string party(const std::string& responsible) {
  return core::parse_responsible(responsible) ? responsible : "other";
}

bool to_act_on(const FindingSum& f) {
  return f.outcome != "ready" && f.outcome != "not_applicable";
}

// ---- csv and json -------------------------------------------------------------------------

namespace {

std::string decimal(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

Row csv_row(const CellSum& c, const std::string& label, const std::string& responsible,
            const std::string& outcome, const std::string& check, const CellSum* whole) {
  auto share = whole ? core::share_of(c, *whole) : std::nullopt;
  return {c.table,
          c.key,
          label,
          responsible,
          outcome,
          check,
          std::to_string(c.count),
          decimal(c.margin95(), 1),
          std::to_string(c.released_days),
          std::to_string(c.withheld_days),
          whole ? std::to_string(whole->count) : "",
          share ? decimal(share->value, 4) : "",
          share ? decimal(share->margin95, 4) : "",
          c.mostly_withheld() ? "true" : "false"};
}

}  // namespace

std::string counts_csv(const CountsSummary& s, const CountsLabels& labels) {
  std::string out;
  append_csv_row(
      out, {"table", "key", "label", "responsible", "outcome", "check", "count", "margin95",
            "released_days", "withheld_days", "of", "share", "share_margin95", "mostly_withheld"});
  append_csv_row(out, csv_row(s.visits, "", "", "", "", nullptr));
  for (const auto& c : s.languages)
    append_csv_row(out, csv_row(c, core::language_name_in(c.key, "en"), "", "", "", &s.visits));
  for (const auto& c : s.procedures)
    append_csv_row(out, csv_row(c, labels.procedure(c.key), "", "", "", &s.visits));
  for (const auto& c : s.checks)
    append_csv_row(out, csv_row(c, labels.check(c.key), "", "", "", nullptr));
  for (const auto& f : s.findings) {
    const CellSum* checks = f.check_id.empty() ? nullptr : &f.checks;
    append_csv_row(out, csv_row(f.held, labels.finding(f.held.key), f.responsible, f.outcome,
                                f.check_id, checks));
    append_csv_row(out, csv_row(f.undecided, labels.finding(f.held.key), f.responsible, f.outcome,
                                f.check_id, checks));
  }
  return out;
}

namespace {

nlohmann::json cell_json(const CellSum& c, const CellSum* whole = nullptr) {
  nlohmann::json j = {{"key", c.key},
                      {"count", c.count},
                      {"margin95", c.margin95()},
                      {"released_days", c.released_days},
                      {"withheld_days", c.withheld_days},
                      {"mostly_withheld", c.mostly_withheld()}};
  if (whole) {
    auto share = core::share_of(c, *whole);
    j["of"] = whole->count;
    j["share"] = share ? nlohmann::json(share->value) : nlohmann::json(nullptr);
    j["share_margin95"] = share ? nlohmann::json(share->margin95) : nlohmann::json(nullptr);
  }
  return j;
}

nlohmann::json finding_json(const FindingSum& f, const CountsLabels& labels) {
  nlohmann::json j = cell_json(f.held);
  j["rule"] = f.held.key;
  j.erase("key");
  j["label"] = labels.finding(f.held.key);
  j["responsible"] = f.responsible;
  j["outcome"] = f.outcome;
  j["check"] = f.check_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.check_id);
  j["checks"] = f.check_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.checks.count);
  j["share"] = f.share ? nlohmann::json(f.share->value) : nlohmann::json(nullptr);
  j["share_margin95"] = f.share ? nlohmann::json(f.share->margin95) : nlohmann::json(nullptr);
  // The finding's and its checks' counts were each released on at least half their days.
  j["reliable"] = f.reliable();
  j["undecided"] = cell_json(f.undecided);
  j["undecided"].erase("key");
  return j;
}

}  // namespace

std::string counts_report_json(const CountsSummary& s, const ReportPeriod& period,
                               const CountsLabels& labels) {
  nlohmann::json j = {{"offices", s.offices},
                      {"from", period.from},
                      {"to", period.to},
                      {"days", s.days},
                      {"releases", s.releases},
                      {"pack_ids", s.pack_ids},
                      {"pack_versions", s.pack_versions},
                      {"k", s.ks},
                      {"epsilon", s.epsilons},
                      {"locale", labels.locale},
                      {"visits", cell_json(s.visits)}};
  j["visits"].erase("key");
  for (const char* name : {"languages", "procedures", "checks"}) j[name] = nlohmann::json::array();
  for (const auto& c : s.languages) j["languages"].push_back(cell_json(c, &s.visits));
  for (const auto& c : s.procedures) j["procedures"].push_back(cell_json(c, &s.visits));
  for (const auto& c : s.checks) j["checks"].push_back(cell_json(c));
  j["findings"] = nlohmann::json::array();
  for (const auto& f : s.findings) j["findings"].push_back(finding_json(f, labels));
  // Texts from outside may hold bytes that are no UTF-8: replaced, never an exception.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// ---- svg ----------------------------------------------------------------------------------

namespace {

// The app's report strings (locales/, embedded): English, and the chosen language where it has
// them (Japanese); other languages get English around the pack's finding texts.
std::unique_ptr<core::Localizer> chart_strings(const std::string& locale) {
  auto strings = std::make_unique<core::Localizer>("en");
  for (const auto& [path, bytes] : assets::locales::embedded_files()) {
    const std::string name(path);
    if (name != "en.po" && name != locale + ".po") continue;
    core::PoFile po;
    std::vector<core::Diagnostic> diags;
    core::parse_po(bytes, name, po, diags);
    core::Localizer::Catalogue messages;
    for (auto& [id, text] : core::po_messages(po)) messages.emplace(id, text);
    strings->add_catalogue(name.substr(0, name.size() - 3), std::move(messages));
  }
  return strings;
}

std::vector<ChartBar> chart_bars(const CountsSummary& s, const CountsLabels& labels,
                                 const core::Localizer& strings) {
  std::vector<ChartBar> bars;
  for (const auto& f : s.findings) {
    if (!f.share || f.held.count == 0 || !f.reliable() || !to_act_on(f)) continue;
    if (bars.size() == kChartBars) break;
    const std::string& tag = labels.locale;
    std::string figures = percent(f.share->value) + " · " +
                          core::format_integer(f.held.count, tag) + " / " +
                          core::format_integer(f.checks.count, tag) + " ± " +
                          core::format_integer(std::llround(f.held.margin95()), tag);
    if (f.held.withheld_days)
      figures += " · " + strings.format_in(tag, "report.counts.withheld",
                                           {{"days", int64_t{f.held.withheld_days}}});
    bars.push_back({f.held.key, labels.finding(f.held.key), party(f.responsible), f.share->value,
                    f.share->margin95, figures, labels.check(f.check_id)});
  }
  return bars;
}
// Findings to act on that held on some day but have no bar (beyond the 15, no share, or too
// few to tell from the noise).
size_t charted_elsewhere(const CountsSummary& s, size_t bars) {
  const auto with_count =
      std::count_if(s.findings.begin(), s.findings.end(),
                    [](const FindingSum& f) { return f.held.count > 0 && to_act_on(f); });
  return static_cast<size_t>(with_count) - bars;
}

// Whether a figure the chart may show is a lower bound (a finding that held, with a withheld
// day); findings that never held are withheld every day and say nothing here.
bool any_withheld(const CountsSummary& s) {
  return std::any_of(s.findings.begin(), s.findings.end(), [](const FindingSum& f) {
    return f.held.count > 0 && f.reliable() && to_act_on(f) && f.held.withheld_days > 0;
  });
}

ChartText chart_text(const CountsSummary& s, const ReportPeriod& period, const CountsLabels& labels,
                     const std::vector<ChartBar>& bars, const core::Localizer& strings) {
  const std::string& tag = labels.locale;
  auto say = [&](const char* id, const core::Args& args = {}) {
    return strings.format_in(tag, id, args);
  };
  ChartText t;
  t.language = tag;
  t.title = say("report.counts.title");
  const std::string &from = period.from, &to = period.to;
  t.subtitle = say("report.counts.offices",
                   {{"count", int64_t(s.offices.size())}, {"names", joined(s.offices)}}) +
               " · " + say("report.counts.period", {{"from", from}, {"to", to}}) + " · " +
               say("report.counts.visits", {{"visits", s.visits.count}, {"days", int64_t{s.days}}});
  t.legend_heading = strings.format_in(tag, "form.finding.responsible");
  for (const char* p : {"self", "employer", "school", "agency", "other"})
    t.parties.emplace_back(p, say((std::string("form.responsible.") + p).c_str()));
  std::vector<std::string> checks;
  for (const auto& b : bars) checks.push_back(b.check);
  std::sort(checks.begin(), checks.end());
  checks.erase(std::unique(checks.begin(), checks.end()), checks.end());
  if (checks.size() == 1)
    t.notes.push_back(say("report.counts.share_one", {{"check", checks.front()}}));
  else if (checks.size() > 1)
    t.notes.push_back(say("report.counts.share_each"));
  t.notes.push_back(say("report.counts.noise"));
  if (any_withheld(s) && !s.ks.empty())
    t.notes.push_back(say("report.counts.withheld_note", {{"k", int64_t{s.ks.front()}}}));
  if (size_t more = charted_elsewhere(s, bars.size()))
    t.notes.push_back(say("report.counts.more", {{"count", int64_t(more)}}));
  t.no_bars = say("report.counts.none");
  return t;
}

}  // namespace

std::string counts_svg(const CountsSummary& s, const ReportPeriod& period,
                       const CountsLabels& labels) {
  auto strings = chart_strings(labels.locale);
  const auto bars = chart_bars(s, labels, *strings);
  return counts_chart_svg(chart_text(s, period, labels, bars, *strings), bars);
}

}  // namespace kiosk::tools
