// TFHE-rs wire formats (reference/tfhe-rs.md §5): bincode (fixint, little endian) of
// tfhe-versionable enums behind the safe_serialize header. What node-tfhe@1.7.0 reads and writes.
//
// Supported objects: high_level_api::ClientKey (read and write), high_level_api::FheBool and
// high_level_api::FheUint (read and write; the bit width is not in the bytes, only the block
// count). Readers validate the header (versions, type name), enforce the size limit (an error, not
// truncation), check every length against the remaining bytes and the parameter set, reject
// trailing bytes, and throw FormatError with a one-line message on any problem. They never crash
// on bad input. Byte layouts: fhe/src/serialize/{ciphertext,client_key}.cpp.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "fhe/fhe_type.h"
#include "fhe/keys.h"
#include "fhe/shortint.h"

namespace fhe::tfhers {

class FormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// FHEVM's limits (fhevm-engine-common/src/utils.rs).
inline constexpr uint64_t kCiphertextLimit = uint64_t{16} << 20;
inline constexpr uint64_t kKeyLimit = uint64_t{2} << 30;

using FheType = fhe::FheType;
// fhe::parse_fhe_type, throwing FormatError.
FheType parse_fhe_type(const std::string& s);

// A high-level ciphertext: FheBool (one block) or FheUint (radix blocks, least significant first).
struct FheCiphertext {
  bool is_bool = false;
  std::vector<shortint::Ciphertext> blocks;
  std::vector<uint8_t> tag;                        // Tag bytes (usually empty)
  std::vector<uint8_t> re_randomization_metadata;  // usually empty
};

std::vector<uint8_t> safe_serialize(const FheCiphertext& ct, uint64_t limit = kCiphertextLimit);
// Reads an FheBool or FheUint blob. The blocks get the parameter set whose ciphertext LWE
// dimension matches (kFhevmCompute; the toy set only when insecure sets are allowed); `expected`
// (if given) must match: bool vs uint, and the block count of the width.
FheCiphertext safe_deserialize_ciphertext(std::span<const uint8_t> bytes,
                                          uint64_t limit = kCiphertextLimit,
                                          const FheType* expected = nullptr);

// high_level_api::ClientKey with the default node-tfhe config (compute parameters
// PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128, dedicated OPRF key). Only kFhevmCompute keys
// (kToyInsecure ones too when insecure sets are allowed). A key without oprf_lwe is written with
// the OPRF key Option set to None (what TFHE-rs writes without a dedicated OPRF key).
std::vector<uint8_t> safe_serialize(const ClientKey& ck, uint64_t limit = kKeyLimit);
ClientKey safe_deserialize_client_key(std::span<const uint8_t> bytes, uint64_t limit = kKeyLimit);

}  // namespace fhe::tfhers
