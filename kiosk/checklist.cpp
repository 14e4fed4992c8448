#include "kiosk/checklist.h"

#include <qrencode.h>

#include <algorithm>

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
  return out;
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
      std::string line = mark + content.t_in(tag, r->message_id, args);
      line += " — " + content.t_in(tag, std::string("ui.result.responsible.") +
                                            core::responsible_name(r->responsible));
      if (r->deadline)
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

}  // namespace kiosk::ui
