// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the items agencies read back (core/handoff.h, core/counts.h). Whatever
// parses must also turn into its OpenRosa submission instance and back into the same JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/counts.h"
#include "core/handoff.h"
#include "core/xform.h"

using namespace kiosk::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  if (auto h = parse_handoff_json(text, &error)) {
    (void)handoff_instance_xml(*h, "1", "uuid:x");
    auto again = parse_handoff_json(handoff_json(*h), &error);
    if (!again) std::abort();  // what the kiosk writes must read back
  }
  if (auto c = parse_counts_json(text, &error)) {
    (void)counts_instance_xml(*c, "1", "uuid:x");
    const std::string json = counts_json(*c);
    auto again = parse_counts_json(json, &error);
    if (!again || counts_json(*again) != json) std::abort();
  }
  return 0;
}
