// SPDX-License-Identifier: GPL-3.0-or-later
// Counts report: the agency's sums over released anonymous counts (core/counts.h), for
// `kioskctl counts report` (docs/agency.md, "The agency's view of the counts").
//
// A release is what one kiosk sent for one office and one closed day: every cell of the pack's
// domain, each count noisy (two-sided geometric noise, epsilon per cell) and withheld (null)
// when the noisy count was below k. Summing them over days and offices:
//  - a withheld day-cell adds 0 and is counted apart, so a reader sees how far a sum may be
//    short (the true counts of those days were small, not necessarily zero);
//  - each released day-cell carries noise of variance 2a/(1-a)^2, a = exp(-epsilon); the noise
//    of different cells is independent, so the variance of a sum is the sum of the variances.
//    The margin reported is 1.96 standard deviations of that noise: it says how imprecise a
//    sum is because of the privacy noise alone, never how well the visits sample anything;
//  - a finding's share is its sum over the sum of the completed checks it belongs to;
//  - a sum released on fewer than half of its day-cells tells nothing reliable: noise alone
//    lifts a small or zero count to k or more on some days (about 1 day in 20 at k 5, epsilon
//    0.5), and those days are then all that is left of it, so such a sum may be far above the
//    truth. It is "mostly withheld": reported, but apart, and without a share or a bar.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/counts.h"
#include "core/pack.h"

namespace kiosk::core {

// The variance of the noise one released count carries at this epsilon (0 at epsilon 0).
double noise_variance(double epsilon);

// Why a release cannot be added up (a count below 0 or beyond any office's day, an epsilon or
// k no kiosk uses), or "" when it can. Releases come from outside: anyone with the agency's
// public key or the form's address can submit one.
std::string release_problem(const CountsRelease& release);

// One cell (e.g. "finding", "ext-insurance") summed over the chosen day-cells.
struct CellSum {
  std::string table, key;
  int64_t count = 0;        // the released counts added up; withheld ones count as 0
  int released_days = 0;    // day-cells with a count
  int withheld_days = 0;    // day-cells withheld (noisy count below k)
  double variance = 0;      // of the noise in `count`
  double margin95() const;  // 1.96 standard deviations of the noise
  // Too few to tell from the noise (see above): withheld on more day-cells than released, or
  // (from kiosks that withhold nothing, k 0) not above its own noise margin.
  bool mostly_withheld() const {
    return withheld_days > released_days || static_cast<double>(count) <= margin95();
  }
};

// part / whole, with 1.96 standard deviations from both counts' noise (first order, the delta
// method: var(P/W) ~ (var P + share^2 var W) / W^2).
struct Share {
  double value = 0, margin95 = 0;
};
// nullopt when the whole is 0 or less.
std::optional<Share> share_of(const CellSum& part, const CellSum& whole);

// A finding, its share of the checks it belongs to, and who must act on it.
struct FindingSum {
  CellSum held;       // table "finding"
  CellSum undecided;  // table "undecided": the finding waited for an answer the visitor lacked
  std::string outcome, responsible;  // as the newest release says (else the pack)
  std::string check_id;              // "" when not known: no share
  CellSum checks;                    // the completed checks of check_id
  std::optional<Share> share;        // held of checks, when check_id is known and checks > 0
  // Neither the finding nor its checks mostly withheld: a share (or count) to rely on.
  bool reliable() const {
    return !held.mostly_withheld() && (check_id.empty() || !checks.mostly_withheld());
  }
};

struct CountsFilter {
  std::optional<Date> from, to;      // days counted, both included
  std::vector<std::string> offices;  // empty: every office
  bool keeps(const CountsRelease& release) const;
};

struct CountsSummary {
  std::vector<std::string> offices;  // of the releases added up, sorted
  std::vector<std::string> pack_ids, pack_versions;
  std::vector<int> ks;
  std::vector<double> epsilons;
  std::optional<Date> first_day, last_day;  // of the releases added up
  int days = 0;                             // distinct days
  int releases = 0;
  CellSum visits;
  std::vector<CellSum> languages, procedures, checks;  // most counted first
  // Every finding of the releases, the most frequent first: reliable ones first, then by share
  // where shares exist, by count where they do not, then by rule id.
  std::vector<FindingSum> findings;
};

// Adds up the releases `filter` keeps (release_problem() must be "" for each). `pack` (may be
// null) names each finding's check; without it, a finding belongs to the one check whose id
// its rule id starts with ("ext-insurance" -> "extension", "change-docs" -> "change"), when
// exactly one check of the releases fits, and has no share otherwise.
CountsSummary summarize_counts(const std::vector<CountsRelease>& releases, const Pack* pack,
                               const CountsFilter& filter = {});

// The check a rule id belongs to by its prefix, among `check_ids`; "" when none or several fit.
std::string check_by_prefix(const std::string& rule_id, const std::vector<std::string>& check_ids);

// The label of a finding in `tag` (fallback along the pack's chain): its message without the
// values of one visit ("Your card expired … ago."); the rule id when the pack lacks the rule.
std::string finding_label(const Pack& pack, const std::string& rule_id, const std::string& tag);
// The title of the procedure whose readiness check is `check_id`, in `tag`; the id when none.
std::string check_label(const Pack& pack, const std::string& check_id, const std::string& tag);
// The title of a procedure in `tag`; the id when the pack lacks it.
std::string procedure_label(const Pack& pack, const std::string& procedure_id,
                            const std::string& tag);

}  // namespace kiosk::core
