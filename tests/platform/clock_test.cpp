// SPDX-License-Identifier: GPL-3.0-or-later
#include "platform/clock.h"

#include <gtest/gtest.h>
#include <time.h>

#include <chrono>
#include <string>
#include <thread>

namespace kp = kiosk::platform;

TEST(Clock, MonotonicSecondsAdvanceWithRealTime) {
  double a = kp::monotonic_seconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  double b = kp::monotonic_seconds();
  EXPECT_GE(b - a, 0.045);
  EXPECT_LT(b - a, 5.0);
}

TEST(Clock, TodayMatchesTheLocalCalendar) {
  kp::CivilDate d = kp::today_local();
  time_t now = time(nullptr);
  tm local{};
  localtime_r(&now, &local);
  // Compared field by field with the C library; a midnight crossing in between is possible
  // but would show as a one-day difference, so allow the day either side.
  EXPECT_EQ(d.year, local.tm_year + 1900);
  EXPECT_EQ(d.month, local.tm_mon + 1);
  EXPECT_NEAR(d.day, local.tm_mday, 1);
  EXPECT_GE(d.year, 2024);
}

TEST(Clock, FollowsTheTimeZone) {
  // POSIX TZ strings (no tzdata needed; the sign is inverted): UTC+14 and UTC-12 are 26 h
  // apart, so at any instant the eastern date is one or two days after the western one.
  const char* old = getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", "EAST-14", 1);
  tzset();
  kp::CivilDate east = kp::today_local();
  setenv("TZ", "WEST+12", 1);
  tzset();
  kp::CivilDate west = kp::today_local();
  if (old)
    setenv("TZ", saved.c_str(), 1);
  else
    unsetenv("TZ");
  tzset();
  auto serial = [](kp::CivilDate d) {
    tm t{};
    t.tm_year = d.year - 1900;
    t.tm_mon = d.month - 1;
    t.tm_mday = d.day;
    return timegm(&t) / 86400;
  };
  long days = long(serial(east) - serial(west));
  EXPECT_GE(days, 1);
  EXPECT_LE(days, 2);
}
