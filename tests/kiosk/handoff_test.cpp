// SPDX-License-Identifier: GPL-3.0-or-later
// The hand-off to a help desk: the reference code, the payload (checklist texts only, never
// the answers) and the consent flow of the app (nothing queued without "Yes, send").
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "core/eval.h"
#include "kiosk/app.h"
#include "kiosk/checklist.h"
#include "kiosk/embedded.h"

namespace kiosk::ui {
namespace {

const core::Date kToday = *core::Date::from_ymd(2026, 11, 27);

TEST(ReferenceCode, HasTwoGroupsOfFourFromTheUnambiguousAlphabet) {
  for (int i = 0; i < 200; ++i) {
    std::string code = make_reference_code();
    ASSERT_EQ(code.size(), 9u) << code;
    EXPECT_EQ(code[4], '-') << code;
    for (size_t k = 0; k < code.size(); ++k) {
      if (k == 4) continue;
      EXPECT_NE(kReferenceAlphabet.find(code[k]), std::string_view::npos) << code;
      EXPECT_EQ(std::string_view("0O1I").find(code[k]), std::string_view::npos) << code;
    }
    EXPECT_TRUE(is_reference_code(code)) << code;
  }
}

TEST(ReferenceCode, AlphabetHas32DistinctCharactersWithoutLookAlikes) {
  EXPECT_EQ(kReferenceAlphabet.size(), 32u);  // 5 bits a character: 40 bits a code
  std::set<char> distinct(kReferenceAlphabet.begin(), kReferenceAlphabet.end());
  EXPECT_EQ(distinct.size(), kReferenceAlphabet.size());
  for (char c : std::string_view("0O1I")) EXPECT_EQ(distinct.count(c), 0u) << c;
}

TEST(ReferenceCode, RecognisesOnlyTheExactForm) {
  EXPECT_TRUE(is_reference_code("K7F3-9QPX"));
  EXPECT_FALSE(is_reference_code("K7F39QPX"));
  EXPECT_FALSE(is_reference_code("K7F3-9QP"));
  EXPECT_FALSE(is_reference_code("K7F3-9QPO"));  // O is not in the alphabet
  EXPECT_FALSE(is_reference_code("k7f3-9qpx"));
  EXPECT_FALSE(is_reference_code("K7F3_9QPX"));
  EXPECT_FALSE(is_reference_code(""));
}

// Randomness sanity, not a statistical test suite: 2000 codes are all different (a collision
// has probability ~2e-6 with 40 bits), and every character of the alphabet turns up in every
// position (a generator stuck on part of the alphabet would fail; chance of a false alarm for
// one character in one position is (31/32)^2000 ~ 1e-28).
TEST(ReferenceCode, CodesAreUniqueAndUseTheWholeAlphabetInEveryPosition) {
  std::set<std::string> seen;
  std::vector<std::set<char>> by_position(9);
  for (int i = 0; i < 2000; ++i) {
    std::string code = make_reference_code();
    EXPECT_TRUE(seen.insert(code).second) << "repeated code " << code;
    for (size_t k = 0; k < code.size(); ++k) by_position[k].insert(code[k]);
  }
  for (size_t k = 0; k < 9; ++k)
    if (k != 4) EXPECT_EQ(by_position[k].size(), kReferenceAlphabet.size()) << "position " << k;
}

// The app on the embedded demo pack with fake outbox hooks that record what they are given.
class Handoff : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(engine_.init(&error)) << error;
    ASSERT_TRUE(content_.load(embedded_pack(), embedded_ui_catalogues(), &error)) << error;
    app_ = std::make_unique<App>(content_, engine_, Settings{});
    app_->set_today(kToday);
    app_->hooks.can_send_handoff = [] { return true; };
    app_->hooks.send_handoff = [this](std::string& payload, std::string* error) {
      sent_.push_back(payload);  // a copy: the app wipes its own after the call
      if (!accept_) *error = "outbox full";
      return accept_;
    };
  }

  // A persona's answers (tests/data/personas), evaluated, on the take-away screen in `lang`.
  void visit(const std::string& persona, const std::string& lang) {
    std::ifstream in(std::string(KIOSK_TEST_DATA) + "/personas/" + persona);
    std::stringstream text;
    text << in.rdbuf();
    std::string error;
    auto preview = parse_preview_answers(content_.pack(), text.str(), &error);
    ASSERT_TRUE(preview) << error;
    for (auto& [q, a] : preview->answers) app_->session().set_answer(q, a);
    app_->visit().procedure_id = "extension";
    app_->prepare_for_preview(ScreenId::Takeaway, lang);
  }

  text::TextEngine engine_;
  Content content_;
  std::unique_ptr<App> app_;
  std::vector<std::string> sent_;
  bool accept_ = true;
};

TEST_F(Handoff, OfferedOnlyWithAnOutboxAndFindingsThatNeedAction) {
  visit("03-employer-never-enrolled.json", "ne");  // the employer must act
  EXPECT_TRUE(app_->can_offer_handoff());
  app_->hooks.can_send_handoff = [] { return false; };
  EXPECT_FALSE(app_->can_offer_handoff());
  app_->hooks.can_send_handoff = nullptr;
  EXPECT_FALSE(app_->can_offer_handoff());
}

TEST_F(Handoff, NotOfferedWhenEverythingIsReady) {
  visit("02-ready-two-months.json", "en");
  ASSERT_TRUE(app_->visit().result);
  EXPECT_FALSE(needs_action(app_->visit().result));
  EXPECT_FALSE(app_->can_offer_handoff());
}

TEST_F(Handoff, NoForgetsTheCodeAndQueuesNothing) {
  visit("03-employer-never-enrolled.json", "ne");
  app_->begin_handoff();
  EXPECT_EQ(app_->screen(), ScreenId::Handoff);
  EXPECT_EQ(app_->visit().handoff, HandoffStep::Asking);
  EXPECT_TRUE(is_reference_code(app_->visit().handoff_code));
  app_->decline_handoff();
  EXPECT_EQ(app_->screen(), ScreenId::Takeaway);
  EXPECT_EQ(app_->visit().handoff, HandoffStep::None);
  EXPECT_TRUE(app_->visit().handoff_code.empty());
  EXPECT_TRUE(sent_.empty());
  // The checklist (QR and printout) carries no code.
  EXPECT_EQ(checklist_text(app_->visit_checklist("ne")).find("सहायता कक्ष कोड"), std::string::npos);
}

TEST_F(Handoff, YesQueuesOnePayloadWithBothLanguagesAndTheCode) {
  visit("03-employer-never-enrolled.json", "ne");
  app_->begin_handoff();
  const std::string code = app_->visit().handoff_code;
  app_->confirm_handoff();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(app_->visit().handoff, HandoffStep::Queued);
  EXPECT_EQ(app_->visit().handoff_code, code);

  auto j = nlohmann::json::parse(sent_[0]);
  EXPECT_EQ(j["kind"], "handoff");
  EXPECT_EQ(j["code"], code);
  EXPECT_EQ(j["pack"]["id"], content_.pack().manifest.id);
  EXPECT_EQ(j["pack"]["version"], content_.pack().manifest.version);
  EXPECT_EQ(j["procedure"], "extension");
  EXPECT_EQ(j["language"], "ne");
  EXPECT_EQ(j["office_language"], "ja");
  EXPECT_EQ(j["date"], "2026-11-27");
  ASSERT_EQ(j["checklist"].size(), 2u);
  EXPECT_EQ(j["checklist"][0]["language"], "ne");
  EXPECT_EQ(j["checklist"][0]["text"], app_->handoff_text("ne"));
  EXPECT_EQ(j["checklist"][1]["language"], "ja");
  EXPECT_EQ(j["checklist"][1]["text"], app_->handoff_text("ja"));
  // The finding in both languages: the employer's duty.
  EXPECT_NE(sent_[0].find("रोजगारदाताको कर्तव्य हो"), std::string::npos);
  EXPECT_NE(j["checklist"][1]["text"].get<std::string>().find("在留期間更新許可申請"),
            std::string::npos);
  // Exactly these fields: nothing else (no answers object) rides along.
  std::set<std::string> keys;
  for (auto& [k, v] : j.items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"kind", "version", "code", "pack", "procedure", "language",
                                         "office_language", "date", "checklist", "findings"}));
  // One structured finding per to-do line of the checklist, in the same order, so an agency
  // counts what the visitor read: here the employer's missing enrolment comes first.
  const Checklist shown = build_checklist(
      content_, "ne", *content_.pack().find_procedure("extension"), app_->visit().result);
  ASSERT_EQ(j["findings"].size(), shown.todo.size());
  EXPECT_EQ(j["findings"][0]["responsible"], "employer");
  for (const auto& f : j["findings"]) {
    EXPECT_NE(content_.pack().find_rule(f["rule"]), nullptr) << f;
    EXPECT_EQ(f.size(), 5u) << "rule, outcome, responsible, deadline, undecided: " << f;
  }

  // Once queued, the code is the first line of the checklist (QR and printout), and a second
  // item cannot be started in the same visit.
  EXPECT_NE(checklist_text(app_->visit_checklist("ne")).find(code), std::string::npos);
  app_->go_back();
  app_->begin_handoff();
  EXPECT_EQ(app_->visit().handoff, HandoffStep::Queued);
  EXPECT_EQ(sent_.size(), 1u);
}

// The privacy test's marker session: card expiry 2029-08-17 among the answers. The payload
// holds the checklist (findings with their deadlines, formatted for people), never the raw
// answers: no ISO answer value, no question id.
TEST_F(Handoff, PayloadNeverCarriesRawAnswers) {
  std::string error;
  auto answers = core::parse_answers_json(content_.pack(), R"({
    "card_expiry": "2029-08-17", "stay_length": "six_months_or_more", "applied": false,
    "work_type": "employee", "insurance": "none", "tax_certs": false, "photo_ready": false,
    "form_ready": true, "job_changed": false})",
                                          &error);
  ASSERT_TRUE(answers) << error;
  for (auto& [q, a] : *answers) app_->session().set_answer(q, a);
  app_->visit().procedure_id = "extension";
  app_->prepare_for_preview(ScreenId::Takeaway, "en");
  ASSERT_TRUE(app_->can_offer_handoff());
  app_->begin_handoff();
  app_->confirm_handoff();
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].find("2029-08-17"), std::string::npos) << sent_[0];
  for (const char* id : {"card_expiry", "stay_length", "work_type", "tax_certs", "photo_ready"})
    EXPECT_EQ(sent_[0].find(id), std::string::npos) << id << " in " << sent_[0];
}

TEST_F(Handoff, RefusedByTheOutboxSaysSoCalmlyAndForgetsTheCode) {
  visit("03-employer-never-enrolled.json", "ar");
  accept_ = false;
  app_->begin_handoff();
  app_->confirm_handoff();
  EXPECT_EQ(app_->visit().handoff, HandoffStep::Failed);
  EXPECT_TRUE(app_->visit().handoff_code.empty());
  EXPECT_EQ(checklist_text(app_->visit_checklist("ar")).find("رمز مكتب المساعدة"),
            std::string::npos);
  // The person may try again: a new code, a new consent.
  accept_ = true;
  app_->go_back();
  app_->begin_handoff();
  EXPECT_EQ(app_->visit().handoff, HandoffStep::Asking);
  app_->confirm_handoff();
  EXPECT_EQ(app_->visit().handoff, HandoffStep::Queued);
  EXPECT_EQ(sent_.size(), 2u);
}

TEST_F(Handoff, EndOfSessionWipesCodeAndConsent) {
  visit("03-employer-never-enrolled.json", "ne");
  app_->begin_handoff();
  app_->confirm_handoff();
  app_->end_session();
  EXPECT_EQ(app_->visit().handoff, HandoffStep::None);
  EXPECT_TRUE(app_->visit().handoff_code.empty());
  EXPECT_EQ(app_->screen(), ScreenId::Welcome);
}

TEST_F(Handoff, RecipientIsTheConfiguredNameOrTheOfficesHelpDesk) {
  visit("03-employer-never-enrolled.json", "en");
  EXPECT_EQ(app_->handoff_recipient(), "the help desk of this office");
  app_->hooks.handoff_recipient = [] { return std::string("NPO Tabunka Net"); };
  EXPECT_EQ(app_->handoff_recipient(), "NPO Tabunka Net");
}

// The states the screenshot gallery cannot reach (it has no outbox): the take-away with the
// offer and with the code, the confirmation and the refusal. Every language, the three
// layouts, normal and largest text: no text may be cut or overflow (as --check-layout).
class HandoffLayout : public Handoff {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // as in the kiosk: ImGui writes no imgui.ini
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // ImGui needs a built atlas to draw
    Handoff::SetUp();
  }
  void TearDown() override {
    app_.reset();
    ImGui::DestroyContext();
  }
  // Draws the current screen; returns its layout problems, prefixed with where they are.
  std::vector<std::string> draw(float w, float h, const std::string& what) {
    ImGui::GetIO().DisplaySize = ImVec2(w, h);
    for (int i = 0; i < 3; ++i) {
      ImGui::NewFrame();
      now_ += 0.1;
      app_->note_input(now_);  // a person is there: no idle reset in the middle
      app_->frame(w, h, now_, kToday);
      ImGui::Render();
    }
    std::vector<std::string> out;
    for (const auto& p : app_->ui().layout_problems()) out.push_back(what + ": " + p);
    return out;
  }
  double now_ = 0;
};

TEST_F(HandoffLayout, EveryStateFitsInEveryLanguageAndLayout) {
  const std::pair<float, float> sizes[] = {{1080, 1920}, {1920, 1080}, {390, 844}};
  std::vector<std::string> problems;
  int drawn = 0;
  for (const std::string& lang : content_.languages()) {
    visit("03-employer-never-enrolled.json", lang);
    for (int text_size : {0, 2}) {
      app_->visit().text_size = text_size;
      for (auto [w, h] : sizes) {
        std::string where = lang + " " + std::to_string(int(w)) + "x" + std::to_string(int(h)) +
                            " A" + std::to_string(text_size);
        auto add = [&](const std::string& what) {
          auto p = draw(w, h, where + " " + what);
          problems.insert(problems.end(), p.begin(), p.end());
          ++drawn;
        };
        app_->go(ScreenId::Takeaway);
        ASSERT_TRUE(app_->can_offer_handoff()) << where;
        add("takeaway offer");
        app_->visit().handoff = HandoffStep::Failed;
        app_->go(ScreenId::Handoff);
        add("refused");
        app_->visit().handoff = HandoffStep::Queued;
        app_->visit().handoff_code = "WWWW-MMMM";  // the widest characters of the alphabet
        add("queued");
        app_->go(ScreenId::Takeaway);
        add("takeaway with code");
        app_->visit().handoff = HandoffStep::None;
        app_->visit().handoff_code.clear();
      }
    }
  }
  EXPECT_EQ(drawn, 25 * 2 * 3 * 4);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
}

// On the consent screen both answers are on screen without scrolling, however long the
// checklist: beside the text in landscape, in a bar at the bottom on a phone and a portrait
// kiosk (the only exception: a bar that would leave too little room to read, where all
// scrolls; not the case at the default text size).
TEST_F(HandoffLayout, BothAnswersAreInViewWithoutScrolling) {
  const std::pair<float, float> sizes[] = {{1080, 1920}, {1920, 1080}, {390, 844}};
  for (const std::string lang : {"en", "my", "ar", "ta"}) {
    visit("03-employer-never-enrolled.json", lang);
    for (auto [w, h] : sizes) {
      app_->go(ScreenId::Takeaway);
      app_->begin_handoff();
      ASSERT_EQ(app_->screen(), ScreenId::Handoff);
      draw(w, h, lang);
      const float footer_top = h - app_->ui().touch() - app_->ui().unit();  // as draw_chrome
      for (const char* id : {"handoff.yes", "handoff.no"}) {
        auto e = std::find_if(app_->ui().elements().begin(), app_->ui().elements().end(),
                              [&](const auto& el) { return el.id == id; });
        ASSERT_NE(e, app_->ui().elements().end()) << lang << " " << w << "x" << h << " " << id;
        EXPECT_GE(e->rect.y, 0) << lang << " " << w << "x" << h << " " << id;
        EXPECT_LE(e->rect.bottom(), footer_top) << lang << " " << w << "x" << h << " " << id;
      }
      app_->decline_handoff();
    }
  }
}

TEST(HandoffPayload, SameLanguageIsListedOnce) {
  core::Handoff h;
  h.code = "K7F3-9QPX";
  h.pack_id = "jp.residence";
  h.pack_version = "1";
  h.procedure_id = "extension";
  h.language = h.office_language = "ja";
  h.checklist_user = h.checklist_office = "checklist";
  auto j = nlohmann::json::parse(core::handoff_json(h));
  ASSERT_EQ(j["checklist"].size(), 1u);
  EXPECT_EQ(j["checklist"][0]["language"], "ja");
}

}  // namespace
}  // namespace kiosk::ui
