// Signed gadget decomposition with TFHE-rs's exact rounding (reference/tfhe-rs.md §2.5). The hot
// parts are inline in core.h.
#include "fhe/core.h"

namespace fhe {

uint64_t Decomposer::closest_representable(uint64_t x) const noexcept {
  const uint32_t shift = 64 - base_log * level - 1;
  return (((x >> shift) + 1) & ~uint64_t{1}) << shift;
}

}  // namespace fhe
