// SPDX-License-Identifier: GPL-3.0-or-later
// Minimal RAII over SQLite for the sync state and the outbox. Every connection runs in
// WAL mode with synchronous=FULL: a kiosk loses power, and a committed outbox item must
// survive that (docs/sync-protocol.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace kiosk::sync {

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return stmt_ != nullptr; }
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, std::string_view text);
  Stmt& bind_blob(int i, std::string_view bytes);
  Stmt& bind_null(int i);
  // SQLITE_ROW -> true; SQLITE_DONE -> false; an error -> false and error() is set.
  bool step();
  bool done();  // runs to completion; true when no error
  int64_t int64(int col) const;
  std::string text(int col) const;
  std::string blob(int col) const;
  bool is_null(int col) const;
  const std::string& error() const { return error_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
};

class Db {
 public:
  Db() = default;
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  // Opens/creates `path`, sets WAL + synchronous=FULL + a busy timeout, runs `schema`.
  bool open(const std::string& path, const char* schema, std::string* error);
  void close();
  bool exec(const char* sql, std::string* error = nullptr);
  sqlite3* handle() const { return db_; }
  std::string last_error() const;
  int64_t changes() const;  // rows changed by the last statement
  // "ok" when PRAGMA integrity_check passes, otherwise its first message.
  std::string integrity_check();

 private:
  sqlite3* db_ = nullptr;
};

// key/value rows of the sync_state table.
std::optional<std::string> get_state(Db& db, const std::string& key);
bool set_state(Db& db, const std::string& key, const std::string& value, std::string* error);

// Schema of the sync state database (sync_state, downloads, pending_activation, outbox,
// openrosa_forms).
extern const char* const kSyncSchema;
// Adds the columns later versions gave existing tables (outbox.dest, form_id, form_version).
bool migrate_sync_schema(Db& db, std::string* error);

}  // namespace kiosk::sync
