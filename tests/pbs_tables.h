// The exhaustive lookup-table checks shared by the toy and the real-parameter suites: every table
// on all 16 inputs (message and carry), every bivariate table on all 4 x 4 message pairs.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "fhe/keys.h"
#include "fhe/shortint.h"

namespace fhe::test {

struct UnivariateTable {
  const char* name;
  std::function<uint64_t(uint64_t)> f;
};
struct BivariateTable {
  const char* name;
  std::function<uint64_t(uint64_t, uint64_t)> f;
};

inline const std::vector<UnivariateTable>& univariate_tables() {
  static const std::vector<UnivariateTable> t = {
      {"identity", [](uint64_t x) { return x; }},
      {"message", [](uint64_t x) { return x % 4; }},
      {"carry", [](uint64_t x) { return x / 4; }},
      {"square mod 16", [](uint64_t x) { return (x * x) % 16; }},
      {"15 - x", [](uint64_t x) { return 15 - x; }},
      {"const 9", [](uint64_t) { return 9; }},
      {"x > 7", [](uint64_t x) { return x > 7 ? 1 : 0; }},
      {"3x mod 16", [](uint64_t x) { return (3 * x) % 16; }},
  };
  return t;
}

inline const std::vector<BivariateTable>& bivariate_tables() {
  static const std::vector<BivariateTable> t = {
      {"add", [](uint64_t a, uint64_t b) { return a + b; }},
      {"mul lsb", [](uint64_t a, uint64_t b) { return (a * b) % 4; }},
      {"mul msb", [](uint64_t a, uint64_t b) { return (a * b) / 4; }},
      {"and", [](uint64_t a, uint64_t b) { return a & b; }},
      {"xor", [](uint64_t a, uint64_t b) { return a ^ b; }},
      {"a > b", [](uint64_t a, uint64_t b) { return a > b ? 1 : 0; }},
  };
  return t;
}

inline void check_every_univariate_input(const ClientKey& ck, const ServerKey& sk, u128 seed) {
  shortint::Evaluator ev(sk);
  Csprng mask(seed), noise(seed + 1);
  for (const auto& [name, f] : univariate_tables()) {
    const auto lut = shortint::make_lut(*ck.params, f);
    for (uint64_t m = 0; m < 16; ++m) {
      const auto c = shortint::encrypt_without_padding_reduction(ck, m, mask, noise);
      const auto r = ev.apply_lut(c, lut);
      ASSERT_EQ(shortint::decrypt_message_and_carry(ck, r), f(m) % 16) << name << " m=" << m;
      ASSERT_EQ(r.noise_level, 1u);
      ASSERT_EQ(r.degree, lut.degree);
    }
  }
}

inline void check_every_bivariate_pair(const ClientKey& ck, const ServerKey& sk, u128 seed) {
  shortint::Evaluator ev(sk);
  Csprng mask(seed), noise(seed + 1);
  for (const auto& [name, f] : bivariate_tables()) {
    const auto lut = shortint::make_bivariate_lut(*ck.params, f);
    for (uint64_t a = 0; a < 4; ++a)
      for (uint64_t b = 0; b < 4; ++b) {
        const auto r = ev.apply_bivariate_lut(shortint::encrypt(ck, a, mask, noise),
                                              shortint::encrypt(ck, b, mask, noise), lut);
        ASSERT_EQ(shortint::decrypt_message_and_carry(ck, r), f(a, b) % 16)
            << name << " a=" << a << " b=" << b;
      }
  }
}

}  // namespace fhe::test
