// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the answers JSON of `kioskctl check` (core/eval.h parse_answers_json),
// read against the real jp-residence pack; answers that parse are evaluated for every check.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/eval.h"
#include "core/pack.h"

using namespace kiosk::core;

namespace {

const Pack& pack() {
  static const Pack* p = [] {
    std::string error;
    auto files = read_pack_dir(KIOSK_SOURCE_DIR "/assets/packs/jp-residence", &error);
    if (!files) std::abort();
    static LoadResult loaded = load_pack(*files);
    if (!loaded.ok()) std::abort();
    return &*loaded.pack;
  }();
  return *p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto answers = parse_answers_json(pack(), text, &error);
  if (!answers) return 0;
  const Date today = Date::parse("2026-11-27").value();
  for (const std::string& check : pack().check_ids())
    (void)to_text(evaluate(pack(), check, *answers, today));
  return 0;
}
