// SPDX-License-Identifier: GPL-3.0-or-later
// core/recording.h: recorded audio a pack ships (audio/<lang>/<message id>.wav, see
// docs/pack-format.md): the WAV checks of the loader, and joining the recordings of one
// screen into one sound the platform plays.
//
// Only uncompressed PCM WAV (8 or 16 bits, mono or stereo, 8000..48000 Hz) is accepted:
// every recording tool exports it, the platform's player (SDL) plays it, and its header
// can be checked here without an audio library.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/pack.h"

namespace kiosk::core {

struct WavFormat {
  int channels = 0;     // 1 or 2
  int sample_rate = 0;  // Hz
  int bits = 0;         // 8 or 16 bits per sample
  bool operator==(const WavFormat&) const = default;
  // "22050 Hz mono 16-bit", for diagnostics.
  std::string describe() const;
  int bytes_per_frame() const { return channels * bits / 8; }
};

struct WavInfo {
  WavFormat format;
  std::string_view samples;  // the data chunk, inside the parsed bytes
  double seconds() const;
};

// Parses a WAV file. nullopt and a one-line reason in *error when it is not a WAV file the
// kiosk plays (not RIFF/WAVE, compressed or float samples, truncated, no samples...).
std::optional<WavInfo> parse_wav(std::string_view bytes, std::string* error);

// A WAV file holding `samples` (already in `format`, whole frames).
std::string make_wav(const WavFormat& format, std::string_view samples);

// Seconds of silence between two joined recordings: a breath between two texts.
constexpr double kPauseBetweenRecordings = 0.4;

// Joins recordings of one format into one WAV file, in order, with a short pause between
// them. nullopt and *error when there is none, one does not parse or the formats differ
// (the loader makes sure a language's recordings share one format).
std::optional<std::string> join_wavs(const std::vector<std::string_view>& wavs, std::string* error);

// Loader step: checks every audio/ file of `files` against the pack's languages and
// catalogues (`base_ids`: every message id of the base catalogue, translated or not) and
// stores the good ones in pack.recordings. Appends one diagnostic per problem.
void load_recordings(const PackFiles& files, const std::set<std::string>& base_ids, Pack& pack,
                     std::vector<Diagnostic>& diags);

}  // namespace kiosk::core
