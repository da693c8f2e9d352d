// Shared helpers for the tests: seeds that are printed (and overridable) so failures replay.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "fhe/random.h"

namespace fhe::test {

// The seed of a random test: FHE_TEST_SEED if set, else `fallback`. Printed either way.
inline u128 test_seed(uint64_t fallback) {
  uint64_t s = fallback;
  if (const char* e = std::getenv("FHE_TEST_SEED")) s = std::strtoull(e, nullptr, 10);
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::printf("[seed] %s.%s: FHE_TEST_SEED=%llu\n", info ? info->test_suite_name() : "?",
              info ? info->name() : "?", static_cast<unsigned long long>(s));
  return s;
}

// Signed distance of a torus value from 0.
inline int64_t centered(uint64_t x) {
  return static_cast<int64_t>(x);
}

}  // namespace fhe::test
