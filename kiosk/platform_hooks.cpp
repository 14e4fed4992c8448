// Connects the app's hooks to platform/ (speech, printing) and sync/ (staff status).
#include "kiosk/app.h"
#include "kiosk/embedded.h"

namespace kiosk::ui {

void install_platform_hooks(App& app) {
  // Printing and speech arrive with platform/print and platform/speech; until a printer is
  // configured the take-away screen says so calmly (App::print_checklist).
  (void)app;
}

}  // namespace kiosk::ui
