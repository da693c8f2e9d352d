// high_level_api::ClientKey in TFHE-rs 1.7.0's safe_serialize format, as node-tfhe@1.7.0 writes it
// for TfheConfigBuilder.default() (mapped field by field from node-tfhe blobs; 31,458 bytes).
//
// Layout after the safe-serialize header (name "high_level_api::ClientKey"):
//   u32 1  ClientKeyVersions::V1                  { key: IntegerClientKey, tag: Tag }
//   u32 8  IntegerClientKeyVersions::V8
//   u32 0  integer::ClientKey V0
//   u32 1  shortint GenericClientKeyVersions::V1
//   u32 0  AtomicPatternClientKey V0, u32 0 variant Standard
//   u32 0  StandardAtomicPatternClientKey V0:
//     u32 0 GlweSecretKey V0: Vec<u64> k*N bits (0/1), u32 0 PolynomialSize V0: u64 N
//     u32 0 LweSecretKey V0: Vec<u64> n bits (the small key)
//     parameters: u32 0 PBSParameters V0, u32 0 variant PBS, u32 2 ClassicPBSParameters V2:
//       u32 0 + u64 lwe_dimension;  u32 0 + u64 glwe_dimension;  u32 0 + u64 polynomial_size
//       lwe noise, glwe noise: u32 0 DynamicDistribution V0, u32 1 variant TUniform,
//                              u32 0 TUniform V0, u32 bound_log2
//       u32 0 + u64 for each of pbs_base_log, pbs_level, ks_base_log, ks_level,
//                               message_modulus, carry_modulus, max_noise_level
//       f64 log2_p_fail
//       u32 0 CiphertextModulus V0: u128 0 (native), u64 64
//       u32 0 EncryptionKeyChoice V0, u32 variant (0 Big, 1 Small)
//       u32 0 ModulusSwitchType V0, u32 variant (0 Standard, 2 CenteredMeanNoiseReduction;
//                                                1 DriftTechniqueNoiseReduction is unsupported)
//     u8 0   wopbs_parameters: None
//   u8 0 x5  dedicated_compact_private_key, compression_key, noise_squashing_private_key,
//            noise_squashing_compression_private_key, cpk_re_randomization_params: None
//   dedicated_oprf_private_key: Option: u8 1, then u32 0 integer OprfPrivateKey V0,
//            u32 0 shortint OprfPrivateKey V0, u32 0 AtomicPatternOprfPrivateKey V0,
//            u32 0 variant Standard, u32 0 LweSecretKey V0, Vec<u64> n bits
//   u32 0 Tag V0, u64 0 (empty tag)
//
// Writing a key without a dedicated OPRF key (our own keygen) writes None there: that is what
// TFHE-rs writes for a config without dedicated_oprf_key, and node-tfhe reads it, encrypts and
// decrypts with it (checked). Keys with any other optional component, a non-empty tag, other
// versions or other parameters are rejected: the reader accepts kFhevmCompute keys (and
// kToyInsecure ones when insecure sets are allowed).
#include <charconv>
#include <string>

#include "fhe/tfhers.h"
#include "serialize/bincode.h"

namespace fhe::tfhers {

namespace {

using detail::Reader;
using detail::Writer;

constexpr std::string_view kClientKeyName = "high_level_api::ClientKey";
constexpr uint32_t kClientKeyVersion = 1;
constexpr uint32_t kIntegerClientKeyVersion = 8;
constexpr uint32_t kGenericClientKeyVersion = 1;
constexpr uint32_t kClassicPbsParametersVersion = 2;
constexpr uint32_t kDistributionTUniform = 1;
constexpr uint32_t kModSwitchStandard = 0;
constexpr uint32_t kModSwitchDrift = 1;
constexpr uint32_t kModSwitchCenteredMean = 2;

// The compute parameters as stored in the key.
struct WireParams {
  uint64_t lwe_dimension, glwe_dimension, polynomial_size;
  uint32_t lwe_noise_bound_log2, glwe_noise_bound_log2;
  uint64_t pbs_base_log, pbs_level, ks_base_log, ks_level;
  uint64_t message_modulus, carry_modulus, max_noise_level;
  double log2_p_fail;
  PbsOrder order;
  ModSwitch mod_switch;
};

std::string f64_str(double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

const char* order_str(PbsOrder o) {
  return o == PbsOrder::KeyswitchBootstrap ? "Big (KeyswitchBootstrap)"
                                           : "Small (BootstrapKeyswitch)";
}

const char* mod_switch_str(ModSwitch m) {
  return m == ModSwitch::Standard ? "Standard" : "CenteredMeanNoiseReduction";
}

// "" when `w` equals `p`, else "<field> <found>, expected <p's value>" for the first difference.
std::string first_difference(const WireParams& w, const ShortintParams& p) {
  auto num = [](const char* field, uint64_t found, uint64_t want) {
    return found == want ? std::string()
                         : std::string(field) + " " + std::to_string(found) + ", expected " +
                               std::to_string(want);
  };
  auto tuni = [](const char* field, uint32_t found, uint32_t want) {
    return found == want ? std::string()
                         : std::string(field) + " TUniform(" + std::to_string(found) +
                               "), expected TUniform(" + std::to_string(want) + ")";
  };
  const std::string diffs[] = {
      num("lwe_dimension", w.lwe_dimension, p.lwe_dimension),
      num("glwe_dimension", w.glwe_dimension, p.glwe_dimension),
      num("polynomial_size", w.polynomial_size, p.polynomial_size),
      tuni("lwe_noise_distribution", w.lwe_noise_bound_log2, p.lwe_noise.bound_log2),
      tuni("glwe_noise_distribution", w.glwe_noise_bound_log2, p.glwe_noise.bound_log2),
      num("pbs_base_log", w.pbs_base_log, p.pbs.base_log),
      num("pbs_level", w.pbs_level, p.pbs.level),
      num("ks_base_log", w.ks_base_log, p.ks.base_log),
      num("ks_level", w.ks_level, p.ks.level),
      num("message_modulus", w.message_modulus, p.message_modulus),
      num("carry_modulus", w.carry_modulus, p.carry_modulus),
      num("max_noise_level", w.max_noise_level, p.max_noise_level),
      w.log2_p_fail == p.log2_p_fail
          ? std::string()
          : "log2_p_fail " + f64_str(w.log2_p_fail) + ", expected " + f64_str(p.log2_p_fail),
      w.order == p.order ? std::string()
                         : std::string("encryption_key_choice ") + order_str(w.order) +
                               ", expected " + order_str(p.order),
      w.mod_switch == p.mod_switch
          ? std::string()
          : std::string("modulus_switch_noise_reduction_params ") + mod_switch_str(w.mod_switch) +
                ", expected " + mod_switch_str(p.mod_switch),
  };
  for (const std::string& d : diffs) {
    if (!d.empty()) return d;
  }
  return {};
}

// ---- writing ----

void write_dim(Writer& w, uint64_t v) {
  w.u32(0);  // the newtype's V0
  w.u64(v);
}

void write_tuniform(Writer& w, TUniform t) {
  w.u32(0);  // DynamicDistribution V0
  w.u32(kDistributionTUniform);
  w.u32(0);  // TUniform V0
  w.u32(t.bound_log2);
}

void write_params(Writer& w, const ShortintParams& p) {
  w.u32(0);  // PBSParameters V0
  w.u32(0);  // variant PBS (classic)
  w.u32(kClassicPbsParametersVersion);
  write_dim(w, p.lwe_dimension);
  write_dim(w, p.glwe_dimension);
  write_dim(w, p.polynomial_size);
  write_tuniform(w, p.lwe_noise);
  write_tuniform(w, p.glwe_noise);
  write_dim(w, p.pbs.base_log);
  write_dim(w, p.pbs.level);
  write_dim(w, p.ks.base_log);
  write_dim(w, p.ks.level);
  write_dim(w, p.message_modulus);
  write_dim(w, p.carry_modulus);
  write_dim(w, p.max_noise_level);
  w.f64(p.log2_p_fail);
  w.u32(0);  // CiphertextModulus V0
  w.u128(0, 0);
  w.u64(64);
  w.u32(0);  // EncryptionKeyChoice V0
  w.u32(p.order == PbsOrder::KeyswitchBootstrap ? 0 : 1);
  w.u32(0);  // ModulusSwitchType V0
  w.u32(p.mod_switch == ModSwitch::Standard ? kModSwitchStandard : kModSwitchCenteredMean);
}

template <class V>
void check_key_bits(const char* key, const V& bits, std::size_t expected) {
  if (bits.size() != expected) {
    throw FormatError(std::string("ClientKey: ") + key + " has " + std::to_string(bits.size()) +
                      " coefficients, expected " + std::to_string(expected));
  }
  for (uint64_t b : bits) {
    if (b > 1) throw FormatError(std::string("ClientKey: ") + key + " is not binary");
  }
}

// ---- reading ----

uint64_t read_dim(Reader& r, const char* type) {
  r.version(type, 0);
  return r.u64(type);
}

uint32_t read_tuniform(Reader& r, const char* field) {
  r.version("DynamicDistribution", 0);
  const std::size_t at = r.pos();
  const uint32_t variant = r.u32(field);
  if (variant != kDistributionTUniform) {
    r.fail_at(at,
              std::string("unsupported parameters (") + field + " " +
                  (variant == 0 ? std::string("Gaussian") : "variant " + std::to_string(variant)) +
                  ", expected TUniform)");
  }
  r.version("TUniform", 0);
  return r.u32(field);
}

WireParams read_params(Reader& r) {
  WireParams w{};
  r.version("PBSParameters", 0);
  const std::size_t kind_at = r.pos();
  const uint32_t kind = r.u32("PBS parameters kind");
  if (kind != 0) {
    r.fail_at(kind_at,
              "unsupported parameters (" +
                  (kind == 1 ? std::string("multi-bit PBS") : "kind " + std::to_string(kind)) +
                  ", expected classic PBS)");
  }
  r.version("ClassicPBSParameters", kClassicPbsParametersVersion);
  w.lwe_dimension = read_dim(r, "LweDimension");
  w.glwe_dimension = read_dim(r, "GlweDimension");
  w.polynomial_size = read_dim(r, "PolynomialSize");
  w.lwe_noise_bound_log2 = read_tuniform(r, "lwe_noise_distribution");
  w.glwe_noise_bound_log2 = read_tuniform(r, "glwe_noise_distribution");
  w.pbs_base_log = read_dim(r, "DecompositionBaseLog");
  w.pbs_level = read_dim(r, "DecompositionLevelCount");
  w.ks_base_log = read_dim(r, "DecompositionBaseLog");
  w.ks_level = read_dim(r, "DecompositionLevelCount");
  w.message_modulus = read_dim(r, "MessageModulus");
  w.carry_modulus = read_dim(r, "CarryModulus");
  w.max_noise_level = read_dim(r, "MaxNoiseLevel");
  w.log2_p_fail = r.f64("log2_p_fail");
  r.version("CiphertextModulus", 0);
  const std::size_t mod_at = r.pos();
  uint64_t lo = 0;
  uint64_t hi = 0;
  r.u128("ciphertext modulus", lo, hi);
  const uint64_t scalar_bits = r.u64("ciphertext modulus scalar bits");
  if (lo != 0 || hi != 0 || scalar_bits != 64) {
    r.fail_at(mod_at, "unsupported parameters (ciphertext_modulus not native 2^64)");
  }
  r.version("EncryptionKeyChoice", 0);
  const std::size_t choice_at = r.pos();
  const uint32_t choice = r.u32("encryption key choice");
  if (choice > 1)
    r.fail_at(choice_at, "invalid EncryptionKeyChoice variant " + std::to_string(choice));
  w.order = choice == 0 ? PbsOrder::KeyswitchBootstrap : PbsOrder::BootstrapKeyswitch;
  r.version("ModulusSwitchType", 0);
  const std::size_t ms_at = r.pos();
  const uint32_t ms = r.u32("modulus switch type");
  if (ms == kModSwitchStandard) {
    w.mod_switch = ModSwitch::Standard;
  } else if (ms == kModSwitchCenteredMean) {
    w.mod_switch = ModSwitch::CenteredMeanNoiseReduction;
  } else if (ms == kModSwitchDrift) {
    r.fail_at(ms_at,
              "unsupported parameters (modulus_switch_noise_reduction_params "
              "DriftTechniqueNoiseReduction, expected CenteredMeanNoiseReduction)");
  } else {
    r.fail_at(ms_at, "invalid ModulusSwitchType variant " + std::to_string(ms));
  }
  return w;
}

// Vec<u64> of secret key bits (the length is checked against the remaining bytes).
SecretVec<uint64_t> read_key_bits(Reader& r, const char* field) {
  const uint64_t n = r.length(field, sizeof(uint64_t));
  SecretVec<uint64_t> bits(n);
  r.u64_array(bits.data(), n);
  return bits;
}

void check_read_key(Reader& r, std::size_t at, const char* key, const SecretVec<uint64_t>& bits,
                    uint64_t expected) {
  if (bits.size() != expected) {
    r.fail_at(at, std::string(key) + " has " + std::to_string(bits.size()) +
                      " coefficients, expected " + std::to_string(expected));
  }
  for (uint64_t b : bits) {
    if (b > 1) r.fail_at(at, std::string(key) + " is not binary");
  }
}

void expect_none(Reader& r, const char* component) {
  const std::size_t at = r.pos();
  if (r.option_tag(component)) {
    r.fail_at(at, std::string("unsupported component: ") + component +
                      " (only keys of node-tfhe's default config are supported)");
  }
}

}  // namespace

std::vector<uint8_t> safe_serialize(const ClientKey& ck, uint64_t limit) {
  if (ck.params == nullptr) throw FormatError("ClientKey: no parameter set");
  const ShortintParams& p = *ck.params;
  if (ck.glwe.glwe_dimension != p.glwe_dimension || ck.glwe.polynomial_size != p.polynomial_size) {
    throw FormatError(
        "ClientKey: GLWE secret key shape (k=" + std::to_string(ck.glwe.glwe_dimension) +
        ", N=" + std::to_string(ck.glwe.polynomial_size) + ") does not match the parameter set " +
        std::string(p.name));
  }
  check_key_bits("GLWE secret key", ck.glwe.bits, p.big_lwe_dimension());
  check_key_bits("LWE secret key", ck.lwe.bits, p.lwe_dimension);
  if (ck.oprf_lwe) check_key_bits("OPRF secret key", ck.oprf_lwe->bits, p.lwe_dimension);

  Writer w;
  // Reserve more than the whole key so that the buffer never reallocates (no stray secret copies).
  w.reserve(1024 + 8 * (ck.glwe.bits.size() + 2 * ck.lwe.bits.size()));
  w.safe_header(kClientKeyName);
  w.u32(kClientKeyVersion);
  w.u32(kIntegerClientKeyVersion);
  w.u32(0);  // integer::ClientKey V0
  w.u32(kGenericClientKeyVersion);
  w.u32(0);  // AtomicPatternClientKey V0
  w.u32(0);  // Standard
  w.u32(0);  // StandardAtomicPatternClientKey V0
  w.u32(0);  // GlweSecretKey V0
  w.u64_vec({ck.glwe.bits.data(), ck.glwe.bits.size()});
  write_dim(w, p.polynomial_size);
  w.u32(0);  // LweSecretKey V0
  w.u64_vec({ck.lwe.bits.data(), ck.lwe.bits.size()});
  write_params(w, p);
  w.u8(0);                              // wopbs_parameters: None
  for (int i = 0; i < 5; ++i) w.u8(0);  // no CPK, compression, NS, NS compression, re-rand keys
  if (ck.oprf_lwe) {
    w.u8(1);
    w.u32(0);  // integer OprfPrivateKey V0
    w.u32(0);  // shortint OprfPrivateKey V0
    w.u32(0);  // AtomicPatternOprfPrivateKey V0
    w.u32(0);  // Standard
    w.u32(0);  // LweSecretKey V0
    w.u64_vec({ck.oprf_lwe->bits.data(), ck.oprf_lwe->bits.size()});
  } else {
    w.u8(0);
  }
  w.u32(0);  // Tag V0
  w.u64(0);  // empty
  return std::move(w).finish("ClientKey", limit);
}

ClientKey safe_deserialize_client_key(std::span<const uint8_t> bytes, uint64_t limit) {
  Reader r(bytes, limit, "ClientKey");
  const std::size_t name_at = r.pos();
  const std::string name = r.safe_header();
  if (name != kClientKeyName) {
    r.fail_at(name_at, "unsupported type name " + detail::quoted(name) + " (expected \"" +
                           std::string(kClientKeyName) + "\")");
  }
  r.version("ClientKey", kClientKeyVersion);
  r.version("IntegerClientKey", kIntegerClientKeyVersion);
  r.version("integer::ClientKey", 0);
  r.version("shortint::ClientKey", kGenericClientKeyVersion);
  r.version("AtomicPatternClientKey", 0);
  const std::size_t ap_at = r.pos();
  const uint32_t ap = r.u32("atomic pattern");
  if (ap != 0) {
    r.fail_at(ap_at, "unsupported atomic pattern " +
                         (ap == 1 ? std::string("KeySwitch32") : std::to_string(ap)) +
                         " (expected Standard)");
  }
  r.version("StandardAtomicPatternClientKey", 0);

  r.version("GlweSecretKey", 0);
  const std::size_t glwe_at = r.pos();
  SecretVec<uint64_t> glwe_bits = read_key_bits(r, "GLWE secret key");
  const std::size_t poly_at = r.pos();
  const uint64_t glwe_poly_size = read_dim(r, "PolynomialSize");
  r.version("LweSecretKey", 0);
  const std::size_t lwe_at = r.pos();
  SecretVec<uint64_t> lwe_bits = read_key_bits(r, "LWE secret key");

  const std::size_t params_at = r.pos();
  const WireParams wire = read_params(r);
  const ShortintParams* params = &kFhevmCompute;
  if (!first_difference(wire, kFhevmCompute).empty()) {
    if (insecure_allowed() && first_difference(wire, kToyInsecure).empty()) {
      params = &kToyInsecure;
    } else {
      r.fail_at(params_at,
                "unsupported parameters (" + first_difference(wire, kFhevmCompute) + ")");
    }
  }
  if (glwe_poly_size != params->polynomial_size) {
    r.fail_at(poly_at, "GLWE secret key polynomial size " + std::to_string(glwe_poly_size) +
                           ", expected " + std::to_string(params->polynomial_size));
  }
  check_read_key(r, glwe_at, "GLWE secret key", glwe_bits, params->big_lwe_dimension());
  check_read_key(r, lwe_at, "LWE secret key", lwe_bits, params->lwe_dimension);

  expect_none(r, "wopbs parameters");
  expect_none(r, "dedicated compact private key");
  expect_none(r, "compression private key");
  expect_none(r, "noise squashing private key");
  expect_none(r, "noise squashing compression private key");
  expect_none(r, "CPK re-randomization parameters");

  ClientKey ck;
  ck.params = params;
  if (r.option_tag("dedicated OPRF private key")) {
    r.version("integer::OprfPrivateKey", 0);
    r.version("shortint::OprfPrivateKey", 0);
    r.version("AtomicPatternOprfPrivateKey", 0);
    const std::size_t kind_at = r.pos();
    const uint32_t kind = r.u32("OPRF key atomic pattern");
    if (kind != 0) {
      r.fail_at(kind_at, "unsupported OPRF key atomic pattern " +
                             (kind == 1 ? std::string("KeySwitch32") : std::to_string(kind)) +
                             " (expected Standard)");
    }
    r.version("LweSecretKey", 0);
    const std::size_t oprf_at = r.pos();
    SecretVec<uint64_t> oprf_bits = read_key_bits(r, "OPRF secret key");
    check_read_key(r, oprf_at, "OPRF secret key", oprf_bits, params->lwe_dimension);
    ck.oprf_lwe = LweSecretKey{std::move(oprf_bits)};
  }
  r.version("Tag", 0);
  const std::size_t tag_at = r.pos();
  const uint64_t tag_len = r.length("tag", 1);
  if (tag_len != 0) r.fail_at(tag_at, "non-empty tag not supported");
  r.finish();

  ck.glwe.glwe_dimension = params->glwe_dimension;
  ck.glwe.polynomial_size = params->polynomial_size;
  ck.glwe.bits = std::move(glwe_bits);
  ck.lwe.bits = std::move(lwe_bits);
  return ck;
}

}  // namespace fhe::tfhers
