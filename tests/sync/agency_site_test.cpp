// SPDX-License-Identifier: GPL-3.0-or-later
// The packaged nginx site (tools/receiver/deploy/kiosk-receiver.nginx.conf) as an agency
// installs it: real nginx terminates TLS in front of the real kiosk-receiver, a kiosk's
// Outbox delivers a hand-off through it, and `kioskctl inbox` reads it back. Only the
// site's host-specific lines are replaced (ports, certificate, log folder), each checked to
// be there, so the test follows the file an agency copies.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "core/handoff.h"
#include "sync/crypto.h"
#include "sync/outbox.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

#ifdef KIOSK_KIOSKCTL_BIN

const std::string kSite =
    std::string(KIOSK_TEST_DATA) + "/../../tools/receiver/deploy/kiosk-receiver.nginx.conf";

// Replaces every `from` in `text`; fails the test when there is none.
void replace_all(std::string& text, const std::string& from, const std::string& to) {
  size_t n = 0;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
    ++n;
  }
  EXPECT_GT(n, 0u) << "the site no longer has \"" << from << "\"";
}

void drop_lines_with(std::string& text, const std::string& needle) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    const std::string line = text.substr(start, end - start);
    if (line.find(needle) == std::string::npos) out += line;
    start = end;
  }
  text = out;
}

std::string shell_output(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  ::pclose(p);
  return out;
}

class AgencySiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(receiver_.start(dir_ / "items.db", &error)) << error;
    ASSERT_FALSE(test::make_loopback_certificate(dir_.path()).empty()) << "openssl failed";
    ASSERT_EQ(std::system((std::string(KIOSK_KIOSKCTL_BIN) + " outbox keygen --out " +
                           dir_ / "keys" + " >/dev/null")
                              .c_str()),
              0);
    https_port_ = test::free_loopback_port();
    start_nginx(site_for_test());
  }
  void TearDown() override {
    if (nginx_ > 0) {
      ::kill(nginx_, SIGTERM);
      ::waitpid(nginx_, nullptr, 0);
    }
  }

  std::string site_for_test() {
    std::string site = test::read_text(kSite);
    replace_all(site, "listen 443 ssl http2;",
                "listen 127.0.0.1:" + std::to_string(https_port_) + " ssl http2;");
    replace_all(site, "listen 80;",
                "listen 127.0.0.1:" + std::to_string(test::free_loopback_port()) + ";");
    drop_lines_with(site, "listen [::]");  // the test host may have no IPv6
    replace_all(site, "/etc/letsencrypt/live/inbox.example.org/fullchain.pem", dir_ / "cert.pem");
    replace_all(site, "/etc/letsencrypt/live/inbox.example.org/privkey.pem", dir_ / "key.pem");
    replace_all(site, "/var/log/nginx/", dir_.path() + "/");
    const std::string receiver_port = receiver_.url().substr(std::string("http://").size());
    replace_all(site, "127.0.0.1:8088", receiver_port.substr(0, receiver_port.find('/')));
    return site;
  }

  void start_nginx(const std::string& site) {
    const std::string d = dir_.path();
    test::write_text(d + "/site.conf", site);
    test::write_text(d + "/nginx.conf",
                     "daemon off;\nmaster_process off;\nerror_log " + d + "/error.log;\npid " + d +
                         "/nginx.pid;\nevents { worker_connections 64; }\nhttp {\n"
                         "  client_body_temp_path " +
                         d + "/body;\n  proxy_temp_path " + d + "/proxy;\n  fastcgi_temp_path " +
                         d + "/fastcgi;\n  uwsgi_temp_path " + d + "/uwsgi;\n  scgi_temp_path " +
                         d + "/scgi;\n  access_log " + d + "/access.log;\n  include " + d +
                         "/site.conf;\n}\n");
    nginx_ =
        test::spawn({KIOSK_NGINX_BIN, "-p", d, "-c", d + "/nginx.conf", "-e", d + "/error.log"});
    for (int i = 0; i < 250 && !test::port_open(https_port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(test::port_open(https_port_)) << test::read_text(d + "/error.log");
  }

  std::string url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(https_port_) + path;
  }
  // The HTTP status curl gets for a request through the site.
  std::string status_of(const std::string& curl_args) {
    return shell_output("curl -s -o /dev/null -w '%{http_code}' --cacert " + dir_ / "cert.pem" +
                        " " + curl_args);
  }

  test::TempDir dir_;
  test::Receiver receiver_;
  int https_port_ = 0;
  pid_t nginx_ = -1;
};

TEST_F(AgencySiteTest, AKioskDeliversThroughTlsAndTheHelpDeskReadsIt) {
  SyncConfig config;
  config.state_db_path = dir_ / "kiosk.db";
  config.outbox_url = url("/v1/outbox");
  config.ca_file = dir_ / "cert.pem";
  config.agency_box_public_key_hex = test::read_text(dir_ / "keys/agency.pub").substr(0, 64);
  Outbox outbox(config);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  core::Handoff h;
  h.code = "K7F3-9QPX";
  h.pack_id = "jp.residence";
  h.pack_version = "2026.11.27";
  h.procedure_id = "extension";
  h.language = "ne";
  h.office_language = "ja";
  h.date = *core::Date::from_ymd(2026, 11, 27);
  h.checklist_user = "बसोबास अवधि नवीकरण";
  h.checklist_office = "在留期間更新";
  std::string item = core::handoff_json(h);
  ASSERT_TRUE(outbox.enqueue("handoff", item, true, &error)) << error;
  DeliveryReport report = outbox.deliver_due();
  ASSERT_EQ(report.delivered, 1) << outbox.status().last_error << "\n"
                                 << test::read_text(dir_ / "kiosk-receiver.error.log");

  const std::string show =
      shell_output(std::string(KIOSK_KIOSKCTL_BIN) + " inbox show K7F3-9QPX --db " +
                   dir_ / "items.db" + " --key " + dir_ / "keys/agency.key");
  EXPECT_NE(show.find("बसोबास अवधि नवीकरण"), std::string::npos) << show;
  EXPECT_NE(test::read_text(dir_ / "kiosk-receiver.access.log").find("POST /v1/outbox"),
            std::string::npos)
      << "the site's own access log";
}

TEST_F(AgencySiteTest, OnlyPostsToTheOutboxPathReachTheReceiver) {
  EXPECT_EQ(status_of(url("/v1/outbox")), "403") << "GET";
  EXPECT_EQ(status_of(url("/health")), "404") << "the receiver's health check stays on the host";
  EXPECT_EQ(status_of(url("/")), "404");
  // Over the receiver's 1 MiB: nginx answers 413 before the receiver sees it.
  const std::string big = dir_ / "big.bin";
  test::write_text(big, std::string((1 << 20) + 1, 'x'));
  EXPECT_EQ(status_of("-X POST -H 'Idempotency-Key: 0123456789abcdef0123456789abcdef' "
                      "--data-binary @" +
                      big + " " + url("/v1/outbox")),
            "413");
  // What reaches the receiver gets its own answers (here: no Idempotency-Key).
  EXPECT_EQ(status_of("-X POST --data-binary x " + url("/v1/outbox")), "400");
}

#endif

}  // namespace
}  // namespace kiosk::sync
