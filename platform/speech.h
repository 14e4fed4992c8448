// SPDX-License-Identifier: GPL-3.0-or-later
// platform/speech.h: reading text aloud, and playing recorded audio a pack ships.
//
// Backends: speech_espeak.cpp (espeak-ng synthesis, into memory) and audio_sdl.cpp (output
// through SDL2's audio subsystem only; platform never opens an SDL window). Both run on a
// worker thread owned by Speaker, so the render loop never waits for synthesis or audio.
//
// Languages are BCP 47 tags as the packs use them ("ne", "zh-Hans", "pt-BR", "ja-x-easy").
// When espeak-ng has no voice for a language, has_voice() says so and Speaker::speak()
// returns false: the UI then shows a calm "no voice for this language" message instead of
// reading the text with the wrong language's rules.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::platform {

// The espeak-ng voice (language) name our tag maps to, e.g. "zh-Hans" -> "cmn",
// "pt-BR" -> "pt-br", "ja-x-easy" -> "ja". Pure mapping: says nothing about whether the
// voice is installed. Case and '_' vs '-' do not matter.
std::string espeak_voice_for(std::string_view bcp47_tag);

// Why espeak-ng cannot read anything, for the staff log and screen: its library is not
// installed ("optional library not available: libespeak-ng.so.1: ...") or its data files
// are missing. Empty when it runs. The first call loads espeak-ng (tens of milliseconds).
std::string speech_engine_error();

// True when espeak-ng has a voice declared for this language, usable or not (staff screen).
bool voice_installed(std::string_view bcp47_tag);

// True when an installed voice speaks this language AND reads its script: at start-up each
// voice reads the language's own name in its own script, and a voice that falls back to
// English letter names for it does not count. On Debian 12 (espeak-ng 1.51) this rules out
// Japanese (kana only: kanji are spelled "Chinese letter") and Mandarin (tone digits are
// read as English numbers); see docs/deploy.md.
bool has_voice(std::string_view bcp47_tag);

// True when has_voice() and this particular text reads without falling back to English
// letter names (e.g. a Nepali sentence with a rare conjunct). Takes the espeak-ng lock, so
// it waits while another thread synthesises; call it off the render loop or cache it.
bool can_read(std::string_view bcp47_tag, std::string_view utf8_text);

// Mono signed 16-bit samples.
struct Pcm {
  int sample_rate = 0;
  std::vector<int16_t> samples;
  double seconds() const { return sample_rate ? double(samples.size()) / sample_rate : 0.0; }
};

// Synthesises `utf8_text` in the tag's language into memory, without any audio device.
// Returns nothing (and fills `error`) when there is no voice or synthesis fails.
std::optional<Pcm> synthesize(std::string_view bcp47_tag, std::string_view utf8_text,
                              std::string* error);

// Speaks asynchronously. One utterance at a time: a new speak() or play_audio_file()
// interrupts the current one. All methods are cheap and safe to call every frame from the
// UI thread. The audio device is opened on first use, so a kiosk that never reads aloud
// never touches it.
class Speaker {
 public:
  Speaker();
  ~Speaker();
  Speaker(const Speaker&) = delete;
  Speaker& operator=(const Speaker&) = delete;

  // Starts reading `utf8_text` aloud in the tag's language. False when there is no voice
  // for it (nothing is read) or no audio output can be opened; last_error() says which.
  bool speak(std::string_view bcp47_tag, std::string_view utf8_text);
  // Starts playing a WAV file (recorded audio from a pack). False when the file cannot be
  // read or no audio output can be opened.
  bool play_audio_file(const std::filesystem::path& wav);
  // Plays WAV recordings held in memory one after another, `pause_seconds` of silence
  // between them; each is converted on its own, so their formats may differ.
  bool play_recordings(const std::vector<std::string_view>& wavs, double pause_seconds);
  // Stops reading or playing at once and drops what was queued.
  void stop();
  // True while synthesising or while audio is still queued for the device.
  bool speaking() const;
  // Why the last speak()/play_audio_file() failed, for staff logs (never contains the text).
  std::string last_error() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::platform
