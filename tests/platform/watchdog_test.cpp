// SPDX-License-Identifier: GPL-3.0-or-later
// The watchdog speaks systemd's notify protocol: datagrams on $NOTIFY_SOCKET. A socket of
// our own stands in for systemd, so the exact messages and their rate are checked.
#include "platform/watchdog.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace kp = kiosk::platform;

namespace {

// Receives every datagram waiting on `fd` (non-blocking).
std::vector<std::string> drain(int fd) {
  std::vector<std::string> messages;
  char buf[256];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0) messages.emplace_back(buf, size_t(n));
  return messages;
}

}  // namespace

// One test only: the watchdog reads its interval once per process.
TEST(Watchdog, SendsReadyAndRateLimitedPingsLikeSystemdExpects) {
  std::string path = "/tmp/platform_watchdog_" + std::to_string(::getpid()) + ".sock";
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ::unlink(path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);

  setenv("NOTIFY_SOCKET", path.c_str(), 1);
  setenv("WATCHDOG_USEC", "200000", 1);  // 0.2 s: pings every 0.1 s at most
  setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);

  EXPECT_TRUE(kp::watchdog_enabled());
  kp::watchdog_ready();
  for (int frame = 0; frame < 50; ++frame) kp::watchdog_feed();  // one burst of frames
  auto burst = drain(fd);
  ASSERT_EQ(burst.size(), 2u) << "READY=1 then a single WATCHDOG=1 for the burst";
  EXPECT_EQ(burst[0], "READY=1");
  EXPECT_EQ(burst[1], "WATCHDOG=1");

  std::this_thread::sleep_for(std::chrono::milliseconds(120));  // past half the interval
  kp::watchdog_feed();
  kp::watchdog_feed();
  auto later = drain(fd);
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0], "WATCHDOG=1");

  ::close(fd);
  ::unlink(path.c_str());
  unsetenv("NOTIFY_SOCKET");
  unsetenv("WATCHDOG_USEC");
  unsetenv("WATCHDOG_PID");
}

TEST(Watchdog, ReadsTheIntervalMeantForUsOrOurParent) {
  EXPECT_EQ(kp::watchdog_usec_from_env("30000000", "100", 100, 1), 30000000u);
  // Under cage: systemd names cage (our parent), the kiosk is cage's child.
  EXPECT_EQ(kp::watchdog_usec_from_env("30000000", "50", 100, 50), 30000000u);
  EXPECT_EQ(kp::watchdog_usec_from_env("30000000", nullptr, 100, 50), 30000000u);
  // Meant for a process further up or elsewhere: not ours to feed.
  EXPECT_EQ(kp::watchdog_usec_from_env("30000000", "7", 100, 50), 0u);
  EXPECT_EQ(kp::watchdog_usec_from_env(nullptr, "100", 100, 50), 0u);
  EXPECT_EQ(kp::watchdog_usec_from_env("", nullptr, 100, 50), 0u);
  EXPECT_EQ(kp::watchdog_usec_from_env("0", nullptr, 100, 50), 0u);
  EXPECT_EQ(kp::watchdog_usec_from_env("30s", nullptr, 100, 50), 0u);
  EXPECT_EQ(kp::watchdog_usec_from_env("-5", nullptr, 100, 50), 0u);
  EXPECT_EQ(kp::watchdog_usec_from_env("30000000", "abc", 100, 50), 0u);
}
