// List compression of shortint blocks, as TFHE-rs 1.6.3's CompressionKey / DecompressionKey
// (reference/tfhe-rs.md §5.7): blocks (clean, nominal noise) are multiplied by the message modulus
// (message moved into the carry bits), packed by groups of lwe_per_glwe into GLWEs (k=4, N=256
// for FHEVM) by a packing keyswitch, and every mask coefficient and the used body coefficients
// are modulus-switched to storage_log_modulus bits and bit-packed LSB first. Decompressing block
// i sample-extracts coefficient i % lwe_per_glwe and bootstraps it with the decompression key
// (one PBS), which rescales it to the compute encoding: degree message_modulus - 1, noise nominal.
//
// Errors: ShortintError for blocks with carries or noise above nominal, missing keys, or indices
// out of range. Thread safety: pure functions over shared read-only keys; one Evaluator per
// thread for decompression.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "fhe/shortint.h"

namespace fhe::shortint {

// TFHE-rs CompressedModulusSwitchedGlweCiphertext<u64>.
struct PackedGlwe {
  uint32_t glwe_dimension = 0;
  uint32_t polynomial_size = 0;
  uint32_t bodies_count = 0;
  uint32_t log_modulus = 0;
  uint64_t initial_len = 0;      // k*N + bodies_count packed values
  std::vector<uint64_t> packed;  // ceil(initial_len * log_modulus / 64) words
};

// TFHE-rs shortint::CompressedCiphertextList (meta present when the list is not empty).
struct CompressedBlocks {
  const ShortintParams* params = nullptr;
  uint32_t lwe_per_glwe = 0;
  std::vector<PackedGlwe> glwes;
  std::size_t size() const;  // number of blocks
};

// Bit packing of values < 2^log_modulus, value e at bits [e*log, (e+1)*log) of the word stream.
std::vector<uint64_t> pack_integers(std::span<const uint64_t> values, uint32_t log_modulus);
std::vector<uint64_t> unpack_integers(std::span<const uint64_t> packed, uint32_t log_modulus,
                                      std::size_t count);

// Requires sk.packing_ksk. Blocks must have empty carries and noise level 0 or 1.
CompressedBlocks compress(const ServerKey& sk, std::span<const Ciphertext> blocks);
// Requires sk.decompression_bsk; one PBS on `ev`.
Ciphertext decompress(Evaluator& ev, const CompressedBlocks& list, std::size_t index);
// Every block, the PBS spread over fhe::thread_count() workers (same result for any count).
std::vector<Ciphertext> decompress_all(const ServerKey& sk, const CompressedBlocks& list);
// Every block of every list (result[i] holds the blocks of lists[i]), all blind rotations batched
// together over the workers: a set of small inputs makes full batches. Same results as
// decompress_all list by list; throws like it when any list is invalid.
std::vector<std::vector<Ciphertext>> decompress_lists(
    const ServerKey& sk, std::span<const CompressedBlocks* const> lists);

}  // namespace fhe::shortint
