// SPDX-License-Identifier: GPL-3.0-or-later
// openrosa_scale [kiosks=1000] [outage_hours=24] [handoffs_per_kiosk=3] [power_cut=0|1]
//
// N kiosks and one OpenRosa server (the loopback server of the tests, answering as ODK Central
// does) through a long outage, in simulated time: every kiosk is a real sync::Outbox with its own
// SQLite state, its clock is the simulation's, and each wakes exactly when its worker thread would
// (Outbox::seconds_until_next_work). The server is down for the outage while visitors queue
// hand-offs at random moments; then it comes back (power_cut=1: every kiosk also restarts at that
// moment, as after a power cut in the whole district). Printed: requests the kiosks tried during
// the outage, then after recovery the peak requests per simulated second (and per minute) the
// server received, and how long until every hand-off was delivered. Real requests reach the
// server; only the time between them is simulated.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "core/handoff.h"
#include "core/result_messages.h"
#include "core/xform.h"
#include "sync/form_crypto.h"
#include "sync/outbox.h"
#include "tests/sync/openrosa_server.h"
#include "tests/sync/test_support.h"

namespace fs = std::filesystem;
using namespace kiosk;

namespace {

std::string demo_form() {
  std::string error;
  auto files =
      core::read_pack_dir(fs::path(KIOSK_SOURCE_DIR) / "assets/packs/jp-residence", &error);
  auto pack = core::load_pack(*files).pack;
  core::Localizer labels(pack->manifest.base_language);
  core::add_pack_catalogues(*pack, labels);
  return core::export_handoff_xform(*pack, labels);
}

std::string handoff_json(std::mt19937& rng) {
  static const char* kAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  core::Handoff h;
  for (int i = 0; i < 9; ++i) h.code += i == 4 ? '-' : kAlphabet[rng() % 32];
  h.pack_id = "jp.residence";
  h.pack_version = "2026.11.27";
  h.procedure_id = "extension";
  h.language = "ne";
  h.office_language = "ja";
  h.date = *core::Date::from_ymd(2026, 11, 27);
  h.checklist_user = "बसाइ अवधि थप्नुहोस्\n! रोजगारदाताको कर्तव्य हो — तपाईंको रोजगारदाता";
  h.checklist_office = "在留期間の更新\n! 会社の義務です — あなたの会社";
  h.findings = {{"ext-insurance", core::Outcome::Action, core::Responsible::Employer, {}, false}};
  return core::handoff_json(h);
}

struct Event {
  int64_t at;
  int kiosk;
  bool enqueue;  // else: the worker wakes
  bool operator>(const Event& o) const { return at > o.at; }
};

}  // namespace

int main(int argc, char** argv) {
  const int kiosks = argc > 1 ? std::atoi(argv[1]) : 1000;
  const int64_t outage_s = (argc > 2 ? std::atoll(argv[2]) : 24) * 3600;
  const int per_kiosk = argc > 3 ? std::atoi(argv[3]) : 3;
  const bool power_cut = argc > 4 && std::atoi(argv[4]) != 0;
  std::mt19937 rng(20261203);

  const fs::path dir = fs::exists("/dev/shm") ? fs::path("/dev/shm") / "openrosa_scale"
                                              : fs::temp_directory_path() / "openrosa_scale";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string error;
  sync::test::OpenRosaServer server;
  if (!server.start(&error)) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
  auto pair = sync::make_form_key_pair(&error);
  server.publish(demo_form(), pair->public_base64, /*encrypt_as_central=*/true);
  const core::FormIdentity form = core::handoff_form("jp.residence", "2026.11.27");

  int64_t now = 1'800'000'000;  // simulated Unix seconds
  sync::SyncConfig base;
  base.outbox_url = server.outbox_url();
  base.connect_timeout_s = 2;
  base.clock = [&now] { return now; };
  std::vector<std::unique_ptr<sync::Outbox>> box(kiosks);
  auto open = [&](int i) {
    sync::SyncConfig c = base;
    c.state_db_path = (dir / ("kiosk" + std::to_string(i) + ".db")).string();
    box[i] = std::make_unique<sync::Outbox>(c);
    if (!box[i]->open(&error))
      std::fprintf(stderr, "kiosk %d: %s\n", i, error.c_str()), std::exit(1);
    box[i]->watch_form(form);
  };
  // Installed and online once, at moments spread over the day before (they read the form).
  for (int i = 0; i < kiosks; ++i) {
    open(i);
    box[i]->refresh_watched_forms();
  }
  const int64_t outage_start = now + 3600, recovery = outage_start + outage_s;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events;
  // One worker per kiosk: a wake that is not the kiosk's latest scheduled one is stale (a nudge
  // moved it earlier), as a condition variable's wait ends once.
  std::vector<int64_t> scheduled(kiosks);
  auto wake = [&](int i, int64_t at) {
    scheduled[i] = at;
    events.push({at, i, false});
  };
  for (int i = 0; i < kiosks; ++i) {
    wake(i, now + static_cast<int64_t>(rng() % 3600));
    for (int k = 0; k < per_kiosk; ++k)
      events.push({outage_start + static_cast<int64_t>(rng() % outage_s), i, true});
  }

  int64_t tried_in_outage = 0, queued = 0, delivered = 0;
  std::map<int64_t, int> per_second;  // simulated second after recovery -> server requests
  size_t logged = 0;
  bool down = false, restarted = false;
  int64_t last_delivery = 0;
  const auto wall_start = std::chrono::steady_clock::now();
  const int64_t end = recovery + 6 * 3600;
  while (!events.empty() && events.top().at <= end) {
    Event e = events.top();
    events.pop();
    now = e.at;
    if (!down && now >= outage_start && now < recovery) {
      server.stop();
      down = true;
    }
    if (down && now >= recovery) {
      if (!server.start(&error)) return std::fprintf(stderr, "%s\n", error.c_str()), 1;
      down = false;
      logged = server.log_size();
    }
    if (power_cut && !restarted && now >= recovery) {
      restarted = true;  // every kiosk starts again: its worker runs at once
      for (int i = 0; i < kiosks; ++i) {
        box[i].reset();
        open(i);
        wake(i, now);
      }
    }
    sync::Outbox& k = *box[e.kiosk];
    if (e.enqueue) {
      std::string json = handoff_json(rng);
      if (!k.enqueue("handoff", json, true, &error))
        return std::fprintf(stderr, "enqueue: %s\n", error.c_str()), 1;
      ++queued;
      wake(e.kiosk, now);  // enqueue nudges the worker
      continue;
    }
    if (e.at != scheduled[e.kiosk]) continue;
    k.refresh_watched_forms();
    sync::DeliveryReport r = k.deliver_due(100);
    delivered += r.delivered;
    if (r.delivered > 0) last_delivery = now;
    if (down && (r.retried + r.parked + r.delivered) > 0) ++tried_in_outage;
    if (!down && now >= recovery) {
      const size_t n = server.log_size();
      if (n > logged) per_second[now - recovery] += static_cast<int>(n - logged);
      logged = n;
    }
    const int64_t wait = (r.delivered + r.parked) > 0 ? 0 : k.seconds_until_next_work();
    wake(e.kiosk, now + std::max<int64_t>(1, wait));
    if (delivered == queued && queued == static_cast<int64_t>(kiosks) * per_kiosk && now > recovery)
      break;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  int peak_second = 0, peak_at = 0, total = 0;
  std::map<int64_t, int> per_minute;
  for (auto [s, n] : per_second) {
    total += n;
    per_minute[s / 60] += n;
    if (n > peak_second) peak_second = n, peak_at = static_cast<int>(s);
  }
  int peak_minute = 0;
  for (auto [m, n] : per_minute) peak_minute = std::max(peak_minute, n);
  int parked = 0;
  for (auto& b : box) parked += static_cast<int>(b->status().parked);
  std::printf("kiosks %d, outage %lld h, %d hand-offs per kiosk, %s\n", kiosks,
              static_cast<long long>(outage_s / 3600), per_kiosk,
              power_cut ? "every kiosk restarts at recovery (power cut)" : "kiosks stay up");
  std::printf("outage: %lld delivery rounds tried by all kiosks (%.1f per kiosk per hour)\n",
              static_cast<long long>(tried_in_outage),
              static_cast<double>(tried_in_outage) / kiosks / (outage_s / 3600.0));
  std::printf(
      "after recovery: %d requests to the server; peak %d requests in one second (%d s "
      "after recovery), peak %d in one minute (%.1f/s)\n",
      total, peak_second, peak_at, peak_minute, peak_minute / 60.0);
  std::printf(
      "delivered %lld of %lld hand-offs (%d parked); the last %.0f min after recovery; "
      "%.2f requests per hand-off\n",
      static_cast<long long>(delivered), static_cast<long long>(queued), parked,
      (last_delivery - recovery) / 60.0, delivered ? double(total) / delivered : 0.0);
  std::printf("wall time %.1f s\n", wall);
  fs::remove_all(dir);
  return delivered == queued ? 0 : 1;
}
