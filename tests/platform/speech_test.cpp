// SPDX-License-Identifier: GPL-3.0-or-later
// Speech: voice mapping for every kiosk language, synthesis into memory (no audio device),
// and the asynchronous Speaker through SDL's dummy audio driver.
#include "platform/speech.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "platform/audio_out.h"

namespace kp = kiosk::platform;
using namespace std::chrono_literals;

namespace {

struct VoiceCase {
  const char* tag;
  bool expected;
};

// Debian 12's espeak-ng-data 1.51. Khmer, Mongolian, Filipino and Tigrinya have no voice;
// Japanese and Mandarin have one that misreads their scripts (kanji spelled as "Chinese
// letter", tone digits read as English numbers). The UI must say so rather than read them
// wrongly.
const VoiceCase kKioskLanguages[] = {
    {"ja", false}, {"en", true}, {"zh-Hans", false}, {"zh-Hant", false}, {"ko", true},
    {"vi", true},  {"ne", true}, {"id", true},       {"fil", false},     {"th", true},
    {"km", false}, {"my", true}, {"mn", false},      {"pt-BR", true},    {"es", true},
    {"si", true},  {"bn", true}, {"ta", true},       {"ur", true},       {"ar", true},
    {"fa", true},  {"uk", true}, {"tr", true},       {"ti", false},      {"ja-x-easy", false},
};

int peak(const kp::Pcm& pcm) {
  int p = 0;
  for (int16_t s : pcm.samples) p = std::max(p, std::abs(int(s)));
  return p;
}

bool wait_until_silent(kp::Speaker& s, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (s.speaking()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

}  // namespace

TEST(Speech, HasVoiceForEveryKioskLanguageAsInstalled) {
  for (const auto& c : kKioskLanguages) {
    EXPECT_EQ(kp::has_voice(c.tag), c.expected) << c.tag << " -> " << kp::espeak_voice_for(c.tag);
  }
}

TEST(Speech, TellsInstalledButMisreadingVoicesFromMissingOnes) {
  EXPECT_TRUE(kp::voice_installed("ja"));
  EXPECT_TRUE(kp::voice_installed("zh-Hans"));
  EXPECT_FALSE(kp::voice_installed("km"));
  EXPECT_TRUE(kp::has_voice("zh-HK")) << "Cantonese reads Han characters";
}

TEST(Speech, CanReadChecksTheActualText) {
  EXPECT_TRUE(kp::can_read("ne", "कृपया आफ्नो निवास कार्ड ल्याउनुहोस्।"));
  EXPECT_TRUE(kp::can_read("ar", "بطاقة الإقامة"));
  // Han characters inside a Nepali text would be spelled out with English letter names.
  EXPECT_FALSE(kp::can_read("ne", "निवास 在留カード"));
  EXPECT_FALSE(kp::can_read("km", "ខ្មែរ"));
  EXPECT_TRUE(kp::can_read("en", "Residence card"));
}

TEST(Speech, MapsOurTagsToEspeakVoices) {
  EXPECT_EQ(kp::espeak_voice_for("zh-Hans"), "cmn");
  EXPECT_EQ(kp::espeak_voice_for("zh-Hant"), "cmn");  // Taiwan Mandarin
  EXPECT_EQ(kp::espeak_voice_for("zh-HK"), "yue");
  EXPECT_EQ(kp::espeak_voice_for("pt-BR"), "pt-br");
  EXPECT_EQ(kp::espeak_voice_for("pt_br"), "pt-br");
  EXPECT_EQ(kp::espeak_voice_for("pt-PT"), "pt");
  EXPECT_EQ(kp::espeak_voice_for("ja-x-easy"), "ja");
  EXPECT_EQ(kp::espeak_voice_for("en-US"), "en");
  EXPECT_EQ(kp::espeak_voice_for("tl"), "fil");
  EXPECT_EQ(kp::espeak_voice_for("NE"), "ne");
}

TEST(Speech, RejectsEmptyAndNonsenseTags) {
  EXPECT_FALSE(kp::has_voice(""));
  EXPECT_FALSE(kp::has_voice("-"));
  EXPECT_FALSE(kp::has_voice("xx-notalanguage"));
}

TEST(Speech, SynthesisesNepaliIntoMemory) {
  std::string error;
  // "Please bring your residence card." (about 1.5-3 s of speech)
  auto pcm = kp::synthesize("ne", "कृपया आफ्नो निवास कार्ड ल्याउनुहोस्।", &error);
  ASSERT_TRUE(pcm) << error;
  EXPECT_GT(pcm->sample_rate, 8000);
  EXPECT_GT(pcm->seconds(), 1.0);
  EXPECT_LT(pcm->seconds(), 10.0);
  EXPECT_GT(peak(*pcm), 1000) << "synthesised audio is silent";
}

TEST(Speech, SynthesisesArabicIntoMemory) {
  std::string error;
  // "Please bring your residence card."
  auto pcm = kp::synthesize("ar", "من فضلك أحضر بطاقة الإقامة الخاصة بك.", &error);
  ASSERT_TRUE(pcm) << error;
  EXPECT_GT(pcm->seconds(), 1.0);
  EXPECT_LT(pcm->seconds(), 10.0);
  EXPECT_GT(peak(*pcm), 1000);
}

TEST(Speech, LongerTextGivesProportionallyLongerAudio) {
  std::string error;
  auto one = kp::synthesize("en", "Residence card.", &error);
  auto three = kp::synthesize("en", "Residence card. Residence card. Residence card.", &error);
  ASSERT_TRUE(one && three) << error;
  EXPECT_GT(three->seconds(), 2.0 * one->seconds());
}

TEST(Speech, RefusesLanguagesWithoutVoiceInsteadOfReadingThemWrongly) {
  std::string error;
  EXPECT_FALSE(kp::synthesize("km", "សូមដាក់ពាក្យមុនពេល", &error));
  EXPECT_NE(error.find("no voice for km"), std::string::npos) << error;
}

TEST(Speech, SpeakerReturnsFalseForMissingVoiceAndSaysWhy) {
  kp::Speaker speaker;
  EXPECT_FALSE(speaker.speak("ti", "ሰላም"));
  EXPECT_FALSE(speaker.speaking());
  EXPECT_NE(speaker.last_error().find("no voice for ti"), std::string::npos);
  EXPECT_EQ(speaker.last_error().find("ሰላም"), std::string::npos) << "text leaked into the log";
}

// SDL_AUDIODRIVER=dummy (set by CTest; set here too for direct runs) plays into nothing in
// real time, so speaking() behaves as with a real device.
TEST(Speech, SpeakerSpeaksAsynchronouslyAndStops) {
  setenv("SDL_AUDIODRIVER", "dummy", 0);
  kp::Speaker speaker;
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(speaker.speak("en",
                            "This sentence takes a few seconds to read aloud, which is "
                            "long enough to stop it in the middle."))
      << speaker.last_error();
  auto call = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(call, 500ms) << "speak() must not wait for synthesis";
  EXPECT_TRUE(speaker.speaking());
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(speaker.speaking()) << "a multi-second sentence finished within 200 ms";
  speaker.stop();
  EXPECT_TRUE(wait_until_silent(speaker, 1000ms)) << "stop() did not silence the speaker";
}

TEST(Speech, ShortUtteranceFinishesOnItsOwn) {
  setenv("SDL_AUDIODRIVER", "dummy", 0);
  kp::Speaker speaker;
  ASSERT_TRUE(speaker.speak("ko", "네")) << speaker.last_error();
  EXPECT_TRUE(wait_until_silent(speaker, 5000ms));
}

TEST(Speech, NewUtteranceReplacesTheCurrentOne) {
  setenv("SDL_AUDIODRIVER", "dummy", 0);
  kp::Speaker speaker;
  ASSERT_TRUE(speaker.speak("en",
                            "A long first sentence that would take several seconds to "
                            "read aloud from beginning to end, if it were not replaced."));
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(speaker.speak("en", "Yes."));
  // Only "Yes." (well under a second) remains: the first sentence's audio was dropped.
  EXPECT_TRUE(wait_until_silent(speaker, 1500ms));
}

namespace {

// Writes a 16-bit PCM WAV file with a 440 Hz tone.
void write_tone_wav(const std::filesystem::path& path, int rate, int channels, double seconds) {
  std::ofstream f(path, std::ios::binary);
  auto u32 = [&](uint32_t v) { f.write(reinterpret_cast<const char*>(&v), 4); };
  auto u16 = [&](uint16_t v) { f.write(reinterpret_cast<const char*>(&v), 2); };
  uint32_t frames = uint32_t(rate * seconds);
  uint32_t data_bytes = frames * channels * 2;
  f.write("RIFF", 4);
  u32(36 + data_bytes);
  f.write("WAVEfmt ", 8);
  u32(16);
  u16(1);
  u16(uint16_t(channels));
  u32(uint32_t(rate));
  u32(uint32_t(rate * channels * 2));
  u16(uint16_t(channels * 2));
  u16(16);
  f.write("data", 4);
  u32(data_bytes);
  for (uint32_t i = 0; i < frames; ++i) {
    int16_t v = int16_t(8000 * std::sin(2 * M_PI * 440 * i / rate));
    for (int c = 0; c < channels; ++c) u16(uint16_t(v));
  }
}

std::filesystem::path test_dir() {
  auto dir =
      std::filesystem::temp_directory_path() / ("platform_speech_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST(Audio, LoadsWavAndConvertsToMonoAtTheOutputRate) {
  auto wav = test_dir() / "tone.wav";
  write_tone_wav(wav, 44100, 2, 1.0);
  std::string error;
  auto pcm = kp::load_wav(wav, kp::kAudioOutRate, &error);
  ASSERT_TRUE(pcm) << error;
  EXPECT_EQ(pcm->sample_rate, kp::kAudioOutRate);
  EXPECT_NEAR(pcm->seconds(), 1.0, 0.002);
  EXPECT_NEAR(peak(*pcm), 8000, 800);
  std::filesystem::remove_all(wav.parent_path());
}

TEST(Audio, BadWavGivesAMessageNamingTheFile) {
  auto bad = test_dir() / "not-audio.wav";
  std::ofstream(bad) << "this is not a RIFF file";
  std::string error;
  EXPECT_FALSE(kp::load_wav(bad, kp::kAudioOutRate, &error));
  EXPECT_NE(error.find("not-audio.wav"), std::string::npos) << error;
  EXPECT_FALSE(kp::load_wav(test_dir() / "missing.wav", kp::kAudioOutRate, &error));
  std::filesystem::remove_all(bad.parent_path());
}

TEST(Audio, SpeakerPlaysRecordedAudioFromAPack) {
  setenv("SDL_AUDIODRIVER", "dummy", 0);
  auto wav = test_dir() / "help.wav";
  write_tone_wav(wav, 16000, 1, 0.5);
  kp::Speaker speaker;
  ASSERT_TRUE(speaker.play_audio_file(wav)) << speaker.last_error();
  EXPECT_TRUE(speaker.speaking());
  EXPECT_TRUE(wait_until_silent(speaker, 3000ms));
  EXPECT_FALSE(speaker.play_audio_file(wav.parent_path() / "missing.wav"));
  EXPECT_NE(speaker.last_error().find("missing.wav"), std::string::npos);
  std::filesystem::remove_all(wav.parent_path());
}

TEST(Audio, DecodesRecordingsHeldInMemoryWhateverTheirFormat) {
  auto dir = test_dir();
  write_tone_wav(dir / "a.wav", 16000, 1, 0.5);
  write_tone_wav(dir / "b.wav", 44100, 2, 0.25);
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string a = read(dir / "a.wav"), b = read(dir / "b.wav");
  std::string error;
  auto pcm = kp::decode_wav(b, kp::kAudioOutRate, &error);
  ASSERT_TRUE(pcm) << error;
  EXPECT_NEAR(pcm->seconds(), 0.25, 0.002);     // whole: nothing of the end is lost
  write_tone_wav(dir / "c.wav", 8000, 1, 0.3);  // telephone-quality recordings keep their end
  auto low = kp::decode_wav(read(dir / "c.wav"), kp::kAudioOutRate, &error);
  ASSERT_TRUE(low) << error;
  EXPECT_NEAR(low->seconds(), 0.3, 0.002);
  EXPECT_FALSE(kp::decode_wav("RIFF and nothing else", kp::kAudioOutRate, &error));
  EXPECT_NE(error.find("not a readable WAV"), std::string::npos) << error;

  setenv("SDL_AUDIODRIVER", "dummy", 0);
  kp::Speaker speaker;
  ASSERT_TRUE(speaker.play_recordings({a, b}, 0.4)) << speaker.last_error();
  EXPECT_TRUE(speaker.speaking());
  EXPECT_TRUE(wait_until_silent(speaker, 4000ms));
  EXPECT_FALSE(speaker.play_recordings({a, "not a wav"}, 0.4));
  EXPECT_NE(speaker.last_error().find("recording 2"), std::string::npos) << speaker.last_error();
  std::filesystem::remove_all(dir);
}
