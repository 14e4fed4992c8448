// SPDX-License-Identifier: GPL-3.0-or-later
// LazyLibrary: opening a real library on first use, the one-line errors for a missing
// library or function, one answer for every thread, and the test-only soname replacement.
// Uses libm.so.6 (glibc, always installed) as the real library.
#include "platform/lazy_library.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace kp = kiosk::platform;

namespace {

// Written out rather than decltype(&::cos): <cmath> may overload cos in the global namespace.
struct MathApi {
  double (*cos)(double) = nullptr;
  double (*hypot)(double, double) = nullptr;
};

void resolve_math(MathApi& api, kp::SymbolResolver& r) {
  r.resolve(api.cos, "cos");
  r.resolve(api.hypot, "hypot");
}

struct BrokenApi {
  double (*cos)(double) = nullptr;
  void (*missing)() = nullptr;
};

void resolve_broken(BrokenApi& api, kp::SymbolResolver& r) {
  r.resolve(api.cos, "cos");
  r.resolve(api.missing, "kiosk_no_such_function");
}

}  // namespace

TEST(LazyLibrary, OpensTheLibraryAndFillsTypedFunctions) {
  kp::LazyLibrary<MathApi> math("libm.so.6", resolve_math);
  std::string error;
  const MathApi* api = math.get(&error);
  ASSERT_NE(api, nullptr) << error;
  EXPECT_TRUE(error.empty());
  EXPECT_DOUBLE_EQ(api->hypot(3, 4), 5.0);
  EXPECT_DOUBLE_EQ(api->cos(0.0), 1.0);
  EXPECT_EQ(math.get(nullptr), api) << "the same table on every later call";
}

TEST(LazyLibrary, AMissingLibraryIsOneLineNamingIt) {
  kp::LazyLibrary<MathApi> absent("libdoes-not-exist.so.0", resolve_math);
  std::string error;
  EXPECT_EQ(absent.get(&error), nullptr);
  EXPECT_NE(error.find("optional library not available"), std::string::npos) << error;
  EXPECT_NE(error.find("libdoes-not-exist.so.0"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  std::string again;
  EXPECT_EQ(absent.get(&again), nullptr) << "the answer never changes";
  EXPECT_EQ(again, error);
  EXPECT_EQ(absent.get(nullptr), nullptr) << "error is optional";
}

TEST(LazyLibrary, AMissingFunctionMakesTheWholeLibraryMissing) {
  kp::LazyLibrary<BrokenApi> broken("libm.so.6", resolve_broken);
  std::string error;
  EXPECT_EQ(broken.get(&error), nullptr) << "no half-filled table";
  EXPECT_NE(error.find("libm.so.6"), std::string::npos) << error;
  EXPECT_NE(error.find("kiosk_no_such_function"), std::string::npos) << error;
}

TEST(LazyLibrary, EveryThreadGetsTheSameAnswer) {
  kp::LazyLibrary<MathApi> math("libm.so.6", resolve_math);
  std::vector<const MathApi*> seen(8, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&, i] { seen[i] = math.get(nullptr); });
  for (auto& t : threads) t.join();
  ASSERT_NE(seen[0], nullptr);
  for (const MathApi* api : seen) EXPECT_EQ(api, seen[0]);
}

TEST(LazyLibrary, TestReplacementOpensAnotherFile) {
  // A made-up soname nobody else uses, so the replacement cannot affect other tests.
  kp::override_soname_for_test("libkiosk-lazy-test-a.so.1", "libm.so.6");
  kp::override_soname_for_test("libkiosk-lazy-test-b.so.1", "libdoes-not-exist.so.0");
  kp::LazyLibrary<MathApi> replaced("libkiosk-lazy-test-a.so.1", resolve_math);
  const MathApi* api = replaced.get(nullptr);
  ASSERT_NE(api, nullptr) << "opened libm.so.6 in its place";
  EXPECT_DOUBLE_EQ(api->hypot(6, 8), 10.0);

  kp::LazyLibrary<MathApi> missing("libkiosk-lazy-test-b.so.1", resolve_math);
  std::string error;
  EXPECT_EQ(missing.get(&error), nullptr);
  EXPECT_NE(error.find("libdoes-not-exist.so.0"), std::string::npos) << error;
  EXPECT_NE(error.find("libkiosk-lazy-test-b.so.1"), std::string::npos) << error;
}
