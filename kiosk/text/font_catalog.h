// SPDX-License-Identifier: GPL-3.0-or-later
// Internal: the engine's own font list (per script and language) and lazily loaded faces.
// fontconfig is not used on purpose: its default match for ar/fa is DejaVu Sans, and the
// kiosk must pick the CJK face by language (ja/zh-Hans/zh-Hant/ko share one .ttc).
#pragma once

#include <freetype/freetype.h>
#include <hb.h>
#include <unicode/uscript.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/text/text_engine.h"

namespace kiosk::text::detail {

// One face of one font file. Opened on first use (hb_blob mmaps the file); the FreeType face
// for rasterising is created from the same memory only when a glyph is first drawn.
struct Face {
  std::string path;
  int index = 0;
  std::string package;  // Debian package that ships the file, for error messages
  bool tried = false;   // load attempted
  hb_blob_t* blob = nullptr;
  hb_face_t* hb_face = nullptr;
  hb_font_t* hb_font = nullptr;  // scale = units per em (same as hb-shape's default)
  FT_Face ft_face = nullptr;
  int ft_pixel_size = 0;  // size currently set on ft_face
  unsigned upem = 1000;
  float ascender = 0;   // font units, positive up
  float descender = 0;  // font units, positive down
  float line_gap = 0;
};

// The ordered list of faces to try for one script in one language and weight.
using FaceList = std::vector<FaceId>;

class FontCatalog {
 public:
  FontCatalog() = default;
  ~FontCatalog();
  FontCatalog(const FontCatalog&) = delete;
  FontCatalog& operator=(const FontCatalog&) = delete;

  // Registers every face (opening none) and checks that the files exist.
  bool init(const std::string& font_root, std::string* error);

  // Faces to try, in order, for `script` in `lang`: the script's own fonts first, then the
  // general fallback chain (Noto Sans, CJK for the language, symbols).
  const FaceList& faces_for(UScriptCode script, std::string_view lang, bool bold);
  // The face used for empty lines and line metrics when a layout has no glyphs.
  FaceId primary_face(std::string_view lang, bool bold);

  // Loads the face if needed; null if the file cannot be opened.
  Face* get(FaceId id);
  bool has_glyph(FaceId id, uint32_t codepoint);
  FT_Library freetype();

  const Face& info(FaceId id) const { return *faces_[id]; }
  size_t face_count() const { return faces_.size(); }
  uint64_t faces_loaded() const { return faces_loaded_; }

 private:
  FaceId add(const std::string& dir, const std::string& file, int index,
             const std::string& package);
  FaceList build_list(UScriptCode script, std::string_view lang, bool bold);

  std::vector<std::unique_ptr<Face>> faces_;
  std::vector<std::pair<std::string, FaceList>> lists_;  // key: script|lang|bold
  std::string truetype_dir_, opentype_dir_;
  FT_Library ft_ = nullptr;
  uint64_t faces_loaded_ = 0;

  // Face ids by role, filled by init().
  struct Pair {
    FaceId regular = 0, bold = 0;
  };
  Pair sans_, cjk_[5], devanagari_, bengali_, tamil_, tamil_supplement_, sinhala_, thai_, lao_,
      khmer_, myanmar_, ethiopic_, mongolian_, naskh_, nastaliq_, sans_arabic_, hebrew_, georgian_,
      armenian_, symbols_, symbols2_;
};

// The language subtag ("zh" of "zh-Hant-TW"), lower case.
std::string primary_subtag(std::string_view lang);

}  // namespace kiosk::text::detail
