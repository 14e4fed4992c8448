// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/form_crypto.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <tinyxml2.h>

#include <memory>

#include "platform/lazy_library.h"
#include "sync/crypto.h"

namespace kiosk::sync {

namespace {

// libcrypto is opened on first use (platform/lazy_library.h), not linked: only a kiosk that
// sends hand-offs to an OpenRosa server needs it, and every kiosk start would pay for loading
// it. Members are named as the functions; calls go through lib().
// clang-format off
#define KIOSK_CRYPTO_FUNCTIONS(X)                                                              \
  X(ERR_get_error) X(ERR_clear_error) X(ERR_error_string_n) X(CRYPTO_free) X(RAND_bytes)     \
  X(EVP_PKEY_free) X(EVP_PKEY_CTX_new) X(EVP_PKEY_CTX_free) X(EVP_PKEY_get_base_id)          \
  X(EVP_PKEY_get_bits) X(EVP_PKEY_encrypt_init) X(EVP_PKEY_encrypt) X(EVP_PKEY_Q_keygen)      \
  X(EVP_PKEY_CTX_set_rsa_padding) X(EVP_PKEY_CTX_set_rsa_oaep_md)                             \
  X(EVP_PKEY_CTX_set_rsa_mgf1_md) X(EVP_sha256) X(EVP_md5) X(EVP_aes_256_cfb128)              \
  X(EVP_MD_CTX_new) X(EVP_MD_CTX_free) X(EVP_DigestInit_ex) X(EVP_DigestUpdate)               \
  X(EVP_DigestFinal_ex) X(EVP_CIPHER_CTX_new) X(EVP_CIPHER_CTX_free) X(EVP_EncryptInit_ex)    \
  X(EVP_EncryptUpdate) X(EVP_EncryptFinal_ex) X(BIO_new_mem_buf) X(BIO_new) X(BIO_s_mem)      \
  X(BIO_free) X(BIO_ctrl) X(d2i_PUBKEY) X(i2d_PUBKEY) X(PEM_read_bio_PUBKEY)                  \
  X(PEM_write_bio_PUBKEY) X(PEM_write_bio_PrivateKey_traditional)
// clang-format on

struct CryptoApi {
#define KIOSK_CRYPTO_MEMBER(name) decltype(&::name) name = nullptr;
  KIOSK_CRYPTO_FUNCTIONS(KIOSK_CRYPTO_MEMBER)
#undef KIOSK_CRYPTO_MEMBER
};

void resolve_crypto(CryptoApi& api, platform::SymbolResolver& r) {
#define KIOSK_CRYPTO_RESOLVE(name) r.resolve(api.name, #name);
  KIOSK_CRYPTO_FUNCTIONS(KIOSK_CRYPTO_RESOLVE)
#undef KIOSK_CRYPTO_RESOLVE
}

// Debian 12: libssl3 ships libcrypto.so.3 (also what libcurl4 uses).
constinit platform::LazyLibrary<CryptoApi> g_crypto("libcrypto.so.3", resolve_crypto);

// The table; only called after crypto_available() succeeded in the public entry points.
const CryptoApi& lib() {
  return *g_crypto.get(nullptr);
}

bool crypto_available(std::string* error) {
  return g_crypto.get(error) != nullptr;
}

constexpr int kMinRsaBits = 2048;
constexpr size_t kAesKeyBytes = 32;
constexpr size_t kBlock = 16;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { lib().EVP_PKEY_free(k); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { lib().EVP_PKEY_CTX_free(c); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { lib().EVP_CIPHER_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { lib().BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The first OpenSSL error on this thread, for messages ("" when there is none).
std::string openssl_error() {
  unsigned long e = lib().ERR_get_error();
  lib().ERR_clear_error();
  if (e == 0) return "";
  char buf[256];
  lib().ERR_error_string_n(e, buf, sizeof buf);
  return std::string(": ") + buf;
}

std::string to_base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), " \t\r\n", &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

// An RSA key of at least 2048 bits from base64 DER SubjectPublicKeyInfo.
Pkey read_public_key(const std::string& b64, std::string* error) {
  auto der = from_base64(b64);
  if (!der || der->empty()) {
    *error = "the form's public key is not base64";
    return nullptr;
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der->data());
  Pkey key(lib().d2i_PUBKEY(nullptr, &p, static_cast<long>(der->size())));
  if (!key) {
    *error = "the form's public key is not a DER SubjectPublicKeyInfo" + openssl_error();
    return nullptr;
  }
  if (lib().EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) {
    *error = "the form's public key is not an RSA key";
    return nullptr;
  }
  if (lib().EVP_PKEY_get_bits(key.get()) < kMinRsaBits) {
    *error = "the form's public key has " + std::to_string(lib().EVP_PKEY_get_bits(key.get())) +
             " bits; at least 2048 are needed";
    return nullptr;
  }
  return key;
}

// RSA-OAEP with SHA-256 and MGF1-SHA-256, empty label (what ODK's clients and servers use).
std::optional<std::string> rsa_oaep_encrypt(EVP_PKEY* key, std::string_view plain,
                                            std::string* error) {
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(lib().EVP_PKEY_CTX_new(key, nullptr));
  size_t len = 0;
  if (!ctx || lib().EVP_PKEY_encrypt_init(ctx.get()) <= 0 ||
      lib().EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) <= 0 ||
      lib().EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), lib().EVP_sha256()) <= 0 ||
      lib().EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), lib().EVP_sha256()) <= 0 ||
      lib().EVP_PKEY_encrypt(ctx.get(), nullptr, &len,
                             reinterpret_cast<const unsigned char*>(plain.data()),
                             plain.size()) <= 0) {
    *error = "RSA-OAEP setup failed" + openssl_error();
    return std::nullopt;
  }
  std::string out(len, '\0');
  if (lib().EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                             reinterpret_cast<const unsigned char*>(plain.data()),
                             plain.size()) <= 0) {
    *error = "RSA-OAEP failed" + openssl_error();
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string md5(std::string_view a, std::string_view b = {}) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(lib().EVP_MD_CTX_new(),
                                                         lib().EVP_MD_CTX_free);
  lib().EVP_DigestInit_ex(ctx.get(), lib().EVP_md5(), nullptr);
  lib().EVP_DigestUpdate(ctx.get(), a.data(), a.size());
  lib().EVP_DigestUpdate(ctx.get(), b.data(), b.size());
  lib().EVP_DigestFinal_ex(ctx.get(), digest, &n);
  return std::string(reinterpret_cast<char*>(digest), n);
}

// AES-256-CFB128 of `plain` after PKCS#7 padding (1..16 bytes, always present: ODK's
// "AES/CFB/PKCS5Padding"; OpenSSL pads only block modes, so it is added here).
std::optional<std::string> aes_cfb_encrypt(const std::string& key, const std::string& iv,
                                           std::string_view plain, std::string* error) {
  std::string padded(plain);
  const size_t pad = kBlock - plain.size() % kBlock;
  padded.append(pad, static_cast<char>(pad));
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(lib().EVP_CIPHER_CTX_new());
  std::string out(padded.size() + kBlock, '\0');
  int n = 0, tail = 0;
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  const auto* v = reinterpret_cast<const unsigned char*>(iv.data());
  bool ok = ctx &&
            lib().EVP_EncryptInit_ex(ctx.get(), lib().EVP_aes_256_cfb128(), nullptr, k, v) == 1 &&
            lib().EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                                    reinterpret_cast<const unsigned char*>(padded.data()),
                                    static_cast<int>(padded.size())) == 1 &&
            lib().EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n,
                                      &tail) == 1;
  wipe(padded);
  if (!ok) {
    *error = "AES-256-CFB failed" + openssl_error();
    return std::nullopt;
  }
  out.resize(static_cast<size_t>(n + tail));
  return out;
}

std::string manifest_xml(const std::string& form_id, const std::string& version,
                         const std::string& wrapped_key_b64, const std::string& instance_id,
                         const std::string& signature_b64) {
  // As ODK Collect writes it: the wrapped key, orx:meta/orx:instanceID (a direct child of the
  // root: Central looks for it there), the encrypted file's name, the signature. No whitespace
  // inside elements: Central does not trim text.
  tinyxml2::XMLPrinter p(nullptr, /*compact=*/true);
  p.PushDeclaration("xml version=\"1.0\" encoding=\"UTF-8\"");
  p.OpenElement("data", true);
  p.PushAttribute("xmlns", "http://www.opendatakit.org/xforms/encrypted");
  p.PushAttribute("id", form_id.c_str());
  if (!version.empty()) p.PushAttribute("version", version.c_str());
  p.PushAttribute("encrypted", "yes");
  auto element = [&p](const char* name, const std::string& text) {
    p.OpenElement(name, true);
    p.PushText(text.c_str());
    p.CloseElement(true);
  };
  element("base64EncryptedKey", wrapped_key_b64);
  p.OpenElement("orx:meta", true);
  p.PushAttribute("xmlns:orx", "http://openrosa.org/xforms");
  element("orx:instanceID", instance_id);
  p.CloseElement(true);
  element("encryptedXmlFile", "submission.xml.enc");
  element("base64EncryptedElementSignature", signature_b64);
  p.CloseElement(true);
  return p.CStr();
}

}  // namespace

std::optional<EncryptedSubmission> encrypt_submission(
    std::string_view submission_xml, const std::string& form_id, const std::string& form_version,
    const std::string& instance_id, const std::string& base64_rsa_public_key, std::string* error) {
  Pkey key = read_public_key(base64_rsa_public_key, error);
  if (!key) return std::nullopt;
  std::string aes_key(kAesKeyBytes, '\0');
  if (lib().RAND_bytes(reinterpret_cast<unsigned char*>(aes_key.data()), kAesKeyBytes) != 1) {
    *error = "no random bytes for the submission key" + openssl_error();
    return std::nullopt;
  }
  struct WipeKey {
    std::string& k;
    ~WipeKey() { wipe(k); }
  } wipe_key{aes_key};
  auto wrapped = rsa_oaep_encrypt(key.get(), aes_key, error);
  if (!wrapped) return std::nullopt;
  // File 0 (the submission itself; a hand-off has no media): byte 0 of the seed plus one.
  std::string iv = md5(instance_id, aes_key);
  iv[0] = static_cast<char>(static_cast<unsigned char>(iv[0]) + 1);
  auto encrypted = aes_cfb_encrypt(aes_key, iv, submission_xml, error);
  if (!encrypted) return std::nullopt;
  const std::string wrapped_b64 = to_base64(*wrapped);
  std::string source = form_id + "\n";
  if (!form_version.empty()) source += form_version + "\n";
  source += wrapped_b64 + "\n" + instance_id + "\n";
  source += "submission.xml::" + to_hex(md5(submission_xml)) + "\n";
  auto signature = rsa_oaep_encrypt(key.get(), md5(source), error);
  if (!signature) return std::nullopt;
  return EncryptedSubmission{
      manifest_xml(form_id, form_version, wrapped_b64, instance_id, to_base64(*signature)),
      std::move(*encrypted)};
}

bool check_form_public_key(const std::string& base64_spki, std::string* error) {
  return crypto_available(error) && read_public_key(base64_spki, error) != nullptr;
}

std::optional<std::string> form_public_key_from_pem(std::string_view pem, std::string* error) {
  if (!crypto_available(error)) return std::nullopt;
  std::unique_ptr<BIO, BioFree> bio(
      lib().BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Pkey key(bio ? lib().PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    *error = "not a PEM public key (-----BEGIN PUBLIC KEY-----)" + openssl_error();
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int len = lib().i2d_PUBKEY(key.get(), &der);
  if (len <= 0) {
    *error = "cannot encode the public key" + openssl_error();
    return std::nullopt;
  }
  std::string b64 = to_base64(std::string_view(reinterpret_cast<char*>(der), len));
  lib().CRYPTO_free(der, __FILE__, __LINE__);  // OPENSSL_free, a macro
  if (!check_form_public_key(b64, error)) return std::nullopt;
  return b64;
}

std::optional<FormKeyPair> make_form_key_pair(std::string* error) {
  if (!crypto_available(error)) return std::nullopt;
  // EVP_RSA_gen is a macro over EVP_PKEY_Q_keygen.
  Pkey key(lib().EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(kMinRsaBits)));
  if (!key) {
    *error = "RSA key generation failed" + openssl_error();
    return std::nullopt;
  }
  auto pem_of = [](auto write) {
    std::unique_ptr<BIO, BioFree> bio(lib().BIO_new(lib().BIO_s_mem()));
    if (!bio || write(bio.get()) != 1) return std::string();
    char* data = nullptr;
    long n = lib().BIO_ctrl(bio.get(), BIO_CTRL_INFO, 0, &data);  // BIO_get_mem_data
    std::string out(data, static_cast<size_t>(n));
    return out;
  };
  FormKeyPair pair;
  pair.private_pem = pem_of([&](BIO* b) {
    return lib().PEM_write_bio_PrivateKey_traditional(b, key.get(), nullptr, nullptr, 0, nullptr,
                                                      nullptr);
  });
  pair.public_pem = pem_of([&](BIO* b) { return lib().PEM_write_bio_PUBKEY(b, key.get()); });
  auto b64 = form_public_key_from_pem(pair.public_pem, error);
  if (pair.private_pem.empty() || !b64) {
    if (error->empty()) *error = "cannot write the key pair" + openssl_error();
    wipe(pair.private_pem);
    return std::nullopt;
  }
  pair.public_base64 = *b64;
  return pair;
}

}  // namespace kiosk::sync
