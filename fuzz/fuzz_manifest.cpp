// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: the repository's signature envelope (manifest.json.sig, 64 bytes of
// Ed25519) and manifest.json (sync/manifest.h). Input: the first 64 bytes are the signature,
// the rest the manifest. Whatever parses must be written and read back to the same manifest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sync/crypto.h"
#include "sync/manifest.h"

using namespace kiosk::sync;

namespace {

bool same(const RepoManifest& a, const RepoManifest& b) {
  if (a.format != b.format || a.repo_version != b.repo_version || a.published != b.published ||
      a.expires != b.expires || a.packs.size() != b.packs.size())
    return false;
  for (size_t i = 0; i < a.packs.size(); ++i) {
    const auto &x = a.packs[i], &y = b.packs[i];
    if (x.id != y.id || x.version != y.version || x.path != y.path || x.size != y.size ||
        x.sha256 != y.sha256)
      return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;
  static const bool ready = crypto_ready();
  if (!ready) std::abort();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view sig = in.substr(0, 64);
  const std::string json(in.substr(sig.size()));
  static const std::string key(32, '\x5a');  // any 32 bytes: a pinned public key
  (void)verify_detached(json, sig, key);
  std::string error;
  auto m = parse_manifest(json, &error);
  if (!m) return 0;
  auto again = parse_manifest(manifest_to_json(*m), &error);
  if (!again || !same(*m, *again)) std::abort();
  for (const std::string& t : {format_utc(m->published), format_utc(m->expires)})
    if (parse_utc(t) != (t == format_utc(m->published) ? m->published : m->expires)) std::abort();
  return 0;
}
