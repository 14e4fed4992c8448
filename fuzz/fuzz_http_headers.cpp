// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the response headers the sync client parses (sync/http_headers.h), fed
// line by line as libcurl hands them over: the budgets must hold whatever arrives.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sync/http_headers.h"

using namespace kiosk::sync;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  ResponseHeaders h;
  size_t fed = 0, pos = 0;
  while (pos < in.size()) {
    size_t end = in.find('\n', pos);
    end = end == std::string_view::npos ? in.size() : end + 1;
    if (!h.feed(in.substr(pos, end - pos))) break;
    fed += end - pos;
    pos = end;
  }
  if (fed > kMaxHeaderBytes) std::abort();
  if (!h.error().empty() && pos >= in.size()) std::abort();
  for (const auto& [name, value] : h.values()) {
    auto r = parse_retry_after_seconds(value);
    if (r && (*r < 0 || *r > 86400)) std::abort();
    auto c = parse_content_range_start(value);
    if (c && *c < 0) std::abort();
  }
  return 0;
}
