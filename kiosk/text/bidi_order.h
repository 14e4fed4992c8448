// SPDX-License-Identifier: GPL-3.0-or-later
// Internal: the part of bidirectional layout the kiosk adds on top of ICU's UBA: the
// paragraph direction rule, digit groups kept left to right in right-to-left paragraphs, and
// the visual order of runs per wrapped line with hanging trailing white space. The layout
// builder uses exactly these functions; tests/text/conformance_test.cpp holds them against
// Unicode's BidiCharacterTest.txt.
#pragma once

#include <unicode/brkiter.h>
#include <unicode/ubidi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/text/text_engine.h"

namespace kiosk::text::detail {

bool is_space(char16_t c);

// Paragraph direction. Text in Arabic, Persian or Urdu is right to left even when it starts
// with a Latin name or a number ("FRESC هو ..."). Other text follows its first strong
// character (UAX #9 P2/P3), so an English fallback message on a mirrored screen keeps its
// full stop on the right; with no strong character the screen direction decides.
bool paragraph_is_rtl(const std::u16string& text, const TextStyle& style);

// Right-to-left paragraphs keep each run of digit groups joined by - / : . , (dates
// 2026-11-27, times, phone numbers 0570-013904, amounts) as one left-to-right unit, as if
// wrapped in LRI...PDI. Plain UBA would show 2026-11-27 after Arabic letters as 27-11-2026
// (the digits become Arabic numbers, W2, and the hyphen between them resolves to RTL).
// Returns explicit levels for ubidi_setPara, or an empty vector when nothing needs them.
std::vector<UBiDiLevel> isolate_numbers(const std::u16string& text);

// Resolves one paragraph into `para` with the rules above. ICU keeps a pointer to
// `explicit_levels` (and to `text`) while `para` is in use: both must outlive it.
void set_paragraph(UBiDi* para, const std::u16string& text, const TextStyle& style,
                   std::vector<UBiDiLevel>& explicit_levels);

// End of the visible part of the line [start, end): trailing white space hangs (is not drawn
// and takes no room), so it is left out of the reordering too.
int32_t visible_line_end(const std::u16string& text, int32_t start, int32_t end);

struct VisualRun {
  int32_t start = 0, end = 0;  // UTF-16 range in the paragraph
  bool rtl = false;
};

// The runs of the line [start, end) of the paragraph in `para`, left to right on screen
// (ubidi_setLine into `line`, which applies L1, then ubidi_getVisualRun). Empty on an ICU
// error.
std::vector<VisualRun> line_visual_runs(UBiDi* para, UBiDi* line, int32_t start, int32_t end);

// The ICU line break iterator the engine breaks `lang` with: UAX #14 with the locale's
// tailoring, and for Japanese ICU's phrase breaking (lw=phrase, as CSS word-break:
// auto-phrase): 在留|期間|更新|申請は、 rather than 在|留|期|間... Korean and easy Japanese
// then keep words whole when filling lines (CSS word-break: keep-all; layout_builder.cpp).
// nullptr when ICU cannot make one. Held against LineBreakTest.txt in
// tests/text/conformance_test.cpp.
std::unique_ptr<icu::BreakIterator> make_line_breaker(const std::string& lang);

}  // namespace kiosk::text::detail
