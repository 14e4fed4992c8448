// SPDX-License-Identifier: GPL-3.0-or-later
// Diagnostic: one problem found in a pack file, with its position.
// Shared by the pack loader, the rule parser, the PO parser and the MessageFormat check,
// and printed by `kioskctl pack check` as "file:line:col: error|warning: message".
#pragma once

#include <string>
#include <tuple>
#include <vector>

namespace kiosk::core {

enum class Severity { Error, Warning };

struct Diagnostic {
  std::string file;  // path relative to the pack root, e.g. "rules.yaml" or "messages/ja.po"
  int line = 0;      // 1-based; 0 when the problem concerns the whole file
  int col = 0;       // 1-based; 0 when unknown
  Severity severity = Severity::Error;
  std::string message;
};

// "file:line:col: error: message"; line and col are left out when they are 0.
inline std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) {
    out += ':' + std::to_string(d.line);
    if (d.col > 0) out += ':' + std::to_string(d.col);
  }
  out += d.severity == Severity::Error ? ": error: " : ": warning: ";
  out += d.message;
  return out;
}

// Orders diagnostics by file, line, column, then severity (errors first) and message.
inline bool diagnostic_less(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.file, a.line, a.col, a.severity, a.message) <
         std::tie(b.file, b.line, b.col, b.severity, b.message);
}

inline bool has_error(const std::vector<Diagnostic>& diags) {
  for (const auto& d : diags)
    if (d.severity == Severity::Error) return true;
  return false;
}

}  // namespace kiosk::core
