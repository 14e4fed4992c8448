// kioskctl counts report: the agency's view of the anonymous counts (docs/agency.md, "The
// agency's view of the counts"). Reads the releases the kiosks sent, one per office and closed
// day, from the reference receiver's database (with agency.key) or from an OpenRosa server's CSV
// export, adds them up over the chosen days and offices (core/counts_report.h), and prints the
// most frequent findings by who must act, as a table, CSV, JSON or an SVG bar chart.
//
// Everything in a release comes from outside (anyone with the public key or the form's address
// can submit one): texts reach the terminal masked, CSV cells stay text, the SVG is escaped.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/counts_report.h"
#include "core/i18n.h"
#include "core/pack.h"
#include "core/po.h"
#include "sync/files.h"
#include "sync/inbox.h"
#include "sync/manifest.h"
#include "tools/kioskctl/commands.h"
#include "tools/kioskctl/counts_svg.h"
#include "tools/kioskctl/odk_counts_csv.h"
#include "tools/kioskctl/sync_commands.h"
#include "tools/kioskctl/text_output.h"

namespace kiosk::assets::locales {
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_files();
}

namespace {

using namespace kiosk;
using core::CellSum;
using core::CountsSummary;
using core::FindingSum;
using tools::printable;
using tools::with_thousands;

// Exit codes; 1, 4, 5 and 6 mean what they mean for `kioskctl inbox`.
constexpr int kExitDamaged = 1;     // some counts items could not be read; the rest is reported
constexpr int kExitNoInput = 4;     // the database or a CSV file cannot be read, --out not written
constexpr int kExitBadKeyFile = 5;  // agency.key missing, readable by others, malformed
constexpr int kExitWrongKey = 6;    // the key opens none of the counts items
constexpr int kExitNoCounts = 7;    // no release at all, or none in the chosen days and offices
constexpr int kExitBadCsv = 8;      // an --odk-csv file is malformed (FILE:LINE says where)

constexpr const char* kHelpFooter =
    "What it computes, over the days (--from, --to: the days counted, not the days received)\n"
    "and the offices chosen:\n"
    "  - the sum of each cell over the releases (one per kiosk, office and closed day). A\n"
    "    day-cell the kiosk withheld (its noisy count was below k) adds 0, and WITHHELD says on\n"
    "    how many days that happened: such a sum is a lower bound, give or take the noise;\n"
    "  - a finding's share: its sum over the sum of the completed checks it belongs to (the\n"
    "    rule's check, from --pack; without --pack the one check whose id the rule id's first\n"
    "    word begins, e.g. ext-insurance -> extension, when exactly one fits; otherwise the\n"
    "    finding has a count and no share);\n"
    "  - the margin (+-): an approximate 95% margin from the noise alone, not sampling error.\n"
    "    Each released day-cell carries two-sided geometric noise with a = exp(-epsilon), of\n"
    "    variance 2a/(1-a)^2; the variance of a sum adds up over its released day-cells, and\n"
    "    the margin is 1.96 standard deviations. A share's margin adds its checks' noise;\n"
    "  - too few to tell from the noise: a count released on fewer than half its days, or a\n"
    "    finding whose checks' count was. Noise alone lifts a small count to k now and then,\n"
    "    and those days are all that is left of it: such a sum may be far from the truth\n"
    "    either way. It is listed apart, with no share and no bar.\n"
    "Findings to act on (actions and blockers) are sorted by share and grouped by who must act\n"
    "(self, employer, school, agency, other); ready ones follow. The SVG chart draws the 15\n"
    "most frequent findings to act on, coloured by who must act. Also: visits by language and\n"
    "by procedure, and the checks completed.\n"
    "\n"
    "Exit codes:\n"
    "  0  every counts item was read\n"
    "  1  some counts items are damaged: listed on stderr, the others are reported\n"
    "  2  bad arguments (an unknown option or format, a date that is not YYYY-MM-DD, a pack\n"
    "     that does not load, releases of several packs without --pack)\n"
    "  3  internal error (a bug: please report it)\n"
    "  4  the database or an --odk-csv file cannot be read, or --out cannot be written\n"
    "  5  the key file cannot be used (missing, readable by others, not 64 hex digits)\n"
    "  6  the key opens none of the counts items\n"
    "  7  no counts: none stored, or none in the chosen days and offices\n"
    "  8  an --odk-csv file is not the counts form's export as Central writes it (FILE:LINE)\n";

constexpr const char* kDefaultDb = "/var/lib/kiosk-receiver/items.db";
constexpr size_t kChartBars = 15;
constexpr size_t kTableTextColumns = 60;  // a finding's text in the table, cut beyond
constexpr size_t kLineColumns = 96;       // a line of prose in the table output

struct CountsArgs {
  std::string db = kDefaultDb, key;
  std::vector<std::string> odk_csv;
  std::string pack, locale, from, to;
  std::vector<std::string> offices;
  std::string format = "table", out;
};

[[noreturn]] void fail(const std::string& message, int code) {
  std::cerr << "kioskctl counts: " << message << "\n";
  throw CLI::RuntimeError(code);
}

std::string plural(size_t n, const char* one, const char* many) {
  return with_thousands(static_cast<long long>(n)) + " " + (n == 1 ? one : many);
}

std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : separator) + s;
  return out;
}

// ---- reading ------------------------------------------------------------------------------

struct Input {
  std::vector<core::CountsRelease> releases;
  size_t damaged = 0;
  std::string source;  // for messages: the database or the CSV files
};

// Wipes the secret key however the command ends.
struct KeyWiper {
  sync::BoxKeyPair& keys;
  ~KeyWiper() { sync::wipe(keys.secret_key); }
};

void report_damaged(const std::vector<sync::DamagedItem>& damaged) {
  for (const auto& d : damaged)
    std::cerr << "kioskctl counts: damaged item " << printable(d.idem_key) << " received "
              << sync::format_utc(d.received_at) << ": " << d.reason << "\n";
  if (!damaged.empty())
    std::cerr << "kioskctl counts: " << plural(damaged.size(), "counts item", "counts items")
              << " could not be read, the others are reported (docs/agency.md, \"A damaged "
                 "item\")\n";
}

Input read_receiver(const CountsArgs& a) {
  if (a.key.empty())
    fail("--key is needed to open the receiver's items (or set KIOSK_INBOX_KEY)",
         tools::kExitBadInput);
  std::string error;
  auto keys = sync::read_agency_key(a.key, &error);
  if (!keys) fail(error, kExitBadKeyFile);
  KeyWiper wiper{*keys};
  auto scan = sync::scan_inbox(a.db, *keys, &error, /*open_handoffs=*/false);
  if (!scan) fail(error, kExitNoInput);
  if (scan->key_opens_no_counts())
    fail("this key opens none of the " + plural(scan->counts_items, "counts item", "counts items") +
             ": is it the agency.key that matches the kiosks' KIOSK_AGENCY_KEY? (" + a.key +
             " has the public key " + sync::to_hex(keys->public_key) + ")",
         kExitWrongKey);
  report_damaged(scan->damaged_counts);
  Input in{{}, scan->damaged_counts.size(), a.db};
  for (auto& c : scan->counts) in.releases.push_back(std::move(c.release));
  return in;
}

Input read_odk_csv(const CountsArgs& a) {
  tools::OdkCsvError error;
  auto releases = tools::read_odk_counts_csv(a.odk_csv, &error);
  if (!releases) {
    using Kind = tools::OdkCsvError::Kind;
    fail(printable(error.message), error.kind == Kind::Unreadable   ? kExitNoInput
                                   : error.kind == Kind::Incomplete ? tools::kExitBadInput
                                                                    : kExitBadCsv);
  }
  return {std::move(*releases), 0, joined(a.odk_csv)};
}

std::shared_ptr<const core::Pack> load_pack_or_exit(const std::string& dir) {
  std::string error;
  auto files = core::read_pack_dir(dir, &error);
  if (!files) fail("--pack " + error, tools::kExitBadInput);
  core::LoadResult result = core::load_pack(*files);
  if (!result.ok()) {
    for (const auto& d : result.diagnostics)
      if (d.severity == core::Severity::Error) std::cerr << core::format_diagnostic(d) << "\n";
    fail("--pack " + dir + ": the pack has errors (run `kioskctl pack check " + dir + "`)",
         tools::kExitBadInput);
  }
  return result.pack;
}

// Rule ids belong to a pack: releases of different packs are not added up. With --pack, the
// others are left out (and said so); without it, several packs are an error.
void keep_one_pack(std::vector<core::CountsRelease>& releases, const core::Pack* pack) {
  std::vector<std::string> ids;
  for (const auto& r : releases) ids.push_back(r.pack_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (!pack) {
    if (ids.size() > 1)
      fail("the counts come from " + std::to_string(ids.size()) + " packs (" +
               printable(joined(ids)) +
               "), whose findings cannot be added up: give --pack DIR "
               "of the one to report",
           tools::kExitBadInput);
    return;
  }
  const size_t before = releases.size();
  std::erase_if(releases, [&](const auto& r) { return r.pack_id != pack->manifest.id; });
  if (releases.size() < before)
    std::cerr << "kioskctl counts: left out "
              << plural(before - releases.size(), "release", "releases") << " of other packs than "
              << pack->manifest.id << "\n";
}

std::optional<core::Date> date_option(const std::string& text, const char* name) {
  if (text.empty()) return std::nullopt;
  auto d = core::Date::parse(text);
  if (!d)
    fail(std::string(name) + ": not a date (YYYY-MM-DD): \"" + printable(text) + "\"",
         tools::kExitBadInput);
  return d;
}

core::CountsFilter filter_or_exit(const CountsArgs& a) {
  core::CountsFilter f{date_option(a.from, "--from"), date_option(a.to, "--to"), a.offices};
  if (f.from && f.to && *f.from > *f.to)
    fail("--from " + a.from + " is after --to " + a.to, tools::kExitBadInput);
  return f;
}

// What was there, when nothing is left after the filters.
std::string describe_available(const std::vector<core::CountsRelease>& releases) {
  const CountsSummary all = core::summarize_counts(releases, nullptr);
  if (all.releases == 0) return "";
  return " (the " + plural(all.releases, "release", "releases") + " read cover " +
         all.first_day->to_string() + " to " + all.last_day->to_string() + ", " +
         (all.offices.size() == 1 ? "office " : "offices ") + printable(joined(all.offices)) + ")";
}

// ---- words for cells ----------------------------------------------------------------------

// The texts of findings, procedures and checks in the chosen language, from the pack.
struct Labels {
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

// "31%", "4.2%", "0%": one decimal where a whole percent would hide a difference.
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

// Who must act, as a word the legend and the colours know; anything else is "other".
std::string party(const std::string& responsible) {
  return core::parse_responsible(responsible) ? responsible : "other";
}

// ---- table --------------------------------------------------------------------------------

using Row = std::vector<std::string>;

// Columns two spaces apart, widths in terminal columns (Japanese texts take two each).
void print_rows(std::ostream& out, const std::vector<Row>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], tools::display_width(row[i]));
    }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - tools::display_width(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

// A text cut to `columns` of a terminal, at a word (or, in Japanese, a character) boundary.
std::string cut(const std::string& text, size_t columns, const std::string& language) {
  return tools::fit_line(text, static_cast<double>(columns), language, tools::terminal_columns);
}

std::string share_column(const FindingSum& f) {
  const std::string count = with_thousands(f.held.count);
  if (!f.share)
    return count + " " + margin_text(f.held) +
           (f.check_id.empty() ? " (check not known: give --pack)" : " (no completed check)");
  return percent(f.share->value) + " of " + printable(f.check_id) + " checks (" + count + " of " +
         with_thousands(f.checks.count) + " " + margin_text(f.held) + ")";
}

// A finding someone must act on (an action or a blocker); "ready" ones need nothing done. An
// outcome no pack has is shown as one to act on rather than hidden.
bool to_act_on(const FindingSum& f) {
  return f.outcome != "ready" && f.outcome != "not_applicable";
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

void print_header(std::ostream& out, const CountsSummary& s, const CountsArgs& a) {
  const std::string from = a.from.empty() ? s.first_day->to_string() : a.from;
  const std::string to = a.to.empty() ? s.last_day->to_string() : a.to;
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
                        const Labels& labels) {
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
    const size_t width = tools::display_width(line) + 1 + tools::display_width(word);
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

void print_findings(std::ostream& out, const CountsSummary& s, const Labels& labels) {
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

void print_undecided(std::ostream& out, const CountsSummary& s, const Labels& labels) {
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

std::string table_report(const CountsSummary& s, const CountsArgs& a, const Labels& labels) {
  std::ostringstream out;
  print_header(out, s, a);
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

// ---- csv and json -------------------------------------------------------------------------

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

std::string csv_report(const CountsSummary& s, const Labels& labels) {
  std::string out;
  tools::append_csv_row(
      out, {"table", "key", "label", "responsible", "outcome", "check", "count", "margin95",
            "released_days", "withheld_days", "of", "share", "share_margin95", "mostly_withheld"});
  tools::append_csv_row(out, csv_row(s.visits, "", "", "", "", nullptr));
  for (const auto& c : s.languages)
    tools::append_csv_row(out,
                          csv_row(c, core::language_name_in(c.key, "en"), "", "", "", &s.visits));
  for (const auto& c : s.procedures)
    tools::append_csv_row(out, csv_row(c, labels.procedure(c.key), "", "", "", &s.visits));
  for (const auto& c : s.checks)
    tools::append_csv_row(out, csv_row(c, labels.check(c.key), "", "", "", nullptr));
  for (const auto& f : s.findings) {
    const CellSum* checks = f.check_id.empty() ? nullptr : &f.checks;
    tools::append_csv_row(out, csv_row(f.held, labels.finding(f.held.key), f.responsible, f.outcome,
                                       f.check_id, checks));
    tools::append_csv_row(out, csv_row(f.undecided, labels.finding(f.held.key), f.responsible,
                                       f.outcome, f.check_id, checks));
  }
  return out;
}

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

nlohmann::json finding_json(const FindingSum& f, const Labels& labels) {
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

std::string json_report(const CountsSummary& s, const CountsArgs& a, const Labels& labels) {
  nlohmann::json j = {{"offices", s.offices},
                      {"from", a.from.empty() ? s.first_day->to_string() : a.from},
                      {"to", a.to.empty() ? s.last_day->to_string() : a.to},
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

std::vector<tools::ChartBar> chart_bars(const CountsSummary& s, const Labels& labels,
                                        const core::Localizer& strings) {
  std::vector<tools::ChartBar> bars;
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

tools::ChartText chart_text(const CountsSummary& s, const CountsArgs& a, const Labels& labels,
                            const std::vector<tools::ChartBar>& bars,
                            const core::Localizer& strings) {
  const std::string& tag = labels.locale;
  auto say = [&](const char* id, const core::Args& args = {}) {
    return strings.format_in(tag, id, args);
  };
  tools::ChartText t;
  t.language = tag;
  t.title = say("report.counts.title");
  const std::string from = a.from.empty() ? s.first_day->to_string() : a.from;
  const std::string to = a.to.empty() ? s.last_day->to_string() : a.to;
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

std::string svg_report(const CountsSummary& s, const CountsArgs& a, const Labels& labels) {
  auto strings = chart_strings(labels.locale);
  const auto bars = chart_bars(s, labels, *strings);
  return tools::counts_chart_svg(chart_text(s, a, labels, bars, *strings), bars);
}

// ---- the command --------------------------------------------------------------------------

void write_output(const CountsArgs& a, const std::string& bytes) {
  if (a.out.empty()) {
    std::cout << bytes;
    return;
  }
  std::string error;
  // Counts are anonymous: readable like any report.
  if (!sync::write_file_atomic(a.out, bytes, 0644, &error)) fail(error, kExitNoInput);
  std::cerr << "wrote " << a.out << "\n";
}

std::string locale_or_exit(const CountsArgs& a, const core::Pack* pack) {
  const std::string wanted = !a.locale.empty() ? a.locale
                             : pack            ? pack->manifest.office_language
                                               : std::string("en");
  std::string tag = core::canonical_tag(wanted);
  if (tag.empty())
    fail("--locale: not a language tag: \"" + printable(a.locale) + "\"", tools::kExitBadInput);
  return tag;
}

void run_report(const CountsArgs& a) {
  const core::CountsFilter filter = filter_or_exit(a);
  const auto pack = a.pack.empty() ? nullptr : load_pack_or_exit(a.pack);
  const Labels labels{pack.get(), locale_or_exit(a, pack.get())};
  Input in = a.odk_csv.empty() ? read_receiver(a) : read_odk_csv(a);
  if (in.releases.empty())
    fail("no counts in " + printable(in.source) +
             (a.odk_csv.empty() ? ": no kiosk has sent any yet (are they started with "
                                  "KIOSK_COUNTS=on? a day is sent once it is over)"
                                : ""),
         kExitNoCounts);
  keep_one_pack(in.releases, pack.get());
  const CountsSummary s = core::summarize_counts(in.releases, pack.get(), filter);
  if (s.releases == 0)
    fail("no counts for the days and offices asked" + describe_available(in.releases),
         kExitNoCounts);
  std::string bytes = a.format == "csv"    ? csv_report(s, labels)
                      : a.format == "json" ? json_report(s, a, labels)
                      : a.format == "svg"  ? svg_report(s, a, labels)
                                           : table_report(s, a, labels);
  write_output(a, bytes);
  if (in.damaged) throw CLI::RuntimeError(kExitDamaged);
}

}  // namespace

void add_counts_commands(CLI::App& app) {
  CLI::App* counts =
      app.add_subcommand("counts", "The anonymous counts the kiosks sent: the agency's view");
  counts->require_subcommand(1);
  auto a = std::make_shared<CountsArgs>();
  CLI::App* report = counts->add_subcommand(
      "report",
      "The most frequent findings by who must act, and visits by language and procedure, "
      "over days and offices");
  report->footer(kHelpFooter);
  CLI::Option* db = report->add_option("--db", a->db, "The kiosk-receiver's database (read-only)")
                        ->envname("KIOSK_INBOX_DB")
                        ->capture_default_str();
  report->add_option("--key", a->key, "The agency's secret key (agency.key, mode 0600), with --db")
      ->envname("KIOSK_INBOX_KEY");
  report
      ->add_option("--odk-csv", a->odk_csv,
                   "Instead of --db: ODK Central's CSV export of the counts form, unzipped: the "
                   "submissions file and the cell file (give the option once for each)")
      ->excludes(db);
  report->add_option("--pack", a->pack,
                     "The pack folder: finding texts and each finding's check (else rule ids)");
  report->add_option("--locale", a->locale,
                     "Language of the finding texts and the chart (default: the pack's office "
                     "language, else en)");
  report->add_option("--from", a->from, "First day counted (YYYY-MM-DD)");
  report->add_option("--to", a->to, "Last day counted (YYYY-MM-DD)");
  report->add_option("--office", a->offices, "Only this office (KIOSK_OFFICE); may be repeated");
  report->add_option("--format", a->format, "table, csv, json or svg (a bar chart)")
      ->check(CLI::IsMember({"table", "csv", "json", "svg"}))
      ->capture_default_str();
  report->add_option("--out", a->out, "File to write; default: standard output");
  report->callback([a] { run_report(*a); });
}
