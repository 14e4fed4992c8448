// SPDX-License-Identifier: GPL-3.0-or-later
// The hand-off XForm and its submission instances, read back as XML: the structure a
// server relies on (form id and version, every field bound and labelled in every language,
// choices for every procedure and rule), and instances that fit it. ODK's own engines check
// the same files in tests/sync/odk_engines_test.sh.
#include "core/xform.h"

#include <gtest/gtest.h>
#include <tinyxml2.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/po.h"
#include "core/result_messages.h"
#include "tests/core/pack_fixtures.h"

namespace kiosk::core {
namespace {

namespace fs = std::filesystem;
using tinyxml2::XMLElement;

const fs::path kSource = KIOSK_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Demo {
  std::shared_ptr<const Pack> pack;
  std::unique_ptr<Localizer> labels;
};

const Demo& demo() {
  static const Demo d = [] {
    Demo out;
    auto files = testing::read_dir_or_fail(kSource / "assets/packs/jp-residence");
    out.pack = load_pack(files).pack;
    out.labels = std::make_unique<Localizer>(out.pack->manifest.base_language);
    for (const auto& l : out.pack->manifest.languages) {
      const fs::path po = kSource / "locales" / (l.tag + ".po");
      std::string text = fs::exists(po) ? slurp(po) : "";
      out.labels->add_catalogue(l.tag,
                                merged_catalogue(*out.pack, l.tag, text.empty() ? nullptr : &text));
    }
    return out;
  }();
  return d;
}

std::vector<XMLElement*> children(XMLElement* e, const char* name = nullptr) {
  std::vector<XMLElement*> out;
  for (XMLElement* c = e ? e->FirstChildElement(name) : nullptr; c; c = c->NextSiblingElement(name))
    out.push_back(c);
  return out;
}

class Form : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(demo().pack);
    xml_ = export_handoff_xform(*demo().pack, *demo().labels);
    ASSERT_EQ(doc_.Parse(xml_.c_str()), tinyxml2::XML_SUCCESS) << doc_.ErrorStr();
    model_ = doc_.RootElement()->FirstChildElement("h:head")->FirstChildElement("model");
    ASSERT_NE(model_, nullptr);
  }
  XMLElement* primary() { return model_->FirstChildElement("instance")->FirstChildElement("data"); }
  std::string xml_;
  tinyxml2::XMLDocument doc_;
  XMLElement* model_ = nullptr;
};

TEST_F(Form, RootCarriesTheIdAndVersionTiedToThePack) {
  EXPECT_STREQ(primary()->Attribute("id"), "kiosk_handoff_jp_residence");
  const std::string version =
      demo().pack->manifest.version + "-" + std::to_string(kHandoffFormLayout);
  EXPECT_EQ(primary()->Attribute("version"), version);
  EXPECT_EQ(handoff_form("jp.residence", "2026.11.27").version, "2026.11.27-1");
}

TEST_F(Form, EveryPackLanguageIsATranslationAndTheOfficeLanguageIsTheDefault) {
  auto translations = children(model_->FirstChildElement("itext"), "translation");
  ASSERT_EQ(translations.size(), demo().pack->manifest.languages.size());
  EXPECT_STREQ(translations[0]->Attribute("lang"), "Japanese (ja)");
  EXPECT_STREQ(translations[0]->Attribute("default"), "true()");
  std::set<std::string> ids_first;
  for (XMLElement* t : children(translations[0], "text")) ids_first.insert(t->Attribute("id"));
  for (XMLElement* tr : translations) {
    std::set<std::string> ids;
    for (XMLElement* t : children(tr, "text")) {
      ids.insert(t->Attribute("id"));
      const char* value = t->FirstChildElement("value")->GetText();
      ASSERT_NE(value, nullptr) << tr->Attribute("lang") << " " << t->Attribute("id");
      // Labels of fields and fixed choices are real words, never the missing-message mark.
      if (std::string(t->Attribute("id")).find("/rule/") == std::string::npos) {
        EXPECT_NE(std::string(value), Localizer::kMissingText) << t->Attribute("id");
      }
    }
    EXPECT_EQ(ids, ids_first) << tr->Attribute("lang") << ": every translation has every text";
  }
}

TEST_F(Form, EveryBodyControlIsBoundAndEveryProcedureAndRuleIsAChoice) {
  std::set<std::string> bound;
  for (XMLElement* b : children(model_, "bind")) bound.insert(b->Attribute("nodeset"));
  std::set<std::string> values;
  std::function<void(XMLElement*)> walk = [&](XMLElement* e) {
    for (XMLElement* c : children(e)) {
      if (const char* ref = c->Attribute("ref"); ref && std::string(c->Name()) != "label" &&
                                                 std::string(c->Name()) != "hint" &&
                                                 std::string(c->Name()) != "group") {
        EXPECT_TRUE(bound.count(ref)) << ref;
      }
      if (std::string(c->Name()) == "value") values.insert(c->GetText() ? c->GetText() : "");
      walk(c);
    }
  };
  walk(doc_.RootElement()->FirstChildElement("h:body"));
  for (const auto& p : demo().pack->procedures) EXPECT_TRUE(values.count(p.id)) << p.id;
  for (const auto& r : demo().pack->rules) EXPECT_TRUE(values.count(r.id)) << r.id;
  for (const char* v : {"blocker", "action", "ready", "employer", "school", "agency"})
    EXPECT_TRUE(values.count(v)) << v;
  EXPECT_TRUE(bound.count("/data/meta/instanceID"));
}

TEST_F(Form, RuleLabelsAreTheMessageWithoutItsValues) {
  const std::string want =
      "<text id=\"/data/finding/rule/ext-expired:label\"><value>Your card expired "
      "… ago, and you have not applied.</value></text>";
  EXPECT_NE(xml_.find(want), std::string::npos);
}

TEST_F(Form, TheKeyGoesIntoTheSubmissionElement) {
  EXPECT_EQ(model_->FirstChildElement("submission"), nullptr) << "no key, no encryption";
  std::string xml = export_handoff_xform(*demo().pack, *demo().labels, {"MIIBIjANBgkq"});
  tinyxml2::XMLDocument doc;
  ASSERT_EQ(doc.Parse(xml.c_str()), tinyxml2::XML_SUCCESS);
  XMLElement* s =
      doc.RootElement()->FirstChildElement("h:head")->FirstChildElement("model")->FirstChildElement(
          "submission");
  ASSERT_NE(s, nullptr);
  EXPECT_STREQ(s->Attribute("base64RsaPublicKey"), "MIIBIjANBgkq");
}

Handoff sample() {
  Handoff h;
  h.code = "K7F3-9QPX";
  h.pack_id = "jp.residence";
  h.pack_version = demo().pack->manifest.version;
  h.procedure_id = "extension";
  h.language = "ar";
  h.office_language = "ja";
  h.date = *Date::from_ymd(2026, 11, 27);
  h.checklist_user = "تجديد <مدة> الإقامة & \"كذا\"\n✗ ...";
  h.checklist_office = "在留期間更新\n✗ ...";
  h.findings = {
      {"ext-no-insurance-employer", Outcome::Blocker, Responsible::Employer, {}, false},
      {"ext-window-open", Outcome::Ready, Responsible::Self, Date::from_ymd(2027, 1, 10), false}};
  return h;
}

TEST_F(Form, AnInstanceUsesOnlyTheFormsElementsInItsOrder) {
  const std::string id = instance_id_from_key("3f9c0a12b4c5d6e7f8091a2b3c4d5e6f");
  std::string xml = handoff_instance_xml(sample(), "2026.11.27-1[encrypted:AaI6i14V]", id);
  tinyxml2::XMLDocument doc;
  ASSERT_EQ(doc.Parse(xml.c_str()), tinyxml2::XML_SUCCESS);
  XMLElement* root = doc.RootElement();
  EXPECT_STREQ(root->Name(), "data");
  EXPECT_STREQ(root->Attribute("id"), primary()->Attribute("id"));
  EXPECT_STREQ(root->Attribute("version"), "2026.11.27-1[encrypted:AaI6i14V]");
  std::vector<std::string> form_order, got;
  for (XMLElement* c : children(primary())) form_order.push_back(c->Name());
  for (XMLElement* c : children(root))
    if (got.empty() || got.back() != c->Name()) got.push_back(c->Name());
  EXPECT_EQ(got, form_order);
  EXPECT_EQ(children(root, "finding").size(), 2u);
  EXPECT_STREQ(root->FirstChildElement("checklist_visitor")->GetText(),
               sample().checklist_user.c_str())
      << "escaped and read back exactly";
  EXPECT_STREQ(root->FirstChildElement("meta")->FirstChildElement("instanceID")->GetText(),
               id.c_str());
  EXPECT_STREQ(root->FirstChildElement("finding")->FirstChildElement("responsible")->GetText(),
               "employer");
}

TEST(InstanceId, IsARandomUuidDerivedFromTheKey) {
  const std::string a = instance_id_from_key("3f9c0a12b4c5d6e7f8091a2b3c4d5e6f");
  EXPECT_EQ(a, "uuid:3f9c0a12-b4c5-46e7-b809-1a2b3c4d5e6f");
  EXPECT_EQ(a, instance_id_from_key("3F9C0A12B4C5D6E7F8091A2B3C4D5E6F"));
  EXPECT_NE(a, instance_id_from_key("3f9c0a12b4c5d6e7f8091a2b3c4d5e60"));
  EXPECT_EQ(instance_id_from_key("short"), "");
}

TEST(MessageSkeleton, ArgumentsBecomeEllipsesAndQuotingIsResolved) {
  EXPECT_EQ(message_skeleton("Your card expired {days, plural, one {# day} other {# days}} ago."),
            "Your card expired … ago.");
  EXPECT_EQ(message_skeleton("Apply by {expiry, date, long}, then {x}."), "Apply by …, then ….");
  EXPECT_EQ(message_skeleton("It''s '{'literal'}' text"), "It's {literal} text");
  EXPECT_EQ(message_skeleton("no arguments"), "no arguments");
  EXPECT_EQ(message_skeleton("{broken"), "{broken");
}

}  // namespace
}  // namespace kiosk::core
