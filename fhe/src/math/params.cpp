#include "fhe/params.h"

#include <atomic>
#include <string>

namespace fhe {

double TUniform::variance() const {
  // Uniform on [-2^b, 2^b] with half weight at both ends: E[x^2] = (2^(2b+1) + 1) / 6.
  const double two_b = static_cast<double>(uint64_t{1} << bound_log2);
  return (2.0 * two_b * two_b + 1.0) / 6.0;
}

uint32_t ShortintParams::log2_2n() const {
  uint32_t l = 0;
  while ((uint64_t{1} << l) < 2 * uint64_t{polynomial_size}) ++l;
  return l;
}

// V1_4_PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128 (= V1_5/V1_6 aliases; node-tfhe default).
// tfhe/src/shortint/parameters/v1_4/classic/tuniform/p_fail_2_minus_128/ks_pbs.rs
const ShortintParams kFhevmCompute{
    .id = ParamSetId::FhevmCompute,
    .name = "PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128",
    .insecure = false,
    .lwe_dimension = 918,
    .glwe_dimension = 1,
    .polynomial_size = 2048,
    .lwe_noise = {45},
    .glwe_noise = {17},
    .pbs = {23, 1},
    .ks = {4, 4},
    .message_modulus = 4,
    .carry_modulus = 4,
    .max_noise_level = 5,
    .log2_p_fail = -129.581,
    .mod_switch = ModSwitch::CenteredMeanNoiseReduction,
    .order = PbsOrder::KeyswitchBootstrap,
};

// V1_5_PARAM_PKE_TO_SMALL_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128_ZKV2
const CompactPkeParams kFhevmCpk{
    .name = "V1_5_PARAM_PKE_TO_SMALL_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128_ZKV2",
    .encryption_lwe_dimension = 2048,
    .encryption_noise = {17},
    .message_modulus = 4,
    .carry_modulus = 4,
};

// V1_5_PARAM_KEYSWITCH_PKE_TO_SMALL_..._ZKV2: casting of expanded input lists.
const KeySwitchParams kFhevmCastingKsk{
    .name = "V1_5_PARAM_KEYSWITCH_PKE_TO_SMALL_M2_C2_KS_PBS_TUNIFORM_2M128_ZKV2",
    .ks = {4, 4},
    .destination_big = false,
    .noise = {45},
};

// V1_5_PARAM_KEYSWITCH_PKE_TO_BIG_..._ZKV2: re-randomization of operation inputs.
const KeySwitchParams kFhevmRerandKsk{
    .name = "V1_5_PARAM_KEYSWITCH_PKE_TO_BIG_M2_C2_KS_PBS_TUNIFORM_2M128_ZKV2",
    .ks = {24, 1},
    .destination_big = true,
    .noise = {17},
};

// V1_5_COMP_PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128
const CompressionParams kFhevmCompression{
    .name = "V1_5_COMP_PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128",
    .packing_ks = {4, 3},
    .packing_glwe_dimension = 4,
    .packing_polynomial_size = 256,
    .lwe_per_glwe = 256,
    .storage_log_modulus = 12,
    .packing_ks_noise = {43},
    .br = {23, 1},
};

// V1_5_NOISE_SQUASHING_PARAM_...
const NoiseSquashingParams kFhevmNoiseSquashing{
    .name = "V1_5_NOISE_SQUASHING_PARAM_GPU_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128",
    .glwe_dimension = 2,
    .polynomial_size = 2048,
    .glwe_noise = {30},
    .decomp = {24, 3},
    .mod_switch = ModSwitch::CenteredMeanNoiseReduction,
    .message_modulus = 4,
    .carry_modulus = 4,
};

// V1_5_NOISE_SQUASHING_COMP_PARAM_...
const NoiseSquashingCompressionParams kFhevmNoiseSquashingCompression{
    .name = "V1_5_NOISE_SQUASHING_COMP_PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128",
    .packing_ks = {61, 1},
    .packing_glwe_dimension = 6,
    .packing_polynomial_size = 1024,
    .lwe_per_glwe = 128,
    .packing_ks_noise = {3},
    .message_modulus = 4,
    .carry_modulus = 4,
};

const MetaParams kFhevmMeta{
    .name = "V1_5_META_PARAM_CPU_2_2_KS_PBS_PKE_TO_SMALL_ZKV2_TUNIFORM_2M128",
    .compute = &kFhevmCompute,
    .cpk = &kFhevmCpk,
    .casting_ksk = &kFhevmCastingKsk,
    .rerand_ksk = &kFhevmRerandKsk,
    .compression = &kFhevmCompression,
    .noise_squashing = &kFhevmNoiseSquashing,
    .noise_squashing_compression = &kFhevmNoiseSquashingCompression,
};

// INSECURE. Same encoding and decompositions as the FHEVM set, n = 256 and N = 1024, so a PBS is
// about 8x cheaper. No security, failure probability not estimated (noise margin > 10 sigma by
// the same formulas as the noise tests). For exhaustive tests only.
const ShortintParams kToyInsecure{
    .id = ParamSetId::Toy,
    .name = "TOY_INSECURE_MESSAGE_2_CARRY_2_KS_PBS",
    .insecure = true,
    .lwe_dimension = 256,
    .glwe_dimension = 1,
    .polynomial_size = 1024,
    .lwe_noise = {45},
    .glwe_noise = {17},
    .pbs = {23, 1},
    .ks = {4, 4},
    .message_modulus = 4,
    .carry_modulus = 4,
    .max_noise_level = 5,
    .log2_p_fail = 0.0,
    .mod_switch = ModSwitch::CenteredMeanNoiseReduction,
    .order = PbsOrder::KeyswitchBootstrap,
};

// INSECURE companions of the toy set: the compression GLWE is k=1, N=256 and the storage modulus
// 2N = 2048 of the toy blind rotation; the compact public key has n = 512.
const CompressionParams kToyCompression{
    .name = "TOY_INSECURE_COMPRESSION",
    .packing_ks = {4, 3},
    .packing_glwe_dimension = 1,
    .packing_polynomial_size = 256,
    .lwe_per_glwe = 256,
    .storage_log_modulus = 11,
    .packing_ks_noise = {43},
    .br = {23, 1},
};

const CompactPkeParams kToyCpk{
    .name = "TOY_INSECURE_PKE",
    .encryption_lwe_dimension = 512,
    .encryption_noise = {17},
    .message_modulus = 4,
    .carry_modulus = 4,
};

const MetaParams kToyMeta{
    .name = "TOY_INSECURE_META",
    .compute = &kToyInsecure,
    .cpk = &kToyCpk,
    .casting_ksk = &kFhevmCastingKsk,
    .rerand_ksk = &kFhevmRerandKsk,
    .compression = &kToyCompression,
    .noise_squashing = &kFhevmNoiseSquashing,
    .noise_squashing_compression = &kFhevmNoiseSquashingCompression,
};

namespace {
std::atomic<bool> g_insecure{false};
}

void allow_insecure(bool on) {
  g_insecure.store(on);
}
bool insecure_allowed() {
  return g_insecure.load();
}

static const ShortintParams& checked(const ShortintParams& p) {
  if (p.insecure && !insecure_allowed()) {
    throw ParamError(std::string("parameter set ") + std::string(p.name) +
                     " is insecure; it needs an explicit opt-in (allow_insecure / --params toy)");
  }
  return p;
}

const ShortintParams& params_by_id(ParamSetId id) {
  switch (id) {
    case ParamSetId::FhevmCompute:
      return kFhevmCompute;
    case ParamSetId::Toy:
      return checked(kToyInsecure);
  }
  throw ParamError("unknown parameter set id " + std::to_string(static_cast<uint32_t>(id)));
}

const ShortintParams& params_by_name(std::string_view name) {
  if (name == "fhevm" || name == kFhevmCompute.name) return kFhevmCompute;
  if (name == "toy" || name == kToyInsecure.name) return checked(kToyInsecure);
  throw ParamError("unknown parameter set '" + std::string(name) + "' (known: fhevm, toy)");
}

void check_same_params(const ShortintParams* a, const ShortintParams* b, const char* what) {
  if (a == nullptr || b == nullptr || a != b) {
    throw ParamError(std::string(what) + ": parameter set mismatch (" +
                     (a ? std::string(a->name) : std::string("none")) + " vs " +
                     (b ? std::string(b->name) : std::string("none")) + ")");
  }
}

}  // namespace fhe
