// SPDX-License-Identifier: GPL-3.0-or-later
// Regression tests for what the fuzz targets (fuzz/) and hostile-input review found in core/:
// each one an input that used to get through or crash, now refused with a clear message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/expr.h"
#include "core/pack.h"
#include "core/po.h"
#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

namespace fs = std::filesystem;

std::string syntax_error(const std::string& text) {
  ExprError err;
  auto e = parse_expr(text, &err);
  if (e) return "parsed";
  return std::to_string(err.offset) + ": " + err.message;
}

std::string chain(const std::string& op, int links) {
  std::string s = "b";
  for (int i = 0; i < links; ++i) s += " " + op + " b";
  return s;
}

// "b and b and b ..." used to parse into a tree 100,000 levels deep that the type checker,
// the evaluator and the destructor then walked recursively: a stack overflow.
TEST(HostileExpressions, OperatorChainsCountAsNestingAndAreBoundedAt64) {
  EXPECT_EQ(syntax_error(chain("and", 63)), "parsed");
  EXPECT_EQ(syntax_error(chain("or", 63)), "parsed");
  EXPECT_EQ(syntax_error(chain("+", 63)), "parsed");
  // The whole expression is one level, so the 64th link (each is 6 bytes: " and b") is
  // where the limit of 64 is reached.
  EXPECT_EQ(syntax_error(chain("and", 64)), "380: expression is nested too deeply");
  EXPECT_EQ(syntax_error(chain("or", 100000)).substr(3), ": expression is nested too deeply");
  EXPECT_NE(syntax_error(chain("and", 100000)), "parsed");
  EXPECT_NE(syntax_error(chain("+", 100000)), "parsed");
  EXPECT_NE(syntax_error(chain("-", 100000)), "parsed");
  // Nesting and chains add up.
  EXPECT_NE(syntax_error(std::string(40, '(') + chain("and", 40) + std::string(40, ')')), "parsed");
}

std::vector<std::string> po_errors(const std::string& text) {
  PoFile po;
  std::vector<Diagnostic> diags;
  EXPECT_FALSE(parse_po(text, "t.po", po, diags)) << text;
  std::vector<std::string> out;
  for (const auto& d : diags) out.push_back(format_diagnostic(d));
  return out;
}

// The file's bytes were checked for UTF-8, but \ooo and \xHH escapes could still put any
// byte into a message: text the shaper and the screen reader would then be handed.
TEST(HostilePo, EscapesThatMakeInvalidUtf8AreRefused) {
  EXPECT_EQ(
      po_errors("msgid \"a\"\nmsgstr \"\\xff\"\n"),
      std::vector<std::string>{"t.po:2:1: error: msgstr: escape sequences make invalid UTF-8"});
  EXPECT_EQ(
      po_errors("msgid \"a\"\nmsgstr \"\\343\\201\"\n"),  // a cut-off sequence
      std::vector<std::string>{"t.po:2:1: error: msgstr: escape sequences make invalid UTF-8"});
  EXPECT_EQ(
      po_errors("msgid \"\\300\\200\"\nmsgstr \"x\"\n"),  // an overlong NUL
      std::vector<std::string>{"t.po:1:1: error: msgid: escape sequences make invalid UTF-8"});
  // Valid UTF-8 spelled with escapes, even across continuation lines, is still fine.
  PoFile po;
  std::vector<Diagnostic> diags;
  ASSERT_TRUE(parse_po("msgid \"a\"\nmsgstr \"\\343\\201\"\n\"\\202\"\n", "t.po", po, diags));
  EXPECT_EQ(po.entries.at(0).msgstr, "\xE3\x81\x82");
  // A NUL (\000) is valid UTF-8 and kept, as write_po writes it.
  diags.clear();
  ASSERT_TRUE(parse_po("msgid \"b\"\nmsgstr \"x\\000y\"\n", "t.po", po, diags));
  EXPECT_EQ(po.entries.back().msgstr, std::string("x\0y", 3));
}

class PackFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kiosk-hostile-pack-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    for (const auto& [path, bytes] : testing::mini_files()) {
      fs::create_directories((dir_ / path).parent_path());
      std::ofstream(dir_ / path, std::ios::binary) << bytes;
    }
    outside_ = dir_.string() + "-secret";
    std::ofstream(outside_) << "a key that is not the pack's\n";
  }
  void TearDown() override {
    fs::remove_all(dir_);
    fs::remove(outside_);
  }
  std::string read_error() {
    std::string error;
    EXPECT_FALSE(read_pack_dir(dir_, &error));
    return error;
  }
  fs::path dir_;
  fs::path outside_;
};

// A pack folder from a USB stick could point anywhere: the loader and the publisher used to
// follow the link and read (and publish) the file it points to.
TEST_F(PackFolder, ASymbolicLinkIsRefusedNotFollowed) {
  fs::create_symlink(outside_, dir_ / "messages" / "stolen.po");
  EXPECT_EQ(read_error(), (dir_ / "messages" / "stolen.po").string() +
                              ": a symbolic link; a pack holds only regular files");
}

TEST_F(PackFolder, ALinkedFolderIsRefused) {
  fs::create_directory_symlink(fs::temp_directory_path(), dir_ / "audio");
  EXPECT_EQ(read_error(),
            (dir_ / "audio").string() + ": a symbolic link; a pack holds only regular files");
}

TEST_F(PackFolder, AHardLinkIsRefused) {
  std::error_code ec;
  fs::create_hard_link(outside_, dir_ / "extra.yaml", ec);
  if (ec) GTEST_SKIP() << "cannot make a hard link here: " << ec.message();
  EXPECT_EQ(read_error(), (dir_ / "extra.yaml").string() +
                              ": a hard link (2 names); a pack holds only files "
                              "of its own");
}

TEST_F(PackFolder, APlainFolderStillReads) {
  std::string error;
  EXPECT_TRUE(read_pack_dir(dir_, &error)) << error;
}

}  // namespace
}  // namespace kiosk::core
