// SPDX-License-Identifier: GPL-3.0-or-later
// TextEngine: the layout cache in front of LayoutBuilder, and drawing through the atlas.
#include "kiosk/text/text_engine.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "kiosk/text/font_catalog.h"
#include "kiosk/text/glyph_atlas.h"
#include "kiosk/text/layout_builder.h"

namespace kiosk::text {
namespace {

constexpr const char* kDefaultFontRoot = "/usr/share/fonts";
// By default, above this many cached layouts, the least recently used ones that were not used in
// the current frame are dropped (down to half), so strings that change every second (countdowns)
// cannot grow the cache during a day of running.
constexpr size_t kDefaultCacheLimit = 4096;
// Above this many atlas pages (1 MiB of CPU memory and a 4 MiB texture each), the atlas is
// emptied at the start of the next frame and glyphs are rasterised again as they are drawn.
constexpr size_t kAtlasPageLimit = 12;

void append_bytes(std::string& key, const void* data, size_t size) {
  key.append(static_cast<const char*>(data), size);
}

std::string cache_key(std::string_view utf8, const TextStyle& style) {
  std::string key;
  key.reserve(utf8.size() + style.lang.size() + 24);
  append_bytes(key, &style.size_px, sizeof style.size_px);
  append_bytes(key, &style.wrap_width, sizeof style.wrap_width);
  key.push_back(static_cast<char>(style.align));
  key.push_back(static_cast<char>((style.bold ? 1 : 0) | (style.rtl_context ? 2 : 0)));
  key.append(style.lang);
  key.push_back('\0');
  key.append(utf8);
  return key;
}

}  // namespace

struct TextEngine::Impl {
  struct Entry {
    std::unique_ptr<Layout> layout;
    uint64_t last_frame = 0;
  };

  TextStats stats;
  detail::FontCatalog fonts;
  detail::LayoutBuilder builder{fonts, stats};
  detail::GlyphAtlas atlas{fonts, stats};
  std::unordered_map<std::string, Entry> cache;
  size_t cache_limit = kDefaultCacheLimit;
  uint64_t manual_frame = 0;  // counted by new_frame() when there is no ImGui context
  uint64_t last_draw_frame = 0;
  bool atlas_clear_pending = false;
  bool ready = false;

  // The current frame: ImGui's frame count when an ImGui context exists.
  uint64_t frame() const {
    return ImGui::GetCurrentContext() ? static_cast<uint64_t>(ImGui::GetFrameCount()) + manual_frame
                                      : manual_frame;
  }
  void evict_if_full();
};

void TextEngine::Impl::evict_if_full() {
  if (cache.size() < cache_limit) return;
  const uint64_t now = frame();
  std::vector<std::pair<uint64_t, const std::string*>> candidates;
  for (const auto& [key, entry] : cache) {
    if (entry.last_frame < now) candidates.emplace_back(entry.last_frame, &key);
  }
  std::sort(candidates.begin(), candidates.end());
  const size_t excess = cache.size() - cache_limit / 2;
  std::vector<std::string> doomed;
  for (size_t i = 0; i < candidates.size() && i < excess; ++i)
    doomed.push_back(*candidates[i].second);
  for (const std::string& key : doomed) cache.erase(key);
}

RgbaImage::RgbaImage(int w, int h, uint32_t rgba_fill)
    : width(w), height(h), pixels(static_cast<size_t>(w) * h * 4) {
  for (size_t i = 0; i < pixels.size(); i += 4) {
    pixels[i + 0] = static_cast<uint8_t>(rgba_fill >> 24);
    pixels[i + 1] = static_cast<uint8_t>(rgba_fill >> 16);
    pixels[i + 2] = static_cast<uint8_t>(rgba_fill >> 8);
    pixels[i + 3] = static_cast<uint8_t>(rgba_fill);
  }
}

TextEngine::TextEngine() : impl_(std::make_unique<Impl>()) {}
TextEngine::~TextEngine() = default;

bool TextEngine::init(std::string* error, const std::string& font_root_override) {
  const std::string root = font_root_override.empty() ? kDefaultFontRoot : font_root_override;
  impl_->ready = impl_->fonts.init(root, error);
  return impl_->ready;
}

const Layout& TextEngine::layout(std::string_view utf8, const TextStyle& style) {
  ++impl_->stats.layout_calls;
  std::string key = cache_key(utf8, style);
  auto found = impl_->cache.find(key);
  if (found != impl_->cache.end()) {
    ++impl_->stats.cache_hits;
    found->second.last_frame = impl_->frame();
    return *found->second.layout;
  }
  impl_->evict_if_full();
  auto layout = std::make_unique<Layout>();
  if (impl_->ready) impl_->builder.build(utf8, style, *layout);
  Impl::Entry& entry = impl_->cache[std::move(key)];
  entry.layout = std::move(layout);
  entry.last_frame = impl_->frame();
  return *entry.layout;
}

ImVec2 TextEngine::measure(std::string_view utf8, const TextStyle& style) {
  const Layout& l = layout(utf8, style);
  return ImVec2(l.width, l.height);
}

void TextEngine::draw(ImDrawList* dl, const Layout& layout, ImVec2 top_left, ImU32 color) {
  if (!dl || layout.glyphs.empty()) return;
  const uint64_t now = impl_->frame();
  if (now != impl_->last_draw_frame) {
    impl_->last_draw_frame = now;
    // Safe only between frames: quads of the current frame point into the pages.
    if (impl_->atlas_clear_pending || impl_->atlas.page_count() > kAtlasPageLimit) {
      impl_->atlas.clear();
      impl_->atlas_clear_pending = false;
    }
  }
  struct Quad {
    const detail::AtlasGlyph* glyph;
    float x, y;
  };
  std::vector<Quad> quads;
  quads.reserve(layout.glyphs.size());
  for (const PositionedGlyph& g : layout.glyphs) {
    const detail::AtlasGlyph& ag = impl_->atlas.get(g.face, g.glyph_id, layout.pixel_size);
    if (ag.w == 0) continue;
    quads.push_back(
        {&ag, std::round(top_left.x + g.x) + ag.left, std::round(top_left.y + g.y) - ag.top});
  }
  impl_->atlas.upload();
  // Glyph pointers stay valid: the atlas map is not modified past this point.
  std::stable_sort(quads.begin(), quads.end(),
                   [](const Quad& a, const Quad& b) { return a.glyph->page < b.glyph->page; });
  constexpr float kInv = 1.0f / detail::GlyphAtlas::kPageSize;
  size_t i = 0;
  while (i < quads.size()) {
    const uint16_t page = quads[i].glyph->page;
    size_t j = i;
    while (j < quads.size() && quads[j].glyph->page == page) ++j;
    dl->PushTextureID(impl_->atlas.texture(page));
    dl->PrimReserve(static_cast<int>((j - i) * 6), static_cast<int>((j - i) * 4));
    for (size_t k = i; k < j; ++k) {
      const detail::AtlasGlyph& ag = *quads[k].glyph;
      dl->PrimRectUV(ImVec2(quads[k].x, quads[k].y), ImVec2(quads[k].x + ag.w, quads[k].y + ag.h),
                     ImVec2(ag.x * kInv, ag.y * kInv),
                     ImVec2((ag.x + ag.w) * kInv, (ag.y + ag.h) * kInv), color);
    }
    dl->PopTextureID();
    i = j;
  }
}

void TextEngine::render(RgbaImage& image, const Layout& layout, ImVec2 top_left, uint32_t rgba) {
  const float cr = static_cast<float>(rgba >> 24 & 0xFF),
              cg = static_cast<float>(rgba >> 16 & 0xFF), cb = static_cast<float>(rgba >> 8 & 0xFF),
              ca = static_cast<float>(rgba & 0xFF) / 255.f;
  for (const PositionedGlyph& g : layout.glyphs) {
    const detail::AtlasGlyph& ag = impl_->atlas.get(g.face, g.glyph_id, layout.pixel_size);
    if (ag.w == 0) continue;
    const int x0 = static_cast<int>(std::round(top_left.x + g.x)) + ag.left;
    const int y0 = static_cast<int>(std::round(top_left.y + g.y)) - ag.top;
    const uint8_t* alpha = impl_->atlas.alpha(ag.page);
    for (int y = 0; y < ag.h; ++y) {
      const int py = y0 + y;
      if (py < 0 || py >= image.height) continue;
      for (int x = 0; x < ag.w; ++x) {
        const int px = x0 + x;
        if (px < 0 || px >= image.width) continue;
        const float a =
            ca * alpha[static_cast<size_t>(ag.y + y) * detail::GlyphAtlas::kPageSize + ag.x + x] /
            255.f;
        if (a <= 0) continue;
        uint8_t* dst = &image.pixels[(static_cast<size_t>(py) * image.width + px) * 4];
        dst[0] = static_cast<uint8_t>(dst[0] + (cr - dst[0]) * a);
        dst[1] = static_cast<uint8_t>(dst[1] + (cg - dst[1]) * a);
        dst[2] = static_cast<uint8_t>(dst[2] + (cb - dst[2]) * a);
        dst[3] = static_cast<uint8_t>(dst[3] + (255 - dst[3]) * a);
      }
    }
  }
}

void TextEngine::use_textures(const TextureHooks& hooks) {
  impl_->atlas.use_textures(hooks);
}

void TextEngine::new_frame() {
  ++impl_->manual_frame;
}

void TextEngine::set_cache_limit(size_t layouts) {
  impl_->cache_limit = std::max<size_t>(layouts, 2);
}

void TextEngine::clear_cache() {
  impl_->cache.clear();
  // Quads drawn earlier in this frame still point into the atlas: empty it at the next frame.
  impl_->atlas_clear_pending = true;
}

const TextStats& TextEngine::stats() const {
  impl_->stats.faces_loaded = impl_->fonts.faces_loaded();
  return impl_->stats;
}

void TextEngine::reset_stats() {
  const uint64_t pages = impl_->stats.atlas_pages;
  impl_->stats = TextStats{};
  impl_->stats.atlas_pages = pages;
}

FaceInfo TextEngine::face_info(FaceId face) const {
  FaceInfo info;
  if (face >= impl_->fonts.face_count()) return info;
  const detail::Face& f = impl_->fonts.info(face);
  info.path = f.path;
  info.index = f.index;
  info.name = f.path.substr(f.path.find_last_of('/') + 1);
  if (info.name.size() > 4 && info.name.compare(info.name.size() - 4, 4, ".ttc") == 0) {
    info.name.push_back('#');
    info.name.append(std::to_string(f.index));
  }
  return info;
}

bool is_rtl_language(std::string_view lang) {
  const std::string primary = detail::primary_subtag(lang);
  for (const char* rtl : {"ar", "fa", "ur", "he", "ps", "sd", "ug", "yi", "ckb", "dv"}) {
    if (primary == rtl) return true;
  }
  return false;
}

void Label(TextEngine& engine, std::string_view utf8, const TextStyle& style, ImU32 color) {
  const Layout& l = engine.layout(utf8, style);
  engine.draw(ImGui::GetWindowDrawList(), l, ImGui::GetCursorScreenPos(), color);
  ImGui::Dummy(ImVec2(l.width, l.height));
}

}  // namespace kiosk::text
