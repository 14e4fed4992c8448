// SPDX-License-Identifier: GPL-3.0-or-later
// PackStore: installed packs in one SQLite file. Several packs and versions side by side,
// one active version per pack id, switched atomically in a transaction; the previously
// active version is remembered for rollback(). A version that does not load on this kiosk
// (e.g. it needs a newer app) is marked bad with the reason: it is never activated again
// until staff clear the mark, and start_pack() falls back to the last version that loads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/pack.h"

struct sqlite3;

namespace kiosk::core {

struct InstalledPack {
  std::string id, version;
  bool active = false;
  std::string installed_at;  // UTC "YYYY-MM-DD HH:MM:SS", set by SQLite
  std::string bad_reason;    // why it does not load on this kiosk; empty = not marked bad
};

// The id and version in a pack's pack.yaml, read without loading the rest of the pack (one
// small YAML parse). nullopt when pack.yaml is missing, not YAML, or lacks either field.
struct PackIdentity {
  std::string id, version;
};
std::optional<PackIdentity> read_pack_identity(const PackFiles& files);

// Why `files` do not load on this kiosk, or "" when they do. The kiosk passes a
// core::load_pack with its own app version and options; tests pass anything.
using LoadCheck = std::function<std::string(const PackFiles& files)>;

// A version start_pack() tried and the check rejected.
struct RejectedVersion {
  std::string version, reason;
};

// What start_pack() settled on.
struct StartPack {
  std::string version;  // the version to run; empty when no installed version loads
  PackFiles files;      // its files (empty when version is empty)
  std::vector<RejectedVersion> rejected;  // versions that did not load, in the order tried
  // A mark or switch the store could not record (e.g. a read-only disk); the choice stands.
  std::string store_error;
};

// What PackStore::check_update() found.
struct UpdateCheck {
  std::string version;      // the active version when it differs from the running one, else ""
  PackFiles files;          // its files, when it loads
  std::string reason;       // why it does not load; "" when it does
  std::string store_error;  // the mark or the switch back could not be recorded
  bool switch_to() const { return !version.empty() && reason.empty(); }
};

class PackStore {
 public:
  PackStore() = default;
  ~PackStore();
  PackStore(const PackStore&) = delete;
  PackStore& operator=(const PackStore&) = delete;

  // Opens or creates the store (WAL, synchronous=FULL). false and *error on failure.
  bool open(const std::string& path, std::string* error);

  // Validates the pack with load_pack() and stores its files. Installing an id+version
  // that already exists with identical files is a no-op; with different files an error.
  // Does not activate. Returns (id, version) or nullopt and *error.
  std::optional<std::pair<std::string, std::string>> install(const PackFiles& files,
                                                             std::string* error);
  // Every installed pack, sorted by id then version (numerically).
  std::vector<InstalledPack> list(std::string* error = nullptr) const;
  // Makes id+version the active one for id, atomically; the previously active version
  // becomes the rollback target. Refuses a version marked bad (see mark_bad()).
  bool activate(const std::string& id, const std::string& version, std::string* error);
  // Re-activates the version that was active before the current one; refuses it when it is
  // marked bad.
  bool rollback(const std::string& id, std::string* error);
  std::optional<std::string> active_version(const std::string& id) const;
  // The files of the active version of `id`, nullopt when none is active.
  std::optional<PackFiles> active(const std::string& id, std::string* error = nullptr) const;
  std::optional<PackFiles> files(const std::string& id, const std::string& version,
                                 std::string* error = nullptr) const;

  // Records that id+version does not load on this kiosk; `reason` is the loader's first
  // error (file:line:col), shown by `kioskctl pack list`. Marking again replaces the reason.
  bool mark_bad(const std::string& id, const std::string& version, const std::string& reason,
                std::string* error);
  // Lets activate() use the version again (staff fixed the cause, e.g. updated the app).
  bool clear_bad(const std::string& id, const std::string& version, std::string* error);
  // The reason recorded by mark_bad(), nullopt when the version is not marked.
  std::optional<std::string> bad_reason(const std::string& id, const std::string& version) const;
  // Installed versions of `id` older than `version` and not marked bad, newest first: where
  // a kiosk falls back when `version` does not load.
  std::vector<std::string> fallback_versions(const std::string& id,
                                             const std::string& version) const;

  // The pack to start with. The active version of `id` if `check` accepts it (a mark from an
  // earlier start is then cleared: the cause was fixed). Otherwise each fallback_versions()
  // in turn; the first that loads becomes the active version, so the store says what runs.
  // Every version `check` rejects is marked bad. A result with an empty version means none
  // loads (the active version stays active, and is tried again next start). nullopt when
  // `id` has no active version, or on a store failure (*error).
  std::optional<StartPack> start_pack(const std::string& id, const LoadCheck& check,
                                      std::string* error);
  // Between two visits, after sync activated a new version: the active version of `id` if
  // it is not `running` (the version on screen). When `check` rejects it, it is marked bad
  // and `running` becomes active again if it is installed, so the next start does not try it.
  UpdateCheck check_update(const std::string& id, const std::string& running,
                           const LoadCheck& check);

 private:
  bool installed(const std::string& id, const std::string& version) const;

  sqlite3* db_ = nullptr;
};

}  // namespace kiosk::core
