// SPDX-License-Identifier: GPL-3.0-or-later
// platform/lazy_library.h: optional shared libraries, opened with dlopen on first use.
//
// Why (issue 5): printing (libcups, libcairo), read-aloud (libespeak-ng) and sync (libcurl)
// brought 37 of the 107 shared libraries the kiosk loaded at start (GnuTLS, OpenSSL,
// Kerberos, LDAP, Avahi, PulseAudio...), ~15-20 ms of a 140 ms budget, although most visits
// use none of them. So the kiosk links only what every start needs, and each of these is
// opened when a feature first needs it (a few ms then, on the thread that prints, speaks
// or syncs).
//
// How a user declares one (the function types come from the library's own -dev header):
//
//   #define CUPS_FUNCTIONS(X) X(httpConnect2) X(httpClose)
//   struct CupsApi {
//   #define CUPS_MEMBER(name) decltype(&::name) name = nullptr;
//     CUPS_FUNCTIONS(CUPS_MEMBER)
//   };
//   void resolve_cups(CupsApi& api, SymbolResolver& r) {
//   #define CUPS_RESOLVE(name) r.resolve(api.name, #name);
//     CUPS_FUNCTIONS(CUPS_RESOLVE)
//   }
//   constinit LazyLibrary<CupsApi> g_cups("libcups.so.2", resolve_cups);
//   ...
//   std::string error;
//   const CupsApi* cups = g_cups.get(&error);  // nullptr when missing; error names it
//   if (!cups) return fail_calmly(error);
//   cups->httpClose(http);
//
// Rules: load by soname with the major version ("libcups.so.2", what Debian's runtime
// package ships; the unversioned .so is only in the -dev package). A library is never
// closed: its pointers stay valid for the life of the process. A library that lacks one
// of the listed functions counts as missing (all or nothing), so a half-filled table is
// never handed out.
#pragma once

#include <algorithm>
#include <mutex>
#include <string>

namespace kiosk::platform {

// Opens `soname` (or its test replacement, see below) with RTLD_NOW | RTLD_LOCAL.
// nullptr when it cannot be loaded; then `error` holds one line naming the library, e.g.
// "optional library not available: libcups.so.2: cannot open shared object file: ...".
void* open_library(const char* soname, std::string* error);

// The address of `name` in a library open_library() returned; nullptr when it is missing.
void* find_symbol(void* handle, const char* name);

// Fills typed function pointers from one open library; remembers the first name missing.
class SymbolResolver {
 public:
  explicit SymbolResolver(void* handle) : handle_(handle) {}

  template <class Fn>
  void resolve(Fn*& slot, const char* name) {
    void* address = find_symbol(handle_, name);
    if (!address && first_missing_.empty()) first_missing_ = name;
    // POSIX guarantees that dlsym's void* converts to a function pointer.
    slot = reinterpret_cast<Fn*>(address);
  }
  const std::string& first_missing() const { return first_missing_; }

 private:
  void* handle_;
  std::string first_missing_;
};

// One optional library and the table of its functions (`Api`, a struct of pointers).
// Define one per library at namespace scope, constinit; get() is safe from any thread.
template <class Api>
class LazyLibrary {
 public:
  using Resolve = void (*)(Api& api, SymbolResolver& resolver);

  // constexpr: a namespace-scope LazyLibrary is ready before any static constructor runs.
  constexpr LazyLibrary(const char* soname, Resolve resolve) : soname_(soname), resolve_(resolve) {}
  LazyLibrary(const LazyLibrary&) = delete;
  LazyLibrary& operator=(const LazyLibrary&) = delete;

  // The library's functions, opened on the first call (later calls only check a flag).
  // nullptr when the library or one of the functions is missing; `error` (if given) then
  // says which in one line, for the staff log. The answer never changes afterwards.
  const Api* get(std::string* error) {
    std::call_once(once_, [this] { load(); });
    if (!loaded_ && error) *error = error_;
    return loaded_ ? &api_ : nullptr;
  }
  const char* soname() const { return soname_; }

 private:
  void load() {
    std::string error;
    void* handle = open_library(soname_, &error);
    if (!handle) return keep_error(error);
    SymbolResolver resolver(handle);
    resolve_(api_, resolver);
    if (!resolver.first_missing().empty()) {
      keep_error(std::string("optional library ") + soname_ + " has no function " +
                 resolver.first_missing() + " (a different version?)");
      api_ = Api{};
      return;  // the handle stays open: closing libraries with threads or TLS is unsafe
    }
    loaded_ = true;
  }
  void keep_error(const std::string& e) {
    const size_t n = std::min(e.size(), sizeof error_ - 1);
    e.copy(error_, n);
    error_[n] = '\0';
  }

  const char* soname_;
  Resolve resolve_;
  std::once_flag once_;
  bool loaded_ = false;  // written once inside call_once, read after it
  // A char array, not a std::string: constinit needs a constant initializer, which clang
  // with libstdc++ 12 cannot give a std::string member.
  char error_[512] = {};
  Api api_{};
};

// Test only: every later open_library(soname) opens `replacement` instead, e.g.
// "libdoes-not-exist.so.0" to see how a feature behaves when its library is not installed.
// Call it before the first use of that library in the process (a LazyLibrary that already
// loaded keeps its answer): a test executable of its own, from main() or a static object.
void override_soname_for_test(const char* soname, const char* replacement);

}  // namespace kiosk::platform
