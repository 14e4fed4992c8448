// SPDX-License-Identifier: GPL-3.0-or-later
// The repository manifest (manifest.json) and its detached signature (manifest.json.sig).
// See docs/sync-protocol.md for the format and the threats it answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::sync {

struct RepoPackEntry {
  std::string id, version;  // from the pack's own pack.yaml
  std::string path;         // relative to the repository root, e.g. "packs/<sha256>.kpack"
  int64_t size = 0;         // bytes of the archive
  std::string sha256;       // lowercase hex of the archive
};

struct RepoManifest {
  int format = 1;
  int64_t repo_version = 0;  // grows by at least 1 with every publish
  int64_t published = 0;     // Unix seconds (UTC) when it was signed
  int64_t expires = 0;       // Unix seconds (UTC); a kiosk refuses it afterwards
  std::vector<RepoPackEntry> packs;
};

std::string manifest_to_json(const RepoManifest& m);
// Strict parse: every field present and of the right type, safe relative paths, hex hashes.
std::optional<RepoManifest> parse_manifest(const std::string& json, std::string* error);

// "2026-11-27T01:02:03Z" <-> Unix seconds (UTC).
std::string format_utc(int64_t unix_seconds);
std::optional<int64_t> parse_utc(const std::string& text);

}  // namespace kiosk::sync
