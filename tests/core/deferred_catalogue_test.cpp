// SPDX-License-Identifier: GPL-3.0-or-later
// LoadOptions::defer_catalogues (the kiosk's start): only the base language is parsed at
// load; every other catalogue is parsed on first use and then equals what an eager load gives,
// also when several threads ask for it at once.
#include <gtest/gtest.h>

#include <thread>

#include "core/i18n.h"
#include "core/result_messages.h"
#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

PackFiles demo_files() {
  return testing::read_dir_or_fail(std::filesystem::path(KIOSK_SOURCE_DIR) /
                                   "assets/packs/jp-residence");
}

TEST(DeferredCatalogues, ParsedOnFirstUseAndEqualToAnEagerLoad) {
  const PackFiles files = demo_files();
  LoadResult eager = load_pack(files, KIOSK_APP_VERSION, {.check_messages = false});
  LoadResult lazy =
      load_pack(files, KIOSK_APP_VERSION, {.check_messages = false, .defer_catalogues = true});
  ASSERT_TRUE(eager.ok() && lazy.ok());
  const std::string base = lazy.pack->manifest.base_language;
  // Only the base language was parsed by the load itself.
  ASSERT_EQ(lazy.pack->catalogues.size(), 1u);
  EXPECT_TRUE(lazy.pack->catalogues.count(base));
  ASSERT_EQ(lazy.completeness.size(), 1u);
  EXPECT_EQ(lazy.completeness[0].first, base);
  ASSERT_GT(lazy.pack->manifest.languages.size(), 20u);
  for (const auto& lang : lazy.pack->manifest.languages) {
    const Catalogue* a = eager.pack->catalogue(lang.tag);
    const Catalogue* b = lazy.pack->catalogue(lang.tag);
    ASSERT_TRUE(a && b) << lang.tag;
    EXPECT_EQ(a->messages, b->messages) << lang.tag;
    EXPECT_EQ(b->tag, lang.tag);
    EXPECT_EQ(lazy.pack->catalogue(lang.tag), b) << "parsed once, then the same object";
    EXPECT_EQ(lazy.pack->completeness_percent(lang.tag),
              eager.pack->completeness_percent(lang.tag));
  }
  EXPECT_EQ(lazy.pack->catalogue("xx"), nullptr);
}

TEST(DeferredCatalogues, SeveralThreadsAskingAtOnceGetOneCatalogue) {
  LoadResult lazy = load_pack(demo_files(), KIOSK_APP_VERSION,
                              {.check_messages = false, .defer_catalogues = true});
  ASSERT_TRUE(lazy.ok());
  std::vector<const Catalogue*> seen(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&, i] { seen[i] = lazy.pack->catalogue("ne"); });
  for (auto& t : threads) t.join();
  ASSERT_NE(seen[0], nullptr);
  for (const Catalogue* c : seen) EXPECT_EQ(c, seen[0]);
  EXPECT_FALSE(seen[0]->messages.empty());
}

TEST(DeferredCatalogues, ALocalizerFedFromADeferredPackFormatsEveryLanguage) {
  LoadResult lazy = load_pack(demo_files(), KIOSK_APP_VERSION,
                              {.check_messages = false, .defer_catalogues = true});
  ASSERT_TRUE(lazy.ok());
  Localizer localizer(lazy.pack->manifest.base_language);
  add_pack_catalogues(*lazy.pack, localizer);
  for (const auto& lang : lazy.pack->manifest.languages)
    EXPECT_TRUE(localizer.has_catalogue(lang.tag)) << lang.tag;
}

}  // namespace
}  // namespace kiosk::core
