// SPDX-License-Identifier: GPL-3.0-or-later
// Digits: every language shows Western digits, the digits of residence cards, tax papers and
// phone numbers in Japan, so one sentence never mixes two digit systems.
#include <gtest/gtest.h>

#include "core/i18n.h"

using namespace kiosk::core;

TEST(LatinDigits, MessagesNumbersAndDatesUseWesternDigitsInEveryScript) {
  Localizer loc("en");
  loc.add_catalogue("ar", {{"days", "{days, plural, one {يوم واحد} other {# يومًا}}"},
                           {"when", "{d, date, long}"}});
  loc.add_catalogue("my", {{"days", "{days, plural, other {# ရက်}}"}});
  loc.add_catalogue("fa", {{"when", "{d, date, long}"}});
  loc.set_locale("ar");
  EXPECT_EQ(loc.format("days", {{"days", std::int64_t{11}}}), "11 يومًا");
  EXPECT_NE(loc.format("when", {{"d", CivilDate{2026, 11, 27}}}).find("2026"), std::string::npos);
  loc.set_locale("my");
  EXPECT_EQ(loc.format("days", {{"days", std::int64_t{47}}}), "47 ရက်");
  // Persian: Gregorian calendar (as on the residence card) and Western digits.
  loc.set_locale("fa");
  EXPECT_NE(loc.format("when", {{"d", CivilDate{2026, 11, 27}}}).find("2026"), std::string::npos);
  EXPECT_EQ(format_number(1234, "ne").find("१"), std::string::npos);
  EXPECT_EQ(format_number(14, "bn"), "14");
}
