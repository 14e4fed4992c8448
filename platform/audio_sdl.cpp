// SPDX-License-Identifier: GPL-3.0-or-later
// platform/audio_sdl.cpp: AudioOut and WAV decoding with SDL2's audio subsystem.
// Only SDL_INIT_AUDIO is ever initialised here: platform/ never touches SDL video.
#include <SDL.h>

#include <algorithm>
#include <vector>

#include "platform/audio_out.h"

namespace kiosk::platform {

AudioOut::~AudioOut() {
  if (device_ != 0) SDL_CloseAudioDevice(device_);
  if (subsystem_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool AudioOut::open(std::string* error) {
  if (device_ != 0) return true;
  if (!subsystem_) {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
      if (error) *error = std::string("audio: cannot start SDL audio: ") + SDL_GetError();
      return false;
    }
    subsystem_ = true;
  }
  SDL_AudioSpec want{};
  want.freq = kAudioOutRate;
  want.format = AUDIO_S16SYS;
  want.channels = 1;
  want.samples = 1024;  // ~46 ms: stop() is heard within that
  // allowed_changes = 0: SDL converts to whatever the hardware wants.
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, nullptr, 0);
  if (device_ == 0) {
    if (error) *error = std::string("audio: no output device: ") + SDL_GetError();
    return false;
  }
  SDL_PauseAudioDevice(device_, 0);
  return true;
}

bool AudioOut::queue(const int16_t* samples, size_t count) {
  if (device_ == 0) return false;
  return SDL_QueueAudio(device_, samples, static_cast<Uint32>(count * sizeof(int16_t))) == 0;
}

void AudioOut::clear() {
  if (device_ != 0) SDL_ClearQueuedAudio(device_);
}

size_t AudioOut::queued_samples() const {
  return device_ == 0 ? 0 : SDL_GetQueuedAudioSize(device_) / sizeof(int16_t);
}

// Runs SDL's converter (format, channels and rate) over one buffer.
static std::optional<Pcm> convert(SDL_AudioFormat format, int channels, int from_rate,
                                  const void* data, size_t bytes, int to_rate, std::string* error) {
  SDL_AudioStream* stream =
      SDL_NewAudioStream(format, static_cast<Uint8>(channels), from_rate, AUDIO_S16SYS, 1, to_rate);
  if (!stream) {
    if (error) *error = std::string("audio: unsupported format: ") + SDL_GetError();
    return std::nullopt;
  }
  Pcm out;
  out.sample_rate = to_rate;
  // SDL 2.26's resampler keeps its last 512 input frames back even after a flush, which would
  // cut the end of every recording not already at to_rate (64 ms of an 8 kHz one: the last
  // syllable). So the input is followed by silence and the output cut to its true length.
  const size_t frame_bytes = SDL_AUDIO_BITSIZE(format) / 8 * static_cast<size_t>(channels);
  const size_t frames = frame_bytes ? bytes / frame_bytes : 0;
  const size_t expected = frames * static_cast<size_t>(to_rate) / static_cast<size_t>(from_rate);
  const int silence_value = SDL_AUDIO_ISSIGNED(format) ? 0 : 0x80;
  std::vector<Uint8> padding(from_rate == to_rate ? 0 : 1024 * frame_bytes,
                             static_cast<Uint8>(silence_value));
  bool ok = SDL_AudioStreamPut(stream, data, static_cast<int>(bytes)) == 0 &&
            (padding.empty() ||
             SDL_AudioStreamPut(stream, padding.data(), static_cast<int>(padding.size())) == 0) &&
            SDL_AudioStreamFlush(stream) == 0;
  if (ok) {
    out.samples.resize(static_cast<size_t>(SDL_AudioStreamAvailable(stream)) / sizeof(int16_t));
    int got = SDL_AudioStreamGet(stream, out.samples.data(),
                                 static_cast<int>(out.samples.size() * sizeof(int16_t)));
    ok = got >= 0;
    if (ok) out.samples.resize(std::min(static_cast<size_t>(got) / sizeof(int16_t), expected));
  }
  if (!ok && error) *error = std::string("audio: conversion failed: ") + SDL_GetError();
  SDL_FreeAudioStream(stream);
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Pcm> load_wav(const std::filesystem::path& wav, int rate, std::string* error) {
  SDL_AudioSpec spec{};
  Uint8* buffer = nullptr;
  Uint32 length = 0;
  if (!SDL_LoadWAV(wav.c_str(), &spec, &buffer, &length)) {
    if (error) *error = wav.string() + ": not a readable WAV file: " + SDL_GetError();
    return std::nullopt;
  }
  auto pcm = convert(spec.format, spec.channels, spec.freq, buffer, length, rate, error);
  SDL_FreeWAV(buffer);
  if (!pcm && error) *error = wav.string() + ": " + *error;
  return pcm;
}

std::optional<Pcm> decode_wav(std::string_view bytes, int rate, std::string* error) {
  SDL_AudioSpec spec{};
  Uint8* buffer = nullptr;
  Uint32 length = 0;
  SDL_RWops* rw = SDL_RWFromConstMem(bytes.data(), static_cast<int>(bytes.size()));
  if (!rw || !SDL_LoadWAV_RW(rw, 1, &spec, &buffer, &length)) {
    if (error) *error = std::string("not a readable WAV recording: ") + SDL_GetError();
    return std::nullopt;
  }
  auto pcm = convert(spec.format, spec.channels, spec.freq, buffer, length, rate, error);
  SDL_FreeWAV(buffer);
  return pcm;
}

Pcm resample(const Pcm& in, int rate) {
  if (in.sample_rate == rate || in.samples.empty()) return Pcm{rate, in.samples};
  auto out = convert(AUDIO_S16SYS, 1, in.sample_rate, in.samples.data(),
                     in.samples.size() * sizeof(int16_t), rate, nullptr);
  return out ? *out : Pcm{rate, {}};
}

}  // namespace kiosk::platform
