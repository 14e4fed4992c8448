// SPDX-License-Identifier: GPL-3.0-or-later
// sync/http.cpp: the three requests sync makes, through libcurl.
//
// libcurl is opened on first use (platform/lazy_library.h), not linked: it brings OpenSSL,
// Kerberos, LDAP and more (~6 ms at every start, issue 5), and a kiosk without sync never
// needs it. When it cannot be loaded, every request fails as a transport error naming the
// library, so sync reports itself offline with that reason. Calls go through the function
// table, so curl's compile-time option type checks (typecheck-gcc.h) do not apply here.
#include "sync/http.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "platform/lazy_library.h"
#include "sync/http_headers.h"

namespace kiosk::sync {

namespace {

// Every libcurl function this file calls; members drop the "curl_" prefix (which also
// keeps curl's own function-like macros, e.g. curl_easy_setopt, from expanding).
// clang-format off
#define KIOSK_CURL_FUNCTIONS(X)                                                            \
  X(global_init) X(easy_init) X(easy_cleanup) X(easy_setopt) X(easy_getinfo)             \
  X(easy_perform) X(easy_strerror) X(slist_append) X(slist_free_all) X(getdate)          \
  X(mime_init) X(mime_free) X(mime_addpart) X(mime_name) X(mime_filename) X(mime_type)   \
  X(mime_data)
// clang-format on

struct CurlApi {
#define KIOSK_CURL_MEMBER(name) decltype(&::curl_##name) name = nullptr;
  KIOSK_CURL_FUNCTIONS(KIOSK_CURL_MEMBER)
#undef KIOSK_CURL_MEMBER
};

void resolve_curl(CurlApi& api, platform::SymbolResolver& r) {
#define KIOSK_CURL_RESOLVE(name) r.resolve(api.name, "curl_" #name);
  KIOSK_CURL_FUNCTIONS(KIOSK_CURL_RESOLVE)
#undef KIOSK_CURL_RESOLVE
}

// Debian 12: libcurl4 ships libcurl.so.4 (OpenSSL flavour, as libcurl4-openssl-dev).
constinit platform::LazyLibrary<CurlApi> g_curl("libcurl.so.4", resolve_curl);

// libcurl with curl_global_init done once; nullptr (and `error` set) when not installed.
const CurlApi* curl_api(std::string* error) {
  const CurlApi* curl = g_curl.get(error);
  if (!curl) return nullptr;
  static const bool initialised = curl->global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) {
    *error = "curl_global_init failed";
    return nullptr;
  }
  return curl;
}

struct CurlDeleter {
  const CurlApi* curl;
  void operator()(CURL* c) const { curl->easy_cleanup(c); }
};
struct SlistDeleter {
  const CurlApi* curl;
  void operator()(curl_slist* l) const { curl->slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

// Response headers of the final response, within the bounds of sync/http_headers.h.
struct Headers {
  ResponseHeaders parsed;
  const std::map<std::string, std::string>& values() const { return parsed.values(); }
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* h = static_cast<Headers*>(user);
  // Returning less than given aborts the transfer (CURLE_WRITE_ERROR); finish() reports why.
  return h->parsed.feed(std::string_view(data, size * n)) ? size * n : 0;
}

std::optional<int64_t> parse_retry_after(const CurlApi& curl, const std::string& v) {
  if (v.empty()) return std::nullopt;
  if (auto seconds = parse_retry_after_seconds(v)) return seconds;
  time_t when = curl.getdate(v.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  int64_t delta = static_cast<int64_t>(when) - static_cast<int64_t>(time(nullptr));
  return std::clamp<int64_t>(delta, 0, 86400);
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel && cancel->load() ? 1 : 0;
}

CurlPtr make_handle(const CurlApi& curl, const std::string& url, const HttpOptions& o,
                    Headers* headers) {
  CurlPtr c(curl.easy_init(), CurlDeleter{&curl});
  if (!c) return c;
  CURL* h = c.get();
  if (!url.empty()) curl.easy_setopt(h, CURLOPT_URL, url.c_str());
  curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!o.ca_file.empty()) curl.easy_setopt(h, CURLOPT_CAINFO, o.ca_file.c_str());
  if (!o.pinned_public_key.empty())
    curl.easy_setopt(h, CURLOPT_PINNEDPUBLICKEY, o.pinned_public_key.c_str());
  curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // we run on worker threads
  curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o.connect_timeout_s);
  curl.easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, o.low_speed_limit_bytes);
  curl.easy_setopt(h, CURLOPT_LOW_SPEED_TIME, o.low_speed_time_s);
  if (o.request_timeout_s > 0) curl.easy_setopt(h, CURLOPT_TIMEOUT, o.request_timeout_s);
  curl.easy_setopt(h, CURLOPT_USERAGENT, "migrant-kiosk/" KIOSK_APP_VERSION);
  curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl.easy_setopt(h, CURLOPT_HEADERDATA, headers);
  curl.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl.easy_setopt(h, CURLOPT_XFERINFODATA, o.cancel);
  if (!o.username.empty()) {
    curl.easy_setopt(h, CURLOPT_USERNAME, o.username.c_str());
    curl.easy_setopt(h, CURLOPT_PASSWORD, o.password.c_str());
    curl.easy_setopt(
        h, CURLOPT_HTTPAUTH,
        o.auth == HttpAuth::PreemptiveBasic ? CURLAUTH_BASIC : (CURLAUTH_BASIC | CURLAUTH_DIGEST));
  }
  return c;
}

void finish(const CurlApi& curl, CURL* h, CURLcode rc, const char* errbuf, const Headers& headers,
            HttpResponse& r) {
  curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  if (!headers.parsed.error().empty()) r.transport_error = headers.parsed.error();
  if (rc != CURLE_OK && r.transport_error.empty())
    r.transport_error = errbuf[0] ? errbuf : curl.easy_strerror(rc);
  r.etag = headers.parsed.value("etag");
  if (auto v = headers.parsed.value("retry-after"); !v.empty())
    r.retry_after_s = parse_retry_after(curl, v);
  r.headers = headers.values();
}

struct BodySink {
  std::string* body;
  int64_t max_bytes;
  int64_t* received;
  std::string* error;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<BodySink*>(user);
  size_t len = size * n;
  *s->received += static_cast<int64_t>(len);
  if (static_cast<int64_t>(s->body->size() + len) > s->max_bytes) {
    *s->error = "response larger than " + std::to_string(s->max_bytes) + " bytes";
    return 0;  // aborts with CURLE_WRITE_ERROR
  }
  s->body->append(data, len);
  return len;
}

}  // namespace

std::string HttpResponse::describe() const {
  if (!transport_error.empty()) return transport_error;
  return "HTTP " + std::to_string(status);
}

HttpResponse http_get(const std::string& url, const HttpOptions& o,
                      const std::string& if_none_match, int64_t max_bytes) {
  HttpResponse r;
  const CurlApi* api = curl_api(&r.transport_error);
  if (!api) return r;
  const CurlApi& curl = *api;
  Headers headers;
  CurlPtr c = make_handle(curl, url, o, &headers);
  if (!c) return r.transport_error = "curl_easy_init failed", r;
  SlistPtr list(nullptr, SlistDeleter{&curl});
  if (!if_none_match.empty())
    list.reset(curl.slist_append(nullptr, ("If-None-Match: " + if_none_match).c_str()));
  curl.easy_setopt(c.get(), CURLOPT_HTTPHEADER, list.get());
  curl.easy_setopt(c.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
  BodySink sink{&r.body, max_bytes, &r.bytes_received, &r.transport_error};
  curl.easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl.easy_setopt(c.get(), CURLOPT_WRITEDATA, &sink);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl.easy_setopt(c.get(), CURLOPT_ERRORBUFFER, errbuf);
  finish(curl, c.get(), curl.easy_perform(c.get()), errbuf, headers, r);
  return r;
}

HttpResponse http_post(const std::string& url, const HttpOptions& o, const std::string& body,
                       const std::map<std::string, std::string>& extra) {
  HttpResponse r;
  const CurlApi* api = curl_api(&r.transport_error);
  if (!api) return r;
  const CurlApi& curl = *api;
  Headers headers;
  CurlPtr c = make_handle(curl, url, o, &headers);
  if (!c) return r.transport_error = "curl_easy_init failed", r;
  curl_slist* raw = curl.slist_append(nullptr, "Content-Type: application/octet-stream");
  raw = curl.slist_append(raw, "Expect:");  // no 100-continue round trip for small items
  for (const auto& [k, v] : extra) raw = curl.slist_append(raw, (k + ": " + v).c_str());
  SlistPtr list(raw, SlistDeleter{&curl});
  curl.easy_setopt(c.get(), CURLOPT_HTTPHEADER, list.get());
  curl.easy_setopt(c.get(), CURLOPT_POST, 1L);
  curl.easy_setopt(c.get(), CURLOPT_POSTFIELDS, body.data());
  curl.easy_setopt(c.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  BodySink sink{&r.body, 64 * 1024, &r.bytes_received, &r.transport_error};
  curl.easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl.easy_setopt(c.get(), CURLOPT_WRITEDATA, &sink);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl.easy_setopt(c.get(), CURLOPT_ERRORBUFFER, errbuf);
  finish(curl, c.get(), curl.easy_perform(c.get()), errbuf, headers, r);
  return r;
}

struct HttpSession::Impl {
  HttpOptions options;
  const CurlApi* curl = nullptr;
  std::string init_error;
  CurlPtr handle{nullptr, CurlDeleter{nullptr}};
  Headers headers;

  // Runs one request on the shared handle; `prepare` sets its method and body.
  template <typename Prepare>
  HttpResponse run(const std::string& url, const RequestHeaders& extra, int64_t max_bytes,
                   Prepare prepare) {
    HttpResponse r;
    if (!handle) return r.transport_error = init_error, r;
    CURL* h = handle.get();
    curl_slist* raw = curl->slist_append(nullptr, "Expect:");  // no 100-continue round trip
    for (const auto& [k, v] : extra) raw = curl->slist_append(raw, (k + ": " + v).c_str());
    SlistPtr list(raw, SlistDeleter{curl});
    curl->easy_setopt(h, CURLOPT_URL, url.c_str());
    curl->easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
    curl->easy_setopt(h, CURLOPT_HTTPGET, 1L);  // resets the method of the previous request
    curl->easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
    BodySink sink{&r.body, max_bytes, &r.bytes_received, &r.transport_error};
    curl->easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl->easy_setopt(h, CURLOPT_WRITEDATA, &sink);
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl->easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    headers.parsed.reset();
    prepare(h);
    finish(*curl, h, curl->easy_perform(h), errbuf, headers, r);
    curl->easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    curl->easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    return r;
  }
};

HttpSession::HttpSession(HttpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->curl = curl_api(&impl_->init_error);
  if (!impl_->curl) return;
  impl_->handle = make_handle(*impl_->curl, "", impl_->options, &impl_->headers);
  if (!impl_->handle) impl_->init_error = "curl_easy_init failed";
}

HttpSession::~HttpSession() = default;

HttpResponse HttpSession::head(const std::string& url, const RequestHeaders& headers) {
  return impl_->run(url, headers, 64 * 1024,
                    [this](CURL* h) { impl_->curl->easy_setopt(h, CURLOPT_NOBODY, 1L); });
}

HttpResponse HttpSession::get(const std::string& url, const RequestHeaders& headers,
                              int64_t max_bytes) {
  return impl_->run(url, headers, max_bytes, [](CURL*) {});
}

HttpResponse HttpSession::post_form(const std::string& url, const RequestHeaders& headers,
                                    const std::vector<FormPart>& parts) {
  if (!impl_->handle) return impl_->run(url, headers, 0, [](CURL*) {});
  const CurlApi& curl = *impl_->curl;
  // The mime structure belongs to the handle it was made for; freed after the request.
  curl_mime* m = curl.mime_init(impl_->handle.get());
  for (const FormPart& p : parts) {
    curl_mimepart* part = curl.mime_addpart(m);
    curl.mime_name(part, p.name.c_str());
    if (!p.filename.empty()) curl.mime_filename(part, p.filename.c_str());
    if (!p.content_type.empty()) curl.mime_type(part, p.content_type.c_str());
    curl.mime_data(part, p.data.data(), p.data.size());
  }
  HttpResponse r = impl_->run(url, headers, 64 * 1024,
                              [&](CURL* h) { curl.easy_setopt(h, CURLOPT_MIMEPOST, m); });
  curl.easy_setopt(impl_->handle.get(), CURLOPT_MIMEPOST, nullptr);
  curl.mime_free(m);
  return r;
}

namespace {

struct PartFile {
  const CurlApi* curl = nullptr;
  CURL* handle = nullptr;
  int fd = -1;
  int64_t offset = 0;       // bytes in the file
  int64_t resume_from = 0;  // what we asked the server to start at
  int64_t expected = 0;
  bool decided = false;  // whether this response's body goes to the file
  bool to_file = false;
  const Headers* headers = nullptr;
  std::string error_body;
  std::string error;
  int64_t received = 0;
};

// First body byte of the response: 206 appends at the range start, 200 starts over.
bool decide(PartFile* p) {
  p->decided = true;
  long status = 0;
  p->curl->easy_getinfo(p->handle, CURLINFO_RESPONSE_CODE, &status);
  if (status == 200) {
    if (::ftruncate(p->fd, 0) != 0 || ::lseek(p->fd, 0, SEEK_SET) != 0) {
      p->error = std::string("truncate part file: ") + std::strerror(errno);
      return false;
    }
    p->offset = 0;
    p->to_file = true;
  } else if (status == 206) {
    auto start = parse_content_range_start(p->headers->parsed.value("content-range"));
    if (!start || *start != p->resume_from) {
      p->error = "206 response does not start at byte " + std::to_string(p->resume_from);
      return false;
    }
    p->to_file = true;
  }
  return true;
}

size_t on_part_body(char* data, size_t size, size_t n, void* user) {
  auto* p = static_cast<PartFile*>(user);
  size_t len = size * n;
  p->received += static_cast<int64_t>(len);
  if (!p->decided && !decide(p)) return 0;
  if (!p->to_file) {  // an error page: keep a little of it for the message
    if (p->error_body.size() < 512) p->error_body.append(data, std::min<size_t>(len, 512));
    return len;
  }
  if (p->offset + static_cast<int64_t>(len) > p->expected) {
    p->error = "server sent more than the declared " + std::to_string(p->expected) + " bytes";
    return 0;
  }
  size_t done = 0;
  while (done < len) {
    ssize_t w = ::write(p->fd, data + done, len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      p->error = std::string("writing the download: ") + std::strerror(errno);
      return 0;
    }
    done += static_cast<size_t>(w);
  }
  p->offset += static_cast<int64_t>(len);
  return len;
}

}  // namespace

DownloadResult http_download(const std::string& url, const HttpOptions& o,
                             const std::string& part_path, int64_t expected_size,
                             std::string& etag) {
  DownloadResult d;
  d.expected_size = expected_size;
  PartFile p;
  p.fd = ::open(part_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (p.fd < 0) {
    d.http.transport_error = part_path + ": " + std::strerror(errno);
    return d;
  }
  struct stat st {};
  ::fstat(p.fd, &st);
  int64_t have = st.st_size;
  if (have > expected_size) {  // cannot be a prefix of the right file: start over
    if (::ftruncate(p.fd, 0) != 0) {
      d.http.transport_error = part_path + ": " + std::strerror(errno);
      ::close(p.fd);
      return d;
    }
    have = 0;
  }
  if (have == expected_size) {  // complete already; the caller verifies the hash
    ::close(p.fd);
    d.resumed_from = d.file_size = have;
    return d;
  }
  ::lseek(p.fd, have, SEEK_SET);
  p.offset = p.resume_from = have;
  p.expected = expected_size;

  const CurlApi* api = curl_api(&d.http.transport_error);
  if (!api) {
    ::close(p.fd);
    d.resumed_from = d.file_size = have;  // the part file is kept for the next try
    return d;
  }
  const CurlApi& curl = *api;
  p.curl = &curl;
  Headers headers;
  p.headers = &headers;
  CurlPtr c = make_handle(curl, url, o, &headers);
  if (!c) {
    ::close(p.fd);
    d.http.transport_error = "curl_easy_init failed";
    return d;
  }
  p.handle = c.get();
  SlistPtr list(nullptr, SlistDeleter{&curl});
  std::string range;
  if (have > 0) {
    range = std::to_string(have) + "-";
    curl.easy_setopt(c.get(), CURLOPT_RANGE, range.c_str());
    // If-Range: the server sends the rest only if the file is still the one we started.
    if (!etag.empty()) list.reset(curl.slist_append(nullptr, ("If-Range: " + etag).c_str()));
  }
  curl.easy_setopt(c.get(), CURLOPT_HTTPHEADER, list.get());
  // A declared Content-Length above the whole file is refused before any byte is written.
  curl.easy_setopt(c.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(expected_size));
  curl.easy_setopt(c.get(), CURLOPT_WRITEFUNCTION, on_part_body);
  curl.easy_setopt(c.get(), CURLOPT_WRITEDATA, &p);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl.easy_setopt(c.get(), CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = curl.easy_perform(c.get());
  if (!p.error.empty()) d.http.transport_error = p.error;
  finish(curl, c.get(), rc, errbuf, headers, d.http);
  d.http.bytes_received = p.received;
  d.http.body = p.error_body;
  if (rc == CURLE_OK && !p.to_file && d.http.transport_error.empty())
    d.http.transport_error = "HTTP " + std::to_string(d.http.status);
  if (!d.http.etag.empty()) etag = d.http.etag;
  d.resumed_from = (d.http.status == 206) ? have : 0;
  if (d.http.status != 206 && d.http.status != 200) d.resumed_from = have;
  ::fstat(p.fd, &st);
  d.file_size = st.st_size;
  ::close(p.fd);
  return d;
}

}  // namespace kiosk::sync
