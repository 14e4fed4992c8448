// SPDX-License-Identifier: GPL-3.0-or-later
// libcurl wrappers for the requests sync makes: a bounded GET (manifest), a resumable
// download into a .part file (pack archives), a POST (outbox items to the reference receiver),
// and a session of HEAD/GET/multipart POST requests (OpenRosa servers).
// TLS peer and host verification stay on; only http and https are allowed; redirects are
// not followed (a repository is plain files at a fixed URL).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::sync {

// How credentials are offered. Challenged: only after the server's 401 names a scheme
// (Basic or Digest, whichever it asks for; libcurl answers both), so a password never goes out
// to a server that did not ask. PreemptiveBasic: Basic on every request, for a server that
// answers 401 without a challenge (ODK Central does; use it over https only).
enum class HttpAuth { Challenged, PreemptiveBasic };

struct HttpOptions {
  std::string ca_file;             // empty: the system CA store
  std::string pinned_public_key;   // empty: no pin; else CURLOPT_PINNEDPUBLICKEY
  std::string username, password;  // empty username: no credentials
  HttpAuth auth = HttpAuth::Challenged;
  long connect_timeout_s = 10;
  long low_speed_limit_bytes = 100;
  long low_speed_time_s = 30;
  long request_timeout_s = 0;
  const std::atomic<bool>* cancel = nullptr;  // set -> the transfer aborts promptly
};

struct HttpResponse {
  long status = 0;              // 0 when no HTTP status line arrived
  std::string transport_error;  // non-empty when the transfer failed (connect, reset, timeout, cap)
  std::string body;             // GET/POST: the body (bounded); download: error bodies only
  std::string etag;
  std::optional<int64_t> retry_after_s;
  std::map<std::string, std::string> headers;  // of the final response; lowercase names
  int64_t bytes_received = 0;                  // body bytes that came over the wire
  bool ok() const { return transport_error.empty() && status >= 200 && status < 300; }
  // "HTTP 503" or the transport error, for logs and staff screens.
  std::string describe() const;
};

// GET with an optional If-None-Match. A body larger than max_bytes aborts the transfer.
HttpResponse http_get(const std::string& url, const HttpOptions& options,
                      const std::string& if_none_match, int64_t max_bytes);

// POST `body` as application/octet-stream with extra headers ("Name" -> "value").
HttpResponse http_post(const std::string& url, const HttpOptions& options, const std::string& body,
                       const std::map<std::string, std::string>& headers);

// One part of a multipart/form-data body (RFC 7578), e.g. an OpenRosa submission's
// "xml_submission_file".
struct FormPart {
  std::string name, filename, content_type, data;
};

using RequestHeaders = std::map<std::string, std::string>;

// Several requests to one server over one libcurl handle: the connection is reused, and a
// Digest challenge answered once serves the requests after it (an OpenRosa HEAD, then POSTs).
// Not thread-safe: one session per thread.
class HttpSession {
 public:
  explicit HttpSession(HttpOptions options);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  HttpResponse head(const std::string& url, const RequestHeaders& headers);
  // A body larger than max_bytes aborts the transfer.
  HttpResponse get(const std::string& url, const RequestHeaders& headers, int64_t max_bytes);
  // POST multipart/form-data; the answer's body is kept up to 64 KiB.
  HttpResponse post_form(const std::string& url, const RequestHeaders& headers,
                         const std::vector<FormPart>& parts);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct DownloadResult {
  HttpResponse http;
  int64_t resumed_from = 0;  // bytes already in the .part file that were kept
  int64_t file_size = 0;     // size of the .part file afterwards
  bool complete() const { return http.transport_error.empty() && file_size == expected_size; }
  int64_t expected_size = 0;
};

// Downloads `url` into `part_path`, resuming what is already there with Range and, when
// `etag` is known, If-Range (a changed file then comes back as 200 and the part file is
// truncated and rewritten). Never writes more than expected_size bytes: a longer body is
// cut and reported. On return `etag` holds the server's current ETag (persist it).
DownloadResult http_download(const std::string& url, const HttpOptions& options,
                             const std::string& part_path, int64_t expected_size,
                             std::string& etag);

}  // namespace kiosk::sync
