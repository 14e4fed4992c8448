// SPDX-License-Identifier: GPL-3.0-or-later
// kioskctl repo keygen | publish: build a signed pack repository (docs/sync-protocol.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "sync/manifest.h"
#include "sync/repo.h"
#include "tools/kioskctl/sync_commands.h"

namespace {

int run_keygen(const std::string& out_dir) {
  std::string error;
  auto pub = kiosk::sync::repo_keygen(out_dir, &error);
  if (!pub) {
    std::cerr << "kioskctl repo keygen: " << error << "\n";
    return 1;
  }
  std::cout << "wrote " << out_dir << "/repo.key (secret, mode 0600: keep it offline)\n"
            << "wrote " << out_dir << "/repo.pub\n"
            << "public key: " << *pub << "\n";
  return 0;
}

int run_publish(const kiosk::sync::PublishOptions& options) {
  std::string error;
  auto m = kiosk::sync::repo_publish(options, &error);
  if (!m) {
    std::cerr << "kioskctl repo publish: " << error << "\n";
    return 1;
  }
  std::cout << "published repo_version " << m->repo_version << ", expires "
            << kiosk::sync::format_utc(m->expires) << "\n";
  for (const auto& p : m->packs)
    std::cout << "  " << p.id << " " << p.version << "  " << p.path << "  " << p.size << " bytes\n";
  return 0;
}

}  // namespace

void add_repo_commands(CLI::App& app) {
  CLI::App* repo = app.add_subcommand(
      "repo", "Build a signed pack repository (plain files for any HTTP server)");
  repo->require_subcommand(1);

  auto out_dir = std::make_shared<std::string>();
  CLI::App* keygen = repo->add_subcommand("keygen", "Create an Ed25519 signing key pair");
  keygen->add_option("--out", *out_dir, "Folder for repo.key and repo.pub")->required();
  keygen->callback([out_dir] {
    if (int rc = run_keygen(*out_dir)) throw CLI::RuntimeError(rc);
  });

  auto options = std::make_shared<kiosk::sync::PublishOptions>();
  CLI::App* publish =
      repo->add_subcommand("publish", "Archive, hash and sign packs into a repository");
  publish->add_option("--key", options->secret_key_path, "Secret key file from `repo keygen`")
      ->required();
  publish->add_option("--packs", options->pack_dirs, "Pack folders")->required()->expected(1, -1);
  publish->add_option("--out", options->out_dir, "Repository folder")->required();
  publish
      ->add_option("--expires-days", options->expires_days,
                   "Days until kiosks refuse this manifest")
      ->capture_default_str()
      ->check(CLI::Range(1, 366));
  publish->callback([options] {
    if (int rc = run_publish(*options)) throw CLI::RuntimeError(rc);
  });
}
