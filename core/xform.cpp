// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/xform.h"

#include <tinyxml2.h>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace kiosk::core {

namespace {

constexpr const char* kRoot = "/data";

// The ODK XForms namespaces (https://getodk.github.io/xforms-spec/#namespaces).
constexpr const char* kNsXforms = "http://www.w3.org/2002/xforms";
constexpr const char* kNsHtml = "http://www.w3.org/1999/xhtml";
constexpr const char* kNsJr = "http://openrosa.org/javarosa";
constexpr const char* kNsOrx = "http://openrosa.org/xforms";
constexpr const char* kNsOdk = "http://www.opendatakit.org/xforms";

// Form ids and XML element names: letters, digits and '_' only (a pack id may hold '.').
std::string xml_name(std::string_view s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

// An XPath string literal: single quotes, unless the text holds one.
std::string xpath_literal(const std::string& s) {
  return s.find('\'') == std::string::npos ? "'" + s + "'" : "\"" + s + "\"";
}

// One list of choices of a select field: value -> message id (or a ready text, see Label).
struct Label {
  std::string msg_id;  // formatted per language; empty: `fixed` is used
  std::function<std::string(const std::string& tag)> fixed;
};
struct Choice {
  std::string value;
  Label label;
};

// A field of the form: where it sits, how it is typed and shown.
struct Field {
  std::string path;  // "/data/code"
  std::string type;  // "string", "date"
  Label label;
  bool required = true;
  std::string constraint;       // XPath, "" for none
  std::vector<Choice> choices;  // a select1 when not empty
  std::string appearance;       // "multiline" for the checklists
  bool shown = true;            // false: hidden (bound, not on a screen)
  std::string hint_id;          // a hint under the label, "" for none
};

Label msg(std::string id) {
  return Label{std::move(id), {}};
}

// A form: its fields in instance order, then one repeat and its fields.
struct FormModel {
  FormIdentity identity;
  std::string title_id;    // message of the form's title, {pack} = "id version"
  std::vector<Field> top;  // before the repeat
  std::string repeat;      // the repeat's element name ("finding")
  std::string repeat_label_id;
  std::vector<Field> repeated;  // inside /data/<repeat>
  std::string instance_name;    // XPath for meta/instanceName (what servers list)
};

std::vector<Choice> outcome_choices() {
  std::vector<Choice> out;
  for (Outcome o : {Outcome::Blocker, Outcome::Action, Outcome::Ready, Outcome::NotApplicable})
    out.push_back(
        {outcome_name(o), msg(std::string("ui.result.verdict.") + outcome_name(o) + ".short")});
  return out;
}

std::vector<Choice> responsible_choices() {
  std::vector<Choice> out;
  for (Responsible r : {Responsible::Self, Responsible::Employer, Responsible::School,
                        Responsible::Agency, Responsible::Other})
    out.push_back(
        {responsible_name(r), msg(std::string("form.responsible.") + responsible_name(r))});
  return out;
}

FormModel handoff_model(const Pack& pack) {
  const std::string base = kRoot;
  std::vector<Choice> procedures, languages, rules;
  for (const auto& p : pack.procedures) procedures.push_back({p.id, msg(p.title_id)});
  for (const auto& l : pack.manifest.languages) {
    const std::string tag = l.tag;
    // Each language under its name in the language of the translation, and its own ("ネパール語
    // · नेपाली"): staff and visitor both recognise it.
    languages.push_back({tag, Label{"", [tag](const std::string& in) {
                                      std::string own = language_name(tag);
                                      // ICU names ja-x-easy "日本語 (私用: easy)": its own
                                      // name (やさしい日本語) says it to everyone.
                                      if (tag == kEasyJapaneseTag) return own;
                                      std::string name = language_name_in(tag, in);
                                      return own == name ? name : name + " · " + own;
                                    }}});
  }
  for (const auto& r : pack.rules) {
    // Labels of findings show the message without its values ("Your card expired … ago."):
    // the values belong to one visit; the checklist texts carry them.
    const std::string id = r.message_id;
    const Pack* p = &pack;
    rules.push_back({r.id, Label{"", [p, id, rid = r.id](const std::string& tag) {
                                   for (const auto& t :
                                        fallback_chain(tag, p->manifest.base_language))
                                     if (const Catalogue* c = p->catalogue(t))
                                       if (auto it = c->messages.find(id); it != c->messages.end())
                                         return message_skeleton(it->second);
                                   return rid;
                                 }}});
  }
  std::vector<Choice> yes_no = {{"yes", msg("form.yes")}, {"no", msg("form.no")}};
  auto input = [](std::string path, std::string type, std::string label_id) {
    Field f;
    f.path = std::move(path);
    f.type = std::move(type);
    f.label = msg(std::move(label_id));
    return f;
  };
  auto select = [&](std::string path, std::string label_id, std::vector<Choice> choices) {
    Field f = input(std::move(path), "string", std::move(label_id));
    f.choices = std::move(choices);
    return f;
  };
  auto with = [](Field f, auto change) {
    change(f);
    return f;
  };
  auto multiline = [](Field& f) { f.appearance = "multiline"; };
  // Hidden and fixed: a submission for another pack (or version) does not validate.
  auto fixed_to = [](std::string value) {
    return [value](Field& f) {
      f.shown = false;
      f.constraint = ". = " + xpath_literal(value);
    };
  };
  FormModel m;
  m.identity = handoff_form(pack.manifest.id, pack.manifest.version);
  m.title_id = "form.title";
  m.repeat = "finding";
  m.repeat_label_id = "form.finding";
  // Central and Kobo list submissions under this name: the code is what the help desk asks.
  m.instance_name = "concat(/data/code, ' ', /data/procedure, ' ', /data/visit_date)";
  m.top = {
      with(input(base + "/code", "string", "form.code"),
           [](Field& f) {
             f.constraint = "regex(., '^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$')";
             f.hint_id = "form.code.hint";
           }),
      select(base + "/procedure", "form.procedure", procedures),
      input(base + "/visit_date", "date", "form.visit_date"),
      select(base + "/language", "form.language", languages),
      select(base + "/office_language", "form.office_language", languages),
      with(input(base + "/checklist_visitor", "string", "form.checklist_visitor"), multiline),
      with(input(base + "/checklist_office", "string", "form.checklist_office"), multiline),
      with(input(base + "/pack_id", "string", "form.pack_id"), fixed_to(pack.manifest.id)),
      with(input(base + "/pack_version", "string", "form.pack_version"),
           fixed_to(pack.manifest.version)),
  };
  const std::string f = base + "/finding";
  m.repeated = {
      select(f + "/rule", "form.finding.rule", rules),
      select(f + "/outcome", "form.finding.outcome", outcome_choices()),
      select(f + "/responsible", "form.finding.responsible", responsible_choices()),
      with(input(f + "/deadline", "date", "form.finding.deadline"),
           [](Field& d) { d.required = false; }),
      select(f + "/undecided", "form.finding.undecided", yes_no),
  };
  return m;
}

FormModel counts_model(const Pack& pack) {
  const std::string base = kRoot;
  auto field = [](std::string path, std::string type, std::string label_id, bool required) {
    Field f;
    f.path = std::move(path);
    f.type = std::move(type);
    f.label = msg(std::move(label_id));
    f.required = required;
    return f;
  };
  auto fixed = [&](std::string path, std::string label_id, const std::string& value) {
    Field f = field(std::move(path), "string", std::move(label_id), true);
    f.shown = false;
    f.constraint = ". = " + xpath_literal(value);
    return f;
  };
  std::vector<Choice> tables;
  for (const char* t : {"visits", "language", "procedure", "check", "finding", "undecided"})
    tables.push_back({t, msg(std::string("form.counts.table.") + t)});
  FormModel m;
  m.identity = counts_form(pack.manifest.id, pack.manifest.version);
  m.title_id = "form.counts.title";
  m.repeat = "cell";
  m.repeat_label_id = "form.counts.cell";
  m.instance_name = "concat(/data/office, ' ', /data/day)";
  m.top = {field(base + "/office", "string", "form.counts.office", true),
           field(base + "/day", "date", "form.counts.day", true),
           fixed(base + "/pack_id", "form.pack_id", pack.manifest.id),
           fixed(base + "/pack_version", "form.pack_version", pack.manifest.version),
           field(base + "/k", "int", "form.counts.k", true),
           field(base + "/epsilon", "decimal", "form.counts.epsilon", true)};
  const std::string c = base + "/cell";
  Field table = field(c + "/table", "string", "form.counts.table", true);
  table.choices = tables;
  Field outcome = field(c + "/outcome", "string", "form.finding.outcome", false);
  outcome.choices = outcome_choices();
  Field responsible = field(c + "/responsible", "string", "form.finding.responsible", false);
  responsible.choices = responsible_choices();
  m.repeated = {table, field(c + "/key", "string", "form.counts.key", true),
                field(c + "/count", "int", "form.counts.count", false), outcome, responsible};
  return m;
}

std::string leaf(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

std::string label_text(const Label& l, const Localizer& labels, const std::string& tag) {
  return l.msg_id.empty() ? l.fixed(tag) : labels.format_in(tag, l.msg_id);
}

// The languages of the form's translations, the office language first (it is the default:
// what a server shows when nobody picks a language).
std::vector<std::string> form_languages(const Pack& pack) {
  std::vector<std::string> tags;
  for (const auto& l : pack.manifest.languages) tags.push_back(l.tag);
  auto office = std::find(tags.begin(), tags.end(), pack.manifest.office_language);
  if (office != tags.end()) std::rotate(tags.begin(), office, office + 1);
  return tags;
}

// "Japanese (ja)": ODK clients read the language code from the parentheses.
std::string translation_name(const std::string& tag) {
  if (tag == kEasyJapaneseTag) return "Easy Japanese (" + tag + ")";  // ICU: "Private-Use: easy"
  return language_name_in(tag, "en") + " (" + tag + ")";
}

// One element per line without indentation: readable, and 25 languages of labels are large
// enough without leading spaces.
class LinePrinter : public tinyxml2::XMLPrinter {
 protected:
  void PrintSpace(int) override {}
};

class Writer {
 public:
  // `lines`: a line per element (the form); else everything on one line (a submission).
  Writer(tinyxml2::XMLPrinter& p, bool lines) : p_(p), compact_(!lines) {}
  // `inline_`: no line break before the element (a translation's <text><value>...</value></text>).
  Writer& open(const char* name, bool inline_ = false) {
    p_.OpenElement(name, compact_ || inline_);
    return *this;
  }
  Writer& attr(const char* name, const std::string& value) {
    p_.PushAttribute(name, value.c_str());
    return *this;
  }
  Writer& text(const std::string& t) {
    p_.PushText(t.c_str());
    return *this;
  }
  Writer& close(bool inline_ = false) {
    p_.CloseElement(compact_ || inline_);
    return *this;
  }
  Writer& element(const char* name, const std::string& t, bool inline_ = false) {
    return open(name, inline_).text(t).close(inline_);
  }
  Writer& empty(const char* name) { return open(name).close(); }

 private:
  tinyxml2::XMLPrinter& p_;
  bool compact_;
};

void write_itext(Writer& w, const Pack& pack, const FormModel& m, const Localizer& labels) {
  const auto tags = form_languages(pack);
  w.open("itext");
  for (size_t i = 0; i < tags.size(); ++i) {
    const std::string& tag = tags[i];
    w.open("translation").attr("lang", translation_name(tag));
    if (i == 0) w.attr("default", "true()");
    auto put = [&](const std::string& id, const std::string& value) {
      w.open("text").attr("id", id).element("value", value, true).close(true);
    };
    put("/data/" + m.repeat + ":label", labels.format_in(tag, m.repeat_label_id));
    for (const auto* fields : {&m.top, &m.repeated})
      for (const Field& f : *fields) {
        put(f.path + ":label", label_text(f.label, labels, tag));
        if (!f.hint_id.empty()) put(f.path + ":hint", labels.format_in(tag, f.hint_id));
        for (const Choice& c : f.choices)
          put(f.path + "/" + c.value + ":label", label_text(c.label, labels, tag));
      }
    w.close();
  }
  w.close();
}

void write_instance(Writer& w, const FormModel& m) {
  w.open("instance");
  w.open("data").attr("id", m.identity.id).attr("version", m.identity.version);
  for (const Field& f : m.top) w.empty(leaf(f.path).c_str());
  // The repeat's template: what each new entry starts from.
  w.open(m.repeat.c_str()).attr("jr:template", "");
  for (const Field& f : m.repeated) w.empty(leaf(f.path).c_str());
  w.close();
  w.open("meta").empty("instanceID").empty("instanceName").close();
  w.close().close();
}

void write_binds(Writer& w, const FormModel& m) {
  for (const auto* fields : {&m.top, &m.repeated})
    for (const Field& f : *fields) {
      w.open("bind").attr("nodeset", f.path).attr("type", f.type);
      if (f.required) w.attr("required", "true()");
      if (!f.constraint.empty()) w.attr("constraint", f.constraint);
      w.close();
    }
  w.open("bind")
      .attr("nodeset", "/data/meta/instanceID")
      .attr("type", "string")
      .attr("readonly", "true()")
      .attr("jr:preload", "uid")
      .close();
  w.open("bind")
      .attr("nodeset", "/data/meta/instanceName")
      .attr("type", "string")
      .attr("calculate", m.instance_name)
      .close();
}

// A submission instance's declaration and root, as ODK clients write it (no default
// namespace; id and version of the form as the server holds it).
void open_submission(tinyxml2::XMLPrinter& printer, Writer& w, const std::string& form_id,
                     const std::string& form_version) {
  printer.PushDeclaration("xml version=\"1.0\" encoding=\"UTF-8\"");
  w.open("data")
      .attr("xmlns:jr", kNsJr)
      .attr("xmlns:orx", kNsOrx)
      .attr("id", form_id)
      .attr("version", form_version);
}

void write_control(Writer& w, const Field& f) {
  if (!f.shown) return;
  w.open(f.choices.empty() ? "input" : "select1").attr("ref", f.path);
  if (!f.appearance.empty()) w.attr("appearance", f.appearance);
  w.open("label").attr("ref", "jr:itext('" + f.path + ":label')").close();
  if (!f.hint_id.empty()) w.open("hint").attr("ref", "jr:itext('" + f.path + ":hint')").close();
  for (const Choice& c : f.choices)
    w.open("item")
        .open("label")
        .attr("ref", "jr:itext('" + f.path + "/" + c.value + ":label')")
        .close()
        .element("value", c.value)
        .close();
  w.close();
}

}  // namespace

FormIdentity handoff_form(const std::string& pack_id, const std::string& pack_version) {
  return {"kiosk_handoff_" + xml_name(pack_id),
          pack_version + "-" + std::to_string(kHandoffFormLayout)};
}

static std::string export_xform(const Pack& pack, const FormModel& m, const Localizer& labels,
                                const XFormOptions& options) {
  LinePrinter printer;
  printer.PushDeclaration("xml version=\"1.0\" encoding=\"UTF-8\"");
  Writer w(printer, /*lines=*/true);
  w.open("h:html")
      .attr("xmlns", kNsXforms)
      .attr("xmlns:h", kNsHtml)
      .attr("xmlns:jr", kNsJr)
      .attr("xmlns:orx", kNsOrx)
      .attr("xmlns:odk", kNsOdk);
  w.open("h:head");
  w.element("h:title",
            labels.format_in(pack.manifest.office_language, m.title_id,
                             {{"pack", pack.manifest.id + " " + pack.manifest.version}}));
  w.open("model").attr("odk:xforms-version", "1.0.0");
  write_itext(w, pack, m, labels);
  write_instance(w, m);
  write_binds(w, m);
  if (!options.base64_rsa_public_key.empty())
    w.open("submission")
        .attr("base64RsaPublicKey", options.base64_rsa_public_key)
        .attr("method", "post")
        .close();
  w.close().close();  // model, head
  w.open("h:body");
  for (const Field& f : m.top) write_control(w, f);
  const std::string repeat = "/data/" + m.repeat;
  w.open("group").attr("ref", repeat);
  w.open("label").attr("ref", "jr:itext('" + repeat + ":label')").close();
  w.open("repeat").attr("nodeset", repeat);
  for (const Field& f : m.repeated) write_control(w, f);
  w.close().close();  // repeat, group
  w.close().close();  // body, html
  return printer.CStr();
}

std::string export_handoff_xform(const Pack& pack, const Localizer& labels,
                                 const XFormOptions& options) {
  return export_xform(pack, handoff_model(pack), labels, options);
}

FormIdentity counts_form(const std::string& pack_id, const std::string& pack_version) {
  return {"kiosk_counts_" + xml_name(pack_id),
          pack_version + "-" + std::to_string(kCountsFormLayout)};
}

std::string export_counts_xform(const Pack& pack, const Localizer& labels,
                                const XFormOptions& options) {
  return export_xform(pack, counts_model(pack), labels, options);
}

std::string counts_instance_xml(const CountsRelease& r, const std::string& form_version,
                                const std::string& instance_id) {
  tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
  Writer w(printer, /*lines=*/false);
  open_submission(printer, w, counts_form(r.pack_id, r.pack_version).id, form_version);
  char epsilon[32];
  std::snprintf(epsilon, sizeof epsilon, "%g", r.epsilon);
  w.element("office", r.office)
      .element("day", r.day.to_string())
      .element("pack_id", r.pack_id)
      .element("pack_version", r.pack_version)
      .element("k", std::to_string(r.k))
      .element("epsilon", epsilon);
  for (const auto& c : r.cells)
    w.open("cell")
        .element("table", c.table)
        .element("key", c.key)
        .element("count", c.count ? std::to_string(*c.count) : "")
        .element("outcome", c.outcome)
        .element("responsible", c.responsible)
        .close();
  w.open("meta")
      .element("instanceID", instance_id)
      .element("instanceName", r.office + " " + r.day.to_string())
      .close();
  w.close();
  return printer.CStr();
}

std::string instance_id_from_key(const std::string& key_hex) {
  std::string h = key_hex;
  if (h.size() != 32) return "";
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  h[12] = '4';  // version 4 (random)
  static constexpr char kVariant[] = "89ab";
  h[16] = kVariant[std::stoi(h.substr(16, 1), nullptr, 16) & 3];  // variant 10xx
  return "uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20);
}

std::string handoff_instance_xml(const Handoff& h, const std::string& form_version,
                                 const std::string& instance_id) {
  tinyxml2::XMLPrinter printer(nullptr, /*compact=*/true);
  Writer w(printer, /*lines=*/false);
  open_submission(printer, w, handoff_form(h.pack_id, h.pack_version).id, form_version);
  w.element("code", h.code)
      .element("procedure", h.procedure_id)
      .element("visit_date", h.date.to_string())
      .element("language", h.language)
      .element("office_language", h.office_language)
      .element("checklist_visitor", h.checklist_user)
      .element("checklist_office",
               h.office_language == h.language ? h.checklist_user : h.checklist_office)
      .element("pack_id", h.pack_id)
      .element("pack_version", h.pack_version);
  for (const auto& f : h.findings) {
    w.open("finding")
        .element("rule", f.rule_id)
        .element("outcome", outcome_name(f.outcome))
        .element("responsible", responsible_name(f.responsible))
        .element("deadline", f.deadline ? f.deadline->to_string() : "")
        .element("undecided", f.undecided ? "yes" : "no")
        .close();
  }
  w.open("meta")
      .element("instanceID", instance_id)
      .element("instanceName", h.code + " " + h.procedure_id + " " + h.date.to_string())
      .close();
  w.close();
  return printer.CStr();
}

}  // namespace kiosk::core
