#include "sync/outbox.h"

#include <algorithm>

#include "sync/crypto.h"
#include "sync/http.h"

namespace kiosk::sync {

int64_t backoff_delay_s(int64_t attempts, int64_t base_s, int64_t cap_s) {
  int64_t ceiling = base_s;
  for (int64_t i = 0; i < attempts && ceiling < cap_s; ++i) ceiling *= 2;
  return random_uniform(std::min(ceiling, cap_s));
}

Outbox::Outbox(SyncConfig config) : config_(std::move(config)) {}

Outbox::~Outbox() {
  stop();
}

bool Outbox::open(std::string* error) {
  if (!crypto_ready()) {
    *error = "libsodium failed to initialise";
    return false;
  }
  // Staff tools open the outbox without the key: they read status, never enqueue.
  if (!config_.agency_box_public_key_hex.empty()) {
    auto key = from_hex(config_.agency_box_public_key_hex, 32);
    if (!key) {
      *error = "agency public key: expected 64 hex digits";
      return false;
    }
    agency_key_ = *key;
  }
  {
    std::lock_guard lock(db_mutex_);
    if (!db_.open(config_.state_db_path, kSyncSchema, error)) return false;
  }
  refresh_counts();
  return true;
}

std::optional<std::string> Outbox::enqueue(const std::string& kind, std::string& plaintext,
                                           bool consent, std::string* error) {
  struct WipeOnExit {
    std::string& s;
    ~WipeOnExit() { wipe(s); }
  } wipe_on_exit{plaintext};
  if (!consent) {
    *error = "no consent: the item was not queued";
    return std::nullopt;
  }
  if (plaintext.size() > kMaxOutboxPayloadBytes) {
    *error = "item too large (" + std::to_string(plaintext.size()) + " bytes; at most " +
             std::to_string(kMaxOutboxPayloadBytes) + ")";
    return std::nullopt;
  }
  if (agency_key_.empty()) {
    *error = "outbox: no agency public key configured";
    return std::nullopt;
  }
  std::string sealed = seal(plaintext, agency_key_);
  const std::string key = random_key_hex();  // created once; every retry reuses it
  const int64_t now = now_unix(config_);
  std::lock_guard lock(db_mutex_);
  if (!db_.exec("BEGIN IMMEDIATE", error)) return std::nullopt;
  Stmt count(db_.handle(), "SELECT count(*) FROM outbox");
  count.step();
  if (count.int64(0) >= config_.outbox_max_items) {
    db_.exec("ROLLBACK");
    *error =
        "outbox full (" + std::to_string(config_.outbox_max_items) + " items waiting); not queued";
    return std::nullopt;
  }
  Stmt ins(db_.handle(),
           "INSERT INTO outbox (idem_key, kind, sealed, created_at, next_attempt_at) VALUES (?, ?, "
           "?, ?, ?)");
  ins.bind(1, key).bind(2, kind).bind_blob(3, sealed).bind(4, now).bind(5, now);
  if (!ins.done() || !db_.exec("COMMIT", error)) {
    if (error->empty()) *error = "outbox: " + ins.error();
    db_.exec("ROLLBACK");
    return std::nullopt;
  }
  {
    std::lock_guard s(mutex_);
    live_.pending++;
  }
  nudge();
  return key;
}

bool Outbox::deliver_one(const Item& item, DeliveryReport* report) {
  HttpOptions o;
  o.ca_file = config_.ca_file;
  o.pinned_public_key = config_.tls_pinned_public_key;
  o.connect_timeout_s = config_.connect_timeout_s;
  o.low_speed_limit_bytes = config_.low_speed_limit_bytes;
  o.low_speed_time_s = config_.low_speed_time_s;
  o.request_timeout_s = config_.request_timeout_s > 0 ? config_.request_timeout_s : 120;
  o.cancel = &cancel_;
  HttpResponse r = http_post(config_.outbox_url, o, item.sealed,
                             {{"Idempotency-Key", item.key}, {"X-Kiosk-Item-Kind", item.kind}});
  const int64_t now = now_unix(config_);
  std::lock_guard lock(db_mutex_);
  {
    std::lock_guard s(mutex_);
    live_.online = r.status != 0;
  }
  if (r.ok()) {
    Stmt del(db_.handle(), "DELETE FROM outbox WHERE id = ?");
    del.bind(1, item.id).done();
    report->delivered++;
    std::lock_guard s(mutex_);
    live_.delivered++;
    live_.last_success = now;
    live_.last_error.clear();
    return true;
  }
  // Network errors, 408, 429 and 5xx may succeed later; any other answer (a 4xx, or a
  // redirect we do not follow) never will, and waits for staff instead of looping.
  const bool retry = r.status == 0 || r.status == 408 || r.status == 429 || r.status >= 500;
  std::string reason = r.describe();
  if (!r.body.empty() && r.status >= 400) reason += ": " + r.body.substr(0, 200);
  {
    std::lock_guard s(mutex_);
    live_.last_error = reason;
  }
  if (retry) {
    int64_t wait = backoff_delay_s(item.attempts, config_.backoff_base_s, config_.backoff_cap_s);
    if (r.retry_after_s) wait = std::max(wait, std::min(*r.retry_after_s, config_.backoff_cap_s));
    Stmt up(db_.handle(),
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_http = ?, "
            "last_error = ? WHERE id = ?");
    up.bind(1, now + wait)
        .bind(2, static_cast<int64_t>(r.status))
        .bind(3, reason)
        .bind(4, item.id)
        .done();
    report->retried++;
  } else {
    Stmt up(db_.handle(),
            "UPDATE outbox SET state = 'parked', attempts = attempts + 1, last_http = ?, "
            "last_error = ? WHERE id = ?");
    up.bind(1, static_cast<int64_t>(r.status)).bind(2, reason).bind(3, item.id).done();
    report->parked++;
  }
  return false;
}

DeliveryReport Outbox::deliver_due(int max_items) {
  DeliveryReport report;
  std::vector<Item> due;
  {
    std::lock_guard lock(db_mutex_);
    Stmt s(db_.handle(),
           "SELECT id, idem_key, kind, sealed, attempts FROM outbox "
           "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?");
    s.bind(1, now_unix(config_)).bind(2, static_cast<int64_t>(max_items));
    while (s.step()) due.push_back({s.int64(0), s.int64(4), s.text(1), s.text(2), s.blob(3)});
  }
  for (const auto& item : due) {
    if (cancel_) break;
    // A network error means the next item would fail too: stop the round, back off.
    if (!deliver_one(item, &report) && !is_online()) break;
  }
  if (!due.empty()) refresh_counts();
  return report;
}

int64_t Outbox::purge_expired() {
  if (config_.outbox_max_age_s <= 0) return 0;
  int64_t n = 0;
  {
    std::lock_guard lock(db_mutex_);
    Stmt del(db_.handle(), "DELETE FROM outbox WHERE created_at < ?");
    del.bind(1, now_unix(config_) - config_.outbox_max_age_s);
    if (!del.done()) return 0;
    n = db_.changes();
    if (n > 0) {
      int64_t total = std::stoll(get_state(db_, "outbox_purged").value_or("0")) + n;
      set_state(db_, "outbox_purged", std::to_string(total), nullptr);
    }
  }
  if (n > 0) refresh_counts();
  return n;
}

OutboxStatus Outbox::status() {
  std::lock_guard s(mutex_);
  return live_;
}

void Outbox::refresh_counts() {
  int64_t pending = 0, parked = 0, purged = 0;
  std::string last_error;
  {
    std::lock_guard lock(db_mutex_);
    Stmt s(db_.handle(), "SELECT state, count(*) FROM outbox GROUP BY state");
    while (s.step()) (s.text(0) == "parked" ? parked : pending) = s.int64(1);
    purged = std::stoll(get_state(db_, "outbox_purged").value_or("0"));
    Stmt e(db_.handle(),
           "SELECT last_error FROM outbox WHERE last_error IS NOT NULL "
           "ORDER BY next_attempt_at DESC LIMIT 1");
    if (e.step()) last_error = e.text(0);
  }
  std::lock_guard s(mutex_);
  live_.pending = pending;
  live_.parked = parked;
  live_.purged = purged;
  if (live_.last_error.empty()) live_.last_error = last_error;
}

std::vector<ParkedItem> Outbox::parked() {
  std::vector<ParkedItem> out;
  std::lock_guard lock(db_mutex_);
  Stmt s(db_.handle(),
         "SELECT idem_key, kind, created_at, coalesce(last_http, 0), coalesce(last_error, '') "
         "FROM outbox WHERE state = 'parked' ORDER BY created_at, id");
  while (s.step()) out.push_back({s.text(0), s.text(1), s.int64(2), s.int64(3), s.text(4)});
  return out;
}

bool Outbox::requeue_parked(const std::string& key, std::string* error) {
  bool ok = false;
  {
    std::lock_guard lock(db_mutex_);
    Stmt s(db_.handle(),
           "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ? "
           "WHERE idem_key = ? AND state = 'parked'");
    s.bind(1, now_unix(config_)).bind(2, key);
    ok = s.done() && db_.changes() == 1;
  }
  if (!ok) *error = "no parked item with key " + key;
  refresh_counts();
  if (ok) nudge();
  return ok;
}

bool Outbox::discard_parked(const std::string& key, std::string* error) {
  bool ok = false;
  {
    std::lock_guard lock(db_mutex_);
    Stmt s(db_.handle(), "DELETE FROM outbox WHERE idem_key = ? AND state = 'parked'");
    s.bind(1, key);
    ok = s.done() && db_.changes() == 1;
  }
  if (!ok) *error = "no parked item with key " + key;
  refresh_counts();
  return ok;
}

bool Outbox::is_online() {
  std::lock_guard s(mutex_);
  return live_.online;
}

int64_t Outbox::seconds_until_next_due() {
  std::lock_guard lock(db_mutex_);
  Stmt s(db_.handle(), "SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'");
  if (!s.step() || s.is_null(0)) return 3600;
  return std::max<int64_t>(0, s.int64(0) - now_unix(config_));
}

void Outbox::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  cancel_ = false;
  thread_ = std::thread([this] { worker(); });
}

void Outbox::nudge() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  wake_.notify_all();
}

void Outbox::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cancel_ = true;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void Outbox::worker() {
  for (;;) {
    purge_expired();
    DeliveryReport r = deliver_due();
    int64_t wait = (r.delivered + r.parked) > 0 ? 0 : seconds_until_next_due();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::seconds(wait), [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace kiosk::sync
