// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk-receiver as the packaged unit runs it (tools/receiver/deploy/kiosk-receiver.service):
// Type=notify needs READY=1 once it listens, and an agency's IT asks it for its version.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

TEST(Receiver, SaysReadyToSystemdOnceItListens) {
  test::TempDir dir;
  const std::string socket_path = dir / "notify";
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(socket_path.size(), sizeof addr.sun_path);
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);

  ::setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);  // the child inherits it, as from systemd
  test::Receiver receiver;
  std::string error;
  const bool started = receiver.start(dir / "items.db", &error);
  ::unsetenv("NOTIFY_SOCKET");
  ASSERT_TRUE(started) << error;

  pollfd p{fd, POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 5000), 1) << "no notification within 5 s";
  std::array<char, 512> buf{};
  const ssize_t n = ::recv(fd, buf.data(), buf.size() - 1, 0);
  ::close(fd);
  ASSERT_GT(n, 0);
  const std::string message(buf.data(), static_cast<size_t>(n));
  EXPECT_EQ(message.rfind("READY=1\nSTATUS=listening on 127.0.0.1:", 0), 0u) << message;
  EXPECT_TRUE(test::port_open(std::atoi(message.c_str() + message.rfind(':') + 1)))
      << "READY=1 comes after the port is bound: " << message;
}

TEST(Receiver, TellsItsVersion) {
  FILE* p = ::popen(KIOSK_RECEIVER_BIN " --version", "r");
  ASSERT_NE(p, nullptr);
  std::array<char, 256> buf{};
  const size_t n = std::fread(buf.data(), 1, buf.size() - 1, p);
  EXPECT_EQ(::pclose(p), 0);
  EXPECT_EQ(std::string(buf.data(), n), KIOSK_APP_VERSION "\n");
}

}  // namespace
}  // namespace kiosk::sync
