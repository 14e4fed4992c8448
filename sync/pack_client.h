// SPDX-License-Identifier: GPL-3.0-or-later
// PackClient: pulls signed pack updates from the repository (docs/sync-protocol.md).
//
// sync_once() does one pass on the calling thread; start() runs passes on a worker thread
// every poll_interval_s, so the UI never waits on the network. The UI reads status(), a
// small copy taken under a mutex, once per frame.
//
// A pass: conditional GET of manifest.json (ETag) -> GET manifest.json.sig -> Ed25519
// check against the pinned keys -> refuse expired, older or replayed manifests (the last
// trusted repo_version lives in the local state database, never in downloaded content) ->
// for each pack not yet installed: resumable download, size and SHA-256 check, archive
// parse, core::load_pack, core::PackStore::install (one SQLite transaction) -> the new
// version is marked pending and switched in by activate_pending_packs() at the next
// session start. The previous version stays installed for `kioskctl pack rollback`.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sync/config.h"

namespace kiosk::core {
class PackStore;
}

namespace kiosk::sync {

struct SyncStatus {
  bool online = false;       // the last request reached the server
  bool busy = false;         // a pass is running
  int64_t last_success = 0;  // Unix seconds of the last pass that completed; 0 = never
  int64_t last_attempt = 0;
  std::string last_error;        // empty after a successful pass; never contains user data
  int64_t bytes_downloaded = 0;  // body bytes received since start
  int64_t repo_version = 0;      // last trusted manifest version
  // A pass installed a version that activate_pending() has not switched in yet.
  bool update_pending = false;
};

enum class SyncOutcome { UpToDate, Installed, Failed };

struct SyncResult {
  SyncOutcome outcome = SyncOutcome::Failed;
  std::vector<std::pair<std::string, std::string>> installed;  // (id, version)
  std::string error;
};

class PackClient {
 public:
  explicit PackClient(SyncConfig config);
  ~PackClient();
  PackClient(const PackClient&) = delete;
  PackClient& operator=(const PackClient&) = delete;

  // One pass on the calling thread.
  SyncResult sync_once();

  void start();     // worker thread: a pass now, then every poll_interval_s
  void sync_now();  // wakes the worker for a pass as soon as possible
  void stop();      // aborts a transfer in flight and joins the worker
  SyncStatus status() const;

  // Between visits, on the thread that owns `store`: activate_pending_packs(), then clears
  // status().update_pending unless a version is still waiting (it failed to switch in for a
  // reason other than a bad mark) or a pass installed another meanwhile. Returns what was
  // switched in; failures are appended to *error.
  std::vector<std::pair<std::string, std::string>> activate_pending(core::PackStore& store,
                                                                    std::string* error);

 private:
  SyncResult run_pass();
  void worker();
  void set_error(const std::string& error, bool online);

  SyncConfig config_;
  std::atomic<bool> cancel_{false};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool wake_requested_ = false;
  bool stopping_ = false;
  SyncStatus status_;
  uint64_t install_passes_ = 0;  // passes that installed something; guarded by mutex_
  std::thread thread_;
};

// At session start, on the thread that owns `store`: activates every pack version that a
// pass installed since the last session. Returns what was switched in; failures are appended
// to *error (the previous version stays active). A failed version stays pending and is tried
// again, except one marked bad (core::PackStore::mark_bad): it is no longer waited for, and
// staff switch it in with `kioskctl pack activate --retry` once the cause is fixed.
std::vector<std::pair<std::string, std::string>> activate_pending_packs(const SyncConfig& config,
                                                                        core::PackStore& store,
                                                                        std::string* error);

}  // namespace kiosk::sync
