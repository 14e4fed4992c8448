// Small durable-file helpers shared by the repository tools and the client.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kiosk::sync {

// Reads a whole file (refusing files above max_bytes). nullopt and *error on failure.
std::optional<std::string> read_file(const std::string& path, int64_t max_bytes,
                                     std::string* error);
// Writes `bytes` to path.tmp, fsyncs it, renames it over `path` and fsyncs the directory,
// so after a crash the file is either the old one or the new one, never a mix.
bool write_file_atomic(const std::string& path, const std::string& bytes, unsigned mode,
                       std::string* error);
// fsync() of a directory, so that a rename or unlink inside it is durable.
bool fsync_dir(const std::string& dir, std::string* error);

}  // namespace kiosk::sync
