// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/outbox.h"

#include <algorithm>

#include "core/handoff.h"
#include "sync/crypto.h"
#include "sync/form_crypto.h"
#include "sync/http.h"
#include "sync/openrosa.h"

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
  openrosa_ = is_openrosa_url(config_.outbox_url);
  if (openrosa_) {
    auto base = openrosa_base_url(config_.outbox_url, error);
    if (!base) return false;
    openrosa_base_ = *base;
    if (!config_.openrosa_form_key.empty() &&
        !check_form_public_key(config_.openrosa_form_key, error)) {
      *error = "KIOSK_OPENROSA_FORM_KEY: " + *error;
      return false;
    }
  }
  // Staff tools open the outbox without the key: they read status, never enqueue.
  if (!openrosa_ && !config_.agency_box_public_key_hex.empty()) {
    auto key = from_hex(config_.agency_box_public_key_hex, 32);
    if (!key) {
      *error = "agency public key: expected 64 hex digits";
      return false;
    }
    agency_key_ = *key;
  }
  {
    std::lock_guard lock(db_mutex_);
    if (!db_.open(config_.state_db_path, kSyncSchema, error) || !migrate_sync_schema(db_, error))
      return false;
    Stmt s(db_.handle(),
           "SELECT form_id, version, hash, public_key, checked_at FROM openrosa_forms");
    std::lock_guard st(mutex_);
    while (s.step()) forms_[s.text(0)] = {s.text(1), s.text(2), s.text(3), s.int64(4)};
  }
  {
    std::lock_guard st(mutex_);
    live_.destination = redact_url(config_.outbox_url);
  }
  if (openrosa_) requeue_after_new_credentials();
  refresh_counts();
  return true;
}

// Items parked because the server refused the credentials go out again once the kiosk starts
// with other credentials: staff mend kiosk.env and restart, nothing else.
void Outbox::requeue_after_new_credentials() {
  const std::string fingerprint = sha256_hex(config_.outbox_url + "\n" + config_.outbox_username +
                                             "\n" + config_.outbox_password);
  std::lock_guard lock(db_mutex_);
  auto old = get_state(db_, "outbox_credentials");
  if (old == fingerprint) return;
  if (old) {
    Stmt s(db_.handle(),
           "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ? "
           "WHERE state = 'parked' AND last_http IN (401, 403)");
    s.bind(1, now_unix(config_)).done();
  }
  set_state(db_, "outbox_credentials", fingerprint, nullptr);
}

std::optional<std::string> Outbox::enqueue(const std::string& kind, std::string& plaintext,
                                           bool consent, std::string* error,
                                           const InSameTransaction& also) {
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
  const std::string key = random_key_hex();  // created once; every retry reuses it
  auto stored = store_for_destination(kind, key, plaintext, error);
  if (!stored) return std::nullopt;
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
  Stmt ins(
      db_.handle(),
      "INSERT INTO outbox (idem_key, kind, sealed, created_at, next_attempt_at, dest, form_id, "
      "form_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, key).bind(2, kind).bind_blob(3, stored->body).bind(4, now).bind(5, now);
  ins.bind(6, stored->dest);
  if (stored->form_id.empty())
    ins.bind_null(7).bind_null(8);
  else
    ins.bind(7, stored->form_id).bind(8, stored->form_version);
  if (!ins.done() || (also && !also(db_, error)) || !db_.exec("COMMIT", error)) {
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

std::optional<Outbox::Stored> Outbox::store_for_destination(const std::string& kind,
                                                            const std::string& key,
                                                            std::string& plaintext,
                                                            std::string* error) {
  if (openrosa_) return openrosa_submission(kind, key, plaintext, error);
  if (agency_key_.empty()) {
    *error = "outbox: no agency public key configured";
    return std::nullopt;
  }
  return Stored{"box", seal(plaintext, agency_key_), "", ""};
}

namespace {

// The form version without ODK Central's "[encrypted:...]" suffix.
std::string base_version(const std::string& v) {
  auto at = v.find("[encrypted:");
  return at == std::string::npos ? v : v.substr(0, at);
}

// "2026.11.27-1" -> ("2026.11.27", "1"): the pack version and the form layout.
std::pair<std::string, std::string> split_form_version(const std::string& v) {
  const std::string b = base_version(v);
  auto dash = b.rfind('-');
  if (dash == std::string::npos) return {b, ""};
  return {b.substr(0, dash), b.substr(dash + 1)};
}

}  // namespace

bool Outbox::can_take(const core::FormIdentity& form, std::string* why, bool personal) {
  if (!openrosa_) return true;
  std::lock_guard lock(mutex_);
  auto it = forms_.find(form.id);
  if (it != forms_.end() && base_version(it->second.version) == form.version) {
    if (!it->second.public_key.empty() || config_.openrosa_allow_unencrypted || !personal)
      return true;
    *why = "form " + form.id +
           " on the server has no encryption key (base64RsaPublicKey): turn "
           "on encryption for it (ODK Central: project encryption; KoboToolbox: the form's "
           "public key), or set KIOSK_OPENROSA_ALLOW_UNENCRYPTED=1 to let hand-offs wait "
           "readable in this kiosk's outbox";
    return false;
  }
  if (!config_.openrosa_form_key.empty() && personal) return true;
  *why = it == forms_.end()
             ? "form " + form.id + " version " + form.version +
                   " has not been read from the server yet (the kiosk reads it when online; "
                   "or set KIOSK_OPENROSA_FORM_KEY to take hand-offs before that)"
             : "the server holds form " + form.id + " version " + it->second.version +
                   ", not the version " + form.version +
                   " of this kiosk's pack: upload the "
                   "output of `kioskctl form export` for this pack version";
  return false;
}

void Outbox::watch_form(const core::FormIdentity& form) {
  {
    std::lock_guard lock(mutex_);
    auto [it, added] = watched_.try_emplace(form.id, form.version);
    // A form newly watched (or a new pack's version of it) is read at the next chance, not at
    // the next hourly read of the others.
    if (added || it->second != form.version) watched_changed_ = true;
    it->second = form.version;
  }
  nudge();
}

std::optional<Outbox::Stored> Outbox::openrosa_submission(const std::string& kind,
                                                          const std::string& key,
                                                          const std::string& plaintext,
                                                          std::string* error) {
  // The item becomes the instance of its kind's form: a hand-off, or a day's anonymous counts.
  core::FormIdentity form;
  std::function<std::string(const std::string& version)> instance;
  std::optional<core::Handoff> handoff;
  std::optional<core::CountsRelease> counts;
  const std::string instance_id = core::instance_id_from_key(key);
  if (kind == "handoff") {
    handoff = core::parse_handoff_json(plaintext, error);
    if (!handoff) return *error = "outbox: not a hand-off: " + *error, std::nullopt;
    form = core::handoff_form(handoff->pack_id, handoff->pack_version);
    instance = [&](const std::string& v) {
      return core::handoff_instance_xml(*handoff, v, instance_id);
    };
  } else if (kind == "counts") {
    counts = core::parse_counts_json(plaintext, error);
    if (!counts) return *error = "outbox: not a counts release: " + *error, std::nullopt;
    form = core::counts_form(counts->pack_id, counts->pack_version);
    instance = [&](const std::string& v) {
      return core::counts_instance_xml(*counts, v, instance_id);
    };
  } else {
    *error = "outbox: an OpenRosa server takes hand-offs and counts, not items of kind " + kind;
    return std::nullopt;
  }
  struct WipeOnExit {
    std::optional<core::Handoff>& h;
    ~WipeOnExit() {
      if (h) core::wipe_handoff(*h);
    }
  } wipe_handoff{handoff};
  std::string why;
  if (!can_take(form, &why, /*personal=*/kind == "handoff")) {
    *error = "outbox: " + why;
    return std::nullopt;
  }
  // The version the server holds (with Central's encryption suffix) and its key; before the
  // server was ever read, the configured key and the kiosk's own version.
  std::string version = form.version, public_key = config_.openrosa_form_key;
  {
    std::lock_guard lock(mutex_);
    if (auto it = forms_.find(form.id);
        it != forms_.end() && base_version(it->second.version) == form.version) {
      version = it->second.version;
      public_key = it->second.public_key;
    }
  }
  std::string xml = instance(version);
  std::vector<FormPart> parts;
  if (public_key.empty()) {
    parts.push_back({"xml_submission_file", "submission.xml", "text/xml", xml});
  } else {
    auto enc = encrypt_submission(xml, form.id, version, instance_id, public_key, error);
    if (!enc) {
      wipe(xml);
      return std::nullopt;
    }
    parts.push_back({"xml_submission_file", "submission.xml", "text/xml", enc->manifest_xml});
    parts.push_back({"submission.xml.enc", "submission.xml.enc", "application/octet-stream",
                     enc->encrypted_xml});
  }
  wipe(xml);
  std::string body = encode_parts(parts);
  for (auto& p : parts) wipe(p.data);
  return Stored{"openrosa", std::move(body), form.id, version};
}

HttpOptions Outbox::http_options() const {
  HttpOptions o;
  o.ca_file = config_.ca_file;
  o.pinned_public_key = config_.tls_pinned_public_key;
  o.connect_timeout_s = config_.connect_timeout_s;
  o.low_speed_limit_bytes = config_.low_speed_limit_bytes;
  o.low_speed_time_s = config_.low_speed_time_s;
  o.request_timeout_s = config_.request_timeout_s > 0 ? config_.request_timeout_s : 120;
  o.username = config_.outbox_username;
  o.password = config_.outbox_password;
  o.cancel = &cancel_;
  return o;
}

// Records what an answer means for the item: delivered (gone from the outbox), retried later
// with backoff, or parked for staff. `reason` is for staff and the log; never a payload.
void Outbox::finish_item(const Item& item, SubmitVerdict verdict, const HttpResponse& r,
                         const std::string& reason, DeliveryReport* report) {
  const int64_t now = now_unix(config_);
  std::lock_guard lock(db_mutex_);
  if (verdict == SubmitVerdict::Delivered) {
    Stmt del(db_.handle(), "DELETE FROM outbox WHERE id = ?");
    del.bind(1, item.id).done();
    report->delivered++;
    std::lock_guard s(mutex_);
    live_.delivered++;
    live_.last_success = now;
    live_.last_error.clear();
    return;
  }
  {
    std::lock_guard s(mutex_);
    live_.last_error = reason;
  }
  if (verdict == SubmitVerdict::Retry) {
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
}

bool Outbox::deliver_one(const Item& item, DeliveryReport* report) {
  HttpOptions o = http_options();
  o.username.clear();  // the reference receiver takes no credentials
  HttpResponse r = http_post(config_.outbox_url, o, item.sealed,
                             {{"Idempotency-Key", item.key}, {"X-Kiosk-Item-Kind", item.kind}});
  set_online(r.status != 0);
  // Network errors, 408, 429 and 5xx may succeed later; any other answer (a 4xx, or a
  // redirect we do not follow) never will, and waits for staff instead of looping.
  SubmitVerdict verdict = r.ok() ? SubmitVerdict::Delivered
                          : (r.status == 0 || r.status == 408 || r.status == 429 || r.status >= 500)
                              ? SubmitVerdict::Retry
                              : SubmitVerdict::Park;
  std::string reason = r.describe();
  if (!r.body.empty() && r.status >= 400) reason += ": " + r.body.substr(0, 200);
  finish_item(item, verdict, r, reason, report);
  return verdict == SubmitVerdict::Delivered;
}

// The form list says which version of the form the server holds and, through the definition,
// its encryption key. Cached in openrosa_forms; read again after form_check_interval_s, or
// when an item needs a version the cache does not show. Returns false on a network or
// server error (then *error says it).
bool Outbox::refresh_form(HttpSession& session, const std::string& form_id, std::string* error) {
  const RequestHeaders headers = openrosa_headers(now_unix(config_));
  HttpResponse list = session.get(openrosa_base_ + "/formList?formID=" + form_id, headers, 4 << 20);
  if (!list.ok()) {
    *error = "form list: " + list.describe() +
             (list.status >= 400 ? ": " + server_message(list.body) : "");
    return false;
  }
  auto entries = parse_form_list(list.body, error);
  if (!entries) return false;
  const FormListEntry* entry = nullptr;
  for (const auto& e : *entries)
    if (e.form_id == form_id) entry = &e;
  const int64_t now = now_unix(config_);
  ServerForm form;
  {
    std::lock_guard lock(mutex_);
    if (auto it = forms_.find(form_id); it != forms_.end()) form = it->second;
  }
  if (!entry) {  // not (or no longer) on the server, or not open to this user
    std::lock_guard dbl(db_mutex_);
    Stmt del(db_.handle(), "DELETE FROM openrosa_forms WHERE form_id = ?");
    del.bind(1, form_id).done();
    std::lock_guard lock(mutex_);
    forms_.erase(form_id);
    return true;
  }
  if (entry->version != form.version || entry->hash != form.hash || form.checked_at == 0) {
    if (entry->download_url.empty()) {
      *error = "form list: no downloadUrl for form " + form_id;
      return false;
    }
    HttpResponse def = session.get(entry->download_url, headers, 64 << 20);
    if (!def.ok()) {
      *error = "form " + form_id + ": " + def.describe();
      return false;
    }
    auto parsed = parse_form_definition(def.body, error);
    if (!parsed) return false;
    if (!parsed->public_key.empty() && !check_form_public_key(parsed->public_key, error)) {
      *error = "form " + form_id + " on the server: " + *error;
      return false;
    }
    form.version = entry->version;
    form.hash = entry->hash;
    form.public_key = parsed->public_key;
  }
  form.checked_at = now;
  std::lock_guard dbl(db_mutex_);
  Stmt up(
      db_.handle(),
      "INSERT INTO openrosa_forms (form_id, version, hash, public_key, checked_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (form_id) DO UPDATE SET version = excluded.version, "
      "hash = excluded.hash, public_key = excluded.public_key, checked_at = excluded.checked_at");
  up.bind(1, form_id)
      .bind(2, form.version)
      .bind(3, form.hash)
      .bind(4, form.public_key)
      .bind(5, now);
  up.done();
  std::lock_guard lock(mutex_);
  forms_[form_id] = form;
  return true;
}

std::string Outbox::check_server_form(HttpSession& session, const Item& item) {
  const int64_t now = now_unix(config_);
  auto cached = [&]() -> std::optional<ServerForm> {
    std::lock_guard lock(mutex_);
    auto it = forms_.find(item.form_id);
    if (it == forms_.end()) return std::nullopt;
    return it->second;
  };
  auto form = cached();
  const bool stale = !form || now - form->checked_at >= config_.form_check_interval_s ||
                     base_version(form->version) != base_version(item.form_version);
  if (stale) {
    std::string error;
    if (!refresh_form(session, item.form_id, &error)) return error;
    form = cached();
  }
  const std::string want = base_version(item.form_version);
  if (!form)
    return "form " + item.form_id +
           " is not on the server (or this kiosk's user may not submit "
           "to it): upload the output of `kioskctl form export` for pack version " +
           split_form_version(want).first + " and publish it; items wait until then";
  if (base_version(form->version) == want) return "";
  // The server moved on to a newer version of the same form: it may still take submissions to
  // this one (ODK Central accepts every published version); a server that does not says 404
  // and the item waits with that answer.
  auto [server_pack, server_layout] = split_form_version(form->version);
  auto [item_pack, item_layout] = split_form_version(want);
  const int order = core::compare_versions(server_pack, item_pack);
  if (order > 0 || (order == 0 && core::compare_versions(server_layout, item_layout) > 0))
    return "";
  return "the server holds form " + item.form_id + " version " + form->version +
         ", and this item needs version " + want +
         ": upload the output of `kioskctl form export` for pack version " + item_pack +
         " and publish it; items wait until then";
}

void Outbox::deliver_openrosa(const std::vector<Item>& due, DeliveryReport* report) {
  HttpOptions options = http_options();
  auto session = std::make_unique<HttpSession>(options);
  const std::string submission_url = openrosa_base_ + "/submission";
  // OpenRosa's preflight: HEAD answers 204 with the size the server takes, and is where a
  // server asks for Digest or Basic credentials before any item is sent.
  HttpResponse head = session->head(submission_url, openrosa_headers(now_unix(config_)));
  set_online(head.status != 0);
  const bool loopback = openrosa_base_.rfind("http://127.0.0.1", 0) == 0 ||
                        openrosa_base_.rfind("http://localhost", 0) == 0;
  if (head.status == 401 && !options.username.empty() && !head.headers.count("www-authenticate") &&
      (openrosa_base_.rfind("https://", 0) == 0 || loopback)) {
    // ODK Central answers 401 without naming a scheme: it takes Basic on every request.
    options.auth = HttpAuth::PreemptiveBasic;
    session = std::make_unique<HttpSession>(options);
    head = session->head(submission_url, openrosa_headers(now_unix(config_)));
  }
  // "check that the response contains the X-OpenRosa-Version header to indicate that the host
  // is an OpenRosa server (as opposed to a network login screen or proxy page)" (the spec).
  const bool openrosa_answered = head.ok() && head.headers.count("x-openrosa-version");
  if (!openrosa_answered) {
    // Every item would get the same answer: one request decides for the round.
    SubmitOutcome o =
        classify_submission_answer(head, due.front().form_id, due.front().form_version);
    if (head.ok())
      o = {SubmitVerdict::Retry, head.describe() +
                                     " without an X-OpenRosa-Version header: not an "
                                     "OpenRosa server (a Wi-Fi login page or a "
                                     "proxy?); items wait"};
    else if (head.status == 404)
      o = {SubmitVerdict::Retry, head.describe() + ": no OpenRosa server at " +
                                     redact_url(submission_url) + ": check KIOSK_OUTBOX_URL"};
    for (const Item& item : due)
      finish_item(item, o.verdict, head, "HEAD /submission: " + o.reason, report);
    return;
  }
  const std::optional<int64_t> limit = accepted_content_length(head);
  auto send = [&](const std::vector<Item>& items) {
    for (const Item& item : items) {
      if (cancel_ || !send_openrosa_item(*session, item, head, limit, report)) break;
    }
  };
  send(due);
  // The server takes items again (after an outage): what still waits for its backoff goes now,
  // in this round and over this connection, instead of trickling in over the next hour with a
  // HEAD each. Not when the server asked to slow down (an item retried).
  if (report->delivered > 0 && report->retried == 0 && !cancel_)
    send(pending_items(/*due_only=*/false, 100));
}

// One item of an OpenRosa round; false when the network is gone (the round ends).
bool Outbox::send_openrosa_item(HttpSession& session, const Item& item, const HttpResponse& head,
                                std::optional<int64_t> limit, DeliveryReport* report) {
  if (item.dest != "openrosa") {
    finish_item(item, SubmitVerdict::Park, head,
                "queued for the kiosk receiver (sealed to KIOSK_AGENCY_KEY), but the outbox now "
                "delivers to an OpenRosa server, which cannot read it: point KIOSK_OUTBOX_URL "
                "back at the receiver to deliver it, or discard it",
                report);
    return true;
  }
  auto parts = decode_parts(item.sealed);
  if (!parts) {
    finish_item(item, SubmitVerdict::Park, head, "damaged item: its stored parts do not decode",
                report);
    return true;
  }
  int64_t size = 0;
  for (const auto& p : *parts) size += static_cast<int64_t>(p.data.size());
  if (limit && size > *limit) {
    finish_item(item, SubmitVerdict::Park, head,
                "the item has " + std::to_string(size) + " bytes; the server takes at most " +
                    std::to_string(*limit),
                report);
    return true;
  }
  if (std::string why = check_server_form(session, item); !why.empty()) {
    finish_item(item, SubmitVerdict::Retry, HttpResponse{}, why, report);
    return true;
  }
  HttpResponse r = session.post_form(openrosa_base_ + "/submission",
                                     openrosa_headers(now_unix(config_)), *parts);
  set_online(r.status != 0);
  SubmitOutcome o = classify_submission_answer(r, item.form_id, item.form_version);
  finish_item(item, o.verdict, r, o.reason, report);
  return r.status != 0;  // the network is gone: the next item would fail too
}

std::vector<Outbox::Item> Outbox::pending_items(bool due_only, int max_items) {
  std::vector<Item> items;
  std::lock_guard lock(db_mutex_);
  Stmt s(db_.handle(),
         "SELECT id, idem_key, kind, sealed, attempts, dest, coalesce(form_id, ''), "
         "coalesce(form_version, '') FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
         "ORDER BY next_attempt_at, id LIMIT ?");
  s.bind(1, due_only ? now_unix(config_) : INT64_MAX).bind(2, static_cast<int64_t>(max_items));
  while (s.step())
    items.push_back(
        {s.int64(0), s.int64(4), s.text(1), s.text(2), s.blob(3), s.text(5), s.text(6), s.text(7)});
  return items;
}

void Outbox::deliver_items(const std::vector<Item>& items, DeliveryReport* report) {
  if (openrosa_) return deliver_openrosa(items, report);
  for (const auto& item : items) {
    if (cancel_) break;
    if (item.dest != "box") {
      finish_item(item, SubmitVerdict::Park, HttpResponse{},
                  "queued for an OpenRosa server (form " + item.form_id +
                      "), but the outbox now delivers to the kiosk receiver: point "
                      "KIOSK_OUTBOX_URL back at the OpenRosa server to deliver it",
                  report);
      continue;
    }
    // A network error means the next item would fail too: stop the round, back off.
    if (!deliver_one(item, report) && !is_online()) break;
  }
}

DeliveryReport Outbox::deliver_due(int max_items) {
  DeliveryReport report;
  std::vector<Item> due = pending_items(/*due_only=*/true, max_items);
  if (!due.empty()) deliver_items(due, &report);
  // The receiver takes items again (after an outage): what still waits for its backoff goes
  // now (OpenRosa rounds do the same over their own connection, in deliver_openrosa). Not when
  // the server asked to slow down (any item retried this round).
  if (!openrosa_ && report.delivered > 0 && report.retried == 0 && !cancel_) {
    std::vector<Item> waiting = pending_items(/*due_only=*/false, max_items);
    if (!waiting.empty()) deliver_items(waiting, &report);
  }
  if (!due.empty()) refresh_counts();
  return report;
}

// The worker reads the forms the kiosk watches (its pack's) when they are stale, even with no
// item waiting: a hand-off can then be encrypted at once, offline too.
void Outbox::refresh_watched_forms() {
  const int64_t now = now_unix(config_);
  if (!openrosa_) return;
  std::map<std::string, std::string> watched;
  {
    std::lock_guard lock(mutex_);
    if (now < next_form_refresh_ && !watched_changed_) return;
    if (watched_changed_) next_form_refresh_ = 0;  // as at start: cached forms are not asked
    watched_changed_ = false;
    watched = watched_;
  }
  if (watched.empty()) return;
  const int64_t interval = config_.form_check_interval_s;
  // Jittered, so that kiosks started together (after a power cut) do not ask together.
  auto jittered = [&](int64_t from) {
    return from + interval - random_uniform(std::max<int64_t>(1, interval / 4));
  };
  // Read within the interval (before a restart, say): nothing to ask yet. A thousand kiosks
  // coming back from a power cut then do not all fetch their forms at once.
  bool known = true, fresh = true;
  int64_t oldest = now;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, version] : watched) {
      auto it = forms_.find(id);
      if (it == forms_.end() || base_version(it->second.version) != version) {
        known = fresh = false;
        break;
      }
      fresh = fresh && now - it->second.checked_at < interval;
      oldest = std::min(oldest, it->second.checked_at);
    }
  }
  if (fresh) {
    next_form_refresh_ = jittered(oldest);
    return;
  }
  // Known but stale at start (back after a long outage): still usable, read again within a
  // quarter of the interval, at a random moment rather than together with every other kiosk.
  if (known && next_form_refresh_ == 0) {
    next_form_refresh_ = now + 1 + random_uniform(std::max<int64_t>(1, interval / 4));
    return;
  }
  HttpSession session(http_options());
  bool all_ok = true;
  for (const auto& [id, version] : watched) {
    std::string error;
    if (!refresh_form(session, id, &error)) {
      all_ok = false;
      std::lock_guard lock(mutex_);
      live_.last_error = error;
    }
  }
  if (all_ok) {
    form_refresh_failures_ = 0;
    next_form_refresh_ = jittered(now);
  } else {  // offline at start, say: soon again, then less and less often
    next_form_refresh_ =
        now + config_.backoff_base_s +
        backoff_delay_s(form_refresh_failures_++, config_.backoff_base_s, config_.backoff_cap_s);
  }
}

int64_t Outbox::seconds_until_next_work() {
  int64_t wait = seconds_until_next_due();
  if (openrosa_) {
    bool watching = false;
    {
      std::lock_guard lock(mutex_);
      watching = !watched_.empty();
    }
    if (watching)
      wait = std::min(wait, std::max<int64_t>(0, next_form_refresh_ - now_unix(config_)));
  }
  return wait;
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

int64_t Outbox::requeue_all_parked() {
  int64_t n = 0;
  {
    std::lock_guard lock(db_mutex_);
    Stmt s(db_.handle(),
           "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ? "
           "WHERE state = 'parked'");
    s.bind(1, now_unix(config_));
    if (s.done()) n = db_.changes();
  }
  refresh_counts();
  if (n > 0) nudge();
  return n;
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

void Outbox::set_online(bool online) {
  std::lock_guard s(mutex_);
  live_.online = online;
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
    refresh_watched_forms();
    DeliveryReport r = deliver_due();
    int64_t wait = (r.delivered + r.parked) > 0 ? 0 : seconds_until_next_work();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::seconds(wait), [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace kiosk::sync
