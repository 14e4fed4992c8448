// SPDX-License-Identifier: GPL-3.0-or-later
#include "platform/paths.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace kp = kiosk::platform;

TEST(Paths, DevelopmentUsesXdgDirectories) {
  // The test binary runs from the build tree, not /usr: the development layout.
  setenv("XDG_CONFIG_HOME", "/xdg/config", 1);
  setenv("XDG_STATE_HOME", "relative/ignored", 1);  // relative: invalid per the XDG spec
  const char* home = std::getenv("HOME");
  std::string saved_home = home ? home : "";
  setenv("HOME", "/home/someone", 1);
  unsetenv("XDG_CACHE_HOME");
  kp::Paths p = kp::resolve_paths();
  EXPECT_FALSE(p.installed);
  EXPECT_EQ(p.config_dir, "/xdg/config/migrant-kiosk");
  EXPECT_EQ(p.state_dir, "/home/someone/.local/state/migrant-kiosk");
  EXPECT_EQ(p.cache_dir, "/home/someone/.cache/migrant-kiosk");
  unsetenv("XDG_CONFIG_HOME");
  unsetenv("XDG_STATE_HOME");
  if (home)
    setenv("HOME", saved_home.c_str(), 1);
  else
    unsetenv("HOME");
}

TEST(Paths, PrivateDirIsCreatedOwnerOnly) {
  auto dir = std::filesystem::temp_directory_path() /
             ("platform_paths_" + std::to_string(::getpid())) / "a" / "b";
  std::string error;
  ASSERT_TRUE(kp::ensure_private_dir(dir, &error)) << error;
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  std::filesystem::remove_all(dir.parent_path().parent_path());
}

TEST(Paths, PrivateDirFailureSaysWhere) {
  std::string error;
  EXPECT_FALSE(kp::ensure_private_dir("/proc/self/no/such/place", &error));
  EXPECT_NE(error.find("cannot create /proc/self/no/such/place"), std::string::npos) << error;
}
