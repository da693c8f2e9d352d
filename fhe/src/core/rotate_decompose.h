// Fused first step of a CMUX (reference/tfhe-rs.md §2.8): D = ACC * X^a - ACC, decomposed with one
// level (the FHEVM bootstrap: B = 2^23, l = 1, where the digit is the balanced rounded state).
// Integer-exact, so every implementation (scalar, vectorized) gives the same digits.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fhe/core.h"

namespace fhe::detail {

// digits[j] = init_state((X^a * p - p)_j) for one polynomial of size n, 0 < a < 2n.
// Internal linkage: each translation unit (scalar, AVX2) compiles its own copy.
namespace {
[[maybe_unused]] void rotate_sub_decompose_l1(const uint64_t* __restrict p, std::size_t n,
                                              std::size_t a, uint32_t base_log,
                                              int64_t* __restrict digits) noexcept {
  const Decomposer dec{base_log, 1};
  const bool neg = a >= n;
  const std::size_t s = neg ? a - n : a;
  // (X^a p)_j = +-p[j - s] for j >= s, -+p[j - s + n] for j < s (negacyclic wrap).
  if (neg) {
    for (std::size_t j = 0; j < s; ++j) digits[j] = dec.init_state(p[j - s + n] - p[j]);
    for (std::size_t j = s; j < n; ++j) digits[j] = dec.init_state((0 - p[j - s]) - p[j]);
  } else {
    for (std::size_t j = 0; j < s; ++j) digits[j] = dec.init_state((0 - p[j - s + n]) - p[j]);
    for (std::size_t j = s; j < n; ++j) digits[j] = dec.init_state(p[j - s] - p[j]);
  }
}
}  // namespace

using RotateSubDecomposeFn = void (*)(const uint64_t*, std::size_t, std::size_t, uint32_t,
                                      int64_t*) noexcept;
void rotate_sub_decompose_l1_avx2(const uint64_t* p, std::size_t n, std::size_t a,
                                  uint32_t base_log, int64_t* digits) noexcept;
void rotate_sub_decompose_l1_avx512(const uint64_t* p, std::size_t n, std::size_t a,
                                    uint32_t base_log, int64_t* digits) noexcept;
// The fastest implementation this CPU runs (all give identical digits).
RotateSubDecomposeFn rotate_sub_decompose_l1_best() noexcept;

}  // namespace fhe::detail
