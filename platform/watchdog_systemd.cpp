#include <systemd/sd-daemon.h>

#include <chrono>

#include "platform/watchdog.h"

namespace kiosk::platform {

static uint64_t watchdog_interval_usec() {
  static uint64_t usec = [] {
    uint64_t u = 0;
    return sd_watchdog_enabled(0, &u) > 0 ? u : 0;
  }();
  return usec;
}

bool watchdog_enabled() { return watchdog_interval_usec() != 0; }

void watchdog_ready() { sd_notify(0, "READY=1"); }

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
