// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/http_headers.h"

#include <algorithm>
#include <cctype>

namespace kiosk::sync {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// A run of decimal digits (at most 18, so it fits int64_t) at the front of `s`, consumed.
std::optional<int64_t> take_digits(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  if (n == 0 || n > 18) return std::nullopt;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = v * 10 + (s[i] - '0');
  s.remove_prefix(n);
  return v;
}

}  // namespace

bool ResponseHeaders::feed(std::string_view line) {
  if (!error_.empty()) return false;
  bytes_ += line.size();
  ++lines_;
  if (bytes_ > kMaxHeaderBytes) {
    error_ = "response headers larger than " + std::to_string(kMaxHeaderBytes) + " bytes";
    return false;
  }
  if (lines_ > kMaxHeaderLines) {
    error_ = "more than " + std::to_string(kMaxHeaderLines) + " response header lines";
    return false;
  }
  if (line.substr(0, 5) == "HTTP/") {
    values_.clear();
    return true;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return true;  // the blank line, or junk: ignored
  std::string_view name = trim(line.substr(0, colon));
  if (name.empty()) return true;
  std::string key(name);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  values_[std::move(key)] = std::string(trim(line.substr(colon + 1)));
  return true;
}

std::string ResponseHeaders::value(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string() : it->second;
}

void ResponseHeaders::reset() {
  values_.clear();
  error_.clear();
  bytes_ = 0;
  lines_ = 0;
}

std::optional<int64_t> parse_retry_after_seconds(std::string_view value) {
  std::string_view s = trim(value);
  auto v = take_digits(s);
  if (!v || !s.empty()) return std::nullopt;
  return std::min<int64_t>(*v, 86400);
}

std::optional<int64_t> parse_content_range_start(std::string_view value) {
  std::string_view s = trim(value);
  if (s.substr(0, 6) != "bytes ") return std::nullopt;
  s.remove_prefix(6);
  auto first = take_digits(s);
  if (!first || s.empty() || s.front() != '-') return std::nullopt;
  s.remove_prefix(1);
  auto last = take_digits(s);
  if (!last || *last < *first || s.empty() || s.front() != '/') return std::nullopt;
  s.remove_prefix(1);
  if (s == "*") return first;
  auto complete = take_digits(s);
  if (!complete || !s.empty() || *last >= *complete) return std::nullopt;
  return first;
}

}  // namespace kiosk::sync
