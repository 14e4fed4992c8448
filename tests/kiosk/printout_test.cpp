// SPDX-License-Identifier: GPL-3.0-or-later
// The printed checklist: A4 pages, both languages drawn side by side, overflowing items
// continue on a new page.
#include "kiosk/printout.h"

#include <gtest/gtest.h>

using namespace kiosk;

static int dark_pixels(const platform::PageImage& page, int x0, int x1) {
  int n = 0;
  for (int y = 0; y < page.height; ++y)
    for (int x = x0; x < x1; ++x)
      if (page.rgba[(size_t(y) * page.width + x) * 4] < 128) n++;
  return n;
}

static ui::Checklist sample(const std::string& prefix, int items) {
  ui::Checklist c;
  c.title = prefix + " title";
  c.verdict = prefix + " verdict";
  for (int i = 0; i < items; ++i) c.todo.push_back(prefix + " item " + std::to_string(i));
  c.documents.push_back(prefix + " document (課税証明書)");
  c.footer = "jp.residence 2026.11.27 · 2026-11-27";
  return c;
}

TEST(Printout, BilingualColumnsOnA4) {
  text::TextEngine engine;
  std::string error;
  ASSERT_TRUE(engine.init(&error)) << error;
  ui::Checklist ne = sample("निवास कार्ड", 3), ja = sample("在留カード", 3);
  auto pages = ui::render_printout(engine, ne, "ne", ja, "ja");
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].width, 1240);
  EXPECT_EQ(pages[0].height, 1754);
  // Ink in both halves: the user's language on the left, the office's on the right.
  EXPECT_GT(dark_pixels(pages[0], 0, 620), 1000);
  EXPECT_GT(dark_pixels(pages[0], 620, 1240), 1000);
}

TEST(Printout, LongChecklistContinuesOnMorePages) {
  text::TextEngine engine;
  std::string error;
  ASSERT_TRUE(engine.init(&error)) << error;
  auto pages = ui::render_printout(engine, sample("Item", 120), "en", sample("項目", 120), "ja");
  EXPECT_GE(pages.size(), 2u);
  for (const auto& p : pages) EXPECT_EQ(p.rgba.size(), size_t(p.width) * p.height * 4);
}
