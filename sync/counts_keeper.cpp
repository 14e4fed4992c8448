// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/counts_keeper.h"

#include <sodium.h>

#include "sync/crypto.h"

namespace kiosk::sync {

uint64_t secure_random64() {
  uint64_t v = 0;
  randombytes_buf(&v, sizeof v);
  return v;
}

CountsKeeper::CountsKeeper(SyncConfig config, Outbox& outbox, std::string office,
                           core::ReleaseOptions options)
    : config_(std::move(config)), outbox_(outbox), office_(std::move(office)), options_(options) {}

bool CountsKeeper::open(std::string* error) {
  if (!crypto_ready()) {
    *error = "libsodium failed to initialise";
    return false;
  }
  std::lock_guard lock(mutex_);
  // secure_delete: a released day's rows are overwritten, not only unlinked from the b-tree.
  return db_.open(config_.state_db_path, kSyncSchema, error) &&
         db_.exec("PRAGMA secure_delete=ON", error);
}

bool CountsKeeper::write_unwritten(std::string* error) {
  if (unwritten_.empty()) return true;
  if (!db_.exec("BEGIN IMMEDIATE", error)) return false;
  for (const auto& [cell, n] : unwritten_) {
    Stmt up(db_.handle(),
            "INSERT INTO counts (day, cell, n) VALUES (?, ?, ?) "
            "ON CONFLICT (day, cell) DO UPDATE SET n = n + excluded.n");
    up.bind(1, unwritten_day_).bind(2, cell).bind(3, n);
    if (!up.done()) {
      *error = "counts: " + up.error();
      db_.exec("ROLLBACK");
      return false;
    }
  }
  if (!db_.exec("COMMIT", error)) {
    db_.exec("ROLLBACK");
    return false;
  }
  unwritten_.clear();
  unwritten_day_.clear();
  unwritten_visits_ = 0;
  return true;
}

void CountsKeeper::add_visit(const core::VisitRecord& visit, const core::Pack& pack,
                             core::Date today) {
  std::string error;
  close_days_before(today, pack, &error);
  if (core::visit_cells(visit).empty()) return;
  std::lock_guard lock(mutex_);
  const std::string day = today.to_string();
  if (!unwritten_day_.empty() && unwritten_day_ != day) write_unwritten(&error);
  unwritten_day_ = day;
  core::add_visit(unwritten_, visit);
  // Only batches of k or more visits reach the disk (see the header).
  if (++unwritten_visits_ >= options_.k) write_unwritten(&error);
}

int CountsKeeper::close_days_before(core::Date today, const core::Pack& pack, std::string* error) {
  std::lock_guard lock(mutex_);
  const std::string cutoff = today.to_string();
  // What is held in memory for a closed day goes into its release (the day is over: no later
  // visit can be told apart from it any more).
  if (!unwritten_day_.empty() && unwritten_day_ < cutoff && !write_unwritten(error)) return 0;
  std::vector<std::string> days;
  {
    Stmt s(db_.handle(), "SELECT DISTINCT day FROM counts WHERE day < ? ORDER BY day");
    s.bind(1, cutoff);
    while (s.step()) days.push_back(s.text(0));
  }
  int queued = 0;
  for (const std::string& day : days) {
    auto date = core::Date::parse(day);
    core::DayCounts counts;
    {
      Stmt s(db_.handle(), "SELECT cell, n FROM counts WHERE day = ?");
      s.bind(1, day);
      while (s.step()) counts[s.text(0)] = s.int64(1);
    }
    if (!date) continue;  // not written by this code; left alone
    core::CountsRelease release =
        core::release_counts(counts, pack, office_, *date, options_, secure_random64);
    std::string json = core::counts_json(release);
    // Consent is the office's: it turned counts on (KIOSK_COUNTS=on) and the welcome screen
    // says so. The day's rows go in the same commit that queues its release.
    auto queued_key = outbox_.enqueue(
        "counts", json, /*consent=*/true, error, [&day](Db& outbox_db, std::string* err) {
          Stmt del(outbox_db.handle(), "DELETE FROM counts WHERE day = ?");
          del.bind(1, day);
          if (del.done()) return true;
          *err = "counts: " + del.error();
          return false;
        });
    if (!queued_key) return queued;
    ++queued;
  }
  return queued;
}

core::DayCounts CountsKeeper::counts_of(core::Date day) {
  std::lock_guard lock(mutex_);
  core::DayCounts out;
  Stmt s(db_.handle(), "SELECT cell, n FROM counts WHERE day = ?");
  s.bind(1, day.to_string());
  while (s.step()) out[s.text(0)] = s.int64(1);
  if (unwritten_day_ == day.to_string())
    for (const auto& [cell, n] : unwritten_) out[cell] += n;
  return out;
}

}  // namespace kiosk::sync
