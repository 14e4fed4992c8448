#include "core/pack_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

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

  fs::path dir_;
  PackStore store_;
};

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
