// SPDX-License-Identifier: GPL-3.0-or-later
// The take-away text and its QR code: data inside the code, cut calmly when too long.
#include "kiosk/checklist.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/eval.h"
#include "kiosk/content.h"
#include "kiosk/embedded.h"

using namespace kiosk::ui;
namespace core = kiosk::core;

static Checklist long_list(int items) {
  Checklist c;
  c.title = "Extend your period of stay / 在留期間更新許可申請";
  c.verdict = "Some things need action";
  for (int i = 0; i < items; ++i)
    c.todo.push_back("! आफ्नो रोजगारदातालाई बीमाको प्रमाण माग्नुहोस् — item " + std::to_string(i));
  c.documents = {"Residence tax certificate (課税証明書)", "Tax payment certificate (納税証明書)"};
  c.footer = "jp.residence 2026.11.27 · 2026-11-27";
  return c;
}

TEST(Checklist, ShortTextIsKeptWhole) {
  bool cut = true;
  std::string text = checklist_text(long_list(2), kQrComfortableBytes, &cut);
  EXPECT_FALSE(cut);
  EXPECT_NE(text.find("課税証明書"), std::string::npos);
  EXPECT_NE(text.find("[ ] Tax payment certificate (納税証明書)"), std::string::npos);
}

TEST(Checklist, LongTextIsCutToFitAndSaysSo) {
  bool cut = false;
  std::string text = checklist_text(long_list(40), kQrComfortableBytes, &cut);
  EXPECT_TRUE(cut);
  EXPECT_LE(text.size(), kQrComfortableBytes + 3);  // plus the "…"
  // Never split a UTF-8 character: the text must decode.
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = text[i];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    ASSERT_LE(i + len, text.size());
    for (int k = 1; k < len; ++k) ASSERT_EQ(static_cast<unsigned char>(text[i + k]) >> 6, 2);
    i += len;
  }
  EXPECT_EQ(text.rfind("Extend your period of stay", 0), 0u);  // the title survives
}

TEST(Qr, EncodesDataInsideTheCode) {
  QrCode small = make_qr("hello");
  ASSERT_GT(small.size, 0);
  EXPECT_EQ(small.dark.size(), size_t(small.size) * small.size);
  QrCode big = make_qr(checklist_text(long_list(8), kQrComfortableBytes));
  EXPECT_GT(big.size, small.size);  // more data, more modules
  // Finder pattern: the top-left 7x7 corner has a dark border.
  for (int i = 0; i < 7; ++i) EXPECT_TRUE(big.dark[i]);
  EXPECT_EQ(make_qr(std::string(4000, 'x')).size, 0);  // beyond QR version 40: empty
}

// A finding still waiting for an answer ("I don't know", or not asked yet) never reaches the
// take-away as a message with blanks ("in {days}"): it says which answer is missing, in every
// language of the demo pack.
TEST(Checklist, UnknownAnswersAreNamedNotLeftAsBlanks) {
  Content content;
  std::string error;
  ASSERT_TRUE(content.load(embedded_pack(), embedded_ui_catalogues(), &error)) << error;
  const core::Pack& pack = content.pack();
  const core::Procedure* procedure = nullptr;
  for (const auto& p : pack.procedures)
    if (!p.check_id.empty()) procedure = &p;
  ASSERT_NE(procedure, nullptr);
  auto result =
      core::evaluate(pack, procedure->check_id, core::Answers{}, *core::Date::parse("2026-11-27"));
  for (const auto& tag : content.languages()) {
    Checklist c = build_checklist(content, tag, *procedure, result);
    ASSERT_FALSE(c.todo.empty()) << tag;
    for (const auto& line : c.todo)
      EXPECT_EQ(line.find('{'), std::string::npos) << tag << ": " << line;
  }
}
