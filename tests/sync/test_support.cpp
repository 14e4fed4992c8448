// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/sync/test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sync/repo.h"

namespace kiosk::sync::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "kiosk-sync-XXXXXX").string();
  char* p = ::mkdtemp(tmpl.data());
  if (!p) throw std::runtime_error("mkdtemp failed");
  path_ = p;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool port_open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

void write_text(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

pid_t spawn(const std::vector<std::string>& argv) {
  pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

int run_and_wait(const std::vector<std::string>& argv) {
  pid_t pid = spawn(argv);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return -WTERMSIG(status);
}

namespace {

void kill_and_reap(pid_t& pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      pid = -1;
      return;
    }
    std::this_thread::sleep_for(20ms);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  pid = -1;
}

bool exited(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

bool Nginx::start(const std::string& root, std::string* error, const std::string& cert,
                  const std::string& key) {
  tls_ = !cert.empty();
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    const std::string d = dir_.path();
    fs::create_directories(d + "/tmp");
    std::ostringstream conf;
    conf << "daemon off;\nmaster_process off;\nworker_processes 1;\n"
         << "error_log " << d << "/error.log info;\npid " << d << "/nginx.pid;\n"
         << "events { worker_connections 64; }\n"
         << "http {\n  access_log " << d << "/access.log;\n"
         << "  client_body_temp_path " << d << "/tmp/body;\n  proxy_temp_path " << d
         << "/tmp/proxy;\n"
         << "  fastcgi_temp_path " << d << "/tmp/fastcgi;\n  uwsgi_temp_path " << d
         << "/tmp/uwsgi;\n"
         << "  scgi_temp_path " << d << "/tmp/scgi;\n  default_type application/octet-stream;\n"
         << "  server {\n    listen 127.0.0.1:" << port_ << (tls_ ? " ssl" : "") << ";\n"
         << (tls_ ? "    ssl_certificate " + cert + ";\n    ssl_certificate_key " + key + ";\n"
                  : "")
         << "    root " << root << ";\n"
         << "    location / { }\n  }\n}\n";
    write_text(d + "/nginx.conf", conf.str());
    pid_ = spawn({KIOSK_NGINX_BIN, "-p", d, "-c", d + "/nginx.conf", "-e", d + "/error.log"});
    for (int i = 0; i < 250; ++i) {
      if (port_open(port_)) return true;
      if (exited(pid_)) break;
      std::this_thread::sleep_for(20ms);
    }
    kill_and_reap(pid_);
  }
  *error = "nginx did not start: " + read_text(dir_ / "error.log");
  return false;
}

void Nginx::stop() {
  kill_and_reap(pid_);
}

std::string Nginx::access_log() const {
  return read_text(dir_ / "access.log");
}

bool Receiver::start(const std::string& db_path, std::string* error) {
  int out[2];
  if (::pipe(out) != 0) return false;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::close(out[1]);
    ::execl(KIOSK_RECEIVER_BIN, KIOSK_RECEIVER_BIN, "--port", "0", "--db", db_path.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  char c;
  pollfd p{out[0], POLLIN, 0};
  while (line.find('\n') == std::string::npos && ::poll(&p, 1, 10000) > 0 &&
         ::read(out[0], &c, 1) == 1)
    line += c;
  ::close(out[0]);
  auto colon = line.rfind(':');
  if (line.rfind("listening on", 0) != 0 || colon == std::string::npos) {
    *error = "receiver did not start: '" + line + "'";
    kill_and_reap(pid_);
    return false;
  }
  port_ = std::atoi(line.c_str() + colon + 1);
  return true;
}

void Receiver::stop() {
  kill_and_reap(pid_);
}

void FaultServer::start(Handler handler) {
  handler_ = std::move(handler);
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  ::listen(listen_fd_, 16);
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  thread_ = std::thread([this] { serve(); });
}

void FaultServer::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

std::vector<Request> FaultServer::requests() {
  std::lock_guard lock(mutex_);
  return requests_;
}

namespace {

bool read_request(int fd, Request* r) {
  std::string data;
  char buf[4096];
  size_t head_end;
  while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return false;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    data.append(buf, static_cast<size_t>(n));
  }
  std::istringstream head(data.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  std::istringstream first(line);
  first >> r->method >> r->path;
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    r->headers[name] = value;
  }
  r->body = data.substr(head_end + 4);
  size_t want = r->headers.count("content-length") ? std::stoul(r->headers["content-length"]) : 0;
  while (r->body.size() < want) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    r->body.append(buf, static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

void FaultServer::serve() {
  int index = 0;
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Request r;
    if (read_request(fd, &r)) {
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(r);
      }
      handler_(fd, r, index++);
    }
    ::close(fd);
  }
}

bool FaultServer::send_all(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

void FaultServer::reset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
}

std::string FaultServer::response_head(int status,
                                       const std::map<std::string, std::string>& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
  return out + "\r\n";
}

std::string make_loopback_certificate(const std::string& dir) {
  const std::string cert = dir + "/cert.pem", key = dir + "/key.pem", pin = dir + "/pin.txt";
  const std::string gen =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
      " -keyout " +
      key + " -out " + cert +
      " -days 2 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 2>/dev/null";
  const std::string hash = "openssl x509 -in " + cert +
                           " -pubkey -noout | openssl pkey -pubin -outform der"
                           " | openssl dgst -sha256 -binary | openssl base64 -A > " +
                           pin;
  if (std::system(gen.c_str()) != 0 || std::system(hash.c_str()) != 0) return "";
  std::string b64 = read_text(pin);
  return b64.empty() ? "" : "sha256//" + b64;
}

core::PackFiles test_pack(const std::string& version, size_t padding) {
  std::string error;
  auto files = core::read_pack_dir(std::string(KIOSK_TEST_DATA) + "/sync/pack", &error);
  if (!files) throw std::runtime_error(error);
  std::string& yaml = (*files)["pack.yaml"];
  auto at = yaml.find("version: 1.0.0");
  yaml.replace(at, 14, "version: " + version);
  std::string pad;
  while (pad.size() < padding)
    pad += "# padding to make the pack archive larger than a small disk\n";
  yaml += pad;
  return *files;
}

void write_pack_dir(const std::string& dir, const core::PackFiles& files) {
  for (const auto& [path, bytes] : files) write_text(dir + "/" + path, bytes);
}

Repo::Repo() {
  std::string error;
  auto pub = repo_keygen(tmp_ / "keys", &error);
  if (!pub) throw std::runtime_error(error);
  pub_hex_ = *pub;
}

RepoManifest Repo::publish(const std::string& version, int64_t expires_days, int64_t now,
                           size_t padding) {
  const std::string src = tmp_ / ("src-" + std::to_string(++counter_));
  write_pack_dir(src, test_pack(version, padding));
  PublishOptions o;
  o.secret_key_path = tmp_ / "keys/repo.key";
  o.pack_dirs = {src};
  o.out_dir = dir();
  o.expires_days = expires_days;
  o.now = now;
  std::string error;
  auto m = repo_publish(o, &error);
  if (!m) throw std::runtime_error(error);
  return *m;
}

SyncConfig client_config(const TempDir& dir, const std::string& repo_url,
                         const std::string& key_hex) {
  SyncConfig c;
  c.repo_url = repo_url;
  c.trusted_repo_keys_hex = {key_hex};
  c.state_db_path = dir / "state.db";
  c.pack_store_path = dir / "packs.db";
  c.download_dir = dir / "downloads";
  c.connect_timeout_s = 3;
  c.low_speed_limit_bytes = 100;
  c.low_speed_time_s = 2;
  c.backoff_base_s = 1;
  c.backoff_cap_s = 60;
  return c;
}

}  // namespace kiosk::sync::test
