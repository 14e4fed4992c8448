// SPDX-License-Identifier: GPL-3.0-or-later
// `kioskctl repo ...` and `kioskctl outbox ...` as staff run them: exit codes and files.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "core/pack_store.h"
#include "sync/crypto.h"
#include "sync/files.h"
#include "sync/manifest.h"
#include "sync/outbox.h"
#include "sync/pack_client.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

#ifdef KIOSK_KIOSKCTL_BIN

struct CliRun {
  int code = -1;
  std::string out;
};

CliRun kioskctl(const std::string& args) {
  CliRun r;
  std::string cmd = std::string(KIOSK_KIOSKCTL_BIN) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(KioskctlSync, KeygenThenPublishBuildsASignedRepository) {
  test::TempDir dir;
  CliRun keygen = kioskctl("repo keygen --out " + dir / "keys");
  ASSERT_EQ(keygen.code, 0) << keygen.out;
  struct stat st {};
  ASSERT_EQ(::stat((dir / "keys/repo.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  test::write_pack_dir(dir / "pack", test::test_pack("2.0.0"));
  CliRun publish = kioskctl("repo publish --key " + dir / "keys/repo.key" + " --packs " +
                            dir / "pack" + " --out " + dir / "repo" + " --expires-days 7");
  ASSERT_EQ(publish.code, 0) << publish.out;
  EXPECT_NE(publish.out.find("published repo_version 1"), std::string::npos) << publish.out;
  EXPECT_NE(publish.out.find("test.sync 2.0.0"), std::string::npos) << publish.out;
  std::string error;
  auto json = read_file(dir / "repo/manifest.json", 1 << 20, &error);
  auto sig = read_file(dir / "repo/manifest.json.sig", 1024, &error);
  auto pub = read_file(dir / "keys/repo.pub", 1024, &error);
  ASSERT_TRUE(json && sig && pub);
  EXPECT_TRUE(verify_detached(*json, *sig, *from_hex(pub->substr(0, 64), 32)));
  auto m = parse_manifest(*json, &error);
  ASSERT_TRUE(m) << error;
  EXPECT_LE(m->expires - m->published, 7 * 86400);
  CliRun again = kioskctl("repo keygen --out " + dir / "keys");
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.out.find("refusing to overwrite"), std::string::npos) << again.out;
}

TEST(KioskctlSync, PublishReportsABrokenPackAndWritesNoManifest) {
  test::TempDir dir;
  ASSERT_EQ(kioskctl("repo keygen --out " + dir / "keys").code, 0);
  core::PackFiles files = test::test_pack("1.0.0");
  files["questions.yaml"] = "questions: [ {id: 1bad} ]\n";
  test::write_pack_dir(dir / "pack", files);
  CliRun publish = kioskctl("repo publish --key " + dir / "keys/repo.key" + " --packs " +
                            dir / "pack" + " --out " + dir / "repo");
  EXPECT_EQ(publish.code, 1);
  EXPECT_NE(publish.out.find("questions.yaml:"), std::string::npos) << publish.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "repo/manifest.json"));
}

TEST(KioskctlSync, OutboxStatusShowsParkedItemsAndRequeueWorks) {
  test::TempDir dir;
  SyncConfig c;
  c.state_db_path = dir / "state.db";
  c.agency_box_public_key_hex = to_hex(make_box_keypair().public_key);
  c.outbox_url = "http://127.0.0.1:" + std::to_string(test::free_loopback_port()) + "/";
  std::string key;
  {
    test::FaultServer server;
    server.start([](int fd, const test::Request&, int) {
      test::FaultServer::send_all(fd,
                                  test::FaultServer::response_head(403, {{"Content-Length", "0"}}));
    });
    c.outbox_url = server.url("v1/outbox");
    Outbox outbox(c);
    std::string error;
    ASSERT_TRUE(outbox.open(&error)) << error;
    std::string payload = "x";
    key = outbox.enqueue("handoff", payload, true, &error).value_or("");
    outbox.deliver_due();
  }
  CliRun status = kioskctl("outbox status --db " + dir / "state.db");
  ASSERT_EQ(status.code, 0) << status.out;
  EXPECT_NE(status.out.find("parked:  1"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("parked " + key), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("HTTP 403"), std::string::npos) << status.out;
  EXPECT_EQ(kioskctl("outbox requeue --db " + dir / "state.db" + " " + key).code, 0);
  EXPECT_NE(kioskctl("outbox status --db " + dir / "state.db").out.find("pending: 1"),
            std::string::npos);
  CliRun missing = kioskctl("outbox status --db " + dir / "nope.db");
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.out.find("no such file"), std::string::npos) << missing.out;
}

TEST(KioskctlSync, OutboxKeygenCreatesTheFolderAndNeverOverwritesAKey) {
  test::TempDir dir;
  const std::string keys = dir / "agency/keys";
  CliRun first = kioskctl("outbox keygen --out " + keys);
  ASSERT_EQ(first.code, 0) << first.out;
  const std::string pub = test::read_text(keys + "/agency.pub");
  const std::string secret = test::read_text(keys + "/agency.key");
  ASSERT_EQ(secret.size(), 65u);
  EXPECT_TRUE(from_hex(secret.substr(0, 64), 32));
  EXPECT_NE(first.out.find("public key (KIOSK_AGENCY_KEY of the kiosks): " + pub.substr(0, 64)),
            std::string::npos)
      << first.out;
  struct stat st {};
  ASSERT_EQ(::stat((keys + "/agency.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  CliRun again = kioskctl("outbox keygen --out " + keys);
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.out.find("refusing to overwrite a key"), std::string::npos) << again.out;
  EXPECT_EQ(test::read_text(keys + "/agency.key"), secret) << "the old key still opens old items";
}

TEST(KioskctlSync, PackRollbackReturnsToTheVersionSyncKept) {
  test::Repo repo;
  test::Nginx nginx;
  test::TempDir kiosk;
  std::string error;
  ASSERT_TRUE(nginx.start(repo.dir(), &error)) << error;
  SyncConfig c = test::client_config(kiosk, nginx.url(), repo.public_key_hex());
  for (const char* version : {"1.0.0", "1.1.0"}) {
    repo.publish(version);
    ASSERT_EQ(PackClient(c).sync_once().outcome, SyncOutcome::Installed);
    core::PackStore store;
    ASSERT_TRUE(store.open(c.pack_store_path, &error)) << error;
    activate_pending_packs(c, store, &error);
  }
  CliRun rollback = kioskctl("pack rollback test.sync --store " + c.pack_store_path);
  EXPECT_EQ(rollback.code, 0) << rollback.out;
  EXPECT_NE(rollback.out.find("active: test.sync 1.0.0"), std::string::npos) << rollback.out;
}

#else
TEST(KioskctlSync, NotBuilt) {
  GTEST_SKIP() << "kioskctl is not part of this build";
}
#endif

}  // namespace
}  // namespace kiosk::sync
