// SPDX-License-Identifier: GPL-3.0-or-later
// The table of `kioskctl counts report` (the default format): what a help desk reads in a
// terminal. English, with the pack's texts in the chosen language; every text from outside
// masked (printable), widths in terminal columns.
#include <algorithm>
#include <functional>
#include <iostream>
#include <sstream>

#include "core/i18n.h"
#include "tools/kioskctl/counts_output.h"
#include "tools/kioskctl/text_output.h"

namespace kiosk::tools {

namespace {

using core::CellSum;
using core::CountsSummary;
using core::FindingSum;

constexpr size_t kTableTextColumns = 60;  // a finding's text in the table, cut beyond
constexpr size_t kLineColumns = 96;       // a line of prose in the table output

using Row = std::vector<std::string>;

// Columns two spaces apart, widths in terminal columns (Japanese texts take two each).
void print_rows(std::ostream& out, const std::vector<Row>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], display_width(row[i]));
    }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - display_width(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

// A text cut to `columns` of a terminal, at a word (or, in Japanese, a character) boundary.
std::string cut(const std::string& text, size_t columns, const std::string& language) {
  return fit_line(text, static_cast<double>(columns), language, terminal_columns);
}

std::string share_column(const FindingSum& f) {
  const std::string count = with_thousands(f.held.count);
  if (!f.share)
    return count + " " + margin_text(f.held) +
           (f.check_id.empty() ? " (check not known: give --pack)" : " (no completed check)");
  return percent(f.share->value) + " of " + printable(f.check_id) + " checks (" + count + " of " +
         with_thousands(f.checks.count) + " " + margin_text(f.held) + ")";
}

// The findings that held on some day and `keep` accepts, in groups by who must act; the
// groups in the order of their most frequent finding.
std::vector<const FindingSum*> grouped_by_party(
    const std::vector<FindingSum>& findings, const std::function<bool(const FindingSum&)>& keep) {
  std::vector<std::string> order;
  for (const auto& f : findings)
    if (f.held.count > 0 && keep(f) &&
        std::find(order.begin(), order.end(), party(f.responsible)) == order.end())
      order.push_back(party(f.responsible));
  std::vector<const FindingSum*> out;
  for (const auto& p : order)
    for (const auto& f : findings)
      if (f.held.count > 0 && keep(f) && party(f.responsible) == p) out.push_back(&f);
  return out;
}

void print_header(std::ostream& out, const CountsSummary& s, const ReportPeriod& period) {
  const std::string &from = period.from, &to = period.to;
  std::vector<std::string> ks, epsilons;
  for (int k : s.ks) ks.push_back(std::to_string(k));
  for (double e : s.epsilons) {
    std::ostringstream v;
    v << e;
    epsilons.push_back(v.str());
  }
  out << "Counts of " << (s.offices.size() == 1 ? "office " : "offices ")
      << printable(joined(s.offices)) << ", " << from << " to " << to << ": "
      << plural(s.days, "day", "days") << " with counts, "
      << plural(s.releases, "release", "releases") << "\n  pack " << printable(joined(s.pack_ids))
      << " " << printable(joined(s.pack_versions)) << "; k " << joined(ks) << "; epsilon "
      << joined(epsilons) << " per cell\n  " << plural(s.visits.count, "visit", "visits") << " "
      << margin_text(s.visits)
      << (s.visits.withheld_days ? " (withheld on " + withheld_text(s.visits) + ")" : "") << "\n";
}

void print_finding_rows(std::ostream& out, const std::vector<const FindingSum*>& shown,
                        const CountsLabels& labels) {
  std::vector<Row> rows{{"WHO", "FINDING", "SHARE", "WITHHELD", "TEXT"}};
  for (const FindingSum* f : shown)
    rows.push_back({printable(party(f->responsible)), printable(f->held.key), share_column(*f),
                    withheld_text(f->held),
                    printable(cut(labels.finding(f->held.key), kTableTextColumns, labels.locale))});
  print_rows(out, rows);
}

// A paragraph wrapped at spaces to the width of the table's prose, continuation lines
// indented. Only at spaces: rule ids such as employer-notice-due stay whole.
void print_wrapped(std::ostream& out, const std::string& text) {
  std::istringstream words(text);
  std::string line, word;
  while (words >> word) {
    const size_t width = display_width(line) + 1 + display_width(word);
    if (!line.empty() && width > kLineColumns) {
      out << line << "\n";
      line = "  ";
    }
    line += (line.empty() || line == "  " ? "" : " ") + word;
  }
  if (!line.empty()) out << line << "\n";
}

// "ext-job-notice 73, ext-after-expiry 56": keys and counts, the largest first.
std::string counts_list(std::vector<const CellSum*> cells) {
  std::stable_sort(cells.begin(), cells.end(),
                   [](const CellSum* a, const CellSum* b) { return a->count > b->count; });
  std::string out;
  for (const CellSum* c : cells)
    out += (out.empty() ? "" : ", ") + printable(c->key) + " " + with_thousands(c->count);
  return out;
}

// Findings whose count, or whose checks' count, was released on fewer than half its days.
void print_too_few(std::ostream& out, const CountsSummary& s) {
  std::vector<const CellSum*> cells;
  for (const auto& f : s.findings)
    if (f.held.count > 0 && !f.reliable()) cells.push_back(&f.held);
  if (cells.empty()) return;
  out << "\n";
  print_wrapped(out,
                "Too few to tell from the noise, released on fewer than half the days (the "
                "finding's or its checks'; noise alone lifts a small count to k now and then, so "
                "these may be far above the truth, or below it): " +
                    counts_list(cells));
}

void print_findings(std::ostream& out, const CountsSummary& s, const CountsLabels& labels) {
  out << "\nFindings to act on, most frequent first, grouped by who must act\n"
         "  share: of the completed checks the finding belongs to; ±: 95% margin of the privacy\n"
         "  noise alone, not sampling error; withheld: days the count was below k, added as 0\n";
  const auto act = grouped_by_party(
      s.findings, [](const FindingSum& f) { return f.reliable() && to_act_on(f); });
  if (!act.empty()) print_finding_rows(out, act, labels);
  const auto ready = grouped_by_party(
      s.findings, [](const FindingSum& f) { return f.reliable() && !to_act_on(f); });
  if (!ready.empty()) {
    out << "\nFindings that need nothing done (ready)\n";
    print_finding_rows(out, ready, labels);
  }
  print_too_few(out, s);
  const size_t hidden = std::count_if(s.findings.begin(), s.findings.end(),
                                      [](const FindingSum& f) { return f.held.count == 0; });
  if (!hidden) return;
  out << "\n";
  print_wrapped(out, plural(hidden, "finding", "findings") +
                         " with no count on any day (none, or withheld) not listed; --format csv "
                         "or json lists every one");
}

// The cells of a table released on fewer than half the days, on a line of their own.
void print_too_few_cells(std::ostream& out, const std::vector<const CellSum*>& cells) {
  if (cells.empty()) return;
  print_wrapped(out, "Too few to tell from the noise (released on fewer than half the days): " +
                         counts_list(cells));
}

void print_undecided(std::ostream& out, const CountsSummary& s, const CountsLabels& labels) {
  std::vector<Row> rows{{"FINDING", "VISITS", "WITHHELD", "TEXT"}};
  std::vector<const CellSum*> too_few;
  for (const auto& f : s.findings) {
    if (f.undecided.count == 0) continue;
    if (f.undecided.mostly_withheld()) {
      too_few.push_back(&f.undecided);
      continue;
    }
    rows.push_back(
        {printable(f.undecided.key),
         with_thousands(f.undecided.count) + " " + margin_text(f.undecided),
         withheld_text(f.undecided),
         printable(cut(labels.finding(f.undecided.key), kTableTextColumns, labels.locale))});
  }
  if (rows.size() == 1 && too_few.empty()) return;
  out << "\nFindings not checked: the visitor did not know an answer\n";
  if (rows.size() > 1) print_rows(out, rows);
  print_too_few_cells(out, too_few);
}

// A table of cells with their share of all visits (languages, procedures); `title`, when
// given, adds a last column.
void print_visit_cells(std::ostream& out, const char* heading, const char* column,
                       const std::vector<CellSum>& cells, const CellSum& visits,
                       const std::function<std::string(const std::string&)>& name,
                       const std::function<std::string(const std::string&)>& title = {}) {
  std::vector<Row> rows{{column, "VISITS", "SHARE", "WITHHELD"}};
  if (title) rows[0].push_back("TITLE");
  std::vector<const CellSum*> too_few;
  size_t hidden = 0;
  for (const auto& c : cells) {
    if (c.count == 0) {
      ++hidden;
    } else if (c.mostly_withheld()) {
      too_few.push_back(&c);
    } else {
      auto share = core::share_of(c, visits);
      rows.push_back({name(c.key), with_thousands(c.count) + " " + margin_text(c),
                      share ? percent(share->value) : "-", withheld_text(c)});
      if (title) rows.back().push_back(title(c.key));
    }
  }
  out << "\n" << heading << "\n";
  if (rows.size() > 1) print_rows(out, rows);
  print_too_few_cells(out, too_few);
  if (hidden) out << plural(hidden, "more", "more") << " with no count on any day\n";
}

void print_checks(std::ostream& out, const CountsSummary& s) {
  std::vector<Row> rows{{"CHECK", "COMPLETED", "WITHHELD"}};
  std::vector<const CellSum*> too_few;
  for (const auto& c : s.checks) {
    if (c.count == 0) continue;
    if (c.mostly_withheld()) {
      too_few.push_back(&c);
      continue;
    }
    rows.push_back(
        {printable(c.key), with_thousands(c.count) + " " + margin_text(c), withheld_text(c)});
  }
  out << "\nChecks completed\n";
  if (rows.size() > 1) print_rows(out, rows);
  print_too_few_cells(out, too_few);
}

}  // namespace

std::string counts_table(const CountsSummary& s, const ReportPeriod& period,
                         const CountsLabels& labels) {
  std::ostringstream out;
  print_header(out, s, period);
  print_findings(out, s, labels);
  print_undecided(out, s, labels);
  print_visit_cells(
      out, "Visits by language", "LANGUAGE", s.languages, s.visits, [](const std::string& tag) {
        const std::string name = core::language_name_in(tag, "en");
        return printable(tag) + (name.empty() || name == tag ? "" : " " + printable(name));
      });
  print_visit_cells(
      out, "Visits by procedure (opened)", "PROCEDURE", s.procedures, s.visits,
      [](const std::string& id) { return printable(id); },
      [&](const std::string& id) {
        return printable(cut(labels.procedure(id), kTableTextColumns, labels.locale));
      });
  print_checks(out, s);
  return out.str();
}

}  // namespace kiosk::tools
