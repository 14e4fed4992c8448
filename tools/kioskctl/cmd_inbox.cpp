// SPDX-License-Identifier: GPL-3.0-or-later
// kioskctl inbox list | show | export: the help desk reads the hand-offs a kiosk-receiver
// stored, with the agency's secret key (docs/agency.md). The receiver's database is opened
// read-only and never changed; the key is wiped from memory once the items are open.
//
// Everything shown comes from outside: anyone who has the agency's public key can seal an
// item and post it. So texts are shown with control characters masked (no terminal escape
// sequences), and CSV cells that a spreadsheet would run as a formula are quoted.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/date.h"
#include "core/i18n.h"
#include "sync/files.h"
#include "sync/inbox.h"
#include "sync/manifest.h"
#include "tools/kioskctl/commands.h"
#include "tools/kioskctl/sync_commands.h"
#include "tools/kioskctl/text_output.h"

namespace {

using namespace kiosk;
using sync::InboxHandoff;
using tools::append_csv_row;
using tools::printable;

// Exit codes of `kioskctl inbox`; 2 and 3 are kioskctl's own (commands.h).
constexpr int kExitDamaged = 1;      // some items could not be read; the others were shown
constexpr int kExitNoDatabase = 4;   // the database cannot be read, or --out cannot be written
constexpr int kExitBadKeyFile = 5;   // agency.key missing, readable by others, malformed
constexpr int kExitWrongKey = 6;     // the key opens none of the items
constexpr int kExitUnknownCode = 7;  // show: no hand-off has this code

constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  every item was read\n"
    "  1  some items are damaged: listed on stderr with their item key and reason,\n"
    "     the others are shown (docs/agency.md, \"A damaged item\")\n"
    "  2  bad arguments (unknown option, a date that is not YYYY-MM-DD, a malformed code)\n"
    "  3  internal error (a bug: please report it)\n"
    "  4  the database cannot be read (missing, no permission, not a kiosk-receiver's),\n"
    "     or the --out file cannot be written\n"
    "  5  the key file cannot be used (missing, readable by others, not 64 hex digits)\n"
    "  6  the key opens none of the items: it is not the agency.key that matches the\n"
    "     kiosks' KIOSK_AGENCY_KEY\n"
    "  7  show: no hand-off has this code\n";

// The receiver's database where the migrant-kiosk-agency package puts it.
constexpr const char* kDefaultDb = "/var/lib/kiosk-receiver/items.db";
// The reference code's characters (kiosk/checklist.h kReferenceAlphabet): no 0, 1, I, O.
constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

struct InboxArgs {
  std::string db = kDefaultDb, key;
  std::string from, to, procedure;  // list and export filters
  std::string code;                 // show
  std::string format = "csv", rows = "handoffs", out;
  bool bom = false;
};

[[noreturn]] void fail(const std::string& message, int code) {
  std::cerr << "kioskctl inbox: " << message << "\n";
  throw CLI::RuntimeError(code);
}

// ---- reading ------------------------------------------------------------------------------

// Wipes the secret key however the command ends.
struct KeyWiper {
  sync::BoxKeyPair& keys;
  ~KeyWiper() { sync::wipe(keys.secret_key); }
};

std::string plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

sync::InboxScan read_inbox_or_exit(const InboxArgs& a) {
  std::string error;
  auto keys = sync::read_agency_key(a.key, &error);
  if (!keys) fail(error, kExitBadKeyFile);
  KeyWiper wiper{*keys};
  auto scan = sync::scan_inbox(a.db, *keys, &error);
  if (!scan) fail(error, kExitNoDatabase);
  if (scan->key_opens_nothing())
    fail("this key opens none of the " + plural(scan->handoff_items, "item", "items") +
             ": is it the agency.key that matches the kiosks' KIOSK_AGENCY_KEY? (" + a.key +
             " has the public key " + sync::to_hex(keys->public_key) + ")",
         kExitWrongKey);
  return std::move(*scan);
}

core::Date received_date(int64_t unix_seconds) {
  const int64_t day = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  return core::Date::from_days(day).value_or(core::Date());
}

// --from, --to (the day the receiver stored the item, UTC) and --procedure.
struct Filter {
  std::optional<core::Date> from, to;
  std::string procedure;

  bool received_in_range(int64_t received_at) const {
    const core::Date d = received_date(received_at);
    return (!from || d >= *from) && (!to || d <= *to);
  }
  bool keeps(const InboxHandoff& h) const {
    return received_in_range(h.received_at) &&
           (procedure.empty() || h.handoff.procedure_id == procedure);
  }
  bool active() const { return from || to || !procedure.empty(); }
};

std::optional<core::Date> date_option(const std::string& text, const char* name) {
  if (text.empty()) return std::nullopt;
  auto d = core::Date::parse(text);
  if (!d)
    fail(std::string(name) + ": not a date (YYYY-MM-DD): \"" + text + "\"", tools::kExitBadInput);
  return d;
}

Filter filter_or_exit(const InboxArgs& a) {
  Filter f{date_option(a.from, "--from"), date_option(a.to, "--to"), a.procedure};
  if (f.from && f.to && *f.from > *f.to)
    fail("--from " + a.from + " is after --to " + a.to, tools::kExitBadInput);
  return f;
}

std::vector<const InboxHandoff*> kept(const sync::InboxScan& scan, const Filter& filter) {
  std::vector<const InboxHandoff*> out;
  for (const auto& h : scan.handoffs)
    if (filter.keeps(h)) out.push_back(&h);
  return out;
}

// Damaged items go to stderr, so that list and export output stays clean; the date filter
// applies to them too (they have no procedure), so an old one does not shout forever.
int report_damaged(const sync::InboxScan& scan, const Filter& filter) {
  size_t n = 0;
  for (const auto& d : scan.damaged) {
    if (!filter.received_in_range(d.received_at)) continue;
    std::cerr << "kioskctl inbox: damaged item " << printable(d.idem_key) << " received "
              << sync::format_utc(d.received_at) << ": " << d.reason << "\n";
    ++n;
  }
  if (n == 0) return tools::kExitOk;
  std::cerr << "kioskctl inbox: " << plural(n, "item", "items")
            << " could not be read, the others are shown (docs/agency.md, \"A damaged item\")\n";
  return kExitDamaged;
}

// ---- showing ------------------------------------------------------------------------------

int findings_to_act(const core::Handoff& h) {
  return static_cast<int>(std::count_if(h.findings.begin(), h.findings.end(), [](const auto& f) {
    return f.outcome == core::Outcome::Action || f.outcome == core::Outcome::Blocker;
  }));
}

// "-" for a version-1 item, which carries no findings.
std::string to_act_cell(const core::Handoff& h) {
  return h.version >= 2 ? std::to_string(findings_to_act(h)) : "-";
}

using Row = std::vector<std::string>;

// Left-aligned columns two spaces apart, widths from the widest cell (ASCII cells only:
// codes, dates, ids, language tags, numbers).
void print_table(const std::vector<Row>& rows, const std::string& indent = "") {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

std::string dashed_code(const std::string& code) {
  std::string c = printable(code);
  return c.size() == 8 && c.find('-') == std::string::npos ? c.substr(0, 4) + "-" + c.substr(4) : c;
}

std::string describe_filter(const InboxArgs& a) {
  std::string out;
  if (!a.from.empty()) out += " from " + a.from;
  if (!a.to.empty()) out += " to " + a.to;
  if (!a.procedure.empty()) out += ", procedure " + a.procedure;
  return out;
}

void print_skipped_kinds(const sync::InboxScan& scan) {
  size_t n = 0;
  std::string kinds;
  for (const auto& [kind, count] : scan.skipped_kinds) {
    n += count;
    kinds += (kinds.empty() ? "" : ", ") + printable(kind) + " " + std::to_string(count);
  }
  if (n) std::cout << plural(n, "item", "items") << " of other kinds not shown (" << kinds << ")\n";
}

void run_list(const InboxArgs& a) {
  const Filter filter = filter_or_exit(a);
  const sync::InboxScan scan = read_inbox_or_exit(a);
  const auto shown = kept(scan, filter);
  if (!shown.empty()) {
    std::vector<Row> rows{{"CODE", "VISIT", "PROCEDURE", "LANG", "OFFICE", "RECEIVED", "TO ACT"}};
    for (const InboxHandoff* h : shown)
      rows.push_back({dashed_code(h->handoff.code), h->handoff.date.to_string(),
                      printable(h->handoff.procedure_id), printable(h->handoff.language),
                      printable(h->handoff.office_language), sync::format_utc(h->received_at),
                      to_act_cell(h->handoff)});
    print_table(rows);
  }
  if (filter.active())
    std::cout << shown.size() << " of " << plural(scan.handoffs.size(), "hand-off", "hand-offs")
              << " received" << describe_filter(a) << "\n";
  else
    std::cout << plural(shown.size(), "hand-off", "hand-offs") << "\n";
  print_skipped_kinds(scan);
  if (int rc = report_damaged(scan, filter)) throw CLI::RuntimeError(rc);
}

// "K7F3-9qpx", "k7f39qpx", "K7F3 9QPX" -> "K7F39QPX".
std::string normalized_code(std::string_view code) {
  std::string out;
  for (char c : code)
    if (c != '-' && c != ' ') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string code_or_exit(const std::string& typed) {
  std::string code = normalized_code(typed);
  const bool valid = code.size() == 8 && code.find_first_not_of(kCodeAlphabet) == std::string::npos;
  if (!valid)
    fail("\"" + printable(typed) +
             "\" is not a reference code: 8 characters like K7F3-9QPX, digits 2-9 and "
             "letters A-Z without I and O",
         tools::kExitBadInput);
  return code;
}

std::string language_label(const std::string& tag) {
  const std::string name = core::language_name_in(tag, "en");
  return printable(tag) + (name.empty() || name == tag ? "" : " " + printable(name));
}

void print_checklist(const std::string& tag, const char* whose, const std::string& text) {
  std::cout << "\nChecklist in " << language_label(tag) << " (" << whose << "):\n";
  std::istringstream lines(printable(text, /*multiline=*/true));
  for (std::string line; std::getline(lines, line);) std::cout << "  " << line << "\n";
}

std::string outcome_cell(const core::HandoffFinding& f) {
  return std::string(core::outcome_name(f.outcome)) + (f.undecided ? " (undecided)" : "");
}

void print_findings(const core::Handoff& h) {
  if (h.version < 2) {
    std::cout << "\nFindings: not in this item (format version 1: see the checklist)\n";
    return;
  }
  std::cout << "\nFindings: " << h.findings.size() << ", " << findings_to_act(h) << " to act on\n";
  if (h.findings.empty()) return;
  std::vector<Row> rows{{"RULE", "OUTCOME", "WHO MUST ACT", "DEADLINE"}};
  for (const auto& f : h.findings)
    rows.push_back({printable(f.rule_id), outcome_cell(f), core::responsible_name(f.responsible),
                    f.deadline ? f.deadline->to_string() : "-"});
  print_table(rows, "  ");
}

void print_handoff(const InboxHandoff& item) {
  const core::Handoff& h = item.handoff;
  std::cout << "Hand-off " << dashed_code(h.code) << "\n";
  print_table(
      {{"visit", h.date.to_string()},
       {"procedure", printable(h.procedure_id)},
       {"pack", printable(h.pack_id) + " " + printable(h.pack_version)},
       {"visitor", language_label(h.language)},
       {"office", language_label(h.office_language)},
       {"received", sync::format_utc(item.received_at)},
       {"item", printable(item.idem_key) + " (format version " + std::to_string(h.version) + ")"}},
      "  ");
  if (h.office_language == h.language) {
    print_checklist(h.language, "the visitor's and the office's language", h.checklist_user);
  } else {
    print_checklist(h.office_language, "the office's language", h.checklist_office);
    print_checklist(h.language, "the visitor's language", h.checklist_user);
  }
  print_findings(h);
}

void run_show(const InboxArgs& a) {
  const std::string code = code_or_exit(a.code);
  const sync::InboxScan scan = read_inbox_or_exit(a);
  std::vector<const InboxHandoff*> matches;
  for (const auto& h : scan.handoffs)
    if (normalized_code(h.handoff.code) == code) matches.push_back(&h);
  const int damaged = report_damaged(scan, Filter{});
  if (matches.empty()) {
    std::string why = "no hand-off has the code " + dashed_code(code) + " (" +
                      plural(scan.handoffs.size(), "hand-off", "hand-offs") + " searched";
    if (damaged) why += "; it may be one of the damaged items above";
    fail(why + ")", kExitUnknownCode);
  }
  if (matches.size() > 1)
    std::cout << matches.size() << " hand-offs have the code " << dashed_code(code)
              << ": codes are random, so two visits can share one; tell them apart by the "
                 "visit date and the checklist\n\n";
  for (size_t i = 0; i < matches.size(); ++i) {
    if (i) std::cout << "\n" << std::string(72, '=') << "\n\n";
    print_handoff(*matches[i]);
  }
  if (damaged) throw CLI::RuntimeError(damaged);
}

// ---- export -------------------------------------------------------------------------------

std::string csv_of_handoffs(const std::vector<const InboxHandoff*>& items) {
  std::string out;
  append_csv_row(out, {"code", "visit_date", "procedure", "language", "office_language",
                       "received_at", "to_act", "findings", "pack_id", "pack_version", "version",
                       "item", "checklist_office", "checklist_visitor"});
  for (const InboxHandoff* item : items) {
    const core::Handoff& h = item->handoff;
    append_csv_row(
        out, {dashed_code(h.code), h.date.to_string(), h.procedure_id, h.language,
              h.office_language, sync::format_utc(item->received_at),
              h.version >= 2 ? std::to_string(findings_to_act(h)) : "",
              h.version >= 2 ? std::to_string(h.findings.size()) : "", h.pack_id, h.pack_version,
              std::to_string(h.version), item->idem_key, h.checklist_office, h.checklist_user});
  }
  return out;
}

// One row per finding, for counting in a spreadsheet (who must act on what, by when).
std::string csv_of_findings(const std::vector<const InboxHandoff*>& items) {
  std::string out;
  append_csv_row(out, {"code", "visit_date", "procedure", "rule", "outcome", "responsible",
                       "deadline", "undecided", "item"});
  for (const InboxHandoff* item : items) {
    const core::Handoff& h = item->handoff;
    for (const auto& f : h.findings)
      append_csv_row(out, {dashed_code(h.code), h.date.to_string(), h.procedure_id, f.rule_id,
                           core::outcome_name(f.outcome), core::responsible_name(f.responsible),
                           f.deadline ? f.deadline->to_string() : "",
                           f.undecided ? "true" : "false", item->idem_key});
  }
  return out;
}

// The items as the kiosks sealed them, plus what the receiver knows: when and under which key.
std::string json_of_handoffs(const std::vector<const InboxHandoff*>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const InboxHandoff* item : items) {
    nlohmann::json j = nlohmann::json::parse(item->json, nullptr, /*allow_exceptions=*/false);
    j["received_at"] = sync::format_utc(item->received_at);
    j["idem_key"] = item->idem_key;
    out.push_back(std::move(j));
  }
  return out.dump(2) + "\n";
}

void write_output(const InboxArgs& a, const std::string& bytes, size_t count) {
  if (a.out.empty()) {
    std::cout << bytes;
    return;
  }
  std::string error;
  // 0600: a checklist names no one, but it is the visitor's situation.
  if (!sync::write_file_atomic(a.out, bytes, 0600, &error)) fail(error, kExitNoDatabase);
  std::cerr << "wrote " << a.out << ": " << plural(count, "hand-off", "hand-offs") << "\n";
}

void run_export(const InboxArgs& a) {
  if (a.format == "json" && a.rows != "handoffs")
    fail("--rows " + a.rows + " is for --format csv; the JSON holds each hand-off's findings",
         tools::kExitBadInput);
  const Filter filter = filter_or_exit(a);
  const sync::InboxScan scan = read_inbox_or_exit(a);
  const auto items = kept(scan, filter);
  std::string bytes;
  if (a.format == "json") {
    bytes = json_of_handoffs(items);
  } else {
    bytes = a.bom ? "\xEF\xBB\xBF" : "";
    bytes += a.rows == "findings" ? csv_of_findings(items) : csv_of_handoffs(items);
  }
  write_output(a, bytes, items.size());
  if (int rc = report_damaged(scan, filter)) throw CLI::RuntimeError(rc);
}

// ---- command line -------------------------------------------------------------------------

void add_source_options(CLI::App* cmd, InboxArgs& a) {
  cmd->add_option("--db", a.db, "The kiosk-receiver's database (read-only)")
      ->envname("KIOSK_INBOX_DB")
      ->capture_default_str();
  cmd->add_option("--key", a.key, "The agency's secret key (agency.key, mode 0600)")
      ->envname("KIOSK_INBOX_KEY")
      ->required();
}

void add_filter_options(CLI::App* cmd, InboxArgs& a) {
  cmd->add_option("--from", a.from, "Only items received on or after this day (YYYY-MM-DD, UTC)");
  cmd->add_option("--to", a.to, "Only items received on or before this day (YYYY-MM-DD, UTC)");
  cmd->add_option("--procedure", a.procedure, "Only hand-offs for this procedure id");
}

}  // namespace

void add_inbox_commands(CLI::App& app) {
  CLI::App* inbox = app.add_subcommand(
      "inbox", "Read the hand-offs a kiosk-receiver stored, with the agency's secret key");
  inbox->require_subcommand(1);
  inbox->footer(kExitCodesHelp);  // before the subcommands, which copy it
  auto args = std::make_shared<InboxArgs>();

  CLI::App* list = inbox->add_subcommand(
      "list", "One line per hand-off, newest first: code, visit, procedure, languages, received");
  add_source_options(list, *args);
  add_filter_options(list, *args);
  list->callback([args] { run_list(*args); });

  CLI::App* show = inbox->add_subcommand(
      "show", "A hand-off by its reference code: both checklists and the findings");
  add_source_options(show, *args);
  show->add_option("code", args->code, "Reference code, e.g. K7F3-9QPX (any case, dash optional)")
      ->required();
  show->callback([args] { run_show(*args); });

  CLI::App* exp = inbox->add_subcommand("export", "All hand-offs as CSV (RFC 4180, UTF-8) or JSON");
  add_source_options(exp, *args);
  add_filter_options(exp, *args);
  exp->add_option("--format", args->format, "csv or json")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  exp->add_option("--rows", args->rows, "CSV rows: one per hand-off, or one per finding")
      ->check(CLI::IsMember({"handoffs", "findings"}))
      ->capture_default_str();
  exp->add_option("--out", args->out, "File to write (mode 0600); default: standard output");
  exp->add_flag("--bom", args->bom, "Start the CSV with a UTF-8 byte order mark (for Excel)");
  exp->callback([args] { run_export(*args); });
}
