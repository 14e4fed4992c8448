// SPDX-License-Identifier: GPL-3.0-or-later
// Internal: turns one string and style into a Layout (bidi, itemize, shape, break, reorder).
// Needs no GL context; glyphs are referenced by (face, glyph id), not rasterised here.
#pragma once

#include <unicode/brkiter.h>
#include <unicode/ubidi.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/text/font_catalog.h"
#include "kiosk/text/text_engine.h"

namespace kiosk::text::detail {

class LayoutBuilder {
 public:
  LayoutBuilder(FontCatalog& fonts, TextStats& stats);
  ~LayoutBuilder();
  LayoutBuilder(const LayoutBuilder&) = delete;
  LayoutBuilder& operator=(const LayoutBuilder&) = delete;

  void build(std::string_view utf8, const TextStyle& style, Layout& out);

 private:
  struct Paragraph;
  struct Item;
  struct ShapedGlyph;
  struct PendingLine;

  void lay_out_paragraph(std::string_view utf8, size_t begin, size_t end, const TextStyle& style,
                         int px, Layout& out, std::vector<PendingLine>& lines);
  void itemize(Paragraph& p, const TextStyle& style);
  void shape(Paragraph& p, const TextStyle& style, int px);
  std::vector<std::pair<int32_t, int32_t>> break_lines(Paragraph& p, const TextStyle& style,
                                                       bool* overflow);
  void emit_line(Paragraph& p, int32_t start, int32_t end, Layout& out, PendingLine& line);
  void finish(const TextStyle& style, int px, Layout& out, std::vector<PendingLine>& lines);
  icu::BreakIterator* line_breaker(const std::string& lang);

  FontCatalog& fonts_;
  TextStats& stats_;
  UBiDi* para_bidi_ = nullptr;
  UBiDi* line_bidi_ = nullptr;
  hb_buffer_t* buffer_ = nullptr;
  std::map<std::string, std::unique_ptr<icu::BreakIterator>> breakers_;
  bool missing_glyphs_ = false;  // set by itemize(), moved into the Layout by finish()
};

}  // namespace kiosk::text::detail
