// SPDX-License-Identifier: GPL-3.0-or-later
// CountsKeeper: the kiosk's side of anonymous counts (core/counts.h, docs/counts.md).
//
// A visit's marginal cells are added to the day's counts in memory. They reach the state
// database only in batches of at least k visits (a copy of the disk taken between two visits
// then shows the sum of five or more visits, never one), always as the day's aggregate: one
// row per cell, no row per visit. Once a day is over, its counts are released (noise, then
// withholding, over the whole domain) and queued as one "counts" item in the outbox, and the
// day's rows are deleted in the same transaction. The raw counts never leave the kiosk.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "core/counts.h"
#include "sync/db.h"
#include "sync/outbox.h"

namespace kiosk::sync {

class CountsKeeper {
 public:
  // `office`: the name the agency knows this kiosk's office by (KIOSK_OFFICE).
  CountsKeeper(SyncConfig config, Outbox& outbox, std::string office,
               core::ReleaseOptions options = {});

  bool open(std::string* error);

  // A visit ended on `today` with this pack running. Closes earlier days first.
  void add_visit(const core::VisitRecord& visit, const core::Pack& pack, core::Date today);

  // Releases and queues every day before `today` that has counts (at start, and whenever a
  // visit ends or staff look). Returns how many days were queued; *error on a failure (the
  // day's counts then stay for the next try).
  int close_days_before(core::Date today, const core::Pack& pack, std::string* error);

  // Today's counts so far (what is in memory plus what was written), for the staff screen.
  core::DayCounts counts_of(core::Date day);

 private:
  bool write_unwritten(std::string* error);  // under mutex_

  SyncConfig config_;
  Outbox& outbox_;
  std::string office_;
  core::ReleaseOptions options_;
  Db db_;
  std::mutex mutex_;
  std::string unwritten_day_;  // the day of `unwritten_` ("" when empty)
  core::DayCounts unwritten_;  // not yet in the database
  int unwritten_visits_ = 0;
};

// Random64 from libsodium's CSPRNG (what the releases use on a kiosk).
uint64_t secure_random64();

}  // namespace kiosk::sync
