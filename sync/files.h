// SPDX-License-Identifier: GPL-3.0-or-later
// Small durable-file helpers shared by the repository tools and the client.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kiosk::sync {

// Reads a whole file (refusing files above max_bytes). nullopt and *error on failure.
std::optional<std::string> read_file(const std::string& path, int64_t max_bytes,
                                     std::string* error);
// Reads a secret file (a key, a password): refuses one that group or others can read, with
// "PATH: the WHAT is readable by others; run chmod 600 PATH". The caller wipes the text.
std::optional<std::string> read_private_file(const std::string& path, const std::string& what,
                                             int64_t max_bytes, std::string* error);
// Writes `bytes` to path.tmp, fsyncs it, renames it over `path` and fsyncs the directory,
// so after a crash the file is either the old one or the new one, never a mix.
bool write_file_atomic(const std::string& path, const std::string& bytes, unsigned mode,
                       std::string* error);
// fsync() of a directory, so that a rename or unlink inside it is durable.
bool fsync_dir(const std::string& dir, std::string* error);

}  // namespace kiosk::sync
