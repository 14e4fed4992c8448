// SPDX-License-Identifier: GPL-3.0-or-later
// Sub-commands of kioskctl owned by core/: `pack check|install|list|activate|rollback` and
// `check` (cmd_pack.cpp). Like sync_commands.h, a command reports a non-zero exit code by
// throwing CLI::RuntimeError(code); main.cpp turns it into the process exit code.
#pragma once

namespace CLI {
class App;
}

namespace kiosk::tools {
constexpr int kExitOk = 0;
constexpr int kExitProblems = 1;  // the pack has errors / a store operation failed
constexpr int kExitBadInput = 2;  // invalid answers, date or command-line arguments
constexpr int kExitInternal = 3;  // a bug: an unexpected exception
}  // namespace kiosk::tools

void add_pack_commands(CLI::App& app);
