// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: .kpack archives (sync/archive.h) as a repository serves them. An archive
// that reads must write back to bytes that read to the same files, and goes on to the pack
// loader as the client does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/pack.h"
#include "sync/archive.h"

using namespace kiosk;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string error;
  auto files = sync::read_pack_archive(bytes, &error);
  if (!files) return 0;
  auto again = sync::read_pack_archive(sync::write_pack_archive(*files), &error);
  if (!again || *again != *files) std::abort();
  (void)core::load_pack(*files);
  return 0;
}
