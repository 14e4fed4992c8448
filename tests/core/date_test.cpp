// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/date.h"

#include <gtest/gtest.h>

namespace kiosk::core {
namespace {

Date d(const char* s) {
  return Date::parse(s).value();
}

TEST(Date, ParsesStrictly) {
  EXPECT_TRUE(Date::parse("2026-02-28"));
  EXPECT_TRUE(Date::parse("2028-02-29"));
  EXPECT_FALSE(Date::parse("2026-02-29"));
  EXPECT_FALSE(Date::parse("2026-02-30"));
  EXPECT_FALSE(Date::parse("2026-13-01"));
  EXPECT_FALSE(Date::parse("2026-00-10"));
  EXPECT_FALSE(Date::parse("2026-2-3"));
  EXPECT_FALSE(Date::parse("2026-02-03x"));
  EXPECT_FALSE(Date::parse(" 2026-02-03"));
  EXPECT_FALSE(Date::parse("0000-01-01"));
  EXPECT_FALSE(Date::parse(""));
  EXPECT_EQ(d("2026-11-27").to_string(), "2026-11-27");
}

TEST(Date, AddsMonthsClampingToMonthEnd) {
  EXPECT_EQ(d("2026-01-31").add_months(1)->to_string(), "2026-02-28");
  EXPECT_EQ(d("2028-01-31").add_months(1)->to_string(), "2028-02-29");
  EXPECT_EQ(d("2026-05-31").add_months(-3)->to_string(), "2026-02-28");
  EXPECT_EQ(d("2026-11-27").add_months(2)->to_string(), "2027-01-27");
  EXPECT_EQ(d("2026-01-15").add_months(-13)->to_string(), "2024-12-15");
  EXPECT_FALSE(d("9999-12-01").add_months(1));
  EXPECT_FALSE(d("0001-01-01").add_months(-1));
}

TEST(Date, AddsDaysAndCountsBetween) {
  EXPECT_EQ(d("2026-12-31").add_days(1)->to_string(), "2027-01-01");
  EXPECT_EQ(d("2028-03-01").add_days(-1)->to_string(), "2028-02-29");
  EXPECT_EQ(days_between(d("2026-11-27"), d("2027-01-31")), 65);
  EXPECT_EQ(days_between(d("2027-01-31"), d("2026-11-27")), -65);
  EXPECT_FALSE(d("2026-01-01").add_days(1LL << 40));
}

TEST(Date, CountsWholeMonths) {
  EXPECT_EQ(whole_months_between(d("2026-01-31"), d("2026-02-28")), 1);
  EXPECT_EQ(whole_months_between(d("2026-01-15"), d("2026-02-14")), 0);
  EXPECT_EQ(whole_months_between(d("2026-01-15"), d("2026-02-15")), 1);
  EXPECT_EQ(whole_months_between(d("2026-02-15"), d("2026-01-15")), -1);
  EXPECT_EQ(whole_months_between(d("2025-11-27"), d("2026-11-27")), 12);
}

TEST(Date, Orders) {
  EXPECT_LT(d("2026-01-01"), d("2026-01-02"));
  EXPECT_EQ(d("2026-01-01"), d("2026-01-01"));
}

}  // namespace
}  // namespace kiosk::core
