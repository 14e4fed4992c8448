// SPDX-License-Identifier: GPL-3.0-or-later
// Text that leaves kioskctl for a terminal, a spreadsheet or an XML file, when it came from
// outside (a receiver's items, a server's export): masked, quoted or escaped so that it stays
// text. Used by `kioskctl inbox` and `kioskctl counts report`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::tools {

// Control characters (C0 except newline and tab when `multiline`, DEL, C1) become '?', so no
// text can send a terminal escape sequence.
std::string printable(std::string_view s, bool multiline = false);

// One RFC 4180 field. A cell starting with = + - @ (or tab, CR) is a formula to a
// spreadsheet; a leading apostrophe keeps it text (OWASP "CSV injection"). Numbers written by
// kioskctl itself never start with those, except a negative one, which none of ours is.
std::string csv_field(std::string_view value);
// Appends one CSV record with CRLF, as RFC 4180 asks.
void append_csv_row(std::string& out, const std::vector<std::string>& fields);

// Text for XML character data and attribute values: & < > " ' escaped, invalid UTF-8
// replaced by U+FFFD, and the characters XML 1.0 does not allow (C0 controls but tab, LF, CR;
// U+FFFE, U+FFFF) dropped, so the document stays well-formed whatever the input.
std::string xml_text(std::string_view s);

// Columns a terminal gives the text: East Asian wide and fullwidth characters take two,
// combining marks none, others one.
size_t display_width(std::string_view utf8);

// The width of one code point, in whatever unit a caller measures lines in.
using CharWidth = double (*)(char32_t);
// Terminal columns of a code point: display_width's rule.
double terminal_columns(char32_t c);
double text_width(std::string_view utf8, CharWidth width);

// `text` in lines no wider than `max_width`, broken where the language allows (ICU line
// breaks: between words, and between characters in Japanese); a word wider than a line gets
// a line of its own. Spaces at a line's end are dropped.
std::vector<std::string> wrap_lines(const std::string& text, double max_width,
                                    const std::string& language, CharWidth width);
// The first line of wrap_lines, ending in "…" when the text went on.
std::string fit_line(const std::string& text, double max_width, const std::string& language,
                     CharWidth width);

// "1,330": an integer with thousands separators, as the English text of kioskctl writes it.
std::string with_thousands(long long value);

}  // namespace kiosk::tools
