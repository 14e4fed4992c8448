// SPDX-License-Identifier: GPL-3.0-or-later
// Counts from an OpenRosa server's CSV export (`kioskctl counts report --odk-csv`): ODK Central's
// "submissions.csv.zip", unzipped, for the counts form (core/xform.h, counts_form):
//  - the submissions file (kiosk_counts_jp_residence.csv): SubmissionDate, office, day, pack_id,
//    pack_version, k, epsilon, meta-instanceID, meta-instanceName, KEY, SubmitterID, ...;
//  - the file of the repeat `cell` (kiosk_counts_jp_residence-cell.csv): table, key, count,
//    outcome, responsible, PARENT_KEY, KEY; PARENT_KEY is the KEY of the submission.
// The files are told apart by their header, not their names, and joined on PARENT_KEY = KEY.
// Central writes RFC 4180 (quoted fields may hold commas, quotes and line breaks; LF or CRLF).
// Every problem is one message starting with FILE:LINE, the line where the record starts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/counts.h"

namespace kiosk::tools {

struct OdkCsvError {
  enum class Kind {
    Unreadable,  // a file could not be read at all
    Malformed,   // a file is no CSV, or not the counts form's, or a value is wrong: FILE:LINE
    Incomplete,  // the submissions file or the cell file is not among the paths
  };
  Kind kind = Kind::Malformed;
  std::string message;
};

// One release per submission, in the submissions files' order. nullopt and *error otherwise;
// needs at least one submissions file and one cell file among `paths`.
std::optional<std::vector<core::CountsRelease>> read_odk_counts_csv(
    const std::vector<std::string>& paths, OdkCsvError* error);

// An RFC 4180 record and the line of the file where it starts.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};
// Parses CSV text (a UTF-8 byte order mark first is skipped). nullopt and *error
// ("LINE: what") when a quote is misplaced or never closed.
std::optional<std::vector<CsvRecord>> parse_csv_records(std::string_view text, std::string* error);

}  // namespace kiosk::tools
