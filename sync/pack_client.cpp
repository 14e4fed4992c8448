// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/pack_client.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>

#include "core/pack.h"
#include "core/pack_store.h"
#include "sync/archive.h"
#include "sync/crypto.h"
#include "sync/db.h"
#include "sync/files.h"
#include "sync/http.h"
#include "sync/manifest.h"

namespace kiosk::sync {

namespace fs = std::filesystem;

int64_t now_unix(const SyncConfig& config) {
  return config.clock ? config.clock() : static_cast<int64_t>(std::time(nullptr));
}

namespace {

// Keys of the sync_state table that make up the trusted state.
constexpr const char* kRepoVersion = "repo_version";
constexpr const char* kManifestSha = "manifest_sha256";
constexpr const char* kManifestEtag = "manifest_etag";
constexpr const char* kTrustedExpires = "manifest_expires";
constexpr const char* kTimeFloor =
    "time_floor";  // latest `published` seen: the clock never goes below
constexpr const char* kLastSuccess = "last_success";

int64_t state_int(Db& db, const char* key) {
  auto v = get_state(db, key);
  try {
    return v ? std::stoll(*v) : 0;
  } catch (...) {
    return 0;
  }
}

HttpOptions http_options(const SyncConfig& c, const std::atomic<bool>* cancel) {
  HttpOptions o;
  o.ca_file = c.ca_file;
  o.pinned_public_key = c.tls_pinned_public_key;
  o.connect_timeout_s = c.connect_timeout_s;
  o.low_speed_limit_bytes = c.low_speed_limit_bytes;
  o.low_speed_time_s = c.low_speed_time_s;
  o.request_timeout_s = c.request_timeout_s;
  o.cancel = cancel;
  return o;
}

bool signed_by_trusted_key(const std::string& message, const std::string& sig,
                           const std::vector<std::string>& keys_hex) {
  for (const auto& hex : keys_hex) {
    auto key = from_hex(hex, 32);
    if (key && verify_detached(message, sig, *key)) return true;
  }
  return false;
}

// Everything one pass needs, opened for the pass and closed after it.
class Pass {
 public:
  Pass(const SyncConfig& c, const std::atomic<bool>* cancel, int64_t* bytes)
      : c_(c), http_(http_options(c, cancel)), bytes_(bytes) {}

  SyncResult run(bool* online);

 private:
  bool open(std::string* error);
  std::optional<RepoManifest> fetch_manifest(bool* not_modified, std::string* json,
                                             std::string* etag, bool* online, std::string* error);
  bool check_freshness(const RepoManifest& m, const std::string& json, bool* same,
                       std::string* error);
  bool ensure_installed(const RepoPackEntry& e, bool* installed_now, std::string* error);
  std::optional<std::string> download_verified(const RepoPackEntry& e, std::string* error);
  bool commit_trusted(const RepoManifest& m, const std::string& json, const std::string& etag,
                      std::string* error);

  const SyncConfig& c_;
  HttpOptions http_;
  int64_t* bytes_;
  Db db_;
  core::PackStore store_;
};

bool Pass::open(std::string* error) {
  std::error_code ec;
  fs::create_directories(c_.download_dir, ec);
  if (ec) {
    *error = c_.download_dir + ": " + ec.message();
    return false;
  }
  return db_.open(c_.state_db_path, kSyncSchema, error) && store_.open(c_.pack_store_path, error);
}

std::optional<RepoManifest> Pass::fetch_manifest(bool* not_modified, std::string* json,
                                                 std::string* etag, bool* online,
                                                 std::string* error) {
  HttpResponse r = http_get(c_.repo_url + "manifest.json", http_,
                            get_state(db_, kManifestEtag).value_or(""), c_.max_manifest_bytes);
  *bytes_ += r.bytes_received;
  *online = r.status != 0;
  if (r.status == 304 && r.transport_error.empty()) {
    *not_modified = true;
    return std::nullopt;
  }
  if (!r.ok()) {
    *error = "manifest.json: " + r.describe();
    return std::nullopt;
  }
  HttpResponse s = http_get(c_.repo_url + "manifest.json.sig", http_, "", 1024);
  *bytes_ += s.bytes_received;
  if (!s.ok()) {
    *error = "manifest.json.sig: " + s.describe() + " (an unsigned manifest is refused)";
    return std::nullopt;
  }
  if (!signed_by_trusted_key(r.body, s.body, c_.trusted_repo_keys_hex)) {
    *error = "manifest.json: the signature does not match any trusted key; refused";
    return std::nullopt;
  }
  auto m = parse_manifest(r.body, error);
  if (!m) return std::nullopt;
  *json = std::move(r.body);
  *etag = r.etag;
  return m;
}

// Refuses expired and older manifests; *same when it is exactly the one already trusted.
bool Pass::check_freshness(const RepoManifest& m, const std::string& json, bool* same,
                           std::string* error) {
  // A clock set back cannot make an expired manifest valid again: time never goes below
  // the newest `published` stamp already seen.
  const int64_t now = std::max(now_unix(c_), state_int(db_, kTimeFloor));
  if (m.expires <= now) {
    *error = "manifest.json: expired at " + format_utc(m.expires) + "; refused (stale repository?)";
    return false;
  }
  const int64_t trusted = state_int(db_, kRepoVersion);
  if (m.repo_version < trusted) {
    *error = "manifest.json: repo_version " + std::to_string(m.repo_version) +
             " is older than the trusted " + std::to_string(trusted) + "; refused (rollback)";
    return false;
  }
  if (m.repo_version == trusted) {
    if (get_state(db_, kManifestSha).value_or("") != sha256_hex(json)) {
      *error = "manifest.json: repo_version " + std::to_string(trusted) +
               " was already trusted with different content; refused";
      return false;
    }
    *same = true;
  }
  return true;
}

std::optional<std::string> Pass::download_verified(const RepoPackEntry& e, std::string* error) {
  const std::string part = (fs::path(c_.download_dir) / (e.sha256 + ".part")).string();
  const std::string url = c_.repo_url + e.path;
  std::string etag;
  {
    Stmt s(db_.handle(), "SELECT etag FROM downloads WHERE url = ?");
    s.bind(1, url);
    if (s.step()) etag = s.text(0);
  }
  DownloadResult d = http_download(url, http_, part, e.size, etag);
  *bytes_ += d.http.bytes_received;
  if (!etag.empty()) {
    Stmt s(db_.handle(), "INSERT OR REPLACE INTO downloads (url, etag) VALUES (?, ?)");
    s.bind(1, url).bind(2, etag).done();
  }
  if (!d.complete()) {
    *error = e.path + ": " +
             (d.http.transport_error.empty() ? "incomplete" : d.http.transport_error) + " (" +
             std::to_string(d.file_size) + " of " + std::to_string(e.size) +
             " bytes; resumes next time)";
    return std::nullopt;
  }
  auto bytes = read_file(part, e.size, error);
  if (!bytes) return std::nullopt;
  auto finish = [&] {  // the part file is either used or worthless now
    ::unlink(part.c_str());
    Stmt s(db_.handle(), "DELETE FROM downloads WHERE url = ?");
    s.bind(1, url).done();
  };
  if (static_cast<int64_t>(bytes->size()) != e.size || sha256_hex(*bytes) != e.sha256) {
    finish();
    *error = e.path + ": SHA-256 does not match the signed manifest; refused";
    return std::nullopt;
  }
  finish();
  return bytes;
}

bool Pass::ensure_installed(const RepoPackEntry& e, bool* installed_now, std::string* error) {
  std::string err;
  if (store_.files(e.id, e.version, &err)) return true;  // installed by an earlier pass
  if (e.size > c_.max_pack_bytes) {
    *error = e.path + ": declares " + std::to_string(e.size) + " bytes, more than the limit of " +
             std::to_string(c_.max_pack_bytes) + "; refused";
    return false;
  }
  auto bytes = download_verified(e, error);
  if (!bytes) return false;
  auto files = read_pack_archive(*bytes, error);
  if (!files) return false;
  core::LoadResult loaded = core::load_pack(*files);
  if (!loaded.ok()) {
    *error = e.path + ": the pack does not validate; refused";
    if (!loaded.diagnostics.empty())
      *error += " (" + core::format_diagnostic(loaded.diagnostics[0]) + ")";
    return false;
  }
  if (loaded.pack->manifest.id != e.id || loaded.pack->manifest.version != e.version) {
    *error = e.path + ": the archive holds " + loaded.pack->manifest.id + " " +
             loaded.pack->manifest.version + ", the manifest says " + e.id + " " + e.version;
    return false;
  }
  // Intent first: if we die after install() the next session still switches it in.
  Stmt intent(db_.handle(),
              "INSERT OR REPLACE INTO pending_activation (pack_id, version) VALUES (?, ?)");
  intent.bind(1, e.id).bind(2, e.version);
  if (!intent.done()) {
    *error = "state database: " + intent.error();
    return false;
  }
  if (!store_.install(*files, error)) return false;
  *installed_now = true;
  return true;
}

bool Pass::commit_trusted(const RepoManifest& m, const std::string& json, const std::string& etag,
                          std::string* error) {
  if (!db_.exec("BEGIN IMMEDIATE", error)) return false;
  const int64_t floor = std::max(state_int(db_, kTimeFloor), m.published);
  bool ok = set_state(db_, kRepoVersion, std::to_string(m.repo_version), error) &&
            set_state(db_, kManifestSha, sha256_hex(json), error) &&
            set_state(db_, kManifestEtag, etag, error) &&
            set_state(db_, kTrustedExpires, std::to_string(m.expires), error) &&
            set_state(db_, kTimeFloor, std::to_string(floor), error) &&
            set_state(db_, kLastSuccess, std::to_string(now_unix(c_)), error);
  if (!ok) {
    db_.exec("ROLLBACK");
    return false;
  }
  return db_.exec("COMMIT", error);
}

SyncResult Pass::run(bool* online) {
  SyncResult result;
  if (!crypto_ready()) return result.error = "libsodium failed to initialise", result;
  if (!open(&result.error)) return result;
  bool not_modified = false;
  std::string json, etag;
  auto m = fetch_manifest(&not_modified, &json, &etag, online, &result.error);
  if (not_modified) {
    // A frozen mirror may answer 304 forever: the manifest we hold must still be in date.
    const int64_t now = std::max(now_unix(c_), state_int(db_, kTimeFloor));
    const int64_t expires = state_int(db_, kTrustedExpires);
    if (expires <= now) {
      result.error =
          "the repository has served no fresh manifest since it expired at " + format_utc(expires);
      return result;
    }
    set_state(db_, kLastSuccess, std::to_string(now_unix(c_)), nullptr);
    result.outcome = SyncOutcome::UpToDate;
    return result;
  }
  if (!m) return result;
  bool same = false;
  if (!check_freshness(*m, json, &same, &result.error)) return result;
  for (const auto& e : m->packs) {
    bool installed_now = false;
    if (!ensure_installed(e, &installed_now, &result.error)) return result;
    if (installed_now) result.installed.emplace_back(e.id, e.version);
  }
  if (!commit_trusted(*m, json, etag, &result.error)) return result;
  result.outcome = result.installed.empty() ? SyncOutcome::UpToDate : SyncOutcome::Installed;
  return result;
}

struct Activation {
  std::vector<std::pair<std::string, std::string>> switched;
  bool retry_later = false;  // a version could not be switched in and is still pending
};

// Switches in each pending version that is installed. A version marked bad (it did not load
// on this kiosk) is no longer waited for: retrying it would reopen the store at the end of
// every visit and fail each time. Staff switch it in with `kioskctl pack activate --retry`.
Activation switch_in_pending(const SyncConfig& config, core::PackStore& store, std::string* error) {
  Activation out;
  Db db;
  if (!db.open(config.state_db_path, kSyncSchema, error)) {
    out.retry_later = true;
    return out;
  }
  std::vector<std::pair<std::string, std::string>> pending;
  {
    Stmt s(db.handle(), "SELECT pack_id, version FROM pending_activation ORDER BY pack_id");
    while (s.step()) pending.emplace_back(s.text(0), s.text(1));
  }
  for (const auto& [id, version] : pending) {
    std::string err;
    if (!store.files(id, version, &err)) continue;  // not installed yet: a later pass will
    bool switched = store.active_version(id) == version || store.activate(id, version, &err);
    if (!switched) {
      if (error) *error += (error->empty() ? "" : "\n") + id + " " + version + ": " + err;
      if (!store.bad_reason(id, version)) {
        out.retry_later = true;
        continue;
      }
    }
    Stmt del(db.handle(), "DELETE FROM pending_activation WHERE pack_id = ? AND version = ?");
    del.bind(1, id).bind(2, version).done();
    if (switched) out.switched.emplace_back(id, version);
  }
  return out;
}

}  // namespace

PackClient::PackClient(SyncConfig config) : config_(std::move(config)) {
  if (!config_.repo_url.empty() && config_.repo_url.back() != '/') config_.repo_url += '/';
}

PackClient::~PackClient() {
  stop();
}

SyncResult PackClient::sync_once() {
  return run_pass();
}

SyncResult PackClient::run_pass() {
  {
    std::lock_guard lock(mutex_);
    status_.busy = true;
    status_.last_attempt = now_unix(config_);
  }
  int64_t bytes = 0;
  bool online = false;
  Pass pass(config_, &cancel_, &bytes);
  SyncResult r = pass.run(&online);
  int64_t repo_version = 0;
  {
    Db db;  // read before taking the lock: status() must never wait on the disk
    if (db.open(config_.state_db_path, kSyncSchema, nullptr))
      repo_version = state_int(db, kRepoVersion);
  }
  std::lock_guard lock(mutex_);
  status_.repo_version = repo_version;
  status_.busy = false;
  status_.online = online;
  status_.bytes_downloaded += bytes;
  if (r.outcome == SyncOutcome::Failed) {
    status_.last_error = r.error;
  } else {
    status_.last_error.clear();
    status_.last_success = now_unix(config_);
    if (!r.installed.empty()) {
      status_.update_pending = true;
      ++install_passes_;
    }
  }
  return r;
}

std::vector<std::pair<std::string, std::string>> PackClient::activate_pending(
    core::PackStore& store, std::string* error) {
  uint64_t passes_before = 0;
  {
    std::lock_guard lock(mutex_);
    passes_before = install_passes_;
  }
  Activation done = switch_in_pending(config_, store, error);
  std::lock_guard lock(mutex_);
  // A version that could not be switched in stays pending (and is tried again at the end of
  // the next visit); so does one a pass installed while this ran.
  if (!done.retry_later && install_passes_ == passes_before) status_.update_pending = false;
  return std::move(done.switched);
}

void PackClient::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  cancel_ = false;
  thread_ = std::thread([this] { worker(); });
}

void PackClient::sync_now() {
  std::lock_guard lock(mutex_);
  wake_requested_ = true;
  wake_.notify_all();
}

void PackClient::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cancel_ = true;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

SyncStatus PackClient::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void PackClient::worker() {
  for (;;) {
    run_pass();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::seconds(config_.poll_interval_s),
                   [this] { return stopping_ || wake_requested_; });
    if (stopping_) return;
    wake_requested_ = false;
  }
}

std::vector<std::pair<std::string, std::string>> activate_pending_packs(const SyncConfig& config,
                                                                        core::PackStore& store,
                                                                        std::string* error) {
  return switch_in_pending(config, store, error).switched;
}

}  // namespace kiosk::sync
