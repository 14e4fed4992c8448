// SPDX-License-Identifier: GPL-3.0-or-later
// platform/print.h: printing the take-away checklist.
//
// The kiosk renders every page itself (its text engine draws every script correctly) into
// an RGBA image; platform turns the pages into an A4 PDF (pdf_cairo.cpp) and sends it to
// CUPS (print_cups.cpp), or saves it to a directory when no printer is configured.
//
// Privacy: a printout is derived from a person's answers. The PDF goes to CUPS from memory
// (no file on the kiosk); the fallback directory should be a tmpfs that wipe_printouts()
// empties at every session end (docs/deploy.md). Reasons and logs never contain page content.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::platform {

// One page as the kiosk drew it: straight (not premultiplied) RGBA, row-major, 4 bytes per
// pixel, no row padding. `dpi` says how large a pixel is on paper.
struct PageImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;
  double dpi = 150;
};

// The pixel size of a full A4 portrait page (210 x 297 mm) at `dpi`: render pages at this
// size and they fill the sheet exactly (150 dpi -> 1240 x 1754).
struct PixelSize {
  int width = 0;
  int height = 0;
};
PixelSize a4_pixels(double dpi);

// Lays the pages out on A4 portrait sheets, one image per sheet, at the image's DPI from
// the top-left corner (scaled down to fit if the image is larger than the sheet).
// Returns the PDF bytes, or nothing with `error` set (bad page size, cairo failure, or
// libcairo.so.2 not installed: it is opened on first use, see platform/lazy_library.h).
std::optional<std::string> make_pdf(const std::vector<PageImage>& pages, std::string* error);

enum class PrintOutcome {
  Printed,              // CUPS accepted the job
  NoPrinterConfigured,  // no printer set and CUPS has no default (and no PDF directory)
  PrinterOffline,       // printer stopped, not accepting jobs, unreachable, or CUPS down
  OutOfPaper,           // media-empty / media-needed reported before submitting
  Failed,               // anything else (bad pages, CUPS refused the job, disk full)
  SavedPdf,             // no printer: the PDF was written to PrintSettings::pdf_dir
};
const char* to_string(PrintOutcome outcome);

struct PrintResult {
  PrintOutcome outcome = PrintOutcome::Failed;
  std::string reason;              // for staff logs and the staff screen; never page content
  int job_id = 0;                  // CUPS job id when Printed
  std::filesystem::path pdf_path;  // the file written when SavedPdf
};

struct PrintSettings {
  // CUPS queue name; empty: the CUPS default destination.
  std::string printer;
  // Where a PDF goes when no printer is configured (a tmpfs such as
  // /run/migrant-kiosk/printouts); empty: never write one.
  std::filesystem::path pdf_dir;
  // "host[:port]" or a socket path; empty: CUPS's own default (CUPS_SERVER, client.conf).
  std::string cups_server;
  // Bound for connecting to CUPS and for each wait on it, so a wedged cupsd cannot hold a
  // print forever: a cupsd that accepts and never answers costs about 3 x timeout_ms in all
  // (measured in tests/platform/print_test.cpp). A local cupsd answers in milliseconds.
  int timeout_ms = 1500;
  // Job title shown in the CUPS queue: fixed text, never anything the person entered.
  std::string job_title = "Checklist";
};

// Settings from the environment (set in /etc/migrant-kiosk/kiosk.env, read by systemd):
// KIOSK_PRINTER (queue name), KIOSK_PRINTOUT_DIR (PDF fallback directory), KIOSK_CUPS_SERVER.
// Unset variables keep the defaults above.
PrintSettings print_settings_from_env();

// What CUPS reports about a printer, before anything is submitted.
struct PrinterStatus {
  int state = 0;                     // IPP printer-state: 3 idle, 4 processing, 5 stopped
  bool accepting_jobs = true;        // printer-is-accepting-jobs
  std::vector<std::string> reasons;  // printer-state-reasons, e.g. "media-empty-error"
};

// Decides, from the reported status alone, whether a job can go now: Printed means "ready";
// otherwise PrinterOffline or OutOfPaper with a reason. Pure, so it is tested directly.
PrintResult classify(const PrinterStatus& status);

// Renders the pages to a PDF and prints it, or saves it when no printer is configured.
// libcups.so.2 is opened on first use; when it is not installed this behaves like an
// unreachable CUPS server (PrinterOffline with a named printer, else NoPrinterConfigured or
// SavedPdf) and the reason names the library.
// Bounded by settings.timeout_ms per CUPS step; never throws. Blocking: call it off the
// render loop (a std::async in the UI is enough).
PrintResult print_pages(const std::vector<PageImage>& pages, const PrintSettings& settings);

// Deletes every file in `dir` (the PDF fallback directory), leaving the directory itself.
// Called at session end. Returns false with `error` set when something could not be removed.
bool wipe_printouts(const std::filesystem::path& dir, std::string* error);

}  // namespace kiosk::platform
