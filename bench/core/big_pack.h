// SPDX-License-Identifier: GPL-3.0-or-later
// Generates a large synthetic pack in memory for the benchmarks (never written to git):
// `questions` questions of every type, `rules` rules in one check ("main"), and a catalogue
// per language with ICU MessageFormat plurals and dates.
#pragma once

#include "core/pack.h"
#include "core/session.h"

namespace kiosk::bench {

core::PackFiles make_big_pack(int questions, int rules, int languages);
// An answer for every question of a pack made by make_big_pack.
core::Answers make_big_answers(const core::Pack& pack);

}  // namespace kiosk::bench
