// SPDX-License-Identifier: GPL-3.0-or-later
#include "kiosk/text/bidi_order.h"

#include <unicode/locid.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>

#include "kiosk/text/font_catalog.h"

namespace kiosk::text::detail {

namespace {

bool is_number_joiner(char16_t c) {
  return c == u'-' || c == u'/' || c == u':' || c == u'.' || c == u',' || c == 0x2010 ||
         c == 0x2011 || c == 0x2013;
}

}  // namespace

bool is_space(char16_t c) {
  return u_hasBinaryProperty(c, UCHAR_WHITE_SPACE);
}

// Right-to-left paragraphs keep each run of digit groups joined by - / : . , (dates
// 2026-11-27, times, phone numbers 0570-013904, amounts) as one left-to-right unit, as if
// wrapped in LRI...PDI. Plain UBA would show 2026-11-27 after Arabic letters as 27-11-2026
// (the digits become Arabic numbers, W2, and the hyphen between them resolves to RTL).
// Returns explicit levels for ubidi_setPara, or an empty vector when nothing needs them.
std::vector<UBiDiLevel> isolate_numbers(const std::u16string& text) {
  std::vector<UBiDiLevel> levels;
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    if (!u_isdigit(text[i])) {
      ++i;
      continue;
    }
    const size_t start = i;
    size_t end = i;
    bool joined = false;
    while (i < n) {
      while (i < n && u_isdigit(text[i])) ++i;
      end = i;
      if (i + 1 < n && is_number_joiner(text[i]) && u_isdigit(text[i + 1])) {
        joined = true;
        ++i;
        continue;
      }
      break;
    }
    if (!joined) continue;
    if (levels.empty()) levels.assign(n, 1);
    for (size_t k = start; k < end; ++k) levels[k] = 2;
  }
  return levels;
}

// Paragraph direction. Text in Arabic, Persian or Urdu is right to left even when it starts
// with a Latin name or a number ("FRESC هو ..."). Other text follows its first strong
// character (UAX #9 P2/P3), so an English fallback message on a mirrored screen keeps its
// full stop on the right; with no strong character the screen direction decides.
bool paragraph_is_rtl(const std::u16string& text, const TextStyle& style) {
  if (is_rtl_language(style.lang)) return true;
  switch (ubidi_getBaseDirection(reinterpret_cast<const UChar*>(text.data()),
                                 static_cast<int32_t>(text.size()))) {
    case UBIDI_RTL:
      return true;
    case UBIDI_LTR:
      return false;
    default:
      return style.rtl_context;
  }
}

void set_paragraph(UBiDi* para, const std::u16string& text, const TextStyle& style,
                   std::vector<UBiDiLevel>& explicit_levels) {
  const bool rtl_base = paragraph_is_rtl(text, style);
  explicit_levels.clear();
  if (rtl_base) explicit_levels = isolate_numbers(text);
  const auto* units = reinterpret_cast<const UChar*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  UErrorCode err = U_ZERO_ERROR;
  ubidi_setPara(para, units, length, rtl_base ? 1 : 0,
                explicit_levels.empty() ? nullptr : explicit_levels.data(), &err);
  if (U_FAILURE(err)) {  // only on allocation failure; lay out left to right
    err = U_ZERO_ERROR;
    ubidi_setPara(para, units, length, 0, nullptr, &err);
  }
}

int32_t visible_line_end(const std::u16string& text, int32_t start, int32_t end) {
  while (end > start && is_space(text[end - 1])) --end;
  return end;
}

std::vector<VisualRun> line_visual_runs(UBiDi* para, UBiDi* line, int32_t start, int32_t end) {
  std::vector<VisualRun> out;
  if (end <= start) return out;
  UErrorCode err = U_ZERO_ERROR;
  ubidi_setLine(para, start, end, line, &err);
  const int32_t runs = U_SUCCESS(err) ? ubidi_countRuns(line, &err) : 0;
  for (int32_t r = 0; r < runs && U_SUCCESS(err); ++r) {
    int32_t logical = 0, length = 0;
    const UBiDiDirection dir = ubidi_getVisualRun(line, r, &logical, &length);
    out.push_back({start + logical, start + logical + length, dir == UBIDI_RTL});
  }
  return out;
}

std::unique_ptr<icu::BreakIterator> make_line_breaker(const std::string& lang) {
  UErrorCode err = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(lang, err);
  if (U_FAILURE(err)) locale = icu::Locale::getRoot();
  if (primary_subtag(lang) == "ja") {
    err = U_ZERO_ERROR;
    locale.setKeywordValue("lw", "phrase", err);
  }
  err = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> breaker(icu::BreakIterator::createLineInstance(locale, err));
  if (U_FAILURE(err)) breaker.reset();
  return breaker;
}

}  // namespace kiosk::text::detail
