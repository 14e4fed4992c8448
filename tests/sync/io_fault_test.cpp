// SPDX-License-Identifier: GPL-3.0-or-later
// I/O errors in the syncing process (issue 14): the pack store and the outbox under a disk
// that fails. tests/sync/io_fault_shim.c, preloaded into sync_crash_helper, makes the N-th
// write()/pwrite()/writev()/fsync()/fdatasync() on a regular file and every later one fail
// with EIO or ENOSPC, for N spread over every such call of an undisturbed run. After each
// run: both SQLite files pass PRAGMA integrity_check, a pack is active and loads, every
// outbox item is pending or stored exactly once; then a run on a good disk recovers.
// KIOSK_IO_FAULT_POINTS sets the number of points per phase and errno (default 8).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/pack_store.h"
#include "sync/crypto.h"
#include "sync/db.h"
#include "sync/outbox.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

int fault_points() {
  const char* v = std::getenv("KIOSK_IO_FAULT_POINTS");
  return v ? std::max(1, std::atoi(v)) : 8;
}

// Runs argv with the shim: failing from call `fail_at` on (0: never), with `err`; returns
// the exit status and, in *calls, how many calls the shim saw.
int run_with_shim(const std::vector<std::string>& argv, long fail_at, int err, long* calls,
                  const TempDir& dir) {
  const std::string count_file = dir / "io-calls";
  ::setenv("LD_PRELOAD", KIOSK_IO_FAULT_SHIM, 1);
  ::setenv("KIOSK_IO_FAIL_AT", std::to_string(fail_at).c_str(), 1);
  ::setenv("KIOSK_IO_FAIL_ERRNO", std::to_string(err).c_str(), 1);
  ::setenv("KIOSK_IO_COUNT_FILE", count_file.c_str(), 1);
  // The shim comes before the sanitizer runtime in the preload list.
  const char* old_asan = std::getenv("ASAN_OPTIONS");
  const std::string saved = old_asan ? old_asan : "";
  ::setenv("ASAN_OPTIONS",
           (saved + (saved.empty() ? "" : ":") + "verify_asan_link_order=0").c_str(), 1);
  const int rc = test::run_and_wait(argv);
  ::unsetenv("LD_PRELOAD");
  ::unsetenv("KIOSK_IO_FAIL_AT");
  ::unsetenv("KIOSK_IO_FAIL_ERRNO");
  ::unsetenv("KIOSK_IO_COUNT_FILE");
  if (old_asan)
    ::setenv("ASAN_OPTIONS", saved.c_str(), 1);
  else
    ::unsetenv("ASAN_OPTIONS");
  if (calls) {
    std::ifstream in(count_file);
    *calls = -1;
    in >> *calls;
  }
  return rc;
}

std::string integrity(const std::string& path) {
  Db db;
  std::string error;
  if (!db.open(path, nullptr, &error)) return error;
  return db.integrity_check();
}

void copy_db(const std::string& from, const std::string& to) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(to + suffix);
    if (fs::exists(from + suffix)) fs::copy_file(from + suffix, to + suffix);
  }
}

// Points 1..calls, `n` of them spread evenly (the first and last included).
std::vector<long> spread(long calls, int n) {
  std::set<long> out;
  for (int i = 0; i < n; ++i) out.insert(1 + (calls - 1) * i / std::max(1, n - 1));
  return {out.begin(), out.end()};
}

TEST(IoErrors, DuringInstallThePackStoreStaysWholeAndThePreviousPackLoads) {
  test::Repo repo;
  test::Nginx nginx;
  std::string error;
  ASSERT_TRUE(nginx.start(repo.dir(), &error)) << error;
  TempDir template_dir, work;
  auto argv_for = [&](const TempDir& d) {
    return std::vector<std::string>{KIOSK_CRASH_HELPER_BIN, "install",       d / "state.db",
                                    d / "packs.db",         d / "downloads", nginx.url(),
                                    repo.public_key_hex()};
  };
  repo.publish("1.0.0");
  ASSERT_EQ(test::run_and_wait(argv_for(template_dir)), 0);
  repo.publish("1.1.0", 30, 0, /*padding=*/64 << 10);
  auto reset = [&] {
    copy_db(template_dir / "state.db", work / "state.db");
    copy_db(template_dir / "packs.db", work / "packs.db");
    fs::remove_all(work / "downloads");
  };
  reset();
  long calls = 0;
  ASSERT_EQ(run_with_shim(argv_for(work), 0, 5, &calls, work), 0);
  ASSERT_GT(calls, 0) << "the shim saw no writes: is it preloaded?";
  std::printf("an undisturbed install makes %ld write/fsync calls on files\n", calls);
  int failed_runs = 0, old_active = 0, corrupt = 0;
  for (int err : {5 /* EIO */, 28 /* ENOSPC */}) {
    for (long at : spread(calls, fault_points())) {
      SCOPED_TRACE("errno " + std::to_string(err) + ", failing from call " + std::to_string(at));
      reset();
      if (run_with_shim(argv_for(work), at, err, nullptr, work) != 0) ++failed_runs;
      if (integrity(work / "packs.db") != "ok" || integrity(work / "state.db") != "ok") ++corrupt;
      ASSERT_EQ(integrity(work / "packs.db"), "ok");
      ASSERT_EQ(integrity(work / "state.db"), "ok");
      {
        core::PackStore store;
        ASSERT_TRUE(store.open(work / "packs.db", &error)) << error;
        auto active = store.active_version("test.sync");
        ASSERT_TRUE(active) << "no active pack";
        auto files = store.active("test.sync", &error);
        ASSERT_TRUE(files && core::load_pack(*files).ok()) << "the active pack does not load";
        if (*active == "1.0.0") ++old_active;
      }
      // The disk is good again: the next run finishes the update.
      ASSERT_EQ(test::run_and_wait(argv_for(work)), 0) << "recovery failed";
      core::PackStore store;
      ASSERT_TRUE(store.open(work / "packs.db", &error));
      ASSERT_EQ(store.active_version("test.sync").value_or(""), "1.1.0");
    }
  }
  std::printf("install I/O errors: %d runs failed, %d left 1.0.0 active, %d corrupt stores\n",
              failed_runs, old_active, corrupt);
  EXPECT_GT(failed_runs, 0) << "no injected error made a run fail: the shim did nothing";
}

TEST(IoErrors, DuringDeliveryNoItemIsLostOrDoubled) {
  TempDir dir;
  test::Receiver receiver;
  std::string error;
  ASSERT_TRUE(receiver.start(dir / "receiver.db", &error)) << error;
  BoxKeyPair agency = make_box_keypair();
  SyncConfig c;
  c.state_db_path = dir / "state.db";
  c.agency_box_public_key_hex = to_hex(agency.public_key);
  std::map<std::string, std::string> sent;
  auto enqueue_batch = [&](int n) {
    Outbox outbox(c);
    ASSERT_TRUE(outbox.open(&error)) << error;
    for (int i = 0; i < n; ++i) {
      std::string text = "item " + std::to_string(sent.size());
      std::string copy = text;
      auto key = outbox.enqueue("count", copy, true, &error);
      ASSERT_TRUE(key) << error;
      sent[*key] = text;
    }
  };
  const std::vector<std::string> argv = {KIOSK_CRASH_HELPER_BIN, "deliver", dir / "state.db",
                                         receiver.url()};
  enqueue_batch(10);
  long calls = 0;
  ASSERT_EQ(run_with_shim(argv, 0, 5, &calls, dir), 0);
  ASSERT_GT(calls, 0);
  std::printf("an undisturbed delivery of 10 items makes %ld write/fsync calls on files\n", calls);
  int failed_runs = 0;
  for (int err : {5, 28}) {
    for (long at : spread(calls, fault_points())) {
      SCOPED_TRACE("errno " + std::to_string(err) + ", failing from call " + std::to_string(at));
      enqueue_batch(10);
      if (run_with_shim(argv, at, err, nullptr, dir) != 0) ++failed_runs;
      ASSERT_EQ(integrity(dir / "state.db"), "ok");
      std::set<std::string> pending;
      {
        Db db;
        ASSERT_TRUE(db.open(dir / "state.db", kSyncSchema, &error)) << error;
        Stmt s(db.handle(), "SELECT idem_key FROM outbox");
        while (s.step()) pending.insert(s.text(0));
      }
      std::map<std::string, int> stored;
      {
        Db db;
        ASSERT_TRUE(db.open(dir / "receiver.db", nullptr, &error));
        Stmt s(db.handle(), "SELECT idem_key, count(*) FROM items GROUP BY idem_key");
        while (s.step()) stored[s.text(0)] = static_cast<int>(s.int64(1));
      }
      for (const auto& [key, text] : sent) {
        ASSERT_TRUE(pending.count(key) || stored.count(key)) << "item lost";
        ASSERT_LE(stored[key], 1) << "stored twice";
      }
    }
  }
  ASSERT_EQ(test::run_and_wait(argv), 0);
  Db db;
  ASSERT_TRUE(db.open(dir / "receiver.db", nullptr, &error));
  Stmt s(db.handle(), "SELECT idem_key, body FROM items");
  size_t rows = 0;
  while (s.step()) {
    ++rows;
    ASSERT_EQ(unseal(s.blob(1), agency).value_or("?"), sent[s.text(0)]);
  }
  EXPECT_EQ(rows, sent.size()) << "every item delivered exactly once after the disk recovers";
  std::printf("delivery I/O errors: %d runs failed, %zu items, 0 lost, 0 doubled\n", failed_runs,
              sent.size());
  EXPECT_GT(failed_runs, 0);
}

}  // namespace
}  // namespace kiosk::sync
