// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: WAV recordings a pack ships (core/recording.h). A file that parses must
// survive being written again with make_wav and joined with itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/recording.h"

using namespace kiosk::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto wav = parse_wav(bytes, &error);
  if (!wav) return 0;
  (void)wav->format.describe();
  (void)wav->seconds();
  const std::string written = make_wav(wav->format, wav->samples);
  auto again = parse_wav(written, &error);
  if (!again || !(again->format == wav->format) || again->samples != wav->samples) std::abort();
  if (size < 65536 && !join_wavs({bytes, written}, &error)) std::abort();
  return 0;
}
