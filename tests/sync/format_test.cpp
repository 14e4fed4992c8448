// SPDX-License-Identifier: GPL-3.0-or-later
// Archive container, manifest JSON, crypto wrappers and the publisher: no network.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sync/archive.h"
#include "sync/crypto.h"
#include "sync/files.h"
#include "sync/manifest.h"
#include "sync/repo.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

using test::TempDir;

TEST(PackArchive, RoundTripsEveryFileByteForByte) {
  core::PackFiles files = {
      {"pack.yaml", "id: x\n"}, {"messages/ja.po", std::string("\0\xff bin", 6)}, {"empty", ""}};
  std::string archive = write_pack_archive(files);
  std::string error;
  auto back = read_pack_archive(archive, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, files);
  EXPECT_EQ(write_pack_archive(*back), archive) << "the same files must give the same bytes";
}

TEST(PackArchive, EveryTruncationIsRefusedWithAnOffset) {
  std::string archive = write_pack_archive({{"a.yaml", "hello"}, {"b/c.po", "world"}});
  for (size_t cut = 0; cut < archive.size(); ++cut) {
    std::string error;
    EXPECT_FALSE(read_pack_archive(archive.substr(0, cut), &error)) << "cut at " << cut;
    EXPECT_NE(error.find("pack archive: byte "), std::string::npos) << error;
  }
}

TEST(PackArchive, RefusesUnsafePathsAndTrailingBytes) {
  for (std::string bad : {"../etc/passwd", "/abs", "a//b", "a/./b", "", "dir/"}) {
    std::string error;
    EXPECT_FALSE(read_pack_archive(write_pack_archive({{bad, "x"}}), &error)) << bad;
    EXPECT_NE(error.find("unsafe path"), std::string::npos) << error;
  }
  std::string error;
  EXPECT_FALSE(read_pack_archive(write_pack_archive({{"a", "x"}}) + "junk", &error));
  EXPECT_NE(error.find("trailing"), std::string::npos);
  EXPECT_FALSE(read_pack_archive("not an archive at all", &error));
  EXPECT_NE(error.find("magic"), std::string::npos);
}

TEST(PackArchive, HugeDeclaredLengthIsRefusedWithoutAllocating) {
  std::string archive = write_pack_archive({{"a", "x"}});
  // Overwrite the data length (after magic 8 + count 4 + path_len 4 + path 1) with 2^63.
  for (int i = 0; i < 8; ++i) archive[17 + i] = i == 7 ? '\x80' : '\0';
  std::string error;
  EXPECT_FALSE(read_pack_archive(archive, &error));
  EXPECT_NE(error.find("too large"), std::string::npos) << error;
}

RepoManifest sample_manifest() {
  RepoManifest m;
  m.repo_version = 7;
  m.published = 1795000000;
  m.expires = 1797592000;
  m.packs.push_back({"jp.residence", "2026.11.27", "packs/" + std::string(64, 'a') + ".kpack", 1234,
                     std::string(64, 'a')});
  return m;
}

TEST(Manifest, RoundTrips) {
  RepoManifest m = sample_manifest();
  std::string error;
  auto back = parse_manifest(manifest_to_json(m), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->repo_version, 7);
  EXPECT_EQ(back->expires, m.expires);
  ASSERT_EQ(back->packs.size(), 1u);
  EXPECT_EQ(back->packs[0].path, m.packs[0].path);
  EXPECT_EQ(back->packs[0].size, 1234);
}

TEST(Manifest, RefusesBadFieldsWithAClearMessage) {
  struct Case {
    std::string from, to, expect;
  };
  const std::string good = manifest_to_json(sample_manifest());
  for (const Case& c : std::vector<Case>{
           {"\"repo_version\": 7", "\"repo_version\": \"7\"", "repo_version"},
           {"\"repo_version\": 7", "\"repo_version\": 0", "repo_version must be"},
           {"\"format\": 1", "\"format\": 2", "unsupported format"},
           {"packs/aaaa", "../aaaa", "unsafe path"},
           {"\"size\": 1234", "\"size\": -1", "size must be positive"},
           {"T", "t", "YYYY-MM-DD"},
       }) {
    std::string text = good;
    auto at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    std::string error;
    EXPECT_FALSE(parse_manifest(text, &error)) << c.to;
    EXPECT_NE(error.find(c.expect), std::string::npos) << error;
  }
  std::string error;
  EXPECT_FALSE(parse_manifest("{", &error));
  EXPECT_FALSE(parse_manifest("[]", &error));
}

// sscanf's %d took signs and spaces, and timegm rolled 31 February over into March: a
// manifest's dates must be exactly what format_utc writes, and real calendar days.
TEST(Manifest, TimestampsAreParsedStrictly) {
  EXPECT_EQ(parse_utc("2026-11-27T01:02:03Z"), 1795741323);
  EXPECT_EQ(parse_utc("2028-02-29T23:59:59Z"), 1835481599);
  for (const char* bad :
       {"2026-02-29T00:00:00Z",      "2026-02-31T00:00:00Z", "2026-04-31T00:00:00Z",
        "2100-02-29T00:00:00Z",      "+026-11-27T01:02:03Z", "2026-+1-27T01:02:03Z",
        " 026-11-27T01:02:03Z",      "2026-11-27T01:02: 3Z", "2026-11-27T01:02:-3Z",
        "2026-11-27T24:00:00Z",      "2026-11-27T23:60:00Z", "2026-11-27T23:59:60Z",
        "2026-00-27T01:02:03Z",      "2026-13-27T01:02:03Z", "2026-11-00T01:02:03Z",
        "1969-12-31T23:59:59Z",      "2026-11-27 01:02:03Z", "2026-11-27T01:02:03z",
        "2026-11-27T01:02:03+00:00", "2026-11-27T01:02:03"}) {
    EXPECT_FALSE(parse_utc(bad)) << bad;
  }
  for (int64_t t : {0LL, 1795741323LL, 4102444799LL}) EXPECT_EQ(parse_utc(format_utc(t)), t);
}

TEST(Crypto, DetachedSignatureVerifiesOnlyTheSignedBytesWithTheRightKey) {
  SignKeyPair a = make_sign_keypair(), b = make_sign_keypair();
  std::string sig = sign_detached("manifest", a.secret_key);
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(verify_detached("manifest", sig, a.public_key));
  EXPECT_FALSE(verify_detached("manifesT", sig, a.public_key));
  EXPECT_FALSE(verify_detached("manifest", sig, b.public_key));
  EXPECT_FALSE(verify_detached("manifest", sig.substr(1), a.public_key));
}

TEST(Crypto, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, SealedBoxOpensOnlyWithTheAgencyKey) {
  BoxKeyPair agency = make_box_keypair(), other = make_box_keypair();
  std::string sealed = seal("hand-off", agency.public_key);
  EXPECT_EQ(unseal(sealed, agency).value_or(""), "hand-off");
  EXPECT_FALSE(unseal(sealed, other));
  EXPECT_NE(seal("hand-off", agency.public_key), sealed) << "sealing is randomised";
}

TEST(Crypto, HexRejectsWrongLengthsAndDigits) {
  EXPECT_TRUE(from_hex(std::string(64, 'a'), 32));
  EXPECT_FALSE(from_hex(std::string(63, 'a'), 32));
  EXPECT_FALSE(from_hex(std::string(62, 'a') + "zz", 32));
  EXPECT_EQ(random_key_hex().size(), 32u);
  EXPECT_NE(random_key_hex(), random_key_hex());
}

TEST(RepoKeygen, SecretKeyIsPrivateAndNeverOverwritten) {
  TempDir dir;
  std::string error;
  auto pub = repo_keygen(dir / "k", &error);
  ASSERT_TRUE(pub) << error;
  struct stat st {};
  ASSERT_EQ(::stat((dir / "k/repo.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(repo_keygen(dir / "k", &error));
  EXPECT_NE(error.find("refusing to overwrite"), std::string::npos);
  ::chmod((dir / "k/repo.key").c_str(), 0644);
  EXPECT_FALSE(read_secret_key(dir / "k/repo.key", &error));
  EXPECT_NE(error.find("chmod 600"), std::string::npos);
}

TEST(RepoPublish, WritesContentAddressedArchivesAndASignedGrowingManifest) {
  test::Repo repo;
  RepoManifest m1 = repo.publish("1.0.0");
  RepoManifest m2 = repo.publish("1.1.0");
  EXPECT_EQ(m1.repo_version, 1);
  EXPECT_EQ(m2.repo_version, 2);
  ASSERT_EQ(m2.packs.size(), 1u);
  EXPECT_EQ(m2.packs[0].id, "test.sync");
  EXPECT_EQ(m2.packs[0].version, "1.1.0");
  std::string error;
  auto archive = read_file(repo.dir() + "/" + m2.packs[0].path, 1 << 24, &error);
  ASSERT_TRUE(archive) << error;
  EXPECT_EQ(sha256_hex(*archive), m2.packs[0].sha256);
  EXPECT_EQ(m2.packs[0].path, "packs/" + m2.packs[0].sha256 + ".kpack");
  auto json = read_file(repo.dir() + "/manifest.json", 1 << 20, &error);
  auto sig = read_file(repo.dir() + "/manifest.json.sig", 1024, &error);
  ASSERT_TRUE(json && sig);
  EXPECT_TRUE(verify_detached(*json, *sig, *from_hex(repo.public_key_hex(), 32)));
  EXPECT_EQ(parse_manifest(*json, &error)->repo_version, 2);
}

TEST(RepoPublish, AnInvalidPackIsNeverPublished) {
  test::Repo repo;
  TempDir src;
  core::PackFiles files = test::test_pack("1.0.0");
  files["rules.yaml"] = "rules: [ {id: x} ]\n";
  test::write_pack_dir(src / "p", files);
  std::string error;
  PublishOptions o{repo.secret_key_path(), {src / "p"}, repo.dir(), 30, 0};
  EXPECT_FALSE(repo_publish(o, &error));
  EXPECT_NE(error.find("does not validate"), std::string::npos) << error;
  EXPECT_NE(error.find("rules.yaml:"), std::string::npos) << error;
}

}  // namespace
}  // namespace kiosk::sync
