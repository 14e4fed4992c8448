// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/crypto.h"

#include <sodium.h>

#include <cstdio>
#include <cstring>
#include <memory>

namespace kiosk::sync {

static_assert(sizeof(crypto_hash_sha256_state) <= 128, "Sha256 state buffer too small");

bool crypto_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

std::string to_hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

std::optional<std::string> from_hex(std::string_view hex, size_t expected_bytes) {
  if (hex.size() != expected_bytes * 2) return std::nullopt;
  std::string out(expected_bytes, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &len, &end) != 0 ||
      len != expected_bytes || end != hex.data() + hex.size()) {
    return std::nullopt;
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes.data(), bytes.size());
  return h.final_hex();
}

Sha256::Sha256() {
  crypto_ready();
  crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_));
}

void Sha256::update(const void* data, size_t size) {
  crypto_hash_sha256_update(reinterpret_cast<crypto_hash_sha256_state*>(state_),
                            static_cast<const unsigned char*>(data), size);
}

std::string Sha256::final_hex() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_), digest);
  return to_hex(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

std::optional<std::string> sha256_file_hex(const std::string& path, std::string* error) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) {
    if (error) *error = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  Sha256 h;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) h.update(buf, n);
  if (std::ferror(f.get())) {
    if (error) *error = path + ": read error";
    return std::nullopt;
  }
  return h.final_hex();
}

SignKeyPair make_sign_keypair() {
  crypto_ready();
  SignKeyPair kp;
  kp.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  kp.secret_key.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(kp.public_key.data()),
                      reinterpret_cast<unsigned char*>(kp.secret_key.data()));
  return kp;
}

std::string sign_detached(std::string_view message, const std::string& secret_key) {
  crypto_ready();
  std::string sig(crypto_sign_BYTES, '\0');
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) return {};
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(secret_key.data()));
  return sig;
}

bool verify_detached(std::string_view message, std::string_view signature,
                     const std::string& public_key) {
  crypto_ready();
  if (signature.size() != crypto_sign_BYTES || public_key.size() != crypto_sign_PUBLICKEYBYTES)
    return false;
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

BoxKeyPair make_box_keypair() {
  crypto_ready();
  BoxKeyPair kp;
  kp.public_key.resize(crypto_box_PUBLICKEYBYTES);
  kp.secret_key.resize(crypto_box_SECRETKEYBYTES);
  crypto_box_keypair(reinterpret_cast<unsigned char*>(kp.public_key.data()),
                     reinterpret_cast<unsigned char*>(kp.secret_key.data()));
  return kp;
}

std::string seal(std::string_view plaintext, const std::string& public_key) {
  crypto_ready();
  if (public_key.size() != crypto_box_PUBLICKEYBYTES) return {};
  std::string out(plaintext.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()),
                  reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                  reinterpret_cast<const unsigned char*>(public_key.data()));
  return out;
}

std::optional<std::string> unseal(std::string_view sealed, const BoxKeyPair& keys) {
  crypto_ready();
  if (sealed.size() < crypto_box_SEALBYTES) return std::nullopt;
  std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                           reinterpret_cast<const unsigned char*>(keys.public_key.data()),
                           reinterpret_cast<const unsigned char*>(keys.secret_key.data())) != 0)
    return std::nullopt;
  return out;
}

std::string random_key_hex() {
  crypto_ready();
  unsigned char key[16];
  randombytes_buf(key, sizeof key);
  return to_hex(std::string_view(reinterpret_cast<char*>(key), sizeof key));
}

int64_t random_uniform(int64_t upper_bound) {
  crypto_ready();
  if (upper_bound <= 0) return 0;
  uint64_t r;
  randombytes_buf(&r, sizeof r);
  // Modulo bias is irrelevant for retry jitter.
  return static_cast<int64_t>(r % (static_cast<uint64_t>(upper_bound) + 1));
}

void wipe(std::string& s) {
  if (!s.empty()) sodium_memzero(s.data(), s.size());
  s.clear();
}

}  // namespace kiosk::sync
