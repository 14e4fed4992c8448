// SPDX-License-Identifier: GPL-3.0-or-later
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
#include <iostream>
#include <memory>

#include "core/counts_report.h"
#include "core/i18n.h"
#include "core/pack.h"
#include "sync/files.h"
#include "sync/inbox.h"
#include "sync/manifest.h"
#include "tools/kioskctl/commands.h"
#include "tools/kioskctl/counts_output.h"
#include "tools/kioskctl/odk_counts_csv.h"
#include "tools/kioskctl/sync_commands.h"
#include "tools/kioskctl/text_output.h"

namespace {

using namespace kiosk;
using core::CountsSummary;
using tools::joined;
using tools::plural;
using tools::printable;

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
  const tools::CountsLabels labels{pack.get(), locale_or_exit(a, pack.get())};
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
  const tools::ReportPeriod period{a.from.empty() ? s.first_day->to_string() : a.from,
                                   a.to.empty() ? s.last_day->to_string() : a.to};
  std::string bytes = a.format == "csv"    ? tools::counts_csv(s, labels)
                      : a.format == "json" ? tools::counts_report_json(s, period, labels)
                      : a.format == "svg"  ? tools::counts_svg(s, period, labels)
                                           : tools::counts_table(s, period, labels);
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
