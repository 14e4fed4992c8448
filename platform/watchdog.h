// platform/watchdog.h: tells systemd the kiosk is alive. The render loop calls
// watchdog_feed() every frame (it rate-limits itself), so a hung frame stops the pings and
// systemd restarts the unit (WatchdogSec= in platform/deploy/migrant-kiosk.service).
#pragma once

namespace kiosk::platform {

void watchdog_ready();  // sd_notify READY=1, once the first frame is drawn
void watchdog_feed();   // sd_notify WATCHDOG=1 at half the configured interval
bool watchdog_enabled();

}  // namespace kiosk::platform
