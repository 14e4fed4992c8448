// SPDX-License-Identifier: GPL-3.0-or-later
// platform/log.h: one line per event to stderr; under systemd, stderr goes to the journal.
// Policy: log events and ids (screen names, pack ids, error reasons), NEVER a user's answers
// or any text derived from them. The API takes only a category and a fixed message so that
// answer values have no natural way in.
#pragma once
#include <string_view>

namespace kiosk::platform {

enum class LogLevel { Debug, Info, Warning, Error };

void log(LogLevel level, std::string_view message);
void set_log_level(LogLevel minimum);

inline void log_info(std::string_view m) {
  log(LogLevel::Info, m);
}
inline void log_warning(std::string_view m) {
  log(LogLevel::Warning, m);
}
inline void log_error(std::string_view m) {
  log(LogLevel::Error, m);
}

}  // namespace kiosk::platform
