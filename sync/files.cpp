// SPDX-License-Identifier: GPL-3.0-or-later
#include "sync/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace kiosk::sync {

namespace {
std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}
}  // namespace

std::optional<std::string> read_file(const std::string& path, int64_t max_bytes,
                                     std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (error) *error = errno_text(path);
    return std::nullopt;
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (error) *error = errno_text(path);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    if (static_cast<int64_t>(out.size()) + n > max_bytes) {
      if (error) *error = path + ": larger than " + std::to_string(max_bytes) + " bytes";
      ::close(fd);
      return std::nullopt;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

bool fsync_dir(const std::string& dir, std::string* error) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (error) *error = errno_text(dir);
    return false;
  }
  bool ok = ::fsync(fd) == 0;
  if (!ok && error) *error = errno_text("fsync " + dir);
  ::close(fd);
  return ok;
}

bool write_file_atomic(const std::string& path, const std::string& bytes, unsigned mode,
                       std::string* error) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    if (error) *error = errno_text(tmp);
    return false;
  }
  ::fchmod(fd, mode);  // O_CREAT's mode is filtered by the umask; the key file must be exact
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (error) *error = errno_text(tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    if (error) *error = errno_text("fsync " + tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return false;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    if (error) *error = errno_text("rename " + tmp);
    ::unlink(tmp.c_str());
    return false;
  }
  return fsync_dir(std::filesystem::path(path).parent_path().string(), error);
}

std::optional<std::string> read_private_file(const std::string& path, const std::string& what,
                                             int64_t max_bytes, std::string* error) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (error) *error = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  if (st.st_mode & 077) {
    if (error) *error = path + ": the " + what + " is readable by others; run chmod 600 " + path;
    return std::nullopt;
  }
  return read_file(path, max_bytes, error);
}

}  // namespace kiosk::sync
