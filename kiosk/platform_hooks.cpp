// Connects the app's hooks to platform/ (speech, printing) and sync/ (staff status).
#include "kiosk/app.h"
#include "kiosk/embedded.h"
#include "kiosk/printout.h"
#include "platform/log.h"
#include "platform/print.h"
#include "platform/speech.h"

namespace kiosk::ui {

static std::string print_outcome_message(const platform::PrintResult& r) {
  switch (r.outcome) {
    case platform::PrintOutcome::Printed: return "ui.takeaway.printed";
    case platform::PrintOutcome::SavedPdf: return "ui.takeaway.saved_pdf";
    case platform::PrintOutcome::OutOfPaper: return "ui.takeaway.out_of_paper";
    default: return "ui.takeaway.printer_offline";
  }
}

void install_platform_hooks(App& app) {
  static platform::Speaker speaker;
  static const platform::PrintSettings print_settings = platform::print_settings_from_env();

  app.hooks.speak = [](const std::string& lang, const std::string& text) {
    if (!platform::has_voice(lang)) return false;
    if (speaker.speak(lang, text)) return true;
    platform::log_warning("speech: " + speaker.last_error());
    return false;
  };
  app.hooks.stop_speaking = [] { speaker.stop(); };
  app.hooks.end_of_session = [] {
    speaker.stop();
    std::string error;
    if (!print_settings.pdf_dir.empty() && !platform::wipe_printouts(print_settings.pdf_dir, &error))
      platform::log_warning("printouts: " + error);
  };
  app.hooks.print = [](const Checklist& user, const std::string& user_lang,
                       const Checklist& office, const std::string& office_lang) {
    // Runs on the print thread: its own text engine (the UI's is not thread-safe).
    text::TextEngine engine;
    std::string error;
    if (!engine.init(&error)) {
      platform::log_error("print: " + error);
      return std::string("ui.takeaway.printer_offline");
    }
    auto pages = render_printout(engine, user, user_lang, office, office_lang);
    platform::PrintResult r = platform::print_pages(pages, print_settings);
    // The reason names the printer state, never the page content.
    platform::log_info(std::string("print: ") + platform::to_string(r.outcome) + ": " + r.reason);
    return print_outcome_message(r);
  };
}

}  // namespace kiosk::ui
