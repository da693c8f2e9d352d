// The keyswitch inner loop compiled for AVX2 (selected at run time, keyswitch_kernel.h).
#include "core/keyswitch_kernel.h"

namespace fhe::detail {
void keyswitch_rows_avx2(uint64_t* o, const uint64_t* rows, std::size_t stride, const int64_t* d,
                         uint32_t levels, std::size_t len) noexcept {
  keyswitch_rows(o, rows, stride, d, levels, len);
}
}  // namespace fhe::detail
