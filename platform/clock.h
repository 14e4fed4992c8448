// SPDX-License-Identifier: GPL-3.0-or-later
// platform/clock.h: the two times the kiosk needs. Monotonic seconds drive idle timeouts
// (never the wall clock, which NTP or staff may change); the civil date in local time is
// "today" for deadlines. platform/ does not know core::Date, so the date is three ints.
#pragma once

namespace kiosk::platform {

// Seconds since an arbitrary start, never going backwards (CLOCK_MONOTONIC).
double monotonic_seconds();

struct CivilDate {
  int year = 0;   // e.g. 2026
  int month = 0;  // 1-12
  int day = 0;    // 1-31
};

// Today's date in the kiosk's local time zone (TZ, /etc/localtime).
CivilDate today_local();

}  // namespace kiosk::platform
