// SPDX-License-Identifier: GPL-3.0-or-later
#include "kiosk/checklist.h"

#include <qrencode.h>

#include <algorithm>
#ifdef KIOSK_HAVE_SYNC
#include <sodium.h>
#else
#include <random>
#endif

#include "core/result_messages.h"

namespace kiosk::ui {

std::string verdict_id(core::Outcome o) {
  return std::string("ui.result.verdict.") + core::outcome_name(o);
}

// Findings worth showing, worst first (stable within an outcome: pack order): everything
// that needs action, plus good news that holds ("you can apply now, 61 days left").
std::vector<const core::RuleResult*> findings_to_show(const core::CheckResult& result) {
  std::vector<const core::RuleResult*> out;
  for (const auto& r : result.rules)
    if (r.outcome == core::Outcome::Blocker || r.outcome == core::Outcome::Action ||
        (r.outcome == core::Outcome::Ready && r.why == "condition-true"))
      out.push_back(&r);
  std::stable_sort(out.begin(), out.end(),
                   [](auto* a, auto* b) { return a->outcome > b->outcome; });
  // Several rules waiting on the same unknown answer would say the same thing ("we could not
  // check this: have you applied?") several times: the worst one says it once.
  std::vector<const core::RuleResult*> once;
  for (const core::RuleResult* r : out) {
    if (!r->missing_question().empty() &&
        std::any_of(once.begin(), once.end(), [&](auto* kept) { return kept->why == r->why; }))
      continue;
    once.push_back(r);
  }
  return once;
}

Checklist build_checklist(const Content& content, const std::string& tag,
                          const core::Procedure& procedure,
                          const std::optional<core::CheckResult>& result) {
  Checklist c;
  c.title = content.t_in(tag, procedure.title_id);
  if (!procedure.official_name.empty()) c.title += " / " + procedure.official_name;
  if (result) {
    c.verdict = content.t_in(tag, verdict_id(result->overall));
    for (const core::RuleResult* r : findings_to_show(*result)) {
      Args args = core::message_args(*r);
      // Outcome as a symbol, so the text reads without colour: ✗ must fix, ! action, ✓ fine.
      const char* mark = r->outcome == core::Outcome::Blocker  ? "✗ "
                         : r->outcome == core::Outcome::Action ? "! "
                                                               : "✓ ";
      // As on the result screen: a finding that waits for an unknown answer says which
      // answer is missing (its message would state a fact nobody confirmed, with blanks).
      const bool unknown = r->waits_for_answer();
      std::string line = mark;
      if (unknown) {
        line += content.t_in(tag, "ui.result.unknown_answer");
        if (const core::Question* q = content.pack().find_question(r->missing_question()))
          line += " " + content.t_in(tag, q->text_id);
      } else {
        line += content.t_in(tag, r->message_id, args);
      }
      line += " — " + content.t_in(tag, std::string("ui.result.responsible.") +
                                            core::responsible_name(r->responsible));
      if (r->deadline && !unknown)
        line += " — " + content.t_in(tag, "ui.result.by_when", {{"date", to_civil(*r->deadline)}});
      c.todo.push_back(line);
    }
    c.footer = result->pack_id + " " + result->pack_version + " · " + result->today.to_string();
  }
  for (const auto& d : procedure.documents) {
    std::string line = content.t_in(tag, d.name_id);
    if (!d.official_name.empty()) line += " (" + d.official_name + ")";
    c.documents.push_back(line);
  }
  return c;
}

static std::string join(const Checklist& c) {
  std::string s = c.title + "\n";
  if (!c.verdict.empty()) s += c.verdict + "\n";
  for (const auto& t : c.todo) s += t + "\n";
  for (const auto& d : c.documents) s += "[ ] " + d + "\n";
  if (!c.footer.empty()) s += c.footer + "\n";
  return s;
}

// Cuts a UTF-8 string to at most `max` bytes without splitting a character.
static std::string cut_utf8(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "…";
}

std::string checklist_text(const Checklist& c, size_t max_bytes, bool* cut) {
  std::string full = join(c);
  if (cut) *cut = false;
  if (max_bytes == 0 || full.size() <= max_bytes) return full;
  if (cut) *cut = true;
  Checklist shorter = c;
  // Documents are printed on the guide and the printout; the to-do lines matter most.
  while (!shorter.documents.empty() && join(shorter).size() > max_bytes)
    shorter.documents.pop_back();
  size_t limit = 160;
  while (join(shorter).size() > max_bytes && limit >= 40) {
    for (auto& t : shorter.todo) t = cut_utf8(t, limit);
    limit -= 20;
  }
  while (!shorter.todo.empty() && join(shorter).size() > max_bytes) shorter.todo.pop_back();
  return cut_utf8(join(shorter), max_bytes);
}

QrCode make_qr(const std::string& utf8) {
  QrCode out;
  QRcode* q =
      QRcode_encodeData(static_cast<int>(utf8.size()),
                        reinterpret_cast<const unsigned char*>(utf8.data()), 0, QR_ECLEVEL_M);
  if (!q) return out;
  out.size = q->width;
  out.dark.resize(size_t(q->width) * q->width);
  for (size_t i = 0; i < out.dark.size(); ++i) out.dark[i] = q->data[i] & 1;
  QRcode_free(q);
  return out;
}

// A uniform index below `n` from the system's CSPRNG (libsodium where sync is built; the
// hand-off needs sync, so the fallback only keeps the UI building without it).
static uint32_t random_below(uint32_t n) {
#ifdef KIOSK_HAVE_SYNC
  if (sodium_init() < 0) std::abort();  // no randomness source at all: cannot continue safely
  return randombytes_uniform(n);
#else
  static std::random_device device;
  return std::uniform_int_distribution<uint32_t>(0, n - 1)(device);
#endif
}

std::string make_reference_code() {
  std::string code;
  for (int i = 0; i < 8; ++i) {
    if (i == 4) code += '-';
    code += kReferenceAlphabet[random_below(static_cast<uint32_t>(kReferenceAlphabet.size()))];
  }
  return code;
}

bool is_reference_code(std::string_view s) {
  if (s.size() != 9 || s[4] != '-') return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (i != 4 && kReferenceAlphabet.find(s[i]) == std::string_view::npos) return false;
  return true;
}

bool needs_action(const std::optional<core::CheckResult>& result) {
  if (!result) return false;
  return std::any_of(result->rules.begin(), result->rules.end(), [](const core::RuleResult& r) {
    return r.outcome == core::Outcome::Blocker || r.outcome == core::Outcome::Action;
  });
}

std::vector<core::HandoffFinding> handoff_findings(const core::CheckResult& result) {
  std::vector<core::HandoffFinding> out;
  for (const core::RuleResult* r : findings_to_show(result)) {
    const bool undecided = r->waits_for_answer();
    out.push_back({r->rule_id, r->outcome, r->responsible, undecided ? std::nullopt : r->deadline,
                   undecided});
  }
  return out;
}

void wipe_string(std::string& s) {
#ifdef KIOSK_HAVE_SYNC
  sodium_memzero(s.data(), s.size());
#else
  volatile char* p = s.data();  // volatile: the compiler may not drop stores to a dying buffer
  for (size_t i = 0; i < s.size(); ++i) p[i] = 0;
#endif
  s.clear();
}

}  // namespace kiosk::ui
