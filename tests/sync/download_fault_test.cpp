// SPDX-License-Identifier: GPL-3.0-or-later
// Faults nginx cannot produce on demand, from a socket-level server on 127.0.0.1: a reset
// mid-body, a changed file under a resumed download, a slow drip, truncated and oversized
// bodies, an endless manifest, HTTP 500.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "sync/crypto.h"
#include "sync/http.h"
#include "sync/pack_client.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

using test::FaultServer;
using test::TempDir;
using namespace std::chrono_literals;

std::string body_of(size_t n, char seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i * 31 + i / 7);
  return s;
}

HttpOptions fast_options() {
  HttpOptions o;
  o.connect_timeout_s = 2;
  o.low_speed_limit_bytes = 1000;
  o.low_speed_time_s = 1;
  return o;
}

// Serves `body` with Range/If-Range support; the first response is cut after `cut` bytes
// with a TCP reset.
void serve_with_ranges(int fd, const test::Request& req, const std::string& body,
                       const std::string& etag, size_t cut_first_at, int index) {
  size_t start = 0;
  auto range = req.headers.find("range");
  auto if_range = req.headers.find("if-range");
  bool partial =
      range != req.headers.end() && (if_range == req.headers.end() || if_range->second == etag);
  if (partial) start = std::stoul(range->second.substr(6));
  std::string rest = body.substr(start);
  std::map<std::string, std::string> h = {{"ETag", etag},
                                          {"Content-Length", std::to_string(rest.size())}};
  if (partial)
    h["Content-Range"] = "bytes " + std::to_string(start) + "-" + std::to_string(body.size() - 1) +
                         "/" + std::to_string(body.size());
  FaultServer::send_all(fd, FaultServer::response_head(partial ? 206 : 200, h));
  if (index == 0 && cut_first_at < rest.size()) {
    FaultServer::send_all(fd, rest.substr(0, cut_first_at));
    std::this_thread::sleep_for(300ms);  // let the client take the bytes before the RST
    FaultServer::reset(fd);
    return;
  }
  FaultServer::send_all(fd, rest);
}

TEST(DownloadFaults, AResetMidBodyResumesWithRangeAndIfRange) {
  const std::string body = body_of(300 * 1024, 'a');
  FaultServer server;
  server.start([&](int fd, const test::Request& req, int i) {
    serve_with_ranges(fd, req, body, "\"v1\"", 100 * 1024, i);
  });
  TempDir dir;
  std::string etag;
  DownloadResult first =
      http_download(server.url("p.kpack"), fast_options(), dir / "p.part", body.size(), etag);
  EXPECT_FALSE(first.complete());
  EXPECT_NE(first.http.transport_error, "");
  EXPECT_GT(first.file_size, 0);
  EXPECT_LE(first.file_size, 100 * 1024);
  EXPECT_EQ(etag, "\"v1\"");

  DownloadResult second =
      http_download(server.url("p.kpack"), fast_options(), dir / "p.part", body.size(), etag);
  ASSERT_TRUE(second.complete()) << second.http.transport_error;
  EXPECT_EQ(second.http.status, 206);
  EXPECT_EQ(second.resumed_from, first.file_size);
  EXPECT_EQ(second.http.bytes_received, static_cast<int64_t>(body.size()) - first.file_size)
      << "only the missing bytes travel again";
  EXPECT_EQ(test::read_text(dir / "p.part"), body);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].headers["range"], "bytes=" + std::to_string(first.file_size) + "-");
  EXPECT_EQ(reqs[1].headers["if-range"], "\"v1\"");
}

TEST(DownloadFaults, AFileChangedUnderAResumeStartsOverFromZero) {
  const std::string body = body_of(64 * 1024, 'z');
  FaultServer server;
  server.start([&](int fd, const test::Request& req, int i) {
    serve_with_ranges(fd, req, body, "\"v2\"", SIZE_MAX, i);
  });
  TempDir dir;
  test::write_text(dir / "p.part", body_of(10 * 1024, 'q'));  // from an older file
  std::string etag = "\"v1\"";
  DownloadResult d =
      http_download(server.url("p"), fast_options(), dir / "p.part", body.size(), etag);
  ASSERT_TRUE(d.complete()) << d.http.transport_error;
  EXPECT_EQ(d.http.status, 200);
  EXPECT_EQ(d.resumed_from, 0);
  EXPECT_EQ(test::read_text(dir / "p.part"), body) << "the stale prefix must be truncated";
  EXPECT_EQ(etag, "\"v2\"");
}

TEST(DownloadFaults, ASlowDripTimesOutInsteadOfHangingForever) {
  FaultServer server;
  server.start([&](int fd, const test::Request&, int) {
    FaultServer::send_all(fd, FaultServer::response_head(200, {{"Content-Length", "100000"}}));
    for (int i = 0; i < 100 && !server.stopping(); ++i) {
      if (!FaultServer::send_all(fd, "x")) return;
      std::this_thread::sleep_for(100ms);
    }
  });
  TempDir dir;
  std::string etag;
  auto t0 = std::chrono::steady_clock::now();
  DownloadResult d =
      http_download(server.url("slow"), fast_options(), dir / "s.part", 100000, etag);
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_FALSE(d.complete());
  EXPECT_NE(d.http.transport_error.find("too slow"), std::string::npos) << d.http.transport_error;
  EXPECT_LT(took, 5s);
}

TEST(DownloadFaults, ATruncatedBodyIsIncompleteAndKeptForResume) {
  const std::string body = body_of(50000, 't');
  FaultServer server;
  server.start([&](int fd, const test::Request&, int) {
    FaultServer::send_all(fd, FaultServer::response_head(200, {{"Content-Length", "50000"}}));
    FaultServer::send_all(fd, body.substr(0, 20000));  // then FIN
  });
  TempDir dir;
  std::string etag;
  DownloadResult d =
      http_download(server.url("t"), fast_options(), dir / "t.part", body.size(), etag);
  EXPECT_FALSE(d.complete());
  EXPECT_EQ(d.file_size, 20000);
  EXPECT_NE(d.http.transport_error, "");
}

TEST(DownloadFaults, ADeclaredOversizedBodyIsRefusedBeforeAnyByteIsWritten) {
  FaultServer server;
  server.start([&](int fd, const test::Request&, int) {
    FaultServer::send_all(fd, FaultServer::response_head(200, {{"Content-Length", "999999"}}));
    FaultServer::send_all(fd, std::string(999999, 'o'));
  });
  TempDir dir;
  std::string etag;
  DownloadResult d = http_download(server.url("o"), fast_options(), dir / "o.part", 1000, etag);
  EXPECT_FALSE(d.complete());
  EXPECT_EQ(d.file_size, 0);
  EXPECT_NE(d.http.transport_error.find("aximum file size"), std::string::npos)
      << d.http.transport_error;
}

TEST(DownloadFaults, AnEndlessBodyIsCutAtTheDeclaredSize) {
  FaultServer server;
  server.start([&](int fd, const test::Request&, int) {
    FaultServer::send_all(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");  // no length
    for (int i = 0; i < 200 && !server.stopping(); ++i)
      if (!FaultServer::send_all(fd, std::string(4096, 'e'))) return;
  });
  TempDir dir;
  std::string etag;
  DownloadResult d = http_download(server.url("e"), fast_options(), dir / "e.part", 10000, etag);
  EXPECT_FALSE(d.http.transport_error.empty());
  EXPECT_NE(d.http.transport_error.find("more than the declared 10000"), std::string::npos)
      << d.http.transport_error;
  EXPECT_LE(d.file_size, 10000);
}

TEST(DownloadFaults, AnEndlessManifestIsRefusedAtTheCap) {
  FaultServer server;
  server.start([&](int fd, const test::Request&, int) {
    FaultServer::send_all(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    for (int i = 0; i < 2000 && !server.stopping(); ++i)
      if (!FaultServer::send_all(fd, std::string(4096, '{'))) return;
  });
  TempDir dir;
  SyncConfig c = test::client_config(dir, server.url(), to_hex(make_sign_keypair().public_key));
  c.max_manifest_bytes = 64 * 1024;
  SyncResult r = PackClient(c).sync_once();
  EXPECT_EQ(r.outcome, SyncOutcome::Failed);
  EXPECT_NE(r.error.find("larger than 65536"), std::string::npos) << r.error;
}

TEST(DownloadFaults, Http500And503AreReportedWithTheStatus) {
  FaultServer server;
  server.start([&](int fd, const test::Request&, int i) {
    FaultServer::send_all(
        fd, FaultServer::response_head(i == 0 ? 500 : 503,
                                       {{"Content-Length", "0"}, {"Retry-After", "30"}}));
  });
  TempDir dir;
  PackClient client(test::client_config(dir, server.url(), to_hex(make_sign_keypair().public_key)));
  SyncResult r = client.sync_once();
  EXPECT_NE(r.error.find("HTTP 500"), std::string::npos) << r.error;
  r = client.sync_once();
  EXPECT_NE(r.error.find("HTTP 503"), std::string::npos) << r.error;
  EXPECT_TRUE(client.status().online);
  HttpResponse h = http_get(server.url("m"), fast_options(), "", 100);
  EXPECT_EQ(h.status, 503);
  EXPECT_EQ(h.retry_after_s.value_or(-1), 30);
}

TEST(DownloadFaults, AResetDuringAFullSyncResumesOnTheNextPass) {
  // End to end through PackClient: the archive is cut once, the next pass resumes it.
  test::Repo repo;
  RepoManifest m = repo.publish("1.0.0", 30, 0, /*padding=*/200 * 1024);
  const std::string archive = test::read_text(repo.dir() + "/" + m.packs[0].path);
  const std::string json = test::read_text(repo.dir() + "/manifest.json");
  const std::string sig = test::read_text(repo.dir() + "/manifest.json.sig");
  int archive_requests = 0;
  FaultServer server;
  server.start([&](int fd, const test::Request& req, int) {
    if (req.path == "/manifest.json") {
      FaultServer::send_all(
          fd, FaultServer::response_head(200, {{"Content-Length", std::to_string(json.size())}}) +
                  json);
    } else if (req.path == "/manifest.json.sig") {
      FaultServer::send_all(fd, FaultServer::response_head(200, {{"Content-Length", "64"}}) + sig);
    } else {
      serve_with_ranges(fd, req, archive, "\"a\"", 50 * 1024, archive_requests++);
    }
  });
  TempDir dir;
  SyncConfig c = test::client_config(dir, server.url(), repo.public_key_hex());
  PackClient client(c);
  SyncResult r1 = client.sync_once();
  EXPECT_EQ(r1.outcome, SyncOutcome::Failed);
  EXPECT_NE(r1.error.find("resumes next time"), std::string::npos) << r1.error;
  SyncResult r2 = client.sync_once();
  ASSERT_EQ(r2.outcome, SyncOutcome::Installed) << r2.error;
  auto reqs = server.requests();
  EXPECT_EQ(reqs.back().headers["if-range"], "\"a\"");
  EXPECT_EQ(reqs.back().headers["range"].rfind("bytes=", 0), 0u);
}

}  // namespace
}  // namespace kiosk::sync
