// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of search folding (core/search.h).
#include <gtest/gtest.h>

#include "core/search.h"

namespace kiosk::core {
namespace {

TEST(SearchFold, AccentsCaseAndWidth) {
  EXPECT_EQ(fold_for_search("Café"), "cafe");
  EXPECT_EQ(fold_for_search("ＣＡＦＥ"), "cafe");
  EXPECT_EQ(fold_for_search("ｃａｆｅ"), "cafe");
  EXPECT_EQ(fold_for_search("Straße"), "strasse");
  EXPECT_EQ(fold_for_search("  Visa \t\n extension  "), "visa extension");
  EXPECT_EQ(fold_for_search("Gia hạn thị thực"), "gia han thi thuc");
  EXPECT_EQ(fold_for_search("Đăng ký"), "dang ky");
  EXPECT_EQ(fold_for_search("İstanbul ılık"), "istanbul ilik");
}

TEST(SearchFold, JapaneseWidthAndKana) {
  EXPECT_EQ(fold_for_search("ｶﾞ"), fold_for_search("ガ"));
  EXPECT_EQ(fold_for_search("ﾋﾞｻﾞ"), "びざ");
  EXPECT_EQ(fold_for_search("ビザ"), "びざ");
  EXPECT_NE(fold_for_search("ガ"), fold_for_search("カ"));  // voicing marks change the word
  EXPECT_EQ(fold_for_search("在留カード"), "在留かーど");
  EXPECT_EQ(fold_for_search("１２３"), "123");
}

TEST(SearchFold, KeepsMarksThatAreLetters) {
  // Devanagari vowel signs, Thai vowels and Ukrainian й / ї are part of the word
  EXPECT_EQ(fold_for_search("कुल"), "कुल");
  EXPECT_NE(fold_for_search("कुल"), fold_for_search("कल"));
  EXPECT_EQ(fold_for_search("วีซ่า"), "วีซ่า");
  EXPECT_EQ(fold_for_search("Київ"), "київ");
  EXPECT_NE(fold_for_search("й"), fold_for_search("и"));
}

TEST(SearchFold, ArabicScriptOptionalMarks) {
  // harakat and tatweel dropped; hamza forms of alef folded; Arabic yeh/kaf -> Persian forms
  EXPECT_EQ(fold_for_search("مُدَّة"), fold_for_search("مدة"));
  EXPECT_EQ(fold_for_search("إقامة"), fold_for_search("اقامة"));
  EXPECT_EQ(fold_for_search("كـتـاب"), fold_for_search("کتاب"));
  EXPECT_EQ(fold_for_search("علي"), fold_for_search("علی"));
}

TEST(SearchMatch, EveryQueryWordMustOccur) {
  EXPECT_TRUE(matches("Café au lait", "CAFE"));
  EXPECT_TRUE(matches("ｃａｆｅ", "cafe"));
  EXPECT_TRUE(matches("Gia hạn thời gian lưu trú", "gia han"));
  EXPECT_TRUE(matches("Extension of period of stay", "stay extension"));
  EXPECT_FALSE(matches("Extension of period of stay", "stay change"));
  EXPECT_TRUE(matches("在留期間更新", "期間"));
  EXPECT_TRUE(matches("ビザの更新", "びざ"));
  EXPECT_TRUE(matches("anything", ""));
  EXPECT_TRUE(matches("anything", "   "));
  EXPECT_FALSE(matches("", "x"));
  const std::string folded = fold_for_search("Change of Status of Residence");
  EXPECT_TRUE(matches_folded(folded, "status"));
  EXPECT_FALSE(matches_folded(folded, "statut"));
}

TEST(SearchMatch, InvalidUtf8NeverCrashes) {
  EXPECT_FALSE(matches("abc\xff\xfe", "zz"));
  EXPECT_TRUE(matches("abc\xff\xfe", "abc"));
  EXPECT_FALSE(fold_for_search("\xc3").empty());
}

}  // namespace
}  // namespace kiosk::core
