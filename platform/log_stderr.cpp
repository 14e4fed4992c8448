// SPDX-License-Identifier: GPL-3.0-or-later
#include <cstdio>
#include <string>

#include "platform/log.h"

namespace kiosk::platform {

static LogLevel g_min_level = LogLevel::Info;

void set_log_level(LogLevel minimum) {
  g_min_level = minimum;
}

void log(LogLevel level, std::string_view message) {
  if (level < g_min_level) return;
  // "<N>" prefixes are sd-daemon(3) priority markers: journald maps them to levels,
  // and a terminal reader can still read the line.
  static const char* prefixes[] = {"<7>debug: ", "<6>info: ", "<4>warning: ", "<3>error: "};
  std::string line = prefixes[static_cast<int>(level)];
  line.append(message);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace kiosk::platform
