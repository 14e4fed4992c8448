// SPDX-License-Identifier: GPL-3.0-or-later
// The hand-off delivered: the app's "Yes, send" goes through a real outbox to the reference
// receiver on 127.0.0.1, and the agency, opening the sealed item with its secret key, finds
// the person's reference code and the checklist in both languages. (kiosk.handoff_* cover
// the binary and its configuration; this covers the bytes that arrive.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/eval.h"
#include "kiosk/app.h"
#include "kiosk/embedded.h"
#include "sync/crypto.h"
#include "sync/db.h"
#include "sync/outbox.h"
#include "tests/sync/test_support.h"

namespace kiosk::ui {
namespace {

TEST(HandoffDelivery, TheAgencyOpensTheItemAndFindsTheCodeAndBothChecklists) {
  sync::test::TempDir dir;
  sync::test::Receiver receiver;
  std::string error;
  ASSERT_TRUE(receiver.start(dir / "receiver.db", &error)) << error;
  sync::BoxKeyPair agency = sync::make_box_keypair();
  sync::SyncConfig config;
  config.state_db_path = dir / "state.db";
  config.outbox_url = receiver.url();
  config.agency_box_public_key_hex = sync::to_hex(agency.public_key);
  sync::Outbox outbox(config);
  ASSERT_TRUE(outbox.open(&error)) << error;

  text::TextEngine engine;
  ASSERT_TRUE(engine.init(&error)) << error;
  Content content;
  ASSERT_TRUE(content.load(embedded_pack(), embedded_ui_catalogues(), &error)) << error;
  App app(content, engine, Settings{});
  app.set_today(*core::Date::from_ymd(2026, 11, 27));
  // The same wiring as kiosk/platform_hooks.cpp.
  app.hooks.can_send_handoff = [] { return true; };
  app.hooks.send_handoff = [&outbox](std::string& payload, std::string* err) {
    return outbox.enqueue("handoff", payload, /*consent=*/true, err).has_value();
  };
  // Persona 03: the employer never enrolled the worker in insurance.
  auto answers = core::parse_answers_json(content.pack(), R"({
    "card_expiry": "2027-01-10", "stay_length": "six_months_or_more", "applied": false,
    "work_type": "employee", "insurance": "none", "tax_certs": true, "photo_ready": true,
    "form_ready": true, "job_changed": false})",
                                          &error);
  ASSERT_TRUE(answers) << error;
  for (auto& [q, a] : *answers) app.session().set_answer(q, a);
  app.visit().procedure_id = "extension";
  app.prepare_for_preview(ScreenId::Takeaway, "uk");
  ASSERT_TRUE(app.can_offer_handoff());
  app.begin_handoff();
  app.confirm_handoff();
  ASSERT_EQ(app.visit().handoff, HandoffStep::Queued);
  const std::string code = app.visit().handoff_code;

  sync::DeliveryReport report = outbox.deliver_due();
  EXPECT_EQ(report.delivered, 1);
  EXPECT_EQ(outbox.status().pending, 0);

  sync::Db db;
  ASSERT_TRUE(db.open(dir / "receiver.db", nullptr, &error)) << error;
  sync::Stmt s(db.handle(), "SELECT kind, body FROM items");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.text(0), "handoff");
  const std::string sealed = s.blob(1);
  EXPECT_FALSE(s.step()) << "exactly one item";
  EXPECT_EQ(sealed.find(code), std::string::npos) << "sealed on the way";

  auto opened = sync::unseal(sealed, agency);
  ASSERT_TRUE(opened);
  auto j = nlohmann::json::parse(*opened);
  EXPECT_EQ(j["code"], code);
  EXPECT_EQ(j["language"], "uk");
  ASSERT_EQ(j["checklist"].size(), 2u);
  EXPECT_EQ(j["checklist"][0]["text"], app.handoff_text("uk"));
  EXPECT_EQ(j["checklist"][1]["language"], "ja");
  EXPECT_EQ(j["checklist"][1]["text"], app.handoff_text("ja"));
}

}  // namespace
}  // namespace kiosk::ui
