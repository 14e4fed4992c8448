// SPDX-License-Identifier: GPL-3.0-or-later
// PO parser and writer, and the ICU MessageFormat checks on msgstr. See po.h.
#include "core/po.h"

#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

namespace kiosk::core {
namespace {

// A file of garbage must not produce a million lines of output.
constexpr std::size_t kMaxDiagnosticsPerFile = 50;

bool is_utf8_lead(unsigned char c) {
  return (c & 0xC0) != 0x80;
}

// 1-based column in code points of byte `pos` in `line`.
int column_of(std::string_view line, std::size_t pos) {
  int col = 1;
  for (std::size_t i = 0; i < pos && i < line.size(); ++i)
    if (is_utf8_lead(static_cast<unsigned char>(line[i]))) ++col;
  return col;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}
bool is_hex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
int hex_value(char c) {
  return c <= '9' ? c - '0' : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

// Decodes the escape sequence starting at raw[i] == '\\'. On success appends the byte, moves i
// past the sequence and returns true; on an unknown escape returns false and leaves i unchanged.
bool decode_escape(std::string_view raw, std::size_t& i, std::string& out) {
  if (i + 1 >= raw.size()) return false;
  const char c = raw[i + 1];
  static constexpr std::string_view kFrom = "ntr\"\\abfv?'";
  static constexpr std::string_view kTo = "\n\t\r\"\\\a\b\f\v?'";
  if (auto k = kFrom.find(c); k != std::string_view::npos) {
    out += kTo[k];
    i += 2;
    return true;
  }
  if (is_octal(c)) {
    int value = 0;
    std::size_t j = i + 1;
    for (int n = 0; n < 3 && j < raw.size() && is_octal(raw[j]); ++n, ++j)
      value = value * 8 + (raw[j] - '0');
    out += static_cast<char>(value & 0xFF);
    i = j;
    return true;
  }
  if (c == 'x' && i + 2 < raw.size() && is_hex(raw[i + 2])) {
    int value = 0;
    std::size_t j = i + 2;
    for (int n = 0; n < 2 && j < raw.size() && is_hex(raw[j]); ++n, ++j)
      value = value * 16 + hex_value(raw[j]);
    out += static_cast<char>(value);
    i = j;
    return true;
  }
  return false;
}

enum class Target { None, Ignore, Msgctxt, Msgid, MsgidPlural, Msgstr, MsgstrN };

class PoParser {
 public:
  PoParser(const std::string& filename, PoFile& out, std::vector<Diagnostic>& diags)
      : filename_(filename), out_(out), diags_(diags) {}

  bool run(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
    int line_no = 0;
    std::size_t start = 0;
    while (start <= text.size() && !too_many_errors()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      ++line_no;
      parse_line(line, line_no);
      if (end == text.size()) break;
      start = end + 1;
    }
    finish_entry();
    if (too_many_errors()) error(line_no, 0, "too many errors; stopped reading this file");
    return !failed_;
  }

 private:
  bool too_many_errors() const { return count_ >= kMaxDiagnosticsPerFile; }

  void report(int line, int col, Severity severity, std::string message) {
    if (count_ > kMaxDiagnosticsPerFile) return;
    ++count_;
    if (severity == Severity::Error) failed_ = true;
    diags_.push_back(Diagnostic{filename_, line, col, severity, std::move(message)});
  }
  void error(int line, int col, std::string message) {
    report(line, col, Severity::Error, std::move(message));
  }

  bool entry_started() const { return has_msgid_ || cur_.has_msgctxt; }

  void parse_line(std::string_view line, int line_no) {
    if (!check_utf8(line, line_no)) return;
    std::size_t pos = 0;
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    if (pos == line.size()) return;  // blank line
    if (line[pos] == '#') return parse_comment(line, pos, line_no);
    if (line[pos] == '"') return parse_continuation(line, pos, line_no);
    parse_keyword(line, pos, line_no);
  }

  bool check_utf8(std::string_view line, int line_no) {
    int32_t i = 0;
    const auto length = static_cast<int32_t>(line.size());
    while (i < length) {
      const int32_t at = i;
      UChar32 c = 0;
      U8_NEXT(line.data(), i, length, c);
      if (c < 0 || c == 0) {
        error(line_no, column_of(line, static_cast<std::size_t>(at)),
              c == 0 ? "NUL byte in the file" : "invalid UTF-8 (catalogues must be UTF-8)");
        target_ = Target::Ignore;
        return false;
      }
    }
    return true;
  }

  void parse_comment(std::string_view line, std::size_t pos, int line_no) {
    std::string_view rest = line.substr(pos + 1);
    if (!rest.empty() && rest.front() == '~') {  // obsolete entry: ignored entirely
      if (has_msgstr_) finish_entry();
      if (!entry_started()) discard_entry();  // its comments belonged to the obsolete entry
      target_ = Target::Ignore;
      return;
    }
    if (has_msgstr_) finish_entry();
    if (!entry_started() && comment_count_ == 0) cur_.line = line_no;
    ++comment_count_;
    target_ = Target::None;
    const char kind = rest.empty() ? ' ' : rest.front();
    const std::string body(trim(rest.empty() ? rest : rest.substr(1)));
    switch (kind) {
      case '.':
        cur_.extracted_comments.push_back(body);
        break;
      case ':':
        cur_.references.push_back(body);
        break;
      case '|':
        break;  // previous msgid, for translators' tools only
      case ',':
        add_flags(body);
        break;
      default:
        cur_.translator_comments.emplace_back(trim(rest));
        break;
    }
  }

  void add_flags(std::string_view body) {
    std::size_t start = 0;
    while (start <= body.size()) {
      std::size_t comma = body.find(',', start);
      if (comma == std::string_view::npos) comma = body.size();
      const std::string flag(trim(body.substr(start, comma - start)));
      if (!flag.empty()) {
        cur_.flags.push_back(flag);
        if (flag == "fuzzy") cur_.fuzzy = true;
      }
      start = comma + 1;
    }
  }

  void parse_keyword(std::string_view line, std::size_t pos, int line_no) {
    std::size_t end = pos;
    while (end < line.size() &&
           (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '_'))
      ++end;
    const std::string_view word = line.substr(pos, end - pos);
    const int col = column_of(line, pos);
    int index = -1;
    if (word == "msgstr" && end < line.size() && line[end] == '[') {
      const std::size_t close = line.find(']', end);
      const std::string_view digits = close == std::string_view::npos
                                          ? std::string_view{}
                                          : line.substr(end + 1, close - end - 1);
      if (digits.empty() || digits.size() > 3 ||
          !std::all_of(digits.begin(), digits.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        error(line_no, column_of(line, end), "expected a number in msgstr[N]");
        target_ = Target::Ignore;
        return;
      }
      index = std::stoi(std::string(digits));
      end = close + 1;
    }
    if (!start_keyword(word, index, line_no, col)) {
      target_ = Target::Ignore;
      return;
    }
    std::size_t quote = end;
    while (quote < line.size() && (line[quote] == ' ' || line[quote] == '\t')) ++quote;
    if (quote >= line.size() || line[quote] != '"') {
      error(line_no, column_of(line, quote), "expected '\"' after " + std::string(word));
      target_ = Target::Ignore;
      return;
    }
    append_string(line, quote, line_no);
  }

  // Checks the keyword fits where it appears and prepares the entry; false on error.
  bool start_keyword(std::string_view word, int index, int line_no, int col) {
    if (word == "msgctxt" || word == "msgid") {
      if (has_msgstr_) finish_entry();
      if (has_msgid_ || (word == "msgctxt" && cur_.has_msgctxt)) {
        error(line_no, col, std::string(word) + " before the msgstr of the previous entry");
        discard_entry();
      }
      if (!entry_started() && comment_count_ == 0) cur_.line = line_no;
      if (word == "msgctxt") {
        cur_.has_msgctxt = true;
        target_ = Target::Msgctxt;
      } else {
        has_msgid_ = true;
        cur_.msgid_line = line_no;
        target_ = Target::Msgid;
      }
      return true;
    }
    if (word == "msgid_plural") {
      if (!has_msgid_ || has_msgstr_ || has_plural_) {
        error(line_no, col, "msgid_plural must follow a msgid");
        return false;
      }
      has_plural_ = true;
      target_ = Target::MsgidPlural;
      return true;
    }
    if (word == "msgstr") return start_msgstr(index, line_no, col);
    error(line_no, col,
          "unknown keyword '" + std::string(word.empty() ? "?" : word) +
              "' (expected msgctxt, msgid, msgid_plural or msgstr)");
    return false;
  }

  bool start_msgstr(int index, int line_no, int col) {
    if (!has_msgid_) {
      error(line_no, col, "msgstr without a msgid");
      return false;
    }
    if (index < 0) {
      if (has_msgstr_ || has_plural_) {
        error(line_no, col,
              has_plural_ ? "entry with msgid_plural needs msgstr[N], not msgstr"
                          : "second msgstr in one entry");
        return false;
      }
      has_msgstr_ = true;
      cur_.msgstr_line = line_no;
      target_ = Target::Msgstr;
      return true;
    }
    if (!has_plural_) {
      error(line_no, col, "msgstr[N] needs a msgid_plural");
      return false;
    }
    if (static_cast<std::size_t>(index) != cur_.msgstr_plural.size()) {
      error(line_no, col, "expected msgstr[" + std::to_string(cur_.msgstr_plural.size()) + "]");
      return false;
    }
    if (index == 0) cur_.msgstr_line = line_no;
    has_msgstr_ = true;
    cur_.msgstr_plural.emplace_back();
    target_ = Target::MsgstrN;
    return true;
  }

  void parse_continuation(std::string_view line, std::size_t pos, int line_no) {
    if (target_ == Target::Ignore) return;
    if (target_ == Target::None) {
      error(line_no, column_of(line, pos), "string without a keyword before it");
      target_ = Target::Ignore;
      return;
    }
    append_string(line, pos, line_no);
  }

  // Reads the quoted string starting at line[quote] == '"' and appends it to the current target.
  void append_string(std::string_view line, std::size_t quote, int line_no) {
    std::string value;
    std::size_t i = quote + 1;
    bool closed = false;
    while (i < line.size()) {
      const char c = line[i];
      if (c == '"') {
        closed = true;
        break;
      }
      if (c == '\\') {
        if (!decode_escape(line, i, value)) {
          const std::string seq(line.substr(i, std::min<std::size_t>(2, line.size() - i)));
          error(line_no, column_of(line, i), "unknown escape sequence '" + seq + "'");
          value += line.substr(i, 2);
          i += std::min<std::size_t>(2, line.size() - i);
        }
        continue;
      }
      value += c;
      ++i;
    }
    if (!closed) {
      error(line_no, column_of(line, line.size()), "missing closing '\"'");
    } else {
      const std::string_view after = trim(line.substr(i + 1));
      if (!after.empty())
        error(line_no, column_of(line, line.size() - after.size()),
              "unexpected text after the closing '\"'");
    }
    if (target_ == Target::Msgstr || (target_ == Target::MsgstrN && cur_.msgstr_plural.size() == 1))
      cur_.msgstr_segments.push_back(
          PoSegment{line_no, column_of(line, quote + 1),
                    std::string(line.substr(quote + 1, (closed ? i : line.size()) - quote - 1))});
    target_string() += value;
  }

  std::string& target_string() {
    switch (target_) {
      case Target::Msgctxt:
        return cur_.msgctxt;
      case Target::Msgid:
        return cur_.msgid;
      case Target::MsgidPlural:
        return cur_.msgid_plural;
      case Target::MsgstrN:
        return cur_.msgstr_plural.back();
      default:
        return cur_.msgstr;
    }
  }

  void discard_entry() {
    cur_ = PoEntry{};
    has_msgid_ = has_msgstr_ = has_plural_ = false;
    comment_count_ = 0;
  }

  void finish_entry() {
    if (has_msgid_ && !has_msgstr_)
      error(cur_.msgid_line, 1, "msgid \"" + cur_.msgid + "\" has no msgstr");
    else if (has_msgid_)
      store_entry();
    else if (cur_.has_msgctxt)
      error(cur_.line, 1, "msgctxt without a msgid");
    discard_entry();
    target_ = Target::None;
  }

  // Escapes (\ooo, \xHH) can make bytes the file's own UTF-8 check never saw: an entry whose
  // decoded strings are not valid UTF-8 is refused like such a file. (A NUL from \000 is
  // valid UTF-8 and is kept: write_po writes it back the same way.)
  bool decoded_utf8_ok(const std::string& s, int line, const char* what) {
    int32_t i = 0;
    const auto length = static_cast<int32_t>(s.size());
    while (i < length) {
      UChar32 c = 0;
      U8_NEXT(s.data(), i, length, c);
      if (c < 0) {
        error(line, 1, std::string(what) + ": escape sequences make invalid UTF-8");
        return false;
      }
    }
    return true;
  }

  void store_entry() {
    if (!cur_.msgstr_plural.empty()) cur_.msgstr = cur_.msgstr_plural.front();
    bool ok = decoded_utf8_ok(cur_.msgctxt, cur_.line, "msgctxt") &&
              decoded_utf8_ok(cur_.msgid, cur_.msgid_line, "msgid") &&
              decoded_utf8_ok(cur_.msgid_plural, cur_.msgid_line, "msgid_plural") &&
              decoded_utf8_ok(cur_.msgstr, cur_.msgstr_line, "msgstr");
    for (const std::string& s : cur_.msgstr_plural)
      ok = ok && decoded_utf8_ok(s, cur_.msgstr_line, "msgstr[N]");
    if (!ok) return;
    if (cur_.msgid.empty() && !cur_.has_msgctxt) return store_header();
    const std::string key = (cur_.has_msgctxt ? cur_.msgctxt + '\x04' : std::string()) + cur_.msgid;
    if (auto [it, inserted] = first_line_.emplace(key, cur_.msgid_line); !inserted) {
      error(cur_.msgid_line, 1,
            "duplicate message id \"" + cur_.msgid + "\" (first at line " +
                std::to_string(it->second) + ")");
      return;
    }
    out_.entries.push_back(std::move(cur_));
  }

  void store_header() {
    if (out_.has_header) {
      error(cur_.msgid_line, 1, "second entry with an empty msgid (only the header may have one)");
      return;
    }
    out_.has_header = true;
    out_.header_line = cur_.msgid_line;
    std::size_t start = 0;
    const std::string& text = cur_.msgstr;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string_view field = trim(std::string_view(text).substr(start, end - start));
      start = end + 1;
      if (field.empty()) continue;
      const std::size_t colon = field.find(':');
      if (colon == std::string_view::npos) {
        report(cur_.msgstr_line, 0, Severity::Warning,
               "header line without ':' ignored: \"" + std::string(field) + "\"");
        continue;
      }
      out_.header.emplace_back(std::string(trim(field.substr(0, colon))),
                               std::string(trim(field.substr(colon + 1))));
    }
    check_charset();
  }

  void check_charset() {
    const std::string type = out_.header_value("Content-Type");
    const std::size_t at = type.find("charset=");
    if (at == std::string::npos) return;
    const std::string_view charset = trim(std::string_view(type).substr(at + 8));
    if (!equals_ignore_case(charset, "UTF-8") && charset != "CHARSET")
      error(out_.header_line, 1,
            "charset " + std::string(charset) + " is not supported; save the catalogue as UTF-8");
  }

  const std::string& filename_;
  PoFile& out_;
  std::vector<Diagnostic>& diags_;
  PoEntry cur_;
  bool has_msgid_ = false, has_msgstr_ = false, has_plural_ = false;
  int comment_count_ = 0;
  Target target_ = Target::None;
  std::unordered_map<std::string, int> first_line_;
  std::size_t count_ = 0;
  bool failed_ = false;
};

void write_string(std::ostringstream& out, std::string_view keyword, std::string_view text) {
  out << keyword << ' ';
  const std::size_t newline = text.find('\n');
  if (newline == std::string_view::npos || newline + 1 == text.size()) {
    out << '"' << po_escape(text) << "\"\n";
    return;
  }
  out << "\"\"\n";
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    out << '"' << po_escape(text.substr(start, end - start)) << "\"\n";
    start = end;
  }
}

}  // namespace

std::string PoFile::header_value(std::string_view name) const {
  for (const auto& [key, value] : header)
    if (equals_ignore_case(key, name)) return value;
  return {};
}

const PoEntry* PoFile::find(std::string_view msgid, std::optional<std::string_view> msgctxt) const {
  for (const auto& e : entries)
    if (e.msgid == msgid && e.has_msgctxt == msgctxt.has_value() &&
        (!msgctxt || e.msgctxt == *msgctxt))
      return &e;
  return nullptr;
}

bool parse_po(std::string_view text, const std::string& filename, PoFile& out,
              std::vector<Diagnostic>& diags) {
  out = PoFile{};
  return PoParser(filename, out, diags).run(text);
}

bool load_po_file(const std::filesystem::path& path, const std::string& display_name, PoFile& out,
                  std::vector<Diagnostic>& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out = PoFile{};
    diags.push_back(Diagnostic{display_name, 0, 0, Severity::Error, "cannot read the file"});
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_po(text.str(), display_name, out, diags);
}

std::string po_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {  // other control bytes: 3-digit octal
          const auto v = static_cast<unsigned char>(c);
          out += {'\\', '0', static_cast<char>('0' + (v >> 3)), static_cast<char>('0' + (v & 7))};
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string write_po(const PoFile& po) {
  std::ostringstream out;
  if (po.has_header || !po.header.empty()) {
    std::string header;
    for (const auto& [key, value] : po.header) header += key + ": " + value + "\n";
    out << "msgid \"\"\n";
    write_string(out, "msgstr", header.empty() ? std::string_view{} : header);
  }
  for (const PoEntry& e : po.entries) {
    out << '\n';
    for (const auto& c : e.translator_comments) out << "# " << c << '\n';
    for (const auto& c : e.extracted_comments) out << "#. " << c << '\n';
    for (const auto& r : e.references) out << "#: " << r << '\n';
    std::vector<std::string> flags = e.flags;
    if (e.fuzzy && std::find(flags.begin(), flags.end(), "fuzzy") == flags.end())
      flags.insert(flags.begin(), "fuzzy");
    if (!flags.empty()) {
      out << "#, ";
      for (std::size_t i = 0; i < flags.size(); ++i) out << (i ? ", " : "") << flags[i];
      out << '\n';
    }
    if (e.has_msgctxt) write_string(out, "msgctxt", e.msgctxt);
    write_string(out, "msgid", e.msgid);
    if (e.msgid_plural.empty()) {
      write_string(out, "msgstr", e.msgstr);
      continue;
    }
    write_string(out, "msgid_plural", e.msgid_plural);
    for (std::size_t i = 0; i < e.msgstr_plural.size(); ++i)
      write_string(out, "msgstr[" + std::to_string(i) + "]", e.msgstr_plural[i]);
  }
  return out.str();
}

std::unordered_map<std::string, std::string> po_messages(const PoFile& po) {
  std::unordered_map<std::string, std::string> messages;
  for (const PoEntry& e : po.entries) {
    if (e.msgstr.empty() || e.fuzzy) continue;
    messages.emplace((e.has_msgctxt ? e.msgctxt + '\x04' : std::string()) + e.msgid, e.msgstr);
  }
  return messages;
}

PoPosition po_msgstr_position(const PoEntry& entry, std::size_t offset) {
  PoPosition last{entry.msgstr_line, 9};
  std::size_t decoded = 0;
  for (const PoSegment& seg : entry.msgstr_segments) {
    int col = seg.col;
    std::size_t i = 0;
    while (i < seg.raw.size()) {
      if (decoded >= offset) return {seg.line, col};
      const std::size_t start = i;
      std::string bytes;
      const bool escape = seg.raw[i] == '\\' && decode_escape(seg.raw, i, bytes);
      if (escape) {
        decoded += bytes.size();
      } else {  // one UTF-8 character: its lead byte and continuation bytes
        ++i;
        while (i < seg.raw.size() && !is_utf8_lead(static_cast<unsigned char>(seg.raw[i]))) ++i;
        decoded += i - start;
      }
      if (decoded > offset) return {seg.line, col};
      col += escape ? static_cast<int>(i - start) : 1;  // "\n" takes two columns in the file
    }
    last = {seg.line, col};
  }
  return last;
}

// ---------------------------------------------------------------------------------------------
// MessageFormat checks
namespace {

struct PatternError {
  std::size_t offset = 0;  // byte offset in the UTF-8 pattern
  std::string message;
};

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// Byte offset in `pattern` (UTF-8) of UTF-16 index `index` of the same text.
std::size_t utf16_to_utf8_offset(std::string_view pattern, int32_t index) {
  int32_t i = 0, units = 0;
  const auto length = static_cast<int32_t>(pattern.size());
  while (i < length && units < index) {
    UChar32 c = 0;
    U8_NEXT(pattern.data(), i, length, c);
    units += c > 0xFFFF ? 2 : 1;
  }
  return static_cast<std::size_t>(i);
}

// Scans braces the way MessageFormat does (apostrophe quoting in DOUBLE_OPTIONAL mode) and
// returns the byte offsets of every unquoted '{' with the offset of its matching '}'
// (npos when it is never closed).
std::vector<std::pair<std::size_t, std::size_t>> brace_pairs(std::string_view p) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  std::vector<std::size_t> open;  // indexes into pairs
  bool quoted = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    const char next = i + 1 < p.size() ? p[i + 1] : '\0';
    if (c == '\'') {
      if (next == '\'') {
        ++i;
      } else if (quoted) {
        quoted = false;
      } else if (next == '{' || next == '}' || next == '#' || next == '|') {
        quoted = true;
      }
      continue;
    }
    if (quoted) continue;
    if (c == '{') {
      open.push_back(pairs.size());
      pairs.emplace_back(i, std::string_view::npos);
    } else if (c == '}' && !open.empty()) {
      pairs[open.back()].second = i;
      open.pop_back();
    }
  }
  return pairs;
}

std::size_t unclosed_brace_offset(std::string_view p) {
  std::size_t found = p.size();
  for (const auto& [start, end] : brace_pairs(p))
    if (end == std::string_view::npos) found = start;  // the innermost unclosed one
  return found;
}

// ICU reports a plural/select without "other" at offset 0; find the argument ourselves:
// the last argument that fails alone with the same error is a real offender (an outer one
// failing only because of a nested one always starts before it).
std::size_t missing_other_offset(std::string_view p) {
  std::size_t found = 0;
  for (const auto& [start, end] : brace_pairs(p)) {
    if (end == std::string_view::npos) continue;
    const std::string_view arg = p.substr(start, end - start + 1);
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error{};
    icu::MessagePattern mp(icu::UnicodeString::fromUTF8(icu::StringPiece(arg.data(), arg.size())),
                           &parse_error, status);
    if (status == U_DEFAULT_KEYWORD_MISSING) found = start;
  }
  return found;
}

std::string context_at(std::string_view p, std::size_t offset) {
  std::size_t end = std::min(p.size(), offset + 12);
  while (end < p.size() && !is_utf8_lead(static_cast<unsigned char>(p[end]))) ++end;
  return std::string(p.substr(offset, end - offset));
}

std::string pattern_error_message(UErrorCode status) {
  switch (status) {
    case U_UNMATCHED_BRACES:
      return "'{' is never closed with '}'";
    case U_DEFAULT_KEYWORD_MISSING:
      return "plural or select argument has no 'other' case";
    case U_PATTERN_SYNTAX_ERROR:
      return "syntax error";
    case U_ARGUMENT_TYPE_MISMATCH:
      return "named and numbered arguments are mixed";
    case U_INDEX_OUTOFBOUNDS_ERROR:
      return "argument number is too large";
    case U_NUMBER_SKELETON_SYNTAX_ERROR:
      return "invalid number skeleton";
    case U_ILLEGAL_ARGUMENT_ERROR:
      return "unknown argument type or style";
    default:
      return std::string("invalid message (ICU: ") + u_errorName(status) + ")";
  }
}

// Errors only icu::MessageFormat finds (unknown "{x, foo}" types, bad styles): each simple
// argument is compiled alone to find the culprit.
std::optional<PatternError> find_argument_error(std::string_view pattern,
                                                const icu::MessagePattern& mp,
                                                const icu::UnicodeString& text) {
  for (int32_t i = 0; i < mp.countParts(); ++i) {
    const auto& part = mp.getPart(i);
    if (part.getType() != UMSGPAT_PART_TYPE_ARG_START || part.getValue() != UMSGPAT_ARG_TYPE_SIMPLE)
      continue;
    const int32_t limit = mp.getLimitPartIndex(i);
    const int32_t begin = part.getIndex();
    const int32_t end = mp.getPart(limit).getLimit();
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error{};
    icu::MessageFormat alone(text.tempSubStringBetween(begin, end), icu::Locale::getRoot(),
                             parse_error, status);
    if (U_SUCCESS(status)) continue;
    const auto& type_part = mp.getPart(i + 2);
    const std::string type = utf8(mp.getSubstring(type_part));
    static const std::set<std::string> kKnown = {"number",   "date",    "time",
                                                 "spellout", "ordinal", "duration"};
    const bool known = kKnown.count(type) > 0;
    const auto& at = known && i + 3 < limit ? mp.getPart(i + 3) : type_part;
    return PatternError{utf16_to_utf8_offset(pattern, at.getIndex()),
                        known ? "invalid style for '" + type + "' argument"
                              : "unknown argument type '" + type +
                                    "' (use number, date, time, plural, select or selectordinal)"};
  }
  return std::nullopt;
}

std::optional<PatternError> find_pattern_error(std::string_view pattern) {
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(pattern.data(), pattern.size()));
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  icu::MessagePattern mp(text, &parse_error, status);
  if (U_FAILURE(status)) {
    std::size_t offset = utf16_to_utf8_offset(pattern, std::max(parse_error.offset, 0));
    if (status == U_UNMATCHED_BRACES) offset = unclosed_brace_offset(pattern);
    if (status == U_DEFAULT_KEYWORD_MISSING) offset = missing_other_offset(pattern);
    std::string message = pattern_error_message(status);
    if (status == U_PATTERN_SYNTAX_ERROR && offset < pattern.size())
      message += " near \"" + context_at(pattern, offset) + "\"";
    return PatternError{offset, "MessageFormat: " + message};
  }
  status = U_ZERO_ERROR;
  icu::MessageFormat format(text, icu::Locale::getRoot(), parse_error, status);
  if (U_SUCCESS(status)) return std::nullopt;
  if (auto arg = find_argument_error(pattern, mp, text)) {
    arg->message = "MessageFormat: " + arg->message;
    return arg;
  }
  return PatternError{0, "MessageFormat: " + pattern_error_message(status)};
}

}  // namespace

std::optional<Diagnostic> check_message_format(std::string_view pattern, const std::string& file,
                                               int line, int first_col) {
  auto error = find_pattern_error(pattern);
  if (!error) return std::nullopt;
  const int col = first_col + column_of(pattern, error->offset) - 1;
  return Diagnostic{file, line, col, Severity::Error, std::move(error->message)};
}

std::optional<Diagnostic> check_message_format(const PoEntry& entry, const std::string& file) {
  auto error = find_pattern_error(entry.msgstr);
  if (!error) return std::nullopt;
  const PoPosition at = po_msgstr_position(entry, error->offset);
  return Diagnostic{file, at.line, at.col, Severity::Error, std::move(error->message)};
}

std::vector<MessageArgument> message_arguments(std::string_view pattern) {
  std::vector<MessageArgument> args;
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(pattern.data(), pattern.size()));
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  icu::MessagePattern mp(text, &parse_error, status);
  if (U_FAILURE(status)) return args;
  for (int32_t i = 0; i + 1 < mp.countParts(); ++i) {
    const auto& part = mp.getPart(i);
    if (part.getType() != UMSGPAT_PART_TYPE_ARG_START) continue;
    MessageArgument arg;
    arg.name = utf8(mp.getSubstring(mp.getPart(i + 1)));
    switch (static_cast<UMessagePatternArgType>(part.getValue())) {
      case UMSGPAT_ARG_TYPE_SIMPLE:
        arg.kind = MessageArgument::Kind::Simple;
        arg.type = utf8(mp.getSubstring(mp.getPart(i + 2)));
        break;
      case UMSGPAT_ARG_TYPE_PLURAL:
        arg.kind = MessageArgument::Kind::Plural;
        break;
      case UMSGPAT_ARG_TYPE_SELECTORDINAL:
        arg.kind = MessageArgument::Kind::SelectOrdinal;
        break;
      case UMSGPAT_ARG_TYPE_SELECT:
        arg.kind = MessageArgument::Kind::Select;
        break;
      case UMSGPAT_ARG_TYPE_CHOICE:
        arg.kind = MessageArgument::Kind::Choice;
        break;
      default:
        arg.kind = MessageArgument::Kind::None;
        break;
    }
    const bool seen = std::any_of(args.begin(), args.end(),
                                  [&](const MessageArgument& a) { return a.name == arg.name; });
    if (!seen) args.push_back(std::move(arg));
  }
  return args;
}

std::vector<std::string> message_argument_names(std::string_view pattern) {
  std::vector<std::string> names;
  for (auto& arg : message_arguments(pattern)) names.push_back(std::move(arg.name));
  return names;
}

}  // namespace kiosk::core
