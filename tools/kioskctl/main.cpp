// SPDX-License-Identifier: GPL-3.0-or-later
// kioskctl: staff tool over core/ (and sync/): check a pack, evaluate a readiness check
// from a JSON answers file, manage the pack store, build a pack repository, show the outbox.
//  1. build the command tree (one add_*_commands per cmd_*.cpp)
//  2. parse the arguments; the chosen command runs from its callback and reports its exit
//     code by throwing CLI::RuntimeError(code)
//  3. bad arguments exit 2; an unexpected exception is a bug: report it and exit 3
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "tools/kioskctl/commands.h"
#include "tools/kioskctl/sync_commands.h"

int main(int argc, char** argv) {
  CLI::App app{"kioskctl: staff tool for migrant kiosk packs and readiness checks"};
  app.require_subcommand(1);
  app.set_version_flag("--version", KIOSK_APP_VERSION);
  add_pack_commands(app);
  add_repo_commands(app);
  add_outbox_commands(app);
  add_form_commands(app);
  add_inbox_commands(app);
  add_counts_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kiosk::tools::kExitOk : kiosk::tools::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "kioskctl: internal error: " << e.what() << "\n";
    return kiosk::tools::kExitInternal;
  }
  return kiosk::tools::kExitOk;
}
