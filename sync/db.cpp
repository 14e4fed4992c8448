// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/db.h"

#include <sqlite3.h>

namespace kiosk::sync {

const char* const kSyncSchema = R"sql(
CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS downloads (url TEXT PRIMARY KEY, etag TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending_activation (pack_id TEXT PRIMARY KEY, version TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY,
  idem_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  sealed BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'parked')),
  last_http INTEGER,
  last_error TEXT,
  dest TEXT NOT NULL DEFAULT 'box',
  form_id TEXT,
  form_version TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS counts (
  day TEXT NOT NULL,
  cell TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (day, cell)
);
CREATE TABLE IF NOT EXISTS openrosa_forms (
  form_id TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  hash TEXT NOT NULL,
  public_key TEXT NOT NULL,
  checked_at INTEGER NOT NULL
);
)sql";

Stmt::Stmt(sqlite3* db, const char* sql) : db_(db) {
  if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
    error_ = sqlite3_errmsg(db);
    stmt_ = nullptr;
  }
}

Stmt::~Stmt() {
  sqlite3_finalize(stmt_);
}

Stmt& Stmt::bind(int i, int64_t v) {
  if (stmt_) sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, std::string_view text) {
  if (stmt_)
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind_blob(int i, std::string_view bytes) {
  if (stmt_)
    sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  if (stmt_) sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Stmt::step() {
  if (!stmt_) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) error_ = sqlite3_errmsg(db_);
  return false;
}

bool Stmt::done() {
  while (step()) {
  }
  return stmt_ && error_.empty();
}

int64_t Stmt::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}
std::string Stmt::text(int col) const {
  auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}
std::string Stmt::blob(int col) const {
  auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}
bool Stmt::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Db::~Db() {
  close();
}

void Db::close() {
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

bool Db::open(const std::string& path, const char* schema, std::string* error) {
  close();
  if (sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    if (error) *error = path + ": " + (db_ ? sqlite3_errmsg(db_) : "cannot open");
    close();
    return false;
  }
  sqlite3_busy_timeout(db_, 10000);
  std::string err;
  if (!exec("PRAGMA journal_mode=WAL", &err) || !exec("PRAGMA synchronous=FULL", &err) ||
      (schema && !exec(schema, &err))) {
    if (error) *error = path + ": " + err;
    close();
    return false;
  }
  return true;
}

bool Db::exec(const char* sql, std::string* error) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
    if (error) *error = msg ? msg : "sqlite error";
    sqlite3_free(msg);
    return false;
  }
  return true;
}

std::string Db::last_error() const {
  return db_ ? sqlite3_errmsg(db_) : "not open";
}

int64_t Db::changes() const {
  return db_ ? sqlite3_changes(db_) : 0;
}

std::string Db::integrity_check() {
  Stmt s(db_, "PRAGMA integrity_check");
  if (!s.step()) return s.error().empty() ? "no result" : s.error();
  return s.text(0);
}

std::optional<std::string> get_state(Db& db, const std::string& key) {
  Stmt s(db.handle(), "SELECT value FROM sync_state WHERE key = ?");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.text(0);
}

bool set_state(Db& db, const std::string& key, const std::string& value, std::string* error) {
  Stmt s(db.handle(),
         "INSERT INTO sync_state (key, value) VALUES (?, ?) "
         "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  s.bind(1, key).bind(2, value);
  if (!s.done()) {
    if (error) *error = s.error();
    return false;
  }
  return true;
}

bool migrate_sync_schema(Db& db, std::string* error) {
  bool has_dest = false;
  {
    Stmt s(db.handle(), "SELECT 1 FROM pragma_table_info('outbox') WHERE name = 'dest'");
    has_dest = s.step();
  }
  if (has_dest) return true;
  // A state database from before the OpenRosa destination: its items went to the receiver.
  return db.exec("BEGIN IMMEDIATE", error) &&
         db.exec("ALTER TABLE outbox ADD COLUMN dest TEXT NOT NULL DEFAULT 'box'", error) &&
         db.exec("ALTER TABLE outbox ADD COLUMN form_id TEXT", error) &&
         db.exec("ALTER TABLE outbox ADD COLUMN form_version TEXT", error) &&
         db.exec("COMMIT", error);
}

}  // namespace kiosk::sync
