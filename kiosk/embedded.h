// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk/embedded.h: data compiled into the kiosk binary, so it runs with no data files:
// the demo pack (assets/packs/jp-residence) and the UI catalogues (locales/*.po).
#pragma once

#include "core/pack.h"
#include "kiosk/content.h"

namespace kiosk::ui {

class App;

core::PackFiles embedded_pack();
UiCatalogues embedded_ui_catalogues();

// Connects the app's hooks (print, speak, staff status) to platform/ and sync/.
void install_platform_hooks(App& app);

// The pack to start with. After switching in the versions sync installed since the last
// run: the pack store's active version if it loads; else the newest older installed version
// that loads, which becomes active (each version that does not load is marked bad); else
// `fallback` (the embedded demo pack), also when sync is not configured, nothing is
// installed yet or the store does not open. When it did not start on the active version,
// or the store failed, *note says which version it started on and why (for the staff
// screen and the log).
struct ChosenPack {
  core::PackFiles files;
  // The store's pack as its load check loaded it (Content::kLoadOptions); null when
  // `fallback` was chosen, which the caller still has to load.
  std::shared_ptr<const core::Pack> loaded;
};
ChosenPack choose_start_pack(const core::PackFiles& fallback, std::string* note);

// choose_start_pack(), then `content` loads what it chose: the pack is parsed and validated
// once (core::load_pack_calls() goes up by one, plus one per store version that does not
// load). False with *error when the chosen pack does not load.
bool load_start_pack(Content& content, const core::PackFiles& fallback,
                     const UiCatalogues& ui_catalogues, std::string* note, std::string* error);

}  // namespace kiosk::ui
