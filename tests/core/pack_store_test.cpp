// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/pack_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>

#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

namespace fs = std::filesystem;

class PackStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kiosk-pack-store-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::string error;
    ASSERT_TRUE(store_.open((dir_ / "packs.sqlite").string(), &error)) << error;
  }
  void TearDown() override { fs::remove_all(dir_); }

  static PackFiles with_version(const std::string& version) {
    PackFiles files = testing::mini_files();
    std::string& manifest = files["pack.yaml"];
    manifest.replace(manifest.find("version: 1.2.3"), 14, "version: " + version);
    return files;
  }

  // Installs each version of the mini pack and activates `active`.
  void install_versions(const std::vector<std::string>& versions, const std::string& active) {
    std::string error;
    for (const auto& v : versions) ASSERT_TRUE(store_.install(with_version(v), &error)) << error;
    ASSERT_TRUE(store_.activate("test.mini", active, &error)) << error;
  }

  // Runs SQL on the store file through a second connection (what an older app or a broken
  // disk would leave behind).
  void run_sql(const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ / "packs.sqlite").string().c_str(), &db), SQLITE_OK);
    char* msg = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &msg), SQLITE_OK) << (msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
  }

  fs::path dir_;
  PackStore store_;
};

// A load check that rejects the listed versions with a loader-like reason, and records
// which versions it was asked about.
struct RejectVersions {
  std::vector<std::string> broken;
  std::vector<std::string>* tried;
  std::string operator()(const PackFiles& files) const {
    auto identity = read_pack_identity(files);
    if (!identity) return "pack.yaml: no identity";
    tried->push_back(identity->version);
    bool is_broken = std::find(broken.begin(), broken.end(), identity->version) != broken.end();
    return is_broken ? "pack.yaml:4:18: error: the pack needs app version 99.0 or newer" : "";
  }
};

TEST(PackIdentityTest, ReadsIdAndVersionFromTheManifestOnly) {
  PackFiles files = testing::mini_files();
  files["rules.yaml"] = "not: [valid";  // the rest of the pack is never read
  auto identity = read_pack_identity(files);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->id, "test.mini");
  EXPECT_EQ(identity->version, "1.2.3");
}

TEST(PackIdentityTest, NulloptForAMissingOrBrokenManifest) {
  EXPECT_FALSE(read_pack_identity({}));
  EXPECT_FALSE(read_pack_identity({{"pack.yaml", "id: [unclosed"}}));
  EXPECT_FALSE(read_pack_identity({{"pack.yaml", "- a list"}}));
  EXPECT_FALSE(read_pack_identity({{"pack.yaml", "id: x\n"}}));
  EXPECT_FALSE(read_pack_identity({{"pack.yaml", "id: {a: 1}\nversion: 1"}}));
}

TEST_F(PackStoreTest, StartPackKeepsTheActiveVersionWhenItLoads) {
  install_versions({"1.2.3", "1.3.0"}, "1.3.0");
  std::vector<std::string> tried;
  std::string error;
  auto start = store_.start_pack("test.mini", RejectVersions{{}, &tried}, &error);
  ASSERT_TRUE(start) << error;
  EXPECT_EQ(start->version, "1.3.0");
  EXPECT_EQ(start->files, with_version("1.3.0"));
  EXPECT_TRUE(start->rejected.empty());
  EXPECT_EQ(tried, std::vector<std::string>{"1.3.0"}) << "nothing else is loaded";
}

TEST_F(PackStoreTest, StartPackFallsBackToTheNewestOlderVersionThatLoadsAndMarksTheRest) {
  // 1.4.0 is installed but not active (waiting for activation): never a fallback target.
  install_versions({"1.0.0", "1.2.3", "1.3.0", "1.4.0"}, "1.3.0");
  std::vector<std::string> tried;
  std::string error;
  auto start = store_.start_pack("test.mini", RejectVersions{{"1.3.0", "1.2.3"}, &tried}, &error);
  ASSERT_TRUE(start) << error;
  EXPECT_EQ(start->version, "1.0.0");
  EXPECT_EQ(start->files, with_version("1.0.0"));
  ASSERT_EQ(start->rejected.size(), 2u);
  EXPECT_EQ(start->rejected[0].version, "1.3.0");
  EXPECT_EQ(start->rejected[1].version, "1.2.3");
  EXPECT_EQ(start->rejected[0].reason,
            "pack.yaml:4:18: error: the pack needs app version 99.0 or newer");
  EXPECT_EQ(start->store_error, "");
  EXPECT_EQ(tried, (std::vector<std::string>{"1.3.0", "1.2.3", "1.0.0"}));

  // The store says what runs and why the others do not.
  EXPECT_EQ(store_.active_version("test.mini"), "1.0.0");
  EXPECT_EQ(store_.bad_reason("test.mini", "1.3.0"), start->rejected[0].reason);
  EXPECT_EQ(store_.bad_reason("test.mini", "1.2.3"), start->rejected[1].reason);
  EXPECT_FALSE(store_.bad_reason("test.mini", "1.0.0"));
  auto list = store_.list();
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].version, "1.0.0");
  EXPECT_TRUE(list[0].active);
  EXPECT_EQ(list[0].bad_reason, "");
  EXPECT_EQ(list[2].version, "1.3.0");
  EXPECT_EQ(list[2].bad_reason, start->rejected[0].reason);

  // The next start goes straight to 1.0.0: marked versions are not loaded again.
  tried.clear();
  start = store_.start_pack("test.mini", RejectVersions{{"1.3.0", "1.2.3"}, &tried}, &error);
  ASSERT_TRUE(start) << error;
  EXPECT_EQ(start->version, "1.0.0");
  EXPECT_TRUE(start->rejected.empty());
  EXPECT_EQ(tried, std::vector<std::string>{"1.0.0"});
}

TEST_F(PackStoreTest, BadVersionsAreNeverActivatedUntilTheMarkIsCleared) {
  install_versions({"1.2.3", "1.3.0"}, "1.2.3");
  std::string error;
  ASSERT_TRUE(store_.activate("test.mini", "1.3.0", &error)) << error;
  ASSERT_TRUE(store_.mark_bad("test.mini", "1.3.0", "pack.yaml:4:18: error: too new", &error));
  ASSERT_TRUE(store_.activate("test.mini", "1.2.3", &error)) << error;

  const std::string refused =
      "pack store: test.mini 1.3.0 does not load on this kiosk (pack.yaml:4:18: error: too "
      "new); it stays inactive until the mark is cleared";
  EXPECT_FALSE(store_.activate("test.mini", "1.3.0", &error));
  EXPECT_EQ(error, refused);
  EXPECT_FALSE(store_.rollback("test.mini", &error)) << "the rollback target is 1.3.0";
  EXPECT_EQ(error, refused);
  EXPECT_EQ(store_.active_version("test.mini"), "1.2.3");

  ASSERT_TRUE(store_.clear_bad("test.mini", "1.3.0", &error)) << error;
  EXPECT_FALSE(store_.bad_reason("test.mini", "1.3.0"));
  EXPECT_TRUE(store_.activate("test.mini", "1.3.0", &error)) << error;
}

TEST_F(PackStoreTest, MarkingAVersionThatIsNotInstalledIsAnError) {
  std::string error;
  EXPECT_FALSE(store_.mark_bad("test.mini", "9.9", "whatever", &error));
  EXPECT_EQ(error, "pack store: test.mini 9.9 is not installed");
}

TEST_F(PackStoreTest, WhenNoVersionLoadsTheActiveOneStaysAndIsTriedAgainNextStart) {
  install_versions({"1.2.3", "1.3.0"}, "1.3.0");
  std::vector<std::string> tried;
  std::string error;
  auto start = store_.start_pack("test.mini", RejectVersions{{"1.3.0", "1.2.3"}, &tried}, &error);
  ASSERT_TRUE(start) << error;
  EXPECT_EQ(start->version, "");
  EXPECT_TRUE(start->files.empty());
  EXPECT_EQ(start->rejected.size(), 2u);
  EXPECT_EQ(store_.active_version("test.mini"), "1.3.0");

  // The cause went away (say the app was updated): the active version runs again and its
  // mark is cleared; 1.2.3 keeps its mark until staff clear it.
  tried.clear();
  start = store_.start_pack("test.mini", RejectVersions{{}, &tried}, &error);
  ASSERT_TRUE(start) << error;
  EXPECT_EQ(start->version, "1.3.0");
  EXPECT_FALSE(store_.bad_reason("test.mini", "1.3.0"));
  EXPECT_TRUE(store_.bad_reason("test.mini", "1.2.3"));
}

TEST_F(PackStoreTest, AnUpdateThatLoadsIsSwitchedToBetweenVisits) {
  install_versions({"1.2.3", "1.3.0"}, "1.3.0");  // sync activated 1.3.0; 1.2.3 is on screen
  std::vector<std::string> tried;
  UpdateCheck update = store_.check_update("test.mini", "1.2.3", RejectVersions{{}, &tried});
  EXPECT_TRUE(update.switch_to());
  EXPECT_EQ(update.version, "1.3.0");
  EXPECT_EQ(update.files, with_version("1.3.0"));
  EXPECT_EQ(store_.active_version("test.mini"), "1.3.0");

  // Nothing new: the running version is the active one, and nothing is loaded.
  tried.clear();
  update = store_.check_update("test.mini", "1.3.0", RejectVersions{{}, &tried});
  EXPECT_FALSE(update.switch_to());
  EXPECT_EQ(update.version, "");
  EXPECT_TRUE(tried.empty());
}

TEST_F(PackStoreTest, AnUpdateThatDoesNotLoadIsMarkedAndTheRunningVersionStaysActive) {
  install_versions({"1.2.3", "1.3.0"}, "1.3.0");
  std::vector<std::string> tried;
  UpdateCheck update = store_.check_update("test.mini", "1.2.3", RejectVersions{{"1.3.0"}, &tried});
  EXPECT_FALSE(update.switch_to());
  EXPECT_EQ(update.version, "1.3.0");
  EXPECT_EQ(update.reason, "pack.yaml:4:18: error: the pack needs app version 99.0 or newer");
  EXPECT_TRUE(update.files.empty());
  EXPECT_EQ(update.store_error, "");
  EXPECT_EQ(store_.active_version("test.mini"), "1.2.3");
  EXPECT_EQ(store_.bad_reason("test.mini", "1.3.0"), update.reason);

  // Running the embedded pack (a version the store does not hold): the mark is still made,
  // the active pointer cannot go back to it.
  ASSERT_TRUE(store_.install(with_version("1.4.0"), nullptr));
  std::string error;
  ASSERT_TRUE(store_.activate("test.mini", "1.4.0", &error)) << error;
  update = store_.check_update("test.mini", "2026.11.27", RejectVersions{{"1.4.0"}, &tried});
  EXPECT_EQ(update.version, "1.4.0");
  EXPECT_EQ(update.store_error, "");
  EXPECT_TRUE(store_.bad_reason("test.mini", "1.4.0"));
  EXPECT_EQ(store_.active_version("test.mini"), "1.4.0");
}

TEST_F(PackStoreTest, StartPackWithoutAnActiveVersionSaysSo) {
  std::string error;
  ASSERT_TRUE(store_.install(testing::mini_files(), &error));
  std::vector<std::string> tried;
  EXPECT_FALSE(store_.start_pack("test.mini", RejectVersions{{}, &tried}, &error));
  EXPECT_EQ(error, "pack store: no active version of test.mini");
  EXPECT_TRUE(tried.empty());
}

TEST_F(PackStoreTest, AStoreThatCannotRecordStillStartsTheVersionThatLoads) {
  install_versions({"1.2.3", "1.3.0"}, "1.3.0");
  run_sql(
      "CREATE TRIGGER no_marks BEFORE INSERT ON bad BEGIN SELECT RAISE(ABORT, 'disk is "
      "read-only'); END;");
  std::vector<std::string> tried;
  std::string error;
  auto start = store_.start_pack("test.mini", RejectVersions{{"1.3.0"}, &tried}, &error);
  ASSERT_TRUE(start) << error;
  EXPECT_EQ(start->version, "1.2.3");
  EXPECT_EQ(start->store_error, "pack store: disk is read-only");
  EXPECT_FALSE(store_.bad_reason("test.mini", "1.3.0"));
}

TEST_F(PackStoreTest, AStoreFromBeforeBadMarksOpensAndGetsThem) {
  install_versions({"1.2.3", "1.3.0"}, "1.3.0");
  store_.open((dir_ / "other.sqlite").string(), nullptr);  // closes the store file
  run_sql("DROP TABLE bad;");                              // the schema of the first release
  std::string error;
  ASSERT_TRUE(store_.open((dir_ / "packs.sqlite").string(), &error)) << error;
  EXPECT_EQ(store_.list().size(), 2u);
  EXPECT_EQ(store_.active_version("test.mini"), "1.3.0");
  ASSERT_TRUE(store_.mark_bad("test.mini", "1.3.0", "reason", &error)) << error;
  EXPECT_EQ(store_.list()[1].bad_reason, "reason");
}

TEST_F(PackStoreTest, InstallsActivatesAndRollsBack) {
  std::string error;
  auto v1 = store_.install(with_version("1.2.3"), &error);
  ASSERT_TRUE(v1) << error;
  EXPECT_EQ(*v1, std::make_pair(std::string("test.mini"), std::string("1.2.3")));
  EXPECT_FALSE(store_.active("test.mini"));
  ASSERT_TRUE(store_.activate("test.mini", "1.2.3", &error)) << error;
  ASSERT_TRUE(store_.install(with_version("1.10.0"), &error)) << error;
  auto list = store_.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].version, "1.2.3");  // numeric order: 1.2.3 < 1.10.0
  EXPECT_TRUE(list[0].active);
  EXPECT_FALSE(list[1].active);

  ASSERT_TRUE(store_.activate("test.mini", "1.10.0", &error)) << error;
  EXPECT_EQ(store_.active_version("test.mini"), "1.10.0");
  EXPECT_EQ(store_.active("test.mini"), with_version("1.10.0"));
  ASSERT_TRUE(store_.rollback("test.mini", &error)) << error;
  EXPECT_EQ(store_.active_version("test.mini"), "1.2.3");
  EXPECT_EQ(store_.active("test.mini"), with_version("1.2.3"));
  // Rolling back again returns to the newer one: the previous pointer swaps.
  ASSERT_TRUE(store_.rollback("test.mini", &error));
  EXPECT_EQ(store_.active_version("test.mini"), "1.10.0");
}

TEST_F(PackStoreTest, RefusesBrokenPacksAndChangedFilesUnderTheSameVersion) {
  std::string error;
  PackFiles broken = testing::mini_files();
  broken["pack.yaml"] = "format: 2\n";
  EXPECT_FALSE(store_.install(broken, &error));
  EXPECT_NE(error.find("pack.yaml:1:9: error: unsupported pack format '2'"), std::string::npos)
      << error;

  ASSERT_TRUE(store_.install(testing::mini_files(), &error)) << error;
  EXPECT_TRUE(store_.install(testing::mini_files(), &error)) << "identical reinstall is a no-op";
  PackFiles changed = testing::mini_files();
  changed["help.yaml"] += "\n";
  EXPECT_FALSE(store_.install(changed, &error));
  EXPECT_EQ(error,
            "pack store: test.mini 1.2.3 is already installed with different files; publish a new "
            "version");
}

TEST_F(PackStoreTest, ReportsMissingVersionsAndNothingToRollBack) {
  std::string error;
  EXPECT_FALSE(store_.activate("test.mini", "9.9", &error));
  EXPECT_EQ(error, "pack store: test.mini 9.9 is not installed");
  ASSERT_TRUE(store_.install(testing::mini_files(), &error));
  ASSERT_TRUE(store_.activate("test.mini", "1.2.3", &error));
  EXPECT_FALSE(store_.rollback("test.mini", &error));
  EXPECT_EQ(error, "pack store: test.mini has no previous version to roll back to");
}

TEST_F(PackStoreTest, PersistsAcrossReopen) {
  std::string error;
  ASSERT_TRUE(store_.install(testing::mini_files(), &error));
  ASSERT_TRUE(store_.activate("test.mini", "1.2.3", &error));
  PackStore again;
  ASSERT_TRUE(again.open((dir_ / "packs.sqlite").string(), &error)) << error;
  EXPECT_EQ(again.active("test.mini"), testing::mini_files());
}

}  // namespace
}  // namespace kiosk::core
