// SPDX-License-Identifier: GPL-3.0-or-later
// kioskctl as the tests run it (through the shell, stdout and stderr apart), and an RFC 4180
// reader for its CSV output. Shared by the inbox, counts report and counts sample tests.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/sync/test_support.h"

namespace kiosk::sync::test {

struct CliRun {
  int code = -1;
  std::string out, err;
};

// `prefix` may run it as another user ("setpriv ... "); stderr goes through a file in `dir`.
inline CliRun run_kioskctl(const std::string& args, const std::string& dir,
                           const std::string& prefix = "") {
  CliRun r;
  const std::string err_file = dir + "/kioskctl.err";
  const std::string cmd = prefix + std::string(KIOSK_KIOSKCTL_BIN) + " " + args + " 2>" + err_file;
  FILE* p = ::popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_text(err_file);
  return r;
}

// Records of RFC 4180 CSV: quoted fields, doubled quotes, CRLF between records.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted_field = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted_field) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted_field = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted_field = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty() && field.empty()) rows.pop_back();  // the final CRLF
  return rows;
}

}  // namespace kiosk::sync::test
