// SPDX-License-Identifier: GPL-3.0-or-later
#include "kiosk/embedded.h"

#include <string_view>
#include <utility>
#include <vector>

namespace kiosk::assets {
namespace pack {
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_files();
}
namespace locales {
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_files();
}
}  // namespace kiosk::assets

namespace kiosk::ui {

core::PackFiles embedded_pack() {
  core::PackFiles files;
  for (const auto& [path, bytes] : assets::pack::embedded_files())
    files.emplace(std::string(path), std::string(bytes));
  return files;
}

UiCatalogues embedded_ui_catalogues() {
  UiCatalogues out;
  for (const auto& [path, bytes] : assets::locales::embedded_files()) {
    std::string name(path);  // "en.po"
    if (name.size() > 3 && name.compare(name.size() - 3, 3, ".po") == 0)
      out.emplace(name.substr(0, name.size() - 3), std::string(bytes));
  }
  return out;
}

}  // namespace kiosk::ui
