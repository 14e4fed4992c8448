// SPDX-License-Identifier: GPL-3.0-or-later
// Font list of the kiosk: which Noto file (and .ttc face) serves which script and language.
#include "kiosk/text/font_catalog.h"

#include <hb-ot.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

namespace kiosk::text::detail {
namespace {

constexpr const char* kCore = "fonts-noto-core";
constexpr const char* kCjk = "fonts-noto-cjk";

// Face index inside NotoSansCJK-*.ttc (checked with fc-scan): JP, KR, SC, TC, HK.
enum CjkFace { kJapanese = 0, kKorean = 1, kSimplified = 2, kTraditional = 3, kHongKong = 4 };

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Han characters in a non-CJK language are most likely Japanese names (the kiosk is in
// Japan), so the Japanese face is the default.
CjkFace cjk_face_for(std::string_view lang) {
  const std::string tag = lower(lang);
  const std::string primary = primary_subtag(tag);
  if (primary == "ko") return kKorean;
  if (primary != "zh") return kJapanese;
  if (tag.find("hant") != std::string::npos) {
    return tag.find("-hk") != std::string::npos ? kHongKong : kTraditional;
  }
  if (tag.find("hans") != std::string::npos) return kSimplified;
  if (tag.find("-tw") != std::string::npos) return kTraditional;
  if (tag.find("-hk") != std::string::npos || tag.find("-mo") != std::string::npos) {
    return kHongKong;
  }
  return kSimplified;
}

bool is_cjk_script(UScriptCode s) {
  return s == USCRIPT_HAN || s == USCRIPT_HIRAGANA || s == USCRIPT_KATAKANA ||
         s == USCRIPT_HANGUL || s == USCRIPT_BOPOMOFO || s == USCRIPT_JAPANESE ||
         s == USCRIPT_KOREAN || s == USCRIPT_SIMPLIFIED_HAN || s == USCRIPT_TRADITIONAL_HAN;
}

}  // namespace

std::string primary_subtag(std::string_view lang) {
  std::string tag = lower(lang);
  const size_t dash = tag.find_first_of("-_");
  return dash == std::string::npos ? tag : tag.substr(0, dash);
}

FontCatalog::~FontCatalog() {
  for (auto& face : faces_) {
    if (face->ft_face) FT_Done_Face(face->ft_face);
    if (face->hb_font) hb_font_destroy(face->hb_font);
    if (face->hb_face) hb_face_destroy(face->hb_face);
    if (face->blob) hb_blob_destroy(face->blob);
  }
  if (ft_) FT_Done_FreeType(ft_);
}

FaceId FontCatalog::add(const std::string& dir, const std::string& file, int index,
                        const std::string& package) {
  auto face = std::make_unique<Face>();
  face->path = dir + "/" + file;
  face->index = index;
  face->package = package;
  faces_.push_back(std::move(face));
  return static_cast<FaceId>(faces_.size() - 1);
}

bool FontCatalog::init(const std::string& font_root, std::string* error) {
  truetype_dir_ = font_root + "/truetype/noto";
  opentype_dir_ = font_root + "/opentype/noto";
  auto core = [&](const char* family, bool has_bold = true) {
    Pair p;
    p.regular = add(truetype_dir_, std::string(family) + "-Regular.ttf", 0, kCore);
    p.bold = has_bold ? add(truetype_dir_, std::string(family) + "-Bold.ttf", 0, kCore) : p.regular;
    return p;
  };
  sans_ = core("NotoSans");
  for (int i = 0; i < 5; ++i) {
    cjk_[i].regular = add(opentype_dir_, "NotoSansCJK-Regular.ttc", i, kCjk);
    cjk_[i].bold = add(opentype_dir_, "NotoSansCJK-Bold.ttc", i, kCjk);
  }
  devanagari_ = core("NotoSansDevanagari");
  bengali_ = core("NotoSansBengali");
  tamil_ = core("NotoSansTamil");
  tamil_supplement_ = core("NotoSansTamilSupplement", false);
  sinhala_ = core("NotoSansSinhala");
  thai_ = core("NotoSansThai");
  lao_ = core("NotoSansLao");
  khmer_ = core("NotoSansKhmer");
  myanmar_ = core("NotoSansMyanmar");
  ethiopic_ = core("NotoSansEthiopic");
  mongolian_ = core("NotoSansMongolian", false);
  naskh_ = core("NotoNaskhArabic");
  nastaliq_ = core("NotoNastaliqUrdu");
  sans_arabic_ = core("NotoSansArabic");
  hebrew_ = core("NotoSansHebrew");
  georgian_ = core("NotoSansGeorgian");
  armenian_ = core("NotoSansArmenian");
  symbols_ = core("NotoSansSymbols");
  symbols2_ = core("NotoSansSymbols2", false);

  for (const auto& face : faces_) {
    if (!file_exists(face->path)) {
      if (error) *error = face->package + " is not installed: " + face->path + " missing";
      return false;
    }
  }
  return true;
}

FaceList FontCatalog::build_list(UScriptCode script, std::string_view lang, bool bold) {
  auto pick = [bold](const Pair& p) { return bold ? p.bold : p.regular; };
  const Pair& cjk = cjk_[cjk_face_for(lang)];
  FaceList list;
  switch (script) {
    case USCRIPT_DEVANAGARI:
      list = {pick(devanagari_)};
      break;
    case USCRIPT_BENGALI:
      list = {pick(bengali_)};
      break;
    case USCRIPT_TAMIL:
      list = {pick(tamil_), pick(tamil_supplement_)};
      break;
    case USCRIPT_SINHALA:
      list = {pick(sinhala_)};
      break;
    case USCRIPT_THAI:
      list = {pick(thai_)};
      break;
    case USCRIPT_LAO:
      list = {pick(lao_)};
      break;
    case USCRIPT_KHMER:
      list = {pick(khmer_)};
      break;
    case USCRIPT_MYANMAR:
      list = {pick(myanmar_)};
      break;
    case USCRIPT_ETHIOPIC:
      list = {pick(ethiopic_)};
      break;
    case USCRIPT_MONGOLIAN:
      list = {pick(mongolian_)};
      break;
    case USCRIPT_HEBREW:
      list = {pick(hebrew_)};
      break;
    case USCRIPT_GEORGIAN:
      list = {pick(georgian_)};
      break;
    case USCRIPT_ARMENIAN:
      list = {pick(armenian_)};
      break;
    case USCRIPT_ARABIC:
      // Urdu is read in Nastaliq; Naskh-only text looks foreign to Urdu readers. Its tall
      // glyphs are handled by taking line metrics from the faces a layout actually uses.
      if (primary_subtag(lang) == "ur") {
        list = {pick(nastaliq_), pick(naskh_), pick(sans_arabic_)};
      } else {
        list = {pick(naskh_), pick(sans_arabic_)};
      }
      break;
    default:
      if (is_cjk_script(script)) list = {pick(cjk)};
      break;
  }
  // The general chain: Latin/Cyrillic/Greek/Vietnamese and punctuation, then CJK, symbols.
  for (FaceId id : {pick(sans_), pick(cjk), symbols_.regular, symbols2_.regular}) {
    if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(id);
  }
  return list;
}

const FaceList& FontCatalog::faces_for(UScriptCode script, std::string_view lang, bool bold) {
  std::string key =
      std::to_string(static_cast<int>(script)) + "|" + std::string(lang) + (bold ? "|b" : "|r");
  for (const auto& [k, list] : lists_) {
    if (k == key) return list;
  }
  lists_.emplace_back(std::move(key), build_list(script, lang, bold));
  return lists_.back().second;
}

FaceId FontCatalog::primary_face(std::string_view lang, bool bold) {
  static const std::pair<const char*, UScriptCode> kLangScript[] = {
      {"ja", USCRIPT_HAN},        {"zh", USCRIPT_HAN},        {"ko", USCRIPT_HANGUL},
      {"ne", USCRIPT_DEVANAGARI}, {"hi", USCRIPT_DEVANAGARI}, {"bn", USCRIPT_BENGALI},
      {"ta", USCRIPT_TAMIL},      {"si", USCRIPT_SINHALA},    {"th", USCRIPT_THAI},
      {"lo", USCRIPT_LAO},        {"km", USCRIPT_KHMER},      {"my", USCRIPT_MYANMAR},
      {"ti", USCRIPT_ETHIOPIC},   {"am", USCRIPT_ETHIOPIC},   {"ar", USCRIPT_ARABIC},
      {"fa", USCRIPT_ARABIC},     {"ur", USCRIPT_ARABIC},     {"he", USCRIPT_HEBREW},
  };
  const std::string primary = primary_subtag(lang);
  UScriptCode script = USCRIPT_LATIN;
  for (const auto& [code, s] : kLangScript) {
    if (primary == code) script = s;
  }
  return faces_for(script, lang, bold).front();
}

Face* FontCatalog::get(FaceId id) {
  if (id >= faces_.size()) return nullptr;
  Face& face = *faces_[id];
  if (!face.tried) {
    face.tried = true;
    face.blob = hb_blob_create_from_file_or_fail(face.path.c_str());
    if (face.blob) {
      face.hb_face = hb_face_create(face.blob, static_cast<unsigned>(face.index));
      face.upem = hb_face_get_upem(face.hb_face);
      face.hb_font = hb_font_create(face.hb_face);  // OT font functions, scale = upem
      hb_font_extents_t ext{};
      hb_font_get_h_extents(face.hb_font, &ext);
      face.ascender = static_cast<float>(ext.ascender);
      face.descender = static_cast<float>(-ext.descender);
      face.line_gap = static_cast<float>(ext.line_gap);
      ++faces_loaded_;
    }
  }
  return face.hb_font ? &face : nullptr;
}

bool FontCatalog::has_glyph(FaceId id, uint32_t codepoint) {
  Face* face = get(id);
  hb_codepoint_t glyph = 0;
  return face && hb_font_get_nominal_glyph(face->hb_font, codepoint, &glyph);
}

FT_Library FontCatalog::freetype() {
  if (!ft_ && FT_Init_FreeType(&ft_) != 0) ft_ = nullptr;
  return ft_;
}

}  // namespace kiosk::text::detail
