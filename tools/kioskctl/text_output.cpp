// SPDX-License-Identifier: GPL-3.0-or-later
#include "tools/kioskctl/text_output.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>

namespace kiosk::tools {

std::string printable(std::string_view s, bool multiline) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool c1 = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (c1) {
      out += '?';
      ++i;
    } else if ((c < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || c == 0x7F) {
      out += '?';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string csv_field(std::string_view value) {
  std::string v(value);
  if (!v.empty() && std::string_view("=+-@\t\r").find(v.front()) != std::string_view::npos)
    v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void append_csv_row(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csv_field(fields[i]);
  out += "\r\n";
}

namespace {

void append_utf8(std::string& out, UChar32 c) {
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  out.append(buf, static_cast<size_t>(n));
}

bool allowed_in_xml(UChar32 c) {
  if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
  return c != 0xFFFE && c != 0xFFFF;
}

}  // namespace

std::string xml_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  const auto length = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) c = 0xFFFD;  // ill-formed UTF-8
    if (!allowed_in_xml(c)) continue;
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        append_utf8(out, c);
    }
  }
  return out;
}

double terminal_columns(char32_t c32) {
  const auto c = static_cast<UChar32>(c32);
  const auto gc = u_charType(c);
  if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_FORMAT_CHAR) return 0;
  const auto eaw = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return eaw == U_EA_WIDE || eaw == U_EA_FULLWIDTH ? 2 : 1;
}

double text_width(std::string_view utf8, CharWidth width) {
  double w = 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    w += c < 0 ? 1 : width(static_cast<char32_t>(c));
  }
  return w;
}

size_t display_width(std::string_view utf8) {
  return static_cast<size_t>(text_width(utf8, terminal_columns));
}

namespace {

double width_between(const icu::UnicodeString& u, int32_t from, int32_t to, CharWidth width) {
  double w = 0;
  for (int32_t i = from; i < to; i = u.moveIndex32(i, 1))
    w += width(static_cast<char32_t>(u.char32At(i)));
  return w;
}

std::string utf8_between(const icu::UnicodeString& u, int32_t from, int32_t to) {
  std::string out;
  u.tempSubStringBetween(from, to).toUTF8String(out);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::unique_ptr<icu::BreakIterator> line_breaks(const std::string& language) {
  UErrorCode err = U_ZERO_ERROR;
  icu::Locale locale = icu::Locale::forLanguageTag(language, err);
  if (U_FAILURE(err)) locale = icu::Locale::getRoot();
  err = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> it(icu::BreakIterator::createLineInstance(locale, err));
  return U_SUCCESS(err) ? std::move(it) : nullptr;
}

}  // namespace

std::vector<std::string> wrap_lines(const std::string& text, double max_width,
                                    const std::string& language, CharWidth width) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(text);
  auto breaks = line_breaks(language);
  if (!breaks) return {text};
  breaks->setText(u);
  std::vector<std::string> lines;
  int32_t line_start = 0, last_fit = 0;
  for (int32_t b = breaks->next(); b != icu::BreakIterator::DONE; b = breaks->next()) {
    // Trailing spaces hang past the line's end: measure without them.
    int32_t visible_end = b;
    while (visible_end > line_start && u.charAt(visible_end - 1) == ' ') --visible_end;
    if (width_between(u, line_start, visible_end, width) <= max_width || last_fit == line_start) {
      last_fit = b;
      continue;
    }
    lines.push_back(utf8_between(u, line_start, last_fit));
    line_start = last_fit;
    last_fit = b;
  }
  if (line_start < u.length()) lines.push_back(utf8_between(u, line_start, u.length()));
  return lines;
}

std::string fit_line(const std::string& text, double max_width, const std::string& language,
                     CharWidth width) {
  if (wrap_lines(text, max_width, language, width).size() <= 1) return text;
  const double ellipsis = width(U'…');
  const auto shorter = wrap_lines(text, std::max(max_width - ellipsis, ellipsis), language, width);
  return shorter.empty() ? text : shorter.front() + "…";
}

std::string with_thousands(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

}  // namespace kiosk::tools
