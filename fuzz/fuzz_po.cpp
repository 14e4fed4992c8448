// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: PO catalogues (core/po.h), as a pack's messages/LANG.po or locales/LANG.po.
// A catalogue that parses without error must come back the same through write_po, and every
// msgstr goes through the ICU MessageFormat checks `kioskctl pack check` runs.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/po.h"

using namespace kiosk::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 65536) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  PoFile po;
  std::vector<Diagnostic> diags;
  const bool ok = parse_po(text, "fuzz.po", po, diags);
  for (const PoEntry& e : po.entries) {
    (void)check_message_format(e, "fuzz.po");
    (void)message_arguments(e.msgstr);
    (void)po_msgstr_position(e, e.msgstr.size() / 2);
  }
  (void)po_messages(po);
  if (!ok) return 0;
  PoFile again;
  std::vector<Diagnostic> diags2;
  if (!parse_po(write_po(po), "again.po", again, diags2)) std::abort();  // writer -> parser
  if (again.entries.size() != po.entries.size()) std::abort();
  for (size_t i = 0; i < po.entries.size(); ++i)
    if (again.entries[i].msgid != po.entries[i].msgid ||
        again.entries[i].msgstr != po.entries[i].msgstr)
      std::abort();
  return 0;
}
