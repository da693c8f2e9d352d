// Signed gadget decomposition with TFHE-rs's exact rounding (reference/tfhe-rs.md §2.5).
#include <cassert>

#include "fhe/core.h"

namespace fhe {

int64_t Decomposer::init_state(uint64_t x) const noexcept {
  const uint32_t r = base_log * level;
  assert(r >= 1 && r < 64);
  // Round to the closest multiple of 2^(64-r), ties resolved with the bit below ("rounding bit").
  uint64_t res = x >> (64 - r - 1);
  const uint64_t rb = res & 1;
  res = ((res + 1) >> 1) & ((uint64_t{1} << r) - 1);
  // Balance into [-2^(r-1), 2^(r-1)]: subtract 2^r when res > 2^(r-1), or == 2^(r-1) and rb.
  const uint64_t need = (((res - 1) | (rb << (r - 1))) & res) >> (r - 1);
  return static_cast<int64_t>(res - (need << r));
}

void Decomposer::decompose(uint64_t x, int64_t* out) const noexcept {
  int64_t state = init_state(x);
  const uint64_t mask = (uint64_t{1} << base_log) - 1;
  // Digits come least significant first (level l, then l-1, ... 1): out[0] is level l.
  for (uint32_t i = 0; i < level; ++i) {
    const uint64_t d = static_cast<uint64_t>(state) & mask;
    state >>= base_log;  // arithmetic shift
    const uint64_t carry = (((d - 1) | static_cast<uint64_t>(state)) & d) >> (base_log - 1);
    state += static_cast<int64_t>(carry);
    out[i] = static_cast<int64_t>(d) - static_cast<int64_t>(carry << base_log);
  }
}

uint64_t Decomposer::closest_representable(uint64_t x) const noexcept {
  const uint32_t shift = 64 - base_log * level - 1;
  return (((x >> shift) + 1) & ~uint64_t{1}) << shift;
}

}  // namespace fhe
