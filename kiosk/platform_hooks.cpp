// SPDX-License-Identifier: GPL-3.0-or-later
// Connects the app's hooks to platform/ (speech, printing) and sync/ (staff status).
#include "core/recording.h"
#include "kiosk/app.h"
#include "kiosk/embedded.h"
#include "kiosk/printout.h"
#include "platform/log.h"
#include "platform/paths.h"
#include "platform/print.h"
#include "platform/speech.h"
#ifdef KIOSK_HAVE_SYNC
#include "core/pack_store.h"
#include "core/xform.h"
#include "sync/counts_keeper.h"
#include "sync/files.h"
#include "sync/form_crypto.h"
#include "sync/openrosa.h"
#include "sync/outbox.h"
#include "sync/pack_client.h"
#endif

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <sstream>

namespace kiosk::ui {

static std::string print_outcome_message(const platform::PrintResult& r) {
  switch (r.outcome) {
    case platform::PrintOutcome::Printed:
      return "ui.takeaway.printed";
    case platform::PrintOutcome::SavedPdf:
      return "ui.takeaway.saved_pdf";
    case platform::PrintOutcome::OutOfPaper:
      return "ui.takeaway.out_of_paper";
    default:
      return "ui.takeaway.printer_offline";
  }
}

#ifdef KIOSK_HAVE_SYNC
// The OpenRosa settings of the outbox (docs/deploy.md, "Hand-offs to ODK Central or
// KoboToolbox"): a user and password from a root-only file, or from systemd's credential
// "outbox-credentials" (LoadCredential=); the form's key for a kiosk that must take hand-offs
// before it first reaches the server (base64, or a PEM file); and whether hand-offs may wait
// readable (a form without a key). False when a setting is unusable: the outbox stays off.
static bool openrosa_settings_from_env(sync::SyncConfig& c, std::string* error) {
  std::string credentials;
  if (const char* f = std::getenv("KIOSK_OUTBOX_CREDENTIALS"); f && *f) credentials = f;
  if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY"); credentials.empty() && dir) {
    const std::string systemd = std::string(dir) + "/outbox-credentials";
    if (std::filesystem::exists(systemd)) credentials = systemd;
  }
  if (!credentials.empty()) {
    auto pair = sync::read_credentials_file(credentials, error);
    if (!pair) return false;
    c.outbox_username = pair->first;
    c.outbox_password = pair->second;
  }
  if (const char* k = std::getenv("KIOSK_OPENROSA_FORM_KEY"); k && *k) {
    std::string key = k;
    if (key.find('/') == 0) {  // a PEM file, e.g. the one `kioskctl form keygen` wrote
      auto pem = sync::read_file(key, 1 << 16, error);
      auto b64 = pem ? sync::form_public_key_from_pem(*pem, error) : std::nullopt;
      if (!b64) {
        *error = "KIOSK_OPENROSA_FORM_KEY: " + *error;
        return false;
      }
      key = *b64;
    }
    c.openrosa_form_key = key;
  }
  const char* plain = std::getenv("KIOSK_OPENROSA_ALLOW_UNENCRYPTED");
  c.openrosa_allow_unencrypted = plain && std::string(plain) == "1";
  return true;
}

// Sync is configured by the environment (the systemd unit's EnvironmentFile,
// /etc/migrant-kiosk/kiosk.env): KIOSK_REPO_URL, KIOSK_REPO_KEYS (comma-separated hex
// Ed25519 keys), KIOSK_OUTBOX_URL, KIOSK_AGENCY_KEY (the reference receiver) or the OpenRosa
// settings above. Without KIOSK_REPO_URL the kiosk receives no pack updates (it runs on its
// store's or embedded pack); without KIOSK_OUTBOX_URL it sends nothing. Either works without
// the other.
static std::optional<sync::SyncConfig> sync_config_from_env() {
  const char* repo = std::getenv("KIOSK_REPO_URL");
  const char* outbox = std::getenv("KIOSK_OUTBOX_URL");
  if ((!repo || !*repo) && (!outbox || !*outbox)) return std::nullopt;
  sync::SyncConfig c;
  if (repo) c.repo_url = repo;
  if (const char* keys = std::getenv("KIOSK_REPO_KEYS")) {
    std::stringstream in(keys);
    std::string k;
    while (std::getline(in, k, ','))
      if (!k.empty()) c.trusted_repo_keys_hex.push_back(k);
  }
  if (const char* o = std::getenv("KIOSK_OUTBOX_URL")) c.outbox_url = o;
  if (const char* a = std::getenv("KIOSK_AGENCY_KEY")) c.agency_box_public_key_hex = a;
  if (sync::is_openrosa_url(c.outbox_url)) {
    std::string error;
    if (!openrosa_settings_from_env(c, &error)) {
      platform::log_error("outbox disabled: " + error);
      c.outbox_url.clear();
      if (c.repo_url.empty()) return std::nullopt;
    }
  }
  platform::Paths paths = platform::resolve_paths();
  std::string error;
  if (!platform::ensure_private_dir(paths.state_dir, &error) ||
      !platform::ensure_private_dir(paths.cache_dir, &error)) {
    platform::log_error("sync disabled: " + error);
    return std::nullopt;
  }
  c.state_db_path = (paths.state_dir / "sync.db").string();
  c.pack_store_path = (paths.state_dir / "packs.db").string();
  c.download_dir = paths.cache_dir.string();
  return c;
}

static std::optional<core::Date> date_of_unix(int64_t t) {
  if (t <= 0) return std::nullopt;
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  return core::Date::from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
#endif

#ifdef KIOSK_HAVE_SYNC
// Why `files` do not load in this app: the loader's first error (file:line:col), or "" when
// they load. Same app version and options as Content::load, so what passes here loads there.
// A pack that loads is kept in *loaded (when given), so that it need not be loaded again.
static std::string load_error(const core::PackFiles& files,
                              std::shared_ptr<const core::Pack>* loaded = nullptr) {
  core::LoadResult r = core::load_pack(files, KIOSK_APP_VERSION, Content::kLoadOptions);
  if (r.ok()) {
    if (loaded) *loaded = std::move(r.pack);
    return "";
  }
  for (const auto& d : r.diagnostics)
    if (d.severity == core::Severity::Error) return core::format_diagnostic(d);
  return "the pack has errors";
}

// What happened at start, for the staff screen and the log, e.g. "jp.residence 1.3.0 in the
// store does not load (pack.yaml:8:18: error: ...); started on 1.2.0, the last version that
// loads". Pack ids, versions and loader errors only: nothing about visitors.
static std::string describe_fallback(const std::string& id, const core::StartPack& start,
                                     const std::string& embedded_version) {
  std::string note;
  for (const auto& r : start.rejected)
    note += note.empty() ? id + " " + r.version + " in the store does not load (" + r.reason + ")"
                         : "; " + r.version + " does not load either (" + r.reason + ")";
  note += start.version.empty()
              ? "; no installed version loads; started on the embedded pack " + embedded_version
              : "; started on " + start.version + ", the last version that loads";
  if (!start.store_error.empty())
    note += " (could not be recorded in the store: " + start.store_error + ")";
  return note;
}
#endif

ChosenPack choose_start_pack(const core::PackFiles& fallback, std::string* note) {
  ChosenPack embedded_pack{fallback, nullptr};
#ifdef KIOSK_HAVE_SYNC
  auto config = sync_config_from_env();
  if (!config) return embedded_pack;
  // Only the id is needed here (pack.yaml alone is read): the caller loads (and reports on)
  // the embedded pack when that is the one chosen.
  auto embedded = core::read_pack_identity(fallback);
  if (!embedded) return embedded_pack;
  core::PackStore store;
  std::string error;
  if (!store.open(config->pack_store_path, &error)) {
    *note = "pack store: " + error + "; using the embedded pack";
    return embedded_pack;
  }
  sync::activate_pending_packs(*config, store, &error);
  if (!error.empty()) platform::log_warning("pack activation: " + error);
  if (!store.active_version(embedded->id)) return embedded_pack;  // nothing synced yet
  error.clear();
  // start_pack stops at the first version that loads: the last pack kept is that one's.
  std::shared_ptr<const core::Pack> loaded;
  auto start = store.start_pack(
      embedded->id, [&loaded](const core::PackFiles& f) { return load_error(f, &loaded); }, &error);
  if (!start) {
    *note = error + "; using the embedded pack";
    return embedded_pack;
  }
  if (!start->rejected.empty()) *note = describe_fallback(embedded->id, *start, embedded->version);
  if (start->version.empty()) return embedded_pack;
  return {std::move(start->files), std::move(loaded)};
#else
  (void)note;
  return embedded_pack;
#endif
}

bool load_start_pack(Content& content, const core::PackFiles& fallback,
                     const UiCatalogues& ui_catalogues, std::string* note, std::string* error) {
  ChosenPack chosen = choose_start_pack(fallback, note);
  if (!chosen.loaded) return content.load(chosen.files, ui_catalogues, error);
  content.load(std::move(chosen.loaded), ui_catalogues);
  return true;
}

void install_platform_hooks(App& app) {
  static platform::Speaker speaker;
  static const platform::PrintSettings print_settings = platform::print_settings_from_env();

  app.hooks.speak = [](const std::string& lang, const std::string& text) {
    if (!platform::has_voice(lang)) return false;
    if (speaker.speak(lang, text)) return true;
    platform::log_warning("speech: " + speaker.last_error());
    return false;
  };
  app.hooks.play_recordings = [](const std::vector<std::string_view>& wavs) {
    if (speaker.play_recordings(wavs, core::kPauseBetweenRecordings)) return true;
    platform::log_warning("recordings: " + speaker.last_error());
    return false;
  };
  app.hooks.stop_speaking = [] { speaker.stop(); };
  app.hooks.end_of_session = [] {
    speaker.stop();
    std::string error;
    if (!print_settings.pdf_dir.empty() &&
        !platform::wipe_printouts(print_settings.pdf_dir, &error))
      platform::log_warning("printouts: " + error);
  };
  app.hooks.print = [](const Checklist& user, const std::string& user_lang, const Checklist& office,
                       const std::string& office_lang) {
    // Runs on the print thread: its own text engine (the UI's is not thread-safe).
    text::TextEngine engine;
    std::string error;
    if (!engine.init(&error)) {
      platform::log_error("print: " + error);
      return std::string("ui.takeaway.printer_offline");
    }
    auto pages = render_printout(engine, user, user_lang, office, office_lang);
    platform::PrintResult r = platform::print_pages(pages, print_settings);
    // The reason names the printer state, never the page content.
    platform::log_info(std::string("print: ") + platform::to_string(r.outcome) + ": " + r.reason);
    return print_outcome_message(r);
  };

#ifdef KIOSK_HAVE_SYNC
  static std::optional<sync::SyncConfig> config = sync_config_from_env();
  if (!config) return;
  static sync::PackClient client(*config);
  static const bool updates = !config->repo_url.empty();
  if (updates) client.start();  // its own thread: the UI only reads status()
  static sync::Outbox outbox(*config);
  std::string error;
  static bool outbox_open = !config->outbox_url.empty() && outbox.open(&error);
  if (!error.empty()) platform::log_error("outbox: " + error);
  if (outbox_open) {
    // The form of the running pack is read from an OpenRosa server at once, so that the first
    // visitor can already be offered the hand-off.
    const auto& m = app.content().pack().manifest;
    outbox.watch_form(core::handoff_form(m.id, m.version));
    outbox.start();  // delivers what users consented to send, off the UI thread
  }
  std::string pack_id = app.content().pack().manifest.id;
  if (updates)
    app.hooks.connection = [] {
      sync::SyncStatus s = client.status();
      return ConnectionState{true, s.online, date_of_unix(s.last_success)};
    };
  // Why the last update sync delivered was not switched in; shown on the staff screen.
  // Written and read on the UI thread only (end of a visit, staff screen).
  static std::string refused_update;
  app.hooks.pack_for_next_visit = [&app, pack_id]() -> std::shared_ptr<const core::Pack> {
    if (!updates || !client.status().update_pending) return nullptr;
    core::PackStore store;
    std::string error;
    if (!store.open(config->pack_store_path, &error)) {
      platform::log_error("pack update: " + error);
      return nullptr;
    }
    bool switched = !client.activate_pending(store, &error).empty();
    if (!error.empty()) platform::log_warning("pack activation: " + error);
    if (!switched) return nullptr;
    const std::string running = app.content().pack().manifest.version;
    std::shared_ptr<const core::Pack> loaded;  // what the check loaded: the app takes it
    core::UpdateCheck update = store.check_update(
        pack_id, running, [&loaded](const core::PackFiles& f) { return load_error(f, &loaded); });
    if (!update.store_error.empty()) platform::log_error("pack update: " + update.store_error);
    if (update.switch_to()) {
      refused_update.clear();
      return loaded;
    }
    if (update.version.empty()) return nullptr;
    // Checked here, not only by the app's reload, so that the store learns the version is
    // bad and goes back to the one running: the next start does not try it first.
    refused_update = pack_id + " " + update.version + " from sync does not load (" + update.reason +
                     "); still running " + running;
    platform::log_warning("pack update refused: " + refused_update);
    return nullptr;
  };
  // The hand-off to a help desk (screen_handoff.cpp) exists only where the outbox is open and
  // can take one: to the receiver with the agency's key, to an OpenRosa server once the form
  // of the running pack is known there (or its key is configured).
  const bool openrosa = sync::is_openrosa_url(config->outbox_url);
  if (outbox_open && (openrosa || !config->agency_box_public_key_hex.empty())) {
    app.hooks.can_send_handoff = [&app] {
      const auto& m = app.content().pack().manifest;
      const core::FormIdentity form = core::handoff_form(m.id, m.version);
      static std::string watched;  // UI thread only
      if (watched != form.id + " " + form.version) {
        watched = form.id + " " + form.version;
        outbox.watch_form(form);
      }
      std::string why;
      return outbox.can_take(form, &why);
    };
    app.hooks.send_handoff = [](std::string& payload, std::string* error) {
      // Called on the "Yes, send" tap: the person's explicit consent to this one item.
      return outbox.enqueue("handoff", payload, /*consent=*/true, error).has_value();
    };
    app.hooks.handoff_recipient = [] {
      const char* name = std::getenv("KIOSK_OUTBOX_NAME");
      return std::string(name ? name : "");
    };
  }
  // Anonymous counts (docs/counts.md): only where the office turned them on, and only with an
  // outbox to release them through.
  const char* counts_env = std::getenv("KIOSK_COUNTS");
  static std::unique_ptr<sync::CountsKeeper> counts;
  static int counts_k = 5;  // what the staff screen withholds too
  if (counts_env && std::string(counts_env) == "on") {
    if (!outbox_open) {
      platform::log_error(
          "anonymous counts off: KIOSK_COUNTS=on needs an outbox (KIOSK_OUTBOX_URL)");
    } else {
      core::ReleaseOptions options;
      if (const char* k = std::getenv("KIOSK_COUNTS_K")) options.k = std::max(0, std::atoi(k));
      if (const char* e = std::getenv("KIOSK_COUNTS_EPSILON")) options.epsilon = std::atof(e);
      const char* office = std::getenv("KIOSK_OFFICE");
      char host[256] = "kiosk";
      if (!office || !*office) gethostname(host, sizeof host - 1);
      counts_k = std::max(1, options.k);
      counts = std::make_unique<sync::CountsKeeper>(*config, outbox,
                                                    office && *office ? office : host, options);
      std::string counts_error;
      if (!counts->open(&counts_error)) {
        platform::log_error("anonymous counts off: " + counts_error);
        counts.reset();
      }
    }
  }
  if (counts) {
    const auto& m = app.content().pack().manifest;
    outbox.watch_form(core::counts_form(m.id, m.version));
    std::string close_error;
    const int closed = counts->close_days_before(app.today(), app.content().pack(), &close_error);
    if (closed > 0)
      platform::log_info("counts: " + std::to_string(closed) + " closed day(s) queued");
    if (!close_error.empty()) platform::log_warning("counts: " + close_error);
    app.hooks.count_visit = [&app](const core::VisitRecord& visit) {
      counts->add_visit(visit, app.content().pack(), app.today());
    };
  }
  app.hooks.staff_status = [&app] {
    sync::SyncStatus s = client.status();
    std::vector<std::string> lines;
    if (!updates)
      lines.push_back("Pack updates: not configured (no KIOSK_REPO_URL)");
    else
      lines.push_back(std::string("Sync: ") + (s.online ? "online" : "offline") +
                      ", repo version " + std::to_string(s.repo_version) +
                      (s.update_pending ? ", update waiting for the next visit" : ""));
    if (auto d = date_of_unix(s.last_success))
      lines.push_back("Last successful sync: " + d->to_string());
    if (!s.last_error.empty()) lines.push_back("Last sync error: " + s.last_error);
    if (!refused_update.empty()) lines.push_back("Pack update refused: " + refused_update);
    if (outbox_open) {
      sync::OutboxStatus o = outbox.status();
      lines.push_back("Outbox: " + o.destination + ": " + std::to_string(o.pending) + " pending, " +
                      std::to_string(o.parked) + " parked" +
                      (o.last_error.empty() ? "" : ", last error: " + o.last_error));
      const auto& m = app.content().pack().manifest;
      const core::FormIdentity form = core::handoff_form(m.id, m.version);
      std::string why;
      if (sync::is_openrosa_url(config->outbox_url) && !outbox.can_take(form, &why))
        lines.push_back("Hand-offs not offered: " + why);
      if (counts) {
        // Today's counts as they will be released: small numbers shown as "<k" here too.
        const core::DayCounts today = counts->counts_of(app.today());
        const int k = counts_k;
        auto shown = [&](const std::string& cell) {
          auto it = today.find(cell);
          const int64_t n = it == today.end() ? 0 : it->second;
          return n < k ? "<" + std::to_string(k) : std::to_string(n);
        };
        std::string line = "Anonymous counts today (released after the day closes; below " +
                           std::to_string(k) + " shown as <" + std::to_string(k) + "): visits " +
                           shown("visits") + "; completed checks:";
        std::string checks;
        for (const auto& check : app.content().pack().check_ids())
          if (shown("check:" + check)[0] != '<')
            checks += " " + check + " " + shown("check:" + check);
        lines.push_back(line + (checks.empty() ? " all <" + std::to_string(k) : checks));
        std::vector<std::pair<int64_t, std::string>> held;
        for (const auto& [cell, n] : today)
          if (cell.rfind("held:", 0) == 0 && n >= k) held.push_back({n, cell.substr(5)});
        std::sort(held.rbegin(), held.rend());
        if (!held.empty()) {
          std::string top = "Findings today:";
          for (size_t i = 0; i < held.size() && i < 5; ++i)
            top += (i ? ", " : " ") + held[i].second + " " + std::to_string(held[i].first);
          lines.push_back(top);
        }
      }
      if (config->openrosa_allow_unencrypted)
        lines.push_back(
            "Hand-offs to a form without a key wait readable in this kiosk's outbox "
            "(KIOSK_OPENROSA_ALLOW_UNENCRYPTED=1)");
    }
    return lines;
  };
#endif
}

}  // namespace kiosk::ui
