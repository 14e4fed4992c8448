// SPDX-License-Identifier: GPL-3.0-or-later
// Publisher side of the pack repository: key generation and `repo publish`.
// The output is a directory of plain files that any HTTP server can serve.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sync/manifest.h"

namespace kiosk::sync {

// Writes DIR/repo.key (Ed25519 secret key, hex, mode 0600) and DIR/repo.pub (hex).
// Refuses to overwrite an existing key. Returns the public key hex, or nullopt and *error.
std::optional<std::string> repo_keygen(const std::string& dir, std::string* error);

// Reads a secret key file written by repo_keygen; refuses one readable by group or others.
std::optional<std::string> read_secret_key(const std::string& path, std::string* error);
// Reads a public key file (64 hex chars, optional trailing newline): raw 32 bytes.
std::optional<std::string> read_public_key(const std::string& path, std::string* error);

struct PublishOptions {
  std::string secret_key_path;
  std::vector<std::string> pack_dirs;  // each a pack folder (docs/pack-format.md)
  std::string out_dir;                 // the repository directory, created if needed
  int64_t expires_days = 30;
  int64_t now = 0;  // Unix seconds; 0 = system clock
};

// Validates each pack with core::load_pack (an invalid pack is never published), writes
// out_dir/packs/<sha256>.kpack, then manifest.json with repo_version = previous + 1 and
// manifest.json.sig. Returns the manifest written, or nullopt and *error (every problem).
std::optional<RepoManifest> repo_publish(const PublishOptions& options, std::string* error);

}  // namespace kiosk::sync
