// SPDX-License-Identifier: GPL-3.0-or-later
// The outbox's OpenRosa destination against the loopback OpenRosa server (answers as ODK Central
// gave them; Digest and Basic challenges as other servers give them): the HEAD preflight, the
// multipart parts, the encrypted submission opened by the openssl command line, retries after
// a lost answer, and what 201/409/401/404/5xx/timeouts do to an item.
#include "sync/openrosa.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/handoff.h"
#include "core/result_messages.h"
#include "core/xform.h"
#include "sync/crypto.h"
#include "sync/db.h"
#include "sync/form_crypto.h"
#include "sync/outbox.h"
#include "tests/sync/openrosa_server.h"
#include "tests/sync/test_support.h"

namespace kiosk::sync {
namespace {

namespace fs = std::filesystem;
using test::OpenRosaServer;
using test::TempDir;

const std::string kScript = std::string(KIOSK_SOURCE_DIR) + "/tests/sync/scripts/odk_decrypt.sh";

std::shared_ptr<const core::Pack> demo_pack() {
  static auto pack = [] {
    std::string error;
    auto files =
        core::read_pack_dir(fs::path(KIOSK_SOURCE_DIR) / "assets/packs/jp-residence", &error);
    return core::load_pack(*files).pack;
  }();
  return pack;
}

std::string demo_form(const std::string& key = "") {
  core::Localizer labels(demo_pack()->manifest.base_language);
  core::add_pack_catalogues(*demo_pack(), labels);
  return core::export_handoff_xform(*demo_pack(), labels, {key});
}

core::FormIdentity demo_identity() {
  return core::handoff_form(demo_pack()->manifest.id, demo_pack()->manifest.version);
}

core::Handoff sample(const std::string& code = "K7F3-9QPX") {
  core::Handoff h;
  h.code = code;
  h.pack_id = demo_pack()->manifest.id;
  h.pack_version = demo_pack()->manifest.version;
  h.procedure_id = "extension";
  h.language = "ne";
  h.office_language = "ja";
  h.date = *core::Date::from_ymd(2026, 11, 27);
  h.checklist_user = "नवीकरण\n✗ रोजगारदाताको कर्तव्य हो";
  h.checklist_office = "在留期間更新\n✗ 雇用主の義務です";
  h.findings = {{"ext-no-insurance-employer",
                 core::Outcome::Blocker,
                 core::Responsible::Employer,
                 {},
                 false}};
  return h;
}

struct RsaKey {
  std::string private_path, public_base64;
};

RsaKey agency_key(const TempDir& dir) {
  const std::string priv = dir / "agency.pem";
  EXPECT_EQ(
      test::run_and_wait({"/bin/sh", "-c",
                          "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " +
                              priv + " 2>/dev/null && openssl pkey -in " + priv + " -pubout -out " +
                              priv + ".pub"}),
      0);
  std::string error;
  auto b64 = form_public_key_from_pem(test::read_text(priv + ".pub"), &error);
  EXPECT_TRUE(b64) << error;
  return {priv, b64.value_or("")};
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class OpenRosa : public ::testing::Test {
 protected:
  void SetUp() override { key_ = agency_key(dir_); }
  // An outbox pointed at `server`, the form read from it.
  std::unique_ptr<Outbox> open_outbox(OpenRosaServer& server, bool read_forms = true) {
    config_.state_db_path = dir_ / "state.db";
    config_.outbox_url = server.outbox_url();
    config_.connect_timeout_s = 2;
    config_.low_speed_time_s = 2;
    config_.request_timeout_s = 2;
    config_.backoff_base_s = 10;
    config_.backoff_cap_s = 600;
    auto outbox = std::make_unique<Outbox>(config_);
    std::string error;
    EXPECT_TRUE(outbox->open(&error)) << error;
    outbox->watch_form(demo_identity());
    if (read_forms) outbox->refresh_watched_forms();
    return outbox;
  }
  std::string enqueue(Outbox& outbox, const core::Handoff& h = sample()) {
    std::string json = core::handoff_json(h), error;
    auto key = outbox.enqueue("handoff", json, true, &error);
    EXPECT_TRUE(key) << error;
    return key.value_or("");
  }
  // The server's copy of the item with `key`, decrypted by openssl; "" when absent.
  std::string decrypted(OpenRosaServer& server, const std::string& key) {
    for (const auto& s : server.submissions()) {
      if (s.instance_id != core::instance_id_from_key(key)) continue;
      test::write_text(dir_ / "m.xml", s.parts.at("xml_submission_file"));
      test::write_text(dir_ / "m.enc", s.parts.at("submission.xml.enc"));
      if (test::run_and_wait({"/bin/bash", kScript, key_.private_path, dir_ / "m.xml",
                              dir_ / "m.enc", dir_ / "out.xml"}) != 0)
        return "";
      return test::read_text(dir_ / "out.xml");
    }
    return "";
  }
  std::string item_error(const std::string& key) {
    Db db;
    std::string error;
    EXPECT_TRUE(db.open(dir_ / "state.db", nullptr, &error)) << error;
    Stmt s(db.handle(),
           "SELECT state || ': ' || coalesce(last_error, '') FROM outbox WHERE idem_key = ?");
    s.bind(1, key);
    return s.step() ? s.text(0) : "gone";
  }

  TempDir dir_;
  RsaKey key_;
  SyncConfig config_;
};

TEST_F(OpenRosa, EncryptedHandoffReachesCentralAsItsOwnClientsSendIt) {
  OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(), key_.public_base64, /*encrypt_as_central=*/true);
  auto outbox = open_outbox(server);
  ASSERT_TRUE(outbox->can_take(demo_identity(), &error)) << error;
  const std::string key = enqueue(*outbox);

  // Nothing readable on the kiosk: the code and the checklist are in no byte of the state db.
  for (const char* f : {"state.db", "state.db-wal"}) {
    const std::string bytes = file_bytes(dir_ / f);
    EXPECT_EQ(bytes.find("K7F3-9QPX"), std::string::npos) << f;
    EXPECT_EQ(bytes.find("雇用主"), std::string::npos) << f;
  }

  DeliveryReport r = outbox->deliver_due();
  EXPECT_EQ(r.delivered, 1);
  EXPECT_EQ(outbox->status().pending, 0);
  ASSERT_EQ(server.submissions().size(), 1u);
  const auto sub = server.submissions()[0];
  EXPECT_EQ(sub.instance_id, core::instance_id_from_key(key));
  EXPECT_EQ(sub.version, server.listed_version(demo_identity().id)) << "Central's suffixed version";
  // The XML opened with the agency's key is exactly the instance for the form's version.
  const std::string want =
      core::handoff_instance_xml(sample(), sub.version, core::instance_id_from_key(key));
  EXPECT_EQ(decrypted(server, key), want);

  // The exchange: HEAD before POST, every request with X-OpenRosa-Version and Date, the
  // multipart parts named as Collect names them.
  auto log = server.log();
  std::vector<std::string> order;
  for (auto& l : log) {
    order.push_back(l.method + " " + l.path.substr(l.path.rfind('/')));
    EXPECT_EQ(l.headers["x-openrosa-version"], "1.0") << l.path;
    EXPECT_FALSE(l.headers["date"].empty()) << l.path;
  }
  ASSERT_GE(order.size(), 4u);
  EXPECT_EQ(order[0], "GET /formList");
  EXPECT_EQ(order.back(), "POST /submission");
  EXPECT_EQ(order[order.size() - 2], "HEAD /submission");
  EXPECT_EQ(log.back().part_names,
            (std::vector<std::string>{"submission.xml.enc", "xml_submission_file"}));
  EXPECT_NE(log.back().headers["content-type"].find("multipart/form-data"), std::string::npos);
}

TEST_F(OpenRosa, ALostAnswerIsRetriedAsTheSameSubmissionAndStoredOnce) {
  OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(), key_.public_base64, true);
  auto outbox = open_outbox(server);
  const std::string key = enqueue(*outbox);
  // Stored, then the answer comes after the kiosk's 2 s timeout.
  server.inject(1, 0, "", {}, std::chrono::milliseconds(3000));
  DeliveryReport first = outbox->deliver_due();
  EXPECT_EQ(first.retried, 1);
  EXPECT_EQ(outbox->status().pending, 1);
  config_.clock = [] { return static_cast<int64_t>(time(nullptr)) + 10000; };  // past the backoff
  auto later = open_outbox(server, false);
  EXPECT_EQ(later->deliver_due().delivered, 1);
  ASSERT_EQ(server.submissions().size(), 1u);
  EXPECT_EQ(server.submissions()[0].posts, 2) << "the same bytes twice: Central's 201 again";
  EXPECT_EQ(later->status().pending, 0);
}

TEST_F(OpenRosa, WhatEachAnswerDoesToTheItem) {
  OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(), key_.public_base64, true);
  auto outbox = open_outbox(server);
  struct Case {
    int status;
    std::string message;
    std::string want;  // state and a phrase of the staff message
  };
  auto body = [](const std::string& m) {
    return "<OpenRosaResponse xmlns=\"http://openrosa.org/http/response\"><message "
           "nature=\"error\">" +
           m + "</message></OpenRosaResponse>";
  };
  const std::vector<Case> cases = {
      {503, "busy", "pending: HTTP 503: busy"},
      {500, "Internal Server Error", "pending: HTTP 500"},
      {429, "slow down", "pending: HTTP 429"},
      {401, "Could not authenticate with the provided credentials.",
       "parked: HTTP 401: Could not authenticate with the provided credentials.. The server "
       "refused this kiosk's credentials"},
      {403, "The authenticated actor does not have rights to perform that action.",
       "parked: HTTP 403"},
      {409, "A submission already exists with this ID, but with different XML.",
       "parked: HTTP 409: A submission already exists"},
      {409, "This form is not currently accepting submissions.", "pending: HTTP 409"},
      {404, "The form version specified in this submission does not exist.",
       "pending: HTTP 404: The form version specified"},
      {400, "A problem occurred while parsing your submission XML.", "parked: HTTP 400"},
      {413, "too large", "parked: HTTP 413"},
      // The spec: 200 is "not a sign of a successful submission" (a Wi-Fi gateway page).
      {200, "<html>Welcome to CityWiFi</html>", "pending: HTTP 200: an OpenRosa server answers"},
  };
  for (const Case& c : cases) {
    const std::string key = enqueue(*outbox);
    server.inject(1, c.status, body(c.message));
    outbox->deliver_due();
    EXPECT_EQ(item_error(key).substr(0, c.want.size()), c.want) << c.status << " " << c.message;
    std::string e;
    outbox->discard_parked(key, &e);
    Db db;
    ASSERT_TRUE(db.open(dir_ / "state.db", nullptr, &e));
    db.exec("DELETE FROM outbox");
  }
  // 409 "deleted" (Central) or "Duplicate submission" (Kobo): the server had it, and its
  // instanceID comes from this item's key alone.
  for (const char* said :
       {"This submission has been deleted. You may not resubmit it.", "Duplicate submission"}) {
    const std::string key = enqueue(*outbox);
    server.inject(1, 409, body(said));
    EXPECT_EQ(outbox->deliver_due().delivered, 1) << said;
    EXPECT_EQ(item_error(key), "gone") << said;
  }
}

TEST_F(OpenRosa, AWiFiLoginPageIsNotAnOpenRosaServer) {
  // A captive portal answers every request with 200 and its login page.
  test::FaultServer portal;
  portal.start([](int fd, const test::Request&, int) {
    const std::string page = "<html><body>Log in to CityWiFi</body></html>";
    test::FaultServer::send_all(fd, test::FaultServer::response_head(
                                        200, {{"Content-Type", "text/html"},
                                              {"Content-Length", std::to_string(page.size())}}) +
                                        page);
  });
  config_.openrosa_form_key = key_.public_base64;
  config_.state_db_path = dir_ / "state.db";
  config_.outbox_url = "openrosa+" + portal.url("v1/key/T/projects/1");
  Outbox outbox(config_);
  std::string error;
  ASSERT_TRUE(outbox.open(&error)) << error;
  const std::string key = enqueue(outbox);
  outbox.deliver_due();
  EXPECT_NE(
      item_error(key).find("pending: HEAD /submission: HTTP 200 without an X-OpenRosa-Version "
                           "header: not an OpenRosa server"),
      std::string::npos)
      << item_error(key);
  for (const auto& r : portal.requests()) EXPECT_NE(r.method, "POST") << "nothing sent to it";
}

TEST_F(OpenRosa, ARestartedKioskDoesNotReadAFreshFormAgain) {
  OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(), key_.public_base64, true);
  auto first = open_outbox(server);
  EXPECT_EQ(server.count("GET", "/formList"), 1);
  first.reset();
  // A power cut: every kiosk starts again at once. The form read an hour ago is still good.
  auto again = open_outbox(server);
  EXPECT_EQ(server.count("GET", "/formList"), 1) << "no request at start";
  EXPECT_TRUE(again->can_take(demo_identity(), &error)) << error;
  EXPECT_GT(again->seconds_until_next_work(), config_.form_check_interval_s / 2);
  // Back after a long outage: the stale form is still used, and read again within a quarter
  // of the interval at a random moment, not at once with every other kiosk.
  int64_t now = time(nullptr) + 3700;
  config_.clock = [&now] { return now; };
  auto later = open_outbox(server);
  EXPECT_EQ(server.count("GET", "/formList"), 1);
  EXPECT_TRUE(later->can_take(demo_identity(), &error)) << error;
  const int64_t wait = later->seconds_until_next_work();
  EXPECT_GE(wait, 1);
  EXPECT_LE(wait, config_.form_check_interval_s / 4 + 1);
  now += wait;
  later->refresh_watched_forms();
  EXPECT_EQ(server.count("GET", "/formList"), 2);
  EXPECT_EQ(server.count("GET", ".xml"), 1) << "same hash: the definition is not downloaded again";
}

TEST_F(OpenRosa, RetriesBackOffAndHonourRetryAfter) {
  OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(), key_.public_base64, true);
  int64_t now = 1'800'000'000;
  config_.clock = [&now] { return now; };
  auto outbox = open_outbox(server);
  const std::string key = enqueue(*outbox);
  server.inject(1, 503, "", {{"Retry-After", "300"}});
  EXPECT_EQ(outbox->deliver_due().retried, 1);
  now += 299;
  EXPECT_EQ(outbox->deliver_due().delivered, 0) << "not due before Retry-After";
  now += 2;
  EXPECT_EQ(outbox->deliver_due().delivered, 1);
}

TEST_F(OpenRosa, RefusedCredentialsParkAndNewCredentialsSendAgain) {
  OpenRosaServer server(OpenRosaServer::Auth::Digest, "kiosk", "right");
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(key_.public_base64));  // the agency's own key (not Central-managed)
  config_.outbox_username = "kiosk";
  config_.outbox_password = "wrong";
  config_.openrosa_form_key = key_.public_base64;  // the form list is closed to a wrong password
  auto outbox = open_outbox(server);
  const std::string key = enqueue(*outbox);
  outbox->deliver_due();
  EXPECT_NE(item_error(key).find("parked: HEAD /submission: HTTP 401"), std::string::npos)
      << item_error(key);
  EXPECT_NE(item_error(key).find("check the app user's token"), std::string::npos);
  outbox.reset();
  config_.outbox_password = "right";  // staff mend the credentials file and restart
  auto mended = open_outbox(server);
  EXPECT_EQ(mended->deliver_due().delivered, 1) << item_error(key);
  EXPECT_EQ(server.submissions().size(), 1u);
}

TEST_F(OpenRosa, DigestChallengeIsAnsweredOnceForTheRound) {
  OpenRosaServer server(OpenRosaServer::Auth::Digest, "kiosk", "s3cret pass");
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(key_.public_base64));
  config_.outbox_username = "kiosk";
  config_.outbox_password = "s3cret pass";
  auto outbox = open_outbox(server);
  for (int i = 0; i < 3; ++i) enqueue(*outbox);
  EXPECT_EQ(outbox->deliver_due().delivered, 3);
  // HEAD: challenged once (401), then answered; every POST carries Digest, none is refused.
  int challenged = 0, posts = 0;
  for (auto& l : server.log()) {
    if (l.status == 401) ++challenged;
    if (l.method == "POST") {
      ++posts;
      EXPECT_EQ(l.headers["authorization"].rfind("Digest ", 0), 0u);
      EXPECT_EQ(l.status, 201);
    }
  }
  EXPECT_EQ(posts, 3);
  EXPECT_LE(challenged, 2) << "the form list and the HEAD each learn the challenge at most once";
  EXPECT_EQ(server.count("HEAD", "/submission"), 2) << "one challenged, one answered";
}

TEST_F(OpenRosa, BasicOnlyWhenAskedOrWhenTheServerAnswers401WithoutAChallenge) {
  for (auto auth : {OpenRosaServer::Auth::Basic, OpenRosaServer::Auth::CentralBasic}) {
    TempDir dir;
    OpenRosaServer server(auth, "kiosk", "pw");
    std::string error;
    ASSERT_TRUE(server.start(&error)) << error;
    server.publish(demo_form(key_.public_base64));
    config_.state_db_path = dir / "state.db";
    config_.outbox_url = server.outbox_url();
    config_.outbox_username = "kiosk";
    config_.outbox_password = "pw";
    config_.openrosa_form_key = key_.public_base64;
    Outbox outbox(config_);
    ASSERT_TRUE(outbox.open(&error)) << error;
    std::string json = core::handoff_json(sample());
    ASSERT_TRUE(outbox.enqueue("handoff", json, true, &error)) << error;
    EXPECT_EQ(outbox.deliver_due().delivered, 1)
        << static_cast<int>(auth) << " " << outbox.status().last_error;
    // The password never went out before the server asked for it.
    EXPECT_EQ(server.log().front().headers.count("authorization"), 0u);
  }
}

TEST_F(OpenRosa, TheKioskSendsOnlyToTheFormVersionOfItsPack) {
  OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  // The server holds the form of an older pack version.
  std::string old_form = demo_form();
  const std::string version = demo_identity().version;
  old_form.replace(old_form.find("version=\"" + version + "\""), version.size() + 10,
                   "version=\"2026.01.01-1\"");
  server.publish(old_form, key_.public_base64);
  auto outbox = open_outbox(server);
  EXPECT_FALSE(outbox->can_take(demo_identity(), &error));
  EXPECT_NE(error.find("not the version " + version), std::string::npos) << error;
  std::string json = core::handoff_json(sample());
  EXPECT_FALSE(outbox->enqueue("handoff", json, true, &error));

  // With the key configured the kiosk takes the hand-off, but holds it until the form is there.
  config_.openrosa_form_key = key_.public_base64;
  auto configured = open_outbox(server);
  const std::string key = enqueue(*configured);
  configured->deliver_due();
  EXPECT_NE(item_error(key).find("pending: the server holds form kiosk_handoff_jp_residence "
                                 "version 2026.01.01-1, and this item needs version " +
                                 version),
            std::string::npos)
      << item_error(key);
  EXPECT_EQ(server.count("POST", "/submission"), 0) << "nothing sent to the wrong version";
  // Staff upload the pack's form: the item goes at its next attempt.
  server.publish(demo_form(key_.public_base64));
  config_.clock = [] { return static_cast<int64_t>(time(nullptr)) + 100000; };
  auto after = open_outbox(server, false);
  EXPECT_EQ(after->deliver_due().delivered, 1) << item_error(key);
  EXPECT_EQ(decrypted(server, key),
            core::handoff_instance_xml(sample(), version, core::instance_id_from_key(key)));
}

TEST_F(OpenRosa, AFormWithoutKeyIsRefusedUnlessTheOfficeAcceptsReadableItems) {
  OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form());  // no base64RsaPublicKey
  auto outbox = open_outbox(server);
  EXPECT_FALSE(outbox->can_take(demo_identity(), &error));
  EXPECT_NE(error.find("has no encryption key"), std::string::npos) << error;
  config_.openrosa_allow_unencrypted = true;
  auto plain = open_outbox(server);
  ASSERT_TRUE(plain->can_take(demo_identity(), &error)) << error;
  const std::string key = enqueue(*plain);
  EXPECT_EQ(plain->deliver_due().delivered, 1);
  ASSERT_EQ(server.submissions().size(), 1u);
  EXPECT_EQ(server.submissions()[0].parts.at("xml_submission_file"),
            core::handoff_instance_xml(sample(), demo_identity().version,
                                       core::instance_id_from_key(key)));
}

TEST_F(OpenRosa, AnItemLargerThanTheServerTakesIsParked) {
  OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(), key_.public_base64, true);
  server.set_accept_content_length(100);
  auto outbox = open_outbox(server);
  const std::string key = enqueue(*outbox);
  outbox->deliver_due();
  EXPECT_NE(item_error(key).find("the server takes at most 100"), std::string::npos)
      << item_error(key);
}

TEST_F(OpenRosa, AServerThatIsDownLeavesItemsPendingWithOneRequestPerRound) {
  OpenRosaServer server;
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(), key_.public_base64, true);
  auto outbox = open_outbox(server);
  for (int i = 0; i < 5; ++i) enqueue(*outbox);
  server.stop();
  DeliveryReport r = outbox->deliver_due();
  EXPECT_EQ(r.retried, 5) << "one failed HEAD backs off every due item";
  EXPECT_FALSE(outbox->status().online);
  EXPECT_EQ(outbox->status().pending, 5);
}

TEST_F(OpenRosa, ItemsQueuedForTheReceiverAreNotSentToAnOpenRosaServer) {
  BoxKeyPair agency = make_box_keypair();
  SyncConfig receiver_config;
  receiver_config.state_db_path = dir_ / "state.db";
  receiver_config.outbox_url = "http://127.0.0.1:9/v1/outbox";
  receiver_config.agency_box_public_key_hex = to_hex(agency.public_key);
  std::string error, key;
  {
    Outbox old(receiver_config);
    ASSERT_TRUE(old.open(&error)) << error;
    std::string json = core::handoff_json(sample());
    key = old.enqueue("handoff", json, true, &error).value_or("");
  }
  OpenRosaServer server;
  ASSERT_TRUE(server.start(&error)) << error;
  server.publish(demo_form(), key_.public_base64, true);
  auto outbox = open_outbox(server);
  outbox->deliver_due();
  EXPECT_NE(item_error(key).find("parked: queued for the kiosk receiver"), std::string::npos)
      << item_error(key);
  EXPECT_EQ(server.count("POST", "/submission"), 0);
}

TEST(OpenRosaUrls, SecretsNeverReachLogs) {
  EXPECT_EQ(redact_url("openrosa+https://c.example.org/v1/key/Tok3n!x$/projects/1"),
            "openrosa+https://c.example.org/v1/key/…/projects/1");
  EXPECT_EQ(redact_url("https://user:pw@kobo.example.org/submission"),
            "https://…@kobo.example.org/submission");
  std::string error;
  EXPECT_EQ(openrosa_base_url("openrosa+https://c.example.org/v1/projects/1/", &error),
            "https://c.example.org/v1/projects/1");
  EXPECT_FALSE(openrosa_base_url("openrosa+ftp://c.example.org/v1/key/SECRET/p", &error));
  EXPECT_EQ(error.find("SECRET"), std::string::npos) << error;
}

TEST(OpenRosaDocuments, MalformedAnswersAreRefusedWithAReason) {
  std::string error;
  // A declaration and text but no element (found by fuzz_openrosa: it crashed the reader).
  EXPECT_FALSE(parse_form_list("<?xml version=\"1.0\"?>\n\"x\" </xforms>", &error));
  EXPECT_FALSE(parse_form_list("<html><body>Log in</body></html>", &error));
  EXPECT_EQ(error, "form list: the answer is not an OpenRosa form list (<xforms>)");
  EXPECT_FALSE(parse_form_definition("<h:html/>", &error));
  EXPECT_EQ(error, "form definition: no primary instance with an id");
  EXPECT_EQ(server_message("not xml at all"), "not xml at all");
}

TEST(OpenRosaVersions, CentralsEncryptionSuffixStillMatches) {
  EXPECT_TRUE(form_version_matches("2026.11.27-1", "2026.11.27-1"));
  EXPECT_TRUE(form_version_matches("2026.11.27-1[encrypted:AaI6i14V]", "2026.11.27-1"));
  EXPECT_FALSE(form_version_matches("2026.11.27-10", "2026.11.27-1"));
  EXPECT_FALSE(form_version_matches("2026.11.27-1[other]", "2026.11.27-1"));
}

TEST(OpenRosaParts, RoundTripAndRefuseTruncation) {
  std::vector<FormPart> parts = {
      {"xml_submission_file", "submission.xml", "text/xml", "<a/>"},
      {"submission.xml.enc", "submission.xml.enc", "", std::string(3, '\0')}};
  std::string bytes = encode_parts(parts);
  auto back = decode_parts(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ((*back)[1].data, std::string(3, '\0'));
  for (size_t cut = 0; cut < bytes.size(); ++cut)
    EXPECT_FALSE(decode_parts(std::string_view(bytes).substr(0, cut))) << cut;
  EXPECT_FALSE(decode_parts(bytes + "x"));
}

}  // namespace
}  // namespace kiosk::sync
