// SPDX-License-Identifier: GPL-3.0-or-later
// One malformed pack per diagnostic: tests/data/packs/bad/<case>/ holds the files that
// replace the mini pack's and expected.txt, the exact diagnostic lines `pack check` prints
// ({app_version} stands for this build's version, so a release changes no test data).
#include <gtest/gtest.h>

#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> bad_cases() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(testing::test_data() / "packs" / "bad"))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

class BadPack : public ::testing::TestWithParam<std::string> {};

TEST_P(BadPack, ReportsExactDiagnostics) {
  fs::path dir = testing::test_data() / "packs" / "bad" / GetParam();
  PackFiles files = testing::mini_files();
  for (const auto& [path, bytes] : testing::read_dir_or_fail(dir))
    if (path != "expected.txt") files[path] = bytes;
  LoadResult result = load_pack(files);
  std::string got;
  for (const auto& d : result.diagnostics) got += format_diagnostic(d) + "\n";
  std::string expected = testing::read_text(dir / "expected.txt");
  for (size_t at; (at = expected.find("{app_version}")) != std::string::npos;)
    expected.replace(at, std::string("{app_version}").size(), KIOSK_APP_VERSION);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(result.ok(), !has_error(result.diagnostics));
}

INSTANTIATE_TEST_SUITE_P(Cases, BadPack, ::testing::ValuesIn(bad_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (auto& ch : name)
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

TEST(PackLoad, MiniPackLoadsWithOnlyTheArabicCompletenessWarning) {
  LoadResult r = load_pack(testing::mini_files());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::Warning);
  const Pack& p = *r.pack;
  EXPECT_EQ(p.manifest.id, "test.mini");
  EXPECT_EQ(p.questions.size(), 11u);
  EXPECT_EQ(p.rules.size(), 13u);
  EXPECT_EQ(p.check_ids(), (std::vector<std::string>{"extension", "reentry"}));
  EXPECT_EQ(p.completeness_percent("en"), 100);
  EXPECT_EQ(p.completeness_percent("ar"), 96);
  ASSERT_TRUE(p.find_question("status"));
  EXPECT_EQ(p.find_question("status")->options.size(), 3u);
  EXPECT_EQ(p.catalogue("ja")->messages.at("q.status.work"), "就労");
  EXPECT_EQ(p.find_source("city-tax")->uncertain, true);
}

TEST(PackLoad, EmptyInputGivesErrorsNotACrash) {
  LoadResult r = load_pack({});
  EXPECT_FALSE(r.ok());
  std::string got;
  for (const auto& d : r.diagnostics) got += format_diagnostic(d) + "\n";
  EXPECT_EQ(got,
            "pack.yaml: error: missing required file\n"
            "questions.yaml: error: missing required file\n"
            "rules.yaml: error: missing required file\n");
}

TEST(PackLoad, DemoPackInAssetsLoadsWithoutErrors) {
  fs::path demo = fs::path(KIOSK_TEST_DATA) / ".." / ".." / "assets" / "packs" / "jp-residence";
  if (!fs::exists(demo)) GTEST_SKIP() << "no demo pack in assets/";
  LoadResult r = load_pack(testing::read_dir_or_fail(demo));
  for (const auto& d : r.diagnostics)
    if (d.severity == Severity::Error) ADD_FAILURE() << format_diagnostic(d);
}

TEST(PackLoad, ComparesVersionsNumerically) {
  EXPECT_LT(compare_versions("2026.11.27", "2026.11.100"), 0);
  EXPECT_EQ(compare_versions("1.2", "1.2.0"), 0);
  EXPECT_GT(compare_versions("10.0", "9.9"), 0);
}

}  // namespace
}  // namespace kiosk::core
