// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: what the kiosk reads from an OpenRosa server (sync/openrosa.h): form lists,
// form definitions, answers to a submission, and the outbox's stored parts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sync/openrosa.h"

using namespace kiosk::sync;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  (void)parse_form_list(text, &error);
  (void)parse_form_definition(text, &error);
  HttpResponse r;
  r.status = size > 0 ? 200 + data[0] % 300 : 201;
  r.body = std::string(text);
  r.headers["x-openrosa-accept-content-length"] = std::string(text.substr(0, 16));
  (void)classify_submission_answer(r, "f", "1");
  (void)accepted_content_length(r);
  (void)redact_url(text);
  if (auto parts = decode_parts(text)) {
    if (encode_parts(*parts) != text) std::abort();  // one encoding per list of parts
  }
  return 0;
}
