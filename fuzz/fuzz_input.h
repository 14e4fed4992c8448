// SPDX-License-Identifier: GPL-3.0-or-later
// Turns one fuzzer input into a pack's files: sections start with a line "=== path".
// Text before the first marker becomes rules.yaml, so plain YAML inputs still reach the
// loader. Seeds in fuzz/corpus/pack/ are whole packs in this shape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/pack.h"

namespace kiosk::fuzz {

inline core::PackFiles split_pack_input(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  core::PackFiles files;
  std::string current = "rules.yaml";
  size_t pos = 0;
  while (pos <= in.size()) {
    size_t end = in.find('\n', pos);
    if (end == std::string_view::npos) end = in.size();
    std::string_view line = in.substr(pos, end - pos);
    if (line.substr(0, 4) == "=== ")
      current = std::string(line.substr(4));
    else
      files[current].append(line).append(end < in.size() ? "\n" : "");
    pos = end + 1;
  }
  return files;
}

}  // namespace kiosk::fuzz
