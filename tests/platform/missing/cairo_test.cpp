// SPDX-License-Identifier: GPL-3.0-or-later
// Printing on a kiosk where libcairo (which makes the PDF) is not installed: the print
// fails before CUPS is asked anything, with a reason naming the library; pages are still
// checked first, so a bad page keeps its own message.
// Its own executable: the soname is replaced before main(), before anything opens it.
#include <gtest/gtest.h>

#include "platform/lazy_library.h"
#include "platform/print.h"

namespace kp = kiosk::platform;

namespace {

const bool kCairoMissing = [] {
  kp::override_soname_for_test("libcairo.so.2", "libdoes-not-exist.so.0");
  return true;
}();

kp::PageImage white_page(int width, int height) {
  kp::PageImage page;
  page.width = width;
  page.height = height;
  page.dpi = 7.5;
  page.rgba.assign(size_t(width) * height * 4, 255);
  return page;
}

}  // namespace

TEST(WithoutLibcairo, MakePdfSaysWhichLibraryIsMissing) {
  ASSERT_TRUE(kCairoMissing);
  std::string error;
  EXPECT_FALSE(kp::make_pdf({white_page(62, 88)}, &error));
  EXPECT_NE(error.find("libcairo.so.2"), std::string::npos) << error;
}

TEST(WithoutLibcairo, BadPagesAreStillReportedAsBadPages) {
  kp::PageImage bad = white_page(62, 88);
  bad.rgba.resize(10);
  std::string error;
  EXPECT_FALSE(kp::make_pdf({bad}, &error));
  EXPECT_NE(error.find("page 1"), std::string::npos) << error;
}

TEST(WithoutLibcairo, PrintingFailsCalmlyWithTheReason) {
  kp::PrintSettings settings;
  settings.printer = "front-desk";
  settings.cups_server = "127.0.0.1:9";
  kp::PrintResult r = kp::print_pages({white_page(62, 88)}, settings);
  EXPECT_EQ(r.outcome, kp::PrintOutcome::Failed) << r.reason;
  EXPECT_NE(r.reason.find("libcairo.so.2"), std::string::npos) << r.reason;
}
