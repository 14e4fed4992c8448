// SPDX-License-Identifier: GPL-3.0-or-later
// SyncConfig: everything the sync layer needs, handed in by the caller as one plain struct.
// The platform/paths layer decides where files live (XDG in development, /var/lib when
// installed); nothing here reads environment variables or guesses paths.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kiosk::sync {

struct SyncConfig {
  // --- pack repository (pull) ---
  // Base URL of the repository directory, ending in '/', e.g. "https://packs.example.org/kiosk/".
  std::string repo_url;
  // Ed25519 public keys (64 hex chars each) allowed to sign manifest.json. Pinned in the image.
  std::vector<std::string> trusted_repo_keys_hex;
  // Largest manifest.json / manifest.json.sig accepted, bytes (an endless body is cut here).
  int64_t max_manifest_bytes = 1 << 20;
  // Largest pack archive a manifest may declare, bytes. A larger declared size is refused
  // before anything is downloaded (a signed manifest is trusted for what it says, not for
  // how much disk it may fill).
  int64_t max_pack_bytes = 256LL << 20;

  // --- outbox (push) ---
  // Where consented items go. Either the reference receiver, one POST per item, e.g.
  // "https://intake.example.org/v1/outbox", or an OpenRosa server (ODK Central, KoboToolbox,
  // Ona) as "openrosa+https://central.example.org/v1/key/TOKEN/projects/1" (sync/openrosa.h).
  std::string outbox_url;
  // Reference receiver: X25519 public key (64 hex chars) of the agency; payloads are sealed to it.
  std::string agency_box_public_key_hex;
  // OpenRosa: a user and password (from a root-only file) when the URL carries no app-user
  // token. Offered only when the server asks (Basic or Digest), or as Basic on every request
  // over https when it answers 401 without asking (ODK Central).
  std::string outbox_username, outbox_password;
  // OpenRosa: the form's base64RsaPublicKey, for a kiosk that must take hand-offs before it has
  // ever reached the server (otherwise the key is read from the form the server holds).
  std::string openrosa_form_key;
  // OpenRosa: deliver to a form without an encryption key. Off: hand-offs wait in the outbox
  // only encrypted, so nothing readable is written on the kiosk. On: they wait readable until
  // delivered (the staff screen says so).
  bool openrosa_allow_unencrypted = false;
  // OpenRosa: how often the form list is read again (jittered by up to a quarter), seconds.
  int64_t form_check_interval_s = 3600;
  // At most this many items wait in the outbox; enqueue() refuses more (never drops silently).
  int64_t outbox_max_items = 10000;
  // Items older than this are purged (counted for staff); 0 disables.
  int64_t outbox_max_age_s = 30LL * 24 * 3600;
  // Backoff: wait random(0, min(cap, base * 2^attempts)) seconds (full jitter).
  int64_t backoff_base_s = 5;
  int64_t backoff_cap_s = 3600;

  // --- local state ---
  std::string state_db_path;    // sync state + outbox (SQLite, WAL, synchronous=FULL)
  std::string pack_store_path;  // core::PackStore SQLite file
  std::string download_dir;     // *.part files of resumable downloads

  // --- transport ---
  std::string ca_file;  // empty: the system CA store. Verification is always on.
  // Optional TLS public-key pin on top of CA verification, in libcurl's form
  // "sha256//<base64 of the SHA-256 of the DER SubjectPublicKeyInfo>" (several joined by ';').
  std::string tls_pinned_public_key;
  long connect_timeout_s = 10;
  long low_speed_limit_bytes = 100;  // abort when slower than this many bytes/s ...
  long low_speed_time_s = 30;        // ... for this many seconds
  long request_timeout_s = 0;        // whole request; 0 = none (large packs on slow links)
  int64_t poll_interval_s = 15 * 60;

  // Wall clock in Unix seconds; tests inject a fake one. Empty: the system clock.
  std::function<int64_t()> clock;
};

int64_t now_unix(const SyncConfig& config);

}  // namespace kiosk::sync
