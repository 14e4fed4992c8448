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
core::PackFiles choose_start_pack(const core::PackFiles& fallback, std::string* note);

}  // namespace kiosk::ui
