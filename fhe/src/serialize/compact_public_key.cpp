// high_level_api::CompactPublicKey in TFHE-rs 1.7.0's safe_serialize format (reference/tfhe-rs.md
// §5.5; checked byte for byte against node-tfhe@1.7.0 keys made with
// use_dedicated_compact_public_key_parameters(V1_7_PARAM_PKE_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128),
// 33,018 bytes). The types and version enums are identical at tags tfhe-rs-1.6.3 and 1.7.0.
//
// Layout after the safe-serialize header (name "high_level_api::CompactPublicKey"):
//   u32 1  CompactPublicKeyVersions::V1 (high level)     { key, tag }
//   u32 0  IntegerCompactPublicKey V0 (high level)
//   u32 0  integer::CompactPublicKey V0
//   u32 1  shortint CompactPublicKeyVersions::V1          { key, parameters }
//   u32 0  LweCompactPublicKey V0
//   u32 0  GlweCiphertext V0 (k = 1): u64 2n, then 2n u64 = mask a (n) | body b (n)
//          u32 0 PolynomialSize V0 + u64 n;  u32 0 CiphertextModulus V0: u128 0 (native), u64 64
//   u32 1  CompactPublicKeyEncryptionParametersVersions::V1:
//     u32 0 + u64 encryption_lwe_dimension (n = 2048)
//     u32 0 DynamicDistribution V0, u32 1 variant TUniform, u32 0 TUniform V0, u32 bound_log2 (17)
//     u32 0 + u64 message_modulus (4);  u32 0 + u64 carry_modulus (4)
//     u32 0 CiphertextModulus V0: u128 0, u64 64
//     u32 1 CompactCiphertextListExpansionKindVersions::V1, u32 0 variant RequiresCasting
//           (1 NoCasting(AtomicPatternKind) is rejected)
//     u32 0 SupportedCompactPkeZkScheme V0, u32 2 variant V2 (0 ZkNotSupported, 1 V1 rejected)
//   u32 0  Tag V0: u64 length + bytes
//
// Only the kFhevmCpk parameters are accepted (and written).
#include <string>

#include "fhe/tfhers.h"
#include "serialize/bincode.h"

namespace fhe::tfhers {

namespace {

using detail::Reader;
using detail::Writer;

constexpr std::string_view kCpkName = "high_level_api::CompactPublicKey";

// Version indices written by TFHE-rs 1.6.3 / 1.7.0 (the only ones accepted).
constexpr uint32_t kHlCpkVersion = 1;
constexpr uint32_t kShortintCpkVersion = 1;
constexpr uint32_t kCpkParamsVersion = 1;
constexpr uint32_t kExpansionKindVersion = 1;
constexpr uint32_t kDistributionTUniform = 1;
constexpr uint32_t kExpansionRequiresCasting = 0;
constexpr uint32_t kZkSchemeV2 = 2;

void write_dim(Writer& w, uint64_t v) {
  w.u32(0);  // the newtype's V0
  w.u64(v);
}

void write_modulus(Writer& w) {
  w.u32(0);  // CiphertextModulus V0
  w.u128(0, 0);
  w.u64(64);
}

void read_native_modulus(Reader& r, const char* what) {
  r.version("CiphertextModulus", 0);
  const std::size_t at = r.pos();
  uint64_t lo = 0;
  uint64_t hi = 0;
  r.u128("ciphertext modulus", lo, hi);
  const uint64_t scalar_bits = r.u64("ciphertext modulus scalar bits");
  if (lo != 0 || hi != 0 || scalar_bits != 64) {
    r.fail_at(at, std::string("unsupported ") + what + " (only the native 2^64 modulus)");
  }
}

[[noreturn]] void unsupported(Reader& r, std::size_t at, const std::string& diff) {
  r.fail_at(at, "unsupported parameters (" + diff + "; only " + std::string(kFhevmCpk.name) +
                    " is supported)");
}

void expect_param(Reader& r, const char* type, const char* field, uint64_t want) {
  r.version(type, 0);
  const std::size_t at = r.pos();
  const uint64_t v = r.u64(field);
  if (v != want) {
    unsupported(
        r, at, std::string(field) + " " + std::to_string(v) + ", expected " + std::to_string(want));
  }
}

}  // namespace

std::vector<uint8_t> safe_serialize(const CompactPublicKey& pk, uint64_t limit) {
  const std::size_t n = kFhevmCpk.encryption_lwe_dimension;
  if (pk.a.size() != n || pk.b.size() != n) {
    throw FormatError("CompactPublicKey: mask / body have " + std::to_string(pk.a.size()) + " / " +
                      std::to_string(pk.b.size()) + " coefficients, expected " + std::to_string(n) +
                      " each");
  }
  Writer w;
  w.reserve(256 + 2 * n * sizeof(uint64_t) + pk.tag.size());
  w.safe_header(kCpkName);
  w.u32(kHlCpkVersion);
  w.u32(0);  // IntegerCompactPublicKey V0 (high level)
  w.u32(0);  // integer::CompactPublicKey V0
  w.u32(kShortintCpkVersion);
  w.u32(0);  // LweCompactPublicKey V0
  w.u32(0);  // GlweCiphertext V0
  w.u64(2 * n);
  for (uint64_t v : pk.a) w.u64(v);
  for (uint64_t v : pk.b) w.u64(v);
  write_dim(w, n);  // PolynomialSize
  write_modulus(w);
  w.u32(kCpkParamsVersion);
  write_dim(w, n);  // encryption_lwe_dimension
  w.u32(0);         // DynamicDistribution V0
  w.u32(kDistributionTUniform);
  w.u32(0);  // TUniform V0
  w.u32(kFhevmCpk.encryption_noise.bound_log2);
  write_dim(w, kFhevmCpk.message_modulus);
  write_dim(w, kFhevmCpk.carry_modulus);
  write_modulus(w);
  w.u32(kExpansionKindVersion);
  w.u32(kExpansionRequiresCasting);
  w.u32(0);  // SupportedCompactPkeZkScheme V0
  w.u32(kZkSchemeV2);
  w.u32(0);  // Tag V0
  w.bytes(pk.tag);
  return std::move(w).finish("CompactPublicKey", limit);
}

CompactPublicKey safe_deserialize_compact_public_key(std::span<const uint8_t> bytes,
                                                     uint64_t limit) {
  Reader r(bytes, limit, "CompactPublicKey");
  const std::size_t name_at = r.pos();
  const std::string name = r.safe_header();
  if (name != kCpkName) {
    r.fail_at(name_at, "unsupported type name " + detail::quoted(name) + " (expected \"" +
                           std::string(kCpkName) + "\")");
  }
  r.version("CompactPublicKey", kHlCpkVersion);
  r.version("IntegerCompactPublicKey", 0);
  r.version("integer::CompactPublicKey", 0);
  r.version("shortint::CompactPublicKey", kShortintCpkVersion);
  r.version("LweCompactPublicKey", 0);
  r.version("GlweCiphertext", 0);

  const uint64_t n = kFhevmCpk.encryption_lwe_dimension;
  const std::size_t len_at = r.pos();
  const uint64_t len = r.length("GLWE data", sizeof(uint64_t));
  if (len != 2 * n) {
    unsupported(r, len_at,
                "public key of " + std::to_string(len) + " coefficients, expected " +
                    std::to_string(2 * n));
  }
  CompactPublicKey pk;
  pk.a.resize(n);
  pk.b.resize(n);
  r.u64_array(pk.a.data(), n);
  r.u64_array(pk.b.data(), n);
  expect_param(r, "PolynomialSize", "polynomial_size", n);
  read_native_modulus(r, "public key ciphertext modulus");

  r.version("CompactPublicKeyEncryptionParameters", kCpkParamsVersion);
  expect_param(r, "LweDimension", "encryption_lwe_dimension", n);
  r.version("DynamicDistribution", 0);
  const std::size_t dist_at = r.pos();
  const uint32_t dist = r.u32("encryption noise distribution");
  if (dist == 0)
    unsupported(r, dist_at, "encryption_noise_distribution Gaussian, expected TUniform");
  if (dist != kDistributionTUniform) {
    r.fail_at(dist_at, "invalid DynamicDistribution variant " + std::to_string(dist));
  }
  r.version("TUniform", 0);
  const std::size_t bound_at = r.pos();
  const uint32_t bound = r.u32("TUniform bound");
  if (bound != kFhevmCpk.encryption_noise.bound_log2) {
    unsupported(r, bound_at,
                "encryption_noise_distribution TUniform(" + std::to_string(bound) +
                    "), expected TUniform(" +
                    std::to_string(kFhevmCpk.encryption_noise.bound_log2) + ")");
  }
  expect_param(r, "MessageModulus", "message_modulus", kFhevmCpk.message_modulus);
  expect_param(r, "CarryModulus", "carry_modulus", kFhevmCpk.carry_modulus);
  read_native_modulus(r, "parameters ciphertext modulus");
  r.version("CompactCiphertextListExpansionKind", kExpansionKindVersion);
  const std::size_t kind_at = r.pos();
  const uint32_t kind = r.u32("expansion kind");
  if (kind == 1) unsupported(r, kind_at, "expansion_kind NoCasting, expected RequiresCasting");
  if (kind != kExpansionRequiresCasting) {
    r.fail_at(kind_at,
              "invalid CompactCiphertextListExpansionKind variant " + std::to_string(kind));
  }
  r.version("SupportedCompactPkeZkScheme", 0);
  const std::size_t zk_at = r.pos();
  const uint32_t zk = r.u32("ZK scheme");
  if (zk == 0 || zk == 1) {
    unsupported(r, zk_at,
                std::string("zk_scheme ") + (zk == 0 ? "ZkNotSupported" : "V1") + ", expected V2");
  }
  if (zk != kZkSchemeV2) {
    r.fail_at(zk_at, "invalid SupportedCompactPkeZkScheme variant " + std::to_string(zk));
  }
  r.version("Tag", 0);
  pk.tag = r.byte_vec("Tag", r.remaining());
  r.finish();
  return pk;
}

}  // namespace fhe::tfhers
