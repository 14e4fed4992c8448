// Outbox: store-and-forward of items the user consented to send (docs/sync-protocol.md).
//
// enqueue() refuses without consent, creates the idempotency key once, seals the payload
// at once to the agency's public key (crypto_box_seal; nobody at the kiosk can read it
// back) and wipes the plaintext. deliver_due() POSTs due items with the key in an
// Idempotency-Key header; only a 2xx removes an item; 408, 429, 5xx and network errors are
// retried with capped exponential backoff and full jitter (next_attempt_at is persisted);
// any other 4xx parks the item with its reason for staff.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sync/config.h"
#include "sync/db.h"

namespace kiosk::sync {

// Larger items are refused at enqueue (the reference receiver takes up to 1 MiB).
constexpr size_t kMaxOutboxPayloadBytes = 512 * 1024;

struct OutboxStatus {
  int64_t pending = 0;
  int64_t parked = 0;
  int64_t delivered = 0;     // by this process since it started
  int64_t purged = 0;        // removed by the age cap, ever (kept in the state table)
  bool online = false;       // the last POST reached the server
  int64_t last_success = 0;  // Unix seconds of the last 2xx; 0 = never
  std::string last_error;    // never contains payloads
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
  std::optional<std::string> enqueue(const std::string& kind, std::string& plaintext, bool consent,
                                     std::string* error);

  // POSTs up to max_items due items (next_attempt_at <= now), oldest first.
  DeliveryReport deliver_due(int max_items = 100);

  // Removes items older than outbox_max_age_s; returns how many.
  int64_t purge_expired();

  // A copy of counters kept up to date by the worker and by enqueue(): no disk access, so
  // the UI can call it every frame.
  OutboxStatus status();
  std::vector<ParkedItem> parked();
  // Staff actions on a parked item.
  bool requeue_parked(const std::string& key, std::string* error);
  bool discard_parked(const std::string& key, std::string* error);

  void start();  // worker thread: deliver, sleep until the next item is due (or a nudge)
  void nudge();  // something was queued or the network came back
  void stop();

 private:
  struct Item {
    int64_t id = 0, attempts = 0;
    std::string key, kind, sealed;
  };
  bool deliver_one(const Item& item, DeliveryReport* report);
  void worker();
  int64_t seconds_until_next_due();
  bool is_online();
  void refresh_counts();  // recounts pending/parked/purged from the table

  SyncConfig config_;
  std::string agency_key_;
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
