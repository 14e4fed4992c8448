// SPDX-License-Identifier: GPL-3.0-or-later
#include "tools/receiver/receiver.h"

#include <httplib.h>

#include <ctime>

namespace kiosk::receiver {

bool valid_idempotency_key(std::string_view k) {
  if (k.size() != 32) return false;
  for (char c : k)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Store::~Store() {
  sqlite3_close(db_);
}

bool Store::open(const std::string& path, std::string* error) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    if (error) *error = path + ": " + sqlite3_errmsg(db_);
    return false;
  }
  sqlite3_busy_timeout(db_, 10000);
  return exec("PRAGMA journal_mode=WAL", error) && exec("PRAGMA synchronous=FULL", error) &&
         exec(
             "CREATE TABLE IF NOT EXISTS items (idem_key TEXT PRIMARY KEY, kind TEXT NOT NULL, "
             "body BLOB NOT NULL, received_at INTEGER NOT NULL)",
             error);
}

Store::Result Store::put(const std::string& key, const std::string& kind, const std::string& body) {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_,
                         "INSERT INTO items (idem_key, kind, body, received_at) VALUES (?, ?, ?, "
                         "?) ON CONFLICT (idem_key) DO NOTHING",
                         -1, &s, nullptr) != SQLITE_OK)
    return Result::Error;
  sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, kind.data(), static_cast<int>(kind.size()), SQLITE_TRANSIENT);
  sqlite3_bind_blob(s, 3, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 4, static_cast<sqlite3_int64>(std::time(nullptr)));
  int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return Result::Error;
  if (sqlite3_changes(db_) == 1) return Result::Stored;
  return same_body(key, body) ? Result::Duplicate : Result::Conflict;
}

long long Store::count() {
  std::lock_guard lock(mutex_);
  sqlite3_stmt* s = nullptr;
  long long n = -1;
  if (sqlite3_prepare_v2(db_, "SELECT COUNT(*) FROM items", -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW)
    n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  return n;
}

bool Store::same_body(const std::string& key, const std::string& body) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db_, "SELECT body FROM items WHERE idem_key = ?", -1, &s, nullptr);
  sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
  bool same = false;
  if (sqlite3_step(s) == SQLITE_ROW) {
    auto p = static_cast<const char*>(sqlite3_column_blob(s, 0));
    same = std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(s, 0))) == body;
  }
  sqlite3_finalize(s);
  return same;
}

bool Store::exec(const char* sql, std::string* error) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK) return true;
  if (error) *error = sqlite3_errmsg(db_);
  return false;
}

Reply handle_item(Store& store, const std::string& key, const std::string& kind,
                  const std::string& body) {
  Reply r;
  if (!valid_idempotency_key(key)) {
    r.status = 400;
    r.body = "Idempotency-Key must be 32 lowercase hex digits\n";
    return r;
  }
  if (body.empty()) {
    r.status = 400;
    r.body = "empty body\n";
    return r;
  }
  if (body.size() > kMaxItemBytes) {
    r.status = 413;
    r.body = "item larger than " + std::to_string(kMaxItemBytes) + " bytes\n";
    return r;
  }
  switch (store.put(key, kind, body)) {
    case Store::Result::Stored:
      r.status = 201;
      r.body = "stored\n";
      break;
    case Store::Result::Duplicate:
      r.status = 200;
      r.body = "duplicate\n";
      break;
    case Store::Result::Conflict:
      r.status = 409;
      r.body = "this key was stored with different content\n";
      break;
    case Store::Result::Error:
      r.status = 503;
      r.body = "store unavailable, try again\n";
      r.headers["Retry-After"] = "5";
      break;
  }
  return r;
}

void configure(httplib::Server& server, Store& store, const std::string& path) {
  server.set_payload_max_length(kMaxItemBytes);
  server.set_read_timeout(kReadTimeoutS, 0);
  server.set_write_timeout(kWriteTimeoutS, 0);
  server.set_keep_alive_timeout(kKeepAliveTimeoutS);
  // The answer goes out as two writes (head, body): with Nagle's algorithm the second waits
  // for the client's delayed ACK, about 40 ms per item on one connection (bench/sync).
  server.set_tcp_nodelay(true);
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server.Post(path, [&store](const httplib::Request& req, httplib::Response& res) {
    Reply r = handle_item(store, req.get_header_value("Idempotency-Key"),
                          req.get_header_value("X-Kiosk-Item-Kind"), req.body);
    res.status = r.status;
    for (const auto& [k, v] : r.headers) res.set_header(k, v);
    res.set_content(r.body, "text/plain");
  });
}

}  // namespace kiosk::receiver
