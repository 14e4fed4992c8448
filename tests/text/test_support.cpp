// SPDX-License-Identifier: GPL-3.0-or-later
#include "tests/text/test_support.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace kiosk::text::testing {

std::string read_file(const std::string& relative_path) {
  const std::string path = std::string(KIOSK_TEST_DATA) + "/" + relative_path;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<DataRow> read_tsv(const std::string& relative_path) {
  std::istringstream in(read_file(relative_path));
  std::vector<DataRow> rows;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    DataRow row;
    row.where = relative_path + ":" + std::to_string(number);
    size_t start = 0;
    while (true) {
      const size_t tab = line.find('\t', start);
      row.fields.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string visual_order(const Layout& layout, std::string_view source, int line_index) {
  const LayoutLine& line = layout.lines.at(line_index);
  // Cluster boundaries of this line: every cluster start plus the line end.
  std::set<uint32_t> bounds;
  for (uint32_t g = line.first_glyph; g < line.first_glyph + line.glyph_count; ++g) {
    bounds.insert(layout.glyphs[g].cluster);
  }
  std::string result;
  std::set<uint32_t> done;
  for (uint32_t g = line.first_glyph; g < line.first_glyph + line.glyph_count; ++g) {
    const PositionedGlyph& glyph = layout.glyphs[g];
    if (!done.insert(glyph.cluster).second) continue;
    auto next = bounds.upper_bound(glyph.cluster);
    uint32_t end = next == bounds.end() ? line.text_end : *next;
    if (next == bounds.end()) {  // trailing spaces are not drawn; keep them out
      while (end > glyph.cluster + 1 && source[end - 1] == ' ') --end;
    }
    std::vector<std::string> chars;
    int32_t i = static_cast<int32_t>(glyph.cluster);
    while (i < static_cast<int32_t>(end)) {
      const int32_t start = i;
      UChar32 c;
      U8_NEXT(reinterpret_cast<const uint8_t*>(source.data()), i, static_cast<int32_t>(end), c);
      chars.emplace_back(source.substr(start, i - start));
    }
    if (glyph.rtl) std::reverse(chars.begin(), chars.end());
    for (const std::string& c : chars) result += c;
  }
  return result;
}

}  // namespace kiosk::text::testing
