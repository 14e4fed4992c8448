// SPDX-License-Identifier: GPL-3.0-or-later
// kioskctl pack check | install | list | activate | rollback, and kioskctl check.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "core/eval.h"
#include "core/i18n.h"
#include "core/pack.h"
#include "core/pack_store.h"
#include "core/result_messages.h"
#include "tools/kioskctl/commands.h"

namespace {

using namespace kiosk::core;
using kiosk::tools::kExitBadInput;
using kiosk::tools::kExitOk;
using kiosk::tools::kExitProblems;

[[noreturn]] void exit_with(int code) {
  throw CLI::RuntimeError(code);
}

// Reads a pack folder; exits 1 with a message when it cannot be read.
PackFiles read_dir_or_exit(const std::string& dir, const char* command) {
  std::string error;
  auto files = read_pack_dir(dir, &error);
  if (!files) {
    std::cerr << "kioskctl " << command << ": " << error << "\n";
    exit_with(kExitProblems);
  }
  return *files;
}

void print_diagnostics(const std::vector<Diagnostic>& diags, std::ostream& out) {
  for (const auto& d : diags) out << format_diagnostic(d) << "\n";
}

// Counts per severity, then each language's completeness (even when there are errors).
void print_summary(const LoadResult& result) {
  int errors = 0, warnings = 0;
  for (const auto& d : result.diagnostics) (d.severity == Severity::Error ? errors : warnings)++;
  std::cout << errors << " error(s), " << warnings << " warning(s)\n";
  if (result.pack) {
    const Pack& pack = *result.pack;
    std::cout << "pack " << pack.manifest.id << " " << pack.manifest.version << ": "
              << pack.questions.size() << " questions, " << pack.rules.size() << " rules, "
              << pack.procedures.size() << " procedures\n";
  }
  if (result.completeness.empty()) return;
  std::cout << "languages:\n";
  for (const auto& [tag, percent] : result.completeness)
    std::cout << "  " << tag << "  " << percent << "%\n";
}

void run_pack_check(const std::string& dir) {
  PackFiles files = read_dir_or_exit(dir, "pack check");
  LoadResult result = load_pack(files);
  print_diagnostics(result.diagnostics, std::cout);
  print_summary(result);
  if (!result.ok()) exit_with(kExitProblems);
}

std::shared_ptr<const Pack> load_or_exit(const std::string& dir) {
  PackFiles files = read_dir_or_exit(dir, "check");
  LoadResult result = load_pack(files);
  if (!result.ok()) {
    std::cerr << "kioskctl check: the pack has errors (run `kioskctl pack check " << dir << "`):\n";
    print_diagnostics(result.diagnostics, std::cerr);
    exit_with(kExitProblems);
  }
  return result.pack;
}

std::unique_ptr<Localizer> make_localizer(const Pack& pack) {
  auto localizer = std::make_unique<Localizer>(pack.manifest.base_language);
  add_pack_catalogues(pack, *localizer);
  return localizer;
}

struct CheckOptions {
  std::string pack_dir, answers_file, today, locale, check_id;
  bool json = false;
};

std::string read_file_or_exit(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "kioskctl check: cannot read " << path << "\n";
    exit_with(kExitBadInput);
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The check to run: --check, else the first check in rules.yaml order.
std::string choose_check(const Pack& pack, const std::string& requested) {
  if (!requested.empty()) {
    for (const auto& r : pack.rules)
      if (r.check_id == requested) return requested;
    std::cerr << "kioskctl check: the pack has no check '" << requested << "'; it has:";
    for (const auto& id : pack.check_ids()) std::cerr << " " << id;
    std::cerr << "\n";
    exit_with(kExitBadInput);
  }
  if (pack.rules.empty()) {
    std::cerr << "kioskctl check: the pack has no rules\n";
    exit_with(kExitBadInput);
  }
  return pack.rules.front().check_id;
}

void run_check(const CheckOptions& o) {
  auto today = Date::parse(o.today);
  if (!today) {
    std::cerr << "kioskctl check: --today must be a real date YYYY-MM-DD\n";
    exit_with(kExitBadInput);
  }
  auto pack = load_or_exit(o.pack_dir);
  std::string error;
  auto answers = parse_answers_json(*pack, read_file_or_exit(o.answers_file), &error);
  if (!answers) {
    std::cerr << "kioskctl check: " << o.answers_file << ": " << error << "\n";
    exit_with(kExitBadInput);
  }
  std::string check_id = choose_check(*pack, o.check_id);
  CheckResult result = evaluate(*pack, check_id, *answers, *today);
  for (auto& [id, a] : *answers) a.wipe();
  std::unique_ptr<Localizer> localizer;
  if (!o.locale.empty()) localizer = make_localizer(*pack);
  std::cout << (o.json ? to_json(result, localizer.get(), o.locale)
                       : to_text(result, localizer.get(), o.locale));
}

void fail_store(const std::string& error) {
  std::cerr << "kioskctl pack: " << error << "\n";
  exit_with(kExitProblems);
}

void add_store_commands(CLI::App* pack) {
  auto store_path = std::make_shared<std::string>();
  auto id = std::make_shared<std::string>();
  auto version = std::make_shared<std::string>();
  auto dir = std::make_shared<std::string>();

  CLI::App* install =
      pack->add_subcommand("install", "Validate a pack folder and install it into the store");
  install->add_option("DIR", *dir, "Pack folder")->required();
  install->add_option("--store", *store_path, "Pack store (SQLite file)")->required();
  install->callback([=] {
    PackFiles files = read_dir_or_exit(*dir, "pack install");
    PackStore store;
    std::string error;
    if (!store.open(*store_path, &error)) fail_store(error);
    auto installed = store.install(files, &error);
    if (!installed) fail_store(error);
    std::cout << "installed " << installed->first << " " << installed->second << "\n";
  });

  CLI::App* list = pack->add_subcommand(
      "list",
      "List installed packs (* marks the active version; a version that did not load on the "
      "kiosk says why)");
  list->add_option("--store", *store_path, "Pack store (SQLite file)")->required();
  list->callback([=] {
    PackStore store;
    std::string error;
    if (!store.open(*store_path, &error)) fail_store(error);
    for (const auto& p : store.list()) {
      std::cout << (p.active ? "* " : "  ") << p.id << " " << p.version << "  installed "
                << p.installed_at;
      if (!p.bad_reason.empty()) std::cout << "  DOES NOT LOAD: " << p.bad_reason;
      std::cout << "\n";
    }
  });

  auto retry = std::make_shared<bool>(false);
  CLI::App* activate =
      pack->add_subcommand("activate", "Make a version the active one, atomically");
  activate->add_option("ID", *id, "Pack id")->required();
  activate->add_option("VERSION", *version, "Version")->required();
  activate->add_option("--store", *store_path, "Pack store (SQLite file)")->required();
  activate->add_flag("--retry", *retry,
                     "Activate a version marked as not loading (after fixing the cause, e.g. "
                     "updating the app); the kiosk checks it again at its next start");
  activate->callback([=] {
    PackStore store;
    std::string error;
    if (!store.open(*store_path, &error)) fail_store(error);
    if (*retry && !store.clear_bad(*id, *version, &error)) fail_store(error);
    if (!store.activate(*id, *version, &error)) {
      if (store.bad_reason(*id, *version)) error += " (kioskctl pack activate --retry)";
      fail_store(error);
    }
    std::cout << "active: " << *id << " " << *version << "\n";
  });

  CLI::App* rollback =
      pack->add_subcommand("rollback", "Re-activate the previously active version");
  rollback->add_option("ID", *id, "Pack id")->required();
  rollback->add_option("--store", *store_path, "Pack store (SQLite file)")->required();
  rollback->callback([=] {
    PackStore store;
    std::string error;
    if (!store.open(*store_path, &error) || !store.rollback(*id, &error)) fail_store(error);
    std::cout << "active: " << *id << " " << store.active_version(*id).value_or("?") << "\n";
  });
}

}  // namespace

void add_pack_commands(CLI::App& app) {
  CLI::App* pack = app.add_subcommand("pack", "Check packs and manage the pack store");
  pack->require_subcommand(1);

  auto dir = std::make_shared<std::string>();
  CLI::App* check = pack->add_subcommand(
      "check", "Validate a pack folder: file:line:col diagnostics, completeness");
  check->add_option("DIR", *dir, "Pack folder")->required();
  check->callback([dir] { run_pack_check(*dir); });
  add_store_commands(pack);

  auto options = std::make_shared<CheckOptions>();
  CLI::App* eval =
      app.add_subcommand("check", "Evaluate a readiness check from a JSON answers file");
  eval->add_option("--pack", options->pack_dir, "Pack folder")->required();
  eval->add_option("--answers", options->answers_file, "Answers as JSON (see docs/pack-format.md)")
      ->required();
  eval->add_option("--today", options->today, "Date of the evaluation, YYYY-MM-DD")->required();
  eval->add_option("--check", options->check_id,
                   "Readiness check id (default: the first in rules.yaml)");
  eval->add_option("--locale", options->locale, "Format messages in this language (BCP 47 tag)");
  eval->add_flag("--json", options->json, "Print the result as JSON");
  eval->callback([options] { run_check(*options); });
}
