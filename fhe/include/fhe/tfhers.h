// TFHE-rs wire formats (reference/tfhe-rs.md §5): bincode (fixint, little endian) of
// tfhe-versionable enums behind the safe_serialize header. What node-tfhe@1.7.0 reads and writes.
//
// Supported objects: high_level_api::ClientKey (read and write), high_level_api::FheBool and
// high_level_api::FheUint (read and write; the bit width is not in the bytes, only the block
// count), high_level_api::CompressedCiphertextList and high_level_api::CompactPublicKey (read and
// write). Readers validate the header (versions, type name), enforce the size limit (an error, not
// truncation), check every length against the remaining bytes and the parameter set, reject
// trailing bytes, and throw FormatError with a one-line message on any problem. They never crash
// on bad input. Byte layouts: fhe/src/serialize/{ciphertext,client_key,compressed_list,
// compact_public_key}.cpp.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "fhe/compression.h"
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

// ---- high_level_api::CompressedCiphertextList (FHEVM's storage format for every ciphertext) ----
// Byte layout: fhe/src/serialize/compressed_list.cpp. These are the wire values; compressing and
// decompressing ciphertexts is not done here.

// One CompressedModulusSwitchedGlweCiphertext<u64>: the k*N mask coefficients and the first
// `bodies_count` body coefficients of a GLWE, each switched to `log_modulus` bits and bit-packed
// LSB first (value e occupies bits [e*log_modulus, (e+1)*log_modulus) of the u64 word stream).
// Invariants (checked on read and write): initial_len == glwe_dimension * polynomial_size +
// bodies_count, packed_coeffs.size() == ceil(initial_len * log_modulus / 64), 1 <= log_modulus <=
// 64, bodies_count <= polynomial_size. The uncompressed modulus is always the native 2^64.
struct CompressedGlwe {
  std::vector<uint64_t> packed_coeffs;  // PackedIntegers.packed_coeffs
  uint64_t log_modulus = 12;            // PackedIntegers.log_modulus (CiphertextModulusLog)
  uint64_t initial_len = 0;             // PackedIntegers.initial_len (number of packed values)
  uint64_t glwe_dimension = 0;
  uint64_t polynomial_size = 0;
  uint64_t bodies_count = 0;  // LWEs packed in this GLWE
};

// integer::DataKind (the variant index is the wire value).
enum class DataKindTag : uint32_t { Unsigned = 0, Signed = 1, Boolean = 2, String = 3 };

struct DataKind {
  DataKindTag kind = DataKindTag::Boolean;
  uint64_t blocks = 0;   // Unsigned / Signed: radix block count (non-zero)
  uint32_t n_chars = 0;  // String only
  bool padded = false;   // String only
};

// Blocks a DataKind occupies in the list (TFHE-rs DataKind::num_blocks): Unsigned/Signed `blocks`,
// Boolean 1, String n_chars * ceil(7 / log2(message_modulus)) (0 when message_modulus < 2).
uint64_t data_kind_blocks(const DataKind& kind, uint64_t message_modulus);

// The list. The meta (CompressedCiphertextListMeta) is present iff the list has GLWEs; its
// ciphertext modulus is the native 2^64 and its atomic pattern Standard(KeyswitchBootstrap) (both
// implied). Structural invariants (checked on read and write): with GLWEs, 1 <= lwe_per_glwe <=
// polynomial_size, every GLWE but the last holds lwe_per_glwe bodies and the last 1..lwe_per_glwe,
// the blocks of `info` add up to the bodies; without, every info entry is an empty String; one
// re-randomization metadata entry per info entry (what TFHE-rs's builder writes).
struct CompressedList {
  std::vector<CompressedGlwe> glwes;
  bool has_meta = true;  // Option<CompressedCiphertextListMeta>
  uint64_t message_modulus = 4;
  uint64_t carry_modulus = 4;
  uint64_t lwe_per_glwe = 256;
  std::vector<DataKind> info;                                   // one entry per value
  std::vector<uint8_t> tag;                                     // Tag bytes (usually empty)
  std::vector<std::vector<uint8_t>> re_randomization_metadata;  // per value, usually empty
};

std::vector<uint8_t> safe_serialize(const CompressedList& list, uint64_t limit = kCiphertextLimit);
// Reads a high_level_api::CompressedCiphertextList. Structural checks always; with `conformance`
// (default: the FHEVM set) also the parameters: every GLWE's k, N and log_modulus equal the
// compression set's (4, 256, 12), lwe_per_glwe equals its lwe_per_glwe (256) and the message /
// carry moduli the compute set's (4 / 4). Pass nullptr for structure only.
CompressedList safe_deserialize_compressed_list(std::span<const uint8_t> bytes,
                                                uint64_t limit = kCiphertextLimit,
                                                const MetaParams* conformance = &kFhevmMeta);

// Between the engine's compressed blocks and the wire form. `kinds` says what the blocks are (in
// order; their block counts must add up to the list's). The wire form's parameters must match the
// engine's compression set for `params` (FormatError otherwise).
CompressedList to_wire(const shortint::CompressedBlocks& blocks, std::vector<DataKind> kinds);
shortint::CompressedBlocks from_wire(const CompressedList& list, const ShortintParams& params);

// ---- high_level_api::CompactPublicKey (FHEVM's input-encryption key) ----
// Byte layout: fhe/src/serialize/compact_public_key.cpp. Only kFhevmCpk parameters (dimension
// 2048, TUniform(17), message 4 / carry 4, expansion RequiresCasting, ZK scheme V2) are read or
// written; other parameters are rejected with a message naming the first difference.
struct CompactPublicKey {
  std::vector<uint64_t> a;   // mask polynomial, 2048 coefficients
  std::vector<uint64_t> b;   // body polynomial, 2048 coefficients
  std::vector<uint8_t> tag;  // Tag bytes (usually empty)
};

std::vector<uint8_t> safe_serialize(const CompactPublicKey& pk, uint64_t limit = kKeyLimit);
CompactPublicKey safe_deserialize_compact_public_key(std::span<const uint8_t> bytes,
                                                     uint64_t limit = kKeyLimit);

}  // namespace fhe::tfhers
