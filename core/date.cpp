// SPDX-License-Identifier: GPL-3.0-or-later
// Civil dates on top of std::chrono's calendar types (C++20).
#include "core/date.h"

#include <chrono>
#include <cstdio>

namespace kiosk::core {
namespace {

namespace chr = std::chrono;

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::optional<Date> Date::from_ymd(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                          chr::day{static_cast<unsigned>(day)}};
  if (month < 1 || month > 12 || day < 1 || !ymd.ok()) return std::nullopt;
  return Date(year, month, day);
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  return from_ymd(to_int(y), to_int(m), to_int(d));
}

std::optional<Date> Date::from_days(long long days_since_epoch) {
  // Range check first so the int conversion inside chrono cannot overflow.
  static const long long kMin =
      chr::sys_days{chr::year{kMinYear} / 1 / 1}.time_since_epoch().count();
  static const long long kMax =
      chr::sys_days{chr::year{kMaxYear} / 12 / 31}.time_since_epoch().count();
  if (days_since_epoch < kMin || days_since_epoch > kMax) return std::nullopt;
  chr::year_month_day ymd{chr::sys_days{chr::days{days_since_epoch}}};
  return Date(int(ymd.year()), static_cast<int>(unsigned(ymd.month())),
              static_cast<int>(unsigned(ymd.day())));
}

long long Date::days_since_epoch() const {
  chr::year_month_day ymd{chr::year{year_}, chr::month{static_cast<unsigned>(month_)},
                          chr::day{static_cast<unsigned>(day_)}};
  return chr::sys_days{ymd}.time_since_epoch().count();
}

std::string Date::to_string() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year_, month_, day_);
  return buf;
}

std::optional<Date> Date::add_days(long long days) const {
  constexpr long long kLimit = 10'000LL * 366;  // beyond any supported date
  if (days > kLimit || days < -kLimit) return std::nullopt;
  return from_days(days_since_epoch() + days);
}

std::optional<Date> Date::add_months(long long months) const {
  constexpr long long kLimit = 10'000LL * 12;
  if (months > kLimit || months < -kLimit) return std::nullopt;
  long long index = year_ * 12LL + (month_ - 1) + months;
  long long year = index >= 0 ? index / 12 : -((-index + 11) / 12);
  int month = static_cast<int>(index - year * 12) + 1;
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  auto last = chr::year_month_day_last{chr::year{static_cast<int>(year)} /
                                       chr::month{static_cast<unsigned>(month)} / chr::last};
  int last_day = static_cast<int>(unsigned(last.day()));
  return from_ymd(static_cast<int>(year), month, day_ < last_day ? day_ : last_day);
}

long long days_between(const Date& from, const Date& to) {
  return to.days_since_epoch() - from.days_since_epoch();
}

long long whole_months_between(const Date& from, const Date& to) {
  if (to < from) return -whole_months_between(to, from);
  long long months = (to.year() - from.year()) * 12LL + (to.month() - from.month());
  auto shifted = from.add_months(months);
  if (!shifted || *shifted > to) --months;
  return months;
}

}  // namespace kiosk::core
