// SPDX-License-Identifier: GPL-3.0-or-later
// search: folding text so a search over procedure titles and summaries forgives accents, case,
// full-width/half-width forms and kana type.
//
// fold_for_search() does, in order:
//  1. NFKC + case folding (ICU's NFKC_Casefold): "ＣＡＦＥ" -> "cafe", "ｶﾞ" -> "ガ", "ß" -> "ss".
//  2. Removes combining marks ONLY where they are accents on Latin or Greek letters
//     ("café" -> "cafe", Vietnamese "hạn" -> "han"). Marks are kept where they are letters'
//     vowels or change the word: Devanagari, Bengali, Tamil, Sinhala, Thai, Khmer, Myanmar,
//     Ethiopic, Cyrillic (й and ї are letters of their own in Ukrainian), and the Japanese
//     voicing marks (ガ stays ガ, not カ).
//  3. Arabic script: drops the optional vowel marks (harakat, U+064B..U+065F, U+0670) and the
//     tatweel, which writers use or omit freely; folds أ إ آ to ا and Arabic ي ك to the
//     Persian/Urdu ی ک, which keyboards of the three languages type differently.
//  4. Latin letters without a decomposition: đ -> d (Vietnamese), ı/İ -> i (Turkish), ø -> o,
//     ł -> l.
//  5. Katakana -> hiragana (ビザ ~ びざ: users type either).
//  6. Runs of white space become one space; leading and trailing space is removed.
// Not done: Simplified/Traditional Chinese equivalence, romaji/kana equivalence, spelling errors.
//
// Folding does not depend on the user's language: a Vietnamese user searching an English title
// gets the same result, so the functions take no locale.
#pragma once

#include <string>
#include <string_view>

namespace kiosk::core {

// The folded form of UTF-8 text (invalid UTF-8 bytes become U+FFFD).
std::string fold_for_search(std::string_view text);

// True if every word of the query occurs in the haystack after folding (in any order);
// an empty query matches everything.
bool matches(std::string_view haystack, std::string_view query);

// Same, for a haystack folded once in advance (fold titles when a pack loads, not per keystroke).
bool matches_folded(std::string_view folded_haystack, std::string_view query);

}  // namespace kiosk::core
