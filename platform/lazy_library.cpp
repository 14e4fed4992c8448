// SPDX-License-Identifier: GPL-3.0-or-later
// platform/lazy_library.cpp: dlopen/dlsym behind LazyLibrary, and the test-only soname
// replacement.
#include "platform/lazy_library.h"

#include <dlfcn.h>

#include <cassert>
#include <map>
#include <set>

namespace kiosk::platform {
namespace {

// Test replacements and the sonames already opened, under one lock (rarely taken: once per
// library per process).
struct Registry {
  std::mutex mutex;
  std::map<std::string, std::string> replacements;
  std::set<std::string> opened;
};

Registry& registry() {
  static Registry r;
  return r;
}

// The file to open for `soname`: its test replacement, or itself.
std::string file_for(const char* soname) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.opened.insert(soname);
  auto it = r.replacements.find(soname);
  return it == r.replacements.end() ? std::string(soname) : it->second;
}

}  // namespace

void* open_library(const char* soname, std::string* error) {
  std::string file = file_for(soname);
  // RTLD_NOW: a missing dependency shows here, not as a crash at the first call.
  // RTLD_LOCAL: the library's symbols never interpose on anyone else's.
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle && error) {
    const char* why = ::dlerror();  // names the file, e.g. "libcups.so.2: cannot open ..."
    *error = std::string("optional library not available: ") + (why ? why : file.c_str());
    if (file != soname) *error += " (test replacement for " + std::string(soname) + ")";
  }
  return handle;
}

void* find_symbol(void* handle, const char* name) {
  return ::dlsym(handle, name);
}

void override_soname_for_test(const char* soname, const char* replacement) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  // Programmer error: the library was already opened, so the replacement would be ignored
  // and the test would check the installed library instead of the missing one.
  assert(r.opened.count(soname) == 0 && "override_soname_for_test after the library was used");
  r.replacements[soname] = replacement;
}

}  // namespace kiosk::platform
