// SPDX-License-Identifier: GPL-3.0-or-later
// Handoff: the item a visitor consents to send to a help desk (docs/sync-protocol.md,
// "The hand-off item"). The kiosk builds it, the outbox seals or encrypts it, and the
// agency's tools (kioskctl inbox, an OpenRosa server) read it. It holds the checklist texts
// the visitor saw and one record per finding, never an answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/pack.h"

namespace kiosk::core {

// Version 1 had no findings; version 2 added them. Both are read.
constexpr int kHandoffVersion = 2;

// One finding as the visitor's checklist lists it: which rule, what it says, who must act
// and by when. `undecided`: the rule waits for an answer the visitor did not know.
struct HandoffFinding {
  std::string rule_id;
  Outcome outcome = Outcome::Action;
  Responsible responsible = Responsible::Self;
  std::optional<Date> deadline;
  bool undecided = false;
};

struct Handoff {
  int version = kHandoffVersion;
  std::string code;  // the reference code the visitor keeps ("K7F3-9QPX")
  std::string pack_id, pack_version, procedure_id;
  std::string language, office_language;
  Date date;                     // the day of the visit (no time)
  std::string checklist_user;    // the checklist in the visitor's language ...
  std::string checklist_office;  // ... and in the office's (ignored when it is the same)
  std::vector<HandoffFinding> findings;
};

// The item's JSON, one line, keys in the documented order.
std::string handoff_json(const Handoff& h);

// Reads an item written by handoff_json (version 1 or 2). Anything else -> nullopt and
// *error saying what is wrong ("findings[2].outcome: unknown value \"maybe\"").
std::optional<Handoff> parse_handoff_json(std::string_view json, std::string* error);

// Overwrites the texts and the code before the item leaves memory.
void wipe_handoff(Handoff& h);

}  // namespace kiosk::core
