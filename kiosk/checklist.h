// SPDX-License-Identifier: GPL-3.0-or-later
// kiosk/checklist.h: the take-away checklist of a visit, as plain text: the procedure, the
// verdict, what to do and by when, and the documents with their official names (so the
// user can ask for exactly that paper). The same text goes into the QR code (data inside
// the code, no server) and, beside the office language, onto the printout.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/eval.h"
#include "core/handoff.h"
#include "kiosk/content.h"

namespace kiosk::ui {

struct Checklist {
  std::string title;                   // procedure title
  std::string verdict;                 // overall verdict sentence
  std::vector<std::string> todo;       // one line per finding: message, who, by when
  std::vector<std::string> documents;  // "name (official name)"
  std::string footer;                  // pack id/version and date
};

// Message id of the verdict sentence of an outcome ("ui.result.verdict.action").
std::string verdict_id(core::Outcome o);

// Findings worth showing, worst first: everything that needs action, plus good news that
// holds; rules waiting on the same unknown answer appear once. The result screen, the QR
// text and the printout list the same ones.
std::vector<const core::RuleResult*> findings_to_show(const core::CheckResult& result);

// Builds the checklist in language `tag` (messages fall back along its chain).
Checklist build_checklist(const Content& content, const std::string& tag,
                          const core::Procedure& procedure,
                          const std::optional<core::CheckResult>& result);

// Plain text, one item per line. `max_bytes` > 0 shortens it to fit (documents first,
// then the longest lines), appending "…" where something was cut; `*cut` says whether it was.
std::string checklist_text(const Checklist& c, size_t max_bytes = 0, bool* cut = nullptr);

// QR code modules for `utf8` (byte mode, error correction M). Empty when it does not fit
// in the largest QR version.
struct QrCode {
  int size = 0;               // modules per side
  std::vector<uint8_t> dark;  // size*size, 1 = dark
};
QrCode make_qr(const std::string& utf8);

// Bytes that still scan reliably from a phone at kiosk distance (version 25 or so, M).
constexpr size_t kQrComfortableBytes = 900;

// --- Hand-off to a help desk (screen_handoff.cpp) ----------------------------------------
// The reference code a person keeps so an advisor can find their case: no name, no phone.
// 8 characters from an alphabet without look-alikes (no 0/O, 1/I), in two groups of four.
constexpr std::string_view kReferenceAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
// A new random code ("K7F3-9QPX"): 40 bits from the system's CSPRNG.
std::string make_reference_code();
// True for a string of exactly that form.
bool is_reference_code(std::string_view s);

// True when the result has a finding that needs the person or someone else to act.
bool needs_action(const std::optional<core::CheckResult>& result);

// The findings a hand-off carries, as structured records: the same ones, in the same order,
// as the checklist's to-do lines (findings_to_show); no deadline on an undecided one, as
// the checklist prints none.
std::vector<core::HandoffFinding> handoff_findings(const core::CheckResult& result);

// Overwrites a string's bytes before clearing it (codes and payloads leave memory).
void wipe_string(std::string& s);

}  // namespace kiosk::ui
