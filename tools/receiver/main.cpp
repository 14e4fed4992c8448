// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk-receiver: the reference receiver of the outbox protocol (docs/sync-protocol.md).
//
//   POST <path>  body: a sealed item (opaque bytes), header Idempotency-Key: 32 hex digits
//     201 stored; 200 duplicate (same key, same bytes: already stored, nothing changes);
//     409 same key with different bytes; 400 bad key or empty body; 413 too large.
//   Limits (tools/receiver/receiver.h): 1 MiB per item, 3 s read timeout, 64 worker threads.
//   GET /health  200 "ok"
//
// Items are stored in SQLite (WAL, synchronous=FULL) under a UNIQUE key, and the answer
// is sent only after the commit, so a 2xx always means "durably stored exactly once".
// The receiver never opens the sealed payloads: the agency does that with its key
// (kioskctl inbox). Under systemd (Type=notify) it says READY=1 once it listens.
#include <httplib.h>
#include <systemd/sd-daemon.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include "tools/receiver/receiver.h"

namespace {

httplib::Server* g_server = nullptr;
void on_signal(int) {
  if (g_server) g_server->stop();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Reference receiver for kiosk outbox items"};
  std::string host = "127.0.0.1", db_path, path = "/v1/outbox";
  int port = 8088;
  app.add_option("--host", host, "Address to listen on")->capture_default_str();
  app.add_option("--port", port, "Port; 0 picks a free one (printed on stdout)")
      ->capture_default_str();
  app.add_option("--db", db_path, "SQLite file the items are stored in")->required();
  app.add_option("--path", path, "URL path items are POSTed to")->capture_default_str();
  app.set_version_flag("--version", KIOSK_APP_VERSION);
  CLI11_PARSE(app, argc, argv);

  kiosk::receiver::Store store;
  std::string error;
  if (!store.open(db_path, &error)) {
    std::cerr << "kiosk-receiver: cannot open " << db_path << ": " << error << "\n";
    return 1;
  }
  httplib::Server server;
  kiosk::receiver::configure(server, store, path);
  int bound = port;
  if (port == 0) {
    bound = server.bind_to_any_port(host);
  } else if (!server.bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    std::cerr << "kiosk-receiver: cannot listen on " << host << ":" << port << "\n";
    return 1;
  }
  g_server = &server;
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::printf("listening on %s:%d\n", host.c_str(), bound);
  std::fflush(stdout);
  // Without NOTIFY_SOCKET (not under systemd) this does nothing.
  sd_notifyf(0, "READY=1\nSTATUS=listening on %s:%d", host.c_str(), bound);
  server.listen_after_bind();
  sd_notify(0, "STOPPING=1");
  return 0;
}
