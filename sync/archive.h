// SPDX-License-Identifier: GPL-3.0-or-later
// Pack archive: one file holding a pack's PackFiles, so that a pack is one download with
// one size and one SHA-256. Our own tiny length-prefixed container (docs/sync-protocol.md):
//
//   "KPACK\x01\n\0"  8-byte magic
//   u32 file_count                          little-endian
//   file_count x { u32 path_len, path bytes (UTF-8, '/'-separated, relative),
//                  u64 data_len, data bytes }
//
// Files are written in path order, so the same PackFiles always give the same bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/pack.h"

namespace kiosk::sync {

std::string write_pack_archive(const core::PackFiles& files);
// Parses an archive. Every length is bounds-checked; unsafe paths ("..", absolute, empty,
// duplicates) are refused. nullopt and *error (with the byte offset) on bad input.
std::optional<core::PackFiles> read_pack_archive(std::string_view bytes, std::string* error);

}  // namespace kiosk::sync
