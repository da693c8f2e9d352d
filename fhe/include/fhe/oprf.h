// Oblivious pseudo-random generation of encrypted values, as TFHE-rs 1.6.3
// (shortint/oprf.rs, integer/oprf.rs; reference/tfhe-rs.md §4.5). Deterministic from the seed:
//   h = SHA3-256("TFHE_PRF" || seed bytes || block-count/bits descriptor)
//   xof = tfhe-csprng XofSeed(h, "PRF_INIT"); per block n values (2 bytes LE) & (2N-1)
// form an already modulus-switched LWE with body 0; it is blind-rotated (no keyswitch) with the
// dedicated OPRF bootstrapping key when the server key has one, else the compute one, through a
// table that maps the uniformly random phase to a uniform value in [0, 2^bits).
// The output block has degree 2^bits - 1 and nominal noise.
//
// Thread safety: pure functions; one Evaluator per thread.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "fhe/shortint.h"

namespace fhe::shortint {

// The modulus-switched inputs of `bit_count` random bits in blocks of `bits_per_block` (the last
// block may have fewer, returned in *last_block_bits). `seed_bytes` is the OprfSeed (LE16 of a
// u128 Seed).
struct OprfInputs {
  std::vector<std::vector<uint32_t>> blocks;  // n mask values then the body (0) each
  uint64_t bits_per_block = 0;
  uint64_t last_block_bits = 0;
};
OprfInputs oprf_inputs(std::span<const uint8_t> seed_bytes, uint64_t bit_count,
                       uint64_t bits_per_block, uint32_t lwe_dimension, uint32_t log2_2n);

// One block: blind rotation of `input` through the OPRF table for `random_bits` bits (one PBS).
Ciphertext oprf_block(Evaluator& ev, const std::vector<uint32_t>& input, uint64_t random_bits);
// Several blocks blind-rotated as one batch (out[c] from inputs[c] with random_bits[c] bits):
// bit-identical to oprf_block one by one.
void oprf_blocks(Evaluator& ev, std::span<const std::vector<uint32_t>> inputs,
                 std::span<const uint64_t> random_bits, Ciphertext* out);

}  // namespace fhe::shortint
