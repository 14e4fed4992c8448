// SPDX-License-Identifier: GPL-3.0-or-later
// tests/platform/fake_cups.h: a tiny IPP server on 127.0.0.1 that answers the five requests
// print_cups.cpp makes (CUPS-Get-Default, Get-Printer-Attributes, Create-Job, Send-Document,
// Cancel-Job) with a scripted printer, and keeps the document it receives. It speaks real
// HTTP/IPP through libcups's own encoder, so the client code under test is the real one.
#pragma once

#include <arpa/inet.h>
#include <cups/cups.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fake_cups {

struct Printer {
  std::string name = "front-desk";
  int state = IPP_PSTATE_IDLE;
  bool accepting = true;
  std::vector<std::string> reasons = {"none"};
};

// Listens on an ephemeral loopback port. With `answer` false it accepts connections and
// never replies: a wedged cupsd.
class Server {
 public:
  Server(std::optional<Printer> printer, bool has_default, bool answer = true)
      : printer_(std::move(printer)), has_default_(has_default), answer_(answer) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~Server() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string document() {
    std::lock_guard lock(mutex_);
    return document_;
  }
  std::vector<int> operations() {
    std::lock_guard lock(mutex_);
    return operations_;
  }
  static constexpr int kJobId = 7;

 private:
  bool wait_readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    while (!stop_) {
      if (::poll(&p, 1, 50) > 0) return true;
    }
    return false;
  }

  void serve() {
    std::vector<int> open_fds;
    while (!stop_) {
      if (!wait_readable(listen_fd_)) break;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      open_fds.push_back(fd);
      if (answer_) {
        while (handle_request(fd)) {
        }
      }
    }
    for (int fd : open_fds) ::close(fd);
  }

  // Reads exactly n bytes (or what arrives before the client goes away).
  bool read_exact(int fd, size_t n, std::string* out) {
    while (n > 0) {
      if (!wait_readable(fd)) return false;
      char buf[4096];
      ssize_t got = ::recv(fd, buf, std::min(n, sizeof buf), 0);
      if (got <= 0) return false;
      out->append(buf, size_t(got));
      n -= size_t(got);
    }
    return true;
  }
  bool read_line(int fd, std::string* line) {
    line->clear();
    while (line->size() < 2 || line->compare(line->size() - 2, 2, "\r\n") != 0) {
      if (!read_exact(fd, 1, line)) return false;
    }
    line->resize(line->size() - 2);
    return true;
  }

  bool handle_request(int fd) {
    std::string line, headers;
    if (!read_line(fd, &line)) return false;  // request line
    size_t content_length = 0;
    bool chunked = false, expect_continue = false;
    while (read_line(fd, &line) && !line.empty()) {
      std::string lower = line;
      for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
      if (lower.rfind("content-length:", 0) == 0) content_length = std::stoul(line.substr(15));
      if (lower.rfind("transfer-encoding:", 0) == 0 && lower.find("chunked") != std::string::npos)
        chunked = true;
      if (lower.rfind("expect:", 0) == 0) expect_continue = true;
    }
    if (expect_continue) send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
    std::string body;
    if (chunked) {
      while (read_line(fd, &line)) {
        size_t size = std::stoul(line, nullptr, 16);
        if (size == 0) {
          read_line(fd, &line);
          break;
        }
        if (!read_exact(fd, size, &body) || !read_line(fd, &line)) return false;
      }
    } else if (!read_exact(fd, content_length, &body)) {
      return false;
    }
    respond(fd, body);
    return true;
  }

  struct Reader {
    const std::string* data;
    size_t pos = 0;
  };
  static ssize_t read_cb(void* ctx, ipp_uchar_t* buffer, size_t bytes) {
    auto* r = static_cast<Reader*>(ctx);
    size_t n = std::min(bytes, r->data->size() - r->pos);
    std::memcpy(buffer, r->data->data() + r->pos, n);
    r->pos += n;
    return ssize_t(n);
  }
  static ssize_t write_cb(void* ctx, ipp_uchar_t* buffer, size_t bytes) {
    static_cast<std::string*>(ctx)->append(reinterpret_cast<char*>(buffer), bytes);
    return ssize_t(bytes);
  }

  void respond(int fd, const std::string& body) {
    Reader reader{&body};
    ipp_t* request = ippNew();
    ippReadIO(&reader, read_cb, 1, nullptr, request);
    ipp_op_t op = ippGetOperation(request);
    ipp_t* response = ippNewResponse(request);
    {
      std::lock_guard lock(mutex_);
      operations_.push_back(op);
    }
    if (op == IPP_OP_CUPS_GET_DEFAULT) {
      if (printer_ && has_default_) {
        ippAddString(response, IPP_TAG_PRINTER, IPP_TAG_NAME, "printer-name", nullptr,
                     printer_->name.c_str());
      } else {
        ippSetStatusCode(response, IPP_STATUS_ERROR_NOT_FOUND);
      }
    } else if (op == IPP_OP_GET_PRINTER_ATTRIBUTES) {
      ipp_attribute_t* uri = ippFindAttribute(request, "printer-uri", IPP_TAG_URI);
      std::string wanted = uri ? ippGetString(uri, 0, nullptr) : "";
      if (printer_ && wanted.size() >= printer_->name.size() &&
          wanted.compare(wanted.size() - printer_->name.size(), std::string::npos,
                         printer_->name) == 0) {
        ippAddInteger(response, IPP_TAG_PRINTER, IPP_TAG_ENUM, "printer-state", printer_->state);
        ippAddBoolean(response, IPP_TAG_PRINTER, "printer-is-accepting-jobs", printer_->accepting);
        std::vector<const char*> reasons;
        for (auto& r : printer_->reasons) reasons.push_back(r.c_str());
        ippAddStrings(response, IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "printer-state-reasons",
                      int(reasons.size()), nullptr, reasons.data());
      } else {
        ippSetStatusCode(response, IPP_STATUS_ERROR_NOT_FOUND);
      }
    } else if (op == IPP_OP_CREATE_JOB) {
      ippAddInteger(response, IPP_TAG_JOB, IPP_TAG_INTEGER, "job-id", kJobId);
      ippAddInteger(response, IPP_TAG_JOB, IPP_TAG_ENUM, "job-state", IPP_JSTATE_PENDING);
    } else if (op == IPP_OP_SEND_DOCUMENT) {
      std::lock_guard lock(mutex_);
      document_ = body.substr(reader.pos);
    }
    std::string out;
    ippSetState(response, IPP_STATE_IDLE);
    ippWriteIO(&out, write_cb, 1, nullptr, response);
    send_all(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\nContent-Length: " +
                     std::to_string(out.size()) + "\r\n\r\n" + out);
    ippDelete(response);
    ippDelete(request);
  }

  static void send_all(int fd, const std::string& s) {
    size_t sent = 0;
    while (sent < s.size()) {
      ssize_t n = ::send(fd, s.data() + sent, s.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += size_t(n);
    }
  }

  std::optional<Printer> printer_;
  bool has_default_;
  bool answer_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::string document_;
  std::vector<int> operations_;
};

// A loopback port nothing listens on (bound, then released).
inline int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace fake_cups
