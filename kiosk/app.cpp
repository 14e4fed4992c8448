// SPDX-License-Identifier: GPL-3.0-or-later
#include "kiosk/app.h"

#include <algorithm>
#include <cmath>

#include "kiosk/checklist.h"
#include "platform/log.h"

namespace kiosk::ui {

static const char* kScreenNames[kScreenCount] = {"welcome", "procedures", "guide", "interview",
                                                 "result",  "takeaway",   "help",  "staff",
                                                 "handoff", "counts"};

const char* screen_name(ScreenId id) {
  return kScreenNames[static_cast<int>(id)];
}

std::optional<ScreenId> screen_from_name(std::string_view name) {
  for (int i = 0; i < kScreenCount; ++i)
    if (name == kScreenNames[i]) return static_cast<ScreenId>(i);
  return std::nullopt;
}

App::App(Content& content, text::TextEngine& text, Settings settings)
    : content_(content), text_(text), ui_(text), settings_(std::move(settings)) {
  session_ = std::make_unique<core::Session>(content_.pack_ptr());
  visit_.text_size = settings_.default_text_size;
}

std::string App::t(std::string_view id, const Args& args) const {
  return content_.t(id, args);
}

std::string App::staff_t(std::string_view id, const Args& args) const {
  const std::string& lang = visit_.locale.empty() ? content_.office_language() : visit_.locale;
  return content_.t_in(lang, id, args);
}

void App::go(ScreenId screen) {
  if (screen == screen_) return;
  // Leaving the consent screen without a yes: the code shown there is forgotten.
  if (screen_ == ScreenId::Handoff && visit_.handoff == HandoffStep::Asking) forget_handoff_code();
  if (screen == ScreenId::Welcome)
    history_.clear();
  else
    history_.push_back(screen_);
  screen_ = screen;
  if (screen == ScreenId::Guide && !visit_.procedure_id.empty())
    visit_.procedures_seen.insert(visit_.procedure_id);
  redraw_requested_ = true;
  platform::log_info(std::string("screen ") + screen_name(screen));
}

void App::end_session() {
  if (hooks.end_of_session) hooks.end_of_session();
  // Anonymous counts take what the visit adds to the day's marginal cells, nothing else;
  // then the visit is wiped as always.
  if (hooks.count_visit && !visit_.locale.empty()) {
    core::VisitRecord record{visit_.locale, visit_.procedures_seen, {}};
    for (auto& [check, result] : visit_.checks_done) record.checks.push_back(result);
    hooks.count_visit(record);
  }
  session_->clear();
  wipe_string(visit_.handoff_code);
  visit_ = Visit{};
  visit_.text_size = settings_.default_text_size;
  staff_.unlocked = false;
  staff_.pin_entry.clear();
  history_.clear();
  screen_ = ScreenId::Welcome;
  idle_warning_ = false;
  redraw_requested_ = true;
  // Laid-out strings (results hold dates derived from answers) leave memory with the session.
  text_.clear_cache();
  // A pack that sync installed during the visit is switched in now, between two people.
  if (hooks.pack_for_next_visit) {
    if (auto pack = hooks.pack_for_next_visit()) {
      content_.reload(std::move(pack));
      session_ = std::make_unique<core::Session>(content_.pack_ptr());
    }
  }
  content_.localizer().set_locale(content_.pack().manifest.base_language);
  platform::log_info("session ended");
}

void App::type_text(const std::string& utf8) {
  if (screen_ != ScreenId::Procedures || visit_.search.size() + utf8.size() > 200) return;
  visit_.search += utf8;
  redraw_requested_ = true;
}

void App::backspace() {
  if (screen_ != ScreenId::Procedures || visit_.search.empty()) return;
  // Remove the last UTF-8 character, not the last byte.
  size_t n = visit_.search.size() - 1;
  while (n > 0 && (static_cast<unsigned char>(visit_.search[n]) & 0xC0) == 0x80) --n;
  visit_.search.resize(n);
  redraw_requested_ = true;
}

std::string App::current_check() const {
  const core::Procedure* p = content_.pack().find_procedure(visit_.procedure_id);
  return p ? p->check_id : std::string();
}

void App::evaluate_now() {
  std::string check = current_check();
  if (check.empty()) {
    visit_.result.reset();
    return;
  }
  visit_.result = core::evaluate(content_.pack(), check, session_->answers(), today_);
  visit_.checks_done[check] = *visit_.result;
}

void App::print_checklist() {
  const core::Procedure* p = content_.pack().find_procedure(visit_.procedure_id);
  if (!p || print_job_.valid()) return;
  if (!hooks.print) {
    visit_.notice = t("ui.takeaway.printer_offline");
    return;
  }
  const std::string& office = content_.office_language();
  Checklist user_list = visit_checklist(visit_.locale);
  Checklist office_list = visit_checklist(office);
  visit_.notice = t("ui.loading");
  // The hook renders and prints on its own thread: a slow printer never stalls a frame.
  print_job_ = std::async(std::launch::async, hooks.print, std::move(user_list), visit_.locale,
                          std::move(office_list), office);
}

Checklist App::visit_checklist(const std::string& tag) const {
  const core::Procedure* p = content_.pack().find_procedure(visit_.procedure_id);
  if (!p) return {};
  Checklist c = build_checklist(content_, tag, *p, visit_.result);
  if (visit_.handoff == HandoffStep::Queued)
    // First: a QR code too short for everything drops lines from the end, never this one.
    c.todo.insert(c.todo.begin(),
                  content_.t_in(tag, "ui.handoff.code_line", {{"code", visit_.handoff_code}}));
  return c;
}

bool App::can_offer_handoff() const {
  return hooks.can_send_handoff && hooks.send_handoff && hooks.can_send_handoff() &&
         content_.pack().find_procedure(visit_.procedure_id) && needs_action(visit_.result);
}

void App::begin_handoff() {
  if (visit_.handoff == HandoffStep::Queued) return;  // one item per visit
  wipe_string(visit_.handoff_code);
  visit_.handoff_code = make_reference_code();
  visit_.handoff = HandoffStep::Asking;
  go(ScreenId::Handoff);
}

void App::forget_handoff_code() {
  wipe_string(visit_.handoff_code);
  visit_.handoff = HandoffStep::None;
}

void App::decline_handoff() {
  forget_handoff_code();
  go_back();
}

std::string App::handoff_text(const std::string& tag) const {
  const core::Procedure* p = content_.pack().find_procedure(visit_.procedure_id);
  if (!p) return "";
  return checklist_text(build_checklist(content_, tag, *p, visit_.result));
}

std::string App::handoff_recipient() const {
  std::string name = hooks.handoff_recipient ? hooks.handoff_recipient() : std::string();
  return name.empty() ? t("ui.handoff.default_recipient") : name;
}

void App::confirm_handoff() {
  if (visit_.handoff != HandoffStep::Asking || !hooks.send_handoff) return;
  const auto& manifest = content_.pack().manifest;
  const std::string& office = content_.office_language();
  core::Handoff item;
  item.code = visit_.handoff_code;
  item.pack_id = manifest.id;
  item.pack_version = manifest.version;
  item.procedure_id = visit_.procedure_id;
  item.language = visit_.locale;
  item.office_language = office;
  item.date = today_;
  item.checklist_user = handoff_text(visit_.locale);
  item.checklist_office = handoff_text(office);
  if (visit_.result) item.findings = handoff_findings(*visit_.result);
  std::string json = core::handoff_json(item);
  core::wipe_handoff(item);
  std::string error;
  bool queued = hooks.send_handoff(json, &error);
  wipe_string(json);
  // The log says what happened, never the code or the checklist.
  if (queued) {
    visit_.handoff = HandoffStep::Queued;
    platform::log_info("handoff queued");
  } else {
    visit_.handoff = HandoffStep::Failed;
    wipe_string(visit_.handoff_code);
    platform::log_warning("handoff not queued: " + error);
  }
  redraw_requested_ = true;
}

void App::go_back() {
  if (history_.empty()) return;
  if (screen_ == ScreenId::Handoff && visit_.handoff == HandoffStep::Asking) forget_handoff_code();
  ScreenId previous = history_.back();
  history_.pop_back();
  screen_ = previous;
  // Back from the result lands on the last question, not past the end of the interview.
  if (previous == ScreenId::Interview) {
    auto visible = session_->visible_questions(current_check(), today_);
    visit_.question_index = std::max(0, static_cast<int>(visible.size()) - 1);
    visit_.picker_year = 0;
    visit_.result.reset();
  }
  redraw_requested_ = true;
}

void App::poll_print_job() {
  if (!print_job_.valid() ||
      print_job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return;
  visit_.notice = t(print_job_.get());
  redraw_requested_ = true;
}

// "1. " or "• ": what the guide puts before a step or a document; the recording reads the
// message, not the marker.
static std::string_view without_list_marker(std::string_view text) {
  constexpr std::string_view kBullet = "• ";
  if (text.substr(0, kBullet.size()) == kBullet) return text.substr(kBullet.size());
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits > 0 && text.substr(digits, 2) == ". ") return text.substr(digits + 2);
  return text;
}

// A text on screen is read from a recording when it is exactly the text of a recorded
// message in the visit's language (after a list marker): the words match what was recorded,
// whichever screen drew them. Texts with placeholders never match (the loader warns).
std::vector<std::string_view> App::recordings_for(const std::vector<std::string>& texts,
                                                  size_t first) {
  auto pack = content_.pack_ptr();
  auto lang = pack->recordings.find(visit_.locale);
  if (lang == pack->recordings.end()) return {};
  if (recorded_texts_.pack != pack || recorded_texts_.locale != visit_.locale) {
    recorded_texts_ = {pack, visit_.locale, {}};
    for (const auto& [id, wav] : lang->second)
      recorded_texts_.wav_by_text.emplace(content_.t_in(visit_.locale, id), &wav);
  }
  std::vector<std::string_view> wavs;
  for (size_t i = first; i < texts.size(); ++i) {
    const auto& by_text = recorded_texts_.wav_by_text;
    auto it = by_text.find(std::string_view(texts[i]));
    if (it == by_text.end()) it = by_text.find(without_list_marker(texts[i]));
    if (it != by_text.end()) wavs.emplace_back(*it->second);
  }
  return wavs;
}

// Reads the screen once per screen, question and language. Recordings win: when any text on
// the screen has one, the recordings are played in screen order and nothing is synthesised
// (docs/pack-format.md says why); otherwise espeak-ng reads every text, where it has a voice.
void App::read_screen_aloud(ScreenId drawn_screen, int drawn_question) {
  if (!visit_.read_aloud || visit_.locale.empty()) return;
  // A tap that changed the screen or the question mid-frame: this frame drew the old one.
  if (drawn_screen != screen_ || drawn_question != visit_.question_index) return;
  if (spoken_screen_ == screen_ && spoken_question_ == visit_.question_index &&
      spoken_locale_ == visit_.locale)
    return;
  spoken_screen_ = screen_;
  spoken_question_ = visit_.question_index;
  spoken_locale_ = visit_.locale;
  const std::string no_voice = t("ui.settings.no_voice");
  const auto& texts = ui_.texts();
  auto wavs = recordings_for(texts, chrome_text_count_);
  if (!wavs.empty() && hooks.play_recordings && hooks.play_recordings(wavs)) {
    if (visit_.notice == no_voice) visit_.notice.clear();  // said about an earlier screen
    return;
  }
  std::string text;
  for (size_t i = chrome_text_count_; i < texts.size(); ++i) text += texts[i] + "\n";
  if (!hooks.speak || !hooks.speak(visit_.locale, text)) visit_.notice = no_voice;
}

std::vector<std::string> App::staff_lines() const {
  if (!hooks.staff_status) return {staff_t("ui.staff.sync_off")};
  return hooks.staff_status();
}

void App::prepare_for_preview(ScreenId screen, const std::string& locale) {
  visit_.locale = locale;
  content_.localizer().set_locale(locale);
  if (visit_.procedure_id.empty()) {
    // Prefer a procedure with a readiness check, so interview and result have content.
    for (const auto& p : content_.pack().procedures)
      if (!p.check_id.empty()) {
        visit_.procedure_id = p.id;
        break;
      }
    if (visit_.procedure_id.empty() && !content_.pack().procedures.empty())
      visit_.procedure_id = content_.pack().procedures.front().id;
  }
  if (screen == ScreenId::Result || screen == ScreenId::Takeaway) evaluate_now();
  if (screen == ScreenId::Staff) staff_.unlocked = true;
  if (screen == ScreenId::Handoff) {
    evaluate_now();
    visit_.handoff_code = make_reference_code();
    visit_.handoff = HandoffStep::Asking;
  }
  screen_ = screen;
}

double App::seconds_until_next_wake(double now) const {
  bool something_to_wipe = !visit_.locale.empty() || screen_ != ScreenId::Welcome ||
                           visit_.high_contrast || visit_.text_size != settings_.default_text_size;
  if (print_job_.valid()) return 0.1;  // poll the printer job
  if (!something_to_wipe) return -1;
  double idle = now - last_input_;
  if (idle < settings_.idle_warning_seconds) return settings_.idle_warning_seconds - idle;
  if (idle < settings_.idle_reset_seconds)
    return std::min(1.0, settings_.idle_reset_seconds - idle);
  return 0;
}

void App::handle_hidden_staff_gesture() {
  // Staff mode: five taps within three seconds on the top start corner (an invisible square
  // of one touch target), or F12 on a keyboard (see main.cpp). Documented in docs/deploy.md.
  Rect corner{0, 0, ui_.touch(), ui_.touch()};
  if (!ImGui::IsMouseReleased(0) || !ui_.to_screen(corner).contains(ImGui::GetIO().MousePos))
    return;
  if (now_ - staff_.first_corner_tap > 3.0) {
    staff_.first_corner_tap = now_;
    staff_.corner_taps = 0;
  }
  if (++staff_.corner_taps >= 5) {
    staff_.corner_taps = 0;
    go(ScreenId::Staff);
  }
}

void App::draw_chrome(float width, float height, Rect* content_area) {
  const float u = ui_.unit();
  const float bar = ui_.touch() + u;
  // Header: accessibility controls, always reachable and the same on every screen.
  Rect header{0, 0, width, bar};
  ui_.fill(header, ui_.theme().surface);
  float bw = std::min(ui_.touch() * 2.6f, (width - 5 * u) / 4);
  // Start side: home (the procedure list of the chosen language).
  if (ui_.button("nav.home", "", Rect{u, u / 2, bw, ui_.touch()}, ButtonKind::Secondary, Icon::Home,
                 !visit_.locale.empty() && screen_ != ScreenId::Procedures))
    go(ScreenId::Procedures);
  float x = width - u - bw;
  // Isolated left to right (U+2066 ... U+2069): on a mirrored screen "A++" would read "++A".
  static const char* kSizeLabels[kTextSizes] = {"A", "\u2066A+\u2069", "\u2066A++\u2069"};
  std::string size_label = kSizeLabels[visit_.text_size];
  if (ui_.button("settings.text_size", size_label, Rect{x, u / 2, bw, ui_.touch()})) {
    visit_.text_size = (visit_.text_size + 1) % kTextSizes;
  }
  x -= bw + u;
  if (ui_.button("settings.contrast", visit_.high_contrast ? "◐ ✓" : "◐",
                 Rect{x, u / 2, bw, ui_.touch()},
                 visit_.high_contrast ? ButtonKind::ChoiceSelected : ButtonKind::Secondary)) {
    visit_.high_contrast = !visit_.high_contrast;
  }
  x -= bw + u;
  if (ui_.button("settings.read_aloud", "", Rect{x, u / 2, bw, ui_.touch()},
                 visit_.read_aloud ? ButtonKind::ChoiceSelected : ButtonKind::Secondary,
                 Icon::Speaker)) {
    visit_.read_aloud = !visit_.read_aloud;
    spoken_locale_.clear();
    if (!visit_.read_aloud) {
      visit_.notice.clear();
      if (hooks.stop_speaking) hooks.stop_speaking();
    }
  }

  // Footer: back, help and end session, visible on every screen.
  Rect footer{0, height - bar, width, bar};
  ui_.fill(footer, ui_.theme().surface);
  float fw = (width - 4 * u) / 3;
  Rect back{u, height - bar + u / 2, fw, ui_.touch()};
  Rect help{2 * u + fw, back.y, fw, ui_.touch()};
  Rect end{3 * u + 2 * fw, back.y, fw, ui_.touch()};
  bool can_go_back = !history_.empty();
  if (ui_.button("nav.back", t("ui.nav.back"), back, ButtonKind::Secondary, Icon::Back,
                 can_go_back))
    go_back();
  if (ui_.button("nav.help", t("ui.nav.help"), help, ButtonKind::Secondary, Icon::Help))
    go(ScreenId::Help);
  if (ui_.button("nav.end_session", t("ui.nav.end_session"), end, ButtonKind::Secondary, Icon::End))
    end_session();
  *content_area = Rect{0, bar, width, height - 2 * bar};
}

void App::draw_idle_warning() {
  const float u = ui_.unit();
  float w = ui_.width(), h = ui_.height();
  ui_.fill(Rect{0, 0, w, h}, IM_COL32(0, 0, 0, 160));
  float bw = std::min(w - 4 * u, 900.0f * std::max(ui_.unit() / 16.0f, 0.5f));
  Rect box{(w - bw) / 2, h * 0.3f, bw, h * 0.4f};
  ui_.fill(box, ui_.theme().surface, u);
  int seconds =
      std::max(0, static_cast<int>(std::ceil(settings_.idle_reset_seconds - (now_ - last_input_))));
  float y = box.y + 2 * u;
  y += ui_.label(t("ui.idle.warning", {{"seconds", std::int64_t{seconds}}}),
                 Rect{box.x + 2 * u, y, box.w - 4 * u, 0}, 1.1f, true) +
       2 * u;
  if (ui_.button("idle.continue", t("ui.idle.continue"),
                 Rect{box.x + 2 * u, y, box.w - 4 * u, ui_.touch()}, ButtonKind::Primary)) {
    last_input_ = now_;
    idle_warning_ = false;
  }
  y += ui_.touch() + u;
  if (ui_.button("idle.end", t("ui.nav.end_session"),
                 Rect{box.x + 2 * u, y, box.w - 4 * u, ui_.touch()}, ButtonKind::Secondary,
                 Icon::End))
    end_session();
}

void App::frame(float width, float height, double now, core::Date today) {
  now_ = now;
  today_ = today;
  double idle = now - last_input_;
  if (seconds_until_next_wake(now) >= 0 && idle >= settings_.idle_reset_seconds) end_session();
  idle_warning_ = seconds_until_next_wake(now) >= 0 && idle >= settings_.idle_warning_seconds;

  std::string lang = visit_.locale.empty() ? content_.pack().manifest.base_language : visit_.locale;
  ui_.begin_frame(width, height, lang, core::is_rtl(lang), visit_.text_size, visit_.high_contrast);
  poll_print_job();
  ui_.set_blocked(idle_warning_);
  Rect area;
  draw_chrome(width, height, &area);
  chrome_text_count_ = ui_.text_count();
  const ScreenId drawn_screen = screen_;
  const int drawn_question = visit_.question_index;
  if (!visit_.notice.empty() && screen_ != ScreenId::Takeaway) {
    // A calm one-line notice (no voice for this language, ...) above the screen.
    float h = ui_.measure_height(visit_.notice, width - 4 * ui_.unit(), 0.9f) + ui_.unit();
    ui_.fill(Rect{0, area.y, width, h}, ui_.theme().surface_pressed);
    ui_.label(visit_.notice,
              Rect{2 * ui_.unit(), area.y + ui_.unit() / 2, width - 4 * ui_.unit(), 0}, 0.9f);
    area.y += h;
    area.h -= h;
  }
  switch (screen_) {
    case ScreenId::Welcome:
      draw_welcome(*this, area);
      break;
    case ScreenId::Procedures:
      draw_procedures(*this, area);
      break;
    case ScreenId::Guide:
      draw_guide(*this, area);
      break;
    case ScreenId::Interview:
      draw_interview(*this, area);
      break;
    case ScreenId::Result:
      draw_result(*this, area);
      break;
    case ScreenId::Takeaway:
      draw_takeaway(*this, area);
      break;
    case ScreenId::Help:
      draw_help(*this, area);
      break;
    case ScreenId::Staff:
      draw_staff(*this, area);
      break;
    case ScreenId::Handoff:
      draw_handoff(*this, area);
      break;
    case ScreenId::Counts:
      draw_counts(*this, area);
      break;
  }
  ui_.set_blocked(false);
  if (idle_warning_) draw_idle_warning();
  handle_hidden_staff_gesture();
  if (ui_.had_interaction()) last_input_ = now;
  ui_.end_frame();
  read_screen_aloud(drawn_screen, drawn_question);
}

}  // namespace kiosk::ui
