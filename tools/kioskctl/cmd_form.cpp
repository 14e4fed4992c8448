// SPDX-License-Identifier: GPL-3.0-or-later
// kioskctl form export | keygen: the XForm an OpenRosa server (ODK Central, KoboToolbox, Ona)
// holds for a pack's hand-offs (core/xform.h), which staff upload once per pack version, and
// the RSA key pair for a form the agency encrypts with its own key (sync/form_crypto.h).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pack.h"
#include "core/result_messages.h"
#include "core/xform.h"
#include "sync/crypto.h"
#include "sync/files.h"
#include "sync/form_crypto.h"
#include "tools/kioskctl/commands.h"
#include "tools/kioskctl/sync_commands.h"

namespace kiosk::assets::locales {
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_files();
}

namespace {

using namespace kiosk;

[[noreturn]] void fail(const std::string& message, int code = tools::kExitProblems) {
  std::cerr << "kioskctl form: " << message << "\n";
  throw CLI::RuntimeError(code);
}

std::shared_ptr<const core::Pack> load_pack_or_exit(const std::string& dir) {
  std::string error;
  auto files = core::read_pack_dir(dir, &error);
  if (!files) fail(error);
  core::LoadResult result = core::load_pack(*files);
  if (!result.ok()) {
    for (const auto& d : result.diagnostics)
      if (d.severity == core::Severity::Error) std::cerr << core::format_diagnostic(d) << "\n";
    fail("the pack has errors (run `kioskctl pack check " + dir + "`)");
  }
  return result.pack;
}

// The app's form strings (locales/, embedded in kioskctl) and the pack's messages, per language.
std::unique_ptr<core::Localizer> form_labels(const core::Pack& pack) {
  std::map<std::string, std::string> ui;
  for (const auto& [path, bytes] : assets::locales::embedded_files()) {
    std::string name(path);
    if (name.size() > 3 && name.ends_with(".po"))
      ui.emplace(name.substr(0, name.size() - 3), std::string(bytes));
  }
  auto labels = std::make_unique<core::Localizer>(pack.manifest.base_language);
  for (const auto& lang : pack.manifest.languages) {
    auto it = ui.find(lang.tag);
    labels->add_catalogue(
        lang.tag, core::merged_catalogue(pack, lang.tag, it == ui.end() ? nullptr : &it->second));
  }
  return labels;
}

struct ExportArgs {
  std::string pack, out, key, kind = "handoff";
};

void run_export(const ExportArgs& a) {
  auto pack = load_pack_or_exit(a.pack);
  core::XFormOptions options;
  if (!a.key.empty()) {
    std::string error;
    auto pem = sync::read_file(a.key, 1 << 16, &error);
    auto b64 = pem ? sync::form_public_key_from_pem(*pem, &error) : std::nullopt;
    if (!b64) fail(a.key + ": " + error, tools::kExitBadInput);
    options.base64_rsa_public_key = *b64;
  }
  const bool counts = a.kind == "counts";
  const std::string xml = counts ? core::export_counts_xform(*pack, *form_labels(*pack), options)
                                 : core::export_handoff_xform(*pack, *form_labels(*pack), options);
  std::string error;
  if (!sync::write_file_atomic(a.out, xml, 0644, &error)) fail(error);
  const core::FormIdentity form =
      counts ? core::counts_form(pack->manifest.id, pack->manifest.version)
             : core::handoff_form(pack->manifest.id, pack->manifest.version);
  std::cout << "wrote " << a.out << ": form " << form.id << " version " << form.version
            << (options.base64_rsa_public_key.empty() ? " (not encrypted)" : " (encrypted)")
            << "\n";
}

// form.key (PKCS#1 PEM, 0600: for ODK Briefcase, kept offline by the agency) and form.pub.pem
// (for `form export --key` and KIOSK_OPENROSA_FORM_KEY). Never overwrites a key.
void run_keygen(const std::string& dir) {
  namespace fs = std::filesystem;
  const std::string secret_path = dir + "/form.key", public_path = dir + "/form.pub.pem";
  if (fs::exists(secret_path)) fail(secret_path + " exists; not overwritten");
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string error;
  auto pair = sync::make_form_key_pair(&error);
  if (!pair) fail(error);
  const bool ok = sync::write_file_atomic(secret_path, pair->private_pem, 0600, &error) &&
                  sync::write_file_atomic(public_path, pair->public_pem, 0644, &error);
  sync::wipe(pair->private_pem);
  if (!ok) fail(error);
  std::cout << "wrote " << secret_path << " (secret: for the agency's ODK Briefcase, keep it "
            << "offline) and " << public_path << "\nbase64RsaPublicKey: " << pair->public_base64
            << "\n";
}

}  // namespace

void add_form_commands(CLI::App& app) {
  CLI::App* form = app.add_subcommand(
      "form", "The XForm of hand-offs for an OpenRosa server (ODK Central, KoboToolbox, Ona)");
  form->require_subcommand(1);
  auto ex = std::make_shared<ExportArgs>();
  CLI::App* exp = form->add_subcommand(
      "export", "Write the hand-off form of a pack; upload it to the server once per pack version");
  exp->add_option("--pack", ex->pack, "Pack folder")->required();
  exp->add_option("--out", ex->out, "XForm file to write, e.g. handoff.xml")->required();
  exp->add_option("--kind", ex->kind,
                  "handoff: the hand-offs visitors send; counts: the anonymous daily counts "
                  "(KIOSK_COUNTS=on)")
      ->check(CLI::IsMember({"handoff", "counts"}))
      ->capture_default_str();
  exp->add_option("--key", ex->key,
                  "PEM public key to encrypt to (base64RsaPublicKey); leave out for ODK Central's "
                  "managed encryption, which adds its own key");
  exp->callback([ex] { run_export(*ex); });

  auto dir = std::make_shared<std::string>();
  CLI::App* keygen = form->add_subcommand(
      "keygen", "Create an RSA key pair for a form encrypted with the agency's own key");
  keygen->add_option("--out", *dir, "Folder for form.key (secret) and form.pub.pem")->required();
  keygen->callback([dir] { run_keygen(*dir); });
}
