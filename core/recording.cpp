// SPDX-License-Identifier: GPL-3.0-or-later
// Recorded audio of a pack: WAV checks, joining, and the loader step (core/recording.h).
#include "core/recording.h"

#include <cmath>
#include <cstdint>
#include <map>

#include "core/po.h"

namespace kiosk::core {
namespace {

constexpr std::string_view kAudioDir = "audio/";
constexpr std::string_view kWavSuffix = ".wav";
constexpr uint16_t kFormatPcm = 1;
constexpr size_t kRiffHeaderBytes = 12, kChunkHeaderBytes = 8, kFmtBytes = 16;

uint32_t le32(std::string_view s, size_t at) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24;
}

uint16_t le16(std::string_view s, size_t at) {
  auto b = [&](size_t i) { return static_cast<uint16_t>(static_cast<unsigned char>(s[at + i])); };
  return static_cast<uint16_t>(b(0) | b(1) << 8);
}

void put32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

void put16(std::string& out, uint16_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>(v >> 8);
}

bool fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

// The format chunk's fields the kiosk cares about, rejecting what its player does not take.
bool read_format(std::string_view fmt, WavFormat* out, std::string* error) {
  uint16_t tag = le16(fmt, 0);
  if (tag != kFormatPcm)
    return fail(error, "compressed or floating-point audio (WAV format tag " + std::to_string(tag) +
                           "); export as 16-bit PCM WAV");
  out->channels = le16(fmt, 2);
  out->sample_rate = static_cast<int>(le32(fmt, 4));
  out->bits = le16(fmt, 14);
  if (out->channels != 1 && out->channels != 2)
    return fail(error, std::to_string(out->channels) + " channels; use mono or stereo");
  if (out->bits != 8 && out->bits != 16)
    return fail(error, std::to_string(out->bits) + "-bit samples; export as 16-bit PCM WAV");
  if (out->sample_rate < 8000 || out->sample_rate > 48000)
    return fail(error,
                "sample rate " + std::to_string(out->sample_rate) + " Hz; use 8000 to 48000 Hz");
  return true;
}

// Path "audio/<tag>/<id>.wav" -> tag and id; false for any other shape.
bool split_recording_path(const std::string& path, std::string* tag, std::string* id) {
  std::string_view rest = std::string_view(path).substr(kAudioDir.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  std::string_view file = rest.substr(slash + 1);
  if (file.size() <= kWavSuffix.size() || file.find('/') != std::string_view::npos ||
      file.substr(file.size() - kWavSuffix.size()) != kWavSuffix)
    return false;
  *tag = std::string(rest.substr(0, slash));
  *id = std::string(file.substr(0, file.size() - kWavSuffix.size()));
  return true;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "{" : ", {") + n + "}";
  return out;
}

class RecordingChecker {
 public:
  RecordingChecker(const std::set<std::string>& base_ids, Pack& pack,
                   std::vector<Diagnostic>& diags)
      : base_ids_(base_ids), pack_(pack), diags_(diags) {}

  void check(const std::string& path, const std::string& bytes) {
    std::string tag, id;
    if (!split_recording_path(path, &tag, &id))
      return report(path, Severity::Warning, "ignored: recordings are audio/LANG/MESSAGE-ID.wav");
    // Without a language list (a broken manifest, reported already) nothing is listed.
    if (!pack_.manifest.languages.empty() && !language_listed(tag))
      return report(path, Severity::Error,
                    "recording for language '" + tag + "', which pack.yaml does not list");
    std::string why;
    auto wav = parse_wav(bytes, &why);
    if (!wav) return report(path, Severity::Error, why);
    if (!same_format_as_first(path, tag, wav->format)) return;
    if (!message_has_text(path, tag, id)) return;
    pack_.recordings[tag][id] = bytes;
  }

 private:
  void report(const std::string& path, Severity severity, std::string message) {
    diags_.push_back({path, 0, 0, severity, std::move(message)});
  }

  bool language_listed(const std::string& tag) const {
    for (const auto& l : pack_.manifest.languages)
      if (l.tag == tag) return true;
    return false;
  }

  // The platform joins a screen's recordings into one sound, which needs one format.
  bool same_format_as_first(const std::string& path, const std::string& tag,
                            const WavFormat& format) {
    auto [it, first] = first_format_.try_emplace(tag, path, format);
    if (first || it->second.second == format) return true;
    report(path, Severity::Error,
           format.describe() + ", but " + it->second.first + " is " + it->second.second.describe() +
               "; the recordings of one language must share one format");
    return false;
  }

  // A recording reads the text the screen shows, so the message needs that text.
  bool message_has_text(const std::string& path, const std::string& tag, const std::string& id) {
    const Catalogue* cat = pack_.catalogue(tag);
    if (!cat) return false;  // the missing catalogue is reported already
    auto it = cat->messages.find(id);
    if (it != cat->messages.end()) {
      warn_placeholders(path, id, it->second);
      return true;
    }
    const std::string& base = pack_.manifest.base_language;
    if (!base_ids_.count(id))
      report(path, Severity::Error,
             "unknown message id '" + id + "' (not in messages/" + base + ".po)");
    else
      report(path, Severity::Error,
             "message '" + id + "' has no text in messages/" + tag +
                 ".po; a recording reads the text the screen shows");
    return false;
  }

  // The kiosk recognises a recorded text on screen by its exact words; a text with
  // placeholders changes with the answers, so its recording is never played.
  void warn_placeholders(const std::string& path, const std::string& id,
                         const std::string& pattern) {
    if (pattern.find('{') == std::string::npos) return;
    auto names = message_argument_names(pattern);
    if (names.empty()) return;
    report(path, Severity::Warning,
           "message '" + id + "' has placeholders (" + join_names(names) +
               "); only texts without placeholders are played from recordings");
  }

  const std::set<std::string>& base_ids_;
  Pack& pack_;
  std::vector<Diagnostic>& diags_;
  std::map<std::string, std::pair<std::string, WavFormat>> first_format_;  // tag -> path, format
};

}  // namespace

std::string WavFormat::describe() const {
  return std::to_string(sample_rate) + " Hz " +
         (channels == 1   ? std::string("mono")
          : channels == 2 ? std::string("stereo")
                          : std::to_string(channels) + " channels") +
         " " + std::to_string(bits) + "-bit";
}

double WavInfo::seconds() const {
  int frame = format.bytes_per_frame();
  if (frame <= 0 || format.sample_rate <= 0) return 0;
  return static_cast<double>(samples.size()) / frame / format.sample_rate;
}

std::optional<WavInfo> parse_wav(std::string_view bytes, std::string* error) {
  if (bytes.size() < kRiffHeaderBytes || bytes.substr(0, 4) != "RIFF" ||
      bytes.substr(8, 4) != "WAVE") {
    fail(error, "not a WAV file (no RIFF/WAVE header)");
    return std::nullopt;
  }
  WavInfo info;
  bool have_format = false, have_data = false;
  // 64-bit positions: a chunk length near 4 GiB must not wrap around.
  for (uint64_t pos = kRiffHeaderBytes; pos + kChunkHeaderBytes <= bytes.size();) {
    std::string_view id = bytes.substr(pos, 4);
    uint64_t length = le32(bytes, pos + 4);
    uint64_t body = pos + kChunkHeaderBytes;
    if (id == "fmt " && !have_format) {
      if (length < kFmtBytes || body + kFmtBytes > bytes.size()) {
        fail(error, "truncated WAV format chunk");
        return std::nullopt;
      }
      if (!read_format(bytes.substr(body, kFmtBytes), &info.format, error)) return std::nullopt;
      have_format = true;
    } else if (id == "data" && !have_data) {
      if (body + length > bytes.size()) {
        fail(error, "truncated: the data chunk claims " + std::to_string(length) +
                        " bytes, the file holds " + std::to_string(bytes.size() - body));
        return std::nullopt;
      }
      info.samples = bytes.substr(body, length);
      have_data = true;
    }
    pos = body + length + (length & 1);  // chunks are padded to an even length
  }
  if (!have_format) {
    fail(error, "no WAV format chunk");
    return std::nullopt;
  }
  if (!have_data || info.samples.empty()) {
    fail(error, "no audio data");
    return std::nullopt;
  }
  if (info.samples.size() % info.format.bytes_per_frame() != 0) {
    fail(error, "the audio data ends in the middle of a sample (truncated?)");
    return std::nullopt;
  }
  return info;
}

std::string make_wav(const WavFormat& format, std::string_view samples) {
  const auto frame = static_cast<uint16_t>(format.bytes_per_frame());
  const auto size = static_cast<uint32_t>(samples.size());
  std::string out = "RIFF";
  put32(out, 4 + (kChunkHeaderBytes + kFmtBytes) + kChunkHeaderBytes + size + (size & 1));
  out += "WAVEfmt ";
  put32(out, kFmtBytes);
  put16(out, kFormatPcm);
  put16(out, static_cast<uint16_t>(format.channels));
  put32(out, static_cast<uint32_t>(format.sample_rate));
  put32(out, static_cast<uint32_t>(format.sample_rate) * frame);
  put16(out, frame);
  put16(out, static_cast<uint16_t>(format.bits));
  out += "data";
  put32(out, size);
  out.append(samples);
  if (size & 1) out += '\0';
  return out;
}

std::optional<std::string> join_wavs(const std::vector<std::string_view>& wavs,
                                     std::string* error) {
  if (wavs.empty()) {
    fail(error, "no recordings to join");
    return std::nullopt;
  }
  std::optional<WavFormat> format;
  std::string samples;
  for (size_t i = 0; i < wavs.size(); ++i) {
    std::string why;
    auto wav = parse_wav(wavs[i], &why);
    if (!wav) {
      fail(error, "recording " + std::to_string(i + 1) + ": " + why);
      return std::nullopt;
    }
    if (format && !(*format == wav->format)) {
      fail(error, "recording " + std::to_string(i + 1) + " is " + wav->format.describe() +
                      ", the first is " + format->describe());
      return std::nullopt;
    }
    if (format) {
      // Silence is the midpoint: 128 for unsigned 8-bit samples, 0 for signed 16-bit.
      auto frames = static_cast<size_t>(std::lround(kPauseBetweenRecordings * format->sample_rate));
      samples.append(frames * format->bytes_per_frame(), format->bits == 8 ? '\x80' : '\0');
    }
    format = wav->format;
    samples.append(wav->samples);
  }
  return make_wav(*format, samples);
}

void load_recordings(const PackFiles& files, const std::set<std::string>& base_ids, Pack& pack,
                     std::vector<Diagnostic>& diags) {
  RecordingChecker checker(base_ids, pack, diags);
  for (auto it = files.lower_bound(std::string(kAudioDir));
       it != files.end() && it->first.rfind(kAudioDir, 0) == 0; ++it)
    checker.check(it->first, it->second);
}

const std::string* Pack::recording(const std::string& tag, const std::string& message_id) const {
  auto lang = recordings.find(tag);
  if (lang == recordings.end()) return nullptr;
  auto it = lang->second.find(message_id);
  return it == lang->second.end() ? nullptr : &it->second;
}

}  // namespace kiosk::core
