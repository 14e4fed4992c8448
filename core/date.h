// SPDX-License-Identifier: GPL-3.0-or-later
// Date: a civil (proleptic Gregorian) calendar date without time or time zone.
// Dates in packs and answers are written "YYYY-MM-DD" and parsed strictly:
// "2026-02-30", "2026-2-3" and "2026-02-03x" are rejected.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

class Date {
 public:
  static constexpr int kMinYear = 1;
  static constexpr int kMaxYear = 9999;

  Date() = default;  // 1970-01-01

  // Strict "YYYY-MM-DD" with a real calendar day; nullopt otherwise.
  static std::optional<Date> parse(std::string_view text);
  // nullopt when the day does not exist or the year is outside [kMinYear, kMaxYear].
  static std::optional<Date> from_ymd(int year, int month, int day);
  // Days since 1970-01-01; nullopt outside the supported year range.
  static std::optional<Date> from_days(long long days_since_epoch);

  int year() const { return year_; }
  int month() const { return month_; }
  int day() const { return day_; }
  long long days_since_epoch() const;
  std::string to_string() const;  // "YYYY-MM-DD"

  // nullopt when the result leaves the supported year range.
  std::optional<Date> add_days(long long days) const;
  // Clamps to the last day of the month: 2026-01-31 + 1 month = 2026-02-28.
  std::optional<Date> add_months(long long months) const;

  friend auto operator<=>(const Date&, const Date&) = default;
  friend bool operator==(const Date&, const Date&) = default;

 private:
  Date(int y, int m, int d) : year_(y), month_(m), day_(d) {}
  int year_ = 1970;
  int month_ = 1;
  int day_ = 1;
};

// to - from, in days (negative when `to` is earlier).
long long days_between(const Date& from, const Date& to);
// Whole calendar months from `from` to `to`: the largest m with from + m months <= to
// (negative, symmetric, when `to` is earlier).
long long whole_months_between(const Date& from, const Date& to);

}  // namespace kiosk::core
