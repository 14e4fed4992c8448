// SPDX-License-Identifier: GPL-3.0-or-later
// po: gettext PO catalogues for packs (messages/LANG.po) and the app's own UI (locales/LANG.po).
//
// Our catalogues are *monolingual*: msgid is a message id ("ui.nav.back"), msgstr the text in
// ICU MessageFormat. The parser keeps what `kioskctl pack check` needs to point at a problem:
// the line of every msgid and msgstr and where each piece of a (multi-line) msgstr sits, so a
// MessageFormat error maps back to an exact file:line:col.
//
// Why not libgettextpo: its public API (po_message_t) does not report the line of each message
// in the file (only a filepos of references, which we do not write), so we could not report
// `messages/ja.po:42:17: error: ...`. The format is small; we parse it here.
//
// Done:
//  - header entry (msgid "") parsed into ordered fields (Language, Plural-Forms, Content-Type...)
//  - escapes \n \t \r \" \\ \a \b \f \v \? \' and octal \ooo / hex \xHH; multi-line strings
//  - comments: "# " translator, "#." extracted, "#:" references, "#," flags (fuzzy), "#|" previous
//  - obsolete "#~" entries are ignored
//  - msgctxt, msgid_plural and msgstr[N] are parsed (plural forms are not used by the kiosk:
//    plurals live inside the ICU MessageFormat text; `pack check` may warn about them)
//  - errors with file:line:col, never a crash, never an assert on input (fuzz target friendly)
//  - a writer producing what the parser reads back (round trip)
// Not done: charsets other than UTF-8 (the file is rejected with a clear error).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/diagnostic.h"

namespace kiosk::core {

// One quoted piece of a string in the file: `msgstr "abc"` or a continuation line `"def"`.
struct PoSegment {
  int line = 0;     // 1-based line of the piece
  int col = 0;      // 1-based column (in code points) of the first character after the quote
  std::string raw;  // the bytes between the quotes, escapes NOT decoded
};

struct PoEntry {
  std::string msgctxt;
  bool has_msgctxt = false;
  std::string msgid;
  std::string msgid_plural;                      // empty unless the entry has msgid_plural
  std::string msgstr;                            // msgstr, or msgstr[0] for a plural entry
  std::vector<std::string> msgstr_plural;        // msgstr[0..n] of a plural entry
  std::vector<std::string> translator_comments;  // "# ..."
  std::vector<std::string>
      extracted_comments;               // "#. ..." (where the text appears, for translators)
  std::vector<std::string> references;  // "#: ..."
  std::vector<std::string> flags;       // "#, fuzzy, c-format" -> {"fuzzy", "c-format"}
  bool fuzzy = false;
  int line = 0;         // line where the entry starts (its first comment or keyword)
  int msgid_line = 0;   // line of the msgid keyword
  int msgstr_line = 0;  // line of the msgstr (or msgstr[0]) keyword
  std::vector<PoSegment> msgstr_segments;  // where each piece of msgstr sits in the file
};

struct PoFile {
  std::vector<std::pair<std::string, std::string>>
      header;  // fields of the msgid "" entry, in order
  bool has_header = false;
  int header_line = 0;
  std::vector<PoEntry> entries;  // without the header entry and obsolete entries, in file order

  // Value of a header field (case-insensitive name), empty if absent.
  std::string header_value(std::string_view name) const;
  std::string language() const { return header_value("Language"); }
  // The entry with this msgid (and msgctxt, if given), or nullptr.
  const PoEntry* find(std::string_view msgid, std::optional<std::string_view> msgctxt = {}) const;
};

// Parses PO text. Appends problems to `diags` (with `filename` as file); returns false if there
// was any error. `out` holds whatever could be parsed even when it returns false.
// Never crashes, whatever the input; safe as a libFuzzer entry point.
bool parse_po(std::string_view text, const std::string& filename, PoFile& out,
              std::vector<Diagnostic>& diags);

// Reads and parses a file; `display_name` is the name used in diagnostics (e.g. "messages/ja.po").
bool load_po_file(const std::filesystem::path& path, const std::string& display_name, PoFile& out,
                  std::vector<Diagnostic>& diags);

// Writes a catalogue in the usual gettext layout (header first, `#.` comments, flags, msgctxt,
// msgid, msgstr; strings containing "\n" are split into continuation lines after each "\n").
std::string write_po(const PoFile& po);

// Escapes a string for the inside of a PO quoted string ("\"", "\\", "\n", "\t", ...).
std::string po_escape(std::string_view text);

// Messages usable at run time: msgid -> msgstr for every entry with a non-empty msgstr that is not
// fuzzy (gettext's rule: fuzzy translations are not used). Entries with a msgctxt are keyed
// "msgctxt\x04msgid" like gettext does.
std::unordered_map<std::string, std::string> po_messages(const PoFile& po);

// Where in the file the byte at `offset` of the decoded msgstr sits: follows the segments,
// counting escape sequences (\" is two columns in the file) and code points.
// Offsets past the end map to just after the last character.
struct PoPosition {
  int line = 0;
  int col = 0;
};
PoPosition po_msgstr_position(const PoEntry& entry, std::size_t offset);

// ---- ICU MessageFormat checks on msgstr ----

// Syntax check of an ICU MessageFormat pattern, with ICU's MessagePattern (offset from
// UParseError) and then icu::MessageFormat (unknown argument types, bad number skeletons).
// Returns a Diagnostic at file:line:col or nothing when the pattern is valid.
//
// This overload only knows the line: it assumes the pattern sits on that line starting at
// column `first_col` (9 = just after `msgstr "`), counts code points, and does NOT account for
// escape sequences or continuation lines (a multi-line msgstr reports columns as if it were on
// one line). Use the PoEntry overload for exact positions.
std::optional<Diagnostic> check_message_format(std::string_view pattern, const std::string& file,
                                               int line, int first_col = 9);

// Exact position: maps the error through the entry's msgstr segments (escapes, continuation lines).
std::optional<Diagnostic> check_message_format(const PoEntry& entry, const std::string& file);

// One argument a pattern uses ("{days, plural, ...}" -> {"days", Plural, ""}).
struct MessageArgument {
  enum class Kind { None, Simple, Plural, SelectOrdinal, Select, Choice };
  std::string name;  // argument name, or its number as text for numbered arguments
  Kind kind = Kind::None;
  std::string type;  // for Simple: "number", "date", "time", "spellout", ...; else empty
};

// Arguments a pattern uses, each name once, in order of first use (nested ones included).
// Empty for an invalid pattern.
std::vector<MessageArgument> message_arguments(std::string_view pattern);
// Just the names, in order of first use.
std::vector<std::string> message_argument_names(std::string_view pattern);

}  // namespace kiosk::core
