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

// The pack to start with: the active version in the local pack store (installed by sync),
// or `fallback` (the embedded demo pack) when there is none or it does not load; then
// *note says why, for the staff screen and the log.
core::PackFiles choose_start_pack(const core::PackFiles& fallback, std::string* note);

}  // namespace kiosk::ui
