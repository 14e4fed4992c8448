// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the whole pack loader (YAML, PO, MessageFormat, expressions, analyses).
// Any input must give diagnostics, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>

#include "core/eval.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kiosk::core;
  if (size > 256 * 1024) return 0;
  LoadResult result = load_pack(kiosk::fuzz::split_pack_input(data, size));
  for (const auto& d : result.diagnostics) (void)format_diagnostic(d);
  if (result.ok()) {
    // A pack that passes validation must also evaluate every check without trouble.
    Answers none;
    Date today = Date::parse("2026-11-27").value();
    for (const auto& check : result.pack->check_ids())
      (void)to_json(evaluate(*result.pack, check, none, today));
  }
  return 0;
}
