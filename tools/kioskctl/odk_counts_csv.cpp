// SPDX-License-Identifier: GPL-3.0-or-later
#include "tools/kioskctl/odk_counts_csv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "core/counts_report.h"

namespace kiosk::tools {

namespace {

// ---- RFC 4180 -------------------------------------------------------------------------------

// Reads records field by field; `line` follows the line breaks, inside quotes too.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);  // Excel's, if it saved it
  }

  std::optional<std::vector<CsvRecord>> read(std::string* error) {
    std::vector<CsvRecord> records;
    CsvRecord record{line_, {}};
    while (i_ < text_.size()) {
      std::string field;
      if (!(text_[i_] == '"' ? quoted(field, error) : unquoted(field, error))) return std::nullopt;
      record.fields.push_back(std::move(field));
      if (at_end()) break;
      if (text_[i_] == ',') {
        ++i_;
        if (at_end()) record.fields.emplace_back();  // "a,b," ends with an empty field
        continue;
      }
      i_ += text_[i_] == '\r' ? 2 : 1;  // CRLF or LF, checked by the field readers
      keep(records, std::move(record));
      record = {++line_, {}};
    }
    keep(records, std::move(record));
    return records;
  }

 private:
  bool at_end() const { return i_ >= text_.size(); }
  bool at_record_end() const {
    return at_end() || text_[i_] == ',' || text_[i_] == '\n' ||
           (text_[i_] == '\r' && i_ + 1 < text_.size() && text_[i_ + 1] == '\n');
  }

  bool fail(int line, const std::string& what, std::string* error) {
    *error = std::to_string(line) + ": " + what;
    return false;
  }

  bool quoted(std::string& field, std::string* error) {
    const int opened_at = line_;
    ++i_;
    for (;;) {
      if (at_end()) return fail(opened_at, "a quoted field opens here and never closes", error);
      const char c = text_[i_++];
      if (c == '"') {
        if (at_end() || text_[i_] != '"') break;
        ++i_;  // "" is one quote
      } else if (c == '\n') {
        ++line_;
      }
      field += c;
    }
    if (!at_record_end()) return fail(line_, "text after the closing quote of a field", error);
    return true;
  }

  bool unquoted(std::string& field, std::string* error) {
    while (!at_end() && text_[i_] != ',' && text_[i_] != '\n' && text_[i_] != '\r') {
      if (text_[i_] == '"')
        return fail(line_, "a quote inside a field that does not start with one", error);
      field += text_[i_++];
    }
    if (!at_record_end()) return fail(line_, "a carriage return without a line feed", error);
    return true;
  }

  // A blank line is no record Central writes; an editor may leave one at the end.
  static void keep(std::vector<CsvRecord>& records, CsvRecord record) {
    if (record.fields.size() == 1 && record.fields[0].empty()) return;
    if (!record.fields.empty()) records.push_back(std::move(record));
  }

  std::string_view text_;
  size_t i_ = 0;
  int line_ = 1;
};

// ---- the counts form's two files -------------------------------------------------------------

const std::vector<std::string> kSubmissionColumns = {"office", "day",     "pack_id", "pack_version",
                                                     "k",      "epsilon", "KEY"};
const std::vector<std::string> kCellColumns = {"table", "key", "count", "PARENT_KEY"};

// A file's records with its header's columns by name.
struct CsvFile {
  std::string path;
  std::map<std::string, size_t> columns;
  std::vector<CsvRecord> rows;  // without the header
  bool is_cells = false;

  const std::string& get(const CsvRecord& r, const std::string& name) const {
    static const std::string none;
    auto it = columns.find(name);
    return it == columns.end() ? none : r.fields[it->second];
  }
};

std::string location(const std::string& path, int line) {
  return path + ":" + std::to_string(line);
}
std::string where(const std::string& path, int line) {
  return location(path, line) + ": ";
}

std::optional<std::string> read_whole(const std::string& path, OdkCsvError* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = {OdkCsvError::Kind::Unreadable, path + ": " + std::strerror(errno)};
    return std::nullopt;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string missing_columns(const std::map<std::string, size_t>& have,
                            const std::vector<std::string>& need) {
  std::string out;
  for (const auto& name : need)
    if (!have.count(name)) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Which of the two files this is, by its header: the cell file has PARENT_KEY.
bool classify(CsvFile& f, const CsvRecord& header, OdkCsvError* error) {
  for (size_t i = 0; i < header.fields.size(); ++i) f.columns.emplace(header.fields[i], i);
  f.is_cells = f.columns.count("PARENT_KEY") > 0;
  const std::string missing =
      missing_columns(f.columns, f.is_cells ? kCellColumns : kSubmissionColumns);
  if (missing.empty()) return true;
  *error = {OdkCsvError::Kind::Malformed,
            where(f.path, header.line) +
                (f.is_cells ? "a repeat's file without the column(s) "
                            : "a submissions file without the column(s) ") +
                missing +
                ": not the export of the counts form (kiosk_counts_<pack>.csv and "
                "kiosk_counts_<pack>-cell.csv, from `kioskctl form export --kind counts`)"};
  return false;
}

std::optional<CsvFile> read_csv_file(const std::string& path, OdkCsvError* error) {
  auto text = read_whole(path, error);
  if (!text) return std::nullopt;
  std::string problem;
  auto records = parse_csv_records(*text, &problem);
  if (!records) {
    *error = {OdkCsvError::Kind::Malformed, path + ":" + problem};
    return std::nullopt;
  }
  if (records->empty()) {
    *error = {OdkCsvError::Kind::Malformed, path + ": empty: no header row"};
    return std::nullopt;
  }
  CsvFile f{path, {}, {}, false};
  if (!classify(f, records->front(), error)) return std::nullopt;
  const size_t width = records->front().fields.size();
  for (size_t r = 1; r < records->size(); ++r) {
    CsvRecord& row = (*records)[r];
    if (row.fields.size() != width) {
      *error = {OdkCsvError::Kind::Malformed,
                where(path, row.line) + std::to_string(row.fields.size()) +
                    " fields, the header has " + std::to_string(width)};
      return std::nullopt;
    }
    f.rows.push_back(std::move(row));
  }
  return f;
}

std::optional<int64_t> whole_number(const std::string& s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> decimal(const std::string& s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

// One submission: a release without its cells yet.
bool read_submission(const CsvFile& f, const CsvRecord& row, core::CountsRelease* out,
                     std::string* error) {
  const std::string at = where(f.path, row.line);
  const std::string& day = f.get(row, "day");
  auto date = core::Date::parse(day);
  if (!date) {
    *error = at + "day: not a date (YYYY-MM-DD): " + quoted(day) +
             (day.empty() ? " (a submission the export could not decrypt?)" : "");
    return false;
  }
  auto k = whole_number(f.get(row, "k"));
  if (!k || *k < 0 || *k > 1'000'000'000) {
    *error = at + "k: not a whole number: " + quoted(f.get(row, "k"));
    return false;
  }
  auto epsilon = decimal(f.get(row, "epsilon"));
  if (!epsilon) {
    *error = at + "epsilon: not a number: " + quoted(f.get(row, "epsilon"));
    return false;
  }
  out->office = f.get(row, "office");
  out->day = *date;
  out->pack_id = f.get(row, "pack_id");
  out->pack_version = f.get(row, "pack_version");
  out->k = static_cast<int>(*k);
  out->epsilon = *epsilon;
  if (std::string problem = core::release_problem(*out); !problem.empty()) {
    *error = at + problem;
    return false;
  }
  return true;
}

bool read_cell(const CsvFile& f, const CsvRecord& row, core::ReleasedCell* out,
               std::string* error) {
  const std::string at = where(f.path, row.line);
  out->table = f.get(row, "table");
  out->key = f.get(row, "key");
  out->outcome = f.get(row, "outcome");
  out->responsible = f.get(row, "responsible");
  if (out->table.empty()) {
    *error = at + "table: empty";
    return false;
  }
  const std::string& count = f.get(row, "count");
  if (count.empty()) return true;  // withheld
  auto n = whole_number(count);
  if (!n || *n < 0 || *n > 1'000'000'000) {
    *error = at + "count: not a whole number from 0 to 1000000000: " + quoted(count);
    return false;
  }
  out->count = *n;
  return true;
}

// Where a submission's KEY was seen, for the message about a second one.
struct Submission {
  size_t index;
  std::string location;
};

bool add_submissions(const CsvFile& f, std::vector<core::CountsRelease>& releases,
                     std::map<std::string, Submission>& by_key, OdkCsvError* error) {
  for (const CsvRecord& row : f.rows) {
    core::CountsRelease r;
    if (!read_submission(f, row, &r, &error->message)) return false;
    const std::string& key = f.get(row, "KEY");
    auto [it, fresh] = by_key.emplace(key, Submission{releases.size(), location(f.path, row.line)});
    if (!fresh) {
      error->message = where(f.path, row.line) + "KEY " + quoted(key) + " again (first at " +
                       it->second.location + ")";
      return false;
    }
    releases.push_back(std::move(r));
  }
  return true;
}

bool add_cells(const CsvFile& f, std::vector<core::CountsRelease>& releases,
               const std::map<std::string, Submission>& by_key, OdkCsvError* error) {
  for (const CsvRecord& row : f.rows) {
    const std::string& parent = f.get(row, "PARENT_KEY");
    auto it = by_key.find(parent);
    if (it == by_key.end()) {
      error->message = where(f.path, row.line) + "PARENT_KEY " + quoted(parent) +
                       " is the KEY of no submission in the submissions file";
      return false;
    }
    core::ReleasedCell cell;
    if (!read_cell(f, row, &cell, &error->message)) return false;
    releases[it->second.index].cells.push_back(std::move(cell));
  }
  return true;
}

}  // namespace

std::optional<std::vector<CsvRecord>> parse_csv_records(std::string_view text, std::string* error) {
  return CsvReader(text).read(error);
}

std::optional<std::vector<core::CountsRelease>> read_odk_counts_csv(
    const std::vector<std::string>& paths, OdkCsvError* error) {
  std::vector<CsvFile> submissions, cells;
  for (const auto& path : paths) {
    auto f = read_csv_file(path, error);
    if (!f) return std::nullopt;
    (f->is_cells ? cells : submissions).push_back(std::move(*f));
  }
  if (submissions.empty() || cells.empty()) {
    *error = {OdkCsvError::Kind::Incomplete,
              submissions.empty()
                  ? "no submissions file among the --odk-csv files (kiosk_counts_<pack>.csv, "
                    "with the columns office, day, ..., KEY)"
                  : "no cell file among the --odk-csv files (kiosk_counts_<pack>-cell.csv, with "
                    "the columns table, key, count, ..., PARENT_KEY)"};
    return std::nullopt;
  }
  std::vector<core::CountsRelease> releases;
  std::map<std::string, Submission> by_key;
  error->kind = OdkCsvError::Kind::Malformed;
  for (const auto& f : submissions)
    if (!add_submissions(f, releases, by_key, error)) return std::nullopt;
  for (const auto& f : cells)
    if (!add_cells(f, releases, by_key, error)) return std::nullopt;
  return releases;
}

}  // namespace kiosk::tools
