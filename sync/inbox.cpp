// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/inbox.h"

#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/counts_report.h"
#include "sync/db.h"
#include "sync/files.h"

namespace kiosk::sync {

namespace {

constexpr const char* kHandoffKind = "handoff";
constexpr const char* kCountsKind = "counts";

std::string trim_line_end(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
    s.remove_suffix(1);
  return std::string(s);
}

std::string public_key_of(const std::string& secret_key) {
  std::string pub(crypto_scalarmult_BYTES, '\0');
  crypto_scalarmult_base(reinterpret_cast<unsigned char*>(pub.data()),
                         reinterpret_cast<const unsigned char*>(secret_key.data()));
  return pub;
}

}  // namespace

std::optional<BoxKeyPair> read_agency_key(const std::string& path, std::string* error) {
  auto text = read_private_file(path, "secret key", 4096, error);
  if (!text) return std::nullopt;
  std::string hex = trim_line_end(*text);
  wipe(*text);
  auto secret = from_hex(hex, crypto_box_SECRETKEYBYTES);
  wipe(hex);
  if (!secret) {
    *error = path + ": expected 64 hex digits (agency.key from `kioskctl outbox keygen`)";
    return std::nullopt;
  }
  crypto_ready();
  BoxKeyPair keys;
  keys.public_key = public_key_of(*secret);
  keys.secret_key = std::move(*secret);
  return keys;
}

namespace {

using SqliteHandle = std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)>;

// "file:" URI of a path, with the characters a URI gives meaning to escaped.
std::string file_uri(const std::string& path, const char* query) {
  std::string uri = "file:";
  for (unsigned char c : path) {
    if (c == '?' || c == '#' || c == '%' || c < 0x21 || c >= 0x7f) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      uri += buf;
    } else {
      uri += static_cast<char>(c);
    }
  }
  return uri + "?" + query;
}

SqliteHandle open_readonly(const std::string& uri) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  SqliteHandle handle(db, &sqlite3_close_v2);
  // The receiver holds its write lock only for one insert; wait for it rather than fail.
  if (db) sqlite3_busy_timeout(db, 5000);
  return handle;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string errno_text(const std::string& path) {
  std::string text = path + ": " + std::strerror(errno);
  if (errno == EACCES)  // the packaged receiver's files (tools/receiver/deploy)
    text +=
        " (on the agency's server, members of the group kiosk-receiver may read it: "
        "docs/agency.md)";
  return text;
}

// Says why a path is no database we can read, before SQLite gives a vaguer reason.
bool check_readable(const std::string& path, std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || ::access(path.c_str(), R_OK) != 0) {
    *error = errno_text(path);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = path + ": not a file";
    return false;
  }
  return true;
}

std::string describe_sqlite_error(const std::string& path, sqlite3* db) {
  const int code = sqlite3_errcode(db) & 0xff;
  const std::string message = sqlite3_errmsg(db);
  if (code == SQLITE_NOTADB) return path + ": not an SQLite database";
  if (message.rfind("no such table", 0) == 0 || message.rfind("no such column", 0) == 0)
    return path + ": not a kiosk-receiver database (" + message + ")";
  if (code == SQLITE_CORRUPT)
    return path + ": the database file is damaged (" + message +
           "); restore it from a backup (docs/agency.md)";
  return path + ": " + message;
}

constexpr const char* kSelectItems =
    "SELECT idem_key, kind, body, received_at FROM items ORDER BY received_at DESC, rowid DESC";

// A "counts" item: anonymous, so its plaintext needs no wiping; one that does not open or
// parse is damaged, as a hand-off would be, but apart from them (the hand-off commands do not
// report it).
void add_counts_item(std::string idem_key, int64_t received_at, const std::string& body,
                     const BoxKeyPair& key, InboxScan* scan) {
  ++scan->counts_items;
  auto plaintext = unseal(body, key);
  if (!plaintext) {
    ++scan->counts_unopened;
    scan->damaged_counts.push_back(
        {std::move(idem_key), received_at,
         "does not open with this key (damaged, or sealed to another key)"});
    return;
  }
  std::string error;
  auto release = core::parse_counts_json(*plaintext, &error);
  if (release) error = core::release_problem(*release);
  if (!error.empty()) {
    scan->damaged_counts.push_back(
        {std::move(idem_key), received_at, "opens, but is no valid counts release: " + error});
    return;
  }
  scan->counts.push_back({std::move(idem_key), received_at, std::move(*release)});
}

void add_item(const Stmt& row, const BoxKeyPair& key, bool open_handoffs, InboxScan* scan) {
  std::string idem_key = row.text(0), kind = row.text(1);
  const int64_t received_at = row.int64(3);
  if (kind != kHandoffKind) {
    ++scan->skipped_kinds[kind.empty() ? "(none)" : kind];
    if (kind == kCountsKind)
      add_counts_item(std::move(idem_key), received_at, row.blob(2), key, scan);
    return;
  }
  ++scan->handoff_items;
  if (!open_handoffs) return;
  auto plaintext = unseal(row.blob(2), key);
  if (!plaintext) {
    ++scan->unopened;
    scan->damaged.push_back({std::move(idem_key), received_at,
                             "does not open with this key (damaged, or sealed to another key)"});
    return;
  }
  std::string error;
  auto handoff = core::parse_handoff_json(*plaintext, &error);
  if (!handoff) {
    wipe(*plaintext);
    scan->damaged.push_back(
        {std::move(idem_key), received_at, "opens, but is no valid hand-off: " + error});
    return;
  }
  scan->handoffs.push_back(
      {std::move(idem_key), received_at, std::move(*handoff), std::move(*plaintext)});
}

// Runs the query over `db`; false when it fails before or during the rows.
bool read_rows(sqlite3* db, const BoxKeyPair& key, bool open_handoffs, InboxScan* scan) {
  Stmt rows(db, kSelectItems);
  if (!rows.ok()) return false;
  while (rows.step()) add_item(rows, key, open_handoffs, scan);
  return rows.error().empty();
}

}  // namespace

std::optional<InboxScan> scan_inbox(const std::string& db_path, const BoxKeyPair& key,
                                    std::string* error, bool open_handoffs) {
  if (!check_readable(db_path, error)) return std::nullopt;
  SqliteHandle db = open_readonly(file_uri(db_path, "mode=ro"));
  InboxScan scan;
  if (db && read_rows(db.get(), key, open_handoffs, &scan)) return scan;
  const int code = db ? sqlite3_errcode(db.get()) & 0xff : SQLITE_CANTOPEN;
  // A WAL database needs its -shm file, which a reader without write access to the folder
  // cannot create: a copy or backup with no receiver running. No -wal file means no writer
  // has it open, so reading the main file as it is (immutable) is safe.
  if ((code == SQLITE_READONLY || code == SQLITE_CANTOPEN) && !exists(db_path + "-wal")) {
    db = open_readonly(file_uri(db_path, "mode=ro&immutable=1"));
    scan = InboxScan{};
    if (db && read_rows(db.get(), key, open_handoffs, &scan)) return scan;
  }
  *error = db ? describe_sqlite_error(db_path, db.get()) : db_path + ": cannot open";
  return std::nullopt;
}

}  // namespace kiosk::sync
