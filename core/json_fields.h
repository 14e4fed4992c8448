// SPDX-License-Identifier: GPL-3.0-or-later
// Reading fields of JSON that comes from outside (an item, an answers file) without exceptions:
// nlohmann's json::value(key, default) throws when the field exists with another type (found
// by fuzz_items: {"kind": [...]} terminated the reader).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kiosk::core {

// The field as a string; `fallback` when it is missing or not a string.
inline std::string string_field(const nlohmann::json& object, const char* key,
                                std::string fallback = "") {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace kiosk::core
