// SPDX-License-Identifier: GPL-3.0-or-later
// load_pack(): parses and validates a pack (docs/pack-format.md).
//
// Order: manifest -> catalogues -> help -> questions -> rules (facts, then rules) ->
// procedures -> expressions (syntax, fact cycles, types, question order and cycles, questions
// that can never be shown) -> message ids -> completeness of each language -> recordings.
// Every problem becomes a Diagnostic with file:line:col. yaml-cpp throws on syntax errors
// and on misuse; both are caught per file so one broken file never hides the others and
// nothing escapes to the caller.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "core/pack.h"
#include "core/pack_analysis.h"
#include "core/po.h"
#include "core/recording.h"

namespace kiosk::core {
namespace {

const char* const kManifest = "pack.yaml";
const char* const kHelp = "help.yaml";
const char* const kProcedures = "procedures.yaml";
const char* const kQuestions = "questions.yaml";
const char* const kRules = "rules.yaml";

// Compiling a std::regex is slow; the loader uses a handful of patterns thousands of times.
bool matches(const std::string& s, const char* pattern) {
  thread_local std::map<const char*, std::regex> compiled;
  auto it = compiled.find(pattern);
  if (it == compiled.end()) it = compiled.emplace(pattern, std::regex(pattern)).first;
  return std::regex_match(s, it->second);
}

// A message id used in a YAML file, checked against the base catalogue at the end.
struct MessageRef {
  std::string id, file;
  int line = 0, col = 0;
};

// An expression string in a YAML file, with what is needed to map offsets to positions.
struct ExprSite {
  std::string file;
  YAML::Mark mark;
  std::string text;
};

class Loader {
 public:
  Loader(const PackFiles& files, const std::string& app_version, const LoadOptions& options)
      : files_(files), app_version_(app_version), options_(options) {}

  LoadResult run() {
    auto pack = std::make_shared<Pack>();
    pack_ = pack.get();
    guarded(kManifest, [&] { load_manifest(); });
    load_catalogues();
    guarded(kHelp, [&] { load_help(); });
    guarded(kQuestions, [&] { load_questions(); });
    guarded(kRules, [&] { load_rules(); });
    guarded(kProcedures, [&] { load_procedures(); });
    analyse();
    check_message_refs();
    if (options_.check_messages) check_placeholders();
    check_completeness();
    load_recordings(files_, all_ids_[pack_->manifest.base_language], *pack_, diags_);
    LoadResult result;
    std::stable_sort(diags_.begin(), diags_.end(), diagnostic_less);
    diags_.erase(std::unique(diags_.begin(), diags_.end(),
                             [](const Diagnostic& a, const Diagnostic& b) {
                               return format_diagnostic(a) == format_diagnostic(b);
                             }),
                 diags_.end());
    result.diagnostics = std::move(diags_);
    for (const auto& lang : pack->manifest.languages)
      if (pack->catalogues.count(lang.tag))  // deferred ones are not parsed just for this
        result.completeness.emplace_back(lang.tag, pack->completeness_percent(lang.tag));
    if (!has_error(result.diagnostics)) {
      pack->build_index();
      result.pack = std::move(pack);
    }
    return result;
  }

 private:
  // ------------------------------------------------------------ diagnostics

  void error(const std::string& file, int line, int col, std::string message) {
    diags_.push_back({file, line, col, Severity::Error, std::move(message)});
  }
  void warning(const std::string& file, int line, int col, std::string message) {
    diags_.push_back({file, line, col, Severity::Warning, std::move(message)});
  }
  void error_at(const std::string& file, const YAML::Node& n, std::string message) {
    auto m = n.Mark();
    error(file, m.line + 1, m.column + 1, std::move(message));
  }

  // Runs one file's loader, turning any yaml-cpp exception into a diagnostic.
  void guarded(const char* file, const std::function<void()>& body) {
    try {
      body();
    } catch (const YAML::Exception& e) {
      error(file, e.mark.line + 1, e.mark.column + 1, e.msg);
    } catch (const std::exception& e) {
      error(file, 0, 0, std::string("cannot read: ") + e.what());
    }
  }

  // Parses a YAML file; an undefined node when absent (with an error if required).
  YAML::Node load_yaml(const char* file, bool required) {
    auto it = files_.find(file);
    if (it == files_.end()) {
      if (required) error(file, 0, 0, "missing required file");
      return YAML::Node(YAML::NodeType::Undefined);
    }
    try {
      return YAML::Load(it->second);
    } catch (const YAML::Exception& e) {
      std::string msg = e.msg.empty() ? "YAML syntax error" : e.msg;
      error(file, e.mark.line + 1, e.mark.column + 1, "YAML syntax error: " + msg);
      return YAML::Node(YAML::NodeType::Undefined);
    }
  }

  // The list under `key` of a top-level map, or an undefined node with an error.
  YAML::Node top_list(const char* file, const YAML::Node& root, const char* key, bool required) {
    if (!root.IsDefined() || root.IsNull()) return YAML::Node(YAML::NodeType::Undefined);
    if (!root.IsMap()) {
      error_at(file, root, std::string("expected a map with '") + key + "'");
      return YAML::Node(YAML::NodeType::Undefined);
    }
    YAML::Node list = root[key];
    if (!list.IsDefined() || list.IsNull()) {
      if (required) error_at(file, root, std::string("missing '") + key + "'");
      return YAML::Node(YAML::NodeType::Undefined);
    }
    if (!list.IsSequence()) {
      error_at(file, list, std::string("'") + key + "' must be a list");
      return YAML::Node(YAML::NodeType::Undefined);
    }
    return list;
  }

  // ------------------------------------------------------------ typed fields

  // Warns about keys that the format does not define (usually typos: "sorce").
  void allowed_keys(const char* file, const YAML::Node& map,
                    std::initializer_list<const char*> keys) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      bool known = false;
      for (const char* k : keys) known = known || key == k;
      if (!known) {
        auto m = it->first.Mark();
        warning(file, m.line + 1, m.column + 1, "unknown key '" + key + "'");
      }
    }
  }

  YAML::Node field(const YAML::Node& map, const char* key) {
    if (!map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    YAML::Node n = map[key];
    return n.IsDefined() && !n.IsNull() ? n : YAML::Node(YAML::NodeType::Undefined);
  }

  std::optional<std::string> text(const char* file, const YAML::Node& map, const char* key,
                                  bool required) {
    YAML::Node n = field(map, key);
    if (!n.IsDefined()) {
      if (required) error_at(file, map, std::string("missing '") + key + "'");
      return std::nullopt;
    }
    if (!n.IsScalar()) {
      error_at(file, n, std::string("'") + key + "' must be text");
      return std::nullopt;
    }
    return n.Scalar();
  }

  std::string text_or(const char* file, const YAML::Node& map, const char* key, bool required) {
    return text(file, map, key, required).value_or("");
  }

  // A message id field: recorded for the check against the base catalogue.
  std::string msg(const char* file, const YAML::Node& map, const char* key, bool required) {
    auto id = text(file, map, key, required);
    if (!id) return "";
    auto m = field(map, key).Mark();
    message_refs_.push_back({*id, file, m.line + 1, m.column + 1});
    return *id;
  }

  std::vector<std::string> text_list(const char* file, const YAML::Node& map, const char* key,
                                     std::vector<YAML::Mark>* marks = nullptr) {
    std::vector<std::string> out;
    YAML::Node n = field(map, key);
    if (!n.IsDefined()) return out;
    if (!n.IsSequence()) {
      error_at(file, n, std::string("'") + key + "' must be a list");
      return out;
    }
    for (const auto& item : n) {
      if (!item.IsScalar()) {
        error_at(file, item, std::string("each item of '") + key + "' must be text");
        continue;
      }
      out.push_back(item.Scalar());
      if (marks) marks->push_back(item.Mark());
    }
    return out;
  }

  std::vector<std::string> msg_list(const char* file, const YAML::Node& map, const char* key) {
    std::vector<YAML::Mark> marks;
    auto ids = text_list(file, map, key, &marks);
    for (size_t i = 0; i < ids.size(); ++i)
      message_refs_.push_back({ids[i], file, marks[i].line + 1, marks[i].column + 1});
    return ids;
  }

  bool flag(const char* file, const YAML::Node& map, const char* key) {
    auto s = text(file, map, key, false);
    if (!s) return false;
    if (*s == "true") return true;
    if (*s != "false")
      error_at(file, field(map, key), std::string("'") + key + "' must be true or false");
    return false;
  }

  std::optional<Date> date(const char* file, const YAML::Node& map, const char* key,
                           bool required) {
    auto s = text(file, map, key, required);
    if (!s) return std::nullopt;
    auto d = Date::parse(*s);
    if (!d) error_at(file, field(map, key), "invalid date '" + *s + "' (expected YYYY-MM-DD)");
    return d;
  }

  std::optional<double> number(const char* file, const YAML::Node& map, const char* key) {
    auto s = text(file, map, key, false);
    if (!s) return std::nullopt;
    if (!matches(*s, "-?[0-9]{1,12}(\\.[0-9]{1,6})?")) {
      error_at(file, field(map, key), std::string("'") + key + "' must be a number");
      return std::nullopt;
    }
    return std::stod(*s);
  }

  // An id field: required, matching `pattern`, unique within `seen`.
  std::string id_field(const char* file, const YAML::Node& map, const char* key,
                       const char* pattern, const char* what, std::set<std::string>& seen) {
    auto id = text(file, map, key, true);
    if (!id) return "";
    if (!matches(*id, pattern)) {
      error_at(file, field(map, key),
               std::string("invalid ") + what + " id '" + *id + "' (allowed: " + pattern + ")");
    } else if (!seen.insert(*id).second) {
      error_at(file, field(map, key), std::string("duplicate ") + what + " id '" + *id + "'");
    }
    return *id;
  }

  // ------------------------------------------------------------ references checked later

  struct IdRef {
    enum Kind { Source, Help, Check } kind;
    std::string id, file;
    YAML::Mark mark;
  };

  void ref(IdRef::Kind kind, const char* file, const YAML::Node& map, const char* key,
           bool required) {
    auto id = text(file, map, key, required);
    if (id) id_refs_.push_back({kind, *id, file, field(map, key).Mark()});
  }

  void ref_list(IdRef::Kind kind, const char* file, const YAML::Node& map, const char* key) {
    std::vector<YAML::Mark> marks;
    auto ids = text_list(file, map, key, &marks);
    for (size_t i = 0; i < ids.size(); ++i) id_refs_.push_back({kind, ids[i], file, marks[i]});
  }

  // ------------------------------------------------------------ manifest

  void load_manifest() {
    YAML::Node root = load_yaml(kManifest, true);
    if (!root.IsDefined()) return;
    if (!root.IsMap()) return error_at(kManifest, root, "the manifest must be a map");
    manifest_ok_ = true;
    allowed_keys(kManifest, root,
                 {"format", "id", "version", "min_app_version", "title", "notice", "base_language",
                  "office_language", "reviewer", "languages", "sources"});
    Manifest& m = pack_->manifest;
    if (auto f = text(kManifest, root, "format", true)) {
      if (*f != std::to_string(kSupportedPackFormat))
        error_at(kManifest, field(root, "format"),
                 "unsupported pack format '" + *f + "'; this app reads format " +
                     std::to_string(kSupportedPackFormat));
      else
        m.format = kSupportedPackFormat;
    }
    m.id = text_or(kManifest, root, "id", true);
    if (!m.id.empty() && !matches(m.id, "[a-z0-9._-]+"))
      error_at(kManifest, field(root, "id"),
               "invalid pack id '" + m.id + "' (allowed: [a-z0-9._-]+)");
    m.version = dotted(root, "version");
    m.min_app_version = dotted(root, "min_app_version");
    if (!m.min_app_version.empty() && compare_versions(m.min_app_version, app_version_) > 0)
      error_at(
          kManifest, field(root, "min_app_version"),
          "the pack needs app version " + m.min_app_version + " or newer; this is " + app_version_);
    m.title_id = msg(kManifest, root, "title", true);
    m.notice_id = msg(kManifest, root, "notice", false);
    m.base_language = text_or(kManifest, root, "base_language", true);
    m.office_language = text_or(kManifest, root, "office_language", false);
    load_reviewer(field(root, "reviewer"));
    load_languages(root);
    load_sources(root);
  }

  std::string dotted(const YAML::Node& root, const char* key) {
    auto v = text(kManifest, root, key, true);
    if (!v) return "";
    if (!matches(*v, "[0-9]{1,9}(\\.[0-9]{1,9}){0,5}")) {
      error_at(kManifest, field(root, key),
               std::string("'") + key + "' must be dotted numbers such as 2026.11.27");
      return "";
    }
    return *v;
  }

  void load_reviewer(const YAML::Node& n) {
    if (!n.IsDefined()) return;
    if (!n.IsMap()) return error_at(kManifest, n, "'reviewer' must be a map with name and date");
    allowed_keys(kManifest, n, {"name", "date"});
    pack_->manifest.reviewer_name = text_or(kManifest, n, "name", true);
    pack_->manifest.reviewer_date = date(kManifest, n, "date", true);
  }

  void load_languages(const YAML::Node& root) {
    YAML::Node list = top_list(kManifest, root, "languages", true);
    if (!list.IsDefined()) return;
    std::set<std::string> seen;
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error_at(kManifest, item, "each language must be a map with tag and status");
        continue;
      }
      allowed_keys(kManifest, item, {"tag", "status", "note"});
      LanguageInfo lang;
      lang.tag =
          id_field(kManifest, item, "tag", "[a-z]{2,3}(-[A-Za-z0-9]{1,8})*", "language", seen);
      std::string status = text_or(kManifest, item, "status", true);
      if (status == "reviewed")
        lang.status = TranslationStatus::Reviewed;
      else if (status == "draft")
        lang.status = TranslationStatus::Draft;
      else if (status == "machine")
        lang.status = TranslationStatus::Machine;
      else if (!status.empty())
        error_at(kManifest, field(item, "status"),
                 "unknown status '" + status + "' (reviewed, draft or machine)");
      lang.note = text_or(kManifest, item, "note", false);
      language_marks_[lang.tag] = field(item, "tag").Mark();
      pack_->manifest.languages.push_back(std::move(lang));
    }
    if (!pack_->manifest.base_language.empty() && !seen.count(pack_->manifest.base_language))
      error_at(
          kManifest, field(root, "base_language"),
          "base language '" + pack_->manifest.base_language + "' is not listed in 'languages'");
  }

  void load_sources(const YAML::Node& root) {
    YAML::Node list = top_list(kManifest, root, "sources", true);
    if (!list.IsDefined()) return;
    std::set<std::string> seen;
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error_at(kManifest, item, "each source must be a map");
        continue;
      }
      allowed_keys(kManifest, item, {"id", "title", "url", "verified", "official", "uncertain"});
      Source s;
      s.id = id_field(kManifest, item, "id", "[a-z0-9][a-z0-9._-]*", "source", seen);
      s.title = text_or(kManifest, item, "title", true);
      s.url = text_or(kManifest, item, "url", true);
      s.verified = date(kManifest, item, "verified", true);
      s.official = flag(kManifest, item, "official");
      s.uncertain = flag(kManifest, item, "uncertain");
      pack_->manifest.sources.push_back(std::move(s));
    }
  }

  // ------------------------------------------------------------ catalogues

  void load_catalogues() {
    if (!manifest_ok_) return;  // without the language list every catalogue would be reported
    std::set<std::string> listed;
    for (const auto& l : pack_->manifest.languages) listed.insert(l.tag);
    for (const auto& [path, bytes] : files_) {
      if (path.rfind("messages/", 0) != 0) continue;
      if (path.size() < 13 || path.compare(path.size() - 3, 3, ".po") != 0) {
        warning(path, 0, 0, "ignored: catalogues are messages/LANG.po");
        continue;
      }
      std::string tag = path.substr(9, path.size() - 12);
      if (!listed.count(tag)) {
        error(path, 0, 0, "catalogue for language '" + tag + "', which pack.yaml does not list");
        continue;
      }
      load_catalogue(path, tag, bytes);
    }
    for (const auto& l : pack_->manifest.languages) {
      if (!files_.count("messages/" + l.tag + ".po")) {
        auto m = language_marks_[l.tag];
        error(kManifest, m.line + 1, m.column + 1,
              "language '" + l.tag + "' has no catalogue messages/" + l.tag + ".po");
      }
    }
  }

  void load_catalogue(const std::string& path, const std::string& tag, const std::string& bytes) {
    if (options_.defer_catalogues && tag != pack_->manifest.base_language) {
      pack_->defer_catalogue(tag, bytes);
      return;
    }
    PoFile po;
    parse_po(bytes, path, po, diags_);
    Catalogue cat;
    cat.tag = tag;
    for (const auto& entry : po.entries) {
      if (entry.has_msgctxt || entry.msgstr.empty() || entry.fuzzy) continue;
      if (options_.check_messages) {
        if (auto d = check_message_format(entry, path)) {
          diags_.push_back(*d);
          continue;
        }
      }
      cat.messages[entry.msgid] = entry.msgstr;
      msgstr_lines_[tag][entry.msgid] = entry.msgstr_line;
    }
    for (const auto& entry : po.entries) {
      if (!entry.has_msgctxt && !entry.msgid.empty()) all_ids_[tag].insert(entry.msgid);
    }
    pack_->catalogues[tag] = std::move(cat);
  }

  // ------------------------------------------------------------ help

  void load_help() {
    YAML::Node root = load_yaml(kHelp, false);
    YAML::Node list = top_list(kHelp, root, "help", false);
    if (!list.IsDefined()) return;
    std::set<std::string> seen;
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error_at(kHelp, item, "each help place must be a map");
        continue;
      }
      allowed_keys(kHelp, item, {"id", "name", "phone", "hours", "languages", "source"});
      HelpPlace h;
      h.id = id_field(kHelp, item, "id", "[a-z0-9][a-z0-9._-]*", "help", seen);
      h.name_id = msg(kHelp, item, "name", true);
      h.phone = text_or(kHelp, item, "phone", false);
      h.hours_id = msg(kHelp, item, "hours", false);
      h.languages = text_list(kHelp, item, "languages");
      h.source_id = text_or(kHelp, item, "source", false);
      if (!h.source_id.empty()) ref(IdRef::Source, kHelp, item, "source", false);
      pack_->help.push_back(std::move(h));
    }
  }

  // ------------------------------------------------------------ procedures

  void load_procedures() {
    YAML::Node root = load_yaml(kProcedures, false);
    YAML::Node list = top_list(kProcedures, root, "procedures", false);
    if (!list.IsDefined()) return;
    std::set<std::string> seen;
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error_at(kProcedures, item, "each procedure must be a map");
        continue;
      }
      allowed_keys(kProcedures, item,
                   {"id", "title", "summary", "official_name", "where", "check", "steps",
                    "documents", "fees", "deadlines", "help"});
      Procedure p;
      p.id = id_field(kProcedures, item, "id", "[a-z0-9][a-z0-9._-]*", "procedure", seen);
      p.title_id = msg(kProcedures, item, "title", true);
      p.summary_id = msg(kProcedures, item, "summary", true);
      p.official_name = text_or(kProcedures, item, "official_name", false);
      p.where_id = msg(kProcedures, item, "where", false);
      p.check_id = text_or(kProcedures, item, "check", false);
      if (!p.check_id.empty()) ref(IdRef::Check, kProcedures, item, "check", false);
      p.step_ids = msg_list(kProcedures, item, "steps");
      p.documents = load_documents(item);
      p.fees = load_cited(item, "fees");
      p.deadlines = load_cited(item, "deadlines");
      p.help_ids = text_list(kProcedures, item, "help");
      ref_list(IdRef::Help, kProcedures, item, "help");
      pack_->procedures.push_back(std::move(p));
    }
  }

  std::vector<Document> load_documents(const YAML::Node& proc) {
    std::vector<Document> out;
    YAML::Node list = field(proc, "documents");
    if (!list.IsDefined()) return out;
    if (!list.IsSequence()) {
      error_at(kProcedures, list, "'documents' must be a list");
      return out;
    }
    std::set<std::string> seen;
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error_at(kProcedures, item, "each document must be a map");
        continue;
      }
      allowed_keys(kProcedures, item, {"id", "name", "official_name", "note", "source"});
      Document d;
      d.id = id_field(kProcedures, item, "id", "[a-z0-9][a-z0-9._-]*", "document", seen);
      d.name_id = msg(kProcedures, item, "name", true);
      d.official_name = text_or(kProcedures, item, "official_name", false);
      d.note_id = msg(kProcedures, item, "note", false);
      d.source_id = text_or(kProcedures, item, "source", false);
      if (!d.source_id.empty()) ref(IdRef::Source, kProcedures, item, "source", false);
      out.push_back(std::move(d));
    }
    return out;
  }

  std::vector<CitedText> load_cited(const YAML::Node& proc, const char* key) {
    std::vector<CitedText> out;
    YAML::Node list = field(proc, key);
    if (!list.IsDefined()) return out;
    if (!list.IsSequence()) {
      error_at(kProcedures, list, std::string("'") + key + "' must be a list");
      return out;
    }
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error_at(kProcedures, item,
                 std::string("each item of '") + key + "' must be a map with text and source");
        continue;
      }
      allowed_keys(kProcedures, item, {"text", "source"});
      CitedText c;
      c.text_id = msg(kProcedures, item, "text", true);
      c.source_id = text_or(kProcedures, item, "source", true);
      if (!c.source_id.empty()) ref(IdRef::Source, kProcedures, item, "source", true);
      out.push_back(std::move(c));
    }
    return out;
  }

  // ------------------------------------------------------------ questions

  void load_questions() {
    YAML::Node root = load_yaml(kQuestions, true);
    YAML::Node list = top_list(kQuestions, root, "questions", true);
    if (!list.IsDefined()) return;
    std::set<std::string> seen;
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error_at(kQuestions, item, "each question must be a map");
        continue;
      }
      allowed_keys(kQuestions, item,
                   {"id", "type", "text", "help", "allow_unknown", "show_if", "checks", "options",
                    "min", "max"});
      Question q;
      q.id = id_field(kQuestions, item, "id", "[a-z][a-z0-9_]*", "question", seen);
      if (is_reserved_word(q.id))
        error_at(kQuestions, field(item, "id"), "'" + q.id + "' is a reserved word");
      q.type = question_type(item);
      q.text_id = msg(kQuestions, item, "text", true);
      q.help_id = msg(kQuestions, item, "help", false);
      q.allow_unknown = flag(kQuestions, item, "allow_unknown");
      if (auto s = text(kQuestions, item, "show_if", false)) {
        q.show_if_text = *s;
        show_if_sites_[q.id] = {kQuestions, field(item, "show_if").Mark(), *s};
      }
      q.check_ids = text_list(kQuestions, item, "checks");
      ref_list(IdRef::Check, kQuestions, item, "checks");
      load_options(item, q);
      load_bounds(item, q);
      pack_->questions.push_back(std::move(q));
    }
  }

  QuestionType question_type(const YAML::Node& item) {
    std::string t = text_or(kQuestions, item, "type", true);
    if (t == "yesno") return QuestionType::YesNo;
    if (t == "one_of") return QuestionType::OneOf;
    if (t == "several_of") return QuestionType::SeveralOf;
    if (t == "date") return QuestionType::Date;
    if (t == "number") return QuestionType::Number;
    broken_questions_.insert(text_or(kQuestions, item, "id", false));
    if (!t.empty())
      error_at(kQuestions, field(item, "type"),
               "unknown question type '" + t + "' (yesno, one_of, several_of, date or number)");
    return QuestionType::YesNo;
  }

  void load_options(const YAML::Node& item, Question& q) {
    YAML::Node list = field(item, "options");
    bool wants = q.type == QuestionType::OneOf || q.type == QuestionType::SeveralOf;
    if (!wants) {
      if (list.IsDefined())
        error_at(kQuestions, list, "only one_of and several_of questions have options");
      return;
    }
    if (!list.IsDefined() || !list.IsSequence() || list.size() == 0) {
      error_at(kQuestions, list.IsDefined() ? list : item,
               "a " + std::string(q.type == QuestionType::OneOf ? "one_of" : "several_of") +
                   " question needs a list of options");
      return;
    }
    std::set<std::string> seen;
    for (const auto& o : list) {
      if (!o.IsMap()) {
        error_at(kQuestions, o, "each option must be a map with id and text");
        continue;
      }
      allowed_keys(kQuestions, o, {"id", "text"});
      QuestionOption opt;
      opt.id = id_field(kQuestions, o, "id", "[a-z0-9][a-z0-9_-]*", "option", seen);
      opt.text_id = msg(kQuestions, o, "text", true);
      q.option_ids.push_back(opt.id);
      q.options.push_back(std::move(opt));
    }
  }

  void load_bounds(const YAML::Node& item, Question& q) {
    if (broken_questions_.count(q.id)) return;
    if (q.type != QuestionType::Number) {
      for (const char* k : {"min", "max"})
        if (field(item, k).IsDefined())
          error_at(kQuestions, field(item, k),
                   std::string("only number questions have '") + k + "'");
      return;
    }
    q.min = number(kQuestions, item, "min");
    q.max = number(kQuestions, item, "max");
    if (q.min && q.max && *q.min > *q.max)
      error_at(kQuestions, field(item, "min"), "'min' is greater than 'max'");
  }

  // ------------------------------------------------------------ rules and facts

  void load_rules() {
    YAML::Node root = load_yaml(kRules, true);
    if (!root.IsDefined() || root.IsNull()) return;
    if (!root.IsMap()) return error_at(kRules, root, "expected a map with 'facts' and 'rules'");
    rules_ok_ = true;
    allowed_keys(kRules, root, {"facts", "rules"});
    load_facts(field(root, "facts"));
    YAML::Node list = top_list(kRules, root, "rules", true);
    if (!list.IsDefined()) return;
    std::set<std::string> seen;
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error_at(kRules, item, "each rule must be a map");
        continue;
      }
      load_rule(item, seen);
    }
  }

  void load_facts(const YAML::Node& facts) {
    if (!facts.IsDefined()) return;
    if (!facts.IsMap())
      return error_at(kRules, facts, "'facts' must be a map of name: \"expression\"");
    std::set<std::string> seen;
    for (auto it = facts.begin(); it != facts.end(); ++it) {
      std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
      if (!matches(name, "[a-z][a-z0-9_]*") || is_reserved_word(name)) {
        error_at(
            kRules, it->first,
            "invalid fact name '" + name + "' (allowed: [a-z][a-z0-9_]*, not a reserved word)");
        continue;
      }
      if (!seen.insert(name).second) {
        error_at(kRules, it->first, "duplicate fact '" + name + "'");
        continue;
      }
      if (!it->second.IsScalar()) {
        error_at(kRules, it->second, "fact '" + name + "' must be an expression in quotes");
        continue;
      }
      Fact f;
      f.name = name;
      f.text = it->second.Scalar();
      fact_sites_[name] = {kRules, it->second.Mark(), f.text};
      fact_name_marks_[name] = it->first.Mark();
      pack_->facts.push_back(std::move(f));
    }
  }

  void load_rule(const YAML::Node& item, std::set<std::string>& seen) {
    allowed_keys(kRules, item,
                 {"id", "check", "applies_if", "when", "outcome", "message", "responsible",
                  "remedy", "help", "deadline", "values", "source"});
    Rule r;
    r.id = id_field(kRules, item, "id", "[a-z0-9][a-z0-9._-]*", "rule", seen);
    r.check_id = text_or(kRules, item, "check", true);
    if (!r.check_id.empty() && !matches(r.check_id, "[a-z0-9][a-z0-9._-]*"))
      error_at(kRules, field(item, "check"), "invalid check id '" + r.check_id + "'");
    r.applies_if = rule_expr(item, "applies_if", r.id, false);
    r.when = rule_expr(item, "when", r.id, true);
    r.deadline = rule_expr(item, "deadline", r.id, false);
    std::string outcome = text_or(kRules, item, "outcome", true);
    if (outcome == "action")
      r.outcome = Outcome::Action;
    else if (outcome == "blocker")
      r.outcome = Outcome::Blocker;
    else if (outcome == "ready")
      r.outcome = Outcome::Ready;
    else if (!outcome.empty())
      error_at(kRules, field(item, "outcome"),
               "unknown outcome '" + outcome + "' (action, blocker or ready)");
    r.message_id = msg(kRules, item, "message", true);
    r.remedy_id = msg(kRules, item, "remedy", false);
    std::string resp = text_or(kRules, item, "responsible", true);
    if (auto p = parse_responsible(resp))
      r.responsible = *p;
    else if (!resp.empty())
      error_at(
          kRules, field(item, "responsible"),
          "unknown responsible party '" + resp + "' (self, employer, school, agency or other)");
    r.help_ids = text_list(kRules, item, "help");
    ref_list(IdRef::Help, kRules, item, "help");
    load_values(item, r);
    if (!field(item, "source").IsDefined())
      error_at(kRules, item, "rule '" + r.id + "' has no source; every rule must cite a source");
    r.source_id = text_or(kRules, item, "source", false);
    if (!r.source_id.empty()) ref(IdRef::Source, kRules, item, "source", true);
    pack_->rules.push_back(std::move(r));
  }

  NamedExpr rule_expr(const YAML::Node& item, const char* key, const std::string& rule_id,
                      bool required) {
    NamedExpr e;
    e.name = key;
    auto s = text(kRules, item, key, required);
    if (!s) return e;
    e.text = *s;
    rule_sites_[rule_id + "\n" + key] = {kRules, field(item, key).Mark(), *s};
    return e;
  }

  void load_values(const YAML::Node& item, Rule& r) {
    YAML::Node values = field(item, "values");
    if (!values.IsDefined()) return;
    if (!values.IsMap())
      return error_at(kRules, values, "'values' must be a map of name: \"expression\"");
    for (auto it = values.begin(); it != values.end(); ++it) {
      std::string name = it->first.IsScalar() ? it->first.Scalar() : "";
      if (!matches(name, "[a-z][a-z0-9_]*") || name == "deadline") {
        error_at(kRules, it->first,
                 "invalid value name '" + name + "' (allowed: [a-z][a-z0-9_]*, not 'deadline')");
        continue;
      }
      if (!it->second.IsScalar()) {
        error_at(kRules, it->second, "value '" + name + "' must be an expression in quotes");
        continue;
      }
      NamedExpr e;
      e.name = name;
      e.text = it->second.Scalar();
      rule_sites_[r.id + "\nvalue:" + name] = {kRules, it->second.Mark(), e.text};
      r.values.push_back(std::move(e));
    }
    std::sort(r.values.begin(), r.values.end(),
              [](const NamedExpr& a, const NamedExpr& b) { return a.name < b.name; });
  }

  // ------------------------------------------------------------ expressions

  // Maps a byte offset inside an expression string to its line:col in the YAML file.
  // Exact for plain and quoted scalars on one line (escapes counted) and for block scalars
  // (| and >) line by line; folded multi-line plain scalars are approximate.
  std::pair<int, int> position(const ExprSite& site, int offset) {
    const std::string& src = files_.at(site.file);
    size_t pos = static_cast<size_t>(site.mark.pos);
    int line = site.mark.line + 1, col = site.mark.column + 1;
    char c = pos < src.size() ? src[pos] : '\0';
    if (c == '"' || c == '\'') return {line, col + 1 + raw_offset(src, pos + 1, c, offset)};
    if (c == '|' || c == '>') return block_position(src, pos, line, site.text, offset);
    return {line, col + offset};
  }

  // Raw bytes of a quoted scalar that encode its first `offset` characters.
  static int raw_offset(const std::string& src, size_t start, char quote, int offset) {
    size_t p = start;
    for (int i = 0; i < offset && p < src.size(); ++i) {
      if (quote == '"' && src[p] == '\\' && p + 1 < src.size()) {
        char e = src[p + 1];
        p += e == 'x' ? 4 : e == 'u' ? 6 : e == 'U' ? 10 : 2;
      } else if (quote == '\'' && src[p] == '\'' && p + 1 < src.size() && src[p + 1] == '\'') {
        p += 2;
      } else {
        ++p;
      }
    }
    return static_cast<int>(p - start);
  }

  static std::pair<int, int> block_position(const std::string& src, size_t indicator, int line,
                                            const std::string& value, int offset) {
    int value_line = 0;
    size_t line_start = 0;
    for (int i = 0; i < offset && i < static_cast<int>(value.size()); ++i)
      if (value[i] == '\n') {
        ++value_line;
        line_start = i + 1;
      }
    size_t p = src.find('\n', indicator);
    if (p == std::string::npos) return {line, 1};
    size_t indent = 0;
    while (p + 1 + indent < src.size() && src[p + 1 + indent] == ' ') ++indent;
    return {line + 1 + value_line,
            static_cast<int>(indent) + 1 + offset - static_cast<int>(line_start)};
  }

  void expr_error(const ExprSite& site, const ExprError& e, const std::string& prefix = "") {
    auto [line, col] = position(site, e.offset);
    error(site.file, line, col, prefix + e.message);
  }

  std::shared_ptr<const Expr> parse_site(const ExprSite& site) {
    ExprError err;
    auto e = parse_expr(site.text, &err);
    if (!e) {
      expr_error(site, err, "syntax error: ");
      return nullptr;
    }
    return std::shared_ptr<const Expr>(std::move(e));
  }

  // Type-checks a parsed expression; nullopt after reporting errors.
  std::optional<TypeResult> type_of(const ExprSite& site, const Expr& e) {
    std::vector<ExprError> errors;
    auto t = check_types(
        e, [&](const std::string& name) { return resolve(name); }, errors);
    for (const auto& err : errors) expr_error(site, err);
    return errors.empty() ? t : std::nullopt;
  }

  void expect_type(const ExprSite& site, const Expr& e, ValueType want, const char* what) {
    auto t = type_of(site, e);
    if (t && t->type != want) {
      auto [line, col] = position(site, 0);
      error(site.file, line, col,
            std::string(what) + " must be " + type_name(want) + ", found " + type_name(t->type));
    }
  }

  std::optional<NameInfo> resolve(const std::string& name) {
    for (const auto& q : pack_->questions) {
      if (q.id != name) continue;
      NameInfo info;
      info.kind = NameInfo::Kind::Question;
      info.type = question_value_type(q.type);
      if (!q.option_ids.empty()) {
        info.options = &q.option_ids;
        info.option_owner = q.id;
      }
      return info;
    }
    auto it = fact_types_.find(name);
    if (it == fact_types_.end()) return std::nullopt;
    NameInfo info;
    info.kind = NameInfo::Kind::Fact;
    info.type = it->second.type;
    info.options = it->second.options;
    info.option_owner = it->second.option_owner;
    return info;
  }

  bool reads_broken_fact(const Expr& e) {
    for (const auto& n : referenced_names(e))
      if (broken_facts_.count(n) || broken_questions_.count(n)) return true;
    return false;
  }

  void analyse() {
    for (const auto& f : pack_->facts)
      if (pack_->find_question(f.name)) {
        auto m = fact_name_marks_[f.name];
        error(kRules, m.line + 1, m.column + 1,
              "fact '" + f.name + "' has the same name as a question");
      }
    analyse_facts();
    analyse_questions();
    analyse_rules();
    check_id_refs();
  }

  void analyse_facts() {
    for (auto& f : pack_->facts) {
      f.expr = parse_site(fact_sites_[f.name]);
      if (!f.expr) broken_facts_.insert(f.name);
    }
    std::vector<std::string> order;
    for (const auto& cycle : find_fact_cycles(*pack_, order)) {
      const auto& m = fact_name_marks_[cycle.front()];
      error(kRules, m.line + 1, m.column + 1, "dependency cycle among facts: " + join_cycle(cycle));
      for (const auto& n : cycle) broken_facts_.insert(n);
    }
    std::vector<Fact> sorted;
    for (const auto& name : order) {
      Fact f = *pack_->find_fact(name);
      if (!f.expr || broken_facts_.count(name) || reads_broken_fact(*f.expr)) {
        broken_facts_.insert(name);
        continue;
      }
      auto t = type_of(fact_sites_[name], *f.expr);
      if (!t) {
        broken_facts_.insert(name);
        continue;
      }
      f.type = t->type;
      fact_types_[name] = *t;
      sorted.push_back(std::move(f));
    }
    pack_->facts = std::move(sorted);  // dependency order, as evaluation expects
  }

  void analyse_questions() {
    for (auto& q : pack_->questions) {
      auto site = show_if_sites_.find(q.id);
      if (site == show_if_sites_.end()) continue;
      q.show_if = parse_site(site->second);
      if (q.show_if && !reads_broken_fact(*q.show_if))
        expect_type(site->second, *q.show_if, ValueType::Bool, "show_if");
    }
    for (const auto& problem : find_question_order_problems(*pack_)) {
      auto [line, col] = position(show_if_sites_[problem.question], 0);
      error(kQuestions, line, col, problem.message);
    }
  }

  void analyse_rules() {
    for (auto& r : pack_->rules) {
      analyse_rule_expr(r, r.applies_if, ValueType::Bool, "applies_if");
      analyse_rule_expr(r, r.when, ValueType::Bool, "when");
      analyse_rule_expr(r, r.deadline, ValueType::Date, "deadline");
      for (auto& v : r.values) analyse_rule_expr(r, v, std::nullopt, nullptr);
      warn_questions_outside_check(r);
    }
  }

  // A rule that reads a question its check never asks can only ever see "unknown".
  void warn_questions_outside_check(const Rule& r) {
    std::set<std::string> warned;
    for (const NamedExpr* e : rule_exprs(r)) {
      if (!e->expr) continue;
      for (const auto& qid : questions_read(*pack_, *e->expr)) {
        const Question* q = pack_->find_question(qid);
        if (!q || q->asked_by(r.check_id) || !warned.insert(qid).second) continue;
        auto site = rule_sites_.find(r.id + "\n" +
                                     (e == &r.applies_if || e == &r.when || e == &r.deadline
                                          ? e->name
                                          : "value:" + e->name));
        if (site == rule_sites_.end()) continue;
        auto [line, col] = position(site->second, 0);
        warning(kRules, line, col,
                "rule '" + r.id + "' reads question '" + qid + "', which check '" + r.check_id +
                    "' does not ask; it is always unknown there");
      }
    }
  }

  static std::vector<const NamedExpr*> rule_exprs(const Rule& r) {
    std::vector<const NamedExpr*> out = {&r.applies_if, &r.when, &r.deadline};
    for (const auto& v : r.values) out.push_back(&v);
    return out;
  }

  // Placeholders of a rule's message and remedy must be the rule's values or `deadline`;
  // checked in every catalogue, at the msgstr's line.
  void check_placeholders() {
    for (const auto& r : pack_->rules) {
      std::set<std::string> provided = {"deadline"};
      for (const auto& v : r.values) provided.insert(v.name);
      for (const auto& [tag, cat] : pack_->catalogues)
        for (const auto& id : {r.message_id, r.remedy_id}) {
          auto it = cat.messages.find(id);
          if (id.empty() || it == cat.messages.end()) continue;
          if (only_provided_candidates(it->second, provided)) continue;  // fast path
          for (const auto& name : message_argument_names(it->second))
            if (!provided.count(name))
              warning("messages/" + tag + ".po", msgstr_lines_[tag][id], 1,
                      "'" + id + "' uses {" + name + "}, which rule '" + r.id +
                          "' does not provide (it provides: " + join(provided) + ")");
        }
    }
  }

  // Cheap over-approximation of a pattern's argument names: every word right after a '{'.
  // When all of them are provided, ICU's exact parse cannot find a missing one, so it is
  // skipped (it dominated load time with 20 languages).
  static bool only_provided_candidates(const std::string& pattern,
                                       const std::set<std::string>& provided) {
    for (size_t i = pattern.find('{'); i != std::string::npos; i = pattern.find('{', i + 1)) {
      size_t start = i + 1;
      while (start < pattern.size() && (pattern[start] == ' ' || pattern[start] == '\t')) ++start;
      size_t end = start;
      while (end < pattern.size() &&
             (std::isalnum(static_cast<unsigned char>(pattern[end])) || pattern[end] == '_'))
        ++end;
      if (end > start && !provided.count(pattern.substr(start, end - start))) return false;
    }
    return true;
  }

  static std::string join(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  void analyse_rule_expr(const Rule& r, NamedExpr& e, std::optional<ValueType> want,
                         const char* what) {
    auto site = rule_sites_.find(r.id + "\n" + (what ? e.name : "value:" + e.name));
    if (site == rule_sites_.end()) return;
    e.expr = parse_site(site->second);
    if (!e.expr || reads_broken_fact(*e.expr)) return;
    if (want)
      expect_type(site->second, *e.expr, *want, what);
    else
      type_of(site->second, *e.expr);
  }

  void check_id_refs() {
    std::set<std::string> checks;
    for (const auto& r : pack_->rules) checks.insert(r.check_id);
    for (const auto& ref : id_refs_) {
      // A manifest or rules file that failed to parse would make every reference look unknown.
      if ((ref.kind == IdRef::Source && !manifest_ok_) || (ref.kind == IdRef::Check && !rules_ok_))
        continue;
      bool ok = ref.kind == IdRef::Source ? pack_->find_source(ref.id) != nullptr
                : ref.kind == IdRef::Help ? pack_->find_help(ref.id) != nullptr
                                          : checks.count(ref.id) > 0;
      if (ok) continue;
      const char* what = ref.kind == IdRef::Source ? "source"
                         : ref.kind == IdRef::Help ? "help place"
                                                   : "check";
      const char* where = ref.kind == IdRef::Source ? " (not in pack.yaml sources)"
                          : ref.kind == IdRef::Help ? " (not in help.yaml)"
                                                    : " (no rule belongs to it)";
      error(ref.file, ref.mark.line + 1, ref.mark.column + 1,
            std::string("unknown ") + what + " '" + ref.id + "'" + where);
    }
  }

  // ------------------------------------------------------------ messages

  void check_message_refs() {
    const std::string& base = pack_->manifest.base_language;
    if (base.empty() || !pack_->catalogues.count(base)) return;
    const auto& ids = all_ids_[base];
    for (const auto& r : message_refs_)
      if (!ids.count(r.id))
        error(r.file, r.line, r.col,
              "unknown message id '" + r.id + "' (not in messages/" + base + ".po)");
  }

  void check_completeness() {
    const Catalogue* base = pack_->catalogue(pack_->manifest.base_language);
    if (!base) return;
    for (const auto& [tag, cat] : pack_->catalogues) {
      std::vector<std::string> missing;
      for (const auto& [id, text] : base->messages)
        if (!cat.messages.count(id)) missing.push_back(id);
      if (missing.empty()) continue;
      std::string list;
      for (size_t i = 0; i < missing.size() && i < 5; ++i) list += (i ? ", " : "") + missing[i];
      if (missing.size() > 5) list += ", ...";
      warning("messages/" + tag + ".po", 0, 0,
              std::to_string(missing.size()) + " of " + std::to_string(base->messages.size()) +
                  " messages missing or empty (" +
                  std::to_string(pack_->completeness_percent(tag)) + "% complete): " + list);
    }
  }

  const PackFiles& files_;
  std::string app_version_;
  Pack* pack_ = nullptr;
  std::vector<Diagnostic> diags_;
  std::vector<MessageRef> message_refs_;
  std::vector<IdRef> id_refs_;
  std::map<std::string, YAML::Mark> language_marks_;
  std::map<std::string, std::set<std::string>> all_ids_;  // tag -> every msgid, even untranslated
  std::map<std::string, ExprSite> show_if_sites_;         // question id ->
  std::map<std::string, ExprSite> fact_sites_;            // fact name ->
  std::map<std::string, YAML::Mark> fact_name_marks_;
  std::map<std::string, ExprSite> rule_sites_;  // "rule\nfield" ->
  std::map<std::string, TypeResult> fact_types_;
  std::set<std::string> broken_facts_;
  std::set<std::string> broken_questions_;
  std::map<std::string, std::map<std::string, int>>
      msgstr_lines_;  // tag -> message id -> line  // questions of unknown type: not type-checked
                      // against
  bool manifest_ok_ = false;  // pack.yaml parsed as a map
  LoadOptions options_;
  bool rules_ok_ = false;  // rules.yaml parsed as a map  // facts that failed to parse, type-check
                           // or are in a cycle
};

std::atomic<int64_t> g_load_pack_calls{0};

}  // namespace

int64_t load_pack_calls() {
  return g_load_pack_calls.load(std::memory_order_relaxed);
}

LoadResult load_pack(const PackFiles& files, const std::string& app_version,
                     const LoadOptions& options) {
  g_load_pack_calls.fetch_add(1, std::memory_order_relaxed);
  try {
    Loader loader(files, app_version, options);
    return loader.run();
  } catch (const std::exception& e) {
    // Not expected: every known failure is reported by the loader itself.
    LoadResult r;
    r.diagnostics.push_back({"pack.yaml", 0, 0, Severity::Error,
                             std::string("internal error while loading: ") + e.what()});
    return r;
  }
}

}  // namespace kiosk::core
