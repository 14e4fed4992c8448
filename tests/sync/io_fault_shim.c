/* LD_PRELOAD shim for the I/O-error runs (tests/sync/io_fault_test.cpp): write(), pwrite(),
 * pwrite64(), writev(), fsync() and fdatasync() on regular files fail with EIO (or
 * KIOSK_IO_FAIL_ERRNO, e.g. 28 for ENOSPC) from the KIOSK_IO_FAIL_AT-th such call on, as a
 * disk that dies or fills up would. Writes to pipes, sockets and terminals pass. With
 * KIOSK_IO_COUNT_FILE set, the number of calls seen is written there at exit, so a test can
 * first count the calls of an undisturbed run. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long calls = 0;
static long fail_at = -1;
static int fail_errno = EIO;

static void init(void) __attribute__((constructor));
static void init(void) {
  const char* at = getenv("KIOSK_IO_FAIL_AT");
  const char* e = getenv("KIOSK_IO_FAIL_ERRNO");
  if (at) fail_at = atol(at);
  if (e) fail_errno = atoi(e);
}

static void report(void) __attribute__((destructor));
static void report(void) {
  const char* path = getenv("KIOSK_IO_COUNT_FILE");
  if (!path) return;
  FILE* f = fopen(path, "w");
  if (!f) return;
  fprintf(f, "%ld\n", calls);
  fclose(f);
}

/* Whether this call on fd is one that fails. */
static int fails(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  ++calls;
  return fail_at > 0 && calls >= fail_at;
}

#define REAL(name, ret, ...)                          \
  static ret (*real_##name)(__VA_ARGS__) = NULL;      \
  if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void* buf, size_t n) {
  REAL(write, ssize_t, int, const void*, size_t);
  if (fails(fd)) return errno = fail_errno, -1;
  return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  REAL(pwrite, ssize_t, int, const void*, size_t, off_t);
  if (fails(fd)) return errno = fail_errno, -1;
  return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t off) {
  REAL(pwrite64, ssize_t, int, const void*, size_t, off64_t);
  if (fails(fd)) return errno = fail_errno, -1;
  return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec* iov, int count) {
  REAL(writev, ssize_t, int, const struct iovec*, int);
  if (fails(fd)) return errno = fail_errno, -1;
  return real_writev(fd, iov, count);
}

int fsync(int fd) {
  REAL(fsync, int, int);
  if (fails(fd)) return errno = fail_errno, -1;
  return real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(fdatasync, int, int);
  if (fails(fd)) return errno = fail_errno, -1;
  return real_fdatasync(fd);
}
