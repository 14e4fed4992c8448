// SPDX-License-Identifier: GPL-3.0-or-later
// Reading a screen aloud with the recordings a pack ships: the App drives headless ImGui
// frames over the mini pack with fake speech hooks. Japanese has no voice here (as on
// Debian 12's espeak-ng), English has one.
#include <gtest/gtest.h>

#include "core/recording.h"
#include "kiosk/app.h"
#include "kiosk/embedded.h"

namespace kiosk::ui {
namespace {

const core::Date kToday = *core::Date::from_ymd(2026, 11, 27);

// A distinct, valid recording per message id (the id is the audio data), so a test can tell
// which recordings were played and in which order.
std::string recording_of(const std::string& message_id) {
  std::string samples = message_id;
  if (samples.size() % 2) samples += ' ';
  return core::make_wav({1, 8000, 16}, samples);
}

core::PackFiles mini_pack_with(const std::vector<std::pair<std::string, std::string>>& recorded) {
  std::string error;
  auto files =
      core::read_pack_dir(std::filesystem::path(KIOSK_TEST_DATA) / "packs" / "mini", &error);
  EXPECT_TRUE(files) << error;
  for (const auto& [lang, id] : recorded)
    (*files)["audio/" + lang + "/" + id + ".wav"] = recording_of(id);
  return files.value_or(core::PackFiles{});
}

// What the fake platform was asked to do.
struct Calls {
  std::vector<std::vector<std::string>> played;  // each call: the recordings, in order
  std::vector<std::string> spoken_langs;
};

class ReadAloud : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // as in the kiosk: ImGui writes no imgui.ini
    io.DisplaySize = ImVec2(1080, 1920);
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // ImGui needs a built atlas to draw
    std::string error;
    ASSERT_TRUE(engine_.init(&error)) << error;
  }
  void TearDown() override {
    app_.reset();
    ImGui::DestroyContext();
  }

  // Starts the app on `files`, reading aloud in `lang`, with the fake hooks connected.
  App& start(const core::PackFiles& files, const std::string& lang, ScreenId screen,
             bool with_player = true) {
    std::string error;
    EXPECT_TRUE(content_.load(files, embedded_ui_catalogues(), &error)) << error;
    app_ = std::make_unique<App>(content_, engine_, Settings{});
    app_->hooks.speak = [this](const std::string& l, const std::string&) {
      calls_.spoken_langs.push_back(l);
      return l != "ja";
    };
    if (with_player)
      app_->hooks.play_recordings = [this](const std::vector<std::string_view>& wavs) {
        std::vector<std::string> ids;
        for (auto wav : wavs) {
          auto info = core::parse_wav(wav, nullptr);
          EXPECT_TRUE(info);
          std::string id = info ? std::string(info->samples) : "?";
          if (!id.empty() && id.back() == ' ') id.pop_back();
          ids.push_back(id);
        }
        calls_.played.push_back(ids);
        return true;
      };
    app_->prepare_for_preview(screen, lang);
    app_->visit().read_aloud = true;
    return *app_;
  }

  void frames(int n = 2) {
    for (int i = 0; i < n; ++i) {
      ImGui::NewFrame();
      now_ += 0.1;
      app_->frame(1080, 1920, now_, kToday);
      ImGui::Render();
    }
  }

  std::string no_voice() const { return app_->t("ui.settings.no_voice"); }

  text::TextEngine engine_;
  Content content_;
  std::unique_ptr<App> app_;
  Calls calls_;
  double now_ = 0;
};

TEST_F(ReadAloud, LanguageWithoutAVoicePlaysTheQuestionsRecordingAndShowsNoNotice) {
  App& app = start(mini_pack_with({{"ja", "q.applied.text"}}), "ja", ScreenId::Interview);
  frames();
  ASSERT_EQ(calls_.played.size(), 1u);
  EXPECT_EQ(calls_.played[0], std::vector<std::string>{"q.applied.text"});
  EXPECT_TRUE(calls_.spoken_langs.empty());  // nothing synthesised beside the recording
  EXPECT_EQ(app.visit().notice, "");
  frames();
  EXPECT_EQ(calls_.played.size(), 1u);  // once per screen, not every frame
}

TEST_F(ReadAloud, LanguageWithoutAVoiceAndNoRecordingShowsTheNotice) {
  App& app = start(mini_pack_with({}), "ja", ScreenId::Interview);
  frames();
  EXPECT_TRUE(calls_.played.empty());
  EXPECT_EQ(calls_.spoken_langs, std::vector<std::string>{"ja"});
  EXPECT_EQ(app.visit().notice, no_voice());
}

TEST_F(ReadAloud, RecordingsInAnotherLanguageAreNotPlayed) {
  App& app = start(mini_pack_with({{"en", "q.applied.text"}}), "ja", ScreenId::Interview);
  frames();
  EXPECT_TRUE(calls_.played.empty());
  EXPECT_EQ(app.visit().notice, no_voice());
}

TEST_F(ReadAloud, WithoutAPlayerTheKioskFallsBackToSpeech) {
  App& app = start(mini_pack_with({{"ja", "q.applied.text"}}), "ja", ScreenId::Interview,
                   /*with_player=*/false);
  frames();
  EXPECT_EQ(calls_.spoken_langs, std::vector<std::string>{"ja"});
  EXPECT_EQ(app.visit().notice, no_voice());
}

TEST_F(ReadAloud, EachQuestionIsReadWhenItComesAndTheNoticeFollowsTheScreen) {
  // card_expiry (the second question) has a help text: both recordings, in screen order.
  // The third question (status) has none.
  App& app = start(
      mini_pack_with(
          {{"ja", "q.card_expiry.help"}, {"ja", "q.card_expiry.text"}, {"ja", "q.applied.text"}}),
      "ja", ScreenId::Interview);
  frames();
  app.visit().question_index = 1;
  frames();
  ASSERT_EQ(calls_.played.size(), 2u);
  EXPECT_EQ(calls_.played[1],
            (std::vector<std::string>{"q.card_expiry.text", "q.card_expiry.help"}));
  app.visit().question_index = 2;
  frames();
  EXPECT_EQ(calls_.played.size(), 2u);
  EXPECT_EQ(app.visit().notice, no_voice());
  app.visit().question_index = 0;  // back to a recorded question: the notice goes
  frames();
  EXPECT_EQ(calls_.played.size(), 3u);
  EXPECT_EQ(app.visit().notice, "");
}

TEST_F(ReadAloud, ListedStepsAndDocumentsAreRecognisedBehindTheirMarkers) {
  // The guide draws "1. <step>" and "• <document>".
  start(mini_pack_with({{"ja", "doc.photo.name"}, {"ja", "proc.extension.step.2"}}), "ja",
        ScreenId::Guide);
  frames();
  ASSERT_EQ(calls_.played.size(), 1u);
  EXPECT_EQ(calls_.played[0],
            (std::vector<std::string>{"proc.extension.step.2", "doc.photo.name"}));
}

TEST_F(ReadAloud, LanguageWithAVoicePrefersRecordingsAndSpeaksScreensWithout) {
  App& app = start(mini_pack_with({{"en", "q.applied.text"}}), "en", ScreenId::Interview);
  frames();
  ASSERT_EQ(calls_.played.size(), 1u);
  EXPECT_TRUE(calls_.spoken_langs.empty());
  app.go(ScreenId::Help);
  frames();
  EXPECT_EQ(calls_.played.size(), 1u);
  EXPECT_EQ(calls_.spoken_langs, std::vector<std::string>{"en"});
  EXPECT_EQ(app.visit().notice, "");
}

TEST_F(ReadAloud, APlayerThatFailsFallsBackToSpeech) {
  App& app = start(mini_pack_with({{"en", "q.applied.text"}}), "en", ScreenId::Interview);
  app.hooks.play_recordings = [](const std::vector<std::string_view>&) { return false; };
  frames();
  EXPECT_EQ(calls_.spoken_langs, std::vector<std::string>{"en"});
  EXPECT_EQ(app.visit().notice, "");
}

}  // namespace
}  // namespace kiosk::ui
