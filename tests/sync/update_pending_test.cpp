// SPDX-License-Identifier: GPL-3.0-or-later
// SyncStatus::update_pending: set when a pass installs a version, cleared once
// PackClient::activate_pending() switched it in, so the staff screen stops saying "update
// waiting" and the end of every later visit does not reopen the pack store for nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/pack_store.h"
#include "sync/pack_client.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

using Switched = std::vector<std::pair<std::string, std::string>>;

class UpdatePendingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(nginx_.start(repo_.dir(), &error)) << error;
    config_ = test::client_config(kiosk_, nginx_.url(), repo_.public_key_hex());
  }

  // What the kiosk does at the end of a visit: open the store, switch in what is pending.
  Switched end_visit(PackClient& client, std::string* error) {
    core::PackStore store;
    EXPECT_TRUE(store.open(config_.pack_store_path, error)) << *error;
    return client.activate_pending(store, error);
  }

  test::Repo repo_;
  test::Nginx nginx_;
  test::TempDir kiosk_;
  SyncConfig config_;
};

TEST_F(UpdatePendingTest, ClearedOnceTheInstalledVersionIsSwitchedIn) {
  PackClient client(config_);
  EXPECT_FALSE(client.status().update_pending);
  repo_.publish("1.0.0");
  ASSERT_EQ(client.sync_once().outcome, SyncOutcome::Installed);
  EXPECT_TRUE(client.status().update_pending);

  std::string error;
  EXPECT_EQ(end_visit(client, &error), (Switched{{"test.sync", "1.0.0"}}));
  EXPECT_EQ(error, "");
  EXPECT_FALSE(client.status().update_pending);

  // Nothing new: the next pass does not bring it back, and a later visit switches nothing.
  ASSERT_EQ(client.sync_once().outcome, SyncOutcome::UpToDate);
  EXPECT_FALSE(client.status().update_pending);
  EXPECT_EQ(end_visit(client, &error), Switched{});
  EXPECT_FALSE(client.status().update_pending);

  // The next published version is pending again until it too is switched in.
  repo_.publish("1.1.0");
  ASSERT_EQ(client.sync_once().outcome, SyncOutcome::Installed);
  EXPECT_TRUE(client.status().update_pending);
  EXPECT_EQ(end_visit(client, &error), (Switched{{"test.sync", "1.1.0"}}));
  EXPECT_FALSE(client.status().update_pending);
}

TEST_F(UpdatePendingTest, AVersionMarkedBadIsReportedOnceAndNoLongerWaitedFor) {
  PackClient client(config_);
  repo_.publish("1.0.0");
  ASSERT_EQ(client.sync_once().outcome, SyncOutcome::Installed);
  std::string error;
  end_visit(client, &error);
  repo_.publish("1.1.0");
  ASSERT_EQ(client.sync_once().outcome, SyncOutcome::Installed);
  {
    // The kiosk found earlier that 1.1.0 does not load here: activate refuses it.
    core::PackStore store;
    ASSERT_TRUE(store.open(config_.pack_store_path, &error)) << error;
    ASSERT_TRUE(store.mark_bad("test.sync", "1.1.0", "needs a newer app", &error)) << error;
  }
  error = "earlier";
  EXPECT_EQ(end_visit(client, &error), Switched{});
  EXPECT_EQ(error.rfind("earlier\ntest.sync 1.1.0: ", 0), 0u) << error;
  EXPECT_NE(error.find("needs a newer app"), std::string::npos) << error;
  EXPECT_FALSE(client.status().update_pending) << "it would be refused at every visit's end";
  error.clear();
  EXPECT_EQ(end_visit(client, &error), Switched{});
  EXPECT_EQ(error, "") << "not tried again";

  // Staff fixed the cause: --retry clears the mark and switches it in.
  core::PackStore store;
  ASSERT_TRUE(store.open(config_.pack_store_path, &error)) << error;
  EXPECT_EQ(store.active_version("test.sync").value_or(""), "1.0.0");
  ASSERT_TRUE(store.clear_bad("test.sync", "1.1.0", &error)) << error;
  EXPECT_TRUE(store.activate("test.sync", "1.1.0", &error)) << error;
}

TEST_F(UpdatePendingTest, AStateDatabaseThatDoesNotOpenKeepsTheUpdateWaiting) {
  PackClient client(config_);
  repo_.publish("1.0.0");
  ASSERT_EQ(client.sync_once().outcome, SyncOutcome::Installed);
  // The state database becomes unreadable (a directory in its place): nothing is switched
  // in, so the update is still waiting and the next visit's end tries again.
  const std::string state_db = config_.state_db_path;
  std::filesystem::rename(state_db, state_db + ".moved");
  std::filesystem::create_directory(state_db);
  std::string error;
  EXPECT_EQ(end_visit(client, &error), Switched{});
  EXPECT_NE(error, "");
  EXPECT_TRUE(client.status().update_pending);
  std::filesystem::remove(state_db);
  std::filesystem::rename(state_db + ".moved", state_db);
  error.clear();
  EXPECT_EQ(end_visit(client, &error), (Switched{{"test.sync", "1.0.0"}}));
  EXPECT_EQ(error, "");
  EXPECT_FALSE(client.status().update_pending);
}

}  // namespace
}  // namespace kiosk::sync
