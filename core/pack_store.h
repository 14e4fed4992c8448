// PackStore: installed packs in one SQLite file. Several packs and versions side by side,
// one active version per pack id, switched atomically in a transaction; the previously
// active version is remembered for rollback().
#pragma once

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
  // becomes the rollback target.
  bool activate(const std::string& id, const std::string& version, std::string* error);
  // Re-activates the version that was active before the current one.
  bool rollback(const std::string& id, std::string* error);
  std::optional<std::string> active_version(const std::string& id) const;
  // The files of the active version of `id`, nullopt when none is active.
  std::optional<PackFiles> active(const std::string& id, std::string* error = nullptr) const;
  std::optional<PackFiles> files(const std::string& id, const std::string& version,
                                 std::string* error = nullptr) const;

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace kiosk::core
