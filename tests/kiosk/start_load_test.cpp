// SPDX-License-Identifier: GPL-3.0-or-later
// The kiosk's start (kiosk/main.cpp calls load_start_pack) parses and validates its pack
// once, also with sync configured and the pack coming from the store: the store's load
// check keeps what it loaded and Content takes it (it used to be loaded again).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "core/pack.h"
#include "core/pack_store.h"
#include "kiosk/content.h"
#include "kiosk/embedded.h"

namespace kiosk::ui {
namespace {

namespace fs = std::filesystem;

// Sync configured (a repository nobody answers: nothing is fetched here) with its state in
// a fresh folder; the environment is put back afterwards.
class StartLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiosk-start-load-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    setenv("KIOSK_REPO_URL", "http://127.0.0.1:9/", 1);
    setenv("XDG_STATE_HOME", (dir_ / "state").c_str(), 1);
    setenv("XDG_CACHE_HOME", (dir_ / "cache").c_str(), 1);
    fs::create_directories(dir_ / "state/migrant-kiosk");
  }
  void TearDown() override {
    unsetenv("KIOSK_REPO_URL");
    unsetenv("XDG_STATE_HOME");
    unsetenv("XDG_CACHE_HOME");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // Installs the embedded pack under another version and makes it the active one.
  void install_active(const std::string& version) {
    core::PackFiles files = embedded_pack();
    std::string& manifest = files["pack.yaml"];
    const size_t at = manifest.find("\nversion: ");
    ASSERT_NE(at, std::string::npos);
    manifest.replace(at, manifest.find('\n', at + 1) - at, "\nversion: " + version);
    core::PackStore store;
    std::string error;
    ASSERT_TRUE(store.open((dir_ / "state/migrant-kiosk/packs.db").string(), &error)) << error;
    auto installed = store.install(files, &error);
    ASSERT_TRUE(installed) << error;
    ASSERT_TRUE(store.activate(installed->first, version, &error)) << error;
  }
  fs::path dir_;
};

TEST_F(StartLoadTest, start_loads_once_from_the_store) {
  install_active("2099.1.1");
  Content content;
  std::string note, error;
  const int64_t before = core::load_pack_calls();
  ASSERT_TRUE(load_start_pack(content, embedded_pack(), embedded_ui_catalogues(), &note, &error))
      << error;
  EXPECT_EQ(core::load_pack_calls() - before, 1);
  EXPECT_EQ(content.pack().manifest.version, "2099.1.1");  // the store's, not the embedded one
  EXPECT_EQ(note, "");
  // What it took is a usable pack, with the UI's texts.
  EXPECT_FALSE(content.pack().procedures.empty());
  EXPECT_EQ(content.localizer().format("ui.welcome.title"), "Choose your language");
}

TEST_F(StartLoadTest, start_loads_once_when_nothing_is_synced_yet) {
  Content content;
  std::string note, error;
  const int64_t before = core::load_pack_calls();
  ASSERT_TRUE(load_start_pack(content, embedded_pack(), embedded_ui_catalogues(), &note, &error))
      << error;
  EXPECT_EQ(core::load_pack_calls() - before, 1);
  EXPECT_EQ(content.pack().manifest.version, core::read_pack_identity(embedded_pack())->version);
}

}  // namespace
}  // namespace kiosk::ui
