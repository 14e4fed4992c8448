// SPDX-License-Identifier: GPL-3.0-or-later
// sync_bench: two end-to-end figures, everything on 127.0.0.1.
//  1. outbox: N items (default 10,000) queued, then delivered to the reference receiver;
//     items/s for both, peak RSS of this process and of the receiver.
//  2. resume: a 50 MB file served by nginx, the download cut at half (the transfer is
//     aborted), then resumed with Range/If-Range; time and bytes sent again.
// Usage: sync_bench [items] [megabytes]
#include <sys/resource.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>
#include <thread>

#include "sync/crypto.h"
#include "sync/http.h"
#include "sync/outbox.h"
#include "tests/sync/test_support.h"

using namespace kiosk::sync;
using namespace std::chrono;
namespace fs = std::filesystem;

namespace {

double seconds_since(steady_clock::time_point t0) {
  return duration<double>(steady_clock::now() - t0).count();
}

long peak_rss_kb(int who) {
  rusage u{};
  getrusage(who, &u);
  return u.ru_maxrss;
}

int bench_outbox(int items) {
  test::TempDir dir;
  test::Receiver receiver;
  std::string error;
  if (!receiver.start(dir / "receiver.db", &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  SyncConfig c;
  c.state_db_path = dir / "state.db";
  c.outbox_url = receiver.url();
  c.agency_box_public_key_hex = to_hex(make_box_keypair().public_key);
  c.outbox_max_items = items + 1;
  Outbox outbox(c);
  if (!outbox.open(&error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  auto t0 = steady_clock::now();
  for (int i = 0; i < items; ++i) {
    std::string payload =
        "{\"kind\":\"count\",\"procedure\":\"extension\",\"language\":\"ne\",\"n\":" +
        std::to_string(i) + ",\"pad\":\"" + std::string(120, 'x') + "\"}";
    if (!outbox.enqueue("count", payload, true, &error)) {
      std::fprintf(stderr, "enqueue: %s\n", error.c_str());
      return 1;
    }
  }
  double enqueue_s = seconds_since(t0);
  t0 = steady_clock::now();
  int delivered = 0;
  while (outbox.status().pending > 0) {
    DeliveryReport r = outbox.deliver_due(500);
    delivered += r.delivered;
    if (r.delivered == 0) break;
  }
  double deliver_s = seconds_since(t0);
  receiver.stop();
  std::printf("outbox: %d items queued in %.2f s (%.0f items/s, one FULL-sync transaction each)\n",
              items, enqueue_s, items / enqueue_s);
  std::printf("outbox: %d items delivered in %.2f s (%.0f items/s), %lld left pending\n", delivered,
              deliver_s, delivered / deliver_s, static_cast<long long>(outbox.status().pending));
  std::printf("outbox: peak RSS kiosk side %ld KiB, receiver %ld KiB\n", peak_rss_kb(RUSAGE_SELF),
              peak_rss_kb(RUSAGE_CHILDREN));
  return delivered == items ? 0 : 1;
}

int bench_resume(int megabytes) {
  test::TempDir dir;
  const int64_t size = static_cast<int64_t>(megabytes) << 20;
  {
    std::mt19937_64 rng(7);
    std::string data(static_cast<size_t>(size), '\0');
    for (size_t i = 0; i + 8 <= data.size(); i += 8) {
      uint64_t v = rng();
      std::memcpy(&data[i], &v, 8);
    }
    test::write_text(dir / "www/big.kpack", data);
  }
  test::Nginx nginx;
  std::string error;
  if (!nginx.start(dir / "www", &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  const std::string url = nginx.url() + "big.kpack";
  const std::string part = dir / "big.part";
  std::atomic<bool> cancel{false};
  HttpOptions o;
  o.cancel = &cancel;
  std::thread cutter([&] {  // aborts the transfer once half the file is on disk
    std::error_code ec;
    while (!cancel) {
      if (fs::exists(part, ec) && static_cast<int64_t>(fs::file_size(part, ec)) >= size / 2)
        cancel = true;
      std::this_thread::sleep_for(microseconds(200));
    }
  });
  std::string etag;
  auto t0 = steady_clock::now();
  DownloadResult first = http_download(url, o, part, size, etag);
  double first_s = seconds_since(t0);
  cutter.join();
  cancel = false;
  t0 = steady_clock::now();
  DownloadResult second = http_download(url, o, part, size, etag);
  double second_s = seconds_since(t0);
  auto sha = sha256_file_hex(part, &error);
  const int64_t sent = first.http.bytes_received + second.http.bytes_received;
  std::printf("resume: %d MB; first transfer cut at %lld bytes after %.3f s (%s)\n", megabytes,
              static_cast<long long>(first.file_size), first_s, first.http.transport_error.c_str());
  std::printf("resume: resumed from %lld with HTTP %ld, finished in %.3f s; complete=%s\n",
              static_cast<long long>(second.resumed_from), second.http.status, second_s,
              second.complete() ? "yes" : "no");
  std::printf("resume: bytes over the wire %lld for a %lld-byte file: %lld sent again (%.3f%%)\n",
              static_cast<long long>(sent), static_cast<long long>(size),
              static_cast<long long>(sent - size),
              100.0 * static_cast<double>(sent - size) / static_cast<double>(size));
  std::printf("resume: sha256 %s (%s)\n", sha.value_or("?").c_str(),
              sha == sha256_hex(test::read_text(dir / "www/big.kpack")) ? "matches" : "MISMATCH");
  // What nginx itself says it sent ($body_bytes_sent of the combined log format); nginx
  // writes the line after answering, so give it a moment.
  std::this_thread::sleep_for(milliseconds(300));
  std::istringstream log(nginx.access_log());
  std::string line;
  long long server_sent = 0;
  while (std::getline(log, line)) {
    std::istringstream f(line.substr(line.find('"', line.find('"') + 1) + 1));
    long long status = 0, bytes = 0;
    f >> status >> bytes;
    server_sent += bytes;
  }
  std::printf("resume: nginx access log: %lld body bytes sent in total, %lld more than the file\n",
              server_sent, server_sent - static_cast<long long>(size));
  return second.complete() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  int items = argc > 1 ? std::atoi(argv[1]) : 10000;
  int megabytes = argc > 2 ? std::atoi(argv[2]) : 50;
  int rc = bench_outbox(items);  // first: its peak RSS must not include the 50 MB test file
  rc |= bench_resume(megabytes);
  return rc;
}
