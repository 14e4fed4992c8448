// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile repositories and servers (issue 14): archives whose entries climb out of the pack or
// repeat, lie about their sizes or are too many to hold, manifests that declare more than the
// kiosk will download, and servers that send endless headers or trickle them. Each is refused
// with its exact message, nothing is written outside the kiosk's own folder and the pack that
// was running keeps running. (Unpinned keys, replayed and expired manifests and hash
// mismatches are in pack_client_test.cpp; slow and endless bodies in download_fault_test.cpp.)
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "core/pack_store.h"
#include "sync/archive.h"
#include "sync/crypto.h"
#include "sync/files.h"
#include "sync/http.h"
#include "sync/http_headers.h"
#include "sync/manifest.h"
#include "sync/pack_client.h"
#include "sync/repo.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::FaultServer;
using test::TempDir;

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

struct RawEntry {
  std::string path, data;
  uint64_t declared = UINT64_MAX;  // the data length written; UINT64_MAX: data.size()
};

// An archive written byte by byte, so that it can say what write_pack_archive never would.
std::string raw_archive(const std::vector<RawEntry>& entries, uint32_t count = UINT32_MAX) {
  std::string out("KPACK\x01\n\0", 8);
  put_u32(out, count == UINT32_MAX ? static_cast<uint32_t>(entries.size()) : count);
  for (const RawEntry& e : entries) {
    put_u32(out, static_cast<uint32_t>(e.path.size()));
    out += e.path;
    put_u64(out, e.declared == UINT64_MAX ? e.data.size() : e.declared);
    out += e.data;
  }
  return out;
}

// The test pack's files, then `extra` as further entries.
std::vector<RawEntry> pack_entries(const std::string& version, std::vector<RawEntry> extra = {}) {
  std::vector<RawEntry> out;
  for (const auto& [path, data] : test::test_pack(version)) out.push_back({path, data});
  for (auto& e : extra) out.push_back(std::move(e));
  return out;
}

TEST(HostileArchive, EachIsRefusedWithItsExactMessage) {
  struct Case {
    std::string name, archive, message;
  };
  const std::string two = raw_archive({{"a", "x"}, {"a", "y"}});
  const std::vector<Case> cases = {
      {"parent", raw_archive({{"../evil.yaml", "x"}}),
       "pack archive: byte 28: unsafe path \"../evil.yaml\""},
      {"inner parent", raw_archive({{"messages/../../x", "x"}}),
       "pack archive: byte 32: unsafe path \"messages/../../x\""},
      {"absolute", raw_archive({{"/etc/cron.d/x", "x"}}),
       "pack archive: byte 29: unsafe path \"/etc/cron.d/x\""},
      {"backslash", raw_archive({{"..\\x", "x"}}), "pack archive: byte 20: unsafe path \"..\\x\""},
      {"nul", raw_archive({{std::string("a\0b", 3), "x"}}),
       std::string("pack archive: byte 19: unsafe path \"a\0b\"", 40)},
      {"duplicate", two, "pack archive: byte 40: duplicate path \"a\""},
      {"declared far above real", raw_archive({{"a", "tiny", 10u << 20}}),
       "pack archive: byte 25: truncated file data"},
      {"declared above the file cap", raw_archive({{"a", "x", 1ull << 40}}),
       "pack archive: byte 25: file too large"},
      // No compression in the format: a "bomb" can only be a count or a length, both capped
      // before anything is allocated.
      {"billions of files", raw_archive({}, 4000000000u), "pack archive: byte 12: too many files"},
  };
  for (const Case& c : cases) {
    std::string error;
    EXPECT_FALSE(read_pack_archive(c.archive, &error)) << c.name;
    EXPECT_EQ(error, c.message) << c.name;
  }
}

// The repository signs what it publishes, so a hostile archive must come with a good
// signature and hash: the archive check is the last line, and must hold on its own.
class HostileRepo : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(nginx_.start(repo_.dir(), &error)) << error;
    config_ = test::client_config(kiosk_, nginx_.url(), repo_.public_key_hex());
    repo_.publish("1.0.0");
    ASSERT_EQ(PackClient(config_).sync_once().outcome, SyncOutcome::Installed);
    ASSERT_EQ(start_session(), "1.0.0");
  }

  std::optional<std::string> start_session() {
    core::PackStore store;
    std::string error;
    EXPECT_TRUE(store.open(config_.pack_store_path, &error)) << error;
    activate_pending_packs(config_, store, &error);
    return store.active_version("test.sync");
  }

  bool running_pack_loads() {
    core::PackStore store;
    std::string error;
    if (!store.open(config_.pack_store_path, &error)) return false;
    auto files = store.active("test.sync", &error);
    return files && core::load_pack(*files).ok();
  }

  // Publishes `archive` as test.sync `version`, signed with the repository's own key; the
  // manifest declares `declared_size` (0: the archive's real size). Returns the entry's path.
  std::string publish_raw(const std::string& archive, const std::string& version,
                          int64_t declared_size = 0) {
    const std::string sha = sha256_hex(archive);
    const std::string path = "packs/" + sha + ".kpack";
    test::write_text(repo_.dir() + "/" + path, archive);
    RepoManifest m;
    m.repo_version = ++version_;
    m.published = std::time(nullptr);
    m.expires = m.published + 86400;
    m.packs.push_back({"test.sync", version, path,
                       declared_size ? declared_size : static_cast<int64_t>(archive.size()), sha});
    const std::string json = manifest_to_json(m);
    std::string error;
    auto secret = read_secret_key(repo_.secret_key_path(), &error);
    EXPECT_TRUE(secret) << error;
    test::write_text(repo_.dir() + "/manifest.json.sig", sign_detached(json, *secret));
    test::write_text(repo_.dir() + "/manifest.json", json);
    return path;
  }

  // Every file under the kiosk's folder, and the temporary folder's top level.
  std::set<std::string> files_written() {
    std::set<std::string> out;
    for (auto& e : fs::recursive_directory_iterator(kiosk_.path())) out.insert(e.path().string());
    return out;
  }

  test::Repo repo_;
  test::Nginx nginx_;
  TempDir kiosk_;
  SyncConfig config_;
  int64_t version_ = 100;
};

TEST_F(HostileRepo, SignedArchivesWithHostileEntriesAreRefusedAndThePackKeepsRunning) {
  struct Case {
    std::string name, archive, message;
  };
  const std::vector<Case> cases = {
      {"parent", raw_archive(pack_entries("2.0.0", {{"../../../tmp/kiosk-evil", "x"}})),
       "unsafe path \"../../../tmp/kiosk-evil\""},
      {"absolute", raw_archive(pack_entries("2.0.0", {{"/tmp/kiosk-evil", "x"}})),
       "unsafe path \"/tmp/kiosk-evil\""},
      {"duplicate", raw_archive(pack_entries("2.0.0", {{"pack.yaml", "id: evil\n"}})),
       "duplicate path \"pack.yaml\""},
      {"declared above real",
       raw_archive(pack_entries("2.0.0", {{"zz.yaml", "# short", 1u << 20}})),
       "truncated file data"},
  };
  const std::set<std::string> before = files_written();
  for (const Case& c : cases) {
    publish_raw(c.archive, "2.0.0");
    SyncResult r = PackClient(config_).sync_once();
    EXPECT_EQ(r.outcome, SyncOutcome::Failed) << c.name;
    EXPECT_EQ(r.error.rfind("pack archive: byte ", 0), 0u) << c.name << ": " << r.error;
    EXPECT_EQ(r.error.substr(r.error.find(": ", 19) + 2), c.message) << c.name;
    EXPECT_EQ(start_session(), "1.0.0") << c.name;
    EXPECT_TRUE(running_pack_loads()) << c.name;
  }
  EXPECT_FALSE(fs::exists("/tmp/kiosk-evil"));
  // The store is SQLite and downloads are named by hash: no archive path ever names a file.
  for (const std::string& f : files_written())
    EXPECT_TRUE(before.count(f) || f.find("/downloads") != std::string::npos ||
                f.ends_with("-wal") || f.ends_with("-shm") || f.ends_with("-journal"))
        << "written: " << f;
}

TEST_F(HostileRepo, ADeclaredSizeAboveTheLimitIsRefusedBeforeAnyDownload) {
  const std::string archive = write_pack_archive(test::test_pack("2.0.0"));
  config_.max_pack_bytes = 256LL << 20;
  const std::string path = publish_raw(archive, "2.0.0", 300LL << 20);
  SyncResult r = PackClient(config_).sync_once();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_EQ(r.error,
            path + ": declares 314572800 bytes, more than the limit of 268435456; refused");
  EXPECT_TRUE(fs::is_empty(config_.download_dir)) << "nothing may be downloaded";
  EXPECT_EQ(start_session(), "1.0.0");
  EXPECT_TRUE(running_pack_loads());
}

TEST_F(HostileRepo, ADeclaredSizeAboveTheRealOneNeverCompletesNorInstalls) {
  const std::string archive = write_pack_archive(test::test_pack("2.0.0"));
  const std::string path = publish_raw(archive, "2.0.0", static_cast<int64_t>(archive.size()) * 50);
  SyncResult r = PackClient(config_).sync_once();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_EQ(r.error, path + ": incomplete (" + std::to_string(archive.size()) + " of " +
                         std::to_string(archive.size() * 50) + " bytes; resumes next time)");
  EXPECT_EQ(start_session(), "1.0.0");
}

HttpOptions fast_options() {
  HttpOptions o;
  o.connect_timeout_s = 2;
  o.low_speed_limit_bytes = 100;
  o.low_speed_time_s = 2;
  return o;
}

TEST(HostileServer, EndlessHeaderLinesAreCutAtTheLineLimit) {
  FaultServer server;
  server.start([&](int fd, const test::Request&, int) {
    FaultServer::send_all(fd, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 100000 && !server.stopping(); ++i)
      if (!FaultServer::send_all(fd, "X-Pad-" + std::to_string(i) + ": x\r\n")) return;
  });
  auto t0 = std::chrono::steady_clock::now();
  HttpResponse r = http_get(server.url("manifest.json"), fast_options(), "", 1 << 20);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.transport_error, "more than 200 response header lines");
}

TEST(HostileServer, HugeHeadersAreCutAtTheByteLimit) {
  FaultServer server;
  server.start([&](int fd, const test::Request&, int) {
    FaultServer::send_all(fd, "HTTP/1.1 200 OK\r\n");
    const std::string line = "X-Pad: " + std::string(16000, 'x') + "\r\n";
    for (int i = 0; i < 100 && !server.stopping(); ++i)
      if (!FaultServer::send_all(fd, line)) return;
  });
  HttpResponse r = http_get(server.url("manifest.json"), fast_options(), "", 1 << 20);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.transport_error, "response headers larger than 65536 bytes");
}

// Endless 1xx responses reset the values, never the budgets.
TEST(HostileServer, EndlessInterimResponsesShareOneBudget) {
  FaultServer server;
  server.start([&](int fd, const test::Request&, int) {
    for (int i = 0; i < 100000 && !server.stopping(); ++i)
      if (!FaultServer::send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n")) return;
  });
  HttpResponse r = http_get(server.url("manifest.json"), fast_options(), "", 1 << 20);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.transport_error.empty());
}

// One header byte a second: the client's low-speed limit (100 bytes/s over 2 s here; 30 s
// by default, docs/sync-protocol.md) gives up instead of waiting forever.
TEST(HostileServer, HeadersTrickledOneByteASecondTimeOutWithinTheStatedLimit) {
  FaultServer server;
  server.start([&](int fd, const test::Request&, int) {
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    for (char c : head) {
      if (server.stopping() || !FaultServer::send_all(fd, std::string(1, c))) return;
      for (int i = 0; i < 10 && !server.stopping(); ++i) std::this_thread::sleep_for(100ms);
    }
  });
  auto t0 = std::chrono::steady_clock::now();
  HttpResponse r = http_get(server.url("manifest.json"), fast_options(), "", 1 << 20);
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.transport_error.find("too slow"), std::string::npos) << r.transport_error;
  EXPECT_GE(took, 2s);
  EXPECT_LT(took, 5s);
}

TEST(ResponseHeaderParser, ReadsTheValuesTheClientUses) {
  ResponseHeaders h;
  for (const char* line : {"HTTP/1.1 401 Unauthorized\r\n", "WWW-Authenticate: Digest x\r\n",
                           "\r\n", "HTTP/1.1 206 Partial Content\r\n", "ETag:  \"v1\" \r\n",
                           "Content-Range: bytes 100-199/200\r\n", "Retry-After: 120\r\n", "\r\n"})
    ASSERT_TRUE(h.feed(line));
  EXPECT_EQ(h.value("etag"), "\"v1\"");
  EXPECT_EQ(h.value("www-authenticate"), "") << "an earlier response's values are dropped";
  EXPECT_EQ(parse_content_range_start(h.value("content-range")), 100);
  EXPECT_EQ(parse_retry_after_seconds(h.value("retry-after")), 120);
}

TEST(ResponseHeaderParser, StrictNumbers) {
  for (const char* bad :
       {"bytes -5-10/20", "bytes 5-4/20", "bytes 5-10/10", "bytes 5-10", "bytes  5-10/20",
        "bytes +5-10/20", "bytes 5-10/20x", "items 5-10/20", "bytes 99999999999999999999-1/2"})
    EXPECT_FALSE(parse_content_range_start(bad)) << bad;
  EXPECT_EQ(parse_content_range_start("bytes 0-0/1"), 0);
  EXPECT_EQ(parse_content_range_start("bytes 5-10/*"), 5);
  for (const char* bad : {"-1", "1.5", "+3", "12 s", ""})
    EXPECT_FALSE(parse_retry_after_seconds(bad)) << bad;
  EXPECT_EQ(parse_retry_after_seconds("9999999999"), 86400) << "capped at a day";
}

}  // namespace
}  // namespace kiosk::sync
