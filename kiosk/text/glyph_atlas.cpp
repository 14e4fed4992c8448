// SPDX-License-Identifier: GPL-3.0-or-later
// Glyph atlas: FreeType rasterisation and shelf packing into alpha pages.
#include "kiosk/text/glyph_atlas.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace kiosk::text::detail {
namespace {

constexpr int kPadding = 1;  // empty pixels between glyphs so bilinear sampling never bleeds

uint64_t glyph_key(FaceId face, uint32_t glyph_id, int pixel_size) {
  return (static_cast<uint64_t>(face) << 48) | (static_cast<uint64_t>(pixel_size & 0xFFFF) << 32) |
         glyph_id;
}

}  // namespace

GlyphAtlas::GlyphAtlas(FontCatalog& fonts, TextStats& stats) : fonts_(fonts), stats_(stats) {}

GlyphAtlas::~GlyphAtlas() {
  release_textures();
}

const AtlasGlyph& GlyphAtlas::get(FaceId face, uint32_t glyph_id, int pixel_size) {
  const uint64_t key = glyph_key(face, glyph_id, pixel_size);
  auto found = glyphs_.find(key);
  if (found != glyphs_.end()) return found->second;
  return glyphs_.emplace(key, rasterise(face, glyph_id, pixel_size)).first->second;
}

bool GlyphAtlas::place(int w, int h, uint16_t* page_index, int* x, int* y) {
  if (w + kPadding > kPageSize || h + kPadding > kPageSize) return false;
  if (!pages_.empty()) {
    Page& page = *pages_.back();
    if (page.cursor_x + w + kPadding > kPageSize) {  // next shelf
      page.shelf_y += page.shelf_h;
      page.shelf_h = 0;
      page.cursor_x = 0;
    }
    if (page.shelf_y + h + kPadding <= kPageSize) {
      *page_index = static_cast<uint16_t>(pages_.size() - 1);
      *x = page.cursor_x;
      *y = page.shelf_y;
      page.cursor_x += w + kPadding;
      page.shelf_h = std::max(page.shelf_h, h + kPadding);
      return true;
    }
  }
  pages_.push_back(std::make_unique<Page>());
  ++stats_.atlas_pages;
  if (hooks_.create) pages_.back()->texture = hooks_.create(kPageSize);
  return place(w, h, page_index, x, y);
}

AtlasGlyph GlyphAtlas::rasterise(FaceId face_id, uint32_t glyph_id, int pixel_size) {
  AtlasGlyph result;
  Face* face = fonts_.get(face_id);
  FT_Library library = fonts_.freetype();
  if (!face || !library) return result;
  if (!face->ft_face) {
    unsigned length = 0;
    const char* data = hb_blob_get_data(face->blob, &length);
    if (FT_New_Memory_Face(library, reinterpret_cast<const FT_Byte*>(data), length, face->index,
                           &face->ft_face) != 0) {
      face->ft_face = nullptr;
      return result;
    }
  }
  if (face->ft_pixel_size != pixel_size) {
    if (FT_Set_Pixel_Sizes(face->ft_face, 0, static_cast<FT_UInt>(pixel_size)) != 0) return result;
    face->ft_pixel_size = pixel_size;
  }
  // Light hinting only snaps vertically, so the bitmaps match the unhinted advances that
  // HarfBuzz's layout uses.
  if (FT_Load_Glyph(face->ft_face, glyph_id, FT_LOAD_TARGET_LIGHT) != 0 ||
      FT_Render_Glyph(face->ft_face->glyph, FT_RENDER_MODE_NORMAL) != 0) {
    return result;
  }
  ++stats_.glyphs_rasterised;
  const FT_GlyphSlot slot = face->ft_face->glyph;
  const FT_Bitmap& bitmap = slot->bitmap;
  const int w = static_cast<int>(bitmap.width), h = static_cast<int>(bitmap.rows);
  result.left = static_cast<int16_t>(slot->bitmap_left);
  result.top = static_cast<int16_t>(slot->bitmap_top);
  if (w == 0 || h == 0 || bitmap.pixel_mode != FT_PIXEL_MODE_GRAY) return result;
  int x = 0, y = 0;
  if (!place(w, h, &result.page, &x, &y)) return result;
  Page& page = *pages_[result.page];
  for (int row = 0; row < h; ++row) {
    const unsigned char* src = bitmap.buffer + row * bitmap.pitch;
    std::memcpy(&page.alpha[static_cast<size_t>(y + row) * kPageSize + x], src,
                static_cast<size_t>(w));
  }
  page.dirty_x0 = std::min(page.dirty_x0, x);
  page.dirty_y0 = std::min(page.dirty_y0, y);
  page.dirty_x1 = std::max(page.dirty_x1, x + w);
  page.dirty_y1 = std::max(page.dirty_y1, y + h);
  result.x = static_cast<uint16_t>(x);
  result.y = static_cast<uint16_t>(y);
  result.w = static_cast<uint16_t>(w);
  result.h = static_cast<uint16_t>(h);
  return result;
}

void GlyphAtlas::upload() {
  for (auto& page : pages_) {
    if (page->dirty_x1 <= page->dirty_x0) continue;
    if (page->texture)
      push_region(*page, page->dirty_x0, page->dirty_y0, page->dirty_x1, page->dirty_y1);
    page->dirty_x0 = page->dirty_y0 = kPageSize;
    page->dirty_x1 = page->dirty_y1 = 0;
  }
}

ImTextureID GlyphAtlas::texture(uint16_t page) const {
  if (pages_[page]->texture) return pages_[page]->texture;
  return static_cast<ImTextureID>(pages_[page].get());  // CPU-only page (headless)
}

void GlyphAtlas::push_region(Page& page, int x0, int y0, int x1, int y1) {
  const int w = x1 - x0, h = y1 - y0;
  if (w <= 0 || h <= 0 || !hooks_.update) return;
  std::vector<uint8_t> rgba(static_cast<size_t>(w) * h * 4);
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = &page.alpha[static_cast<size_t>(y0 + y) * kPageSize + x0];
    uint8_t* dst = &rgba[static_cast<size_t>(y) * w * 4];
    for (int x = 0; x < w; ++x) {
      dst[x * 4 + 0] = dst[x * 4 + 1] = dst[x * 4 + 2] = 255;
      dst[x * 4 + 3] = src[x];
    }
  }
  hooks_.update(page.texture, x0, y0, w, h, rgba.data());
}

void GlyphAtlas::use_textures(const TextureHooks& hooks) {
  release_textures();
  hooks_ = hooks;
  for (auto& page : pages_) {
    page->texture = hooks_.create ? hooks_.create(kPageSize) : nullptr;
    if (page->texture) push_region(*page, 0, 0, kPageSize, kPageSize);
    page->dirty_x0 = page->dirty_y0 = kPageSize;
    page->dirty_x1 = page->dirty_y1 = 0;
  }
}

void GlyphAtlas::release_textures() {
  for (auto& page : pages_) {
    if (page->texture && hooks_.destroy) hooks_.destroy(page->texture);
    page->texture = nullptr;
  }
}

void GlyphAtlas::clear() {
  release_textures();
  pages_.clear();
  glyphs_.clear();
  stats_.atlas_pages = 0;
}

}  // namespace kiosk::text::detail
