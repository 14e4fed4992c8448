// SPDX-License-Identifier: GPL-3.0-or-later
// ODK form encryption, checked by an implementation that is not ours: the openssl command line
// (tests/sync/scripts/odk_decrypt.sh) unwraps the key, decrypts, strips the padding and checks
// the element signature, and must get back exactly the XML the kiosk encrypted. Keys are made
// both by the kiosk (kioskctl form keygen's code) and by `openssl genpkey`, as an agency would.
#include "sync/form_crypto.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

using test::TempDir;

const std::string kScript = std::string(KIOSK_SOURCE_DIR) + "/tests/sync/scripts/odk_decrypt.sh";

struct Key {
  std::string private_path, public_base64;
};

Key openssl_key(const TempDir& dir) {
  const std::string priv = dir / "agency.pem", pub = dir / "agency.pub.pem";
  EXPECT_EQ(test::run_and_wait(
                {"/bin/sh", "-c",
                 "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + priv +
                     " 2>/dev/null && openssl pkey -in " + priv + " -pubout -out " + pub}),
            0);
  std::string error;
  auto b64 = form_public_key_from_pem(test::read_text(pub), &error);
  EXPECT_TRUE(b64) << error;
  return {priv, b64.value_or("")};
}

// Encrypts `xml`, decrypts it with openssl; returns what came back ("" on failure).
std::string round_trip(const TempDir& dir, const Key& key, const std::string& xml,
                       const std::string& version, EncryptedSubmission* sent = nullptr) {
  std::string error;
  auto enc =
      encrypt_submission(xml, "kiosk_handoff_jp_residence", version,
                         "uuid:3f9c0a12-b4c5-46e7-b809-1a2b3c4d5e6f", key.public_base64, &error);
  EXPECT_TRUE(enc) << error;
  if (!enc) return "";
  if (sent) *sent = *enc;
  test::write_text(dir / "submission.xml", enc->manifest_xml);
  test::write_text(dir / "submission.xml.enc", enc->encrypted_xml);
  if (test::run_and_wait({"/bin/bash", kScript, key.private_path, dir / "submission.xml",
                          dir / "submission.xml.enc", dir / "out.xml"}) != 0)
    return "";
  return test::read_text(dir / "out.xml");
}

TEST(FormCrypto, OpensslDecryptsToTheSameXml) {
  TempDir dir;
  Key key = openssl_key(dir);
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><data id=\"kiosk_handoff_jp_residence\">"
      "<code>K7F3-9QPX</code><checklist_visitor>नवीकरण ✗ &amp;</checklist_visitor></data>";
  EncryptedSubmission sent;
  EXPECT_EQ(round_trip(dir, key, xml, "2026.11.27-1[encrypted:AaI6i14V]", &sent), xml);
  EXPECT_EQ(sent.encrypted_xml.size() % 16, 0u) << "PKCS#7 padding always present";
  EXPECT_EQ(sent.encrypted_xml.find("K7F3"), std::string::npos);
  EXPECT_EQ(sent.manifest_xml.find("K7F3"), std::string::npos) << "the manifest holds no data";
  EXPECT_NE(sent.manifest_xml.find("version=\"2026.11.27-1[encrypted:AaI6i14V]\""),
            std::string::npos);
}

TEST(FormCrypto, EveryPaddingLengthAndAFormWithoutVersion) {
  TempDir dir;
  Key key = openssl_key(dir);
  for (size_t n : {0u, 1u, 15u, 16u, 17u, 31u, 32u, 1000u}) {
    const std::string xml(n, 'x');
    EXPECT_EQ(round_trip(dir, key, xml, n % 2 ? "" : "1"), xml) << n << " bytes";
  }
}

TEST(FormCrypto, KeysMadeByTheKioskWorkWithOpenssl) {
  TempDir dir;
  std::string error;
  auto pair = make_form_key_pair(&error);
  ASSERT_TRUE(pair) << error;
  EXPECT_NE(pair->private_pem.find("BEGIN RSA PRIVATE KEY"), std::string::npos)
      << "PKCS#1, the form ODK Briefcase reads";
  EXPECT_EQ(pair->public_base64.size(), 392u) << "2048-bit SubjectPublicKeyInfo in base64";
  test::write_text(dir / "k.pem", pair->private_pem);
  EXPECT_EQ(round_trip(dir, {dir / "k.pem", pair->public_base64}, "<data/>", "1"), "<data/>");
}

TEST(FormCrypto, EachSubmissionHasItsOwnKey) {
  TempDir dir;
  Key key = openssl_key(dir);
  std::string error;
  auto a = encrypt_submission("<data/>", "f", "1", "uuid:a", key.public_base64, &error);
  auto b = encrypt_submission("<data/>", "f", "1", "uuid:a", key.public_base64, &error);
  ASSERT_TRUE(a && b) << error;
  EXPECT_NE(a->encrypted_xml, b->encrypted_xml);
}

TEST(FormCrypto, UnusableKeysAreRefusedWithAReason) {
  std::string error;
  EXPECT_FALSE(check_form_public_key("not base64 !!", &error));
  EXPECT_EQ(error, "the form's public key is not base64");
  EXPECT_FALSE(check_form_public_key("aGVsbG8=", &error));
  EXPECT_NE(error.find("not a DER SubjectPublicKeyInfo"), std::string::npos) << error;
  // A 1024-bit key, as an old tutorial might make.
  TempDir dir;
  ASSERT_EQ(test::run_and_wait({"/bin/sh", "-c",
                                "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 "
                                "2>/dev/null | openssl pkey -pubout -out " +
                                    dir / "small.pem"}),
            0);
  EXPECT_FALSE(form_public_key_from_pem(test::read_text(dir / "small.pem"), &error));
  EXPECT_EQ(error, "the form's public key has 1024 bits; at least 2048 are needed");
  EXPECT_FALSE(form_public_key_from_pem("-----BEGIN CERTIFICATE-----", &error));
  EXPECT_FALSE(encrypt_submission("<data/>", "f", "1", "uuid:a", "", &error));
}

}  // namespace
}  // namespace kiosk::sync
