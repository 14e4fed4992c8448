// SPDX-License-Identifier: GPL-3.0-or-later
// The pull client against a real nginx serving a real repository on 127.0.0.1.
#include "sync/pack_client.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <filesystem>
#include <thread>

#include "core/pack_store.h"
#include "sync/crypto.h"
#include "sync/db.h"
#include "sync/files.h"
#include "sync/repo.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

class PackClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(nginx_.start(repo_.dir(), &error)) << error;
    config_ = test::client_config(kiosk_, nginx_.url(), repo_.public_key_hex());
  }

  SyncResult sync() { return PackClient(config_).sync_once(); }

  // Opens the kiosk's pack store the way a session start does, switching in pending packs.
  std::optional<std::string> start_session() {
    core::PackStore store;
    std::string error;
    EXPECT_TRUE(store.open(config_.pack_store_path, &error)) << error;
    activate_pending_packs(config_, store, &error);
    EXPECT_EQ(error, "");
    return store.active_version("test.sync");
  }

  // The active pack still loads and validates.
  bool active_pack_loads() {
    core::PackStore store;
    std::string error;
    if (!store.open(config_.pack_store_path, &error)) return false;
    auto files = store.active("test.sync", &error);
    return files && core::load_pack(*files).ok();
  }

  size_t installed_versions() {
    core::PackStore store;
    std::string error;
    store.open(config_.pack_store_path, &error);
    return store.list().size();
  }

  std::string manifest_path() const { return repo_.dir() + "/manifest.json"; }

  test::Repo repo_;
  test::Nginx nginx_;
  TempDir kiosk_;
  SyncConfig config_;
};

TEST_F(PackClientTest, InstallsASignedPackAndSwitchesItInAtTheNextSession) {
  repo_.publish("1.0.0");
  SyncResult r = sync();
  ASSERT_EQ(r.outcome, SyncOutcome::Installed) << r.error;
  ASSERT_EQ(r.installed.size(), 1u);
  EXPECT_EQ(r.installed[0].second, "1.0.0");
  {
    core::PackStore store;
    std::string error;
    ASSERT_TRUE(store.open(config_.pack_store_path, &error));
    EXPECT_FALSE(store.active_version("test.sync")) << "nothing switches in mid-session";
  }
  EXPECT_EQ(start_session().value_or(""), "1.0.0");
  EXPECT_TRUE(active_pack_loads());
  EXPECT_EQ(start_session().value_or(""), "1.0.0") << "activation happens once";
}

TEST_F(PackClientTest, AnUnchangedManifestIsAConditional304) {
  repo_.publish("1.0.0");
  PackClient client(config_);
  ASSERT_EQ(client.sync_once().outcome, SyncOutcome::Installed);
  SyncResult again = client.sync_once();
  EXPECT_EQ(again.outcome, SyncOutcome::UpToDate) << again.error;
  // nginx logs a request after answering it: give the log line a moment to appear.
  const std::string line = "\"GET /manifest.json HTTP/1.1\" 304";
  for (int i = 0; i < 100 && nginx_.access_log().find(line) == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_NE(nginx_.access_log().find(line), std::string::npos) << nginx_.access_log();
  SyncStatus st = client.status();
  EXPECT_TRUE(st.online);
  EXPECT_GT(st.last_success, 0);
  EXPECT_EQ(st.last_error, "");
  EXPECT_EQ(st.repo_version, 1);
  EXPECT_GT(st.bytes_downloaded, 0);
}

TEST_F(PackClientTest, ANewVersionKeepsThePreviousOneForRollback) {
  repo_.publish("1.0.0");
  ASSERT_EQ(sync().outcome, SyncOutcome::Installed);
  start_session();
  repo_.publish("1.1.0");
  SyncResult r = sync();
  ASSERT_EQ(r.outcome, SyncOutcome::Installed) << r.error;
  EXPECT_EQ(start_session().value_or(""), "1.1.0");
  core::PackStore store;
  std::string error;
  ASSERT_TRUE(store.open(config_.pack_store_path, &error));
  ASSERT_TRUE(store.rollback("test.sync", &error)) << error;
  EXPECT_EQ(store.active_version("test.sync").value_or(""), "1.0.0");
  EXPECT_TRUE(active_pack_loads());
  EXPECT_EQ(sync().outcome, SyncOutcome::UpToDate);
  EXPECT_EQ(start_session().value_or(""), "1.0.0") << "a later pass must not undo staff's rollback";
}

TEST_F(PackClientTest, ATamperedArchiveIsRefusedAndNothingIsInstalled) {
  RepoManifest m = repo_.publish("1.0.0");
  std::string path = repo_.dir() + "/" + m.packs[0].path;
  std::string bytes = test::read_text(path);
  bytes[bytes.size() / 2] ^= 0x01;
  test::write_text(path, bytes);
  SyncResult r = sync();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("SHA-256 does not match"), std::string::npos) << r.error;
  EXPECT_EQ(installed_versions(), 0u);
  EXPECT_FALSE(fs::exists(config_.download_dir + "/" + m.packs[0].sha256 + ".part"))
      << "a corrupt download is thrown away, not resumed";
}

TEST_F(PackClientTest, AManifestSignedByAnotherKeyIsRefused) {
  repo_.publish("1.0.0");
  config_.trusted_repo_keys_hex = {to_hex(make_sign_keypair().public_key)};
  SyncResult r = sync();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("does not match any trusted key"), std::string::npos) << r.error;
  EXPECT_EQ(installed_versions(), 0u);
}

TEST_F(PackClientTest, AnyOfSeveralPinnedKeysIsAccepted) {
  repo_.publish("1.0.0");
  config_.trusted_repo_keys_hex = {to_hex(make_sign_keypair().public_key), repo_.public_key_hex()};
  EXPECT_EQ(sync().outcome, SyncOutcome::Installed);
}

TEST_F(PackClientTest, AnUnsignedManifestIsRefused) {
  repo_.publish("1.0.0");
  fs::remove(manifest_path() + ".sig");
  SyncResult r = sync();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("unsigned manifest is refused"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("HTTP 404"), std::string::npos) << r.error;
}

TEST_F(PackClientTest, AnEditedManifestFailsTheSignature) {
  repo_.publish("1.0.0");
  std::string json = test::read_text(manifest_path());
  auto at = json.find("\"repo_version\": 1");
  json.replace(at, 17, "\"repo_version\": 9");
  test::write_text(manifest_path(), json);
  SyncResult r = sync();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("signature"), std::string::npos) << r.error;
}

TEST_F(PackClientTest, AReplayedOlderManifestIsRefused) {
  repo_.publish("1.0.0");
  std::string old_json = test::read_text(manifest_path());
  std::string old_sig = test::read_text(manifest_path() + ".sig");
  repo_.publish("1.1.0");
  ASSERT_EQ(sync().outcome, SyncOutcome::Installed);
  EXPECT_EQ(start_session().value_or(""), "1.1.0");
  test::write_text(manifest_path(), old_json);
  test::write_text(manifest_path() + ".sig", old_sig);
  // A fresh mtime gives a fresh nginx ETag, so the replay is really sent (not a 304).
  fs::last_write_time(manifest_path(), fs::file_time_type::clock::now() + std::chrono::seconds(10));
  SyncResult r = sync();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("older than the trusted 2"), std::string::npos) << r.error;
  EXPECT_EQ(start_session().value_or(""), "1.1.0");
}

TEST_F(PackClientTest, TheTrustedVersionLivesInTheStateDatabaseNotInTheDownload) {
  repo_.publish("1.0.0");
  repo_.publish("1.1.0");
  ASSERT_EQ(sync().outcome, SyncOutcome::Installed);
  Db db;
  std::string error;
  ASSERT_TRUE(db.open(config_.state_db_path, kSyncSchema, &error));
  EXPECT_EQ(get_state(db, "repo_version").value_or(""), "2");
}

TEST_F(PackClientTest, AnExpiredManifestIsRefused) {
  const int64_t now = std::time(nullptr);
  repo_.publish("1.0.0", /*expires_days=*/30, /*now=*/now - 31 * 86400);
  SyncResult r = sync();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("expired"), std::string::npos) << r.error;
  EXPECT_EQ(installed_versions(), 0u);
}

TEST_F(PackClientTest, AFrozenMirrorAnswering304ForeverIsReportedOnceTheManifestExpires) {
  const int64_t now = std::time(nullptr);
  repo_.publish("1.0.0", 1, now);
  int64_t clock = now;
  config_.clock = [&clock] { return clock; };
  PackClient client(config_);
  ASSERT_EQ(client.sync_once().outcome, SyncOutcome::Installed);
  clock = now + 2 * 86400;
  SyncResult r = client.sync_once();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("no fresh manifest"), std::string::npos) << r.error;
  EXPECT_NE(client.status().last_error, "");
}

TEST_F(PackClientTest, AClockSetBackCannotMakeAnExpiredManifestValid) {
  const int64_t t = std::time(nullptr);
  int64_t clock = t + 86400;
  config_.clock = [&clock] { return clock; };
  repo_.publish("1.0.0", 5, t);  // published at t: the kiosk's time floor becomes t
  ASSERT_EQ(sync().outcome, SyncOutcome::Installed);
  // A newer-numbered manifest that expired before t, and a kiosk clock set 20 days back.
  repo_.publish("1.1.0", 29, t - 30 * 86400);
  clock = t - 20 * 86400;
  SyncResult r = sync();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("expired"), std::string::npos) << r.error;
}

TEST_F(PackClientTest, AServerErrorLeavesTheKioskOnlineWithAnError) {
  repo_.publish("1.0.0");
  fs::remove(manifest_path());
  PackClient client(config_);
  SyncResult r = client.sync_once();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("HTTP 404"), std::string::npos) << r.error;
  EXPECT_TRUE(client.status().online);
}

TEST_F(PackClientTest, NoServerMeansOfflineAndTheWorkerNeverBlocksTheCaller) {
  repo_.publish("1.0.0");
  nginx_.stop();
  PackClient client(config_);
  client.start();
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 200 && client.status().last_attempt == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  for (int i = 0; i < 500 && client.status().busy; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  SyncStatus st = client.status();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_FALSE(st.online);
  EXPECT_NE(st.last_error, "");
  EXPECT_EQ(st.last_success, 0);
  client.stop();
}

TEST_F(PackClientTest, TheWorkerInstallsInTheBackground) {
  repo_.publish("1.0.0");
  PackClient client(config_);
  client.start();
  for (int i = 0; i < 500 && client.status().last_success == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  client.stop();
  EXPECT_TRUE(client.status().update_pending);
  EXPECT_EQ(start_session().value_or(""), "1.0.0");
}

TEST_F(PackClientTest, AFullDiskDuringInstallLeavesThePreviousPackWorking) {
  // RLIMIT_FSIZE in a child process: every file it writes is capped, as on a nearly full
  // disk (EFBIG instead of ENOSPC; the same failure path). The tmpfs variant is below.
  repo_.publish("1.0.0");
  ASSERT_EQ(sync().outcome, SyncOutcome::Installed);
  start_session();
  repo_.publish("1.1.0", 30, 0, /*padding=*/2 << 20);
  pid_t pid = ::fork();
  if (pid == 0) {
    rlimit lim{256 * 1024, 256 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    ::execl(KIOSK_CRASH_HELPER_BIN, KIOSK_CRASH_HELPER_BIN, "install",
            config_.state_db_path.c_str(), config_.pack_store_path.c_str(),
            config_.download_dir.c_str(), config_.repo_url.c_str(), repo_.public_key_hex().c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << "the helper must report the failure, not crash";
  EXPECT_EQ(start_session().value_or(""), "1.0.0");
  EXPECT_TRUE(active_pack_loads());
  Db db;
  std::string error;
  ASSERT_TRUE(db.open(config_.pack_store_path, nullptr, &error));
  EXPECT_EQ(db.integrity_check(), "ok");
  // With space again, the next pass finishes the job.
  EXPECT_EQ(sync().outcome, SyncOutcome::Installed);
  EXPECT_EQ(start_session().value_or(""), "1.1.0");
}

TEST(PackClientFullDisk, ASmallTmpfsFillingUpDuringInstallLeavesThePreviousPackWorking) {
  TempDir outer;
  const std::string mnt = outer / "small";
  fs::create_directories(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=1m") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                 << "); the RLIMIT_FSIZE variant covers the same path";
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mnt};
  test::Repo repo;
  test::Nginx nginx;
  std::string error;
  ASSERT_TRUE(nginx.start(repo.dir(), &error)) << error;
  SyncConfig c;
  c.repo_url = nginx.url();
  c.trusted_repo_keys_hex = {repo.public_key_hex()};
  c.state_db_path = mnt + "/state.db";
  c.pack_store_path = mnt + "/packs.db";
  c.download_dir = mnt + "/downloads";
  repo.publish("1.0.0");
  ASSERT_EQ(PackClient(c).sync_once().outcome, SyncOutcome::Installed);
  {
    core::PackStore store;
    ASSERT_TRUE(store.open(c.pack_store_path, &error)) << error;
    activate_pending_packs(c, store, &error);
  }
  repo.publish("1.1.0", 30, 0, /*padding=*/3 << 20);  // larger than the whole file system
  SyncResult r = PackClient(c).sync_once();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("No space left on device"), std::string::npos) << r.error;
  core::PackStore store;
  ASSERT_TRUE(store.open(c.pack_store_path, &error)) << error;
  EXPECT_EQ(store.active_version("test.sync").value_or(""), "1.0.0");
  auto files = store.active("test.sync", &error);
  ASSERT_TRUE(files) << error;
  EXPECT_TRUE(core::load_pack(*files).ok());
  Db db;
  ASSERT_TRUE(db.open(c.pack_store_path, nullptr, &error));
  EXPECT_EQ(db.integrity_check(), "ok");
}

}  // namespace
}  // namespace kiosk::sync

namespace kiosk::sync {
namespace {

// TLS against nginx with a self-signed certificate for 127.0.0.1.
class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pin_ = test::make_loopback_certificate(certs_.path());
    ASSERT_NE(pin_, "") << "openssl could not make a test certificate";
    std::string error;
    ASSERT_TRUE(nginx_.start(repo_.dir(), &error, certs_ / "cert.pem", certs_ / "key.pem"))
        << error;
    repo_.publish("1.0.0");
    config_ = test::client_config(kiosk_, nginx_.url(), repo_.public_key_hex());
  }
  test::TempDir certs_, kiosk_;
  test::Repo repo_;
  test::Nginx nginx_;
  SyncConfig config_;
  std::string pin_;
};

TEST_F(TlsTest, VerificationIsOnWithTheSystemStore) {
  SyncResult r = PackClient(config_).sync_once();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("certificate"), std::string::npos) << r.error;
}

TEST_F(TlsTest, AConfiguredCaIsTrusted) {
  config_.ca_file = certs_ / "cert.pem";
  SyncResult r = PackClient(config_).sync_once();
  EXPECT_EQ(r.outcome, SyncOutcome::Installed) << r.error;
}

TEST_F(TlsTest, APinnedKeyMustMatch) {
  config_.ca_file = certs_ / "cert.pem";
  config_.tls_pinned_public_key = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  SyncResult wrong = PackClient(config_).sync_once();
  EXPECT_EQ(wrong.outcome, SyncOutcome::Failed);
  EXPECT_NE(wrong.error.find("public key"), std::string::npos) << wrong.error;
  config_.tls_pinned_public_key = pin_;
  SyncResult right = PackClient(config_).sync_once();
  EXPECT_EQ(right.outcome, SyncOutcome::Installed) << right.error;
}

}  // namespace
}  // namespace kiosk::sync
