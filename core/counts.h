// SPDX-License-Identifier: GPL-3.0-or-later
// Anonymous counts (docs/counts.md): how many visits, in which language, for which procedure,
// and how often each finding held, per office and per day. Built so that no count can be
// traced back to a person:
//  - a visit only adds 1 to marginal cells ("language:ne", "held:ext-insurance"); nothing
//    records which cells one visit touched, no time finer than the day, no answer;
//  - a day leaves the kiosk once, after it closed, as a release: every cell of the pack's
//    whole domain (zeros too, so a missing cell says nothing), each with two-sided geometric
//    noise (the discrete Laplace mechanism of differential privacy, epsilon per cell), then
//    every noisy count below k (5) withheld. See docs/counts.md for why both.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/eval.h"
#include "core/pack.h"

namespace kiosk::core {

constexpr int kCountsVersion = 1;

// Cell names. "visits" (every visit that chose a language), "language:TAG", "procedure:ID"
// (visits that opened it), "check:ID" (visits that completed that check), "held:RULE" (visits
// whose check found it), "undecided:RULE" (visits where it waited for an unknown answer).
using DayCounts = std::map<std::string, int64_t>;

// What one visit adds: each cell at most once.
struct VisitRecord {
  std::string language;              // "" when no language was chosen: nothing counted
  std::set<std::string> procedures;  // opened during the visit
  std::vector<CheckResult> checks;   // the last result of each check completed
};
std::set<std::string> visit_cells(const VisitRecord& visit);

// Adds a visit's cells to `day`.
void add_visit(DayCounts& day, const VisitRecord& visit);

// Every cell a release reports for this pack: visits, each language, procedure and check, and
// held/undecided for each rule.
std::vector<std::string> count_domain(const Pack& pack);

struct ReleaseOptions {
  int k = 5;  // noisy counts below this are withheld (null); 0: nothing withheld (noise alone)
  double epsilon = 0.5;  // per cell; 0 turns the noise off (tests of the suppression alone)
};

// One released cell. `count` is nullopt when withheld.
struct ReleasedCell {
  std::string table, key;  // "language", "ne"; "finding", "ext-insurance"; ...
  std::optional<int64_t> count;
  std::string outcome, responsible;  // findings only: the rule's, from the pack
};

struct CountsRelease {
  int version = kCountsVersion;
  std::string office;  // KIOSK_OFFICE, e.g. "shinjuku-2f"
  Date day;
  std::string pack_id, pack_version;
  int k = 5;
  double epsilon = 0.5;
  std::vector<ReleasedCell> cells;  // in count_domain order
};

// Uniform 64-bit random numbers (a CSPRNG in the kiosk, a seeded engine in tests).
using Random64 = std::function<uint64_t()>;

// The release of a closed day: noise, then suppression, over the whole domain.
CountsRelease release_counts(const DayCounts& day_counts, const Pack& pack,
                             const std::string& office, Date day, const ReleaseOptions& options,
                             const Random64& random);

// A draw of two-sided geometric noise with P(x) proportional to exp(-epsilon * |x|).
int64_t geometric_noise(double epsilon, const Random64& random);

std::string counts_json(const CountsRelease& r);
// Reads counts_json's output; nullopt and *error naming the field otherwise.
std::optional<CountsRelease> parse_counts_json(std::string_view json, std::string* error);

}  // namespace kiosk::core
