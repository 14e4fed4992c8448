// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk: the self-service kiosk program.
//
//   kiosk [--pack DIR] [--locale TAG] [--size WxH] [--fullscreen] [--renderer software|gpu]
//   kiosk --screenshot OUT.png --screen NAME [--locale TAG] [--size WxH]
//   kiosk --script FILE [--size WxH]          (scripted UI tests)
//   kiosk --list-screens
//
// main() is a list of steps: parse flags, load the pack, check the locale, start the text
// engine, then either render one screenshot, run a script, or run the interactive loop.
#include <SDL.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "kiosk/app.h"
#include "kiosk/embedded.h"
#include "kiosk/script.h"
#include "kiosk/window.h"
#include "platform/log.h"
#include "platform/paths.h"
#include "platform/watchdog.h"

using namespace kiosk;

namespace {

struct Flags {
  std::string pack_dir, locale, size = "", screenshot, screen = "welcome", script, today;
  std::string answers, procedure;
  std::string gallery, screens = "all", locales = "all";
  bool fullscreen = false, list_screens = false, check_layout = false, no_png = false;
  std::string staff_pin;
  std::string renderer;
  int text_size = 0;
};

// One line on stderr and a non-zero exit: the contract for every bad input.
int fail(const std::string& message, int code = 2) {
  std::fprintf(stderr, "kiosk: %s\n", message.c_str());
  return code;
}

bool parse_size(const std::string& s, int* w, int* h) {
  std::smatch m;
  static const std::regex re("^([0-9]{3,5})x([0-9]{3,5})$");
  if (!std::regex_match(s, m, re)) return false;
  *w = std::stoi(m[1]);
  *h = std::stoi(m[2]);
  return *w >= 200 && *h >= 200 && *w <= 8192 && *h <= 8192;
}

core::Date device_today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return core::Date::from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday).value_or(core::Date());
}

double seconds_now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// One-shot renders (--screenshot, --gallery) end here without tearing down fonts, caches and
// the window one allocation at a time: the OS takes the memory back at once, and nothing is
// left to flush (the PNG was written and renamed). Sanitizer builds tear down as usual, so
// leak checks still see every destructor.
int exit_now(int code) {
#if defined(__SANITIZE_ADDRESS__)
  return code;
#else
  std::fflush(nullptr);
  std::_Exit(code);
#endif
}

int run_screenshot(ui::App& app, ui::Window& window, const Flags& f, int w, int h) {
  auto screen = ui::screen_from_name(f.screen);
  std::string lang = f.locale.empty() ? app.content().pack().manifest.base_language : f.locale;
  // The welcome screen without --locale stays as a new visitor sees it.
  if (*screen != ui::ScreenId::Welcome || !f.locale.empty()) app.prepare_for_preview(*screen, lang);
  // Two frames: the first lays out and measures, the second draws with settled sizes.
  for (int i = 0; i < 3; ++i) {
    window.begin_frame();
    app.frame(float(w), float(h), 0.0, app.today());
    window.end_frame(false);
  }
  std::string error;
  if (!ui::write_png(f.screenshot, window.read_pixels(w, h), w, h, &error)) return fail(error);
  if (f.check_layout && !app.ui().layout_problems().empty()) {
    for (const auto& p : app.ui().layout_problems())
      std::fprintf(stderr, "kiosk: %s %s %dx%d: %s\n", f.screen.c_str(), f.locale.c_str(), w, h,
                   p.c_str());
    return 4;
  }
  return 0;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

// Renders each screen in each language in one process (fonts and ICU data load once).
int run_gallery(ui::App& app, ui::Window& window, const Flags& f, int w, int h) {
  std::vector<std::string> locales =
      f.locales == "all" ? app.content().languages() : split_list(f.locales);
  std::vector<std::string> screens;
  if (f.screens == "all")
    for (int i = 0; i < ui::kScreenCount; ++i) screens.push_back(ui::screen_name(ui::ScreenId(i)));
  else
    screens = split_list(f.screens);
  for (const auto& s : screens)
    if (!ui::screen_from_name(s)) return fail("unknown screen \"" + s + "\" in --screens");
  for (const auto& l : locales)
    if (!app.content().offers_language(core::canonical_tag(l)))
      return fail("unknown locale \"" + l + "\" in --locales");
  std::error_code ec;
  std::filesystem::create_directories(f.gallery, ec);
  int problems = 0;
  core::Answers answers = app.session().answers();
  std::string procedure = app.visit().procedure_id;
  for (const auto& locale : locales) {
    for (const auto& name : screens) {
      app.end_session();
      for (const auto& [q, a] : answers) app.session().set_answer(q, a);
      app.visit().procedure_id = procedure;
      app.prepare_for_preview(*ui::screen_from_name(name), core::canonical_tag(locale));
      for (int i = 0; i < 2; ++i) {
        window.begin_frame();
        app.frame(float(w), float(h), 0.0, app.today());
        window.end_frame(false);
      }
      std::string path = f.gallery + "/" + locale + "-" + name + "-" + std::to_string(w) + "x" +
                         std::to_string(h) + ".png";
      std::string error;
      if (!f.no_png && !ui::write_png(path, window.read_pixels(w, h), w, h, &error))
        return fail(error);
      for (const auto& p : app.ui().layout_problems()) {
        std::fprintf(stderr, "kiosk: %s: %s\n", path.c_str(), p.c_str());
        problems++;
      }
    }
  }
  std::printf("%zu screens rendered%s%s, %d layout problems\n", locales.size() * screens.size(),
              f.no_png ? "" : " to ", f.no_png ? "" : f.gallery.c_str(), problems);
  return f.check_layout && problems ? 4 : 0;
}

int run_interactive(ui::App& app, ui::Window& window, bool fixed_today) {
  bool running = true;
  int frames_to_draw = 2;
  platform::log_info("kiosk started");
  bool ready_sent = false;
  while (running) {
    double now = seconds_now();
    SDL_Event e;
    bool got_event = false;
    if (frames_to_draw > 0) {
      got_event = SDL_PollEvent(&e);
    } else {
      // Nothing moves: sleep until input, the idle countdown or the watchdog needs us.
      double wake = app.seconds_until_next_wake(now);
      int timeout_ms = wake < 0 ? 60000 : static_cast<int>(wake * 1000) + 5;
      if (platform::watchdog_enabled()) timeout_ms = std::min(timeout_ms, 1000);
      got_event = SDL_WaitEventTimeout(&e, timeout_ms);
      frames_to_draw = 1;
    }
    while (got_event) {
      ImGui_ImplSDL2_ProcessEvent(&e);
      if (e.type == SDL_QUIT) running = false;
      if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_F12) app.go(ui::ScreenId::Staff);
      if (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_BACKSPACE) app.backspace();
      if (e.type == SDL_TEXTINPUT) app.type_text(e.text.text);
      if (e.type == SDL_MOUSEBUTTONDOWN || e.type == SDL_MOUSEBUTTONUP ||
          e.type == SDL_FINGERDOWN || e.type == SDL_KEYDOWN || e.type == SDL_MOUSEWHEEL ||
          (e.type == SDL_MOUSEMOTION && e.motion.state))
        app.note_input(seconds_now());
      frames_to_draw = 3;  // ImGui settles press/release and layout over a few frames
      got_event = SDL_PollEvent(&e);
    }
    int w, h;
    window.size(&w, &h);
    window.begin_frame();
    app.frame(float(w), float(h), seconds_now(), fixed_today ? app.today() : device_today());
    window.end_frame(true);
    frames_to_draw--;
    if (app.take_redraw_request()) frames_to_draw = std::max(frames_to_draw, 1);
    platform::watchdog_feed();
    if (!ready_sent) platform::watchdog_ready(), ready_sent = true;
  }
  return 0;
}

}  // namespace

// What the kiosk reads from its environment (/etc/migrant-kiosk/kiosk.env on a kiosk). The
// manual page is made from this help, and tests/packaging checks that every KIOSK_ variable
// the sources read is named here, so the list cannot fall behind.
constexpr const char* kEnvironmentHelp = R"(Environment:
  KIOSK_STAFF_PIN        PIN of the staff screen (five taps on the top start corner, or F12);
                         unset: no staff mode
  KIOSK_RENDERER         software (default) or gpu, as --renderer
  KIOSK_REPO_URL, KIOSK_REPO_KEYS
                         signed pack repository and its pinned Ed25519 keys (hex, commas);
                         unset: offline on the installed or embedded pack
  KIOSK_OUTBOX_URL       where consented hand-offs go: https://... (kiosk-receiver) or
                         openrosa+https://... (ODK Central, KoboToolbox, Ona)
  KIOSK_AGENCY_KEY       the agency's public sealed-box key (hex), for kiosk-receiver
  KIOSK_OUTBOX_NAME      the help desk named on the consent screen
  KIOSK_OUTBOX_CREDENTIALS
                         OpenRosa: file holding user:password, mode 0600 (or systemd's
                         credential outbox-credentials in CREDENTIALS_DIRECTORY)
  KIOSK_OPENROSA_FORM_KEY
                         OpenRosa: the form's RSA public key (PEM file or base64)
  KIOSK_OPENROSA_ALLOW_UNENCRYPTED
                         1: send hand-offs to an unencrypted form (off by default)
  KIOSK_COUNTS, KIOSK_OFFICE
                         on: keep anonymous daily counts for this office (docs/counts.md)
  KIOSK_COUNTS_K, KIOSK_COUNTS_EPSILON
                         counts: withhold released numbers below K (default 5); noise per cell
  KIOSK_JAPANESE_ERA     1: dates in the Japanese era calendar
  KIOSK_PRINTER, KIOSK_PRINTOUT_DIR, KIOSK_CUPS_SERVER
                         CUPS queue, PDF folder when there is no printer, CUPS server

Files:
  /etc/migrant-kiosk/kiosk.env   the environment above, for the systemd units (mode 0600)
  /var/lib/migrant-kiosk         pack store, outbox and counts (state directory)
See docs/deploy.md (/usr/share/doc/migrant-kiosk/deploy.md) for turning a PC into a kiosk.)";

int main(int argc, char** argv) {
  // 1. Flags.
  Flags f;
  CLI::App cli{"Self-service kiosk for administrative procedures"};
  cli.set_version_flag("--version", KIOSK_APP_VERSION);
  cli.add_option("--pack", f.pack_dir, "Pack folder (default: the embedded demo pack)");
  cli.add_option("--locale", f.locale, "Language tag to start in, e.g. ne, ar, ja-x-easy");
  cli.add_option("--size", f.size, "Window size WxH, e.g. 1080x1920");
  cli.add_flag("--fullscreen", f.fullscreen, "Fill the screen (deployment)");
  cli.add_option("--renderer", f.renderer,
                 "software (default: no GPU driver needed) or gpu; also KIOSK_RENDERER");
  cli.add_option("--screenshot", f.screenshot, "Render one screen to this PNG and exit");
  cli.add_option("--screen", f.screen, "Screen for --screenshot (see --list-screens)");
  cli.add_option("--script", f.script, "Run a UI test script and exit");
  cli.add_option("--answers", f.answers, "Answers JSON for previews (format: docs/pack-format.md)");
  cli.add_option("--procedure", f.procedure,
                 "Procedure id for previews of guide, interview, result");
  cli.add_option("--today", f.today, "Date to use as today, YYYY-MM-DD (tests, previews)");
  cli.add_option("--staff-pin", f.staff_pin, "PIN for staff mode (default: from KIOSK_STAFF_PIN)");
  cli.add_flag("--list-screens", f.list_screens, "List screen names and exit");
  cli.add_option(
      "--gallery", f.gallery,
      "Render screens x languages to DIR/<lang>-<screen>-<WxH>.png (translators' review)");
  cli.add_flag("--no-png", f.no_png, "For --gallery: check layouts only, write no PNG files");
  cli.add_option("--screens", f.screens, "For --gallery: comma-separated screen names, or all");
  cli.add_option("--locales", f.locales, "For --gallery: comma-separated language tags, or all");
  cli.add_option("--text-size", f.text_size,
                 "Text size for previews and galleries: 0 (default), 1 (A+), 2 (A++)")
      ->check(CLI::Range(0, 2));
  cli.add_flag("--check-layout", f.check_layout,
               "With --screenshot: exit 4 if any text is cut off or overflows");
  cli.footer(kEnvironmentHelp);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  if (f.list_screens) {
    for (int i = 0; i < ui::kScreenCount; ++i)
      std::printf("%s\n", ui::screen_name(static_cast<ui::ScreenId>(i)));
    return 0;
  }
  int width = 1080, height = 1920;
  if (!f.size.empty() && !parse_size(f.size, &width, &height))
    return fail("--size must be WIDTHxHEIGHT between 200 and 8192, e.g. 1080x1920 (got \"" +
                f.size + "\")");
  if (f.size.empty() && !f.screenshot.empty()) width = 1080, height = 1920;
  if (f.renderer.empty())
    if (const char* r = std::getenv("KIOSK_RENDERER")) f.renderer = r;
  ui::Renderer renderer = ui::Renderer::Software;
  if (!f.renderer.empty() && !ui::parse_renderer(f.renderer, &renderer))
    return fail("--renderer must be software or gpu (got \"" + f.renderer + "\")");
  if (!f.screenshot.empty() && !ui::screen_from_name(f.screen))
    return fail("unknown screen \"" + f.screen + "\"; kiosk --list-screens lists them");
  std::optional<core::Date> today = device_today();
  if (!f.today.empty() && !(today = core::Date::parse(f.today)))
    return fail("--today must be a real date YYYY-MM-DD (got \"" + f.today + "\")");

  // 2. The pack: a folder given on the command line, else the store's active pack, else the
  // embedded demo pack (start_note says why, for the staff screen).
  // The pack is parsed and validated once (the store's load check keeps what it loaded).
  std::string start_note;
  std::string error;
  ui::Content content;
  if (!f.pack_dir.empty()) {
    auto read = core::read_pack_dir(f.pack_dir, &error);
    if (!read) return fail("cannot read pack " + f.pack_dir + ": " + error);
    if (!content.load(*read, ui::embedded_ui_catalogues(), &error))
      return fail("the pack does not load: " + error);
  } else {
    bool loaded = ui::load_start_pack(content, ui::embedded_pack(), ui::embedded_ui_catalogues(),
                                      &start_note, &error);
    if (!start_note.empty()) platform::log_warning(start_note);
    if (!loaded) return fail("the pack does not load: " + error);
  }

  // Offices may prefer Japanese era dates (令和8年) on screen: KIOSK_JAPANESE_ERA=1.
  if (const char* era = std::getenv("KIOSK_JAPANESE_ERA"); era && std::string(era) == "1")
    content.set_calendar(core::CalendarSystem::Japanese);

  // 3. The locale must be one the pack offers.
  if (!f.locale.empty()) {
    std::string tag = core::canonical_tag(f.locale);
    if (tag.empty() || !content.offers_language(tag)) {
      std::string offered;
      for (const auto& l : content.languages()) offered += " " + l;
      return fail("unknown --locale \"" + f.locale + "\"; this pack offers:" + offered);
    }
    f.locale = tag;
  }

  // 4. Output paths are checked before any rendering, so a typo fails fast.
  if (!f.screenshot.empty() && !ui::check_writable(f.screenshot, &error)) return fail(error);

  // 5. Text engine: fonts from Debian's Noto packages. (The window is declared first so it
  // outlives nothing that holds its textures.)
  ui::Window window;
  text::TextEngine text;
  if (!text.init(&error)) return fail(error);

  // 6. Window. Screenshots and scripts never need a display: SDL's offscreen driver.
  bool headless = !f.screenshot.empty() || !f.script.empty() || !f.gallery.empty();
  if (headless) setenv("SDL_VIDEODRIVER", "offscreen", 0);
  if (!window.open({width, height, f.fullscreen, headless, renderer}, &error))
    return fail(error, 3);
  if (!headless && (window.video_driver() == "offscreen" || window.video_driver() == "dummy"))
    return fail(
        "no display found (DISPLAY and WAYLAND_DISPLAY are unset). To see the screens "
        "without one, render them: kiosk --screenshot welcome.png --screen welcome",
        3);
  text.use_textures(window.texture_hooks());

  ui::Settings settings;
  if (const char* pin = std::getenv("KIOSK_STAFF_PIN")) settings.staff_pin = pin;
  if (!f.staff_pin.empty()) settings.staff_pin = f.staff_pin;
  settings.default_text_size = f.text_size;
  ui::App app(content, text, settings);
  if (!f.procedure.empty()) {
    if (!content.pack().find_procedure(f.procedure))
      return fail("unknown --procedure \"" + f.procedure + "\"");
    app.visit().procedure_id = f.procedure;
  }
  if (!f.answers.empty()) {
    std::ifstream in(f.answers);
    if (!in) return fail("cannot read answers file " + f.answers);
    std::stringstream buf;
    buf << in.rdbuf();
    // A persona file of the golden tests ({"today", "check", "answers": {...}}) works too;
    // --today and --procedure win over its date and check.
    auto preview = ui::parse_preview_answers(content.pack(), buf.str(), &error);
    if (!preview) return fail(f.answers + ": " + error);
    if (f.today.empty() && preview->today) app.set_today(*preview->today), today = preview->today;
    if (f.procedure.empty() && !preview->procedure_id.empty())
      app.visit().procedure_id = preview->procedure_id;
    for (auto& [qid, answer] : preview->answers) app.session().set_answer(qid, answer);
  }
  // Headless runs use a fixed date when given one, so screenshots are reproducible.
  app.set_today(*today);
  ui::install_platform_hooks(app);  // after the date: closed days of counts go out at start
  app.staff().start_note = start_note;
  app.note_input(headless ? 0.0 : seconds_now());
  if (!f.locale.empty() && f.screenshot.empty()) {
    app.visit().locale = f.locale;
    content.localizer().set_locale(f.locale);
    app.go(ui::ScreenId::Procedures);
  }

  // 7. Run.
  if (!f.screenshot.empty()) return exit_now(run_screenshot(app, window, f, width, height));
  if (!f.gallery.empty()) return exit_now(run_gallery(app, window, f, width, height));
  if (!f.script.empty()) return ui::run_script(app, window, f.script, width, height, *today);
  return run_interactive(app, window, !f.today.empty());
}
