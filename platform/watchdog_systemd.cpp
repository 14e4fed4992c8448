// SPDX-License-Identifier: GPL-3.0-or-later
// platform/watchdog_systemd.cpp: the systemd notify protocol (READY=1, WATCHDOG=1).
//
// Why not sd_watchdog_enabled(): it ignores WATCHDOG_USEC unless WATCHDOG_PID is the calling
// process. systemd sets WATCHDOG_PID to the unit's main process, and under cage that is cage,
// the kiosk's parent, so the kiosk would never ping and systemd would kill the session every
// WatchdogSec. We also accept our parent's PID; the unit's NotifyAccess=all lets systemd take
// the pings from the child.
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "platform/watchdog.h"

namespace kiosk::platform {

static bool parse_u64(const char* text, uint64_t* out) {
  if (!text || !*text) return false;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (*end != '\0' || text[0] == '-') return false;
  *out = v;
  return true;
}

uint64_t watchdog_usec_from_env(const char* watchdog_usec, const char* watchdog_pid, long self_pid,
                                long parent_pid) {
  uint64_t usec = 0;
  if (!parse_u64(watchdog_usec, &usec) || usec == 0) return 0;
  if (!watchdog_pid) return usec;  // unset: meant for whoever reads it
  uint64_t pid = 0;
  if (!parse_u64(watchdog_pid, &pid)) return 0;
  return (long(pid) == self_pid || long(pid) == parent_pid) ? usec : 0;
}

static uint64_t watchdog_interval_usec() {
  static uint64_t usec =
      watchdog_usec_from_env(std::getenv("WATCHDOG_USEC"), std::getenv("WATCHDOG_PID"),
                             long(::getpid()), long(::getppid()));
  return usec;
}

bool watchdog_enabled() {
  return watchdog_interval_usec() != 0;
}

void watchdog_ready() {
  sd_notify(0, "READY=1");
}

void watchdog_feed() {
  uint64_t interval = watchdog_interval_usec();
  if (interval == 0) return;
  using clock = std::chrono::steady_clock;
  static clock::time_point last{};
  auto now = clock::now();
  // Ping at half the interval, as sd_watchdog_enabled(3) recommends.
  if (now - last < std::chrono::microseconds(interval / 2)) return;
  last = now;
  sd_notify(0, "WATCHDOG=1");
}

}  // namespace kiosk::platform
