// SPDX-License-Identifier: GPL-3.0-or-later
// Thin, checked wrappers over libsodium: hashing, Ed25519 detached signatures (single-part,
// never the Ed25519ph init/update/final variant), sealed boxes, random keys, hex.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::sync {

// sodium_init() once; false when libsodium cannot initialise (no entropy source).
bool crypto_ready();

std::string to_hex(std::string_view bytes);
// nullopt unless `hex` is exactly 2*expected_bytes lower/upper hex digits.
std::optional<std::string> from_hex(std::string_view hex, size_t expected_bytes);

// SHA-256 of bytes, lowercase hex.
std::string sha256_hex(std::string_view bytes);

// Streaming SHA-256 for large files.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t size);
  std::string final_hex();

 private:
  alignas(64) unsigned char state_[128];
};
// SHA-256 of a file, lowercase hex; nullopt and *error when it cannot be read.
std::optional<std::string> sha256_file_hex(const std::string& path, std::string* error);

struct SignKeyPair {
  std::string public_key;  // 32 raw bytes
  std::string secret_key;  // 64 raw bytes
};
SignKeyPair make_sign_keypair();
std::string sign_detached(std::string_view message, const std::string& secret_key);
bool verify_detached(std::string_view message, std::string_view signature,
                     const std::string& public_key);

struct BoxKeyPair {
  std::string public_key;  // 32 raw bytes (X25519)
  std::string secret_key;  // 32 raw bytes
};
BoxKeyPair make_box_keypair();
// Sealed box to `public_key`: only the holder of the secret key can open it.
std::string seal(std::string_view plaintext, const std::string& public_key);
std::optional<std::string> unseal(std::string_view sealed, const BoxKeyPair& keys);

// 128 random bits, 32 lowercase hex chars.
std::string random_key_hex();
// Uniform in [0, upper_bound] (inclusive), from libsodium's CSPRNG.
int64_t random_uniform(int64_t upper_bound);

// Overwrites the string's bytes, then empties it.
void wipe(std::string& s);

}  // namespace kiosk::sync
