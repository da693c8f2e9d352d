// The inner loop of the LWE keyswitch, written once and compiled per instruction set (scalar
// baseline, AVX2, AVX-512): o[j] -= sum over levels of d[l] * rows[l * stride + j] (wrapping
// u64). Integer-exact, so every compiled copy gives the same result.
#pragma once

#include <cstddef>
#include <cstdint>

namespace fhe::detail {

using KeyswitchRowsFn = void (*)(uint64_t* o, const uint64_t* rows, std::size_t stride,
                                 const int64_t* d, uint32_t levels, std::size_t len) noexcept;

// Internal linkage: each translation unit compiles its own copy for its own target.
namespace {
[[maybe_unused]] void keyswitch_rows(uint64_t* __restrict o, const uint64_t* __restrict rows,
                                     std::size_t stride, const int64_t* __restrict d,
                                     uint32_t levels, std::size_t len) noexcept {
  // Two levels per pass: the output row is loaded and stored half as often.
  uint32_t l = 0;
  for (; l + 1 < levels; l += 2) {
    const uint64_t d0 = static_cast<uint64_t>(d[l]), d1 = static_cast<uint64_t>(d[l + 1]);
    const uint64_t* r0 = rows + l * stride;
    const uint64_t* r1 = r0 + stride;
    for (std::size_t j = 0; j < len; ++j) o[j] -= d0 * r0[j] + d1 * r1[j];
  }
  if (l < levels) {
    const uint64_t d0 = static_cast<uint64_t>(d[l]);
    const uint64_t* r0 = rows + l * stride;
    for (std::size_t j = 0; j < len; ++j) o[j] -= d0 * r0[j];
  }
}
}  // namespace

void keyswitch_rows_avx2(uint64_t* o, const uint64_t* rows, std::size_t stride, const int64_t* d,
                         uint32_t levels, std::size_t len) noexcept;
void keyswitch_rows_avx512(uint64_t* o, const uint64_t* rows, std::size_t stride, const int64_t* d,
                           uint32_t levels, std::size_t len) noexcept;
// The fastest copy this CPU runs.
KeyswitchRowsFn keyswitch_rows_best() noexcept;

}  // namespace fhe::detail
