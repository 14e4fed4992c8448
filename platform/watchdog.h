// SPDX-License-Identifier: GPL-3.0-or-later
// platform/watchdog.h: tells systemd the kiosk is alive. The render loop calls
// watchdog_feed() every frame (it rate-limits itself), so a hung frame stops the pings and
// systemd restarts the unit (WatchdogSec= in platform/deploy/migrant-kiosk.service).
#pragma once

#include <cstdint>

namespace kiosk::platform {

void watchdog_ready();  // sd_notify READY=1, once the first frame is drawn
void watchdog_feed();   // sd_notify WATCHDOG=1 at half the configured interval
bool watchdog_enabled();

// The watchdog interval in microseconds that the environment asks for, or 0 for none.
// Accepts WATCHDOG_PID naming this process OR its parent (the kiosk runs as cage's child,
// and systemd addresses the unit's main process). Pure, for tests.
uint64_t watchdog_usec_from_env(const char* watchdog_usec, const char* watchdog_pid, long self_pid,
                                long parent_pid);

}  // namespace kiosk::platform
