// SPDX-License-Identifier: GPL-3.0-or-later
// Internal: glyph bitmaps rasterised by FreeType into alpha pages (shelf packing), keyed by
// (face, glyph id, pixel size). Pages live in CPU memory and, once the renderer's texture
// hooks are given, in RGBA textures (white with coverage as alpha, tinted by vertex colour).
#pragma once

#include <imgui.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "kiosk/text/font_catalog.h"
#include "kiosk/text/text_engine.h"

namespace kiosk::text::detail {

struct AtlasGlyph {
  uint16_t page = 0;
  uint16_t x = 0, y = 0, w = 0, h = 0;  // w == 0: nothing to draw (space, failed glyph)
  int16_t left = 0, top = 0;            // bitmap offset from the pen position on the baseline
};

class GlyphAtlas {
 public:
  static constexpr int kPageSize = 1024;

  GlyphAtlas(FontCatalog& fonts, TextStats& stats);
  ~GlyphAtlas();
  GlyphAtlas(const GlyphAtlas&) = delete;
  GlyphAtlas& operator=(const GlyphAtlas&) = delete;

  // The glyph's place in the atlas; rasterises it on first use.
  const AtlasGlyph& get(FaceId face, uint32_t glyph_id, int pixel_size);
  // Pushes changed regions of pages to their textures (no-op without texture hooks).
  void upload();
  ImTextureID texture(uint16_t page) const;
  const uint8_t* alpha(uint16_t page) const { return pages_[page]->alpha.data(); }

  void use_textures(const TextureHooks& hooks);
  void clear();
  size_t page_count() const { return pages_.size(); }

 private:
  struct Page {
    std::vector<uint8_t> alpha = std::vector<uint8_t>(kPageSize * kPageSize, 0);
    int shelf_y = 0, shelf_h = 0, cursor_x = 0;
    ImTextureID texture = nullptr;  // the renderer's texture, null before use_textures()
    int dirty_x0 = kPageSize, dirty_y0 = kPageSize, dirty_x1 = 0, dirty_y1 = 0;
  };
  AtlasGlyph rasterise(FaceId face, uint32_t glyph_id, int pixel_size);
  bool place(int w, int h, uint16_t* page, int* x, int* y);
  void release_textures();
  void push_region(Page& page, int x0, int y0, int x1, int y1);

  FontCatalog& fonts_;
  TextStats& stats_;
  std::vector<std::unique_ptr<Page>> pages_;
  std::unordered_map<uint64_t, AtlasGlyph> glyphs_;
  TextureHooks hooks_;
};

}  // namespace kiosk::text::detail
