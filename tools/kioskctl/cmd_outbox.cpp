// SPDX-License-Identifier: GPL-3.0-or-later
// kioskctl outbox status | requeue | discard | keygen: what staff need to see and do.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "sync/crypto.h"
#include "sync/files.h"
#include "sync/manifest.h"
#include "sync/outbox.h"
#include "tools/kioskctl/sync_commands.h"

namespace {

std::unique_ptr<kiosk::sync::Outbox> open_outbox(const std::string& db_path) {
  if (!std::filesystem::exists(db_path)) {  // never create an empty one at a mistyped path
    std::cerr << "kioskctl outbox: " << db_path << ": no such file\n";
    throw CLI::RuntimeError(1);
  }
  kiosk::sync::SyncConfig config;
  config.state_db_path = db_path;
  auto outbox = std::make_unique<kiosk::sync::Outbox>(config);
  std::string error;
  if (!outbox->open(&error)) {
    std::cerr << "kioskctl outbox: " << error << "\n";
    throw CLI::RuntimeError(1);
  }
  return outbox;
}

void print_status(const std::string& db_path) {
  auto outbox = open_outbox(db_path);
  kiosk::sync::OutboxStatus st = outbox->status();
  std::cout << "destination: " << (st.destination.empty() ? "-" : st.destination)
            << "\npending: " << st.pending << "\nparked:  " << st.parked
            << "\npurged:  " << st.purged
            << "\nlast error: " << (st.last_error.empty() ? "-" : st.last_error) << "\n";
  for (const auto& p : outbox->parked())
    std::cout << "parked " << p.key << " " << p.kind << " queued "
              << kiosk::sync::format_utc(p.created_at) << ": " << p.reason << "\n";
}

[[noreturn]] void keygen_fails(const std::string& message) {
  std::cerr << "kioskctl outbox keygen: " << message << "\n";
  throw CLI::RuntimeError(1);
}

void write_agency_keys(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) keygen_fails(dir + ": " + ec.message());
  // A new agency.key over the old one would leave every item sealed to the old key unreadable.
  if (std::filesystem::exists(dir + "/agency.key") || std::filesystem::exists(dir + "/agency.pub"))
    keygen_fails(dir + ": agency.key or agency.pub already exists; refusing to overwrite a key");
  kiosk::sync::BoxKeyPair kp = kiosk::sync::make_box_keypair();
  std::string secret = kiosk::sync::to_hex(kp.secret_key) + "\n";
  const std::string pub = kiosk::sync::to_hex(kp.public_key);
  std::string error;
  bool ok = kiosk::sync::write_file_atomic(dir + "/agency.key", secret, 0600, &error) &&
            kiosk::sync::write_file_atomic(dir + "/agency.pub", pub + "\n", 0644, &error);
  kiosk::sync::wipe(secret);
  kiosk::sync::wipe(kp.secret_key);
  if (!ok) keygen_fails(error);
  std::cout << "wrote " << dir << "/agency.key (secret, for the agency only) and " << dir
            << "/agency.pub\npublic key (KIOSK_AGENCY_KEY of the kiosks): " << pub << "\n";
}

}  // namespace

void add_outbox_commands(CLI::App& app) {
  CLI::App* outbox =
      app.add_subcommand("outbox", "Inspect and manage the store-and-forward outbox");
  outbox->require_subcommand(1);
  auto db = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();

  CLI::App* status = outbox->add_subcommand("status", "Pending and parked items, last error");
  status->add_option("--db", *db, "Sync state database")->required();
  status->callback([db] { print_status(*db); });

  CLI::App* requeue = outbox->add_subcommand("requeue", "Send a parked item (or all) again");
  requeue->add_option("--db", *db, "Sync state database")->required();
  auto all = std::make_shared<bool>(false);
  auto* key_opt = requeue->add_option("key", *key, "Idempotency key of the parked item");
  requeue->add_flag("--all", *all, "Every parked item (after mending what refused them)")
      ->excludes(key_opt);
  requeue->callback([db, key, all] {
    std::string error;
    if (*all) {
      std::cout << "requeued " << open_outbox(*db)->requeue_all_parked() << " item(s)\n";
      return;
    }
    if (key->empty()) {
      std::cerr << "kioskctl outbox requeue: give a KEY or --all\n";
      throw CLI::RuntimeError(2);
    }
    if (!open_outbox(*db)->requeue_parked(*key, &error)) {
      std::cerr << "kioskctl outbox requeue: " << error << "\n";
      throw CLI::RuntimeError(1);
    }
  });

  CLI::App* discard = outbox->add_subcommand("discard", "Delete a parked item for good");
  discard->add_option("--db", *db, "Sync state database")->required();
  discard->add_option("key", *key, "Idempotency key of the parked item")->required();
  discard->callback([db, key] {
    std::string error;
    if (!open_outbox(*db)->discard_parked(*key, &error)) {
      std::cerr << "kioskctl outbox discard: " << error << "\n";
      throw CLI::RuntimeError(1);
    }
  });

  auto out = std::make_shared<std::string>();
  CLI::App* keygen = outbox->add_subcommand("keygen", "Create the agency's sealed-box key pair");
  keygen->add_option("--out", *out, "Folder for agency.key and agency.pub")->required();
  keygen->callback([out] { write_agency_keys(*out); });
}
