// SPDX-License-Identifier: GPL-3.0-or-later
// Recorded audio in packs: WAV header checks, joining a screen's recordings, the loader
// step, and recordings surviving the ways a pack is stored (a folder, the SQLite store).
// The malformed cases with their exact diagnostics are tests/data/packs/bad/audio-*.
#include "core/recording.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <random>

#include "core/pack_store.h"
#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

namespace fs = std::filesystem;

const WavFormat kMono16{1, 8000, 16};

// `frames` frames of a tone, every byte value in use (zeros included): binary, not text.
std::string tone(const WavFormat& f, int frames) {
  std::string out;
  for (int i = 0; i < frames * f.channels; ++i) {
    if (f.bits == 8) {
      out += static_cast<char>(128 + static_cast<int>(100 * std::sin(i / 5.0)));
    } else {
      auto v = static_cast<int16_t>(20000 * std::sin(i / 5.0));
      out += static_cast<char>(v & 0xFF);
      out += static_cast<char>((v >> 8) & 0xFF);
    }
  }
  return out;
}

std::string wav(const WavFormat& f = kMono16, int frames = 800) {
  return make_wav(f, tone(f, frames));
}

std::string parse_error(std::string_view bytes) {
  std::string error;
  EXPECT_FALSE(parse_wav(bytes, &error).has_value());
  return error;
}

TEST(Wav, MadeFileParsesBackWithItsFormatAndSamples) {
  WavFormat stereo8{2, 22050, 8};
  std::string samples = tone(stereo8, 2205);
  std::string file = make_wav(stereo8, samples);
  std::string error;
  auto info = parse_wav(file, &error);
  ASSERT_TRUE(info) << error;
  EXPECT_EQ(info->format, stereo8);
  EXPECT_EQ(info->samples, samples);
  EXPECT_DOUBLE_EQ(info->seconds(), 0.1);
  EXPECT_EQ(stereo8.describe(), "22050 Hz stereo 8-bit");
}

TEST(Wav, SkipsUnknownChunksAndOddPadding) {
  // A LIST chunk of odd length (padded to even) before the format chunk, as editors write.
  std::string file = wav();
  std::string list = "LIST";
  list += std::string("\x03\0\0\0", 4) + "abc" + std::string(1, '\0');
  file.insert(12, list);
  uint32_t riff = static_cast<uint32_t>(file.size() - 8);
  for (int i = 0; i < 4; ++i) file[4 + i] = static_cast<char>((riff >> (8 * i)) & 0xFF);
  auto info = parse_wav(file, nullptr);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->samples.size(), 1600u);
}

TEST(Wav, RejectsWhatThePlayerDoesNotTakeWithAReason) {
  EXPECT_EQ(parse_error(""), "not a WAV file (no RIFF/WAVE header)");
  EXPECT_EQ(parse_error("ID3\x03 an mp3 file"), "not a WAV file (no RIFF/WAVE header)");
  EXPECT_EQ(parse_error(make_wav({1, 8000, 24}, std::string(30, 'x'))),
            "24-bit samples; export as 16-bit PCM WAV");
  EXPECT_EQ(parse_error(make_wav({6, 8000, 16}, std::string(24, 'x'))),
            "6 channels; use mono or stereo");
  EXPECT_EQ(parse_error(make_wav({1, 96000, 16}, std::string(24, 'x'))),
            "sample rate 96000 Hz; use 8000 to 48000 Hz");
  EXPECT_EQ(parse_error(make_wav(kMono16, "")), "no audio data");
  EXPECT_EQ(parse_error(make_wav(kMono16, "abc")),
            "the audio data ends in the middle of a sample (truncated?)");
  std::string float_wav = wav();
  float_wav[20] = 3;  // format tag: IEEE float
  EXPECT_EQ(parse_error(float_wav),
            "compressed or floating-point audio (WAV format tag 3); export as 16-bit PCM WAV");
  std::string no_format = wav();
  no_format.replace(12, 4, "junk");
  EXPECT_EQ(parse_error(no_format), "no WAV format chunk");
  EXPECT_EQ(parse_error(wav().substr(0, 30)), "truncated WAV format chunk");
}

TEST(Wav, HugeChunkLengthsAreTruncationNotACrash) {
  std::string file = wav();
  for (int i = 0; i < 4; ++i) file[40 + i] = '\xFF';  // data chunk length 4 GiB - 1
  EXPECT_EQ(parse_error(file),
            "truncated: the data chunk claims 4294967295 bytes, the file holds 1600");
  std::string huge_format = wav();
  for (int i = 0; i < 4; ++i) huge_format[16 + i] = '\xFF';  // the data chunk is skipped past
  EXPECT_EQ(parse_error(huge_format), "no audio data");
}

// Damaged files (bytes changed, cut anywhere) are refused or parsed within their bounds;
// never read past the end (ASan would stop the test).
TEST(Wav, DamagedFilesNeverReadOutOfBounds) {
  std::string good = wav({2, 11025, 16}, 50);
  good.insert(12, std::string("LIST\x05\0\0\0abcde\0", 14));
  std::mt19937 rng(20261127);
  int refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bytes = good;
    int changes = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < changes; ++i) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    if (round % 3 == 0) bytes.resize(rng() % bytes.size());
    std::string error;
    auto info = parse_wav(bytes, &error);
    if (!info) {
      EXPECT_FALSE(error.empty());
      ++refused;
      continue;
    }
    EXPECT_GE(info->samples.data(), bytes.data());
    EXPECT_LE(info->samples.data() + info->samples.size(), bytes.data() + bytes.size());
    EXPECT_EQ(info->samples.size() % info->format.bytes_per_frame(), 0u);
  }
  EXPECT_GT(refused, 1000);  // the damage is mostly caught, not waved through
}

TEST(JoinWavs, ConcatenatesInOrderWithAPauseBetween) {
  std::string a = tone(kMono16, 100), b = tone(kMono16, 300);
  std::string error;
  auto joined = join_wavs({make_wav(kMono16, a), make_wav(kMono16, b)}, &error);
  ASSERT_TRUE(joined) << error;
  auto info = parse_wav(*joined, &error);
  ASSERT_TRUE(info) << error;
  EXPECT_EQ(info->format, kMono16);
  size_t pause = static_cast<size_t>(std::lround(kPauseBetweenRecordings * 8000)) * 2;
  EXPECT_EQ(std::string(info->samples), a + std::string(pause, '\0') + b);
}

TEST(JoinWavs, EightBitSilenceIsTheMidpoint) {
  WavFormat f{1, 8000, 8};
  auto joined = join_wavs({make_wav(f, "ab"), make_wav(f, "cd")}, nullptr);
  ASSERT_TRUE(joined);
  auto info = parse_wav(*joined, nullptr);
  ASSERT_TRUE(info);
  EXPECT_EQ(std::string(info->samples), "ab" + std::string(3200, '\x80') + "cd");
}

TEST(JoinWavs, OneRecordingComesBackAsIs) {
  std::string one = wav();
  EXPECT_EQ(join_wavs({one}, nullptr), one);
}

TEST(JoinWavs, RefusesMixedFormatsEmptyListsAndBrokenFiles) {
  std::string error;
  EXPECT_FALSE(join_wavs({wav(), wav({1, 22050, 16})}, &error));
  EXPECT_EQ(error, "recording 2 is 22050 Hz mono 16-bit, the first is 8000 Hz mono 16-bit");
  EXPECT_FALSE(join_wavs({}, &error));
  EXPECT_EQ(error, "no recordings to join");
  EXPECT_FALSE(join_wavs({wav(), "RIFF"}, &error));
  EXPECT_EQ(error, "recording 2: not a WAV file (no RIFF/WAVE header)");
}

PackFiles mini_with(const std::map<std::string, std::string>& extra) {
  PackFiles files = testing::mini_files();
  for (const auto& [path, bytes] : extra) files[path] = bytes;
  return files;
}

TEST(PackRecordings, GoodRecordingsLoadWithoutNewDiagnostics) {
  std::string ja = wav(), en = wav({2, 44100, 16}, 441);
  LoadResult r = load_pack(mini_with({{"audio/ja/q.applied.text.wav", ja},
                                      {"audio/ja/q.status.text.wav", wav()},
                                      {"audio/en/q.applied.text.wav", en}}));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);  // the Arabic completeness warning of the mini pack
  EXPECT_EQ(r.diagnostics[0].file, "messages/ar.po");
  const Pack& p = *r.pack;
  ASSERT_TRUE(p.recording("ja", "q.applied.text"));
  EXPECT_EQ(*p.recording("ja", "q.applied.text"), ja);
  EXPECT_EQ(*p.recording("en", "q.applied.text"), en);  // each language has its own format
  EXPECT_EQ(p.recording("ar", "q.applied.text"), nullptr);
  EXPECT_EQ(p.recording("ja", "q.card_expiry.text"), nullptr);
  EXPECT_EQ(p.recordings.at("ja").size(), 2u);
}

TEST(PackRecordings, NoAudioFolderMeansNoRecordings) {
  EXPECT_TRUE(testing::mini_pack()->recordings.empty());
}

TEST(PackRecordings, EveryProblemIsReportedNotJustTheFirst) {
  LoadResult r = load_pack(mini_with({{"audio/ja/q.applied.text.wav", "not audio"},
                                      {"audio/ja/q.status.text.wav", "RIFF"},
                                      {"audio/xx/q.status.text.wav", wav()}}));
  EXPECT_FALSE(r.ok());
  int errors = 0;
  for (const auto& d : r.diagnostics) errors += d.severity == Severity::Error;
  EXPECT_EQ(errors, 3);
}

TEST(PackRecordings, BrokenManifestDoesNotCascadeIntoUnlistedLanguages) {
  LoadResult r =
      load_pack(mini_with({{"pack.yaml", "format: [1"}, {"audio/ja/q.applied.text.wav", wav()}}));
  EXPECT_FALSE(r.ok());
  for (const auto& d : r.diagnostics)
    EXPECT_NE(d.file.rfind("audio/", 0), 0u) << format_diagnostic(d);
}

// A folder on disk: read_pack_dir keeps every byte (NULs included).
TEST(PackRecordings, SurviveAFolderRoundTrip) {
  fs::path dir = fs::temp_directory_path() / ("kiosk-recording-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::string ja = wav();
  PackFiles files = mini_with({{"audio/ja/q.applied.text.wav", ja}});
  for (const auto& [path, bytes] : files) {
    fs::create_directories((dir / path).parent_path());
    std::ofstream(dir / path, std::ios::binary) << bytes;
  }
  PackFiles back = testing::read_dir_or_fail(dir);
  fs::remove_all(dir);
  EXPECT_EQ(back, files);
  LoadResult r = load_pack(back);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r.pack->recording("ja", "q.applied.text"), ja);
}

// The SQLite store (what sync installs and the kiosk starts from) keeps them as BLOBs.
TEST(PackRecordings, SurviveThePackStore) {
  fs::path db = fs::temp_directory_path() /
                ("kiosk-recording-store-" + std::to_string(::getpid()) + ".sqlite");
  fs::remove(db);
  std::string ja = wav();
  ASSERT_NE(ja.find('\0'), std::string::npos);
  PackFiles files = mini_with({{"audio/ja/q.applied.text.wav", ja}});
  std::string error;
  {
    PackStore store;
    ASSERT_TRUE(store.open(db.string(), &error)) << error;
    auto installed = store.install(files, &error);
    ASSERT_TRUE(installed) << error;
    ASSERT_TRUE(store.activate(installed->first, installed->second, &error)) << error;
    auto back = store.active("test.mini", &error);
    ASSERT_TRUE(back) << error;
    EXPECT_EQ(back->at("audio/ja/q.applied.text.wav"), ja);
    EXPECT_EQ(*back, files);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
}

}  // namespace
}  // namespace kiosk::core
