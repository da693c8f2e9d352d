// high_level_api::FheBool and high_level_api::FheUint in TFHE-rs 1.7.0's safe_serialize format
// (reference/tfhe-rs.md §5.4, checked byte for byte against node-tfhe@1.7.0 blobs).
//
// Layout after the safe-serialize header (u32 = version or variant index, "V<i>" = version tag):
//
//   FheUint (name "high_level_api::FheUint", the same for every width):
//     u32 2   FheUintVersions::V2
//     u32 0   high-level RadixCiphertext V0 (always the CPU form)
//     u32 0   integer BaseRadixCiphertext V0
//     u64 n   block count, then n blocks (least significant first)
//     Tag, ReRandomizationMetadata
//   FheBool (name "high_level_api::FheBool"):
//     u32 2   FheBoolVersions::V2
//     u32 0   high-level InnerBoolean V0
//     u32 0   integer BooleanBlock V0
//     one block (no count)
//     Tag, ReRandomizationMetadata
//   block = shortint::Ciphertext:
//     u32 1   CiphertextVersions::V1
//     u32 0   LweCiphertext V0: u64 (d+1), then d+1 u64 (mask a_0..a_{d-1}, body b)
//     u32 0   CiphertextModulus V0: u128 modulus (0 = native 2^64), u64 scalar bits (64)
//     u32 0   Degree V0: u64;  u32 0 NoiseLevel V0: u64
//     u32 0   MessageModulus V0: u64;  u32 0 CarryModulus V0: u64
//     u32 0   AtomicPatternKind V0, u32 0 variant Standard, u32 0 PBSOrder V0, u32 order
//             (0 KeyswitchBootstrap, 1 BootstrapKeyswitch)
//   Tag / ReRandomizationMetadata: u32 0 (V0), then u64 length and the bytes.
//
// The bit width is not in the bytes: the reader checks the block count against the expected type.
// The parameter set of the blocks is found from the LWE size (kFhevmCompute: 2049; kToyInsecure
// only with allow_insecure), then every field is checked against it.
#include <string>

#include "fhe/tfhers.h"
#include "serialize/bincode.h"

namespace fhe::tfhers {

namespace {

using detail::Reader;
using detail::Writer;

constexpr std::string_view kFheUintName = "high_level_api::FheUint";
constexpr std::string_view kFheBoolName = "high_level_api::FheBool";

// Version indices written by TFHE-rs 1.7.0 (the only ones accepted).
constexpr uint32_t kFheUintVersion = 2;
constexpr uint32_t kFheBoolVersion = 2;
constexpr uint32_t kShortintCiphertextVersion = 1;

// Bytes of a block besides its LWE coefficients (for bounding the block count).
constexpr std::size_t kBlockOverhead = 4 + 4 + 8 + (4 + 16 + 8) + 4 * (4 + 8) + 4 * 4;

const ShortintParams* params_for_lwe_size(uint64_t lwe_size) {
  if (lwe_size == uint64_t{kFhevmCompute.ciphertext_lwe_dimension()} + 1) return &kFhevmCompute;
  if (insecure_allowed() && lwe_size == uint64_t{kToyInsecure.ciphertext_lwe_dimension()} + 1) {
    return &kToyInsecure;
  }
  return nullptr;
}

std::string block_prefix(std::size_t i) {
  return "block " + std::to_string(i) + ": ";
}

// What both the writer and the reader require of a block's metadata ("" when fine).
std::string degree_problem(const ShortintParams& p, uint64_t degree) {
  const uint64_t max_degree = p.message_modulus * p.carry_modulus - 1;
  if (degree <= max_degree) return {};
  return "degree " + std::to_string(degree) + " exceeds " + std::to_string(max_degree);
}

std::string noise_problem(const ShortintParams& p, uint64_t noise_level) {
  if (noise_level <= p.max_noise_level) return {};
  return "noise level " + std::to_string(noise_level) + " exceeds the maximum " +
         std::to_string(p.max_noise_level);
}

void write_block(Writer& w, const shortint::Ciphertext& c, const ShortintParams& p) {
  w.u32(kShortintCiphertextVersion);
  w.u32(0);  // LweCiphertext V0
  w.u64_vec({c.ct.data.data(), c.ct.data.size()});
  w.u32(0);  // CiphertextModulus V0
  w.u128(0, 0);
  w.u64(64);
  w.u32(0);  // Degree V0
  w.u64(c.degree);
  w.u32(0);  // NoiseLevel V0
  w.u64(c.noise_level);
  w.u32(0);  // MessageModulus V0
  w.u64(p.message_modulus);
  w.u32(0);  // CarryModulus V0
  w.u64(p.carry_modulus);
  w.u32(0);  // AtomicPatternKind V0
  w.u32(0);  // Standard
  w.u32(0);  // PBSOrder V0
  w.u32(p.order == PbsOrder::KeyswitchBootstrap ? 0 : 1);
}

// Reads one block; `params` is null for the first block and is then fixed for the others.
shortint::Ciphertext read_block(Reader& r, std::size_t index, const ShortintParams*& params) {
  const std::string pre = block_prefix(index);
  auto version = [&](const char* type, uint32_t expected) {
    const std::size_t at = r.pos();
    const uint32_t v = r.u32(type);
    if (v != expected) {
      r.fail_at(at, pre + "unsupported " + type + " version " + std::to_string(v) + " (expected " +
                        std::to_string(expected) + ")");
    }
  };
  auto expect_u64 = [&](const char* field, uint64_t expected) {
    const std::size_t at = r.pos();
    const uint64_t v = r.u64(field);
    if (v != expected) {
      r.fail_at(at, pre + field + " " + std::to_string(v) + " does not match the parameter set " +
                        std::string(params->name) + " (expected " + std::to_string(expected) + ")");
    }
  };

  version("shortint::Ciphertext", kShortintCiphertextVersion);
  version("LweCiphertext", 0);
  const std::size_t len_at = r.pos();
  const uint64_t lwe_size = r.length("LWE ciphertext data", sizeof(uint64_t));
  if (params == nullptr) {
    params = params_for_lwe_size(lwe_size);
    if (params == nullptr) {
      r.fail_at(len_at, pre + "unsupported LWE size " + std::to_string(lwe_size) + " (expected " +
                            std::to_string(kFhevmCompute.ciphertext_lwe_dimension() + 1) + ")");
    }
  } else if (lwe_size != uint64_t{params->ciphertext_lwe_dimension()} + 1) {
    r.fail_at(len_at, pre + "LWE size " + std::to_string(lwe_size) + " differs from block 0 (" +
                          std::to_string(params->ciphertext_lwe_dimension() + 1) + ")");
  }
  shortint::Ciphertext c;
  c.params = params;
  c.ct = LweCiphertext(lwe_size - 1);
  r.u64_array(c.ct.data.data(), lwe_size);

  version("CiphertextModulus", 0);
  const std::size_t mod_at = r.pos();
  uint64_t lo = 0;
  uint64_t hi = 0;
  r.u128("ciphertext modulus", lo, hi);
  const uint64_t scalar_bits = r.u64("ciphertext modulus scalar bits");
  if (lo != 0 || hi != 0 || scalar_bits != 64) {
    r.fail_at(mod_at, pre + "unsupported ciphertext modulus (only the native 2^64 modulus)");
  }
  version("Degree", 0);
  const std::size_t degree_at = r.pos();
  c.degree = r.u64("degree");
  if (const std::string problem = degree_problem(*params, c.degree); !problem.empty()) {
    r.fail_at(degree_at, pre + problem);
  }
  version("NoiseLevel", 0);
  const std::size_t noise_at = r.pos();
  c.noise_level = r.u64("noise level");
  if (const std::string problem = noise_problem(*params, c.noise_level); !problem.empty()) {
    r.fail_at(noise_at, pre + problem);
  }
  version("MessageModulus", 0);
  expect_u64("message modulus", params->message_modulus);
  version("CarryModulus", 0);
  expect_u64("carry modulus", params->carry_modulus);
  version("AtomicPatternKind", 0);
  const std::size_t ap_at = r.pos();
  const uint32_t ap = r.u32("atomic pattern");
  if (ap != 0) {
    r.fail_at(ap_at, pre + "unsupported atomic pattern " +
                         (ap == 1 ? std::string("KeySwitch32") : std::to_string(ap)) +
                         " (expected Standard)");
  }
  version("PBSOrder", 0);
  const std::size_t order_at = r.pos();
  const uint32_t order = r.u32("PBS order");
  const uint32_t expected_order = params->order == PbsOrder::KeyswitchBootstrap ? 0 : 1;
  if (order != expected_order) {
    r.fail_at(order_at, pre + "PBS order " + std::to_string(order) +
                            " does not match the parameter set " + std::string(params->name));
  }
  return c;
}

std::vector<uint8_t> read_tagged_bytes(Reader& r, const char* type) {
  r.version(type, 0);
  return r.byte_vec(type, r.remaining());
}

}  // namespace

std::vector<uint8_t> safe_serialize(const FheCiphertext& ct, uint64_t limit) {
  const char* what = ct.is_bool ? "FheBool" : "FheUint";
  auto fail = [&](const std::string& msg) { throw FormatError(std::string(what) + ": " + msg); };
  if (ct.blocks.empty()) fail("no blocks");
  if (ct.is_bool && ct.blocks.size() != 1) {
    fail(std::to_string(ct.blocks.size()) + " blocks (a boolean has exactly one)");
  }
  const ShortintParams* params = ct.blocks[0].params;
  if (params == nullptr) fail("block 0 has no parameter set");
  // Header and framing (roughly), then the blocks: only used to reserve the buffer.
  std::size_t total = 128 + ct.tag.size() + ct.re_randomization_metadata.size();
  for (std::size_t i = 0; i < ct.blocks.size(); ++i) {
    const shortint::Ciphertext& b = ct.blocks[i];
    if (b.params != params) {
      fail(block_prefix(i) + "parameter set differs from block 0 (" +
           (b.params ? std::string(b.params->name) : std::string("none")) + " vs " +
           std::string(params->name) + ")");
    }
    if (b.ct.data.size() != std::size_t{params->ciphertext_lwe_dimension()} + 1) {
      fail(block_prefix(i) + "LWE size " + std::to_string(b.ct.data.size()) + " (expected " +
           std::to_string(params->ciphertext_lwe_dimension() + 1) + ")");
    }
    for (const std::string& problem :
         {degree_problem(*params, b.degree), noise_problem(*params, b.noise_level)}) {
      if (!problem.empty()) fail(block_prefix(i) + problem);
    }
    total += kBlockOverhead + b.ct.data.size() * sizeof(uint64_t);
  }

  Writer w;
  w.reserve(total);
  if (ct.is_bool) {
    w.safe_header(kFheBoolName);
    w.u32(kFheBoolVersion);
    w.u32(0);  // InnerBoolean V0
    w.u32(0);  // BooleanBlock V0
    write_block(w, ct.blocks[0], *params);
  } else {
    w.safe_header(kFheUintName);
    w.u32(kFheUintVersion);
    w.u32(0);  // high-level RadixCiphertext V0
    w.u32(0);  // BaseRadixCiphertext V0
    w.u64(ct.blocks.size());
    for (const shortint::Ciphertext& b : ct.blocks) write_block(w, b, *params);
  }
  w.u32(0);  // Tag V0
  w.bytes(ct.tag);
  w.u32(0);  // ReRandomizationMetadata V0
  w.bytes(ct.re_randomization_metadata);
  return std::move(w).finish(what, limit);
}

FheCiphertext safe_deserialize_ciphertext(std::span<const uint8_t> bytes, uint64_t limit,
                                          const FheType* expected) {
  Reader r(bytes, limit, "ciphertext");
  const std::size_t name_at = r.pos();
  const std::string name = r.safe_header();
  FheCiphertext out;
  if (name == kFheBoolName) {
    out.is_bool = true;
    r.set_what("FheBool");
  } else if (name == kFheUintName) {
    r.set_what("FheUint");
  } else {
    r.fail_at(name_at, "unsupported type name " + detail::quoted(name) + " (expected \"" +
                           std::string(kFheBoolName) + "\" or \"" + std::string(kFheUintName) +
                           "\")");
  }
  if (expected != nullptr && expected->is_bool != out.is_bool) {
    r.fail_at(name_at, "type name " + detail::quoted(name) + " does not match the expected type " +
                           expected->name());
  }

  const ShortintParams* params = nullptr;
  if (out.is_bool) {
    r.version("FheBool", kFheBoolVersion);
    r.version("InnerBoolean", 0);
    r.version("BooleanBlock", 0);
    out.blocks.push_back(read_block(r, 0, params));
  } else {
    r.version("FheUint", kFheUintVersion);
    r.version("RadixCiphertext", 0);
    r.version("BaseRadixCiphertext", 0);
    const std::size_t count_at = r.pos();
    const uint64_t count = r.length("block count", kBlockOverhead);
    if (count == 0) r.fail_at(count_at, "no blocks");
    out.blocks.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
      out.blocks.push_back(read_block(r, i, params));
      if (i == 0 && expected != nullptr) {
        const uint32_t want = expected->num_blocks(params->message_modulus);
        if (count != want) {
          r.fail_at(count_at, std::to_string(count) + " blocks, expected " + std::to_string(want) +
                                  " for " + expected->name());
        }
      }
    }
  }
  out.tag = read_tagged_bytes(r, "Tag");
  out.re_randomization_metadata = read_tagged_bytes(r, "ReRandomizationMetadata");
  r.finish();
  return out;
}

}  // namespace fhe::tfhers
