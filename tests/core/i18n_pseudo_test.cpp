// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the pseudo-locales en-XA (accented, longer) and ar-XB (right to left).
#include <gtest/gtest.h>
#include <unicode/unistr.h>

#include <random>

#include "core/i18n.h"
#include "core/po.h"

namespace kiosk::core {
namespace {

int32_t length_in_chars(const std::string& s) {
  return icu::UnicodeString::fromUTF8(s).countChar32();
}

TEST(PseudoAccented, AccentsTextAndKeepsSyntax) {
  EXPECT_EQ(pseudo_accented("Hello {name}"), "[Ĥéļļö {name} one two]");
  const std::string plural = pseudo_accented("{n, plural, one {# day} other {# days}}");
  EXPECT_EQ(plural, "[{n, plural, one {# ðáý one} other {# ðáýš one}}]");
  EXPECT_FALSE(check_message_format(plural, "x", 1));
  // quoted braces and doubled apostrophes survive
  const std::string quoted = pseudo_accented("It''s '{'x'}'");
  EXPECT_FALSE(check_message_format(quoted, "x", 1));
  EXPECT_EQ(pseudo_accented("{broken"), "{broken");  // invalid patterns are left alone
}

TEST(PseudoRtl, WrapsTextRunsAndLeavesArgumentsOut) {
  EXPECT_EQ(pseudo_rtl("Due {d}!"), "\u200F\u202EDue \u202C{d}\u202E!\u202C\u200F");
  EXPECT_FALSE(check_message_format(pseudo_rtl("{n, plural, one {# a} other {# b}}"), "x", 1));
  EXPECT_TRUE(is_rtl("ar-XB"));
  EXPECT_FALSE(is_rtl("en-XA"));
}

TEST(PseudoRtl, KeepsQuotedBracesQuoted) {
  // found by fuzzing: wrapping each side of a quote apart broke "'{'" into an argument
  const std::string quoted = pseudo_rtl("It''s '{'x'}' {g, select, a {{n}} other {b}}");
  EXPECT_FALSE(check_message_format(quoted, "x", 1)) << quoted;
  EXPECT_EQ(message_argument_names(quoted), (std::vector<std::string>{"g", "n"}));
}

// Property: any valid pattern stays valid in both pseudo-locales, with the same arguments.
TEST(PseudoProperty, RandomValidPatternsStayValidWithTheSameArguments) {
  const std::vector<std::string> seeds = {
      "{n, plural, one {# day} other {# days}}", "It''s '{'x'}' {g, select, a {{n}} other {b}}",
      "{d, date, long} {x, number, ::currency/JPY}", "a '#' {n, plural, =0 {none} other {'#'#}}",
      "{n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}}"};
  const std::string alphabet = "{}'#, abnx=0";
  std::mt19937 rng(42);
  int valid = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string p = seeds[rng() % seeds.size()];
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0 && !p.empty(); --k) {
      const std::size_t at = rng() % p.size();
      if (rng() % 2)
        p.insert(at, 1, alphabet[rng() % alphabet.size()]);
      else
        p.erase(at, 1);
    }
    if (check_message_format(p, "x", 1)) continue;
    ++valid;
    for (const std::string& pseudo : {pseudo_accented(p), pseudo_rtl(p)}) {
      EXPECT_FALSE(check_message_format(pseudo, "x", 1)) << p << " -> " << pseudo;
      EXPECT_EQ(message_argument_names(pseudo), message_argument_names(p)) << p;
    }
  }
  EXPECT_GT(valid, 300);  // the property was checked on many patterns, not vacuously
}

TEST(PseudoLocalizer, ArgumentsPluralsAndSelectStillWork) {
  Localizer l("en");
  l.add_catalogue("en", {{"m", "{n, plural, one {# day left} other {# days left}} for {who}"},
                         {"s", "{g, select, employer {Your employer} other {You}} must act"}});
  l.set_locale("en-XA");
  EXPECT_EQ(l.format("m", {{"n", std::int64_t{1}}, {"who", "Ana"}}),
            "[1 ðáý ļéƒţ one ƒöŕ Ana one two]");
  EXPECT_EQ(l.format("m", {{"n", std::int64_t{5}}, {"who", "Ana"}}),
            "[5 ðáýš ļéƒţ one ƒöŕ Ana one two]");
  EXPECT_EQ(l.format("s", {{"g", "employer"}}), "[Ýöûŕ éɱþļöýéŕ one two ɱûšţ áçţ one]");
  l.set_locale("ar-XB");
  const std::string rtl = l.format("m", {{"n", std::int64_t{5}}, {"who", "Ana"}});
  // the number and the name stay outside the overrides, so they keep their own order
  EXPECT_EQ(rtl, "\u200F5\u202E days left\u202C\u202E for \u202C\u2068Ana\u2069\u200F");
  EXPECT_TRUE(l.rtl());
}

// Every UI string of the app, formatted with sample arguments, is at least 30% longer in
// en-XA than in English, and still formats.
TEST(PseudoLocalizer, EveryAppStringIsAtLeastThirtyPercentLonger) {
  PoFile en;
  std::vector<Diagnostic> diags;
  ASSERT_TRUE(load_po_file(std::string(KIOSK_SOURCE_DIR) + "/locales/en.po", "en.po", en, diags));
  Localizer l("en");
  l.add_catalogue("en", po_messages(en));
  for (const PoEntry& e : en.entries) {
    Args args;
    for (const auto& arg : message_arguments(e.msgstr)) {
      if (arg.kind == MessageArgument::Kind::Plural || arg.type == "number")
        args[arg.name] = std::int64_t{3};
      else if (arg.type == "date")
        args[arg.name] = CivilDate{2026, 11, 27};
      else
        args[arg.name] = std::string("Ana");
    }
    l.set_locale("en");
    const std::string base = l.format(e.msgid, args);
    l.set_locale("en-XA");
    const std::string pseudo = l.format(e.msgid, args);
    EXPECT_GE(length_in_chars(pseudo) * 10, length_in_chars(base) * 13)
        << e.msgid << ": " << base << " -> " << pseudo;
    EXPECT_NE(pseudo, Localizer::kMissingText) << e.msgid;
  }
  EXPECT_EQ(l.missing_count(), 0u);
}

}  // namespace
}  // namespace kiosk::core
