// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk-receiver: the reference receiver of the outbox protocol (docs/sync-protocol.md).
//
//   POST <path>  body: a sealed item (opaque bytes), header Idempotency-Key: 32 hex digits
//     201 stored; 200 duplicate (same key, same bytes: already stored, nothing changes);
//     409 same key with different bytes; 400 bad key or empty body; 413 too large.
//   GET /health  200 "ok"
//
// Items are stored in SQLite (WAL, synchronous=FULL) under a UNIQUE key, and the answer
// is sent only after the commit, so a 2xx always means "durably stored exactly once".
// The receiver never opens the sealed payloads: the agency does that with its key
// (kioskctl inbox). Under systemd (Type=notify) it says READY=1 once it listens.
#include <httplib.h>
#include <sqlite3.h>
#include <systemd/sd-daemon.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>
#include <string>

namespace {

constexpr size_t kMaxItemBytes = 1 << 20;

bool valid_key(const std::string& k) {
  if (k.size() != 32) return false;
  for (char c : k)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

class Store {
 public:
  bool open(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) return false;
    sqlite3_busy_timeout(db_, 10000);
    return exec("PRAGMA journal_mode=WAL") && exec("PRAGMA synchronous=FULL") &&
           exec(
               "CREATE TABLE IF NOT EXISTS items (idem_key TEXT PRIMARY KEY, kind TEXT NOT NULL, "
               "body BLOB NOT NULL, received_at INTEGER NOT NULL)");
  }
  ~Store() { sqlite3_close(db_); }

  enum class Result { Stored, Duplicate, Conflict, Error };

  Result put(const std::string& key, const std::string& kind, const std::string& body) {
    std::lock_guard lock(mutex_);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_,
                       "INSERT INTO items (idem_key, kind, body, received_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (idem_key) DO NOTHING",
                       -1, &s, nullptr);
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

 private:
  bool same_body(const std::string& key, const std::string& body) {
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
  bool exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK) return true;
    std::cerr << "kiosk-receiver: " << sqlite3_errmsg(db_) << "\n";
    return false;
  }
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
};

httplib::Server* g_server = nullptr;
void on_signal(int) {
  if (g_server) g_server->stop();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Reference receiver for kiosk outbox items"};
  std::string host = "127.0.0.1", db_path, path = "/v1/outbox";
  int port = 8088;
  app.add_option("--host", host, "Address to listen on")->capture_default_str();
  app.add_option("--port", port, "Port; 0 picks a free one (printed on stdout)")
      ->capture_default_str();
  app.add_option("--db", db_path, "SQLite file the items are stored in")->required();
  app.add_option("--path", path, "URL path items are POSTed to")->capture_default_str();
  app.set_version_flag("--version", KIOSK_APP_VERSION);
  CLI11_PARSE(app, argc, argv);

  Store store;
  if (!store.open(db_path)) {
    std::cerr << "kiosk-receiver: cannot open " << db_path << "\n";
    return 1;
  }
  httplib::Server server;
  server.set_payload_max_length(kMaxItemBytes);
  server.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server.Post(path, [&store](const httplib::Request& req, httplib::Response& res) {
    const std::string key = req.get_header_value("Idempotency-Key");
    const std::string kind = req.get_header_value("X-Kiosk-Item-Kind");
    if (!valid_key(key)) {
      res.status = 400;
      res.set_content("Idempotency-Key must be 32 lowercase hex digits\n", "text/plain");
      return;
    }
    if (req.body.empty()) {
      res.status = 400;
      res.set_content("empty body\n", "text/plain");
      return;
    }
    switch (store.put(key, kind, req.body)) {
      case Store::Result::Stored:
        res.status = 201;
        res.set_content("stored\n", "text/plain");
        break;
      case Store::Result::Duplicate:
        res.status = 200;
        res.set_content("duplicate\n", "text/plain");
        break;
      case Store::Result::Conflict:
        res.status = 409;
        res.set_content("this key was stored with different content\n", "text/plain");
        break;
      case Store::Result::Error:
        res.status = 503;
        res.set_header("Retry-After", "5");
        break;
    }
  });
  int bound = port;
  if (port == 0) {
    bound = server.bind_to_any_port(host);
  } else if (!server.bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    std::cerr << "kiosk-receiver: cannot listen on " << host << ":" << port << "\n";
    return 1;
  }
  g_server = &server;
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::printf("listening on %s:%d\n", host.c_str(), bound);
  std::fflush(stdout);
  // Without NOTIFY_SOCKET (not under systemd) this does nothing.
  sd_notifyf(0, "READY=1\nSTATUS=listening on %s:%d", host.c_str(), bound);
  server.listen_after_bind();
  sd_notify(0, "STOPPING=1");
  return 0;
}
