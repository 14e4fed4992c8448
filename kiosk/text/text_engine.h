// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk::text — the kiosk's text engine: every user-facing string is laid out here and
// ImGui only draws the quads it produces.
//
// Pipeline (one paragraph at a time, paragraphs split at '\n'):
//   ICU ubidi (levels) -> itemize by bidi level, script (uscript, Common/Inherited resolved)
//   and font (own per-language Noto list, lazy loading) -> HarfBuzz shaping (direction, script
//   and language set on each buffer) -> ICU line BreakIterator (dictionary breaks for Thai,
//   Lao, Khmer, Burmese, CJK) measured with the shaped advances -> per-line visual reordering
//   of runs (ubidi_setLine / ubidi_getVisualRun) -> glyphs rasterised by FreeType into the
//   engine's own atlas -> quads in an ImDrawList.
//
// Layouts are cached per (string, lang, size, weight, wrap width, align, rtl context): a
// static screen does no shaping per frame. Layout and shaping need no renderer (tests run
// headless); the atlas reaches the renderer's textures only after use_textures().
//
// Not thread-safe: use one TextEngine from the UI thread.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::text {

// How atlas pages become renderer textures: RGBA, white with the glyph coverage as alpha, so
// the vertex colour tints them.
struct TextureHooks {
  std::function<ImTextureID(int size)> create;  // a transparent size x size texture
  // Replaces the rectangle (x, y, w, h) with `rgba` (w * h * 4 bytes, rows packed).
  std::function<void(ImTextureID, int x, int y, int w, int h, const uint8_t* rgba)> update;
  std::function<void(ImTextureID)> destroy;
};

// How one string is laid out. Every field is part of the layout cache key.
struct TextStyle {
  // BCP 47 language tag of the text: "ja", "en", "zh-Hans", "zh-Hant", "ko", "vi", "ne",
  // "id", "fil", "th", "km", "my", "mn", "pt-BR", "es", "si", "bn", "ta", "ur", "ar", "fa",
  // "uk", "tr", "ti". Picks fonts (e.g. the CJK face), shaping language and line breaking.
  std::string lang = "en";
  // Font size in pixels (em size). Rounded to whole pixels for rasterising.
  float size_px = 20.0f;
  // Bold weight (headings). Scripts without a bold Noto face fall back to regular.
  bool bold = false;
  // Maximum line width in pixels; 0 = no wrapping (only '\n' breaks lines).
  float wrap_width = 0.0f;
  // Alignment: Start is the right edge on a mirrored screen (rtl_context) and for
  // right-to-left paragraphs, the left edge otherwise. Lines are aligned inside wrap_width
  // (or inside the widest line when wrap_width is 0).
  enum Align { Start, Center, End } align = Start;
  // The screen is mirrored (Arabic, Persian, Urdu UI): Start/End alignment follows the
  // screen, and a paragraph with no strong character (e.g. "2026-11-27") is right to left.
  // Paragraph direction: always right to left when `lang` is ar/fa/ur (even if the text
  // starts with a Latin name or a number), otherwise from the first strong character.
  bool rtl_context = false;
};

// Index into the engine's font-face table; see TextEngine::face_info().
using FaceId = uint16_t;

struct PositionedGlyph {
  FaceId face = 0;
  uint32_t glyph_id = 0;  // glyph index inside the face (not a code point)
  uint32_t cluster = 0;   // byte offset in the UTF-8 source of the cluster's first character
  float x = 0;            // pen position + HarfBuzz x offset, px, from the layout's left edge
  float y = 0;            // baseline + HarfBuzz y offset, px, from the layout's top (y down)
  float advance = 0;      // HarfBuzz x advance, px
  bool rtl = false;       // part of a right-to-left run (clusters run right to left)
};

struct LayoutLine {
  float x = 0;               // left edge of the line's first glyph pen position (after alignment)
  float width = 0;           // sum of advances (trailing spaces excluded)
  float top = 0;             // top of the line box
  float baseline = 0;        // baseline y
  float height = 0;          // line box height (ascent + descent of the fonts used, plus gap)
  uint32_t first_glyph = 0;  // glyphs[first_glyph, first_glyph + glyph_count) in visual order
  uint32_t glyph_count = 0;
  uint32_t text_begin = 0;  // logical UTF-8 byte range of the line in the source
  uint32_t text_end = 0;
  bool rtl = false;  // direction of the line's paragraph
};

struct Layout {
  float width = 0;          // box width: wrap_width if set (or the widest line if wider)
  float height = 0;         // sum of line heights
  float content_width = 0;  // widest line
  int line_count = 0;
  int pixel_size = 0;           // rasterising size
  bool rtl = false;             // direction of the first paragraph
  bool overflow = false;        // a single word wider than wrap_width overflows its line
  bool missing_glyphs = false;  // some character has no glyph in any font (drawn as .notdef)
  std::vector<PositionedGlyph> glyphs;  // all lines, visual order within each line
  std::vector<LayoutLine> lines;
};

struct TextStats {
  uint64_t layout_calls = 0;       // calls to layout()/measure()
  uint64_t cache_hits = 0;         // of those, served from the cache
  uint64_t shapes = 0;             // hb_shape() calls
  uint64_t glyphs_rasterised = 0;  // FreeType renders into the atlas
  uint64_t faces_loaded = 0;       // font faces opened (lazily)
  uint64_t atlas_pages = 0;        // atlas textures in use
};

struct FaceInfo {
  std::string path;  // font file
  int index = 0;     // face index inside a .ttc collection
  std::string name;  // short name, e.g. "NotoSansCJK-Regular.ttc#2"
};

// A CPU image for headless rendering (previews, tests): straight-alpha RGBA8, row-major.
struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 4
  RgbaImage() = default;
  RgbaImage(int w, int h, uint32_t rgba_fill = 0);
};

class TextEngine {
 public:
  TextEngine();
  ~TextEngine();
  TextEngine(const TextEngine&) = delete;
  TextEngine& operator=(const TextEngine&) = delete;

  // Checks that the font files exist (opens none: faces load lazily when a run needs them).
  // On failure returns false and sets *error to a one-line reason, e.g.
  // "fonts-noto-core is not installed: /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf
  // missing". `font_root_override` (tests) replaces /usr/share/fonts.
  bool init(std::string* error, const std::string& font_root_override = {});

  // Lays out (or returns the cached layout of) `utf8`. Invalid UTF-8 is replaced by U+FFFD,
  // control characters (tab, CR) show as spaces. The reference stays valid at least until
  // the end of the current frame (ImGui's frame count, or new_frame() without ImGui): above
  // 4096 cached layouts the least recently used ones from earlier frames are dropped.
  const Layout& layout(std::string_view utf8, const TextStyle& style);
  // Box size of layout(utf8, style).
  ImVec2 measure(std::string_view utf8, const TextStyle& style);

  // Appends the layout's glyph quads to `dl` with the layout's top-left at `top_left`.
  // Rasterises glyphs not yet in the atlas; uploads them once use_textures() was called.
  void draw(ImDrawList* dl, const Layout& layout, ImVec2 top_left, ImU32 color);

  // CPU rendering of a layout into an image (alpha-blended), for previews and tests.
  void render(RgbaImage& image, const Layout& layout, ImVec2 top_left, uint32_t rgba);

  // Hands the atlas pages to the renderer (the window owns textures; the engine stays free of
  // SDL and GL). Until then draw() uses CPU-only pages whose ImTextureID is no texture.
  void use_textures(const TextureHooks& hooks);

  // Only needed without an ImGui context (tests, tools): marks the start of a new frame for
  // cache eviction. With ImGui, ImGui::GetFrameCount() is used.
  void new_frame();
  // Number of cached layouts above which old ones are evicted (default 4096).
  void set_cache_limit(size_t layouts);
  // Drops all cached layouts at once (layout references become invalid) and empties the
  // glyph atlas at the start of the next frame (quads already drawn stay valid).
  void clear_cache();

  const TextStats& stats() const;
  void reset_stats();
  FaceInfo face_info(FaceId face) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for languages written right to left (ar, fa, ur, and their regional tags).
bool is_rtl_language(std::string_view lang);

// ImGui-flavoured helper: draws `utf8` at the cursor in the current window and reserves its
// box with ImGui::ItemSize so the ImGui layout continues below it.
void Label(TextEngine& engine, std::string_view utf8, const TextStyle& style, ImU32 color);

}  // namespace kiosk::text
