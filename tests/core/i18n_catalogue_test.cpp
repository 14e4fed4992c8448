// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the app's own UI catalogues in locales/: they parse, every message compiles, every
// entry tells translators where it appears, Japanese is complete, and each translation uses the
// same placeholders as English. Other languages only report their completeness: translators add
// them over time.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "core/po.h"

namespace kiosk::core {
namespace {

const std::filesystem::path kLocales = std::filesystem::path(KIOSK_SOURCE_DIR) / "locales";

PoFile load(const std::filesystem::path& path) {
  PoFile po;
  std::vector<Diagnostic> diags;
  const bool ok = load_po_file(path, "locales/" + path.filename().string(), po, diags);
  for (const auto& d : diags) ADD_FAILURE() << format_diagnostic(d);
  EXPECT_TRUE(ok);
  return po;
}

std::set<std::string> names_of(const std::string& pattern) {
  const auto names = message_argument_names(pattern);
  return {names.begin(), names.end()};
}

TEST(AppCatalogues, EnglishHasEveryIdTheScreensUse) {
  const PoFile en = load(kLocales / "en.po");
  EXPECT_EQ(en.language(), "en");
  for (const char* id : {"ui.app.name",
                         "ui.welcome.title",
                         "ui.welcome.subtitle",
                         "ui.nav.back",
                         "ui.nav.next",
                         "ui.nav.home",
                         "ui.nav.end_session",
                         "ui.nav.help",
                         "ui.procedures.title",
                         "ui.procedures.search",
                         "ui.procedures.none_found",
                         "ui.procedure.steps",
                         "ui.procedure.documents",
                         "ui.procedure.where",
                         "ui.procedure.fees",
                         "ui.procedure.deadlines",
                         "ui.procedure.help",
                         "ui.procedure.start_check",
                         "ui.check.progress",
                         "ui.answer.yes",
                         "ui.answer.no",
                         "ui.answer.unknown",
                         "ui.answer.pick_date",
                         "ui.result.title",
                         "ui.result.verdict.ready",
                         "ui.result.verdict.action",
                         "ui.result.verdict.blocker",
                         "ui.result.verdict.not_applicable",
                         "ui.result.why",
                         "ui.result.responsible.self",
                         "ui.result.responsible.employer",
                         "ui.result.responsible.school",
                         "ui.result.responsible.agency",
                         "ui.result.responsible.other",
                         "ui.result.what_to_do",
                         "ui.result.by_when",
                         "ui.result.source",
                         "ui.result.check_at_office",
                         "ui.takeaway.title",
                         "ui.takeaway.qr_hint",
                         "ui.takeaway.print",
                         "ui.takeaway.printed",
                         "ui.takeaway.printer_offline",
                         "ui.takeaway.too_long_for_qr",
                         "ui.help.title",
                         "ui.help.phone",
                         "ui.help.hours",
                         "ui.help.languages",
                         "ui.idle.warning",
                         "ui.idle.continue",
                         "ui.session.ended",
                         "ui.settings.text_size",
                         "ui.settings.contrast",
                         "ui.settings.read_aloud",
                         "ui.settings.no_voice",
                         "ui.staff.title",
                         "ui.staff.pin",
                         "ui.pack.demo_notice",
                         "ui.pack.draft_translation",
                         "ui.offline",
                         "ui.online",
                         "ui.last_sync",
                         "ui.error.pack_fallback"}) {
    const PoEntry* e = en.find(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_FALSE(e->msgstr.empty()) << id;
  }
}

TEST(AppCatalogues, EveryMessageCompilesAndSaysWhereItAppears) {
  for (const auto& file : std::filesystem::directory_iterator(kLocales)) {
    if (file.path().extension() != ".po") continue;
    const PoFile po = load(file.path());
    EXPECT_EQ(po.language(), file.path().stem().string());
    for (const PoEntry& e : po.entries) {
      if (auto d = check_message_format(e, "locales/" + file.path().filename().string()))
        ADD_FAILURE() << format_diagnostic(*d);
      EXPECT_FALSE(e.extracted_comments.empty()) << file.path() << " " << e.msgid;
      // translators mark unsure texts fuzzy; the base and office languages must be final
      const std::string tag = file.path().stem().string();
      if (tag == "en" || tag == "ja") EXPECT_FALSE(e.fuzzy) << file.path() << " " << e.msgid;
    }
  }
}

TEST(AppCatalogues, TranslationsMatchEnglishIdsAndPlaceholders) {
  const PoFile en = load(kLocales / "en.po");
  for (const auto& file : std::filesystem::directory_iterator(kLocales)) {
    const std::string tag = file.path().stem().string();
    if (file.path().extension() != ".po" || tag == "en") continue;
    const PoFile po = load(file.path());
    std::size_t translated = 0;
    for (const PoEntry& e : en.entries) {
      const PoEntry* t = po.find(e.msgid);
      if (!t || t->msgstr.empty()) {
        // Japanese is the office language: the kiosk must be complete in it.
        if (tag == "ja") ADD_FAILURE() << "locales/ja.po lacks " << e.msgid;
        continue;
      }
      ++translated;
      EXPECT_EQ(names_of(t->msgstr), names_of(e.msgstr)) << tag << " " << e.msgid;
    }
    for (const PoEntry& e : po.entries)
      EXPECT_NE(en.find(e.msgid), nullptr) << tag << " has an id English lacks: " << e.msgid;
    std::cout << "[ completeness ] " << tag << ": " << translated << "/" << en.entries.size()
              << " (" << (100 * translated / std::max<std::size_t>(1, en.entries.size())) << "%)\n";
  }
}

}  // namespace
}  // namespace kiosk::core
