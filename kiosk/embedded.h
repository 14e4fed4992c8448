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

}  // namespace kiosk::ui
