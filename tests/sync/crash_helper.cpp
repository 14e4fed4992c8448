// SPDX-License-Identifier: GPL-3.0-or-later
// sync_crash_helper: the "syncing process" that crash_test.cpp kills with SIGKILL at random
// points, and that the full-disk test runs under RLIMIT_FSIZE.
//
//   sync_crash_helper install STATE_DB PACK_DB DOWNLOAD_DIR REPO_URL PUBKEY_HEX
//       one pull pass, then switches in what it installed (as a session start would)
//   sync_crash_helper deliver STATE_DB OUTBOX_URL
//       delivers until the outbox holds nothing due
// Exit status: 0 success, 1 the pass reported an error (printed on stderr), 2 usage.
#include <signal.h>

#include <cstdio>
#include <string>

#include "core/pack_store.h"
#include "sync/outbox.h"
#include "sync/pack_client.h"

using namespace kiosk::sync;

namespace {

int install(char** argv) {
  SyncConfig c;
  c.state_db_path = argv[2];
  c.pack_store_path = argv[3];
  c.download_dir = argv[4];
  c.repo_url = argv[5];
  c.trusted_repo_keys_hex = {argv[6]};
  c.connect_timeout_s = 3;
  c.low_speed_time_s = 3;
  PackClient client(c);
  SyncResult r = client.sync_once();
  if (r.outcome == SyncOutcome::Failed) {
    std::fprintf(stderr, "sync: %s\n", r.error.c_str());
    return 1;
  }
  kiosk::core::PackStore store;
  std::string error;
  if (!store.open(c.pack_store_path, &error)) {
    std::fprintf(stderr, "pack store: %s\n", error.c_str());
    return 1;
  }
  activate_pending_packs(c, store, &error);
  if (!error.empty()) {
    std::fprintf(stderr, "activate: %s\n", error.c_str());
    return 1;
  }
  return 0;
}

int deliver(char** argv) {
  SyncConfig c;
  c.state_db_path = argv[2];
  c.outbox_url = argv[3];
  c.backoff_base_s = 0;  // retry at once: the test wants every item through
  c.connect_timeout_s = 3;
  Outbox outbox(c);
  std::string error;
  if (!outbox.open(&error)) {
    std::fprintf(stderr, "outbox: %s\n", error.c_str());
    return 1;
  }
  for (int round = 0; round < 50 && outbox.status().pending > 0; ++round) outbox.deliver_due(1000);
  return outbox.status().pending == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGXFSZ, SIG_IGN);  // under RLIMIT_FSIZE a write must fail with EFBIG, not kill us
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "install" && argc == 7) return install(argv);
  if (mode == "deliver" && argc == 4) return deliver(argv);
  std::fprintf(
      stderr,
      "usage: sync_crash_helper install STATE_DB PACK_DB DOWNLOAD_DIR REPO_URL PUBKEY_HEX\n"
      "       sync_crash_helper deliver STATE_DB OUTBOX_URL\n");
  return 2;
}
