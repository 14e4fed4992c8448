// SPDX-License-Identifier: GPL-3.0-or-later
// platform/print_cups.cpp: PrintOutcome policy, CUPS submission and the PDF fallback.
//
// Order of work: render the PDF in memory; connect to cupsd (bounded); find the printer
// (the configured queue or CUPS's default); ask its state and state reasons; only when it is
// ready, create a job and stream the PDF from memory, so no printout touches the kiosk's
// disk. With no printer at all and a PDF directory set, the PDF is saved there instead.
//
// libcups is opened on first use (platform/lazy_library.h), not linked: a kiosk that never
// prints never loads it and the 17 libraries it alone needs (GnuTLS, Kerberos, Avahi). When it
// cannot be loaded, printing fails like an unreachable CUPS, with a reason naming the library.
#include <cups/cups.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <system_error>

#include "platform/lazy_library.h"
#include "platform/paths.h"
#include "platform/print.h"

namespace kiosk::platform {
namespace {

// Every libcups function this file calls, by its own name.
// clang-format off
#define KIOSK_CUPS_FUNCTIONS(X)                                                             \
  X(cupsServer) X(cupsUser) X(ippPort) X(httpConnect2) X(httpSetTimeout) X(httpClose)      \
  X(httpAssembleURIf) X(ippNewRequest) X(ippAddString) X(ippAddStrings) X(ippDelete)       \
  X(ippFindAttribute) X(ippGetStatusCode) X(ippGetString) X(ippGetInteger) X(ippGetBoolean) \
  X(ippGetCount) X(cupsDoRequest) X(cupsLastError) X(cupsLastErrorString)                  \
  X(cupsStartDocument) X(cupsWriteRequestData) X(cupsFinishDocument) X(cupsCancelJob2)
// clang-format on

struct CupsApi {
#define KIOSK_CUPS_MEMBER(name) decltype(&::name) name = nullptr;
  KIOSK_CUPS_FUNCTIONS(KIOSK_CUPS_MEMBER)
#undef KIOSK_CUPS_MEMBER
};

void resolve_cups(CupsApi& api, SymbolResolver& r) {
#define KIOSK_CUPS_RESOLVE(name) r.resolve(api.name, #name);
  KIOSK_CUPS_FUNCTIONS(KIOSK_CUPS_RESOLVE)
#undef KIOSK_CUPS_RESOLVE
}

// Debian 12: libcups2 ships libcups.so.2.
constinit LazyLibrary<CupsApi> g_cups("libcups.so.2", resolve_cups);

PrintResult result(PrintOutcome outcome, std::string reason) {
  PrintResult r;
  r.outcome = outcome;
  r.reason = std::move(reason);
  return r;
}

// "media-empty-error" -> "media-empty": IPP appends -report, -warning or -error.
std::string reason_keyword(const std::string& reason, std::string* severity) {
  for (const char* suffix : {"-report", "-warning", "-error"}) {
    size_t n = std::strlen(suffix);
    if (reason.size() > n && reason.compare(reason.size() - n, n, suffix) == 0) {
      *severity = suffix + 1;
      return reason.substr(0, reason.size() - n);
    }
  }
  severity->clear();
  return reason;
}

// A unique name in the fallback directory; O_EXCL so two sessions never share a file.
std::filesystem::path write_private_pdf(const std::filesystem::path& dir, const std::string& pdf,
                                        std::string* error) {
  std::error_code ec;
  if (!ensure_private_dir(dir, error)) return {};  // 0700: printouts are personal
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto path = dir / ("checklist-" + std::to_string(::getpid()) + "-" +
                       std::to_string(std::time(nullptr)) + "-" + std::to_string(attempt) + ".pdf");
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) {
      *error = "cannot write a PDF in " + dir.string() + ": " + std::strerror(errno);
      return {};
    }
    bool ok = ::write(fd, pdf.data(), pdf.size()) == ssize_t(pdf.size());
    ok = (::close(fd) == 0) && ok;
    if (ok) return path;
    *error = "writing " + path.string() + " failed: " + std::strerror(errno);
    std::filesystem::remove(path, ec);
    return {};
  }
  *error = "cannot find a free file name in " + dir.string();
  return {};
}

PrintResult save_or_report_no_printer(const std::string& pdf, const PrintSettings& settings,
                                      std::string why) {
  if (settings.pdf_dir.empty()) return result(PrintOutcome::NoPrinterConfigured, why);
  std::string error;
  auto path = write_private_pdf(settings.pdf_dir, pdf, &error);
  if (path.empty()) return result(PrintOutcome::Failed, why + "; " + error);
  PrintResult r = result(PrintOutcome::SavedPdf, why + "; saved the PDF instead");
  r.pdf_path = path;
  return r;
}

// The http connection to cupsd with every wait bounded by the timeout.
struct Connection {
  const CupsApi& cups;
  http_t* http = nullptr;
  ~Connection() {
    if (http) cups.httpClose(http);
  }
};

int give_up(http_t*, void*) {
  return 0;
}  // httpSetTimeout: 0 = stop waiting

std::string server_description(const std::string& host, int port) {
  return host[0] == '/' ? host : host + ":" + std::to_string(port);
}

bool connect(const PrintSettings& settings, Connection* connection, std::string* where) {
  const CupsApi& cups = connection->cups;
  std::string host = settings.cups_server.empty() ? cups.cupsServer() : settings.cups_server;
  int port = cups.ippPort();
  size_t colon = host.rfind(':');
  if (host[0] != '/' && colon != std::string::npos && colon + 1 < host.size() &&
      host.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
    port = std::atoi(host.c_str() + colon + 1);
    host.resize(colon);
  }
  *where = server_description(host, port);
  connection->http =
      cups.httpConnect2(host.c_str(), port, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1,
                        settings.timeout_ms, nullptr);
  if (!connection->http) return false;
  cups.httpSetTimeout(connection->http, settings.timeout_ms / 1000.0, give_up, nullptr);
  return true;
}

// ipp://localhost/printers/NAME: cupsd resolves it relative to itself.
std::string printer_uri(const CupsApi& cups, const std::string& name) {
  char uri[HTTP_MAX_URI];
  cups.httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0,
                        "/printers/%s", name.c_str());
  return uri;
}

enum class Lookup { Found, NotFound, Unreachable };

// CUPS-Get-Default: the name of the server's default destination.
Lookup default_printer(const CupsApi& cups, http_t* http, std::string* name) {
  ipp_t* request = cups.ippNewRequest(IPP_OP_CUPS_GET_DEFAULT);
  cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nullptr,
                    "printer-name");
  ipp_t* response = cups.cupsDoRequest(http, request, "/");  // frees request
  Lookup found = Lookup::Unreachable;
  if (response && cups.ippGetStatusCode(response) <= IPP_STATUS_OK_CONFLICTING) {
    ipp_attribute_t* attr = cups.ippFindAttribute(response, "printer-name", IPP_TAG_NAME);
    if (attr) {
      *name = cups.ippGetString(attr, 0, nullptr);
      found = Lookup::Found;
    } else {
      found = Lookup::NotFound;
    }
  } else if (cups.cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
    found = Lookup::NotFound;
  }
  cups.ippDelete(response);
  return found;
}

// Get-Printer-Attributes: state, reasons, accepting-jobs.
Lookup printer_status(const CupsApi& cups, http_t* http, const std::string& name,
                      PrinterStatus* status) {
  static const char* const kWanted[] = {"printer-state", "printer-state-reasons",
                                        "printer-is-accepting-jobs"};
  ipp_t* request = cups.ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
  cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
                    printer_uri(cups, name).c_str());
  cups.ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 3,
                     nullptr, kWanted);
  ipp_t* response = cups.cupsDoRequest(http, request, "/");
  Lookup found = Lookup::Unreachable;
  if (response && cups.ippGetStatusCode(response) <= IPP_STATUS_OK_CONFLICTING) {
    found = Lookup::Found;
    if (auto* a = cups.ippFindAttribute(response, "printer-state", IPP_TAG_ENUM))
      status->state = cups.ippGetInteger(a, 0);
    if (auto* a = cups.ippFindAttribute(response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN))
      status->accepting_jobs = cups.ippGetBoolean(a, 0) != 0;
    if (auto* a = cups.ippFindAttribute(response, "printer-state-reasons", IPP_TAG_KEYWORD)) {
      for (int i = 0; i < cups.ippGetCount(a); ++i)
        status->reasons.push_back(cups.ippGetString(a, i, nullptr));
    }
  } else if (cups.cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
    found = Lookup::NotFound;
  }
  cups.ippDelete(response);
  return found;
}

// Create-Job as one IPP request. (libcups's cupsCreateJob() first re-reads the whole
// destination and its capabilities: two more round trips, and more ways to stall.)
int create_job(const CupsApi& cups, http_t* http, const std::string& name,
               const std::string& title) {
  ipp_t* request = cups.ippNewRequest(IPP_OP_CREATE_JOB);
  cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
                    printer_uri(cups, name).c_str());
  cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
                    cups.cupsUser());
  cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, title.c_str());
  ipp_t* response = cups.cupsDoRequest(http, request, ("/printers/" + name).c_str());
  int job = 0;
  if (response && cups.ippGetStatusCode(response) <= IPP_STATUS_OK_CONFLICTING) {
    if (auto* a = cups.ippFindAttribute(response, "job-id", IPP_TAG_INTEGER))
      job = cups.ippGetInteger(a, 0);
  }
  cups.ippDelete(response);
  return job;
}

// Create-Job + Send-Document streamed from memory; cancels the job if the upload fails.
PrintResult submit(const CupsApi& cups, http_t* http, const std::string& name,
                   const std::string& pdf, const PrintSettings& settings) {
  int job = create_job(cups, http, name, settings.job_title);
  if (job <= 0)
    return result(PrintOutcome::Failed,
                  "CUPS refused the job: " + std::string(cups.cupsLastErrorString()));
  bool sent = cups.cupsStartDocument(http, name.c_str(), job, "checklist.pdf", CUPS_FORMAT_PDF,
                                     1) == HTTP_STATUS_CONTINUE &&
              cups.cupsWriteRequestData(http, pdf.data(), pdf.size()) == HTTP_STATUS_CONTINUE;
  ipp_status_t finished = cups.cupsFinishDocument(http, name.c_str());
  if (!sent || finished > IPP_STATUS_OK_CONFLICTING) {
    std::string why = cups.cupsLastErrorString();
    cups.cupsCancelJob2(http, name.c_str(), job, 0);
    return result(PrintOutcome::Failed, "sending the document to " + name + " failed: " + why);
  }
  PrintResult r = result(PrintOutcome::Printed, "job " + std::to_string(job) + " on " + name);
  r.job_id = job;
  return r;
}

}  // namespace

const char* to_string(PrintOutcome outcome) {
  switch (outcome) {
    case PrintOutcome::Printed:
      return "printed";
    case PrintOutcome::NoPrinterConfigured:
      return "no printer configured";
    case PrintOutcome::PrinterOffline:
      return "printer offline";
    case PrintOutcome::OutOfPaper:
      return "out of paper";
    case PrintOutcome::Failed:
      return "failed";
    case PrintOutcome::SavedPdf:
      return "saved as PDF";
  }
  return "unknown";
}

PrintResult classify(const PrinterStatus& status) {
  for (const std::string& reason : status.reasons) {
    std::string severity;
    std::string keyword = reason_keyword(reason, &severity);
    // A -warning is advice (another tray may still have paper); -error or no suffix blocks.
    bool blocking = severity != "warning";
    if (blocking && (keyword == "media-empty" || keyword == "media-needed"))
      return result(PrintOutcome::OutOfPaper, "printer reports " + reason);
    // CUPS backends report an unreachable device as "offline-report", so any severity counts.
    if (keyword == "offline" || keyword == "shutdown" || keyword == "timed-out" ||
        (keyword == "paused" && blocking))
      return result(PrintOutcome::PrinterOffline, "printer reports " + reason);
  }
  if (status.state == IPP_PSTATE_STOPPED)
    return result(PrintOutcome::PrinterOffline, "printer is stopped");
  if (!status.accepting_jobs)
    return result(PrintOutcome::PrinterOffline, "printer is not accepting jobs");
  return result(PrintOutcome::Printed, "ready");
}

PrintResult print_pages(const std::vector<PageImage>& pages, const PrintSettings& settings) {
  std::string error;
  auto pdf = make_pdf(pages, &error);
  if (!pdf) return result(PrintOutcome::Failed, error);

  const CupsApi* api = g_cups.get(&error);
  if (!api) {  // like a CUPS server that cannot be reached; the reason names the library
    if (settings.printer.empty()) return save_or_report_no_printer(*pdf, settings, error);
    return result(PrintOutcome::PrinterOffline, error);
  }
  const CupsApi& cups = *api;
  Connection connection{cups};
  std::string server;
  if (!connect(settings, &connection, &server)) {
    if (settings.printer.empty())
      return save_or_report_no_printer(*pdf, settings, "no CUPS server at " + server);
    return result(PrintOutcome::PrinterOffline, "CUPS server " + server + " is not reachable");
  }
  std::string name = settings.printer;
  if (name.empty()) {
    switch (default_printer(cups, connection.http, &name)) {
      case Lookup::Found:
        break;
      case Lookup::NotFound:
        return save_or_report_no_printer(*pdf, settings, "CUPS has no default printer");
      case Lookup::Unreachable:
        return save_or_report_no_printer(
            *pdf, settings, "CUPS at " + server + " did not answer: " + cups.cupsLastErrorString());
    }
  }
  PrinterStatus status;
  switch (printer_status(cups, connection.http, name, &status)) {
    case Lookup::Found:
      break;
    case Lookup::NotFound:
      return save_or_report_no_printer(*pdf, settings,
                                       "printer " + name + " is not set up in CUPS");
    case Lookup::Unreachable:
      return result(PrintOutcome::PrinterOffline,
                    "CUPS did not answer about " + name + ": " + cups.cupsLastErrorString());
  }
  PrintResult ready = classify(status);
  if (ready.outcome != PrintOutcome::Printed) {
    ready.reason = name + ": " + ready.reason;
    return ready;
  }
  return submit(cups, connection.http, name, *pdf, settings);
}

PrintSettings print_settings_from_env() {
  PrintSettings s;
  if (const char* v = std::getenv("KIOSK_PRINTER")) s.printer = v;
  if (const char* v = std::getenv("KIOSK_PRINTOUT_DIR")) s.pdf_dir = v;
  if (const char* v = std::getenv("KIOSK_CUPS_SERVER")) s.cups_server = v;
  return s;
}

bool wipe_printouts(const std::filesystem::path& dir, std::string* error) {
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return true;  // nothing was ever saved
  bool ok = true;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    std::error_code remove_ec;
    std::filesystem::remove_all(it->path(), remove_ec);
    if (remove_ec) {
      ok = false;
      if (error) *error = "cannot remove " + it->path().string() + ": " + remove_ec.message();
    }
  }
  if (ec) {
    if (error) *error = "cannot list " + dir.string() + ": " + ec.message();
    return false;
  }
  return ok;
}

}  // namespace kiosk::platform
