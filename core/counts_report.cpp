// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/counts_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/i18n.h"

namespace kiosk::core {

namespace {

// No office sees a billion visits a day: a count beyond that is no kiosk's, and keeping sums
// far from int64's end means adding thousands of releases cannot overflow.
constexpr int64_t kMaxCount = 1'000'000'000;
constexpr double kMaxEpsilon = 100;  // beyond this the noise is zero to double precision
constexpr double kZ95 = 1.96;

void add_cell(CellSum& sum, const ReleasedCell& cell, double epsilon) {
  if (!cell.count) {
    ++sum.withheld_days;
    return;
  }
  sum.count += *cell.count;
  ++sum.released_days;
  sum.variance += noise_variance(epsilon);
}

template <typename T>
std::vector<T> sorted_unique(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Most counted first; ties by key, so the order never depends on the input's.
std::vector<CellSum> by_count(const std::map<std::string, CellSum>& cells) {
  std::vector<CellSum> out;
  for (const auto& [key, sum] : cells) out.push_back(sum);
  std::stable_sort(out.begin(), out.end(),
                   [](const CellSum& a, const CellSum& b) { return a.count > b.count; });
  return out;
}

// The sums of every cell of the kept releases, by table then key.
struct Sums {
  std::map<std::string, std::map<std::string, CellSum>> tables;
  // The newest release's outcome and responsible party of each finding.
  std::map<std::string, std::pair<std::string, std::string>> finding_facts;
};

Sums add_up(const std::vector<const CountsRelease*>& kept) {
  Sums s;
  for (const CountsRelease* r : kept)
    for (const ReleasedCell& c : r->cells) {
      CellSum& sum = s.tables[c.table][c.key];
      sum.table = c.table;
      sum.key = c.key;
      add_cell(sum, c, r->epsilon);
      // `kept` runs oldest first, so the last one written is the newest release's.
      if (c.table == "finding" && (!c.outcome.empty() || !c.responsible.empty()))
        s.finding_facts[c.key] = {c.outcome, c.responsible};
    }
  return s;
}

std::string check_of(const std::string& rule_id, const Pack* pack,
                     const std::vector<std::string>& check_ids) {
  if (pack)
    if (const Rule* rule = pack->find_rule(rule_id)) return rule->check_id;
  return check_by_prefix(rule_id, check_ids);
}

FindingSum finding_sum(const std::string& rule_id, const Sums& s, const Pack* pack,
                       const std::vector<std::string>& check_ids) {
  auto cell = [&](const std::string& table, const std::string& key) {
    CellSum empty{table, key};
    auto t = s.tables.find(table);
    if (t == s.tables.end()) return empty;
    auto it = t->second.find(key);
    return it == t->second.end() ? empty : it->second;
  };
  FindingSum f;
  f.held = cell("finding", rule_id);
  f.undecided = cell("undecided", rule_id);
  if (auto it = s.finding_facts.find(rule_id); it != s.finding_facts.end())
    std::tie(f.outcome, f.responsible) = it->second;
  if (pack)
    if (const Rule* rule = pack->find_rule(rule_id)) {
      if (f.outcome.empty()) f.outcome = outcome_name(rule->outcome);
      if (f.responsible.empty()) f.responsible = responsible_name(rule->responsible);
    }
  f.check_id = check_of(rule_id, pack, check_ids);
  if (!f.check_id.empty()) {
    f.checks = cell("check", f.check_id);
    f.share = share_of(f.held, f.checks);
  }
  return f;
}

// Reliable first; then by share where both have one (a finding with a share first), then by
// count, then by id.
bool more_frequent(const FindingSum& a, const FindingSum& b) {
  if (a.reliable() != b.reliable()) return a.reliable();
  if (a.share.has_value() != b.share.has_value()) return a.share.has_value();
  if (a.share && a.share->value != b.share->value) return a.share->value > b.share->value;
  if (a.held.count != b.held.count) return a.held.count > b.held.count;
  return a.held.key < b.held.key;
}

std::vector<FindingSum> findings_of(const Sums& s, const Pack* pack) {
  std::vector<std::string> check_ids;
  if (auto t = s.tables.find("check"); t != s.tables.end())
    for (const auto& [id, sum] : t->second) check_ids.push_back(id);
  std::set<std::string> rule_ids;
  for (const char* table : {"finding", "undecided"})
    if (auto t = s.tables.find(table); t != s.tables.end())
      for (const auto& [id, sum] : t->second) rule_ids.insert(id);
  std::vector<FindingSum> out;
  for (const auto& id : rule_ids) out.push_back(finding_sum(id, s, pack, check_ids));
  std::sort(out.begin(), out.end(), more_frequent);
  return out;
}

void describe_releases(const std::vector<const CountsRelease*>& kept, CountsSummary& out) {
  std::vector<std::string> offices, pack_ids, pack_versions;
  std::vector<int> ks;
  std::vector<double> epsilons;
  std::set<Date> days;
  for (const CountsRelease* r : kept) {
    offices.push_back(r->office);
    pack_ids.push_back(r->pack_id);
    pack_versions.push_back(r->pack_version);
    ks.push_back(r->k);
    epsilons.push_back(r->epsilon);
    days.insert(r->day);
  }
  out.offices = sorted_unique(offices);
  out.pack_ids = sorted_unique(pack_ids);
  out.pack_versions = sorted_unique(pack_versions);
  out.ks = sorted_unique(ks);
  out.epsilons = sorted_unique(epsilons);
  out.releases = static_cast<int>(kept.size());
  out.days = static_cast<int>(days.size());
  if (!days.empty()) {
    out.first_day = *days.begin();
    out.last_day = *days.rbegin();
  }
}

std::string skeleton_in(const Pack& pack, const std::string& message_id, const std::string& tag) {
  for (const auto& t : fallback_chain(tag, pack.manifest.base_language))
    if (const Catalogue* c = pack.catalogue(t))
      if (auto it = c->messages.find(message_id); it != c->messages.end())
        return message_skeleton(it->second);
  return "";
}

}  // namespace

double noise_variance(double epsilon) {
  if (!(epsilon > 0)) return 0;
  const double a = std::exp(-epsilon);
  return 2 * a / ((1 - a) * (1 - a));
}

double CellSum::margin95() const {
  return kZ95 * std::sqrt(variance);
}

std::optional<Share> share_of(const CellSum& part, const CellSum& whole) {
  if (whole.count <= 0) return std::nullopt;
  const double p = static_cast<double>(part.count), w = static_cast<double>(whole.count);
  Share s;
  s.value = p / w;
  s.margin95 = kZ95 * std::sqrt((part.variance + s.value * s.value * whole.variance) / (w * w));
  return s;
}

std::string release_problem(const CountsRelease& r) {
  if (!std::isfinite(r.epsilon) || r.epsilon < 0 || r.epsilon > kMaxEpsilon)
    return "epsilon: " + std::to_string(r.epsilon) + " is not between 0 and 100";
  if (r.k < 0 || r.k > kMaxCount) return "k: " + std::to_string(r.k) + " is out of range";
  // A kiosk that withholds nothing (k 0) sends the noisy counts as they are, negative ones too;
  // below k otherwise no count is released.
  const int64_t lowest = r.k == 0 ? -kMaxCount : 0;
  for (size_t i = 0; i < r.cells.size(); ++i)
    if (const auto& count = r.cells[i].count; count && (*count < lowest || *count > kMaxCount))
      return "cells[" + std::to_string(i) + "].count: " + std::to_string(*count) +
             " is out of range for k " + std::to_string(r.k);
  return "";
}

bool CountsFilter::keeps(const CountsRelease& r) const {
  if (from && r.day < *from) return false;
  if (to && r.day > *to) return false;
  return offices.empty() || std::find(offices.begin(), offices.end(), r.office) != offices.end();
}

std::string check_by_prefix(const std::string& rule_id, const std::vector<std::string>& check_ids) {
  const std::string first_word = rule_id.substr(0, rule_id.find('-'));
  std::string found;
  for (const auto& check : check_ids) {
    // "ext-insurance" in "extension"; "change-docs" in "change"; "employer-notice-due" in
    // "employer-change".
    const bool fits = rule_id.starts_with(check + "-") || check.starts_with(first_word);
    if (!fits || first_word.empty()) continue;
    if (!found.empty()) return "";  // two checks fit: no guess
    found = check;
  }
  return found;
}

CountsSummary summarize_counts(const std::vector<CountsRelease>& releases, const Pack* pack,
                               const CountsFilter& filter) {
  std::vector<const CountsRelease*> kept;
  for (const auto& r : releases)
    if (filter.keeps(r)) kept.push_back(&r);
  std::stable_sort(kept.begin(), kept.end(),
                   [](const CountsRelease* a, const CountsRelease* b) { return a->day < b->day; });
  CountsSummary out;
  describe_releases(kept, out);
  const Sums sums = add_up(kept);
  auto table = [&](const char* name) {
    auto t = sums.tables.find(name);
    return t == sums.tables.end() ? std::vector<CellSum>{} : by_count(t->second);
  };
  const auto visits = table("visits");
  out.visits = visits.empty() ? CellSum{"visits", "all"} : visits.front();
  out.languages = table("language");
  out.procedures = table("procedure");
  out.checks = table("check");
  out.findings = findings_of(sums, pack);
  return out;
}

std::string finding_label(const Pack& pack, const std::string& rule_id, const std::string& tag) {
  const Rule* rule = pack.find_rule(rule_id);
  std::string label = rule ? skeleton_in(pack, rule->message_id, tag) : "";
  return label.empty() ? rule_id : label;
}

std::string procedure_label(const Pack& pack, const std::string& procedure_id,
                            const std::string& tag) {
  const Procedure* p = pack.find_procedure(procedure_id);
  std::string label = p ? skeleton_in(pack, p->title_id, tag) : "";
  return label.empty() ? procedure_id : label;
}

std::string check_label(const Pack& pack, const std::string& check_id, const std::string& tag) {
  for (const auto& p : pack.procedures)
    if (p.check_id == check_id) return procedure_label(pack, p.id, tag);
  return check_id;
}

}  // namespace kiosk::core
