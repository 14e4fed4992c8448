// SPDX-License-Identifier: GPL-3.0-or-later
#include "platform/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace kp = kiosk::platform;

namespace {

// Runs `body` with stderr sent to a file and returns what it wrote.
template <typename F>
std::string capture_stderr(F body) {
  std::string path = "/tmp/platform_log_" + std::to_string(::getpid()) + ".txt";
  std::fflush(stderr);
  int saved = ::dup(2);
  FILE* f = std::fopen(path.c_str(), "w");
  ::dup2(::fileno(f), 2);
  body();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::fclose(f);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::remove(path.c_str());
  return text.str();
}

}  // namespace

TEST(Log, OneLinePerEventWithJournalPriorities) {
  std::string out = capture_stderr([] {
    kp::set_log_level(kp::LogLevel::Info);
    kp::log_error("print: front-desk: printer reports media-empty-error");
    kp::log_warning("speech: no voice for km");
    kp::log_info("screen welcome");
    kp::log(kp::LogLevel::Debug, "not shown at Info");
  });
  EXPECT_EQ(out,
            "<3>error: print: front-desk: printer reports media-empty-error\n"
            "<4>warning: speech: no voice for km\n"
            "<6>info: screen welcome\n");
}

TEST(Log, MinimumLevelFilters) {
  std::string out = capture_stderr([] {
    kp::set_log_level(kp::LogLevel::Error);
    kp::log_warning("hidden");
    kp::log_error("shown");
    kp::set_log_level(kp::LogLevel::Info);
  });
  EXPECT_EQ(out, "<3>error: shown\n");
}
