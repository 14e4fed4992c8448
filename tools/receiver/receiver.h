// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk-receiver's request handling as a library (tools/receiver/main.cpp is only the command
// line): the store, the answer to one POSTed item, and the server's limits. The fuzz target
// (fuzz/fuzz_receiver.cpp) and the hostile-client tests use it without a socket.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace httplib {
class Server;
}

namespace kiosk::receiver {

// Limits the receiver holds every client to (docs/sync-protocol.md, "Receiver limits").
constexpr size_t kMaxItemBytes = 1 << 20;  // a larger body is answered 413
constexpr int kReadTimeoutS = 3;           // a client silent this long mid-request is dropped
constexpr int kWriteTimeoutS = 3;
constexpr int kKeepAliveTimeoutS = 3;  // an idle kept-alive connection is closed after this
constexpr size_t kWorkerThreads = 64;  // connections served at once; more wait in the queue

// 32 lowercase hex digits.
bool valid_idempotency_key(std::string_view key);

class Store {
 public:
  Store() = default;
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Opens (creates) the SQLite file: WAL, synchronous=FULL. false and *error on failure.
  bool open(const std::string& path, std::string* error);

  enum class Result { Stored, Duplicate, Conflict, Error };
  Result put(const std::string& key, const std::string& kind, const std::string& body);
  // Items stored (for tests and the bench).
  long long count();

 private:
  bool same_body(const std::string& key, const std::string& body);
  bool exec(const char* sql, std::string* error);
  sqlite3* db_ = nullptr;
  std::mutex mutex_;
};

struct Reply {
  int status = 500;
  std::string body;
  std::map<std::string, std::string> headers;
};

// The answer to one POSTed item, as docs/sync-protocol.md says: 201 stored, 200 duplicate,
// 409 same key with other bytes, 400 bad key or empty body, 413 too large, 503 store error.
Reply handle_item(Store& store, const std::string& idempotency_key, const std::string& kind,
                  const std::string& body);

// Routes (POST `path`, GET /health) and every limit above, on `server`.
void configure(httplib::Server& server, Store& store, const std::string& path);

}  // namespace kiosk::receiver
