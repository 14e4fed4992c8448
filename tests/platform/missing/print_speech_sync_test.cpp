// SPDX-License-Identifier: GPL-3.0-or-later
// Printing (libcups), read-aloud (libespeak-ng) and sync (libcurl) on a kiosk where those
// optional libraries are not installed: each feature fails calmly through its usual error
// path, with a reason naming the library for the staff log, and never crashes.
// Its own executable: the sonames are replaced before main(), before anything opens them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "platform/lazy_library.h"
#include "platform/print.h"
#include "platform/speech.h"
#ifdef KIOSK_HAVE_SYNC
#include "sync/http.h"
#endif

namespace kp = kiosk::platform;

namespace {

const bool kLibrariesMissing = [] {
  kp::override_soname_for_test("libcups.so.2", "libdoes-not-exist.so.0");
  kp::override_soname_for_test("libespeak-ng.so.1", "libdoes-not-exist.so.0");
  kp::override_soname_for_test("libcurl.so.4", "libdoes-not-exist.so.0");
  return true;
}();

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::vector<kp::PageImage> one_white_page() {
  kp::PageImage page;
  page.width = 62;
  page.height = 88;
  page.dpi = 7.5;
  page.rgba.assign(size_t(page.width) * page.height * 4, 255);
  return {page};
}

// A fresh directory for this test, removed at the end.
struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("kiosk-missing-" + std::to_string(::getpid()) + "-" +
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST(WithoutLibcups, ANamedPrinterIsOfflineAndTheReasonNamesTheLibrary) {
  ASSERT_TRUE(kLibrariesMissing);
  kp::PrintSettings settings;
  settings.printer = "front-desk";
  kp::PrintResult r = kp::print_pages(one_white_page(), settings);
  EXPECT_EQ(r.outcome, kp::PrintOutcome::PrinterOffline) << r.reason;
  EXPECT_TRUE(contains(r.reason, "libcups.so.2")) << r.reason;
  EXPECT_TRUE(contains(r.reason, "optional library not available")) << r.reason;
}

TEST(WithoutLibcups, NoPrinterStillSavesThePdfCairoMade) {
  TempDir dir;
  kp::PrintSettings settings;
  settings.pdf_dir = dir.path / "printouts";
  kp::PrintResult r = kp::print_pages(one_white_page(), settings);
  ASSERT_EQ(r.outcome, kp::PrintOutcome::SavedPdf) << r.reason;
  EXPECT_TRUE(contains(r.reason, "libcups.so.2")) << r.reason;
  std::ifstream in(r.pdf_path, std::ios::binary);
  std::string head(5, '\0');
  in.read(head.data(), 5);
  EXPECT_EQ(head, "%PDF-");
}

TEST(WithoutLibcups, NoPrinterAndNoPdfDirectoryIsNoPrinterConfigured) {
  kp::PrintResult r = kp::print_pages(one_white_page(), kp::PrintSettings{});
  EXPECT_EQ(r.outcome, kp::PrintOutcome::NoPrinterConfigured) << r.reason;
  EXPECT_TRUE(contains(r.reason, "libcups.so.2")) << r.reason;
}

TEST(WithoutEspeak, NoLanguageHasAVoiceAndStaffLearnWhy) {
  EXPECT_FALSE(kp::has_voice("en"));
  EXPECT_FALSE(kp::voice_installed("en"));
  EXPECT_FALSE(kp::can_read("en", "Residence card"));
  EXPECT_TRUE(contains(kp::speech_engine_error(), "libespeak-ng.so.1"))
      << kp::speech_engine_error();
  std::string error;
  EXPECT_FALSE(kp::synthesize("en", "Residence card", &error));
  EXPECT_TRUE(contains(error, "no voice for en")) << error;
  EXPECT_TRUE(contains(error, "libespeak-ng.so.1")) << error;
}

TEST(WithoutEspeak, SpeakerSaysNoVoiceWithTheReason) {
  kp::Speaker speaker;
  EXPECT_FALSE(speaker.speak("en", "Residence card"));
  EXPECT_FALSE(speaker.speaking());
  EXPECT_TRUE(contains(speaker.last_error(), "libespeak-ng.so.1")) << speaker.last_error();
  EXPECT_FALSE(contains(speaker.last_error(), "Residence")) << "never the text itself";
}

#ifdef KIOSK_HAVE_SYNC
namespace ks = kiosk::sync;

TEST(WithoutLibcurl, RequestsFailAsTransportErrorsNamingTheLibrary) {
  ks::HttpResponse get = ks::http_get("http://127.0.0.1:9/manifest.json", {}, "", 1024);
  EXPECT_FALSE(get.ok());
  EXPECT_EQ(get.status, 0);
  EXPECT_TRUE(contains(get.describe(), "libcurl.so.4")) << get.describe();

  ks::HttpResponse post = ks::http_post("http://127.0.0.1:9/items", {}, "sealed", {});
  EXPECT_FALSE(post.ok());
  EXPECT_TRUE(contains(post.transport_error, "libcurl.so.4")) << post.transport_error;
}

TEST(WithoutLibcurl, ADownloadKeepsItsPartFileForLater) {
  TempDir dir;
  std::string part = (dir.path / "pack.part").string();
  std::ofstream(part, std::ios::binary) << "first half";
  std::string etag = "\"v1\"";
  ks::DownloadResult d = ks::http_download("http://127.0.0.1:9/pack", {}, part, 20, etag);
  EXPECT_FALSE(d.complete());
  EXPECT_TRUE(contains(d.http.transport_error, "libcurl.so.4")) << d.http.transport_error;
  EXPECT_EQ(d.file_size, 10);
  EXPECT_EQ(std::filesystem::file_size(part), 10u);
  EXPECT_EQ(etag, "\"v1\"");
}
#endif
