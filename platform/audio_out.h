// SPDX-License-Identifier: GPL-3.0-or-later
// platform/audio_out.h: INTERNAL to platform/ (used by Speaker). Mono 16-bit audio output
// through SDL2's audio subsystem in queue mode (no callback, no window), and WAV decoding.
// Backend: audio_sdl.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "platform/speech.h"

namespace kiosk::platform {

// Every sound the kiosk plays is converted to this format before it is queued.
inline constexpr int kAudioOutRate = 22050;

class AudioOut {
 public:
  AudioOut() = default;
  ~AudioOut();
  AudioOut(const AudioOut&) = delete;
  AudioOut& operator=(const AudioOut&) = delete;

  // Opens the default output device once (mono, signed 16-bit, kAudioOutRate).
  bool open(std::string* error);
  bool is_open() const { return device_ != 0; }
  // Appends samples at kAudioOutRate; playback starts as soon as the first arrive.
  bool queue(const int16_t* samples, size_t count);
  // Drops everything queued (stops playback within one device buffer).
  void clear();
  size_t queued_samples() const;

 private:
  uint32_t device_ = 0;  // SDL_AudioDeviceID; 0 = not open
  bool subsystem_ = false;
};

// Decodes a WAV file and converts it to mono 16-bit at `rate` Hz. No device is needed.
std::optional<Pcm> load_wav(const std::filesystem::path& wav, int rate, std::string* error);

// The same for WAV bytes in memory (recordings inside a pack).
std::optional<Pcm> decode_wav(std::string_view bytes, int rate, std::string* error);

// Converts mono 16-bit samples from one rate to another (espeak-ng synthesises at its own).
Pcm resample(const Pcm& in, int rate);

}  // namespace kiosk::platform
