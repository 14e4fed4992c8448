// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk/app.h: the kiosk's state and its screens. One file per screen (screen_*.cpp), each a
// thin immediate-mode view over this state and core/.
#pragma once

#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/counts.h"
#include "core/date.h"
#include "core/eval.h"
#include "core/session.h"
#include "kiosk/checklist.h"
#include "kiosk/content.h"
#include "kiosk/ui.h"

namespace kiosk::ui {

// Stable screen ids: used by --screen, --list-screens, scripted tests and translators.
enum class ScreenId {
  Welcome,
  Procedures,
  Guide,
  Interview,
  Result,
  Takeaway,
  Help,
  Staff,
  Handoff,
  Counts  // what anonymous counts keep (when KIOSK_COUNTS=on)
};
constexpr int kScreenCount = 10;
const char* screen_name(ScreenId id);
std::optional<ScreenId> screen_from_name(std::string_view name);

// Every setting with its default; configuration files and flags override these.
struct Settings {
  int idle_warning_seconds = 60;     // "Are you still there?" after this much inactivity
  int idle_reset_seconds = 90;       // then the session is wiped and the welcome screen returns
  std::string office_language = "";  // empty: the pack's office_language
  std::string staff_pin = "";        // empty: staff mode disabled
  int default_text_size = 0;         // 0..2, restored for each new person
};

// What one person chose and answered; wiped at the end of every session.
// Where the person is in the hand-off to a help desk (screen_handoff.cpp).
enum class HandoffStep {
  None,    // not offered or not opened
  Asking,  // the consent screen shows what would be sent; nothing is stored
  Queued,  // the person said yes and the item is in the outbox
  Failed,  // the person said yes but the outbox refused it (full, disk error, ...)
};

struct Visit {
  std::string locale;  // "" until a language is chosen
  std::string procedure_id;
  int question_index = 0;  // position in the visible questions of the current check
  int text_size = 0;
  bool high_contrast = false;
  bool read_aloud = false;
  std::optional<core::CheckResult> result;
  // Date picker state of the current question (not an answer until confirmed).
  int picker_year = 0, picker_month = 0, picker_day = 0;
  double picker_number = 0;
  std::vector<std::string> picked_options;
  std::string notice;  // a calm one-line message for the user (e.g. printer offline)
  std::string search;  // procedure search typed on a keyboard (optional: nothing needs typing)
  HandoffStep handoff = HandoffStep::None;
  std::string handoff_code;  // reference code the person keeps ("K7F3-9QPX"), "" when none
  // For anonymous counts (hooks.count_visit), kept only until the visit ends: the procedures
  // opened and the last result of each check completed.
  std::set<std::string> procedures_seen;
  std::map<std::string, core::CheckResult> checks_done;
};

struct StaffState {
  std::string start_note;  // why the kiosk started on a fallback pack, if it did
  bool unlocked = false;
  std::string pin_entry;
  int failed_attempts = 0;
  double locked_until = 0;  // seconds on the app clock
  int corner_taps = 0;
  double first_corner_tap = 0;
};

struct ConnectionState {
  bool configured = false;  // sync set up on this kiosk
  bool online = false;
  std::optional<core::Date> last_update;  // last successful sync
};

// What the app asks of the world outside core/: printing, speech, sync status. main.cpp
// connects these to platform/ and sync/; tests leave them empty or record calls.
struct Hooks {
  // Prints the bilingual checklist (or saves it as a PDF) off the UI thread; returns the
  // outcome as the id of a calm message for the user (e.g. "ui.takeaway.printed").
  std::function<std::string(const Checklist& user, const std::string& user_lang,
                            const Checklist& office, const std::string& office_lang)>
      print;
  // Reads text aloud in a language; returns false when no voice exists for it.
  std::function<bool(const std::string& lang, const std::string& text)> speak;
  std::function<void()> stop_speaking;
  // Plays recordings the pack ships (WAV files, in the order the screen shows their texts)
  // as one sound; false when they cannot be played (no audio output, ...). Unset: the
  // kiosk never plays recordings and reads with `speak` alone.
  std::function<bool(const std::vector<std::string_view>& wavs)> play_recordings;
  // Called when a visit ends: stop speech, wipe printouts, anything holding the visit.
  std::function<void()> end_of_session;
  // Between two visits: a newer pack to switch to (sync installed one), if any, already
  // loaded and checked the way Content loads one (Content::kLoadOptions).
  std::function<std::shared_ptr<const core::Pack>()> pack_for_next_visit;
  // Connection state for the calm online/offline line; configured=false hides it.
  std::function<ConnectionState()> connection;
  // Lines for the staff screen: sync state, outbox depth, last error.
  std::function<std::vector<std::string>()> staff_status;
  // True when an outbox is set up (KIOSK_OUTBOX_URL and KIOSK_AGENCY_KEY): the take-away
  // screen then offers to send the checklist to a help desk. Unset or false: never offered.
  std::function<bool()> can_send_handoff;
  // Queues a hand-off item (kind "handoff", JSON of core::handoff_json) with the
  // person's explicit consent. The payload is wiped whatever the outcome; false and *error
  // (never containing the payload) when nothing was queued.
  std::function<bool(std::string& payload_json, std::string* error)> send_handoff;
  // Who receives hand-offs, as configured (KIOSK_OUTBOX_NAME); "" or unset: the screen says
  // "the help desk of this office" in the person's language.
  std::function<std::string()> handoff_recipient;
  // Anonymous counts (KIOSK_COUNTS=on, docs/counts.md): called once as each visit ends, with
  // what the visit adds to the day's marginal counts. Set: the welcome and procedure screens
  // say that counts are kept, and the "counts" screen says exactly what. Unset: nothing counted.
  std::function<void(const core::VisitRecord& visit)> count_visit;
};

class App {
 public:
  App(Content& content, text::TextEngine& text, Settings settings);

  // Draws one frame of the current screen. `now` is seconds on a monotonic clock (the
  // scripted tests drive a fake one); `today` the device's civil date.
  void frame(float width, float height, double now, core::Date today);

  // Text typed on a physical or on-screen keyboard (SDL text input), and backspace: they go
  // to the procedure search, the only text field.
  void type_text(const std::string& utf8);
  void backspace();

  // Input happened (any SDL input event): postpones the idle warning.
  void note_input(double now) { last_input_ = now; }
  // Seconds until the app needs a frame without input (idle countdown), or -1: none needed.
  double seconds_until_next_wake(double now) const;

  // Ends the visit: wipes answers, result and every setting the person changed.
  void end_session();

  void go(ScreenId screen);
  ScreenId screen() const { return screen_; }
  Visit& visit() { return visit_; }
  core::Session& session() { return *session_; }
  Content& content() { return content_; }
  Ui& ui() { return ui_; }
  const Settings& settings() const { return settings_; }
  void set_staff_pin(std::string pin) { settings_.staff_pin = std::move(pin); }
  StaffState& staff() { return staff_; }
  core::Date today() const { return today_; }
  void set_today(core::Date d) { today_ = d; }
  double now() const { return now_; }
  bool idle_warning_shown() const { return idle_warning_; }
  // True once after a frame that changed screens: that frame drew the old screen (or
  // nothing), so one more frame is needed before the picture is current.
  bool take_redraw_request() { return std::exchange(redraw_requested_, false); }

  // Prepares a screen for a screenshot or a script: picks a locale and the first procedure
  // when none is chosen, so every screen can render on its own.
  void prepare_for_preview(ScreenId screen, const std::string& locale);

  // Message in the visit's language, from the UI catalogue ("ui.*") or the pack.
  std::string t(std::string_view id, const Args& args = {}) const;
  // Staff screen texts: in the visitor's language if one is chosen, else in the office's
  // language (a Japanese office opens staff mode from the welcome screen).
  std::string staff_t(std::string_view id, const Args& args = {}) const;
  // The check of the current procedure ("" when it has none).
  std::string current_check() const;
  // Evaluates the current check with the session's answers.
  void evaluate_now();
  // Prints the checklist in the visit's language beside the office language.
  void print_checklist();
  bool printing() const { return print_job_.valid(); }
  std::vector<std::string> staff_lines() const;
  // The checklist of this visit in language `tag`; once a hand-off is queued it ends with
  // the reference code, so the QR code and the printout carry it too.
  Checklist visit_checklist(const std::string& tag) const;

  // Hand-off to a help desk. Offered when an outbox is set up and the result has findings
  // that need action (a blocker or an action).
  bool can_offer_handoff() const;
  // Opens the consent screen with a new reference code; nothing is stored yet.
  void begin_handoff();
  // "No": the code is forgotten and the take-away screen returns; nothing was stored.
  void decline_handoff();
  // "Yes": queues the item through hooks.send_handoff and shows the outcome.
  void confirm_handoff();
  // Who receives it, in the visit's language.
  std::string handoff_recipient() const;
  // The checklist text that is sent, exactly (no reference code line, nothing cut).
  std::string handoff_text(const std::string& tag) const;
  // Back to the previous screen, as the footer's back button does.
  void go_back();
  Hooks hooks;

 private:
  void draw_chrome(float width, float height, Rect* content_area);
  void draw_idle_warning();
  void handle_hidden_staff_gesture();
  void poll_print_job();
  void read_screen_aloud(ScreenId drawn_screen, int drawn_question);
  void forget_handoff_code();
  std::vector<std::string_view> recordings_for(const std::vector<std::string>& texts, size_t first);

  Content& content_;
  text::TextEngine& text_;
  Ui ui_;
  Settings settings_;
  std::unique_ptr<core::Session> session_;
  Visit visit_;
  StaffState staff_;
  ScreenId screen_ = ScreenId::Welcome;
  std::vector<ScreenId> history_;
  double now_ = 0, last_input_ = 0;
  bool idle_warning_ = false;
  bool redraw_requested_ = false;
  std::future<std::string> print_job_;  // message id of the outcome, once done
  ScreenId spoken_screen_ = ScreenId::Welcome;
  int spoken_question_ = -1;  // the interview's question index when last read aloud
  std::string spoken_locale_;
  // The texts of the recorded messages in one language, as screens draw them (built once per
  // language and pack: formatting every recorded message on each screen change is waste).
  struct RecordedTexts {
    std::shared_ptr<const core::Pack> pack;
    std::string locale;
    std::map<std::string, const std::string*, std::less<>> wav_by_text;
  } recorded_texts_;
  size_t chrome_text_count_ = 0;
  core::Date today_;
};

// Screens: one function each, in screen_*.cpp.
void draw_welcome(App& app, const Rect& area);
void draw_procedures(App& app, const Rect& area);
void draw_guide(App& app, const Rect& area);
void draw_interview(App& app, const Rect& area);
void draw_result(App& app, const Rect& area);
void draw_takeaway(App& app, const Rect& area);
void draw_help(App& app, const Rect& area);
void draw_staff(App& app, const Rect& area);
void draw_handoff(App& app, const Rect& area);
void draw_counts(App& app, const Rect& area);

// Shared by the guide, result and help screens (screen_guide.cpp).
struct Column;
// The one-line notice that anonymous counts are kept, in each of `langs`, and a button to the
// counts screen; nothing when counts are off.
void draw_counts_notice(App& app, Column& col, const std::string& lang);
void draw_counts_notice(App& app, Column& col, const std::vector<std::string>& langs);
void draw_help_place(App& app, Column& col, const std::string& help_id);
std::vector<std::string> help_for_user(App& app, const std::vector<std::string>& ids);

}  // namespace kiosk::ui
