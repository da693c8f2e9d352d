// The storage form of ciphertexts in the `ciphertexts` table (FHEVM "ct64"): safe_serialize of a
// one-element TFHE-rs CompressedCiphertextList (reference/tfhe-rs.md §5.7), and its digest.
//
// Errors: StorageError (one line) for bytes that do not decode to the expected type.
// Thread safety: pure functions over a shared read-only server key.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "fhe/integer.h"
#include "fhe/keys.h"

namespace coproc {

class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Compresses a clean ciphertext (no PBS; a packing keyswitch).
std::vector<uint8_t> compress_ct64(const fhe::ServerKey& sk, const fhe::integer::Ciphertext& ct);
// One PBS per block (on fhe::thread_count() workers). `type` must match the list's data kind.
fhe::integer::Ciphertext decompress_ct64(const fhe::ServerKey& sk, std::span<const uint8_t> bytes,
                                         fhe::FheType type);
// Several stored ciphertexts at once, all their blocks' PBS batched together. result[i] holds the
// ciphertext of items[i], or the message of the StorageError decompress_ct64 would have thrown.
struct StoredInput {
  std::span<const uint8_t> bytes;
  fhe::FheType type;
};
struct DecompressedInput {
  std::optional<fhe::integer::Ciphertext> ct;
  std::string error;  // when !ct
};
std::vector<DecompressedInput> decompress_ct64_many(const fhe::ServerKey& sk,
                                                    std::span<const StoredInput> items);
// keccak256 of the bytes (the ct64 digest FHEVM commits).
std::array<uint8_t, 32> ct64_digest(std::span<const uint8_t> bytes);

}  // namespace coproc
