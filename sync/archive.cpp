// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/archive.h"

#include <cstdint>
#include <cstring>

namespace kiosk::sync {
namespace {

constexpr char kMagic[8] = {'K', 'P', 'A', 'C', 'K', '\x01', '\n', '\0'};
constexpr uint32_t kMaxFiles = 10000;
constexpr uint32_t kMaxPathBytes = 1024;
constexpr uint64_t kMaxFileBytes = 16u << 20;  // same cap as core::read_pack_dir

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

class Reader {
 public:
  explicit Reader(std::string_view b) : bytes_(b) {}
  bool u32(uint32_t* v) { return uint(v, 4); }
  bool u64(uint64_t* v) { return uint(v, 8); }
  bool take(uint64_t n, std::string_view* out) {
    if (n > bytes_.size() - pos_) return false;
    *out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  size_t pos() const { return pos_; }
  bool at_end() const { return pos_ == bytes_.size(); }

 private:
  template <typename T>
  bool uint(T* v, int n) {
    if (bytes_.size() - pos_ < static_cast<size_t>(n)) return false;
    T r = 0;
    for (int i = 0; i < n; ++i)
      r |= static_cast<T>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
    pos_ += n;
    *v = r;
    return true;
  }
  std::string_view bytes_;
  size_t pos_ = 0;
};

bool safe_relative_path(std::string_view p) {
  if (p.empty() || p.front() == '/' || p.back() == '/') return false;
  if (p.find('\0') != std::string_view::npos || p.find('\\') != std::string_view::npos)
    return false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    std::string_view part = p.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

bool fail(std::string* error, const Reader& r, const std::string& what) {
  if (error) *error = "pack archive: byte " + std::to_string(r.pos()) + ": " + what;
  return false;
}

}  // namespace

std::string write_pack_archive(const core::PackFiles& files) {
  std::string out(kMagic, sizeof kMagic);
  put_u32(out, static_cast<uint32_t>(files.size()));
  for (const auto& [path, data] : files) {
    put_u32(out, static_cast<uint32_t>(path.size()));
    out += path;
    put_u64(out, data.size());
    out += data;
  }
  return out;
}

std::optional<core::PackFiles> read_pack_archive(std::string_view bytes, std::string* error) {
  Reader r(bytes);
  std::string_view magic;
  if (!r.take(sizeof kMagic, &magic) || std::memcmp(magic.data(), kMagic, sizeof kMagic) != 0) {
    fail(error, r, "not a pack archive (bad magic)");
    return std::nullopt;
  }
  uint32_t count = 0;
  if (!r.u32(&count)) return fail(error, r, "truncated file count"), std::nullopt;
  if (count > kMaxFiles) return fail(error, r, "too many files"), std::nullopt;
  core::PackFiles files;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t path_len = 0;
    uint64_t data_len = 0;
    std::string_view path, data;
    if (!r.u32(&path_len)) return fail(error, r, "truncated path length"), std::nullopt;
    if (path_len > kMaxPathBytes) return fail(error, r, "path too long"), std::nullopt;
    if (!r.take(path_len, &path)) return fail(error, r, "truncated path"), std::nullopt;
    if (!safe_relative_path(path))
      return fail(error, r, "unsafe path \"" + std::string(path) + "\""), std::nullopt;
    if (!r.u64(&data_len)) return fail(error, r, "truncated data length"), std::nullopt;
    if (data_len > kMaxFileBytes) return fail(error, r, "file too large"), std::nullopt;
    if (!r.take(data_len, &data)) return fail(error, r, "truncated file data"), std::nullopt;
    if (!files.emplace(std::string(path), std::string(data)).second)
      return fail(error, r, "duplicate path \"" + std::string(path) + "\""), std::nullopt;
  }
  if (!r.at_end()) return fail(error, r, "trailing bytes after the last file"), std::nullopt;
  return files;
}

}  // namespace kiosk::sync
