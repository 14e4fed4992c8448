// SPDX-License-Identifier: GPL-3.0-or-later
// The outbox against the real reference receiver (tools/receiver) and, for the answers a
// healthy receiver never gives, the fault server. Everything on 127.0.0.1.
#include "sync/outbox.h"

#include <gtest/gtest.h>

#include <ctime>

#include "sync/crypto.h"
#include "sync/db.h"
#include "sync/http.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

using test::FaultServer;
using test::TempDir;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    agency_ = make_box_keypair();
    config_.state_db_path = dir_ / "state.db";
    config_.agency_box_public_key_hex = to_hex(agency_.public_key);
    config_.connect_timeout_s = 2;
    config_.low_speed_time_s = 2;
    config_.backoff_base_s = 10;
    config_.backoff_cap_s = 600;
  }

  void use_receiver() {
    std::string error;
    ASSERT_TRUE(receiver_.start(dir_ / "receiver.db", &error)) << error;
    config_.outbox_url = receiver_.url();
  }

  std::string enqueue(Outbox& outbox, std::string payload) {
    std::string error;
    auto key = outbox.enqueue("handoff", payload, true, &error);
    EXPECT_TRUE(key) << error;
    return key.value_or("");
  }

  // Rows the receiver stored for `key` (0 or 1) and the body of the last one.
  int64_t received(const std::string& key, std::string* body = nullptr) {
    Db db;
    std::string error;
    EXPECT_TRUE(db.open(dir_ / "receiver.db", nullptr, &error)) << error;
    Stmt s(db.handle(), "SELECT body FROM items WHERE idem_key = ?");
    s.bind(1, key);
    int64_t n = 0;
    while (s.step()) {
      ++n;
      if (body) *body = s.blob(0);
    }
    return n;
  }

  TempDir dir_;
  BoxKeyPair agency_;
  SyncConfig config_;
  test::Receiver receiver_;
};

TEST_F(OutboxTest, WithoutConsentNothingIsStored) {
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  std::string payload = "appointment request";
  EXPECT_FALSE(outbox.enqueue("appointment", payload, /*consent=*/false, &error));
  EXPECT_NE(error.find("no consent"), std::string::npos);
  EXPECT_TRUE(payload.empty()) << "the plaintext is wiped whatever the outcome";
  EXPECT_EQ(outbox.status().pending, 0);
}

TEST_F(OutboxTest, AnOversizedItemIsRefusedAtOnceNotParkedLater) {
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  std::string payload(kMaxOutboxPayloadBytes + 1, 'x');
  EXPECT_FALSE(outbox.enqueue("handoff", payload, true, &error));
  EXPECT_NE(error.find("too large"), std::string::npos) << error;
  EXPECT_TRUE(payload.empty());
  EXPECT_EQ(outbox.status().pending, 0);
}

TEST_F(OutboxTest, ThePayloadIsSealedAtOnceAndThePlaintextWiped) {
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  std::string payload = "name=Ana; needs=extension";
  std::string key = enqueue(outbox, payload);
  EXPECT_EQ(key.size(), 32u);
  std::string copy = "name=Ana; needs=extension";
  ASSERT_TRUE(outbox.enqueue("handoff", copy, true, &error));
  EXPECT_TRUE(copy.empty());
  Db db;
  ASSERT_TRUE(db.open(config_.state_db_path, kSyncSchema, &error));
  Stmt s(db.handle(), "SELECT sealed FROM outbox WHERE idem_key = ?");
  s.bind(1, key);
  ASSERT_TRUE(s.step());
  std::string sealed = s.blob(0);
  EXPECT_EQ(sealed.find("Ana"), std::string::npos);
  EXPECT_FALSE(unseal(sealed, make_box_keypair())) << "nobody but the agency can open it";
  EXPECT_EQ(unseal(sealed, agency_).value_or(""), "name=Ana; needs=extension");
}

TEST_F(OutboxTest, DeliveredItemsLeaveTheOutboxAndArriveOnce) {
  use_receiver();
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  std::string a = enqueue(outbox, "first"), b = enqueue(outbox, "second");
  DeliveryReport r = outbox.deliver_due();
  EXPECT_EQ(r.delivered, 2);
  OutboxStatus st = outbox.status();
  EXPECT_EQ(st.pending, 0);
  EXPECT_TRUE(st.online);
  EXPECT_GT(st.last_success, 0);
  std::string body;
  EXPECT_EQ(received(a, &body), 1);
  EXPECT_EQ(unseal(body, agency_).value_or(""), "first");
  EXPECT_EQ(received(b), 1);
}

TEST_F(OutboxTest, TheReceiverDeduplicatesARepeatedPostByKey) {
  use_receiver();
  HttpOptions o;
  const std::string key = random_key_hex();
  HttpResponse first = http_post(config_.outbox_url, o, "sealed-bytes", {{"Idempotency-Key", key}});
  HttpResponse again = http_post(config_.outbox_url, o, "sealed-bytes", {{"Idempotency-Key", key}});
  HttpResponse different =
      http_post(config_.outbox_url, o, "other-bytes", {{"Idempotency-Key", key}});
  HttpResponse no_key = http_post(config_.outbox_url, o, "x", {});
  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(again.status, 200) << "a duplicate is acknowledged, so the kiosk can drop it";
  EXPECT_EQ(different.status, 409);
  EXPECT_EQ(no_key.status, 400);
  EXPECT_EQ(received(key), 1);
}

TEST_F(OutboxTest, AClientErrorParksTheItemWithItsReasonForStaff) {
  FaultServer server;
  server.start([](int fd, const test::Request&, int) {
    FaultServer::send_all(
        fd, FaultServer::response_head(400, {{"Content-Length", "11"}}) + "bad format\n");
  });
  config_.outbox_url = server.url("v1/outbox");
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  std::string key = enqueue(outbox, "x");
  EXPECT_EQ(outbox.deliver_due().parked, 1);
  EXPECT_EQ(outbox.deliver_due().parked, 0) << "a parked item is not retried";
  EXPECT_EQ(server.requests().size(), 1u);
  OutboxStatus st = outbox.status();
  EXPECT_EQ(st.parked, 1);
  EXPECT_EQ(st.pending, 0);
  auto parked = outbox.parked();
  ASSERT_EQ(parked.size(), 1u);
  EXPECT_EQ(parked[0].key, key);
  EXPECT_EQ(parked[0].last_http, 400);
  EXPECT_NE(parked[0].reason.find("bad format"), std::string::npos) << parked[0].reason;
  ASSERT_TRUE(outbox.requeue_parked(key, &error)) << error;
  EXPECT_EQ(outbox.status().pending, 1);
}

TEST_F(OutboxTest, A503WithRetryAfterIsRetriedNoSoonerThanAsked) {
  FaultServer server;
  server.start([](int fd, const test::Request& req, int) {
    FaultServer::send_all(
        fd, FaultServer::response_head(503, {{"Content-Length", "0"}, {"Retry-After", "120"}}));
  });
  config_.outbox_url = server.url("v1/outbox");
  int64_t clock = std::time(nullptr);
  config_.clock = [&clock] { return clock; };
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  std::string key = enqueue(outbox, "x");
  EXPECT_EQ(outbox.deliver_due().retried, 1);
  EXPECT_EQ(server.requests()[0].headers["idempotency-key"], key);
  clock += 119;
  EXPECT_EQ(outbox.deliver_due().retried, 0) << "not due before Retry-After";
  clock += 1;
  EXPECT_EQ(outbox.deliver_due().retried, 1);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].headers["idempotency-key"], key) << "the key never changes across retries";
  EXPECT_EQ(outbox.status().pending, 1);
}

TEST_F(OutboxTest, A500BacksOffWithinTheJitterBoundAndIsPersisted) {
  FaultServer server;
  server.start([](int fd, const test::Request&, int) {
    FaultServer::send_all(fd, FaultServer::response_head(500, {{"Content-Length", "0"}}));
  });
  config_.outbox_url = server.url("v1/outbox");
  const int64_t t = std::time(nullptr);
  config_.clock = [t] { return t; };
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  enqueue(outbox, "x");
  outbox.deliver_due();
  Db db;
  ASSERT_TRUE(db.open(config_.state_db_path, kSyncSchema, &error));
  Stmt s(db.handle(), "SELECT attempts, next_attempt_at, last_http FROM outbox");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.int64(0), 1);
  EXPECT_GE(s.int64(1), t);
  EXPECT_LE(s.int64(1), t + config_.backoff_base_s);
  EXPECT_EQ(s.int64(2), 500);
}

TEST_F(OutboxTest, NoServerMeansOfflineAndTheItemWaits) {
  config_.outbox_url =
      "http://127.0.0.1:" + std::to_string(test::free_loopback_port()) + "/v1/outbox";
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  enqueue(outbox, "x");
  enqueue(outbox, "y");
  DeliveryReport r = outbox.deliver_due();
  EXPECT_EQ(r.retried, 1) << "after a network error the round stops instead of hammering";
  OutboxStatus st = outbox.status();
  EXPECT_FALSE(st.online);
  EXPECT_EQ(st.pending, 2);
  EXPECT_NE(st.last_error, "");
}

TEST(Backoff, FullJitterStaysWithinTheCappedExponentialBound) {
  for (int attempts = 0; attempts < 20; ++attempts) {
    int64_t bound = std::min<int64_t>(600, 5LL << std::min(attempts, 30));
    int64_t highest = 0;
    for (int i = 0; i < 200; ++i) {
      int64_t d = backoff_delay_s(attempts, 5, 600);
      ASSERT_GE(d, 0);
      ASSERT_LE(d, bound);
      highest = std::max(highest, d);
    }
    EXPECT_GT(highest, bound / 2) << "jitter should spread over the whole range";
  }
}

TEST_F(OutboxTest, TheCountCapRefusesNewItemsInsteadOfDroppingOld) {
  config_.outbox_max_items = 2;
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  enqueue(outbox, "a");
  enqueue(outbox, "b");
  std::string c = "c";
  EXPECT_FALSE(outbox.enqueue("handoff", c, true, &error));
  EXPECT_NE(error.find("outbox full"), std::string::npos);
  EXPECT_EQ(outbox.status().pending, 2);
}

TEST_F(OutboxTest, TheAgeCapPurgesOldItemsAndCountsThemForStaff) {
  int64_t clock = std::time(nullptr);
  config_.clock = [&clock] { return clock; };
  config_.outbox_max_age_s = 3600;
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  enqueue(outbox, "old");
  clock += 3601;
  enqueue(outbox, "new");
  EXPECT_EQ(outbox.purge_expired(), 1);
  OutboxStatus st = outbox.status();
  EXPECT_EQ(st.pending, 1);
  EXPECT_EQ(st.purged, 1);
}

TEST_F(OutboxTest, TheWorkerDeliversInTheBackground) {
  use_receiver();
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  outbox.start();
  std::string key = enqueue(outbox, "background");
  for (int i = 0; i < 500 && outbox.status().pending > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  outbox.stop();
  EXPECT_EQ(outbox.status().pending, 0);
  EXPECT_EQ(received(key), 1);
}

}  // namespace
}  // namespace kiosk::sync
