// SPDX-License-Identifier: GPL-3.0-or-later
// platform/clock_posix.cpp: clock.h with clock_gettime and localtime_r.
#include <time.h>

#include "platform/clock.h"

namespace kiosk::platform {

double monotonic_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

CivilDate today_local() {
  time_t now = time(nullptr);
  tm local{};
  localtime_r(&now, &local);
  return CivilDate{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

}  // namespace kiosk::platform
