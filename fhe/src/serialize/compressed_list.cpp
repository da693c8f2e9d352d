// high_level_api::CompressedCiphertextList in TFHE-rs 1.7.0's safe_serialize format (FHEVM's
// "ct64" storage format; reference/tfhe-rs.md §5.7). Mapped from the TFHE-rs sources (tags
// tfhe-rs-1.6.3 and tfhe-rs-1.7.0: the types, their fields and the version enums are identical
// in both). node-tfhe has no compression API, so no reference blob was available.
//
// Layout after the safe-serialize header (name "high_level_api::CompressedCiphertextList"):
//   u32 3  CompressedCiphertextListVersions::V3   { inner, tag, re_randomization_metadata }
//          inner: InnerCompressedCiphertextList is versioned as its CPU form (no variant index):
//   u32 0  integer CompressedCiphertextListVersions::V0   { packed_list, info }
//   u32 2  shortint CompressedCiphertextListVersions::V2  { modulus_switched_glwe_ciphertext_list,
//                                                          meta }
//   u64 g  GLWE count, then g CompressedModulusSwitchedGlweCiphertext<u64>:
//     u32 0  CompressedModulusSwitchedGlweCiphertext V0
//     u32 0  PackedIntegers V0: u64 w + w u64 packed_coeffs,
//                               u32 0 CiphertextModulusLog V0 + u64 log_modulus,
//                               u64 initial_len (usize, not versioned)
//     u32 0 + u64 glwe_dimension;  u32 0 + u64 polynomial_size;  u32 0 + u64 bodies_count
//     u32 0  CiphertextModulus V0: u128 0 (native), u64 64   (uncompressed_ciphertext_modulus)
//   meta: Option: u8 0 None, or u8 1 then
//     u32 0  CompressedCiphertextListMeta V0
//     u32 0  CiphertextModulus V0: u128 0, u64 64
//     u32 0 + u64 message_modulus;  u32 0 + u64 carry_modulus
//     u32 0  AtomicPatternKind V0, u32 0 variant Standard, u32 0 PBSOrder V0,
//            u32 0 KeyswitchBootstrap   (1 BootstrapKeyswitch and KeySwitch32 are rejected)
//     u32 0 + u64 lwe_per_glwe
//   u64 n  info count, then n DataKind:
//     u32 1  DataKindVersions::V1, u32 variant:
//            0 Unsigned + u64 blocks (NonZeroUsize), 1 Signed + u64 blocks, 2 Boolean,
//            3 String + u32 n_chars + u8 padded (bool: 0 or 1)
//   u32 0  Tag V0: u64 length + bytes
//   u64 m  re-randomization metadata count, then m times u32 0 (ReRandomizationMetadata V0) +
//          u64 length + bytes
//
// Beyond the bytes, the reader checks what decompression relies on (CompressedList in
// fhe/tfhers.h) and, unless asked not to, the FHEVM compression parameters. Two checks are
// stricter than TFHE-rs's deserializer, which accepts them and fails later: the
// re-randomization metadata count must equal the info count (TFHE-rs's builder always writes
// one per value; get() fails on a missing one) and log_modulus must equal the compression
// set's storage_log_modulus (TFHE-rs's conformance check does not look at it).
#include <bit>
#include <limits>
#include <string>

#include "fhe/tfhers.h"
#include "serialize/bincode.h"

namespace fhe::tfhers {

namespace {

using detail::Reader;
using detail::Writer;

constexpr std::string_view kListName = "high_level_api::CompressedCiphertextList";

// Version indices written by TFHE-rs 1.6.3 / 1.7.0 (the only ones accepted).
constexpr uint32_t kHlListVersion = 3;
constexpr uint32_t kIntegerListVersion = 0;
constexpr uint32_t kShortintListVersion = 2;
constexpr uint32_t kDataKindVersion = 1;

// Smallest encodings, for bounding counts against the remaining bytes.
constexpr std::size_t kMinGlweBytes = 4 + 4 + 8 + (4 + 8) + 8 + 3 * (4 + 8) + (4 + 16 + 8);
constexpr std::size_t kMinDataKindBytes = 4 + 4;
constexpr std::size_t kMinMetadataBytes = 4 + 8;

constexpr const char* kDataKindNames[] = {"Unsigned", "Signed", "Boolean", "String"};

std::string glwe_prefix(std::size_t i) {
  return "GLWE " + std::to_string(i) + ": ";
}

// What decompression relies on for one GLWE ("" when fine).
std::string glwe_problem(const CompressedGlwe& g) {
  if (g.log_modulus == 0 || g.log_modulus > 64) {
    return "log_modulus " + std::to_string(g.log_modulus) + " out of range 1..64";
  }
  if (g.bodies_count > g.polynomial_size) {
    return "bodies_count " + std::to_string(g.bodies_count) + " exceeds polynomial_size " +
           std::to_string(g.polynomial_size);
  }
  uint64_t expected_len = 0;
  if (__builtin_mul_overflow(g.glwe_dimension, g.polynomial_size, &expected_len) ||
      __builtin_add_overflow(expected_len, g.bodies_count, &expected_len)) {
    return "glwe_dimension * polynomial_size + bodies_count overflows";
  }
  if (g.initial_len != expected_len) {
    return "initial_len " + std::to_string(g.initial_len) +
           " differs from glwe_dimension * polynomial_size + bodies_count = " +
           std::to_string(expected_len);
  }
  // ceil(initial_len * log_modulus / 64) without overflow.
  const uint64_t words =
      g.initial_len / 64 * g.log_modulus + (g.initial_len % 64 * g.log_modulus + 63) / 64;
  if (g.packed_coeffs.size() != words) {
    return "packed_coeffs has " + std::to_string(g.packed_coeffs.size()) + " words, expected " +
           std::to_string(words) + " for " + std::to_string(g.initial_len) + " values of " +
           std::to_string(g.log_modulus) + " bits";
  }
  return {};
}

// The list-level invariants of CompressedList ("" when fine).
std::string list_problem(const CompressedList& l) {
  if (!l.glwes.empty() && !l.has_meta) return "GLWEs without the list meta";
  uint64_t bodies = 0;
  if (l.has_meta) {
    if (l.message_modulus == 0 || l.carry_modulus == 0) {
      return "message_modulus " + std::to_string(l.message_modulus) + " / carry_modulus " +
             std::to_string(l.carry_modulus) + " must be non-zero";
    }
    if (l.lwe_per_glwe == 0) return "lwe_per_glwe is 0";
    for (std::size_t i = 0; i < l.glwes.size(); ++i) {
      const CompressedGlwe& g = l.glwes[i];
      if (l.lwe_per_glwe > g.polynomial_size) {
        return glwe_prefix(i) + "lwe_per_glwe " + std::to_string(l.lwe_per_glwe) +
               " exceeds polynomial_size " + std::to_string(g.polynomial_size);
      }
      const bool last = i + 1 == l.glwes.size();
      if (!last && g.bodies_count != l.lwe_per_glwe) {
        return glwe_prefix(i) + "bodies_count " + std::to_string(g.bodies_count) +
               " differs from lwe_per_glwe " + std::to_string(l.lwe_per_glwe) +
               " (only the last GLWE may be partial)";
      }
      if (last && (g.bodies_count == 0 || g.bodies_count > l.lwe_per_glwe)) {
        return glwe_prefix(i) + "bodies_count " + std::to_string(g.bodies_count) +
               " out of range 1.." + std::to_string(l.lwe_per_glwe);
      }
      bodies += g.bodies_count;  // each <= polynomial_size, checked per GLWE: no overflow here
    }
  }
  uint64_t blocks = 0;
  for (std::size_t i = 0; i < l.info.size(); ++i) {
    const DataKind& k = l.info[i];
    if (static_cast<uint32_t>(k.kind) > 3) {
      return "info " + std::to_string(i) + ": invalid DataKind " +
             std::to_string(static_cast<uint32_t>(k.kind));
    }
    if ((k.kind == DataKindTag::Unsigned || k.kind == DataKindTag::Signed) && k.blocks == 0) {
      return "info " + std::to_string(i) + ": " + kDataKindNames[static_cast<uint32_t>(k.kind)] +
             " with 0 blocks";
    }
    if (!l.has_meta && !(k.kind == DataKindTag::String && k.n_chars == 0)) {
      return "info " + std::to_string(i) + ": a non-empty value in a list without the meta";
    }
    if (__builtin_add_overflow(blocks, data_kind_blocks(k, l.message_modulus), &blocks)) {
      return "the block count of info overflows";
    }
  }
  if (l.has_meta && blocks != bodies) {
    return "info describes " + std::to_string(blocks) + " blocks but the GLWEs hold " +
           std::to_string(bodies);
  }
  if (l.re_randomization_metadata.size() != l.info.size()) {
    return std::to_string(l.re_randomization_metadata.size()) +
           " re-randomization metadata entries for " + std::to_string(l.info.size()) + " values";
  }
  return {};
}

void write_modulus(Writer& w) {
  w.u32(0);  // CiphertextModulus V0
  w.u128(0, 0);
  w.u64(64);
}

void write_dim(Writer& w, uint64_t v) {
  w.u32(0);  // the newtype's V0
  w.u64(v);
}

// ---- reading ----

void read_native_modulus(Reader& r, const std::string& pre) {
  r.version("CiphertextModulus", 0);
  const std::size_t at = r.pos();
  uint64_t lo = 0;
  uint64_t hi = 0;
  r.u128("ciphertext modulus", lo, hi);
  const uint64_t scalar_bits = r.u64("ciphertext modulus scalar bits");
  if (lo != 0 || hi != 0 || scalar_bits != 64) {
    r.fail_at(at, pre + "unsupported ciphertext modulus (only the native 2^64 modulus)");
  }
}

uint64_t read_dim(Reader& r, const char* type) {
  r.version(type, 0);
  return r.u64(type);
}

void expect_param(Reader& r, std::size_t at, const std::string& pre, const char* field,
                  uint64_t found, uint64_t want, std::string_view set) {
  if (found != want) {
    r.fail_at(at, pre + field + " " + std::to_string(found) + " does not match the parameter set " +
                      std::string(set) + " (expected " + std::to_string(want) + ")");
  }
}

CompressedGlwe read_glwe(Reader& r, std::size_t index, const CompressionParams* conf) {
  const std::string pre = glwe_prefix(index);
  const std::size_t start = r.pos();
  CompressedGlwe g;
  r.version("CompressedModulusSwitchedGlweCiphertext", 0);
  r.version("PackedIntegers", 0);
  const uint64_t words = r.length("packed_coeffs", sizeof(uint64_t));
  g.packed_coeffs.resize(words);
  r.u64_array(g.packed_coeffs.data(), words);
  const std::size_t log_at = r.pos();
  g.log_modulus = read_dim(r, "CiphertextModulusLog");
  g.initial_len = r.u64("initial_len");
  const std::size_t k_at = r.pos();
  g.glwe_dimension = read_dim(r, "GlweDimension");
  const std::size_t n_at = r.pos();
  g.polynomial_size = read_dim(r, "PolynomialSize");
  g.bodies_count = read_dim(r, "LweCiphertextCount");
  read_native_modulus(r, pre);
  if (const std::string problem = glwe_problem(g); !problem.empty()) {
    r.fail_at(start, pre + problem);
  }
  if (conf != nullptr) {
    expect_param(r, k_at, pre, "glwe_dimension", g.glwe_dimension, conf->packing_glwe_dimension,
                 conf->name);
    expect_param(r, n_at, pre, "polynomial_size", g.polynomial_size, conf->packing_polynomial_size,
                 conf->name);
    expect_param(r, log_at, pre, "log_modulus", g.log_modulus, conf->storage_log_modulus,
                 conf->name);
  }
  return g;
}

void read_meta(Reader& r, CompressedList& l, const MetaParams* conf) {
  r.version("CompressedCiphertextListMeta", 0);
  read_native_modulus(r, "meta: ");
  const std::size_t msg_at = r.pos();
  l.message_modulus = read_dim(r, "MessageModulus");
  const std::size_t carry_at = r.pos();
  l.carry_modulus = read_dim(r, "CarryModulus");
  r.version("AtomicPatternKind", 0);
  const std::size_t ap_at = r.pos();
  const uint32_t ap = r.u32("atomic pattern");
  if (ap == 1) r.fail_at(ap_at, "meta: unsupported atomic pattern KeySwitch32 (expected Standard)");
  if (ap != 0) r.fail_at(ap_at, "meta: invalid AtomicPatternKind variant " + std::to_string(ap));
  r.version("PBSOrder", 0);
  const std::size_t order_at = r.pos();
  const uint32_t order = r.u32("PBS order");
  if (order == 1) {
    r.fail_at(order_at,
              "meta: unsupported PBS order BootstrapKeyswitch (expected KeyswitchBootstrap)");
  }
  if (order != 0) r.fail_at(order_at, "meta: invalid PBSOrder variant " + std::to_string(order));
  const std::size_t lpg_at = r.pos();
  l.lwe_per_glwe = read_dim(r, "LweCiphertextCount");
  if (conf != nullptr) {
    expect_param(r, msg_at, "meta: ", "message_modulus", l.message_modulus,
                 conf->compute->message_modulus, conf->compute->name);
    expect_param(r, carry_at, "meta: ", "carry_modulus", l.carry_modulus,
                 conf->compute->carry_modulus, conf->compute->name);
    expect_param(r, lpg_at, "meta: ", "lwe_per_glwe", l.lwe_per_glwe,
                 conf->compression->lwe_per_glwe, conf->compression->name);
  }
}

DataKind read_data_kind(Reader& r, std::size_t index) {
  const std::string pre = "info " + std::to_string(index) + ": ";
  DataKind k;
  r.version("DataKind", kDataKindVersion);
  k.kind = static_cast<DataKindTag>(r.variant("DataKind", kDataKindNames));
  switch (k.kind) {
    case DataKindTag::Unsigned:
    case DataKindTag::Signed: {
      const std::size_t at = r.pos();
      k.blocks = r.u64("block count");
      if (k.blocks == 0) {
        r.fail_at(at, pre + kDataKindNames[static_cast<uint32_t>(k.kind)] + " with 0 blocks");
      }
      break;
    }
    case DataKindTag::Boolean:
      break;
    case DataKindTag::String: {
      k.n_chars = r.u32("n_chars");
      const std::size_t at = r.pos();
      const uint8_t padded = r.u8("padded");
      if (padded > 1) r.fail_at(at, pre + "invalid bool " + std::to_string(padded) + " for padded");
      k.padded = padded == 1;
      break;
    }
  }
  return k;
}

}  // namespace

uint64_t data_kind_blocks(const DataKind& kind, uint64_t message_modulus) {
  switch (kind.kind) {
    case DataKindTag::Unsigned:
    case DataKindTag::Signed:
      return kind.blocks;
    case DataKindTag::Boolean:
      return 1;
    case DataKindTag::String: {
      if (message_modulus < 2) return 0;
      const uint32_t bits = static_cast<uint32_t>(std::bit_width(message_modulus) - 1);
      const uint32_t blocks_per_char = (7 + bits - 1) / bits;
      uint32_t n = 0;
      if (__builtin_mul_overflow(kind.n_chars, blocks_per_char, &n)) {
        n = std::numeric_limits<uint32_t>::max();  // TFHE-rs saturates
      }
      return n;
    }
  }
  return 0;
}

std::vector<uint8_t> safe_serialize(const CompressedList& l, uint64_t limit) {
  auto fail = [](const std::string& msg) { throw FormatError("CompressedCiphertextList: " + msg); };
  std::size_t total = 256 + l.tag.size() + l.info.size() * 24;
  for (std::size_t i = 0; i < l.glwes.size(); ++i) {
    if (const std::string problem = glwe_problem(l.glwes[i]); !problem.empty()) {
      fail(glwe_prefix(i) + problem);
    }
    total += kMinGlweBytes + l.glwes[i].packed_coeffs.size() * sizeof(uint64_t);
  }
  if (const std::string problem = list_problem(l); !problem.empty()) fail(problem);
  for (const std::vector<uint8_t>& m : l.re_randomization_metadata) total += 12 + m.size();

  Writer w;
  w.reserve(total);
  w.safe_header(kListName);
  w.u32(kHlListVersion);
  w.u32(kIntegerListVersion);
  w.u32(kShortintListVersion);
  w.u64(l.glwes.size());
  for (const CompressedGlwe& g : l.glwes) {
    w.u32(0);  // CompressedModulusSwitchedGlweCiphertext V0
    w.u32(0);  // PackedIntegers V0
    w.u64_vec(g.packed_coeffs);
    write_dim(w, g.log_modulus);
    w.u64(g.initial_len);
    write_dim(w, g.glwe_dimension);
    write_dim(w, g.polynomial_size);
    write_dim(w, g.bodies_count);
    write_modulus(w);
  }
  if (l.has_meta) {
    w.u8(1);
    w.u32(0);  // CompressedCiphertextListMeta V0
    write_modulus(w);
    write_dim(w, l.message_modulus);
    write_dim(w, l.carry_modulus);
    w.u32(0);  // AtomicPatternKind V0
    w.u32(0);  // Standard
    w.u32(0);  // PBSOrder V0
    w.u32(0);  // KeyswitchBootstrap
    write_dim(w, l.lwe_per_glwe);
  } else {
    w.u8(0);
  }
  w.u64(l.info.size());
  for (const DataKind& k : l.info) {
    w.u32(kDataKindVersion);
    w.u32(static_cast<uint32_t>(k.kind));
    if (k.kind == DataKindTag::Unsigned || k.kind == DataKindTag::Signed) {
      w.u64(k.blocks);
    } else if (k.kind == DataKindTag::String) {
      w.u32(k.n_chars);
      w.u8(k.padded ? 1 : 0);
    }
  }
  w.u32(0);  // Tag V0
  w.bytes(l.tag);
  w.u64(l.re_randomization_metadata.size());
  for (const std::vector<uint8_t>& m : l.re_randomization_metadata) {
    w.u32(0);  // ReRandomizationMetadata V0
    w.bytes(m);
  }
  return std::move(w).finish("CompressedCiphertextList", limit);
}

CompressedList safe_deserialize_compressed_list(std::span<const uint8_t> bytes, uint64_t limit,
                                                const MetaParams* conformance) {
  Reader r(bytes, limit, "CompressedCiphertextList");
  const std::size_t name_at = r.pos();
  const std::string name = r.safe_header();
  if (name != kListName) {
    r.fail_at(name_at, "unsupported type name " + detail::quoted(name) + " (expected \"" +
                           std::string(kListName) + "\")");
  }
  r.version("CompressedCiphertextList", kHlListVersion);
  r.version("integer::CompressedCiphertextList", kIntegerListVersion);
  r.version("shortint::CompressedCiphertextList", kShortintListVersion);

  CompressedList l;
  const uint64_t glwes = r.length("GLWE count", kMinGlweBytes);
  l.glwes.reserve(glwes);
  for (uint64_t i = 0; i < glwes; ++i) {
    l.glwes.push_back(read_glwe(r, i, conformance ? conformance->compression : nullptr));
  }
  const std::size_t meta_at = r.pos();
  l.has_meta = r.option_tag("meta");
  if (l.has_meta) read_meta(r, l, conformance);
  if (!l.glwes.empty() && !l.has_meta) r.fail_at(meta_at, "GLWEs without the list meta");

  const std::size_t info_at = r.pos();
  const uint64_t n = r.length("info count", kMinDataKindBytes);
  l.info.reserve(n);
  for (uint64_t i = 0; i < n; ++i) l.info.push_back(read_data_kind(r, i));

  r.version("Tag", 0);
  l.tag = r.byte_vec("Tag", r.remaining());
  const uint64_t m = r.length("re-randomization metadata count", kMinMetadataBytes);
  l.re_randomization_metadata.reserve(m);
  for (uint64_t i = 0; i < m; ++i) {
    r.version("ReRandomizationMetadata", 0);
    l.re_randomization_metadata.push_back(r.byte_vec("ReRandomizationMetadata", r.remaining()));
  }
  r.finish();
  if (const std::string problem = list_problem(l); !problem.empty()) {
    r.fail_at(info_at, problem);
  }
  return l;
}

}  // namespace fhe::tfhers
