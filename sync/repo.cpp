// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/repo.h"

#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <filesystem>

#include "core/pack.h"
#include "sync/archive.h"
#include "sync/crypto.h"
#include "sync/files.h"

namespace kiosk::sync {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::optional<std::string> read_hex_key(const std::string& path, size_t bytes, std::string* error) {
  auto text = read_file(path, 4096, error);
  if (!text) return std::nullopt;
  auto key = from_hex(trim(*text), bytes);
  if (!key && error) *error = path + ": expected " + std::to_string(bytes * 2) + " hex digits";
  return key;
}

// Version of the repository as last published by us; 0 when there is none yet.
int64_t previous_repo_version(const std::string& out_dir) {
  std::string ignored;
  auto text = read_file((fs::path(out_dir) / "manifest.json").string(), 1 << 20, &ignored);
  if (!text) return 0;
  auto m = parse_manifest(*text, &ignored);
  return m ? m->repo_version : 0;
}

std::optional<RepoPackEntry> publish_pack(const std::string& dir, const std::string& out_dir,
                                          std::string* error) {
  std::string err;
  auto files = core::read_pack_dir(dir, &err);
  if (!files) {
    *error = err;  // already names the folder
    return std::nullopt;
  }
  core::LoadResult loaded = core::load_pack(*files);
  if (!loaded.ok()) {
    *error = dir + ": the pack does not validate (run `kioskctl pack check " + dir + "`)";
    for (const auto& d : loaded.diagnostics) *error += "\n  " + core::format_diagnostic(d);
    return std::nullopt;
  }
  std::string archive = write_pack_archive(*files);
  RepoPackEntry e;
  e.id = loaded.pack->manifest.id;
  e.version = loaded.pack->manifest.version;
  e.sha256 = sha256_hex(archive);
  e.size = static_cast<int64_t>(archive.size());
  e.path = "packs/" + e.sha256 + ".kpack";
  if (!write_file_atomic((fs::path(out_dir) / e.path).string(), archive, 0644, &err)) {
    *error = err;
    return std::nullopt;
  }
  return e;
}

}  // namespace

std::optional<std::string> read_secret_key(const std::string& path, std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (error) *error = path + ": cannot read the secret key";
    return std::nullopt;
  }
  if (st.st_mode & 077) {
    if (error) *error = path + ": secret key is readable by others; run chmod 600 " + path;
    return std::nullopt;
  }
  return read_hex_key(path, 64, error);
}

std::optional<std::string> read_public_key(const std::string& path, std::string* error) {
  return read_hex_key(path, 32, error);
}

std::optional<std::string> repo_keygen(const std::string& dir, std::string* error) {
  if (!crypto_ready()) {
    *error = "libsodium failed to initialise";
    return std::nullopt;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string key_path = (fs::path(dir) / "repo.key").string();
  const std::string pub_path = (fs::path(dir) / "repo.pub").string();
  if (fs::exists(key_path) || fs::exists(pub_path)) {
    *error = dir + ": repo.key or repo.pub already exists; refusing to overwrite a key";
    return std::nullopt;
  }
  SignKeyPair kp = make_sign_keypair();
  std::string secret_hex = to_hex(kp.secret_key) + "\n";
  bool ok = write_file_atomic(key_path, secret_hex, 0600, error) &&
            write_file_atomic(pub_path, to_hex(kp.public_key) + "\n", 0644, error);
  wipe(secret_hex);
  wipe(kp.secret_key);
  if (!ok) return std::nullopt;
  return to_hex(kp.public_key);
}

std::optional<RepoManifest> repo_publish(const PublishOptions& o, std::string* error) {
  auto secret = read_secret_key(o.secret_key_path, error);
  if (!secret) return std::nullopt;
  if (o.pack_dirs.empty()) {
    *error = "no pack folders given";
    return std::nullopt;
  }
  std::error_code ec;
  fs::create_directories(fs::path(o.out_dir) / "packs", ec);
  if (ec) {
    *error = o.out_dir + ": " + ec.message();
    return std::nullopt;
  }
  RepoManifest m;
  m.published = o.now ? o.now : static_cast<int64_t>(std::time(nullptr));
  m.expires = m.published + o.expires_days * 24 * 3600;
  m.repo_version = previous_repo_version(o.out_dir) + 1;
  std::string problems;
  for (const auto& dir : o.pack_dirs) {
    std::string err;
    auto e = publish_pack(dir, o.out_dir, &err);
    if (!e) {
      problems += (problems.empty() ? "" : "\n") + err;
      continue;
    }
    for (const auto& other : m.packs)
      if (other.id == e->id)
        problems += (problems.empty() ? "" : "\n") + dir + ": pack id " + e->id + " given twice";
    m.packs.push_back(*e);
  }
  if (!problems.empty()) {
    wipe(*secret);
    *error = problems;
    return std::nullopt;
  }
  const std::string manifest_path = (fs::path(o.out_dir) / "manifest.json").string();
  std::error_code mtime_ec;
  const auto previous_mtime = fs::last_write_time(manifest_path, mtime_ec);
  const bool had_previous = !mtime_ec;
  const std::string json = manifest_to_json(m);
  const std::string sig = sign_detached(json, *secret);
  wipe(*secret);
  // Signature first: a client that fetches between the two renames sees a mismatch and
  // retries at its next poll; it never accepts an unsigned manifest.
  if (!write_file_atomic((fs::path(o.out_dir) / "manifest.json.sig").string(), sig, 0644, error) ||
      !write_file_atomic(manifest_path, json, 0644, error))
    return std::nullopt;
  // Servers such as nginx derive the ETag from mtime and size; two publishes within one
  // second with equal sizes would share an ETag and kiosks would get 304 for the new one.
  if (had_previous) {
    auto now_mtime = fs::last_write_time(manifest_path, mtime_ec);
    if (!mtime_ec && now_mtime < previous_mtime + std::chrono::seconds(1))
      fs::last_write_time(manifest_path, previous_mtime + std::chrono::seconds(1), mtime_ec);
  }
  return m;
}

}  // namespace kiosk::sync
