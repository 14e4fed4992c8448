// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk_handoff_corpus FORM.xml PERSONAS_DIR OUT_DIR [COUNTS_FORM.xml]
//
// Every hand-off the kiosk produces for the golden personas, in several languages, as an
// OpenRosa server receives it: the app's "Yes, send" goes through a real outbox to the loopback
// OpenRosa server holding FORM.xml (the output of `kioskctl form export`), and each submission's
// xml_submission_file is written to OUT_DIR/plain/NNN.xml. A few go the encrypted way too (the
// form as ODK Central serves it with managed encryption, key OUT_DIR/agency.pem), written as
// OUT_DIR/encrypted/NNN.xml (the manifest) and NNN.xml.enc, for the openssl command line to
// open. With COUNTS_FORM.xml, the same visits are also kept as anonymous counts (one day per
// persona date), released and delivered to that form; the submissions go to OUT_DIR/counts/.
// tests/odk/run.sh then has ODK's own form engine check every one against its form.
// Exits 1 when a persona's hand-off is not offered or not delivered.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "kiosk/app.h"
#include "kiosk/checklist.h"
#include "kiosk/embedded.h"
#include "sync/counts_keeper.h"
#include "sync/form_crypto.h"
#include "sync/outbox.h"
#include "tests/sync/openrosa_server.h"
#include "tests/sync/test_support.h"

namespace fs = std::filesystem;
using namespace kiosk;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

// One visit: the persona's answers, the take-away in `lang`, "Yes, send". False when the
// hand-off was not offered or not queued.
bool send_one(ui::App& app, const ui::PreviewAnswers& persona, const std::string& lang) {
  app.end_session();
  for (const auto& [q, a] : persona.answers) app.session().set_answer(q, a);
  if (persona.today) app.set_today(*persona.today);
  app.visit().procedure_id = persona.procedure_id;
  app.prepare_for_preview(ui::ScreenId::Takeaway, lang);
  if (!app.can_offer_handoff()) return false;
  app.begin_handoff();
  app.confirm_handoff();
  return app.visit().handoff == ui::HandoffStep::Queued;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr,
                 "usage: kiosk_handoff_corpus FORM.xml PERSONAS_DIR OUT_DIR [COUNTS_FORM.xml]\n");
    return 2;
  }
  const std::string counts_form_xml = argc == 5 ? slurp(argv[4]) : "";
  const std::string form_xml = slurp(argv[1]);
  const fs::path out = argv[3];
  fs::create_directories(out / "plain");
  fs::create_directories(out / "encrypted");
  fs::create_directories(out / "counts");
  std::string error;

  // The agency's key for the encrypted run, made as an agency would (openssl genpkey).
  const std::string priv = (out / "agency.pem").string();
  if (sync::test::run_and_wait(
          {"/bin/sh", "-c",
           "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + priv +
               " 2>/dev/null && openssl pkey -in " + priv + " -pubout -out " + priv + ".pub"}) !=
      0) {
    std::fprintf(stderr, "openssl genpkey failed\n");
    return 1;
  }
  auto public_key = sync::form_public_key_from_pem(slurp(priv + ".pub"), &error);
  if (!public_key) return std::fprintf(stderr, "%s\n", error.c_str()), 1;

  text::TextEngine engine;
  ui::Content content;
  if (!engine.init(&error) ||
      !content.load(ui::embedded_pack(), ui::embedded_ui_catalogues(), &error))
    return std::fprintf(stderr, "%s\n", error.c_str()), 1;

  std::vector<std::pair<std::string, ui::PreviewAnswers>> personas;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(argv[2]))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto p = ui::parse_preview_answers(content.pack(), slurp(f), &error);
    if (!p) return std::fprintf(stderr, "%s: %s\n", f.c_str(), error.c_str()), 1;
    personas.emplace_back(f.stem().string(), std::move(*p));
  }

  int written = 0;
  for (const bool encrypted : {false, true}) {
    sync::test::TempDir dir;
    sync::test::OpenRosaServer server;
    if (!server.start(&error)) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
    server.publish(form_xml, *public_key, /*encrypt_as_central=*/encrypted);
    const auto& m = content.pack().manifest;
    if (encrypted)  // the form the decrypted submissions belong to: Central's version of it
      write(out / "encrypted" / "form.xml",
            server.served_form(core::handoff_form(m.id, m.version).id));
    sync::SyncConfig config;
    config.state_db_path = dir / "state.db";
    config.outbox_url = server.outbox_url();
    config.openrosa_allow_unencrypted = !encrypted;
    sync::Outbox outbox(config);
    if (!outbox.open(&error)) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
    outbox.watch_form(core::handoff_form(m.id, m.version));
    outbox.refresh_watched_forms();

    if (!counts_form_xml.empty()) server.publish(counts_form_xml);
    std::unique_ptr<sync::CountsKeeper> keeper;
    if (!encrypted && !counts_form_xml.empty()) {
      outbox.watch_form(core::counts_form(m.id, m.version));
      outbox.refresh_watched_forms();
      keeper = std::make_unique<sync::CountsKeeper>(config, outbox, "corpus-office");
      if (!keeper->open(&error)) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
    }
    ui::App app(content, engine, ui::Settings{});
    if (keeper)
      app.hooks.count_visit = [&](const core::VisitRecord& v) {
        keeper->add_visit(v, content.pack(), app.today());
      };
    app.hooks.can_send_handoff = [&] {
      std::string why;
      return outbox.can_take(core::handoff_form(m.id, m.version), &why);
    };
    app.hooks.send_handoff = [&outbox](std::string& payload, std::string* err) {
      return outbox.enqueue("handoff", payload, /*consent=*/true, err).has_value();
    };
    // Every persona that needs action in six scripts' languages; the encrypted run samples.
    const std::vector<std::string> langs =
        encrypted ? std::vector<std::string>{"ar"}
                  : std::vector<std::string>{"ne", "ja", "ar", "my", "zh-Hant", "en"};
    int queued = 0, not_offered = 0;
    for (size_t i = 0; i < personas.size(); ++i) {
      if (encrypted && i % 8 != 2) continue;
      for (const auto& lang : langs) {
        const bool needs_action = [&] {
          app.end_session();
          for (const auto& [q, a] : personas[i].second.answers) app.session().set_answer(q, a);
          if (personas[i].second.today) app.set_today(*personas[i].second.today);
          app.visit().procedure_id = personas[i].second.procedure_id;
          app.prepare_for_preview(ui::ScreenId::Takeaway, lang);
          return ui::needs_action(app.visit().result);
        }();
        if (!needs_action) {
          ++not_offered;  // nothing to act on: the kiosk rightly offers no hand-off
          continue;
        }
        if (!send_one(app, personas[i].second, lang)) {
          std::fprintf(stderr, "%s in %s: hand-off not offered or not queued\n",
                       personas[i].first.c_str(), lang.c_str());
          return 1;
        }
        ++queued;
      }
    }
    app.end_session();  // the last visit is counted too
    // The personas' dates jump back and forth, so a visit on a later date already closed the
    // earlier days: every day with counts has been or is now released.
    if (keeper)
      keeper->close_days_before(*core::Date::from_ymd(2099, 1, 1), content.pack(), &error);
    for (int round = 0; round < 20 && outbox.status().pending > 0; ++round)
      outbox.deliver_due(1000);
    std::vector<sync::test::OpenRosaServer::Submission> subs, counted;
    for (auto& s : server.submissions())
      (s.form_id == core::counts_form(m.id, m.version).id ? counted : subs).push_back(s);
    if (keeper && counted.empty()) {
      std::fprintf(stderr, "no counts reached the server (%s)\n", error.c_str());
      return 1;
    }
    for (size_t i = 0; i < counted.size(); ++i)
      write(out / "counts" / (std::to_string(i + 1) + ".xml"),
            counted[i].parts.at("xml_submission_file"));
    if (keeper) std::printf("counts: %zu releases delivered\n", counted.size());
    if (outbox.status().pending != 0 || static_cast<int>(subs.size()) != queued) {
      std::fprintf(stderr, "%zu of %d hand-offs reached the server (%s)\n", subs.size(), queued,
                   outbox.status().last_error.c_str());
      return 1;
    }
    for (const auto& s : subs) {
      char name[32];
      std::snprintf(name, sizeof name, "%03d.xml", ++written);
      const fs::path base = out / (encrypted ? "encrypted" : "plain") / name;
      write(base, s.parts.at("xml_submission_file"));
      if (encrypted) write(base.string() + ".enc", s.parts.at("submission.xml.enc"));
    }
    std::printf("%s: %d hand-offs delivered (%d persona visits need no action)\n",
                encrypted ? "encrypted" : "plain", queued, not_offered);
  }
  return 0;
}
