// Parameter sets: named, documented data with the exact TFHE-rs values.
//
// Source of the values: TFHE-rs 1.6.3, meta set
// V1_5_META_PARAM_CPU_2_2_KS_PBS_PKE_TO_SMALL_ZKV2_TUNIFORM_2M128 (see shared/reference/tfhe-rs.md
// §1). Every key and ciphertext holds a pointer to one of the static sets below; operations compare
// the pointers (or the ids) and throw ParamMismatch when they differ.
//
// Thread safety: all sets are immutable statics.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fhe {

// A TUniform(b) distribution: integers in [-2^b, 2^b], P(x) = 2^-(b+1) inside, 2^-(b+2) at the
// ends.
struct TUniform {
  uint32_t bound_log2;
  // Variance of the distribution, in units of 1 (not of the modulus): (2^(2b+1) + 1) / 6.
  double variance() const;
};

struct Decomposition {
  uint32_t base_log;
  uint32_t level;
};

enum class ModSwitch : uint8_t { Standard, CenteredMeanNoiseReduction };
enum class PbsOrder : uint8_t { KeyswitchBootstrap, BootstrapKeyswitch };

enum class ParamSetId : uint32_t {
  FhevmCompute = 1,  // V1_4/V1_5/V1_6 PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128
  Toy = 100,         // INSECURE, for fast tests only
};

// The compute ("shortint") parameters of a classic KS->PBS atomic pattern.
struct ShortintParams {
  ParamSetId id;
  std::string_view name;
  bool insecure;             // true only for toy sets; using one needs allow_insecure()
  uint32_t lwe_dimension;    // n (small key)
  uint32_t glwe_dimension;   // k
  uint32_t polynomial_size;  // N
  TUniform lwe_noise;
  TUniform glwe_noise;
  Decomposition pbs;
  Decomposition ks;
  uint64_t message_modulus;
  uint64_t carry_modulus;
  uint64_t max_noise_level;
  double log2_p_fail;
  ModSwitch mod_switch;
  PbsOrder order;

  uint32_t big_lwe_dimension() const { return glwe_dimension * polynomial_size; }
  // Ciphertexts live under the big key in KS->PBS order.
  uint32_t ciphertext_lwe_dimension() const {
    return order == PbsOrder::KeyswitchBootstrap ? big_lwe_dimension() : lwe_dimension;
  }
  // delta = 2^63 / (message * carry): one padding bit, then carry|message.
  uint64_t delta() const { return (uint64_t{1} << 63) / (message_modulus * carry_modulus); }
  // log2(2N): the modulus of the blind rotation's input.
  uint32_t log2_2n() const;
};

// Compact public key encryption (input proofs). Declared for later issues.
struct CompactPkeParams {
  std::string_view name;
  uint32_t encryption_lwe_dimension;
  TUniform encryption_noise;
  uint64_t message_modulus;
  uint64_t carry_modulus;
};

// A keyswitch from one key domain to another (casting, re-randomization).
struct KeySwitchParams {
  std::string_view name;
  Decomposition ks;
  bool destination_big;  // true: to the big (2048) key; false: to the small (918) key
  TUniform noise;
};

// List compression (packing keyswitch into a GLWE, then 12-bit storage).
struct CompressionParams {
  std::string_view name;
  Decomposition packing_ks;
  uint32_t packing_glwe_dimension;
  uint32_t packing_polynomial_size;
  uint32_t lwe_per_glwe;
  uint32_t storage_log_modulus;
  TUniform packing_ks_noise;
  Decomposition br;  // decompression bootstrapping key
};

// Noise squashing to 128-bit ciphertexts.
struct NoiseSquashingParams {
  std::string_view name;
  uint32_t glwe_dimension;
  uint32_t polynomial_size;
  TUniform glwe_noise;  // over u128
  Decomposition decomp;
  ModSwitch mod_switch;
  uint64_t message_modulus;
  uint64_t carry_modulus;
};

struct NoiseSquashingCompressionParams {
  std::string_view name;
  Decomposition packing_ks;
  uint32_t packing_glwe_dimension;
  uint32_t packing_polynomial_size;
  uint32_t lwe_per_glwe;
  TUniform packing_ks_noise;  // over u128
  uint64_t message_modulus;
  uint64_t carry_modulus;
};

// The FHEVM meta set: every parameter the coprocessor uses.
struct MetaParams {
  std::string_view name;
  const ShortintParams* compute;
  const CompactPkeParams* cpk;
  const KeySwitchParams* casting_ksk;  // PKE -> small
  const KeySwitchParams* rerand_ksk;   // PKE -> big
  const CompressionParams* compression;
  const NoiseSquashingParams* noise_squashing;
  const NoiseSquashingCompressionParams* noise_squashing_compression;
};

extern const ShortintParams kFhevmCompute;
extern const CompactPkeParams kFhevmCpk;
extern const KeySwitchParams kFhevmCastingKsk;
extern const KeySwitchParams kFhevmRerandKsk;
extern const CompressionParams kFhevmCompression;
extern const NoiseSquashingParams kFhevmNoiseSquashing;
extern const NoiseSquashingCompressionParams kFhevmNoiseSquashingCompression;
extern const MetaParams kFhevmMeta;

// INSECURE toy set: same encoding (2+2 bits, padding bit), small dimensions. Tests only.
// Reaching it through params_by_id / params_by_name requires allow_insecure(true) first.
extern const ShortintParams kToyInsecure;
extern const CompressionParams kToyCompression;
extern const CompactPkeParams kToyCpk;
extern const MetaParams kToyMeta;

class ParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Opt-in for insecure parameter sets (process-wide). Off by default.
void allow_insecure(bool on);
bool insecure_allowed();

// Lookup by id or name; throws ParamError for unknown ids or for toy sets without the opt-in.
const ShortintParams& params_by_id(ParamSetId id);
const ShortintParams& params_by_name(std::string_view name);

// Throws ParamError("<what>: parameter set mismatch (a vs b)") when a != b.
void check_same_params(const ShortintParams* a, const ShortintParams* b, const char* what);

}  // namespace fhe
