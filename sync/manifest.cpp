// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/manifest.h"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace kiosk::sync {

using nlohmann::json;

std::string format_utc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Strict: exactly YYYY-MM-DDTHH:MM:SSZ, ASCII digits only (sscanf's %d would take signs and
// spaces), a real calendar day (no 31 February for timegm to roll over), no leap second.
std::optional<int64_t> parse_utc(const std::string& text) {
  static constexpr char kShape[] = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != sizeof kShape - 1) return std::nullopt;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return std::nullopt;
  }
  auto num = [&](size_t at, size_t len) {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const int year = num(0, 4), month = num(5, 2), day = num(8, 2);
  const int hour = num(11, 2), minute = num(14, 2), second = num(17, 2);
  if (year < 1970 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59)
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int days_in_month = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day < 1 || day > days_in_month) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm));
}

std::string manifest_to_json(const RepoManifest& m) {
  json packs = json::array();
  for (const auto& p : m.packs) {
    packs.push_back({{"id", p.id},
                     {"version", p.version},
                     {"path", p.path},
                     {"size", p.size},
                     {"sha256", p.sha256}});
  }
  json j = {{"format", m.format},
            {"repo_version", m.repo_version},
            {"published", format_utc(m.published)},
            {"expires", format_utc(m.expires)},
            {"packs", packs}};
  return j.dump(2) + "\n";
}

namespace {

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool safe_repo_path(const std::string& p) {
  if (p.empty() || p[0] == '/' || p.find("..") != std::string::npos ||
      p.find("://") != std::string::npos || p.find('?') != std::string::npos ||
      p.find('#') != std::string::npos || p.find('\\') != std::string::npos)
    return false;
  return true;
}

struct Fail {
  std::string message;
};

const json& field(const json& obj, const char* name, json::value_t type, const std::string& where) {
  auto it = obj.find(name);
  if (it == obj.end()) throw Fail{where + ": missing \"" + name + "\""};
  bool ok =
      it->type() == type || (type == json::value_t::number_integer && it->is_number_unsigned());
  if (!ok) throw Fail{where + ": \"" + name + "\" has the wrong type"};
  return *it;
}

int64_t utc_field(const json& obj, const char* name) {
  auto t = parse_utc(field(obj, name, json::value_t::string, "manifest").get<std::string>());
  if (!t) throw Fail{std::string("manifest: \"") + name + "\" is not YYYY-MM-DDTHH:MM:SSZ"};
  return *t;
}

}  // namespace

std::optional<RepoManifest> parse_manifest(const std::string& text, std::string* error) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    if (error) *error = "manifest: not a JSON object";
    return std::nullopt;
  }
  try {
    RepoManifest m;
    m.format = field(j, "format", json::value_t::number_integer, "manifest").get<int>();
    if (m.format != 1) throw Fail{"manifest: unsupported format " + std::to_string(m.format)};
    m.repo_version =
        field(j, "repo_version", json::value_t::number_integer, "manifest").get<int64_t>();
    if (m.repo_version < 1) throw Fail{"manifest: repo_version must be >= 1"};
    m.published = utc_field(j, "published");
    m.expires = utc_field(j, "expires");
    const json& packs = field(j, "packs", json::value_t::array, "manifest");
    for (size_t i = 0; i < packs.size(); ++i) {
      std::string where = "manifest: packs[" + std::to_string(i) + "]";
      const json& p = packs[i];
      if (!p.is_object()) throw Fail{where + ": not an object"};
      RepoPackEntry e;
      e.id = field(p, "id", json::value_t::string, where).get<std::string>();
      e.version = field(p, "version", json::value_t::string, where).get<std::string>();
      e.path = field(p, "path", json::value_t::string, where).get<std::string>();
      e.size = field(p, "size", json::value_t::number_integer, where).get<int64_t>();
      e.sha256 = field(p, "sha256", json::value_t::string, where).get<std::string>();
      if (e.id.empty() || e.version.empty()) throw Fail{where + ": empty id or version"};
      if (!safe_repo_path(e.path)) throw Fail{where + ": unsafe path \"" + e.path + "\""};
      if (e.size <= 0) throw Fail{where + ": size must be positive"};
      if (!is_hex64(e.sha256)) throw Fail{where + ": sha256 must be 64 lowercase hex digits"};
      m.packs.push_back(std::move(e));
    }
    return m;
  } catch (const Fail& f) {
    if (error) *error = f.message;
  } catch (const json::exception& e) {
    if (error) *error = std::string("manifest: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace kiosk::sync
