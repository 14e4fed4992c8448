// SPDX-License-Identifier: GPL-3.0-or-later
// search: accent-, case- and width-tolerant matching. See search.h for what folds and why.
#include "core/search.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <vector>

namespace kiosk::core {
namespace {

// Optional Arabic vowel signs and marks (harakat, hamza above/below, maddah, superscript alef,
// Quranic annotation signs): readers write them or not, so they never decide a match.
bool is_optional_arabic_mark(UChar32 c) {
  return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06ED);
}

// Scripts whose combining marks are accents a searcher may leave out.
bool marks_are_accents(UScriptCode base_script) {
  return base_script == USCRIPT_LATIN || base_script == USCRIPT_GREEK ||
         base_script == USCRIPT_COMMON || base_script == USCRIPT_INHERITED;
}

// Letters folded by hand: they have no decomposition, or keyboards type them differently.
UChar32 fold_letter(UChar32 c) {
  switch (c) {
    case 0x0111:
      return 'd';  // đ (Vietnamese)
    case 0x0131:
      return 'i';  // ı (Turkish dotless i)
    case 0x00F8:
      return 'o';  // ø
    case 0x0142:
      return 'l';  // ł
    case 0x064A:
      return 0x06CC;  // Arabic yeh -> Farsi yeh
    case 0x0649:
      return 0x06CC;  // alef maksura -> Farsi yeh
    case 0x0643:
      return 0x06A9;  // Arabic kaf -> keheh
    default:
      break;
  }
  if (c >= 0x30A1 && c <= 0x30F6) return c - 0x60;  // katakana -> hiragana
  return c;
}

struct Normalizers {
  const icu::Normalizer2* nfkc_casefold = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  const icu::Normalizer2* nfc = nullptr;
};

const Normalizers& normalizers() {
  static const Normalizers instance = [] {
    Normalizers n;
    UErrorCode status = U_ZERO_ERROR;
    n.nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    n.nfd = icu::Normalizer2::getNFDInstance(status);
    n.nfc = icu::Normalizer2::getNFCInstance(status);
    return n;
  }();
  return instance;
}

icu::UnicodeString strip_and_fold(const icu::UnicodeString& decomposed) {
  icu::UnicodeString out;
  UScriptCode base_script = USCRIPT_COMMON;
  bool pending_space = false;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    const int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) {
      if (is_optional_arabic_mark(c) || marks_are_accents(base_script)) continue;
      out.append(c);
      continue;
    }
    if (c == 0x0640) continue;  // Arabic tatweel: stretches a word, means nothing
    if (u_isUWhiteSpace(c)) {
      pending_space = !out.isEmpty();
      continue;
    }
    if (pending_space) out.append(static_cast<UChar32>(' '));
    pending_space = false;
    UErrorCode status = U_ZERO_ERROR;
    base_script = uscript_getScript(c, &status);
    out.append(fold_letter(c));
  }
  return out;
}

}  // namespace

std::string fold_for_search(std::string_view text) {
  const Normalizers& n = normalizers();
  if (!n.nfkc_casefold || !n.nfd || !n.nfc) return std::string(text);  // ICU data missing
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString folded = n.nfkc_casefold->normalize(source, status);
  const icu::UnicodeString decomposed = n.nfd->normalize(folded, status);
  const icu::UnicodeString result = n.nfc->normalize(strip_and_fold(decomposed), status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  result.toUTF8String(out);
  return out;
}

bool matches_folded(std::string_view folded_haystack, std::string_view query) {
  const std::string folded_query = fold_for_search(query);
  std::string_view rest = folded_query;
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view word = rest.substr(0, space);
    if (!word.empty() && folded_haystack.find(word) == std::string_view::npos) return false;
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return true;
}

bool matches(std::string_view haystack, std::string_view query) {
  return matches_folded(fold_for_search(haystack), query);
}

}  // namespace kiosk::core
