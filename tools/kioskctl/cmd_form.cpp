// kioskctl form export: the XForm an OpenRosa server (ODK Central, KoboToolbox, Ona) holds
// for a pack's hand-offs (core/xform.h). Staff upload it once per pack version.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pack.h"
#include "core/result_messages.h"
#include "core/xform.h"
#include "sync/files.h"
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
  std::string pack, out;
};

void run_export(const ExportArgs& a) {
  auto pack = load_pack_or_exit(a.pack);
  core::XFormOptions options;
  const std::string xml = core::export_handoff_xform(*pack, *form_labels(*pack), options);
  std::string error;
  if (!sync::write_file_atomic(a.out, xml, 0644, &error)) fail(error);
  const core::FormIdentity form = core::handoff_form(pack->manifest.id, pack->manifest.version);
  std::cout << "wrote " << a.out << ": form " << form.id << " version " << form.version << "\n";
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
  exp->callback([ex] { run_export(*ex); });
}
