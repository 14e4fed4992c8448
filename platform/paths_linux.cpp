// SPDX-License-Identifier: GPL-3.0-or-later
#include <unistd.h>

#include <cstdlib>
#include <system_error>

#include "platform/paths.h"

namespace kiosk::platform {

static const char* kAppDirName = "migrant-kiosk";

static std::filesystem::path env_or(const char* name, const std::filesystem::path& fallback) {
  const char* v = std::getenv(name);
  // The XDG spec says relative paths are invalid and must be ignored.
  if (v && v[0] == '/') return v;
  return fallback;
}

static bool running_from_usr() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return !ec && exe.string().rfind("/usr/", 0) == 0;
}

Paths resolve_paths() {
  Paths p;
  p.installed = running_from_usr();
  if (p.installed) {
    p.config_dir = std::filesystem::path("/etc") / kAppDirName;
    p.state_dir = std::filesystem::path("/var/lib") / kAppDirName;
    p.cache_dir = std::filesystem::path("/var/cache") / kAppDirName;
    return p;
  }
  const char* home_env = std::getenv("HOME");
  std::filesystem::path home = home_env ? home_env : "/tmp";
  p.config_dir = env_or("XDG_CONFIG_HOME", home / ".config") / kAppDirName;
  p.state_dir = env_or("XDG_STATE_HOME", home / ".local/state") / kAppDirName;
  p.cache_dir = env_or("XDG_CACHE_HOME", home / ".cache") / kAppDirName;
  return p;
}

bool ensure_private_dir(const std::filesystem::path& dir, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    if (error) *error = "cannot create " + dir.string() + ": " + ec.message();
    return false;
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  if (ec) {
    if (error) *error = "cannot make " + dir.string() + " private (mode 0700): " + ec.message();
    return false;
  }
  return true;
}

}  // namespace kiosk::platform
