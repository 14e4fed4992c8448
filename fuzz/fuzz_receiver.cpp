// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: kiosk-receiver's request handling (tools/receiver/receiver.h) behind
// cpp-httplib's own request parser, fed the fuzzer's bytes as one connection's stream. The
// store is an SQLite database in memory; whatever arrives, a stored item stays stored.
#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tools/receiver/receiver.h"

namespace {

// One connection: reads come from the input, writes are dropped.
class InputStream : public httplib::Stream {
 public:
  explicit InputStream(std::string_view in) : in_(in) {}
  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const size_t n = std::min(size, in_.size());
    std::copy_n(in_.data(), n, ptr);
    in_.remove_prefix(n);
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char*, size_t size) override { return static_cast<ssize_t>(size); }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 40000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 8088;
  }
  socket_t socket() const override { return INVALID_SOCKET; }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

class FuzzServer : public httplib::Server {
 public:
  // Requests on one kept-alive connection, as the server's loop would read them.
  void connection(std::string_view bytes) {
    InputStream stream(bytes);
    for (int i = 0; i < 8 && !stream.done(); ++i) {
      bool closed = false;
      if (!process_request(stream, false, closed, nullptr) || closed) break;
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 2 << 20) return 0;
  static kiosk::receiver::Store* store = [] {
    auto* s = new kiosk::receiver::Store;
    std::string error;
    if (!s->open(":memory:", &error)) std::abort();
    return s;
  }();
  static FuzzServer* server = [] {
    auto* s = new FuzzServer;
    kiosk::receiver::configure(*s, *store, "/v1/outbox");
    return s;
  }();
  const long long before = store->count();
  server->connection(std::string_view(reinterpret_cast<const char*>(data), size));
  if (store->count() < before) std::abort();  // nothing stored is ever lost
  return 0;
}
