// SPDX-License-Identifier: GPL-3.0-or-later
// platform/paths.h: where the kiosk keeps configuration, state and caches.
// Development (not installed): XDG base directories, e.g. ~/.config/migrant-kiosk.
// Installed (program under /usr): /etc/migrant-kiosk, /var/lib/migrant-kiosk,
// /var/cache/migrant-kiosk. Nothing here ever holds a user's answers: only packs, the outbox of
// consented items, settings.
#pragma once
#include <filesystem>
#include <string>

namespace kiosk::platform {

struct Paths {
  std::filesystem::path config_dir;  // settings.yaml, trusted keys
  std::filesystem::path state_dir;   // pack store, outbox (SQLite)
  std::filesystem::path cache_dir;   // partial downloads
  bool installed = false;            // true when running from /usr
};

// Resolves the directories for this process; `env` lookups use getenv.
Paths resolve_paths();

// Creates `dir` (and parents) with mode 0700; returns false and fills `error` on failure.
bool ensure_private_dir(const std::filesystem::path& dir, std::string* error);

}  // namespace kiosk::platform
