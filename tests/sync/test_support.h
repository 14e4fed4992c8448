// SPDX-License-Identifier: GPL-3.0-or-later
// Test fixtures for the sync tests: temp folders, real servers started and stopped by the
// test itself (nginx, the reference receiver) on 127.0.0.1 only, a socket-level fault
// server, and pack/repository builders.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/pack.h"
#include "sync/config.h"
#include "sync/manifest.h"

namespace kiosk::sync::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A free port on 127.0.0.1 at the time of the call.
int free_loopback_port();
// True when something accepts TCP connections on 127.0.0.1:port.
bool port_open(int port);
void write_text(const std::string& path, const std::string& bytes);
std::string read_text(const std::string& path);

// nginx serving `root` on 127.0.0.1, one process (`master_process off; daemon off;`),
// with its config, pid file, logs and temp paths inside its own temp folder.
class Nginx {
 public:
  ~Nginx() { stop(); }
  // With cert/key (PEM paths) it serves https instead of http.
  bool start(const std::string& root, std::string* error, const std::string& cert = "",
             const std::string& key = "");
  void stop();
  int port() const { return port_; }
  std::string url() const {
    return (tls_ ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(port_) + "/";
  }
  std::string access_log() const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool tls_ = false;
};

// The reference receiver (tools/receiver) as a child process.
class Receiver {
 public:
  ~Receiver() { stop(); }
  bool start(const std::string& db_path, std::string* error);
  void stop();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/outbox"; }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

struct Request {
  std::string method, path;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
};

// One connection at a time on 127.0.0.1; the handler writes whatever it likes, raw, and
// the server closes the connection when the handler returns.
class FaultServer {
 public:
  using Handler = std::function<void(int fd, const Request& request, int index)>;
  ~FaultServer() { stop(); }
  void start(Handler handler);
  void stop();
  std::string url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/" + path;
  }
  std::vector<Request> requests();
  bool stopping() const { return stop_; }

  // Helpers for handlers.
  static bool send_all(int fd, const std::string& bytes);
  static void reset(int fd);  // RST instead of FIN: SO_LINGER 0
  static std::string response_head(int status, const std::map<std::string, std::string>& headers);

 private:
  void serve();
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  Handler handler_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Request> requests_;
};

// The pack in tests/data/sync/pack with its version set to `version`; `padding` bytes of
// YAML comment make it as large as a test needs.
core::PackFiles test_pack(const std::string& version, size_t padding = 0);
void write_pack_dir(const std::string& dir, const core::PackFiles& files);

// A repository folder with its own signing key.
class Repo {
 public:
  Repo();
  std::string dir() const { return tmp_ / "repo"; }
  const std::string& public_key_hex() const { return pub_hex_; }
  std::string secret_key_path() const { return tmp_ / "keys/repo.key"; }
  // Publishes the test pack at `version` (repo_version grows by one per call).
  RepoManifest publish(const std::string& version, int64_t expires_days = 30, int64_t now = 0,
                       size_t padding = 0);

 private:
  TempDir tmp_;
  std::string pub_hex_;
  int counter_ = 0;
};

// A client configuration with every path inside `dir`, short timeouts for tests.
SyncConfig client_config(const TempDir& dir, const std::string& repo_url,
                         const std::string& key_hex);

// A self-signed certificate for 127.0.0.1 (openssl CLI) in `dir`: cert.pem, key.pem; returns
// the libcurl pin "sha256//..." of its public key, or "" on failure.
std::string make_loopback_certificate(const std::string& dir);

// Runs a helper executable; returns its exit status (or -signal).
int run_and_wait(const std::vector<std::string>& argv);
pid_t spawn(const std::vector<std::string>& argv);

}  // namespace kiosk::sync::test
