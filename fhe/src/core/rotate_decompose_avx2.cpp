// The same loop as rotate_sub_decompose_l1, compiled for AVX2 (integer-exact: identical output).
#include "core/rotate_decompose.h"

namespace fhe::detail {

void rotate_sub_decompose_l1_avx2(const uint64_t* p, std::size_t n, std::size_t a,
                                  uint32_t base_log, int64_t* digits) noexcept {
  rotate_sub_decompose_l1(p, n, a, base_log, digits);
}

}  // namespace fhe::detail
