// SPDX-License-Identifier: GPL-3.0-or-later
// Layout of one string: UAX #9 levels (ICU ubidi) -> items by level, script and font ->
// HarfBuzz shaping -> ICU line breaking on shaped widths -> per-line visual run order.
#include "kiosk/text/layout_builder.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>

#include "kiosk/text/bidi_order.h"

namespace kiosk::text::detail {
namespace {

// In a right-to-left paragraph, the opening bracket of a pair that is still open at `end`
// (its closing bracket lies after `end`) and encloses left-to-right text, opened at or after
// `start`: the outermost such bracket, or -1. Splitting that pair over two lines shows
// "…セン)" above "(ター": the pair takes the paragraph's direction (UAX #9 N0), the text inside
// stays left to right, so each half gets a bracket that seems to face the wrong way.
int32_t split_ltr_bracket(const std::u16string& text, int32_t start, int32_t end) {
  const int32_t n = static_cast<int32_t>(text.size());
  std::vector<std::pair<int32_t, UChar32>> open;  // position, the closing bracket it wants
  for (int32_t i = start; i < end;) {
    UChar32 c;
    U16_NEXT(text.data(), i, end, c);
    const int type = u_getIntPropertyValue(c, UCHAR_BIDI_PAIRED_BRACKET_TYPE);
    if (type == U_BPT_OPEN) open.emplace_back(i - U16_LENGTH(c), u_getBidiPairedBracket(c));
    if (type == U_BPT_CLOSE && !open.empty() && open.back().second == c) open.pop_back();
  }
  for (const auto& [at, closing] : open) {  // outermost first
    bool ltr = false, closed = false;
    int depth = 0;
    for (int32_t i = at; i < n && !closed;) {
      UChar32 c;
      U16_NEXT(text.data(), i, n, c);
      if (u_charDirection(c) == U_LEFT_TO_RIGHT) ltr = true;
      if (c == u_getBidiPairedBracket(closing)) ++depth;
      if (c == closing && --depth == 0) closed = true;
    }
    if (ltr && closed) return at;
  }
  return -1;
}

constexpr float kWidthEpsilon = 0.01f;

bool is_cjk_family(UScriptCode s) {
  return s == USCRIPT_HAN || s == USCRIPT_HIRAGANA || s == USCRIPT_KATAKANA ||
         s == USCRIPT_HANGUL || s == USCRIPT_BOPOMOFO;
}

// Japanese mixes Han, Hiragana and Katakana in one word; one run keeps them together.
bool same_script_run(UScriptCode a, UScriptCode b) {
  return a == b || (is_cjk_family(a) && is_cjk_family(b));
}

// Combining marks, joiners and other default-ignorable characters (bidi isolates such as
// the FSI/PDI the Localizer puts around names in right-to-left messages) stay in the font of
// the text around them: HarfBuzz then hides the ignorables, instead of a fallback font
// drawing them as a box.
bool follows_base_font(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
         type == U_COMBINING_SPACING_MARK || c == 0x200C || c == 0x200D ||
         u_hasBinaryProperty(c, UCHAR_VARIATION_SELECTOR) ||
         u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

// Whole pixels, within what the atlas can hold; nonsense sizes (NaN, negative) become 1.
int pixel_size(float size_px) {
  constexpr float kMaxPixelSize = 512;
  if (!(size_px >= 1)) return 1;
  return static_cast<int>(std::lround(std::min(size_px, kMaxPixelSize)));
}

}  // namespace

struct LayoutBuilder::Item {
  int32_t start = 0, end = 0;  // UTF-16 range in the paragraph
  UBiDiLevel level = 0;
  UScriptCode script = USCRIPT_COMMON;
  FaceId face = 0;
  uint32_t first_glyph = 0, glyph_count = 0;
};

struct LayoutBuilder::ShapedGlyph {
  uint32_t glyph_id = 0;
  int32_t cluster = 0;                            // UTF-16 index in the paragraph
  float advance = 0, x_offset = 0, y_offset = 0;  // px
  FaceId face = 0;
};

struct LayoutBuilder::Paragraph {
  std::u16string text;
  std::vector<uint32_t> utf8_offset;  // per UTF-16 unit, plus one for the end
  std::vector<UScriptCode> script;    // per UTF-16 unit, Common/Inherited resolved
  std::vector<FaceId> face;           // per UTF-16 unit
  std::vector<Item> items;
  std::vector<ShapedGlyph> glyphs;
  std::vector<float> prefix_width;  // width of text[0, i)
  bool rtl = false;
  int32_t size() const { return static_cast<int32_t>(text.size()); }
};

struct LayoutBuilder::PendingLine {
  LayoutLine line;
};

LayoutBuilder::LayoutBuilder(FontCatalog& fonts, TextStats& stats) : fonts_(fonts), stats_(stats) {
  para_bidi_ = ubidi_open();
  line_bidi_ = ubidi_open();
  buffer_ = hb_buffer_create();
}

LayoutBuilder::~LayoutBuilder() {
  ubidi_close(line_bidi_);
  ubidi_close(para_bidi_);
  hb_buffer_destroy(buffer_);
}

void LayoutBuilder::build(std::string_view utf8, const TextStyle& style, Layout& out) {
  out = Layout{};
  const int px = pixel_size(style.size_px);
  out.pixel_size = px;
  std::vector<PendingLine> lines;
  size_t begin = 0;
  while (true) {
    const size_t newline = utf8.find('\n', begin);
    const size_t end = newline == std::string_view::npos ? utf8.size() : newline;
    lay_out_paragraph(utf8, begin, end, style, px, out, lines);
    if (newline == std::string_view::npos) break;
    begin = newline + 1;
  }
  finish(style, px, out, lines);
}

void LayoutBuilder::lay_out_paragraph(std::string_view utf8, size_t begin, size_t end,
                                      const TextStyle& style, int px, Layout& out,
                                      std::vector<PendingLine>& lines) {
  Paragraph p;
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t i = static_cast<int32_t>(begin);
  const int32_t limit = static_cast<int32_t>(end);
  while (i < limit) {
    const uint32_t start = static_cast<uint32_t>(i);
    UChar32 c = 0;
    U8_NEXT(bytes, i, limit, c);
    if (c < 0) c = 0xFFFD;                // invalid UTF-8
    if (c < 0x20 || c == 0x7F) c = 0x20;  // tabs, CR and other controls show as a space
    if (U_IS_BMP(c)) {
      p.text.push_back(static_cast<char16_t>(c));
      p.utf8_offset.push_back(start);
    } else {
      p.text.push_back(U16_LEAD(c));
      p.text.push_back(U16_TRAIL(c));
      p.utf8_offset.push_back(start);
      p.utf8_offset.push_back(start);
    }
  }
  p.utf8_offset.push_back(static_cast<uint32_t>(end));

  // ICU keeps a pointer to the explicit levels while the paragraph is in use.
  std::vector<UBiDiLevel> explicit_levels;
  set_paragraph(para_bidi_, p.text, style, explicit_levels);
  p.rtl = (ubidi_getParaLevel(para_bidi_) & 1) != 0;
  if (lines.empty()) out.rtl = p.rtl;

  itemize(p, style);
  shape(p, style, px);
  bool overflow = false;
  for (const auto& [start, stop] : break_lines(p, style, &overflow)) {
    PendingLine line;
    line.line.rtl = p.rtl;
    emit_line(p, start, stop, out, line);
    lines.push_back(line);
  }
  out.overflow = out.overflow || overflow;
}

void LayoutBuilder::itemize(Paragraph& p, const TextStyle& style) {
  const int32_t n = p.size();
  p.script.assign(n, USCRIPT_COMMON);
  p.face.assign(n, 0);
  UErrorCode err = U_ZERO_ERROR;
  const UBiDiLevel* levels = n > 0 ? ubidi_getLevels(para_bidi_, &err) : nullptr;
  if (U_FAILURE(err)) levels = nullptr;

  // Scripts: Common and Inherited take the script of the preceding character, and leading
  // ones the first real script of the paragraph.
  UScriptCode first_real = USCRIPT_COMMON;
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    const int32_t at = i;
    U16_NEXT(p.text.data(), i, n, c);
    UErrorCode serr = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript(c, &serr);
    if (s == USCRIPT_INHERITED) s = USCRIPT_COMMON;
    if (s != USCRIPT_COMMON && first_real == USCRIPT_COMMON) first_real = s;
    for (int32_t k = at; k < i; ++k) p.script[k] = s;
  }
  UScriptCode current = first_real;
  for (int32_t i = 0; i < n; ++i) {
    if (p.script[i] == USCRIPT_COMMON) {
      p.script[i] = current;
    } else {
      current = p.script[i];
    }
  }

  // Fonts: the first face of the script's list that has the character.
  FaceId previous = fonts_.primary_face(style.lang, style.bold);
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    const int32_t at = i;
    U16_NEXT(p.text.data(), i, n, c);
    FaceId chosen = previous;
    if (at == 0 || !follows_base_font(c)) {
      const FaceList& list = fonts_.faces_for(p.script[at], style.lang, style.bold);
      chosen = list.front();
      bool found = false;
      for (FaceId id : list) {
        if (fonts_.has_glyph(id, static_cast<uint32_t>(c))) {
          chosen = id;
          found = true;
          break;
        }
      }
      // Punctuation shared by scripts (the Arabic comma after a Latin name) can resolve to
      // the neighbour's script; the language's own font usually has it.
      if (!found) {
        FaceId own = fonts_.primary_face(style.lang, style.bold);
        if (fonts_.has_glyph(own, static_cast<uint32_t>(c))) chosen = own, found = true;
      }
      if (!found && !is_space(static_cast<char16_t>(c)) && c >= 0x20) missing_glyphs_ = true;
    }
    for (int32_t k = at; k < i; ++k) p.face[k] = chosen;
    previous = chosen;
  }

  // Items: maximal ranges of equal level, script (CJK as one family) and face.
  p.items.clear();
  for (int32_t i = 0; i < n; ++i) {
    const UBiDiLevel level = levels ? levels[i] : 0;
    if (!p.items.empty()) {
      Item& last = p.items.back();
      if (last.level == level && last.face == p.face[i] &&
          same_script_run(last.script, p.script[i])) {
        last.end = i + 1;
        continue;
      }
    }
    p.items.push_back(Item{i, i + 1, level, p.script[i], p.face[i]});
  }
}

void LayoutBuilder::shape(Paragraph& p, const TextStyle& style, int px) {
  const hb_language_t language = hb_language_from_string(style.lang.c_str(), -1);
  p.glyphs.clear();
  for (Item& item : p.items) {
    Face* face = fonts_.get(item.face);
    item.first_glyph = static_cast<uint32_t>(p.glyphs.size());
    if (!face) continue;  // unreadable font file: the run stays empty
    hb_buffer_clear_contents(buffer_);
    hb_buffer_add_utf16(buffer_, reinterpret_cast<const uint16_t*>(p.text.data()), p.size(),
                        static_cast<unsigned>(item.start), item.end - item.start);
    hb_buffer_set_direction(buffer_, (item.level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(buffer_, hb_script_from_string(uscript_getShortName(item.script), -1));
    hb_buffer_set_language(buffer_, language);
    hb_shape(face->hb_font, buffer_, nullptr, 0);
    ++stats_.shapes;

    unsigned count = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer_, &count);
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buffer_, &count);
    const float scale = static_cast<float>(px) / static_cast<float>(face->upem);
    for (unsigned g = 0; g < count; ++g) {
      p.glyphs.push_back(ShapedGlyph{info[g].codepoint, static_cast<int32_t>(info[g].cluster),
                                     pos[g].x_advance * scale, pos[g].x_offset * scale,
                                     pos[g].y_offset * scale, item.face});
    }
    item.glyph_count = count;
  }

  // Each cluster's advance counts at its first character, for measuring line candidates.
  std::vector<float> width(p.size() + 1, 0.0f);
  for (const ShapedGlyph& g : p.glyphs) width[g.cluster] += g.advance;
  p.prefix_width.assign(p.size() + 1, 0.0f);
  for (int32_t i = 0; i < p.size(); ++i) p.prefix_width[i + 1] = p.prefix_width[i] + width[i];
}

// Languages whose lines break between space-separated words only, where the words fit.
static bool keeps_words_whole(const std::string& lang) {
  return primary_subtag(lang) == "ko" || lang == "ja-x-easy";
}

icu::BreakIterator* LayoutBuilder::line_breaker(const std::string& lang) {
  auto found = breakers_.find(lang);
  if (found != breakers_.end()) return found->second.get();
  return (breakers_[lang] = make_line_breaker(lang)).get();
}

// Greedy filling: each line takes as many break-separated segments as fit in wrap_width
// (trailing spaces hang and do not count). A segment wider than the line goes alone on its
// line and overflows rather than being cut inside a word.
std::vector<std::pair<int32_t, int32_t>> LayoutBuilder::break_lines(Paragraph& p,
                                                                    const TextStyle& style,
                                                                    bool* overflow) {
  const int32_t n = p.size();
  std::vector<std::pair<int32_t, int32_t>> result;
  if (n == 0) {
    result.emplace_back(0, 0);
    return result;
  }
  // The common case (labels, buttons, short lines) fits whole: no break iterator is needed,
  // which also spares loading ICU's dictionaries for a screen of short names.
  const bool fits_whole =
      style.wrap_width <= 0 || p.prefix_width[n] <= style.wrap_width + kWidthEpsilon;
  auto has_forced_break = [&] {
    for (int32_t i = 0; i < n; ++i) {
      const char16_t c = p.text[i];
      if (c == 0x0B || c == 0x0C || c == 0x0D || c == 0x85 || c == 0x2028 || c == 0x2029)
        return true;
    }
    return false;
  };
  if (fits_whole && !has_forced_break()) {
    result.emplace_back(0, n);
    return result;
  }
  struct Opportunity {
    int32_t pos;
    bool hard;
    bool between_words;  // after a space or closing punctuation (see keeps_words_whole)
  };
  std::vector<Opportunity> opportunities;
  icu::BreakIterator* breaker = line_breaker(style.lang);
  icu::UnicodeString text(false, reinterpret_cast<const UChar*>(p.text.data()), n);
  auto between_words = [&](int32_t b) {
    if (b >= n) return true;
    const char16_t c = p.text[b - 1];
    return is_space(c) || c == u'\u3001' || c == u'\u3002' || c == u'\uFF01' || c == u'\uFF1F' ||
           c == u'\uFF0C' || c == u'\u300D' || c == u'\uFF09' || c == u'!' || c == u'?' ||
           c == u',' || c == u'.' || c == u')';
  };
  if (breaker) {
    breaker->setText(text);
    for (int32_t b = breaker->next(); b != icu::BreakIterator::DONE; b = breaker->next()) {
      const int32_t status = breaker->getRuleStatus();
      opportunities.push_back({b,
                               b < n && status >= UBRK_LINE_HARD && status < UBRK_LINE_HARD_LIMIT,
                               between_words(b)});
    }
  }
  if (opportunities.empty() || opportunities.back().pos != n)
    opportunities.push_back({n, false, true});
  // Korean and easy Japanese write spaces between words: a line breaks there (CSS
  // word-break: keep-all), inside a word only when the word alone is wider than the line.
  const bool keep_words = keeps_words_whole(style.lang);

  auto trimmed_width = [&](int32_t start, int32_t stop) {
    while (stop > start && is_space(p.text[stop - 1])) --stop;
    return p.prefix_width[stop] - p.prefix_width[start];
  };
  const bool wrap = style.wrap_width > 0;
  int32_t line_start = 0;
  size_t k = 0;
  while (line_start < n) {
    int32_t line_end = -1;
    const size_t first_k = k;
    size_t end_k = k, word_end_k = opportunities.size();
    for (; k < opportunities.size(); ++k) {
      const Opportunity& o = opportunities[k];
      if (o.pos <= line_start) continue;
      const bool fits =
          !wrap || trimmed_width(line_start, o.pos) <= style.wrap_width + kWidthEpsilon;
      if (!fits) {
        if (line_end < 0) {
          line_end = o.pos;
          end_k = k;
          *overflow = true;
        }
        break;
      }
      line_end = o.pos;
      end_k = k;
      if (o.between_words) word_end_k = k;
      if (o.hard) break;
    }
    if (keep_words && word_end_k < opportunities.size() && word_end_k != end_k) {
      line_end = opportunities[word_end_k].pos;  // the last break between words that fits
      end_k = word_end_k;
    }
    if (p.rtl && wrap && line_end > 0 && line_end < n) {
      // Move a bracketed left-to-right run that would be split to the next line whole (it
      // may still need splitting there if it is wider than a line).
      const int32_t open = split_ltr_bracket(p.text, line_start, line_end);
      for (size_t j = end_k; open > line_start && j-- > first_k;) {
        if (opportunities[j].pos <= line_start) break;
        if (opportunities[j].pos <= open) {
          line_end = opportunities[j].pos;
          end_k = j;
          break;
        }
      }
    }
    if (line_end < 0) line_end = n;
    result.emplace_back(line_start, line_end);
    line_start = line_end;
    k = end_k + 1;
  }
  return result;
}

// Glyphs of [start, end) in visual order: ICU gives the line's runs in visual order (after
// UAX #9 L2 on this line only); inside a run, items go in logical order for left-to-right
// runs and reversed for right-to-left ones, and each item's glyphs are already in visual
// order from HarfBuzz. Runs are reordered, never glyphs.
void LayoutBuilder::emit_line(Paragraph& p, int32_t start, int32_t end, Layout& out,
                              PendingLine& pending) {
  LayoutLine& line = pending.line;
  line.text_begin = p.utf8_offset[start];
  line.text_end = p.utf8_offset[end];
  line.first_glyph = static_cast<uint32_t>(out.glyphs.size());
  const int32_t visible_end = visible_line_end(p.text, start, end);
  float pen = 0;
  auto emit_item_range = [&](const Item& item, int32_t from, int32_t to) {
    const bool rtl = (item.level & 1) != 0;
    for (uint32_t g = item.first_glyph; g < item.first_glyph + item.glyph_count; ++g) {
      const ShapedGlyph& sg = p.glyphs[g];
      if (sg.cluster < from || sg.cluster >= to) continue;
      out.glyphs.push_back(PositionedGlyph{sg.face, sg.glyph_id, p.utf8_offset[sg.cluster],
                                           pen + sg.x_offset, -sg.y_offset, sg.advance, rtl});
      pen += sg.advance;
    }
  };
  for (const VisualRun& run : line_visual_runs(para_bidi_, line_bidi_, start, visible_end)) {
    std::vector<const Item*> items;
    for (const Item& item : p.items) {
      if (item.end > run.start && item.start < run.end) items.push_back(&item);
    }
    if (run.rtl) std::reverse(items.begin(), items.end());
    for (const Item* item : items) emit_item_range(*item, run.start, run.end);
  }
  line.glyph_count = static_cast<uint32_t>(out.glyphs.size()) - line.first_glyph;
  line.width = pen;
}

// Line metrics come from the faces the layout uses (so Nastaliq's tall glyphs get room and
// mixed-font lines keep one spacing), then lines are stacked and aligned.
void LayoutBuilder::finish(const TextStyle& style, int px, Layout& out,
                           std::vector<PendingLine>& lines) {
  std::vector<FaceId> used;
  for (const PositionedGlyph& g : out.glyphs) {
    if (std::find(used.begin(), used.end(), g.face) == used.end()) used.push_back(g.face);
  }
  if (used.empty()) used.push_back(fonts_.primary_face(style.lang, style.bold));
  float ascent = 0, descent = 0, gap = 0;
  for (FaceId id : used) {
    const Face* face = fonts_.get(id);
    if (!face) continue;
    const float scale = static_cast<float>(px) / static_cast<float>(face->upem);
    ascent = std::max(ascent, face->ascender * scale);
    descent = std::max(descent, face->descender * scale);
    gap = std::max(gap, face->line_gap * scale);
  }
  if (ascent + descent <= 0) ascent = static_cast<float>(px);
  const float line_height = std::ceil(ascent + descent + gap);

  for (const PendingLine& l : lines) out.content_width = std::max(out.content_width, l.line.width);
  out.width = std::max(style.wrap_width, out.content_width);
  float top = 0;
  for (PendingLine& pending : lines) {
    LayoutLine& line = pending.line;
    line.top = top;
    line.height = line_height;
    line.baseline = top + std::round(gap * 0.5f + ascent);
    const float slack = out.width - line.width;
    // A mirrored screen starts every line on the right (an English fallback message lines
    // up with the Arabic around it); otherwise the paragraph direction decides.
    const bool start_is_left = !line.rtl && !style.rtl_context;
    switch (style.align) {
      case TextStyle::Start:
        line.x = start_is_left ? 0 : slack;
        break;
      case TextStyle::End:
        line.x = start_is_left ? slack : 0;
        break;
      case TextStyle::Center:
        line.x = std::round(slack * 0.5f);
        break;
    }
    for (uint32_t g = line.first_glyph; g < line.first_glyph + line.glyph_count; ++g) {
      out.glyphs[g].x += line.x;
      out.glyphs[g].y += line.baseline;
    }
    out.lines.push_back(line);
    top += line_height;
  }
  out.height = top;
  out.line_count = static_cast<int>(out.lines.size());
  out.missing_glyphs = missing_glyphs_;
  missing_glyphs_ = false;
}

}  // namespace kiosk::text::detail
