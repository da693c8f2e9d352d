// Encrypted random values (FHEVM FheRand / FheRandBounded), TFHE-rs 1.6.3 integer OPRF.
#include "fhe/oprf.h"

#include <algorithm>
#include <bit>
#include <string>

#include "core/parallel.h"
#include "fhe/integer.h"

namespace fhe::integer {

Ciphertext random(const ServerKey& sk, FheType type, u128 seed, uint64_t random_bits,
                  uint64_t* pbs_count) {
  const ShortintParams& p = *sk.params;
  uint8_t seed_bytes[16];
  for (int i = 0; i < 16; ++i) seed_bytes[i] = static_cast<uint8_t>(seed >> (8 * i));
  // FheBool: one block of one bit. FheUintN: random_bits (<= N) in blocks of log2(message) bits,
  // the blocks above them trivial zeros.
  const uint64_t per_block =
      type.is_bool ? 1 : static_cast<uint64_t>(std::countr_zero(p.message_modulus));
  const uint64_t bits = type.is_bool ? 1 : std::min<uint64_t>(random_bits, type.bits);
  const shortint::OprfInputs in = shortint::oprf_inputs(
      seed_bytes, bits, per_block,
      sk.oprf_bsk ? sk.oprf_bsk->input_dimension : sk.bsk.input_dimension, p.log2_2n());
  Ciphertext out;
  out.type = type;
  const std::size_t total = type.is_bool ? 1 : type.num_blocks(p.message_modulus);
  out.blocks.assign(total, shortint::trivial(p, 0));
  const std::size_t n = in.blocks.size();
  std::vector<uint64_t> bits_of(n, in.bits_per_block);
  if (n > 0) bits_of[n - 1] = in.last_block_bits;
  detail::parallel_batches(n, shortint::kMaxPbsBatch, [&](std::size_t lo, std::size_t hi) {
    shortint::Evaluator ev(sk);
    shortint::oprf_blocks(ev, std::span(in.blocks).subspan(lo, hi - lo),
                          std::span<const uint64_t>(bits_of).subspan(lo, hi - lo),
                          out.blocks.data() + lo);
  });
  if (pbs_count) *pbs_count += n;
  return out;
}

uint64_t random_bits_for_bound(std::span<const uint8_t> bound_be, FheType type) {
  // fhevm-engine-common be_number_random_bits: 8 * (trailing zero bytes) + the index of the
  // highest set bit of the lowest non-zero byte; then at most the type's width.
  uint64_t bits = 0;
  for (std::size_t i = bound_be.size(); i-- > 0;) {
    const uint8_t b = bound_be[i];
    if (b == 0) {
      bits += 8;
      continue;
    }
    bits += 7 - static_cast<uint64_t>(std::countl_zero(b));
    return std::min<uint64_t>(bits, type.is_bool ? 1 : type.bits);
  }
  if (bound_be.empty()) throw IntegerError("rand bounded: empty upper bound");
  return std::min<uint64_t>(bits, type.is_bool ? 1 : type.bits);  // zero bound: full width
}

}  // namespace fhe::integer
