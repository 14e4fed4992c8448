// SPDX-License-Identifier: GPL-3.0-or-later
// kill -9 of the syncing process at random points, during install and during delivery.
// After every kill: the previous (or the new) pack loads, both SQLite files pass
// PRAGMA integrity_check, and every outbox item is in exactly one place: pending in the
// outbox, or stored once by the receiver (a copy in both is allowed only until the next
// delivery, which the receiver acknowledges as a duplicate). KIOSK_KILL_POINTS sets the
// number of kills per phase (default 40; the soak uses 200).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "core/pack_store.h"
#include "sync/crypto.h"
#include "sync/db.h"
#include "sync/outbox.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;
using test::TempDir;

int kill_points() {
  const char* v = std::getenv("KIOSK_KILL_POINTS");
  return v ? std::max(1, std::atoi(v)) : 40;
}

// Runs argv to completion; returns how long it took.
microseconds timed_run(const std::vector<std::string>& argv, int* exit_code) {
  auto t0 = steady_clock::now();
  *exit_code = test::run_and_wait(argv);
  return duration_cast<microseconds>(steady_clock::now() - t0);
}

// Starts argv and SIGKILLs it after `delay` (it may have finished by then).
void run_and_kill(const std::vector<std::string>& argv, microseconds delay) {
  pid_t pid = test::spawn(argv);
  std::this_thread::sleep_for(delay);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
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

TEST(KillNine, DuringInstallThePreviousPackAlwaysLoads) {
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
  int rc = 0;
  timed_run(argv_for(template_dir), &rc);
  ASSERT_EQ(rc, 0) << "the template install must succeed";
  repo.publish("1.1.0", 30, 0,
               /*padding=*/512 << 10);  // a bigger archive: a longer window to die in

  // How long an undisturbed install of 1.1.0 takes, on a copy.
  copy_db(template_dir / "state.db", work / "state.db");
  copy_db(template_dir / "packs.db", work / "packs.db");
  microseconds full = timed_run(argv_for(work), &rc);
  ASSERT_EQ(rc, 0);
  std::printf("an undisturbed install takes %lld us\n", static_cast<long long>(full.count()));

  std::mt19937 rng(12345);
  std::uniform_int_distribution<int64_t> when(0, full.count() * 11 / 10);
  int saw_old = 0, saw_new = 0;
  for (int i = 0; i < kill_points(); ++i) {
    copy_db(template_dir / "state.db", work / "state.db");
    copy_db(template_dir / "packs.db", work / "packs.db");
    fs::remove_all(work / "downloads");
    run_and_kill(argv_for(work), microseconds(when(rng)));

    ASSERT_EQ(integrity(work / "packs.db"), "ok") << "kill " << i;
    ASSERT_EQ(integrity(work / "state.db"), "ok") << "kill " << i;
    {
      core::PackStore store;
      ASSERT_TRUE(store.open(work / "packs.db", &error)) << error;
      auto active = store.active_version("test.sync");
      ASSERT_TRUE(active) << "kill " << i << ": no active pack";
      auto files = store.active("test.sync", &error);
      ASSERT_TRUE(files && core::load_pack(*files).ok())
          << "kill " << i << ": active pack does not load";
      (*active == "1.0.0" ? saw_old : saw_new)++;
    }
    // The next run recovers: it finishes the install and switches it in.
    ASSERT_EQ(test::run_and_wait(argv_for(work)), 0) << "kill " << i << ": recovery failed";
    core::PackStore store;
    ASSERT_TRUE(store.open(work / "packs.db", &error));
    ASSERT_EQ(store.active_version("test.sync").value_or(""), "1.1.0") << "kill " << i;
  }
  std::printf("install kills: %d left 1.0.0 active, %d already 1.1.0\n", saw_old, saw_new);
  EXPECT_GT(saw_old, 0) << "no kill landed before the switch: the window is not covered";
}

TEST(KillNine, DuringDeliveryEveryItemIsInExactlyOnePlace) {
  TempDir dir;
  test::Receiver receiver;
  std::string error;
  ASSERT_TRUE(receiver.start(dir / "receiver.db", &error)) << error;
  BoxKeyPair agency = make_box_keypair();
  SyncConfig c;
  c.state_db_path = dir / "state.db";
  c.agency_box_public_key_hex = to_hex(agency.public_key);
  std::map<std::string, std::string> sent;  // key -> plaintext
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

  enqueue_batch(20);
  int rc = 0;
  microseconds full = timed_run(argv, &rc);
  ASSERT_EQ(rc, 0);
  std::printf("an undisturbed delivery of 20 items takes %lld us\n",
              static_cast<long long>(full.count()));
  std::mt19937 rng(54321);
  std::uniform_int_distribution<int64_t> when(0, full.count() * 12 / 10);
  for (int i = 0; i < kill_points(); ++i) {
    enqueue_batch(20);
    run_and_kill(argv, microseconds(when(rng)));

    ASSERT_EQ(integrity(dir / "state.db"), "ok") << "kill " << i;
    std::set<std::string> pending;
    {
      Db db;
      ASSERT_TRUE(db.open(dir / "state.db", kSyncSchema, &error));
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
      ASSERT_TRUE(pending.count(key) || stored.count(key)) << "kill " << i << ": item lost";
      ASSERT_LE(stored[key], 1) << "kill " << i << ": stored twice";
    }
    for (const auto& [key, n] : stored) ASSERT_TRUE(sent.count(key)) << "unknown key " << key;
  }
  // Recovery: everything arrives, once, and opens to what was queued.
  ASSERT_EQ(test::run_and_wait(argv), 0);
  Db db;
  ASSERT_TRUE(db.open(dir / "receiver.db", nullptr, &error));
  Stmt s(db.handle(), "SELECT idem_key, body FROM items");
  size_t rows = 0;
  while (s.step()) {
    ++rows;
    ASSERT_EQ(unseal(s.blob(1), agency).value_or("?"), sent[s.text(0)]);
  }
  EXPECT_EQ(rows, sent.size());
  Outbox outbox(c);
  ASSERT_TRUE(outbox.open(&error));
  EXPECT_EQ(outbox.status().pending, 0);
  EXPECT_EQ(integrity(dir / "receiver.db"), "ok");
}

}  // namespace
}  // namespace kiosk::sync
