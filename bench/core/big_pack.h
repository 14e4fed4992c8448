// SPDX-License-Identifier: GPL-3.0-or-later
// Generates a large synthetic pack in memory for the benchmarks (never written to git):
// `questions` questions of every type, `rules` rules in one check ("main"), and a catalogue
// per language with ICU MessageFormat plurals and dates.
#pragma once

#include "core/pack.h"
#include "core/session.h"

namespace kiosk::bench {

core::PackFiles make_big_pack(int questions, int rules, int languages, int procedures = 0);

// The demo pack's size times `scale`: 1x is about the demo pack (7 procedures, 30
// questions, 50 rules, 25 languages); 3x and 10x grow everything tenfold but languages,
// which are capped by how many there are worth offering: 25, 30, 40 at 1x, 3x, 10x.
// Every rule is in one check ("main", the first procedure's): the largest check there
// can be. The other procedures have steps, documents and fees, and no check.
struct PackSize {
  int procedures, questions, rules, languages;
};
PackSize pack_size_at(int scale);
core::PackFiles make_pack_at(int scale);
// An answer for every question of a pack made by make_big_pack.
core::Answers make_big_answers(const core::Pack& pack);

}  // namespace kiosk::bench
