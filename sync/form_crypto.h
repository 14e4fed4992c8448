// SPDX-License-Identifier: GPL-3.0-or-later
// ODK form encryption (ODK XForms specification, "Encrypted forms";
// https://getodk.github.io/xforms-spec/encryption): a submission readable only by the holder of
// the form's private RSA key, in the layout ODK Collect writes, which ODK Central (managed
// encryption) and ODK Briefcase decrypt. Built on OpenSSL's libcrypto; nothing here is
// hand-made cryptography. The parameters, as ODK Collect (EncryptionUtils) uses them:
//   - a fresh 256-bit AES key per submission, wrapped with RSA-OAEP (SHA-256, MGF1 with
//     SHA-256, empty label: Java's "RSA/NONE/OAEPWithSHA256AndMGF1Padding" in BouncyCastle);
//   - each file AES-256-CFB (128-bit feedback) with PKCS#7 padding ("AES/CFB/PKCS5Padding");
//     IV = MD5(instanceID || key), byte (i mod 16) incremented before file i (i = 0 first);
//     media files first, submission.xml last (a hand-off has no media: it is file 0);
//   - the manifest `submission.xml` names the encrypted file and carries the wrapped key and
//     an element signature: RSA-OAEP of MD5("id\nversion\nkey\ninstanceID\nsubmission.xml::" +
//     md5hex(plaintext) + "\n").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiosk::sync {

struct EncryptedSubmission {
  std::string manifest_xml;   // the part "xml_submission_file" (file name submission.xml)
  std::string encrypted_xml;  // the part "submission.xml.enc"
};

// Encrypts `submission_xml` for the form's `base64RsaPublicKey`. nullopt and *error when the key
// is not a usable RSA public key (base64 of a DER SubjectPublicKeyInfo, at least 2048 bits).
std::optional<EncryptedSubmission> encrypt_submission(
    std::string_view submission_xml, const std::string& form_id, const std::string& form_version,
    const std::string& instance_id, const std::string& base64_rsa_public_key, std::string* error);

// True when `base64_spki` is an RSA public key a form may carry (as above); else *error says why.
bool check_form_public_key(const std::string& base64_spki, std::string* error);

// The base64RsaPublicKey value of a PEM public key ("-----BEGIN PUBLIC KEY-----"): the DER
// SubjectPublicKeyInfo in base64 on one line. nullopt and *error when it is not an RSA key.
std::optional<std::string> form_public_key_from_pem(std::string_view pem, std::string* error);

struct FormKeyPair {
  std::string private_pem;    // PKCS#1 "RSA PRIVATE KEY" (ODK Briefcase reads this form)
  std::string public_pem;     // "PUBLIC KEY" (SubjectPublicKeyInfo)
  std::string public_base64;  // the value for base64RsaPublicKey
};
// A new 2048-bit RSA key pair (ODK Central's own decryption needs 2048-bit keys).
std::optional<FormKeyPair> make_form_key_pair(std::string* error);

}  // namespace kiosk::sync
