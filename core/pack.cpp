// SPDX-License-Identifier: GPL-3.0-or-later
// The pack model's lookups, version comparison and reading a pack folder.
// Loading and validation live in pack_load.cpp.
#include "core/pack.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>

#include "core/po.h"

namespace kiosk::core {

// ---------------------------------------------------------------- small model helpers

bool Question::asked_by(const std::string& check_id) const {
  return check_ids.empty() ||
         std::find(check_ids.begin(), check_ids.end(), check_id) != check_ids.end();
}

const QuestionOption* Question::find_option(const std::string& option_id) const {
  for (const auto& o : options)
    if (o.id == option_id) return &o;
  return nullptr;
}

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::NotApplicable:
      return "not_applicable";
    case Outcome::Ready:
      return "ready";
    case Outcome::Action:
      return "action";
    case Outcome::Blocker:
      return "blocker";
  }
  return "?";
}

const char* responsible_name(Responsible r) {
  switch (r) {
    case Responsible::Self:
      return "self";
    case Responsible::Employer:
      return "employer";
    case Responsible::School:
      return "school";
    case Responsible::Agency:
      return "agency";
    case Responsible::Other:
      return "other";
  }
  return "?";
}

std::optional<Outcome> parse_outcome(std::string_view s) {
  for (auto o : {Outcome::NotApplicable, Outcome::Ready, Outcome::Action, Outcome::Blocker})
    if (s == outcome_name(o)) return o;
  return std::nullopt;
}

std::optional<Responsible> parse_responsible(std::string_view s) {
  for (auto r : {Responsible::Self, Responsible::Employer, Responsible::School, Responsible::Agency,
                 Responsible::Other})
    if (s == responsible_name(r)) return r;
  return std::nullopt;
}

template <typename T, typename Key>
static const T* find_by(const std::vector<T>& items, const std::string& id, Key key) {
  for (const auto& item : items)
    if (item.*key == id) return &item;
  return nullptr;
}

void Pack::build_index() {
  question_index_.clear();
  fact_index_.clear();
  for (size_t i = 0; i < questions.size(); ++i) question_index_.emplace(questions[i].id, i);
  for (size_t i = 0; i < facts.size(); ++i) fact_index_.emplace(facts[i].name, i);
}

// The index is trusted only while it matches the vectors; after a hand edit (see
// build_index) the lookups fall back to scanning.
const Question* Pack::find_question(const std::string& id) const {
  if (question_index_.size() != questions.size()) return find_by(questions, id, &Question::id);
  auto it = question_index_.find(id);
  if (it == question_index_.end()) return nullptr;
  const Question& q = questions[it->second];
  return q.id == id ? &q : find_by(questions, id, &Question::id);
}

const Fact* Pack::find_fact(const std::string& name) const {
  if (fact_index_.size() != facts.size()) return find_by(facts, name, &Fact::name);
  auto it = fact_index_.find(name);
  if (it == fact_index_.end()) return nullptr;
  const Fact& f = facts[it->second];
  return f.name == name ? &f : find_by(facts, name, &Fact::name);
}

const Rule* Pack::find_rule(const std::string& id) const {
  return find_by(rules, id, &Rule::id);
}
const Procedure* Pack::find_procedure(const std::string& id) const {
  return find_by(procedures, id, &Procedure::id);
}
const HelpPlace* Pack::find_help(const std::string& id) const {
  return find_by(help, id, &HelpPlace::id);
}
const Source* Pack::find_source(const std::string& id) const {
  return find_by(manifest.sources, id, &Source::id);
}

struct Pack::DeferredCatalogues {
  std::mutex mutex;
  std::map<std::string, std::string> po_text;  // tag -> PO file text, until parsed
  std::map<std::string, Catalogue> parsed;     // nodes never move: pointers stay valid
};

void Pack::defer_catalogue(const std::string& tag, std::string po_text) {
  if (!deferred_) deferred_ = std::make_shared<DeferredCatalogues>();
  deferred_->po_text[tag] = std::move(po_text);
}

const Catalogue* Pack::catalogue(const std::string& tag) const {
  auto it = catalogues.find(tag);
  if (it != catalogues.end()) return &it->second;
  if (!deferred_) return nullptr;
  std::lock_guard lock(deferred_->mutex);
  if (auto done = deferred_->parsed.find(tag); done != deferred_->parsed.end())
    return &done->second;
  auto text = deferred_->po_text.find(tag);
  if (text == deferred_->po_text.end()) return nullptr;
  // The same filtering as at load (po_messages); problems were reported when the pack was
  // checked, so diagnostics are not kept here.
  PoFile po;
  std::vector<Diagnostic> ignored;
  parse_po(text->second, "messages/" + tag + ".po", po, ignored);
  Catalogue& cat = deferred_->parsed[tag];
  cat.tag = tag;
  for (const auto& entry : po.entries)
    if (!entry.has_msgctxt && !entry.msgstr.empty() && !entry.fuzzy)
      cat.messages[entry.msgid] = entry.msgstr;
  deferred_->po_text.erase(text);
  return &cat;
}

std::vector<std::string> Pack::check_ids() const {
  std::set<std::string> ids;
  for (const auto& r : rules) ids.insert(r.check_id);
  return {ids.begin(), ids.end()};
}

int Pack::completeness_percent(const std::string& tag) const {
  const Catalogue* base = catalogue(manifest.base_language);
  const Catalogue* lang = catalogue(tag);
  if (!base || !lang) return 0;
  if (base->messages.empty()) return 100;
  size_t present = 0;
  for (const auto& [id, text] : base->messages) present += lang->messages.count(id);
  return static_cast<int>(present * 100 / base->messages.size());
}

int compare_versions(const std::string& a, const std::string& b) {
  auto parts = [](const std::string& s) {
    std::vector<unsigned long long> out;
    unsigned long long cur = 0;
    for (char c : s) {
      if (c == '.') {
        out.push_back(cur);
        cur = 0;
      } else if (c >= '0' && c <= '9' && cur < 1'000'000'000'000ULL) {
        cur = cur * 10 + static_cast<unsigned>(c - '0');
      }
    }
    out.push_back(cur);
    while (out.size() > 1 && out.back() == 0) out.pop_back();
    return out;
  };
  auto pa = parts(a), pb = parts(b);
  if (pa < pb) return -1;
  if (pb < pa) return 1;
  return 0;
}

std::optional<PackFiles> read_pack_dir(const std::filesystem::path& dir, std::string* error) {
  namespace fs = std::filesystem;
  constexpr std::uintmax_t kMaxFile = 16u << 20;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    if (error) *error = dir.string() + ": not a folder";
    return std::nullopt;
  }
  PackFiles files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    // A pack folder may come from anyone (a USB stick, an unpacked mail attachment): a
    // symbolic or hard link could make the loader or the publisher read a file from outside
    // it (a key, a password file), so links are refused rather than followed.
    if (it->is_symlink(ec)) {
      if (error)
        *error = it->path().string() + ": a symbolic link; a pack holds only regular files";
      return std::nullopt;
    }
    if (!it->is_regular_file(ec)) continue;
    std::string rel = fs::relative(it->path(), dir, ec).generic_string();
    if (ec) break;
    if (auto links = it->hard_link_count(ec); !ec && links > 1) {
      if (error)
        *error = it->path().string() + ": a hard link (" + std::to_string(links) +
                 " names); a pack holds only files of its own";
      return std::nullopt;
    }
    if (it->file_size(ec) > kMaxFile) {
      if (error) *error = it->path().string() + ": file larger than 16 MiB";
      return std::nullopt;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in && !in.eof()) {
      if (error) *error = it->path().string() + ": cannot read";
      return std::nullopt;
    }
    files[rel] = bytes.str();
  }
  if (ec) {
    if (error) *error = dir.string() + ": " + ec.message();
    return std::nullopt;
  }
  return files;
}

}  // namespace kiosk::core
