// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the PO parser, writer and MessageFormat checks (core/po.h).
#include "core/po.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

namespace kiosk::core {
namespace {

PoFile parse_ok(std::string_view text) {
  PoFile po;
  std::vector<Diagnostic> diags;
  EXPECT_TRUE(parse_po(text, "t.po", po, diags));
  for (const auto& d : diags) ADD_FAILURE() << format_diagnostic(d);
  return po;
}

// The formatted diagnostics of a text that must fail.
std::vector<std::string> errors_of(std::string_view text) {
  PoFile po;
  std::vector<Diagnostic> diags;
  EXPECT_FALSE(parse_po(text, "t.po", po, diags));
  std::vector<std::string> out;
  for (const auto& d : diags) out.push_back(format_diagnostic(d));
  return out;
}

TEST(Po, ReadsHeaderAndEntries) {
  const PoFile po = parse_ok(
      "msgid \"\"\n"
      "msgstr \"\"\n"
      "\"Language: ne\\n\"\n"
      "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
      "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n"
      "\n"
      "#. Shown on the result screen\n"
      "#: rules.yaml:12\n"
      "msgid \"r.window-open.msg\"\n"
      "msgstr \"तपाईंको निवास कार्ड\"\n");
  EXPECT_TRUE(po.has_header);
  EXPECT_EQ(po.language(), "ne");
  EXPECT_EQ(po.header_value("plural-forms"), "nplurals=2; plural=(n != 1);");
  ASSERT_EQ(po.entries.size(), 1u);
  const PoEntry& e = po.entries[0];
  EXPECT_EQ(e.msgid, "r.window-open.msg");
  EXPECT_EQ(e.msgstr, "तपाईंको निवास कार्ड");
  EXPECT_EQ(e.extracted_comments, std::vector<std::string>{"Shown on the result screen"});
  EXPECT_EQ(e.references, std::vector<std::string>{"rules.yaml:12"});
  EXPECT_EQ(e.line, 7);
  EXPECT_EQ(e.msgid_line, 9);
  EXPECT_EQ(e.msgstr_line, 10);
  EXPECT_FALSE(e.fuzzy);
}

TEST(Po, DecodesEscapes) {
  const PoFile po = parse_ok(R"(msgid "a"
msgstr "tab\there \"quoted\" back\\slash\nnew line \101\x42"
)");
  ASSERT_EQ(po.entries.size(), 1u);
  EXPECT_EQ(po.entries[0].msgstr, "tab\there \"quoted\" back\\slash\nnew line AB");
}

TEST(Po, JoinsMultiLineStringsAndKeepsTheirPositions) {
  const PoFile po = parse_ok(
      "msgid \"\"\n"
      "\"long.\"\n"
      "\"id\"\n"
      "msgstr \"\"\n"
      "\"First line\\n\"\n"
      "  \"second line\"\n");
  ASSERT_EQ(po.entries.size(), 1u);
  const PoEntry& e = po.entries[0];
  EXPECT_EQ(e.msgid, "long.id");
  EXPECT_EQ(e.msgstr, "First line\nsecond line");
  ASSERT_EQ(e.msgstr_segments.size(), 3u);
  EXPECT_EQ(e.msgstr_segments[1].line, 5);
  EXPECT_EQ(e.msgstr_segments[1].col, 2);
  EXPECT_EQ(e.msgstr_segments[2].line, 6);
  EXPECT_EQ(e.msgstr_segments[2].col, 4);
  // "s" of "second" is byte 11 of the decoded text: line 6, column 4
  const PoPosition s = po_msgstr_position(e, 11);
  EXPECT_EQ(s.line, 6);
  EXPECT_EQ(s.col, 4);
  // the "\n" escape (byte 10) sits at line 5, column 12 (its backslash)
  const PoPosition nl = po_msgstr_position(e, 10);
  EXPECT_EQ(nl.line, 5);
  EXPECT_EQ(nl.col, 12);
}

TEST(Po, FuzzyFlagContextAndObsoleteEntries) {
  const PoFile po = parse_ok(
      "#, fuzzy, icu-format\n"
      "msgid \"a\"\n"
      "msgstr \"A?\"\n"
      "\n"
      "msgctxt \"menu\"\n"
      "msgid \"a\"\n"
      "msgstr \"A (menu)\"\n"
      "\n"
      "#~ msgid \"old\"\n"
      "#~ msgstr \"Old\"\n"
      "msgid \"b\"\n"
      "msgstr \"\"\n");
  ASSERT_EQ(po.entries.size(), 3u);
  EXPECT_TRUE(po.entries[0].fuzzy);
  EXPECT_EQ(po.entries[0].flags, (std::vector<std::string>{"fuzzy", "icu-format"}));
  EXPECT_TRUE(po.entries[1].has_msgctxt);
  EXPECT_EQ(po.entries[1].msgctxt, "menu");
  EXPECT_EQ(po.find("a", "menu")->msgstr, "A (menu)");
  EXPECT_EQ(po.find("a")->msgstr, "A?");
  EXPECT_EQ(po.find("old"), nullptr);
  // fuzzy and empty translations are not used at run time
  const auto messages = po_messages(po);
  EXPECT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages.at(std::string("menu\x04") + "a"), "A (menu)");
}

TEST(Po, ReadsPluralEntries) {
  const PoFile po = parse_ok(
      "msgid \"day\"\n"
      "msgid_plural \"days\"\n"
      "msgstr[0] \"日\"\n"
      "msgstr[1] \"日々\"\n");
  ASSERT_EQ(po.entries.size(), 1u);
  EXPECT_EQ(po.entries[0].msgid_plural, "days");
  EXPECT_EQ(po.entries[0].msgstr_plural, (std::vector<std::string>{"日", "日々"}));
  EXPECT_EQ(po.entries[0].msgstr, "日");
}

TEST(Po, AcceptsCrLfAndByteOrderMark) {
  const PoFile po = parse_ok("\xEF\xBB\xBFmsgid \"a\"\r\nmsgstr \"b\"\r\n");
  ASSERT_EQ(po.entries.size(), 1u);
  EXPECT_EQ(po.entries[0].msgstr, "b");
}

TEST(PoErrors, UnknownEscape) {
  EXPECT_EQ(errors_of("msgid \"a\"\nmsgstr \"x\\qy\"\n"),
            std::vector<std::string>{"t.po:2:10: error: unknown escape sequence '\\q'"});
}

TEST(PoErrors, MissingClosingQuote) {
  EXPECT_EQ(errors_of("msgid \"a\"\nmsgstr \"abc\n"),
            std::vector<std::string>{"t.po:2:12: error: missing closing '\"'"});
}

TEST(PoErrors, ColumnsCountCharactersNotBytes) {
  EXPECT_EQ(errors_of("msgid \"a\"\nmsgstr \"日本\\q\"\n"),
            std::vector<std::string>{"t.po:2:11: error: unknown escape sequence '\\q'"});
}

TEST(PoErrors, TextAfterString) {
  EXPECT_EQ(errors_of("msgid \"a\" oops\nmsgstr \"b\"\n"),
            std::vector<std::string>{"t.po:1:11: error: unexpected text after the closing '\"'"});
}

TEST(PoErrors, MsgstrWithoutMsgid) {
  EXPECT_EQ(errors_of("msgstr \"b\"\n"),
            std::vector<std::string>{"t.po:1:1: error: msgstr without a msgid"});
}

TEST(PoErrors, MsgidWithoutMsgstr) {
  EXPECT_EQ(
      errors_of("msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"B\"\n"),
      std::vector<std::string>{"t.po:3:1: error: msgid before the msgstr of the previous entry"});
  EXPECT_EQ(errors_of("msgid \"a\"\n"),
            std::vector<std::string>{"t.po:1:1: error: msgid \"a\" has no msgstr"});
}

TEST(PoErrors, DuplicateId) {
  EXPECT_EQ(
      errors_of("msgid \"a\"\nmsgstr \"1\"\n\nmsgid \"a\"\nmsgstr \"2\"\n"),
      std::vector<std::string>{"t.po:4:1: error: duplicate message id \"a\" (first at line 1)"});
}

TEST(PoErrors, UnknownKeywordAndStrayString) {
  EXPECT_EQ(errors_of("msgid \"a\"\n  msgtsr \"b\"\n"),
            (std::vector<std::string>{"t.po:2:3: error: unknown keyword 'msgtsr' (expected "
                                      "msgctxt, msgid, msgid_plural or msgstr)",
                                      "t.po:1:1: error: msgid \"a\" has no msgstr"}));
  EXPECT_EQ(errors_of("# comment\n\"stray\"\n"),
            std::vector<std::string>{"t.po:2:1: error: string without a keyword before it"});
}

TEST(PoErrors, InvalidUtf8AndCharset) {
  EXPECT_EQ(errors_of("msgid \"a\"\nmsgstr \"ab\xff\"\n"),
            (std::vector<std::string>{"t.po:2:11: error: invalid UTF-8 (catalogues must be UTF-8)",
                                      "t.po:1:1: error: msgid \"a\" has no msgstr"}));
  EXPECT_EQ(
      errors_of("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=Shift_JIS\\n\"\n"),
      std::vector<std::string>{
          "t.po:1:1: error: charset Shift_JIS is not supported; save the catalogue as UTF-8"});
}

TEST(PoErrors, PluralIndexesMustFollowInOrder) {
  EXPECT_EQ(errors_of("msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[1] \"x\"\n"),
            (std::vector<std::string>{"t.po:3:1: error: expected msgstr[0]",
                                      "t.po:1:1: error: msgid \"a\" has no msgstr"}));
}

TEST(PoErrors, GarbageStopsAfterAFewDozenErrors) {
  std::string garbage;
  for (int i = 0; i < 500; ++i) garbage += "nonsense\n";
  PoFile po;
  std::vector<Diagnostic> diags;
  EXPECT_FALSE(parse_po(garbage, "t.po", po, diags));
  EXPECT_LE(diags.size(), 52u);
  EXPECT_EQ(diags.back().message, "too many errors; stopped reading this file");
}

// Random bytes and random mutations of a valid file never crash, and every diagnostic names
// a position inside the text.
TEST(PoRobustness, NeverCrashesOnGarbage) {
  const std::string valid =
      "msgid \"\"\nmsgstr \"\"\n\"Language: ja\\n\"\n\n#. where\n#, fuzzy\nmsgctxt \"c\"\n"
      "msgid \"a.b\"\nmsgstr \"\"\n\"{n, plural, one {# 日} other {# 日}}\\n\"\n#~ msgid \"x\"\n"
      "msgid \"p\"\nmsgid_plural \"ps\"\nmsgstr[0] \"\\x41\\101\"\n";
  const std::string alphabet = "\"\\#~.,:|[]0123 \n\tmsgidstrctxt_plural{}\xe3\x81\x82\xff\x80";
  std::mt19937 rng(20261127);
  for (int round = 0; round < 4000; ++round) {
    std::string text = valid;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < edits; ++k) {
      const std::size_t at = text.empty() ? 0 : rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 1:
          if (!text.empty()) text.erase(at, 1 + rng() % 4);
          break;
        default:
          if (!text.empty()) text[at] = static_cast<char>(rng() % 256);
          break;
      }
    }
    if (round % 4 == 0) {
      text.clear();
      for (int k = 0; k < 200; ++k) text += static_cast<char>(rng() % 256);
    }
    PoFile po;
    std::vector<Diagnostic> diags;
    const bool ok = parse_po(text, "fuzz.po", po, diags);
    EXPECT_EQ(ok, !has_error(diags));
    const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    for (const auto& d : diags) EXPECT_LE(d.line, lines) << format_diagnostic(d);
    for (const auto& e : po.entries) check_message_format(e, "fuzz.po");
  }
}

TEST(PoWriter, RoundTrips) {
  PoFile po;
  po.has_header = true;
  po.header = {{"Language", "ja"}, {"Content-Type", "text/plain; charset=UTF-8"}};
  PoEntry a;
  a.msgid = "ui.nav.back";
  a.msgstr = "もどる";
  a.extracted_comments = {"Button on every screen"};
  PoEntry b;
  b.msgid = "ui.multi";
  b.msgstr = std::string("Line \"one\"\nLine two\twith tab\\ NUL \0\x01.", 37);
  b.fuzzy = true;
  b.has_msgctxt = true;
  b.msgctxt = "ctx";
  po.entries = {a, b};
  const std::string text = write_po(po);
  EXPECT_NE(text.find("\"Line \\\"one\\\"\\n\"\n\"Line two\\twith tab\\\\ NUL \\000\\001.\"\n"),
            std::string::npos)
      << text;
  const PoFile back = parse_ok(text);
  EXPECT_EQ(back.header, po.header);
  ASSERT_EQ(back.entries.size(), 2u);
  EXPECT_EQ(back.entries[0].msgstr, "もどる");
  EXPECT_EQ(back.entries[0].extracted_comments, a.extracted_comments);
  EXPECT_EQ(back.entries[1].msgstr, b.msgstr);
  EXPECT_EQ(back.entries[1].msgctxt, "ctx");
  EXPECT_TRUE(back.entries[1].fuzzy);
  EXPECT_EQ(write_po(back), text);
}

// ---- MessageFormat checks ----

TEST(MessageFormatCheck, AcceptsValidPatterns) {
  EXPECT_FALSE(check_message_format("Hello {name}", "m.po", 3));
  EXPECT_FALSE(check_message_format("{n, plural, one {# day} other {# days}}", "m.po", 3));
  EXPECT_FALSE(check_message_format("{d, date, long} {x, select, a {A} other {B}}", "m.po", 3));
  EXPECT_FALSE(check_message_format("It''s '{'literal'}'", "m.po", 3));
}

TEST(MessageFormatCheck, UnclosedBracePointsAtTheBrace) {
  const auto d = check_message_format("Hello {name", "m.po", 7);
  ASSERT_TRUE(d);
  EXPECT_EQ(format_diagnostic(*d), "m.po:7:15: error: MessageFormat: '{' is never closed with '}'");
}

TEST(MessageFormatCheck, MissingOtherPointsAtTheArgument) {
  const auto d = check_message_format("You have {n, plural, one {# day}}", "m.po", 2);
  ASSERT_TRUE(d);
  EXPECT_EQ(format_diagnostic(*d),
            "m.po:2:18: error: MessageFormat: plural or select argument has no 'other' case");
  // nested: the inner select is the offender
  const auto nested =
      check_message_format("{n, plural, one {{g, select, f {she}}} other {x}}", "m.po", 2, 1);
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->col, 18);
}

TEST(MessageFormatCheck, SyntaxErrorAndUnknownType) {
  const auto bad_selector = check_message_format("{n, plural, =x {a} other {b}}", "m.po", 1, 1);
  ASSERT_TRUE(bad_selector);
  EXPECT_EQ(bad_selector->col, 12);
  EXPECT_NE(bad_selector->message.find("syntax error"), std::string::npos);
  const auto unknown = check_message_format("Due {d, dat, long}", "m.po", 1, 1);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(format_diagnostic(*unknown),
            "m.po:1:9: error: MessageFormat: unknown argument type 'dat' (use number, date, time, "
            "plural, select or selectordinal)");
}

TEST(MessageFormatCheck, ExactPositionThroughEscapesAndContinuationLines) {
  const PoFile po = parse_ok(
      "msgid \"x\"\n"
      "msgstr \"\"\n"
      "\"Say \\\"hi\\\"\\n\"\n"
      "\"to {name, plural, one {#}}\"\n");
  ASSERT_EQ(po.entries.size(), 1u);
  const auto d = check_message_format(po.entries[0], "messages/en.po");
  ASSERT_TRUE(d);
  // the plural argument starts at the "{" in column 5 of line 4
  EXPECT_EQ(format_diagnostic(*d),
            "messages/en.po:4:5: error: MessageFormat: plural or select argument has no 'other' "
            "case");
}

TEST(MessageFormatCheck, ListsArguments) {
  const auto args = message_arguments(
      "{name} has {n, plural, one {# day} other {# days}} until {d, date, long}; "
      "{g, select, f {{name}} other {x}}");
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(args[0].name, "name");
  EXPECT_EQ(args[0].kind, MessageArgument::Kind::None);
  EXPECT_EQ(args[1].name, "n");
  EXPECT_EQ(args[1].kind, MessageArgument::Kind::Plural);
  EXPECT_EQ(args[2].name, "d");
  EXPECT_EQ(args[2].kind, MessageArgument::Kind::Simple);
  EXPECT_EQ(args[2].type, "date");
  EXPECT_EQ(args[3].kind, MessageArgument::Kind::Select);
  EXPECT_EQ(message_argument_names("no arguments"), std::vector<std::string>{});
  EXPECT_EQ(message_argument_names("{broken"), std::vector<std::string>{});
}

// Golden data: every diagnostic of tests/data/i18n/broken.po, parser and MessageFormat check,
// sorted by position, equals tests/data/i18n/broken.po.expected.
TEST(PoGolden, BrokenCatalogueGivesTheExpectedDiagnostics) {
  const std::string dir = std::string(KIOSK_TEST_DATA) + "/i18n/";
  PoFile po;
  std::vector<Diagnostic> diags;
  EXPECT_FALSE(load_po_file(dir + "broken.po", "messages/ja.po", po, diags));
  for (const PoEntry& e : po.entries)
    if (auto d = check_message_format(e, "messages/ja.po")) diags.push_back(*d);
  std::sort(diags.begin(), diags.end(), diagnostic_less);
  std::string got;
  for (const auto& d : diags) got += format_diagnostic(d) + "\n";
  std::ifstream in(dir + "broken.po.expected");
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(got, expected.str());
}

}  // namespace
}  // namespace kiosk::core
