// SPDX-License-Identifier: GPL-3.0-or-later
// kioskctl subcommands owned by sync/: `repo ...` (publisher side) and `outbox ...` (staff).
// main.cpp calls these once to register them.
#pragma once

namespace CLI {
class App;
}

void add_repo_commands(CLI::App& app);
void add_outbox_commands(CLI::App& app);
// `form export|keygen` (cmd_form.cpp): the XForm an OpenRosa server holds for hand-offs.
void add_form_commands(CLI::App& app);
// `inbox list|show|export` (cmd_inbox.cpp): the help desk reads a kiosk-receiver's hand-offs.
void add_inbox_commands(CLI::App& app);
// `counts report` (cmd_counts.cpp): the agency adds up the kiosks' anonymous counts.
void add_counts_commands(CLI::App& app);
