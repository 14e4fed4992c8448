// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/counts.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/json_fields.h"

namespace kiosk::core {

namespace {

using nlohmann::json;

// "finding:..." is the released name of the held cells; "held:" is the counted one.
struct TableKey {
  std::string table, key;
};

TableKey split_cell(const std::string& cell) {
  if (cell == "visits") return {"visits", "all"};
  const auto colon = cell.find(':');
  std::string table = cell.substr(0, colon), key = cell.substr(colon + 1);
  if (table == "held") table = "finding";
  return {table, key};
}

// A uniform double in (0, 1] from 53 random bits.
double uniform(const Random64& random) {
  return static_cast<double>((random() >> 11) + 1) * 0x1.0p-53;
}

}  // namespace

std::set<std::string> visit_cells(const VisitRecord& v) {
  std::set<std::string> cells;
  if (v.language.empty()) return cells;
  cells.insert("visits");
  cells.insert("language:" + v.language);
  for (const auto& p : v.procedures) cells.insert("procedure:" + p);
  for (const auto& check : v.checks) {
    cells.insert("check:" + check.check_id);
    for (const auto& r : check.rules) {
      if (r.why == "condition-true") cells.insert("held:" + r.rule_id);
      if (r.waits_for_answer()) cells.insert("undecided:" + r.rule_id);
    }
  }
  return cells;
}

void add_visit(DayCounts& day, const VisitRecord& visit) {
  for (const auto& cell : visit_cells(visit)) day[cell]++;
}

std::vector<std::string> count_domain(const Pack& pack) {
  std::vector<std::string> cells = {"visits"};
  for (const auto& l : pack.manifest.languages) cells.push_back("language:" + l.tag);
  for (const auto& p : pack.procedures) cells.push_back("procedure:" + p.id);
  for (const auto& c : pack.check_ids()) cells.push_back("check:" + c);
  for (const auto& r : pack.rules) cells.push_back("held:" + r.id);
  for (const auto& r : pack.rules) cells.push_back("undecided:" + r.id);
  return cells;
}

int64_t geometric_noise(double epsilon, const Random64& random) {
  if (epsilon <= 0) return 0;
  // P(G = g) = (1 - a) a^g with a = exp(-epsilon); the difference of two is two-sided.
  const double log_a = -epsilon;
  auto one_sided = [&] {
    return static_cast<int64_t>(std::floor(std::log(uniform(random)) / log_a));
  };
  return one_sided() - one_sided();
}

CountsRelease release_counts(const DayCounts& day_counts, const Pack& pack,
                             const std::string& office, Date day, const ReleaseOptions& options,
                             const Random64& random) {
  CountsRelease r;
  r.office = office;
  r.day = day;
  r.pack_id = pack.manifest.id;
  r.pack_version = pack.manifest.version;
  r.k = options.k;
  r.epsilon = options.epsilon;
  for (const auto& cell : count_domain(pack)) {
    auto it = day_counts.find(cell);
    const int64_t truth = it == day_counts.end() ? 0 : it->second;
    const int64_t noisy = truth + geometric_noise(options.epsilon, random);
    TableKey tk = split_cell(cell);
    ReleasedCell out{tk.table, tk.key, std::nullopt, "", ""};
    // Suppression looks at the noisy count only: deciding on the true one would itself leak.
    // k 0 withholds nothing, negative noisy counts included: sums over days stay unbiased.
    if (options.k <= 0 || noisy >= options.k) out.count = noisy;
    if (tk.table == "finding" || tk.table == "undecided")
      if (const Rule* rule = pack.find_rule(tk.key)) {
        out.outcome = outcome_name(rule->outcome);
        out.responsible = responsible_name(rule->responsible);
      }
    r.cells.push_back(std::move(out));
  }
  return r;
}

std::string counts_json(const CountsRelease& r) {
  json j = {{"kind", "counts"},
            {"version", r.version},
            {"office", r.office},
            {"day", r.day.to_string()},
            {"pack", {{"id", r.pack_id}, {"version", r.pack_version}}},
            {"k", r.k},
            {"epsilon", r.epsilon}};
  j["cells"] = json::array();
  for (const auto& c : r.cells) {
    json cell = {{"table", c.table}, {"key", c.key}};
    cell["count"] = c.count ? json(*c.count) : json(nullptr);
    if (!c.outcome.empty()) cell["outcome"] = c.outcome;
    if (!c.responsible.empty()) cell["responsible"] = c.responsible;
    j["cells"].push_back(std::move(cell));
  }
  return j.dump();
}

std::optional<CountsRelease> parse_counts_json(std::string_view text, std::string* error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto fail = [&](const std::string& m) {
    *error = m;
    return std::nullopt;
  };
  if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
  if (string_field(j, "kind") != "counts") return fail("kind: not \"counts\"");
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != kCountsVersion)
    return fail("version: expected " + std::to_string(kCountsVersion));
  CountsRelease r;
  auto day = Date::parse(string_field(j, "day"));
  if (!day) return fail("day: not a date (YYYY-MM-DD)");
  r.day = *day;
  if (!j.contains("office") || !j["office"].is_string()) return fail("office: missing");
  r.office = j["office"].get<std::string>();
  if (!j.contains("pack") || !j["pack"].is_object() || !j["pack"].contains("id") ||
      !j["pack"]["id"].is_string() || !j["pack"].contains("version") ||
      !j["pack"]["version"].is_string())
    return fail("pack: missing id or version");
  r.pack_id = j["pack"]["id"];
  r.pack_version = j["pack"]["version"];
  if (!j.contains("k") || !j["k"].is_number_integer()) return fail("k: missing");
  r.k = j["k"];
  if (!j.contains("epsilon") || !j["epsilon"].is_number()) return fail("epsilon: missing");
  r.epsilon = j["epsilon"];
  if (!j.contains("cells") || !j["cells"].is_array()) return fail("cells: missing or not an array");
  for (size_t i = 0; i < j["cells"].size(); ++i) {
    const json& c = j["cells"][i];
    const std::string where = "cells[" + std::to_string(i) + "]";
    if (!c.is_object() || !c.contains("table") || !c["table"].is_string() || !c.contains("key") ||
        !c["key"].is_string())
      return fail(where + ": needs table and key");
    ReleasedCell cell{c["table"], c["key"], std::nullopt, string_field(c, "outcome"),
                      string_field(c, "responsible")};
    if (c.contains("count") && !c["count"].is_null()) {
      if (!c["count"].is_number_integer()) return fail(where + ".count: not a whole number");
      cell.count = c["count"].get<int64_t>();
    }
    r.cells.push_back(std::move(cell));
  }
  return r;
}

}  // namespace kiosk::core
