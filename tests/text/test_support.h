// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the text tests: tab-separated data files and a ready engine.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "kiosk/text/text_engine.h"

namespace kiosk::text::testing {

// Rows of a tab-separated file under KIOSK_TEST_DATA, skipping blank and '#' lines. Each
// row keeps its line number for messages ("file:line").
struct DataRow {
  std::string where;
  std::vector<std::string> fields;
};
// gtest prints a failing parameter with this instead of its bytes.
inline void PrintTo(const DataRow& row, std::ostream* out) {
  *out << row.where;
}

std::vector<DataRow> read_tsv(const std::string& relative_path);

// One engine for a test binary, initialised once (a failed init fails the test that asked).
// Inline, so programs that include this header without GoogleTest never emit it.
inline TextEngine& shared_engine() {
  static TextEngine instance;
  static const bool ready = [] {
    std::string error;
    const bool ok = instance.init(&error);
    EXPECT_TRUE(ok) << error;
    return ok;
  }();
  (void)ready;
  return instance;
}

std::string read_file(const std::string& relative_path);

// The logical UTF-8 characters of one line of `layout` in visual order (left to right),
// reconstructed from glyph clusters: a cluster's characters are emitted in logical order in
// left-to-right runs and reversed in right-to-left ones.
std::string visual_order(const Layout& layout, std::string_view source, int line);

}  // namespace kiosk::text::testing
