// SPDX-License-Identifier: GPL-3.0-or-later
// Printing: PDF pages from synthetic images (checked with pdfinfo), the printer-state policy,
// and CUPS behaviour against no server, a silent server and a scripted IPP server. Needs no
// printer, no cupsd and no network beyond loopback.
#include "platform/print.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>

#include "tests/platform/fake_cups.h"

namespace kp = kiosk::platform;
using Clock = std::chrono::steady_clock;

namespace {

// A page with a dark band whose position depends on `n`, on white.
kp::PageImage synthetic_page(int n, int width = 310, int height = 438, double dpi = 37.5) {
  kp::PageImage page;
  page.width = width;
  page.height = height;
  page.dpi = dpi;
  page.rgba.assign(size_t(width) * height * 4, 255);
  for (int y = 20 * n; y < 20 * n + 10 && y < height; ++y)
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &page.rgba[(size_t(y) * width + x) * 4];
      p[0] = p[1] = p[2] = 0;
    }
  return page;
}

int count_pages_in_pdf_source(const std::string& pdf) {
  std::regex page(R"(/Type\s*/Page[^s])");
  return int(
      std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("platform_print_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

#ifdef KIOSK_PDFINFO
// Runs a poppler tool on a file and returns its output.
std::string poppler(const char* tool, const std::filesystem::path& pdf) {
  std::string cmd = std::string(tool) + " '" + pdf.string() + "' 2>&1";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}
#endif

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

TEST(Pdf, A4PixelSizes) {
  EXPECT_EQ(kp::a4_pixels(150).width, 1240);
  EXPECT_EQ(kp::a4_pixels(150).height, 1754);
  EXPECT_EQ(kp::a4_pixels(300).width, 2480);
  EXPECT_EQ(kp::a4_pixels(300).height, 3508);
}

TEST(Pdf, TwoPagesMakeAValidTwoPageA4Pdf) {
  std::string error;
  auto pdf = kp::make_pdf({synthetic_page(1), synthetic_page(2)}, &error);
  ASSERT_TRUE(pdf) << error;
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf->find("%%EOF"), std::string::npos);
  EXPECT_EQ(count_pages_in_pdf_source(*pdf), 2);
#ifdef KIOSK_PDFINFO
  auto dir = fresh_dir("valid");
  std::ofstream(dir / "two.pdf", std::ios::binary) << *pdf;
  std::string info = poppler(KIOSK_PDFINFO, dir / "two.pdf");
  EXPECT_TRUE(std::regex_search(info, std::regex(R"(Pages:\s+2\n)"))) << info;
  EXPECT_NE(info.find("595.276 x 841.89 pts (A4)"), std::string::npos) << info;
  EXPECT_EQ(info.find("Error"), std::string::npos) << info;
  std::filesystem::remove_all(dir);
#endif
}

#ifdef KIOSK_PDFINFO
// pdfimages -list prints each image's resolution on paper (x-ppi, y-ppi): the page's DPI
// when it fits A4, more when a too-large image had to be shrunk onto the sheet.
TEST(Pdf, ImagesArePlacedAtTheirDpiOrShrunkToFitA4) {
  kp::PixelSize a4 = kp::a4_pixels(150);
  kp::PageImage full = synthetic_page(1, a4.width, a4.height, 150);
  kp::PageImage fine = synthetic_page(2, 600, 800, 300);      // 2 x 2.7 inches at 300 dpi
  kp::PageImage too_big = synthetic_page(3, 1240, 1754, 72);  // 17 x 24 inches at 72 dpi
  std::string error;
  auto pdf = kp::make_pdf({full, fine, too_big}, &error);
  ASSERT_TRUE(pdf) << error;
  auto dir = fresh_dir("dpi");
  std::ofstream(dir / "dpi.pdf", std::ios::binary) << *pdf;
  std::string list = poppler(KIOSK_PDFIMAGES " -list", dir / "dpi.pdf");
  std::smatch m;
  std::vector<std::pair<int, int>> ppi;  // (page, x-ppi)
  std::regex row(
      R"(\n\s*(\d+)\s+\d+\s+image\s+\d+\s+\d+\s+\S+\s+\d+\s+\d+\s+\S+\s+\S+\s+\d+\s+\d+\s+(\d+))");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), row); it != std::sregex_iterator();
       ++it)
    ppi.emplace_back(std::stoi((*it)[1]), std::stoi((*it)[2]));
  ASSERT_EQ(ppi.size(), 3u) << list;
  EXPECT_EQ(ppi[0], std::make_pair(1, 150));
  EXPECT_EQ(ppi[1], std::make_pair(2, 300));
  EXPECT_EQ(ppi[2], std::make_pair(3, 150)) << "1240 px shrunk onto 8.27 inches is 150 ppi";
  std::filesystem::remove_all(dir);
}
#endif

TEST(Pdf, DifferentPagesGiveDifferentPdfs) {
  std::string error;
  auto a = kp::make_pdf({synthetic_page(1)}, &error);
  auto b = kp::make_pdf({synthetic_page(5)}, &error);
  ASSERT_TRUE(a && b) << error;
  EXPECT_NE(*a, *b) << "the image content does not reach the PDF";
}

TEST(Pdf, RejectsBadPagesWithTheirNumber) {
  std::string error;
  EXPECT_FALSE(kp::make_pdf({}, &error));
  EXPECT_EQ(error, "no pages to print");

  kp::PageImage short_buffer = synthetic_page(1);
  short_buffer.rgba.resize(10);
  EXPECT_FALSE(kp::make_pdf({synthetic_page(1), short_buffer}, &error));
  EXPECT_NE(error.find("page 2: has 10 bytes of RGBA"), std::string::npos) << error;

  kp::PageImage zero;
  EXPECT_FALSE(kp::make_pdf({zero}, &error));
  EXPECT_NE(error.find("page 1: size 0x0"), std::string::npos) << error;

  kp::PageImage huge;
  huge.width = 1 << 20;
  huge.height = 1 << 20;
  EXPECT_FALSE(kp::make_pdf({huge}, &error)) << "must refuse before allocating";

  kp::PageImage no_dpi = synthetic_page(1);
  no_dpi.dpi = 0;
  EXPECT_FALSE(kp::make_pdf({no_dpi}, &error));
  EXPECT_NE(error.find("dpi"), std::string::npos);
}

TEST(PrinterState, ClassifiesStateReasons) {
  auto outcome = [](int state, bool accepting, std::vector<std::string> reasons) {
    return kp::classify(kp::PrinterStatus{state, accepting, std::move(reasons)}).outcome;
  };
  using O = kp::PrintOutcome;
  EXPECT_EQ(outcome(3, true, {"none"}), O::Printed);
  EXPECT_EQ(outcome(4, true, {}), O::Printed);
  EXPECT_EQ(outcome(3, true, {"media-empty-error"}), O::OutOfPaper);
  EXPECT_EQ(outcome(3, true, {"media-empty"}), O::OutOfPaper);
  EXPECT_EQ(outcome(5, true, {"media-needed-error"}), O::OutOfPaper);
  EXPECT_EQ(outcome(3, true, {"media-low-warning"}), O::Printed);
  EXPECT_EQ(outcome(3, true, {"media-empty-warning"}), O::Printed) << "another tray may work";
  EXPECT_EQ(outcome(3, true, {"offline-report"}), O::PrinterOffline);
  EXPECT_EQ(outcome(3, true, {"toner-low-report", "offline-report"}), O::PrinterOffline);
  EXPECT_EQ(outcome(5, true, {"paused"}), O::PrinterOffline);
  EXPECT_EQ(outcome(5, true, {"none"}), O::PrinterOffline);
  EXPECT_EQ(outcome(3, false, {"none"}), O::PrinterOffline);
  EXPECT_EQ(kp::classify({3, true, {"media-empty-error"}}).reason,
            "printer reports media-empty-error");
}

TEST(Print, NoCupsServerAndNoPrinterIsNoPrinterConfiguredQuickly) {
  kp::PrintSettings settings;
  settings.cups_server = "127.0.0.1:" + std::to_string(fake_cups::closed_port());
  auto t0 = Clock::now();
  auto r = kp::print_pages({synthetic_page(1)}, settings);
  EXPECT_EQ(r.outcome, kp::PrintOutcome::NoPrinterConfigured) << r.reason;
  EXPECT_NE(r.reason.find("no CUPS server at 127.0.0.1:"), std::string::npos) << r.reason;
  EXPECT_LT(seconds_since(t0), 2.0);
}

TEST(Print, NoCupsServerWithANamedPrinterIsOffline) {
  kp::PrintSettings settings;
  settings.printer = "front-desk";
  settings.cups_server = "127.0.0.1:" + std::to_string(fake_cups::closed_port());
  auto r = kp::print_pages({synthetic_page(1)}, settings);
  EXPECT_EQ(r.outcome, kp::PrintOutcome::PrinterOffline) << r.reason;
}

TEST(Print, SilentCupsServerCannotHangTheKiosk) {
  fake_cups::Server silent(fake_cups::Printer{}, true, /*answer=*/false);
  kp::PrintSettings settings;
  settings.cups_server = silent.address();
  settings.printer = "front-desk";
  settings.timeout_ms = 500;
  auto t0 = Clock::now();
  auto r = kp::print_pages({synthetic_page(1)}, settings);
  double took = seconds_since(t0);
  std::printf("silent cupsd, timeout %d ms: print_pages returned after %.2f s\n",
              settings.timeout_ms, took);
  EXPECT_EQ(r.outcome, kp::PrintOutcome::PrinterOffline) << r.reason;
  EXPECT_LT(took, 2.5) << "the timeout did not bound the request (about 3 x timeout_ms expected)";
}

TEST(Print, WithoutPrinterSavesAPrivatePdfThatWipeRemoves) {
  auto dir = fresh_dir("fallback");
  kp::PrintSettings settings;
  settings.cups_server = "127.0.0.1:" + std::to_string(fake_cups::closed_port());
  settings.pdf_dir = dir / "printouts";  // created on demand
  auto r = kp::print_pages({synthetic_page(1), synthetic_page(2)}, settings);
  ASSERT_EQ(r.outcome, kp::PrintOutcome::SavedPdf) << r.reason;
  ASSERT_TRUE(std::filesystem::exists(r.pdf_path));
  EXPECT_EQ(r.pdf_path.parent_path(), settings.pdf_dir);
  struct stat st {};
  ASSERT_EQ(::stat(r.pdf_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "printouts must be readable by the kiosk user only";
  ASSERT_EQ(::stat(settings.pdf_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u) << "the printout directory must be private too";
  std::ifstream in(r.pdf_path, std::ios::binary);
  std::string saved((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(count_pages_in_pdf_source(saved), 2);

  auto second = kp::print_pages({synthetic_page(3)}, settings);
  ASSERT_EQ(second.outcome, kp::PrintOutcome::SavedPdf);
  EXPECT_NE(second.pdf_path, r.pdf_path) << "a later session overwrote an earlier printout";

  std::string error;
  EXPECT_TRUE(kp::wipe_printouts(settings.pdf_dir, &error)) << error;
  EXPECT_TRUE(std::filesystem::is_empty(settings.pdf_dir));
  EXPECT_TRUE(std::filesystem::exists(settings.pdf_dir)) << "the tmpfs mount point must stay";
  EXPECT_TRUE(kp::wipe_printouts(dir / "never-created", &error));
  std::filesystem::remove_all(dir);
}

TEST(Print, BadPagesFailBeforeTouchingCups) {
  kp::PrintSettings settings;
  settings.cups_server = "127.0.0.1:" + std::to_string(fake_cups::closed_port());
  auto r = kp::print_pages({}, settings);
  EXPECT_EQ(r.outcome, kp::PrintOutcome::Failed);
  EXPECT_EQ(r.reason, "no pages to print");
}

TEST(Print, ReadyDefaultPrinterReceivesTheWholePdf) {
  fake_cups::Server cups(fake_cups::Printer{}, /*has_default=*/true);
  kp::PrintSettings settings;
  settings.cups_server = cups.address();
  auto r = kp::print_pages({synthetic_page(1), synthetic_page(2)}, settings);
  ASSERT_EQ(r.outcome, kp::PrintOutcome::Printed)
      << r.reason << " ops " << cups.operations().size();
  EXPECT_EQ(r.job_id, fake_cups::Server::kJobId);
  EXPECT_EQ(r.reason, "job 7 on front-desk");
  std::string doc = cups.document();
  EXPECT_EQ(doc.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(count_pages_in_pdf_source(doc), 2);
  EXPECT_EQ(cups.operations(),
            (std::vector<int>{IPP_OP_CUPS_GET_DEFAULT, IPP_OP_GET_PRINTER_ATTRIBUTES,
                              IPP_OP_CREATE_JOB, IPP_OP_SEND_DOCUMENT}));
}

TEST(Print, OutOfPaperIsReportedBeforeAnythingIsSubmitted) {
  fake_cups::Printer printer;
  printer.reasons = {"media-empty-error", "media-needed"};
  fake_cups::Server cups(printer, true);
  kp::PrintSettings settings;
  settings.cups_server = cups.address();
  settings.printer = "front-desk";
  auto r = kp::print_pages({synthetic_page(1)}, settings);
  EXPECT_EQ(r.outcome, kp::PrintOutcome::OutOfPaper) << r.reason;
  EXPECT_EQ(r.reason, "front-desk: printer reports media-empty-error");
  EXPECT_EQ(cups.operations(), (std::vector<int>{IPP_OP_GET_PRINTER_ATTRIBUTES}));
  EXPECT_TRUE(cups.document().empty());
}

TEST(Print, StoppedPrinterIsOffline) {
  fake_cups::Printer printer;
  printer.state = IPP_PSTATE_STOPPED;
  printer.reasons = {"paused"};
  fake_cups::Server cups(printer, true);
  kp::PrintSettings settings;
  settings.cups_server = cups.address();
  auto r = kp::print_pages({synthetic_page(1)}, settings);
  EXPECT_EQ(r.outcome, kp::PrintOutcome::PrinterOffline) << r.reason;
}

TEST(Print, UnknownQueueOrNoDefaultIsNoPrinterConfigured) {
  fake_cups::Server cups(fake_cups::Printer{}, /*has_default=*/false);
  kp::PrintSettings settings;
  settings.cups_server = cups.address();
  auto no_default = kp::print_pages({synthetic_page(1)}, settings);
  EXPECT_EQ(no_default.outcome, kp::PrintOutcome::NoPrinterConfigured) << no_default.reason;
  EXPECT_EQ(no_default.reason, "CUPS has no default printer");

  settings.printer = "typo-desk";
  auto unknown = kp::print_pages({synthetic_page(1)}, settings);
  EXPECT_EQ(unknown.outcome, kp::PrintOutcome::NoPrinterConfigured) << unknown.reason;
  EXPECT_EQ(unknown.reason, "printer typo-desk is not set up in CUPS");
}

TEST(Print, OutcomeNamesForStaffLogs) {
  EXPECT_STREQ(kp::to_string(kp::PrintOutcome::OutOfPaper), "out of paper");
  EXPECT_STREQ(kp::to_string(kp::PrintOutcome::SavedPdf), "saved as PDF");
}

TEST(Print, SettingsComeFromTheEnvironmentFile) {
  setenv("KIOSK_PRINTER", "front-desk", 1);
  setenv("KIOSK_PRINTOUT_DIR", "/run/migrant-kiosk/printouts", 1);
  unsetenv("KIOSK_CUPS_SERVER");
  kp::PrintSettings s = kp::print_settings_from_env();
  EXPECT_EQ(s.printer, "front-desk");
  EXPECT_EQ(s.pdf_dir, "/run/migrant-kiosk/printouts");
  EXPECT_EQ(s.cups_server, "");
  EXPECT_EQ(s.job_title, "Checklist");
  unsetenv("KIOSK_PRINTER");
  unsetenv("KIOSK_PRINTOUT_DIR");
  EXPECT_EQ(kp::print_settings_from_env().printer, "");
}
