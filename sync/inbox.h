// SPDX-License-Identifier: GPL-3.0-or-later
// Inbox: the agency's end of the outbox (docs/agency.md). Reads what a kiosk-receiver stored
// (tools/receiver: table items(idem_key, kind, body, received_at)), opens each sealed body with
// the agency's secret key and parses the hand-offs (core/handoff.h) and the anonymous counts
// (core/counts.h). Strictly read-only: the receiver may be writing at the same time, and
// nothing here ever changes its database.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/counts.h"
#include "core/handoff.h"
#include "sync/crypto.h"

namespace kiosk::sync {

// The secret half of `kioskctl outbox keygen`'s pair, from agency.key (64 hex digits and a
// newline); the public half is derived from it. Refuses a file that group or others can
// read, as `repo publish` does for repo.key. The file's text is wiped after reading.
std::optional<BoxKeyPair> read_agency_key(const std::string& path, std::string* error);

// A stored item that opened with the key and parsed as a hand-off.
struct InboxHandoff {
  std::string idem_key;     // the receiver's key of the row (32 hex digits)
  int64_t received_at = 0;  // Unix seconds, by the receiver's clock
  core::Handoff handoff;
  std::string json;  // the opened item exactly as the kiosk sealed it
};

// A stored item that did not open with the key, or opened but is no valid hand-off.
struct DamagedItem {
  std::string idem_key;
  int64_t received_at = 0;
  std::string reason;
};

// A stored item of kind "counts" that opened with the key and parsed: one office's day.
struct InboxCounts {
  std::string idem_key;
  int64_t received_at = 0;
  core::CountsRelease release;
};

struct InboxScan {
  std::vector<InboxHandoff> handoffs;  // newest first
  std::vector<DamagedItem> damaged;    // hand-off items only, newest first
  // Items of kinds other than "handoff": kind -> count. The hand-off commands show none of
  // them; "counts" items are also opened into `counts` below.
  std::map<std::string, int> skipped_kinds;
  int handoff_items = 0;  // rows of kind "handoff", readable or not
  int unopened = 0;       // of those, how many the key did not open
  // Not one hand-off item opens: the key is not the one the kiosks seal to.
  bool key_opens_nothing() const { return handoff_items > 0 && unopened == handoff_items; }

  std::vector<InboxCounts> counts;          // newest first
  std::vector<DamagedItem> damaged_counts;  // "counts" items that did not open or parse
  int counts_items = 0;                     // rows of kind "counts", readable or not
  int counts_unopened = 0;                  // of those, how many the key did not open
  bool key_opens_no_counts() const { return counts_items > 0 && counts_unopened == counts_items; }
};

// Reads every item of the receiver's database at `db_path`, read-only. nullopt and *error
// when the database cannot be read at all (missing, not readable, not SQLite, not a
// receiver's); a damaged item is not an error but lands in InboxScan::damaged.
//
// `open_handoffs` false leaves the hand-offs sealed (only handoff_items counts them): a report
// of the anonymous counts has no reason to open anyone's checklist.
std::optional<InboxScan> scan_inbox(const std::string& db_path, const BoxKeyPair& key,
                                    std::string* error, bool open_handoffs = true);

}  // namespace kiosk::sync
