// SPDX-License-Identifier: GPL-3.0-or-later
// PackStore over SQLite: four tables, every change in one transaction.
//   packs(id, version, installed_at)         one row per installed version
//   pack_files(id, version, path, bytes)     the files of each version
//   active(id, version, previous)            the active version per pack id and the one before
//   bad(id, version, reason, marked_at)      versions that did not load on this kiosk
// A store made before `bad` existed gets the table on open (CREATE TABLE IF NOT EXISTS).
#include "core/pack_store.h"

#include <sqlite3.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace kiosk::core {
namespace {

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS packs(
  id TEXT NOT NULL, version TEXT NOT NULL,
  installed_at TEXT NOT NULL DEFAULT (datetime('now')),
  PRIMARY KEY(id, version));
CREATE TABLE IF NOT EXISTS pack_files(
  id TEXT NOT NULL, version TEXT NOT NULL, path TEXT NOT NULL, bytes BLOB NOT NULL,
  PRIMARY KEY(id, version, path),
  FOREIGN KEY(id, version) REFERENCES packs(id, version));
CREATE TABLE IF NOT EXISTS active(
  id TEXT PRIMARY KEY, version TEXT NOT NULL, previous TEXT);
CREATE TABLE IF NOT EXISTS bad(
  id TEXT NOT NULL, version TEXT NOT NULL, reason TEXT NOT NULL,
  marked_at TEXT NOT NULL DEFAULT (datetime('now')),
  PRIMARY KEY(id, version),
  FOREIGN KEY(id, version) REFERENCES packs(id, version));
)sql";

// A prepared statement that finalises itself.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Statement& bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_blob(int i, const std::string& s) {
    sqlite3_bind_blob(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int step() { return stmt_ ? sqlite3_step(stmt_) : SQLITE_ERROR; }
  std::string text(int col) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::string blob(int col) const {
    auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

bool exec(sqlite3* db, const char* sql, std::string* error) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK) return true;
  if (error) *error = std::string("pack store: ") + (msg ? msg : "SQLite error");
  sqlite3_free(msg);
  return false;
}

void set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

// Rolls back unless commit() was called.
class Transaction {
 public:
  Transaction(sqlite3* db, std::string* error) : db_(db) {
    ok_ = exec(db, "BEGIN IMMEDIATE", error);
  }
  ~Transaction() {
    if (ok_ && !done_) exec(db_, "ROLLBACK", nullptr);
  }
  bool ok() const { return ok_; }
  bool commit(std::string* error) {
    done_ = exec(db_, "COMMIT", error);
    return done_;
  }

 private:
  sqlite3* db_;
  bool ok_ = false;
  bool done_ = false;
};

std::string sqlite_error(sqlite3* db) {
  return std::string("pack store: ") + sqlite3_errmsg(db);
}

std::string does_not_load(const std::string& id, const std::string& version,
                          const std::string& reason) {
  return "pack store: " + id + " " + version + " does not load on this kiosk (" + reason +
         "); it stays inactive until the mark is cleared";
}

}  // namespace

std::optional<PackIdentity> read_pack_identity(const PackFiles& files) {
  auto it = files.find("pack.yaml");
  if (it == files.end()) return std::nullopt;
  try {
    YAML::Node root = YAML::Load(it->second);
    if (!root.IsMap() || !root["id"].IsScalar() || !root["version"].IsScalar()) return std::nullopt;
    PackIdentity out{root["id"].Scalar(), root["version"].Scalar()};
    if (out.id.empty() || out.version.empty()) return std::nullopt;
    return out;
  } catch (const YAML::Exception&) {
    return std::nullopt;  // load_pack() reports the syntax error with its position
  }
}

PackStore::~PackStore() {
  if (db_) sqlite3_close(db_);
}

bool PackStore::open(const std::string& path, std::string* error) {
  if (db_) {
    sqlite3_close(db_);
    db_ = nullptr;
  }
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    set_error(error, "pack store: cannot open " + path + ": " +
                         (db_ ? sqlite3_errmsg(db_) : "out of memory"));
    sqlite3_close(db_);
    db_ = nullptr;
    return false;
  }
  sqlite3_busy_timeout(db_, 5000);
  if (!exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
            error) ||
      !exec(db_, kSchema, error)) {
    sqlite3_close(db_);
    db_ = nullptr;
    return false;
  }
  return true;
}

std::optional<std::pair<std::string, std::string>> PackStore::install(const PackFiles& files,
                                                                      std::string* error) {
  if (!db_) return set_error(error, "pack store: not open"), std::nullopt;
  LoadResult loaded = load_pack(files);
  if (!loaded.ok()) {
    std::string msg = "pack store: the pack has errors and was not installed";
    for (const auto& d : loaded.diagnostics)
      if (d.severity == Severity::Error) {
        msg += "\n" + format_diagnostic(d);
      }
    set_error(error, msg);
    return std::nullopt;
  }
  const std::string& id = loaded.pack->manifest.id;
  const std::string& version = loaded.pack->manifest.version;
  if (auto existing = this->files(id, version)) {
    if (*existing == files) return std::make_pair(id, version);
    set_error(error, "pack store: " + id + " " + version +
                         " is already installed with different files; publish a new version");
    return std::nullopt;
  }
  Transaction tx(db_, error);
  if (!tx.ok()) return std::nullopt;
  Statement pack(db_, "INSERT INTO packs(id, version) VALUES(?1, ?2)");
  if (pack.bind(1, id).bind(2, version).step() != SQLITE_DONE)
    return set_error(error, std::string("pack store: ") + sqlite3_errmsg(db_)), std::nullopt;
  for (const auto& [path, bytes] : files) {
    Statement file(db_, "INSERT INTO pack_files(id, version, path, bytes) VALUES(?1, ?2, ?3, ?4)");
    if (file.bind(1, id).bind(2, version).bind(3, path).bind_blob(4, bytes).step() != SQLITE_DONE)
      return set_error(error, std::string("pack store: ") + sqlite3_errmsg(db_)), std::nullopt;
  }
  if (!tx.commit(error)) return std::nullopt;
  return std::make_pair(id, version);
}

std::vector<InstalledPack> PackStore::list(std::string* error) const {
  std::vector<InstalledPack> out;
  if (!db_) return set_error(error, "pack store: not open"), out;
  Statement q(db_,
              "SELECT p.id, p.version, p.installed_at, a.version IS NOT NULL, b.reason "
              "FROM packs p LEFT JOIN active a ON a.id = p.id AND a.version = p.version "
              "LEFT JOIN bad b ON b.id = p.id AND b.version = p.version");
  while (q.step() == SQLITE_ROW)
    out.push_back({q.text(0), q.text(1), q.text(3) == "1", q.text(2), q.text(4)});
  std::sort(out.begin(), out.end(), [](const InstalledPack& a, const InstalledPack& b) {
    if (a.id != b.id) return a.id < b.id;
    return compare_versions(a.version, b.version) < 0;
  });
  return out;
}

bool PackStore::activate(const std::string& id, const std::string& version, std::string* error) {
  if (!db_) return set_error(error, "pack store: not open"), false;
  Transaction tx(db_, error);
  if (!tx.ok()) return false;
  Statement exists(db_, "SELECT 1 FROM packs WHERE id = ?1 AND version = ?2");
  if (exists.bind(1, id).bind(2, version).step() != SQLITE_ROW)
    return set_error(error, "pack store: " + id + " " + version + " is not installed"), false;
  if (auto reason = bad_reason(id, version))
    return set_error(error, does_not_load(id, version, *reason)), false;
  auto current = active_version(id);
  if (current == version) return tx.commit(error);
  Statement upsert(
      db_,
      "INSERT INTO active(id, version, previous) VALUES(?1, ?2, NULL) "
      "ON CONFLICT(id) DO UPDATE SET previous = active.version, version = excluded.version");
  if (upsert.bind(1, id).bind(2, version).step() != SQLITE_DONE)
    return set_error(error, std::string("pack store: ") + sqlite3_errmsg(db_)), false;
  return tx.commit(error);
}

bool PackStore::rollback(const std::string& id, std::string* error) {
  if (!db_) return set_error(error, "pack store: not open"), false;
  Transaction tx(db_, error);
  if (!tx.ok()) return false;
  Statement q(db_, "SELECT version, previous FROM active WHERE id = ?1");
  if (q.bind(1, id).step() != SQLITE_ROW || q.is_null(1))
    return set_error(error, "pack store: " + id + " has no previous version to roll back to"),
           false;
  if (auto reason = bad_reason(id, q.text(1)))
    return set_error(error, does_not_load(id, q.text(1), *reason)), false;
  Statement swap(db_, "UPDATE active SET version = previous, previous = version WHERE id = ?1");
  if (swap.bind(1, id).step() != SQLITE_DONE)
    return set_error(error, std::string("pack store: ") + sqlite3_errmsg(db_)), false;
  return tx.commit(error);
}

std::optional<std::string> PackStore::active_version(const std::string& id) const {
  if (!db_) return std::nullopt;
  Statement q(db_, "SELECT version FROM active WHERE id = ?1");
  if (q.bind(1, id).step() != SQLITE_ROW) return std::nullopt;
  return q.text(0);
}

std::optional<PackFiles> PackStore::active(const std::string& id, std::string* error) const {
  auto version = active_version(id);
  if (!version) return set_error(error, "pack store: no active version of " + id), std::nullopt;
  return files(id, *version, error);
}

std::optional<PackFiles> PackStore::files(const std::string& id, const std::string& version,
                                          std::string* error) const {
  if (!db_) return set_error(error, "pack store: not open"), std::nullopt;
  Statement exists(db_, "SELECT 1 FROM packs WHERE id = ?1 AND version = ?2");
  if (exists.bind(1, id).bind(2, version).step() != SQLITE_ROW)
    return set_error(error, "pack store: " + id + " " + version + " is not installed"),
           std::nullopt;
  PackFiles out;
  Statement q(db_, "SELECT path, bytes FROM pack_files WHERE id = ?1 AND version = ?2");
  q.bind(1, id).bind(2, version);
  while (q.step() == SQLITE_ROW) out[q.text(0)] = q.blob(1);
  return out;
}

bool PackStore::installed(const std::string& id, const std::string& version) const {
  Statement q(db_, "SELECT 1 FROM packs WHERE id = ?1 AND version = ?2");
  return q.bind(1, id).bind(2, version).step() == SQLITE_ROW;
}

bool PackStore::mark_bad(const std::string& id, const std::string& version,
                         const std::string& reason, std::string* error) {
  if (!db_) return set_error(error, "pack store: not open"), false;
  Statement q(db_,
              "INSERT INTO bad(id, version, reason) VALUES(?1, ?2, ?3) "
              "ON CONFLICT(id, version) DO UPDATE SET reason = excluded.reason, "
              "marked_at = datetime('now')");
  if (q.bind(1, id).bind(2, version).bind(3, reason).step() == SQLITE_DONE) return true;
  if (sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_FOREIGNKEY)
    return set_error(error, "pack store: " + id + " " + version + " is not installed"), false;
  return set_error(error, sqlite_error(db_)), false;
}

bool PackStore::clear_bad(const std::string& id, const std::string& version, std::string* error) {
  if (!db_) return set_error(error, "pack store: not open"), false;
  Statement q(db_, "DELETE FROM bad WHERE id = ?1 AND version = ?2");
  if (q.bind(1, id).bind(2, version).step() == SQLITE_DONE) return true;
  return set_error(error, sqlite_error(db_)), false;
}

std::optional<std::string> PackStore::bad_reason(const std::string& id,
                                                 const std::string& version) const {
  if (!db_) return std::nullopt;
  Statement q(db_, "SELECT reason FROM bad WHERE id = ?1 AND version = ?2");
  if (q.bind(1, id).bind(2, version).step() != SQLITE_ROW) return std::nullopt;
  return q.text(0);
}

std::vector<std::string> PackStore::fallback_versions(const std::string& id,
                                                      const std::string& version) const {
  std::vector<std::string> out;
  if (!db_) return out;
  Statement q(db_,
              "SELECT version FROM packs p WHERE id = ?1 AND NOT EXISTS "
              "(SELECT 1 FROM bad b WHERE b.id = p.id AND b.version = p.version)");
  q.bind(1, id);
  while (q.step() == SQLITE_ROW)
    if (compare_versions(q.text(0), version) < 0) out.push_back(q.text(0));
  std::sort(out.begin(), out.end(),
            [](const std::string& a, const std::string& b) { return compare_versions(a, b) > 0; });
  return out;
}

std::optional<StartPack> PackStore::start_pack(const std::string& id, const LoadCheck& check,
                                               std::string* error) {
  auto active = active_version(id);
  if (!active) return set_error(error, "pack store: no active version of " + id), std::nullopt;
  std::vector<std::string> candidates = fallback_versions(id, *active);
  candidates.insert(candidates.begin(), *active);
  StartPack out;
  // Recording is best effort: a store that cannot be written must not stop the kiosk from
  // running a version that loads.
  auto note_store_error = [&out](const std::string& e) {
    out.store_error += (out.store_error.empty() ? "" : "; ") + e;
  };
  for (const std::string& version : candidates) {
    auto files = this->files(id, version, error);
    if (!files) return std::nullopt;
    std::string reason = check(*files);
    std::string err;
    if (!reason.empty()) {
      if (!mark_bad(id, version, reason, &err)) note_store_error(err);
      out.rejected.push_back({version, std::move(reason)});
      continue;
    }
    bool recorded = version == *active ? (!bad_reason(id, version) || clear_bad(id, version, &err))
                                       : activate(id, version, &err);
    if (!recorded) note_store_error(err);
    out.version = version;
    out.files = std::move(*files);
    return out;
  }
  return out;
}

UpdateCheck PackStore::check_update(const std::string& id, const std::string& running,
                                    const LoadCheck& check) {
  UpdateCheck out;
  auto version = active_version(id);
  if (!version || *version == running) return out;
  auto files = this->files(id, *version, &out.store_error);
  if (!files) return out;
  out.version = *version;
  out.reason = check(*files);
  if (out.reason.empty()) {
    out.files = std::move(*files);
    return out;
  }
  std::string err;
  if (!mark_bad(id, *version, out.reason, &err) ||
      (installed(id, running) && !activate(id, running, &err)))
    out.store_error = err;
  return out;
}

}  // namespace kiosk::core
