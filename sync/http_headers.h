// SPDX-License-Identifier: GPL-3.0-or-later
// sync/http_headers.h: the response headers the sync client reads (ETag, Retry-After,
// Content-Range, ...), parsed line by line as libcurl hands them over, within fixed bounds:
// a server that sends endless or huge headers is cut off at kMaxHeaderBytes or
// kMaxHeaderLines instead of growing memory (docs/sync-protocol.md, "Client limits").
// Pure code without libcurl, so fuzz/fuzz_http_headers.cpp drives it directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::sync {

constexpr size_t kMaxHeaderBytes = 64 * 1024;  // all header lines of one request, every response
constexpr int kMaxHeaderLines = 200;           // likewise, counted over every response

class ResponseHeaders {
 public:
  // One raw line as it came ("Name: value\r\n", a status line "HTTP/1.1 200 OK\r\n" or the
  // blank line ending a block). A status line starts a new response: the values of an earlier
  // one (100 Continue, a 401 challenge) are dropped, but the byte and line budgets are not.
  // false, with error(), when a budget is exceeded; the caller aborts the transfer.
  bool feed(std::string_view line);
  // Lowercase names; a repeated header keeps its last value.
  const std::map<std::string, std::string>& values() const { return values_; }
  std::string value(const std::string& lowercase_name) const;
  const std::string& error() const { return error_; }
  // Forgets everything: the next request on a reused handle starts with fresh budgets.
  void reset();

 private:
  std::map<std::string, std::string> values_;
  std::string error_;
  size_t bytes_ = 0;
  int lines_ = 0;
};

// Retry-After as delta-seconds ("120"): nullopt for anything else (an HTTP-date is read by
// the caller) and for values above a day (capped rather than trusted: 86400).
std::optional<int64_t> parse_retry_after_seconds(std::string_view value);

// The first byte of "bytes FIRST-LAST/COMPLETE" (or "/*"), strictly: digits only,
// FIRST <= LAST, LAST < COMPLETE. nullopt when it is not that.
std::optional<int64_t> parse_content_range_start(std::string_view value);

}  // namespace kiosk::sync
