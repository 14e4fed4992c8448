// SPDX-License-Identifier: GPL-3.0-or-later
// Shared helpers of the core tests: the mini pack of tests/data/packs/mini, overlays of it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/pack.h"

namespace kiosk::core::testing {

inline std::filesystem::path test_data() {
  return KIOSK_TEST_DATA;
}

inline PackFiles read_dir_or_fail(const std::filesystem::path& dir) {
  std::string error;
  auto files = read_pack_dir(dir, &error);
  EXPECT_TRUE(files.has_value()) << error;
  return files.value_or(PackFiles{});
}

inline PackFiles mini_files() {
  return read_dir_or_fail(test_data() / "packs" / "mini");
}

// The mini pack, loaded once and shared (it is immutable).
inline std::shared_ptr<const Pack> mini_pack() {
  static std::shared_ptr<const Pack> pack = [] {
    LoadResult r = load_pack(mini_files());
    for (const auto& d : r.diagnostics)
      if (d.severity == Severity::Error) ADD_FAILURE() << format_diagnostic(d);
    return r.pack;
  }();
  return pack;
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace kiosk::core::testing
