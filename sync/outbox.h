// SPDX-License-Identifier: GPL-3.0-or-later
// Outbox: store-and-forward of items the user consented to send (docs/sync-protocol.md).
//
// enqueue() refuses without consent, creates the idempotency key once, turns the payload at
// once into what only the agency can read, and wipes the plaintext:
//  - to the reference receiver: a sealed box to the agency's X25519 key (crypto_box_seal);
//  - to an OpenRosa server (ODK Central, KoboToolbox, Ona): the submission instance of the
//    item's form, encrypted to the form's RSA key (sync/form_crypto.h), stored as the parts of
//    the multipart POST, with meta/instanceID derived from the idempotency key.
// deliver_due() sends due items; only an acknowledgement removes one; 408, 429, 5xx and network
// errors are retried with capped exponential backoff and full jitter (next_attempt_at is
// persisted); answers that never succeed by themselves park the item with its reason for staff.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/xform.h"
#include "sync/config.h"
#include "sync/db.h"
#include "sync/http.h"
#include "sync/openrosa.h"

namespace kiosk::sync {

// Larger items are refused at enqueue (the reference receiver takes up to 1 MiB).
constexpr size_t kMaxOutboxPayloadBytes = 512 * 1024;

struct OutboxStatus {
  std::string destination;  // the outbox URL with secrets replaced by "…" (for staff)
  int64_t pending = 0;
  int64_t parked = 0;
  int64_t delivered = 0;     // by this process since it started
  int64_t purged = 0;        // removed by the age cap, ever (kept in the state table)
  bool online = false;       // the last POST reached the server
  int64_t last_success = 0;  // Unix seconds of the last 2xx; 0 = never
  std::string last_error;    // never contains payloads
  // OpenRosa: hand-offs wait readable in the outbox (openrosa_allow_unencrypted and a form
  // without a key); the staff screen says so.
  bool stores_readable = false;
};

// What the kiosk knows of a form on the OpenRosa server (cached in the state database).
struct ServerForm {
  std::string version;     // as the server lists it (may carry "[encrypted:...]")
  std::string hash;        // the form list's hash: a new one means the definition is read again
  std::string public_key;  // base64RsaPublicKey, "" when not encrypted
  int64_t checked_at = 0;  // when the form list last showed it (Unix seconds)
};

struct ParkedItem {
  std::string key, kind;
  int64_t created_at = 0;
  int64_t last_http = 0;
  std::string reason;
};

struct DeliveryReport {
  int delivered = 0, retried = 0, parked = 0;
};

// Seconds to wait before attempt number `attempts` + 1: random(0, min(cap, base * 2^attempts)).
int64_t backoff_delay_s(int64_t attempts, int64_t base_s, int64_t cap_s);

class Outbox {
 public:
  explicit Outbox(SyncConfig config);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  bool open(std::string* error);

  // Queues one item. `consent` must be the user's explicit yes, else nothing is stored.
  // `plaintext` is wiped (overwritten, then cleared) whatever the outcome.
  // Returns the idempotency key (32 hex chars), or nullopt and *error.
  // `also`, when given, runs inside the transaction that stores the item (a closed day's counts
  // are deleted in the same commit that queues their release); its failure queues nothing.
  using InSameTransaction = std::function<bool(Db& db, std::string* error)>;
  std::optional<std::string> enqueue(const std::string& kind, std::string& plaintext, bool consent,
                                     std::string* error, const InSameTransaction& also = {});

  // POSTs up to max_items due items (next_attempt_at <= now), oldest first.
  DeliveryReport deliver_due(int max_items = 100);

  // Removes items older than outbox_max_age_s; returns how many.
  int64_t purge_expired();

  // OpenRosa: the form of the running pack. The worker reads it from the server when online
  // (so its key is known before the first hand-off); `can_take` says whether an item for it can
  // be queued now, and if not, why (for the staff screen). Always true for the receiver.
  // `personal`: a hand-off, which waits only encrypted unless the office allowed otherwise;
  // anonymous counts may go to a form without a key.
  void watch_form(const core::FormIdentity& form);
  bool can_take(const core::FormIdentity& form, std::string* why, bool personal = true);
  // Reads the watched forms from the server now if they are due (the worker does this).
  void refresh_watched_forms();
  // Seconds until an item is due or a watched form is to be read again (what the worker
  // sleeps; the scale bench steps simulated kiosks by it).
  int64_t seconds_until_next_work();

  // A copy of counters kept up to date by the worker and by enqueue(): no disk access, so
  // the UI can call it every frame.
  OutboxStatus status();
  std::vector<ParkedItem> parked();
  // Staff actions on a parked item.
  bool requeue_parked(const std::string& key, std::string* error);
  bool discard_parked(const std::string& key, std::string* error);
  int64_t requeue_all_parked();  // returns how many

  void start();  // worker thread: deliver, sleep until the next item is due (or a nudge)
  void nudge();  // something was queued or the network came back
  void stop();

 private:
  struct Item {
    int64_t id = 0, attempts = 0;
    std::string key, kind, sealed, dest, form_id, form_version;
  };
  // What the item becomes at enqueue, for the configured destination.
  struct Stored {
    std::string dest, body, form_id, form_version;
  };
  std::optional<Stored> store_for_destination(const std::string& kind, const std::string& key,
                                              std::string& plaintext, std::string* error);
  std::optional<Stored> openrosa_submission(const std::string& kind, const std::string& key,
                                            const std::string& plaintext, std::string* error);
  std::vector<Item> pending_items(bool due_only, int max_items);
  void deliver_items(const std::vector<Item>& items, DeliveryReport* report);
  bool deliver_one(const Item& item, DeliveryReport* report);
  void deliver_openrosa(const std::vector<Item>& due, DeliveryReport* report);
  bool send_openrosa_item(HttpSession& session, const Item& item, const HttpResponse& head,
                          std::optional<int64_t> limit, DeliveryReport* report);
  // Reads the form list (and a changed definition) when the cached entry is stale;
  // "" when `item` may be sent to the form the server holds, else why not.
  std::string check_server_form(HttpSession& session, const Item& item);
  bool refresh_form(HttpSession& session, const std::string& form_id, std::string* error);
  void finish_item(const Item& item, SubmitVerdict verdict, const HttpResponse& r,
                   const std::string& reason, DeliveryReport* report);
  void requeue_after_new_credentials();
  HttpOptions http_options() const;
  void worker();
  int64_t seconds_until_next_due();
  bool is_online();
  void set_online(bool online);  // the last request reached the server
  void refresh_counts();         // recounts pending/parked/purged from the table

  SyncConfig config_;
  std::string agency_key_;
  bool openrosa_ = false;
  std::string openrosa_base_;  // e.g. https://central.example.org/v1/key/TOKEN/projects/1
  std::map<std::string, ServerForm> forms_;     // form id -> what the server holds; under mutex_
  std::map<std::string, std::string> watched_;  // form id -> expected version; under mutex_
  bool watched_changed_ = false;                // a form to read at once; under mutex_
  int64_t next_form_refresh_ = 0;               // worker thread only
  int64_t form_refresh_failures_ = 0;           // worker thread only
  Db db_;
  std::mutex db_mutex_;  // one connection, used by the worker and by staff calls
  std::atomic<bool> cancel_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false, stopping_ = false;
  OutboxStatus live_;
  std::thread thread_;
};

}  // namespace kiosk::sync
