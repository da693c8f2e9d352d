// TFHE-rs wire formats of high_level_api::CompressedCiphertextList and
// high_level_api::CompactPublicKey (fhe/tfhers.h; layouts in fhe/src/serialize/
// {compressed_list,compact_public_key}.cpp): hand-built expected bytes, byte-identical round
// trips, and malformed input (every truncation, every single-byte corruption, huge lengths, size
// limits, random mutations), which must give FormatError and never a crash (run under the debug
// preset: ASan + UBSan). The node-tfhe check of the CompactPublicKey is
// tests/tfhers_cpk_interop_test.cpp (label interop).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "fhe/params.h"
#include "fhe/tfhers.h"
#include "test_util.h"

namespace fhe::tfhers {
namespace {

using Bytes = std::vector<uint8_t>;

// ---- helpers ----

// Little-endian appenders for hand-built expected bytes.
void le(Bytes& b, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void u32(Bytes& b, uint32_t v) {
  le(b, v, 4);
}
void u64(Bytes& b, uint64_t v) {
  le(b, v, 8);
}
void str(Bytes& b, const std::string& s) {
  u64(b, s.size());
  b.insert(b.end(), s.begin(), s.end());
}
void header(Bytes& b, const std::string& name) {
  str(b, "0.5");
  u32(b, 0);  // Versioned
  str(b, "0.1");
  str(b, name);
}
void native_modulus(Bytes& b) {
  u32(b, 0);
  u64(b, 0);
  u64(b, 0);
  u64(b, 64);
}
void dim(Bytes& b, uint64_t v) {
  u32(b, 0);
  u64(b, v);
}

void put_u32(Bytes& b, std::size_t at, uint32_t v) {
  std::memcpy(b.data() + at, &v, 4);
}
void put_u64(Bytes& b, std::size_t at, uint64_t v) {
  std::memcpy(b.data() + at, &v, 8);
}

// Runs `f` and returns the FormatError message; fails the test on success or on another exception.
std::string format_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const FormatError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected FormatError, got another exception: " << e.what();
    return {};
  }
  ADD_FAILURE() << "expected FormatError, got success";
  return {};
}

// FormatError message of reading a list (structure only unless `conformance` is given).
std::string list_error(const Bytes& b, const MetaParams* conformance = nullptr,
                       uint64_t limit = kCiphertextLimit) {
  return format_error([&] { safe_deserialize_compressed_list(b, limit, conformance); });
}
std::string cpk_error(const Bytes& b, uint64_t limit = kKeyLimit) {
  return format_error([&] { safe_deserialize_compact_public_key(b, limit); });
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// Index of the first differing byte (or the shorter size), for readable failures.
std::size_t first_difference(const Bytes& a, const Bytes& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

// The reader accepts exactly what the writer writes: a blob either fails with FormatError or
// reads into a value that serializes back to the same bytes. Never anything else.
void check_canonical(const Bytes& x, const MetaParams* conformance, const std::string& context) {
  CompressedList l;
  try {
    l = safe_deserialize_compressed_list(x, kCiphertextLimit, conformance);
  } catch (const FormatError&) {
    return;
  } catch (const std::exception& e) {
    ADD_FAILURE() << context << ": unexpected exception: " << e.what();
    return;
  }
  const Bytes back = safe_serialize(l);
  EXPECT_EQ(back, x) << context << ": accepted blob re-serializes differently at byte "
                     << first_difference(back, x);
}

// ---- a tiny list, checked against bytes built by hand from the TFHE-rs sources ----

// One GLWE (k = 1, N = 4, 2 bodies, 12-bit values) holding an Unsigned(1 block) and a Boolean.
// The six 12-bit values 123 456 789 abc def fed (hex) packed LSB first: word 0 holds five values
// and the low 4 bits of the sixth, word 1 its high 8 bits.
CompressedList tiny_list() {
  CompressedList l;
  CompressedGlwe g;
  g.packed_coeffs = {0xDDEFABC789456123ull, 0xFEull};
  g.log_modulus = 12;
  g.initial_len = 6;
  g.glwe_dimension = 1;
  g.polynomial_size = 4;
  g.bodies_count = 2;
  l.glwes.push_back(g);
  l.has_meta = true;
  l.message_modulus = 4;
  l.carry_modulus = 4;
  l.lwe_per_glwe = 2;
  l.info = {DataKind{DataKindTag::Unsigned, 1, 0, false},
            DataKind{DataKindTag::Boolean, 0, 0, false}};
  l.tag = {0xAB};
  l.re_randomization_metadata = {{}, {0x01, 0x02}};
  return l;
}

Bytes tiny_list_expected() {
  Bytes b;
  header(b, "high_level_api::CompressedCiphertextList");
  u32(b, 3);  // CompressedCiphertextListVersions::V3 (high level)
  u32(b, 0);  // integer::CompressedCiphertextList V0
  u32(b, 2);  // shortint::CompressedCiphertextList V2
  u64(b, 1);  // one GLWE
  u32(b, 0);  // CompressedModulusSwitchedGlweCiphertext V0
  u32(b, 0);  // PackedIntegers V0
  u64(b, 2);  // packed_coeffs
  u64(b, 0xDDEFABC789456123ull);
  u64(b, 0xFE);
  dim(b, 12);  // CiphertextModulusLog
  u64(b, 6);   // initial_len
  dim(b, 1);   // GlweDimension
  dim(b, 4);   // PolynomialSize
  dim(b, 2);   // bodies_count
  native_modulus(b);
  b.push_back(1);  // meta: Some
  u32(b, 0);       // CompressedCiphertextListMeta V0
  native_modulus(b);
  dim(b, 4);  // MessageModulus
  dim(b, 4);  // CarryModulus
  u32(b, 0);  // AtomicPatternKind V0
  u32(b, 0);  // Standard
  u32(b, 0);  // PBSOrder V0
  u32(b, 0);  // KeyswitchBootstrap
  dim(b, 2);  // lwe_per_glwe
  u64(b, 2);  // info
  u32(b, 1);  // DataKind V1
  u32(b, 0);  // Unsigned
  u64(b, 1);
  u32(b, 1);  // DataKind V1
  u32(b, 2);  // Boolean
  u32(b, 0);  // Tag V0
  u64(b, 1);
  b.push_back(0xAB);
  u64(b, 2);  // re-randomization metadata
  u32(b, 0);
  u64(b, 0);
  u32(b, 0);
  u64(b, 2);
  b.push_back(0x01);
  b.push_back(0x02);
  return b;
}

// Offsets in the tiny blob (the header is 74 bytes).
constexpr std::size_t kHeader = 8 + 3 + 4 + 8 + 3 + 8 + 40;
constexpr std::size_t kHlVersion = kHeader;
constexpr std::size_t kGlweCount = kHeader + 12;
constexpr std::size_t kGlwe = kGlweCount + 8;
constexpr std::size_t kPackedLen = kGlwe + 8;
constexpr std::size_t kLogModulus = kPackedLen + 8 + 16 + 4;
constexpr std::size_t kInitialLen = kLogModulus + 8;
constexpr std::size_t kGlweDim = kInitialLen + 8 + 4;
constexpr std::size_t kPolySize = kGlweDim + 12;
constexpr std::size_t kBodies = kPolySize + 12;
constexpr std::size_t kGlweModulus = kBodies + 8 + 4;  // u128
constexpr std::size_t kMetaTag = kGlweModulus + 24;
constexpr std::size_t kMetaModulus = kMetaTag + 1 + 4 + 4;  // u128
constexpr std::size_t kMsg = kMetaModulus + 24 + 4;
constexpr std::size_t kCarry = kMsg + 12;
constexpr std::size_t kApVariant = kCarry + 8 + 4;
constexpr std::size_t kPbsOrder = kApVariant + 8;
constexpr std::size_t kLwePerGlwe = kPbsOrder + 4 + 4;
constexpr std::size_t kInfoCount = kLwePerGlwe + 8;
constexpr std::size_t kInfo0 = kInfoCount + 8;  // u32 1, u32 0, u64 1
constexpr std::size_t kInfo1 = kInfo0 + 16;     // u32 1, u32 2
constexpr std::size_t kTag = kInfo1 + 8;
constexpr std::size_t kMetaCount = kTag + 4 + 8 + 1;
constexpr std::size_t kTinySize = kMetaCount + 8 + 12 + 14;

TEST(CompressedList, TinyListMatchesHandBuiltBytes) {
  const Bytes expected = tiny_list_expected();
  ASSERT_EQ(expected.size(), kTinySize);
  const Bytes got = safe_serialize(tiny_list());
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i], expected[i]) << "first difference at byte " << i;
  }
  // Spot checks of the offsets used below.
  uint32_t v32 = 0;
  uint64_t v64 = 0;
  std::memcpy(&v32, got.data() + kHlVersion, 4);
  EXPECT_EQ(v32, 3u);
  std::memcpy(&v64, got.data() + kInitialLen, 8);
  EXPECT_EQ(v64, 6u);
  std::memcpy(&v64, got.data() + kLwePerGlwe, 8);
  EXPECT_EQ(v64, 2u);
  EXPECT_EQ(got[kMetaTag], 1);
  std::memcpy(&v64, got.data() + kMetaCount, 8);
  EXPECT_EQ(v64, 2u);
}

TEST(CompressedList, TinyListRoundTrip) {
  const Bytes bytes = tiny_list_expected();
  const CompressedList l = safe_deserialize_compressed_list(bytes, kCiphertextLimit, nullptr);
  ASSERT_EQ(l.glwes.size(), 1u);
  EXPECT_EQ(l.glwes[0].packed_coeffs, (std::vector<uint64_t>{0xDDEFABC789456123ull, 0xFE}));
  EXPECT_EQ(l.glwes[0].log_modulus, 12u);
  EXPECT_EQ(l.glwes[0].initial_len, 6u);
  EXPECT_EQ(l.glwes[0].glwe_dimension, 1u);
  EXPECT_EQ(l.glwes[0].polynomial_size, 4u);
  EXPECT_EQ(l.glwes[0].bodies_count, 2u);
  EXPECT_TRUE(l.has_meta);
  EXPECT_EQ(l.message_modulus, 4u);
  EXPECT_EQ(l.carry_modulus, 4u);
  EXPECT_EQ(l.lwe_per_glwe, 2u);
  ASSERT_EQ(l.info.size(), 2u);
  EXPECT_EQ(l.info[0].kind, DataKindTag::Unsigned);
  EXPECT_EQ(l.info[0].blocks, 1u);
  EXPECT_EQ(l.info[1].kind, DataKindTag::Boolean);
  EXPECT_EQ(l.tag, (Bytes{0xAB}));
  EXPECT_EQ(l.re_randomization_metadata, (std::vector<Bytes>{{}, {0x01, 0x02}}));
  EXPECT_EQ(safe_serialize(l), bytes);
}

// The tiny list does not conform to the FHEVM compression parameters (k = 4, N = 256).
TEST(CompressedList, TinyListIsNotFhevmConformant) {
  EXPECT_EQ(list_error(tiny_list_expected(), &kFhevmMeta),
            "CompressedCiphertextList: GLWE 0: glwe_dimension 1 does not match the parameter set " +
                std::string(kFhevmCompression.name) + " (expected 4) (at byte " +
                std::to_string(kGlweDim - 4) + ")");
}

TEST(CompressedList, EmptyList) {
  CompressedList l;
  l.has_meta = false;
  Bytes expected;
  header(expected, "high_level_api::CompressedCiphertextList");
  u32(expected, 3);
  u32(expected, 0);
  u32(expected, 2);
  u64(expected, 0);       // no GLWE
  expected.push_back(0);  // meta: None
  u64(expected, 0);       // info
  u32(expected, 0);       // Tag V0
  u64(expected, 0);
  u64(expected, 0);  // re-randomization metadata
  EXPECT_EQ(safe_serialize(l), expected);
  const CompressedList back = safe_deserialize_compressed_list(expected);
  EXPECT_TRUE(back.glwes.empty());
  EXPECT_FALSE(back.has_meta);
  EXPECT_EQ(safe_serialize(back), expected);

  // Empty strings need no blocks: allowed without GLWEs.
  CompressedList strings = l;
  strings.info = {DataKind{DataKindTag::String, 0, 0, true}};
  strings.re_randomization_metadata = {{}};
  const Bytes sb = safe_serialize(strings);
  EXPECT_EQ(safe_serialize(safe_deserialize_compressed_list(sb)), sb);
  // A Boolean needs a block.
  CompressedList boolean = l;
  boolean.info = {DataKind{DataKindTag::Boolean, 0, 0, false}};
  boolean.re_randomization_metadata = {{}};
  EXPECT_EQ(format_error([&] { safe_serialize(boolean); }),
            "CompressedCiphertextList: info 0: a non-empty value in a list without the meta");
}

// ---- lists with the FHEVM compression parameters ----

// A conformant list for `info` (random packed words of the right length).
CompressedList fhevm_list(const std::vector<DataKind>& info, uint64_t seed) {
  std::mt19937_64 rng(seed);
  CompressedList l;
  l.message_modulus = kFhevmCompute.message_modulus;
  l.carry_modulus = kFhevmCompute.carry_modulus;
  l.lwe_per_glwe = kFhevmCompression.lwe_per_glwe;
  l.info = info;
  l.re_randomization_metadata.resize(info.size());
  uint64_t blocks = 0;
  for (const DataKind& k : info) blocks += data_kind_blocks(k, l.message_modulus);
  l.has_meta = blocks > 0;
  while (blocks > 0) {
    CompressedGlwe g;
    g.glwe_dimension = kFhevmCompression.packing_glwe_dimension;
    g.polynomial_size = kFhevmCompression.packing_polynomial_size;
    g.log_modulus = kFhevmCompression.storage_log_modulus;
    g.bodies_count = std::min<uint64_t>(blocks, l.lwe_per_glwe);
    g.initial_len = g.glwe_dimension * g.polynomial_size + g.bodies_count;
    g.packed_coeffs.resize((g.initial_len * g.log_modulus + 63) / 64);
    for (uint64_t& w : g.packed_coeffs) w = rng();
    blocks -= g.bodies_count;
    l.glwes.push_back(std::move(g));
  }
  return l;
}

DataKind unsigned_kind(uint64_t blocks) {
  return DataKind{DataKindTag::Unsigned, blocks, 0, false};
}

TEST(CompressedList, FhevmOneValueLists) {
  // What FHEVM stores: one value per list. FheBool, FheUint8 (4 blocks), FheUint64 (32 blocks),
  // FheUint256 (128 blocks).
  for (const DataKind& k : {DataKind{DataKindTag::Boolean, 0, 0, false}, unsigned_kind(4),
                            unsigned_kind(32), unsigned_kind(128)}) {
    const CompressedList l = fhevm_list({k}, 7);
    ASSERT_EQ(l.glwes.size(), 1u);
    // 1024 mask values + the bodies, 12 bits each.
    EXPECT_EQ(l.glwes[0].packed_coeffs.size(),
              ((1024 + k.blocks + (k.blocks == 0)) * 12 + 63) / 64);
    const Bytes b = safe_serialize(l);
    const CompressedList back = safe_deserialize_compressed_list(b);  // FHEVM conformance
    EXPECT_EQ(safe_serialize(back), b);
    EXPECT_EQ(back.info[0].kind, k.kind);
    EXPECT_EQ(back.info[0].blocks, k.blocks);
  }
}

TEST(CompressedList, FhevmMultiGlweList) {
  // 9 x 32 + 12 + 1 + 3 chars * 4 = 313 blocks: GLWEs of 256 and 57 bodies.
  std::vector<DataKind> info(9, unsigned_kind(32));
  info.push_back(DataKind{DataKindTag::Signed, 12, 0, false});
  info.push_back(DataKind{DataKindTag::Boolean, 0, 0, false});
  info.push_back(DataKind{DataKindTag::String, 0, 3, true});
  EXPECT_EQ(data_kind_blocks(info.back(), 4), 12u);  // ceil(7 / log2(4)) = 4 blocks per char
  CompressedList l = fhevm_list(info, 11);
  ASSERT_EQ(l.glwes.size(), 2u);
  EXPECT_EQ(l.glwes[0].bodies_count, 256u);
  EXPECT_EQ(l.glwes[1].bodies_count, 57u);
  l.tag = {1, 2, 3};
  l.re_randomization_metadata[3] = {9, 8, 7, 6};
  const Bytes b = safe_serialize(l);
  const CompressedList back = safe_deserialize_compressed_list(b);
  EXPECT_EQ(safe_serialize(back), b);
  EXPECT_EQ(back.info[11].kind, DataKindTag::String);
  EXPECT_EQ(back.info[11].n_chars, 3u);
  EXPECT_TRUE(back.info[11].padded);
  EXPECT_EQ(back.re_randomization_metadata[3], (Bytes{9, 8, 7, 6}));

  // Conformance failures (structure fine, parameters not FHEVM's).
  CompressedList other = l;
  other.carry_modulus = 8;
  EXPECT_TRUE(contains(list_error(safe_serialize(other), &kFhevmMeta),
                       "meta: carry_modulus 8 does not match the parameter set"));
  EXPECT_NO_THROW(safe_deserialize_compressed_list(safe_serialize(l), kCiphertextLimit, nullptr));
  other = l;
  for (CompressedGlwe& g : other.glwes) {
    g.log_modulus = 13;
    g.packed_coeffs.resize((g.initial_len * 13 + 63) / 64);
  }
  EXPECT_TRUE(contains(list_error(safe_serialize(other), &kFhevmMeta),
                       "GLWE 0: log_modulus 13 does not match the parameter set"));
}

TEST(DataKind, Blocks) {
  EXPECT_EQ(data_kind_blocks({DataKindTag::Unsigned, 32, 0, false}, 4), 32u);
  EXPECT_EQ(data_kind_blocks({DataKindTag::Signed, 5, 0, false}, 4), 5u);
  EXPECT_EQ(data_kind_blocks({DataKindTag::Boolean, 0, 0, false}, 4), 1u);
  EXPECT_EQ(data_kind_blocks({DataKindTag::String, 0, 10, false}, 4), 40u);
  EXPECT_EQ(data_kind_blocks({DataKindTag::String, 0, 10, false}, 16), 20u);  // ceil(7/4) = 2
  EXPECT_EQ(data_kind_blocks({DataKindTag::String, 0, 10, false}, 256), 10u);
  EXPECT_EQ(data_kind_blocks({DataKindTag::String, 0, 10, false}, 1), 0u);
  EXPECT_EQ(data_kind_blocks({DataKindTag::String, 0, 0xFFFFFFFF, false}, 4), 0xFFFFFFFFu);
}

// ---- malformed lists ----

TEST(CompressedListMalformed, EveryTruncationFails) {
  const Bytes b = tiny_list_expected();
  for (std::size_t len = 0; len < b.size(); ++len) {
    const Bytes prefix(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(len));
    SCOPED_TRACE("prefix length " + std::to_string(len));
    EXPECT_FALSE(list_error(prefix).empty());
  }
  Bytes longer = b;
  longer.push_back(0);
  EXPECT_EQ(list_error(longer), "CompressedCiphertextList: 1 trailing bytes (at byte " +
                                    std::to_string(b.size()) + ")");
}

// Every byte of the tiny blob replaced by several values: FormatError or a canonical read.
TEST(CompressedListMalformed, EverySingleByteCorruption) {
  const Bytes b = tiny_list_expected();
  for (std::size_t i = 0; i < b.size(); ++i) {
    for (const uint8_t v : {static_cast<uint8_t>(b[i] ^ 0x01), static_cast<uint8_t>(b[i] ^ 0x80),
                            static_cast<uint8_t>(b[i] + 1), uint8_t{0}, uint8_t{0xFF}}) {
      if (v == b[i]) continue;
      Bytes x = b;
      x[i] = v;
      check_canonical(x, nullptr, "byte " + std::to_string(i) + " = " + std::to_string(v));
    }
  }
}

TEST(CompressedListMalformed, Rejections) {
  const Bytes t = tiny_list_expected();
  const std::string pre = "CompressedCiphertextList: ";
  auto at = [](std::size_t pos) { return " (at byte " + std::to_string(pos) + ")"; };
  struct Row {
    const char* what;
    std::function<void(Bytes&)> mutate;
    std::string message;
  };
  const std::vector<Row> rows = {
      {"type name", [](Bytes& x) { x[34] = 'X'; },
       pre +
           "unsupported type name \"Xigh_level_api::CompressedCiphertextList\" (expected "
           "\"high_level_api::CompressedCiphertextList\")" +
           at(0)},
      {"HL version 2", [](Bytes& x) { put_u32(x, kHlVersion, 2); },
       pre + "unsupported CompressedCiphertextList version 2 (expected 3)" + at(kHlVersion)},
      {"shortint version 1", [](Bytes& x) { put_u32(x, kHlVersion + 8, 1); },
       pre + "unsupported shortint::CompressedCiphertextList version 1 (expected 2)" +
           at(kHlVersion + 8)},
      {"huge GLWE count", [](Bytes& x) { put_u64(x, kGlweCount, uint64_t{1} << 60); },
       pre + "length 1152921504606846976 of GLWE count exceeds the remaining " +
           std::to_string(kTinySize - kGlwe) + " bytes" + at(kGlweCount)},
      {"huge packed_coeffs", [](Bytes& x) { put_u64(x, kPackedLen, ~uint64_t{0}); },
       pre + "length 18446744073709551615 of packed_coeffs exceeds the remaining " +
           std::to_string(kTinySize - kPackedLen - 8) + " bytes" + at(kPackedLen)},
      {"log_modulus 0", [](Bytes& x) { put_u64(x, kLogModulus, 0); },
       pre + "GLWE 0: log_modulus 0 out of range 1..64" + at(kGlwe)},
      {"log_modulus 65", [](Bytes& x) { put_u64(x, kLogModulus, 65); },
       pre + "GLWE 0: log_modulus 65 out of range 1..64" + at(kGlwe)},
      {"log_modulus 21", [](Bytes& x) { put_u64(x, kLogModulus, 21); }, ""},  // 126 bits: 2 words
      {"log_modulus 22", [](Bytes& x) { put_u64(x, kLogModulus, 22); },
       pre + "GLWE 0: packed_coeffs has 2 words, expected 3 for 6 values of 22 bits" + at(kGlwe)},
      {"initial_len", [](Bytes& x) { put_u64(x, kInitialLen, 7); },
       pre +
           "GLWE 0: initial_len 7 differs from glwe_dimension * polynomial_size + bodies_count "
           "= 6" +
           at(kGlwe)},
      {"bodies > N", [](Bytes& x) { put_u64(x, kBodies, 5); },
       pre + "GLWE 0: bodies_count 5 exceeds polynomial_size 4" + at(kGlwe)},
      {"k*N overflow", [](Bytes& x) { put_u64(x, kGlweDim, uint64_t{1} << 62); },
       pre + "GLWE 0: glwe_dimension * polynomial_size + bodies_count overflows" + at(kGlwe)},
      {"not native", [](Bytes& x) { x[kGlweModulus] = 1; },
       pre + "GLWE 0: unsupported ciphertext modulus (only the native 2^64 modulus)" +
           at(kGlweModulus)},
      {"invalid Option", [](Bytes& x) { x[kMetaTag] = 2; },
       pre + "invalid Option tag 2 for meta" + at(kMetaTag)},
      {"meta not native", [](Bytes& x) { put_u64(x, kMetaModulus + 16, 32); },
       pre + "meta: unsupported ciphertext modulus (only the native 2^64 modulus)" +
           at(kMetaModulus)},
      {"KeySwitch32", [](Bytes& x) { put_u32(x, kApVariant, 1); },
       pre + "meta: unsupported atomic pattern KeySwitch32 (expected Standard)" + at(kApVariant)},
      {"AP variant 7", [](Bytes& x) { put_u32(x, kApVariant, 7); },
       pre + "meta: invalid AtomicPatternKind variant 7" + at(kApVariant)},
      {"BootstrapKeyswitch", [](Bytes& x) { put_u32(x, kPbsOrder, 1); },
       pre + "meta: unsupported PBS order BootstrapKeyswitch (expected KeyswitchBootstrap)" +
           at(kPbsOrder)},
      {"lwe_per_glwe 0", [](Bytes& x) { put_u64(x, kLwePerGlwe, 0); },
       pre + "lwe_per_glwe is 0" + at(kInfoCount)},
      {"lwe_per_glwe > N", [](Bytes& x) { put_u64(x, kLwePerGlwe, 5); },
       pre + "GLWE 0: lwe_per_glwe 5 exceeds polynomial_size 4" + at(kInfoCount)},
      {"last GLWE over lwe_per_glwe", [](Bytes& x) { put_u64(x, kLwePerGlwe, 1); },
       pre + "GLWE 0: bodies_count 2 out of range 1..1" + at(kInfoCount)},
      {"message modulus 0", [](Bytes& x) { put_u64(x, kMsg, 0); },
       pre + "message_modulus 0 / carry_modulus 4 must be non-zero" + at(kInfoCount)},
      {"DataKind V0", [](Bytes& x) { put_u32(x, kInfo0, 0); },
       pre + "unsupported DataKind version 0 (expected 1)" + at(kInfo0)},
      {"DataKind variant 4", [](Bytes& x) { put_u32(x, kInfo1 + 4, 4); },
       pre + "invalid DataKind variant 4" + at(kInfo1 + 4)},
      {"Unsigned(0)", [](Bytes& x) { put_u64(x, kInfo0 + 8, 0); },
       pre + "info 0: Unsigned with 0 blocks" + at(kInfo0 + 8)},
      {"blocks vs bodies", [](Bytes& x) { put_u64(x, kInfo0 + 8, 2); },
       pre + "info describes 3 blocks but the GLWEs hold 2" + at(kInfoCount)},
      {"Signed", [](Bytes& x) { put_u32(x, kInfo0 + 4, 1); }, ""},  // valid: Signed(1)
      {"Tag V1", [](Bytes& x) { put_u32(x, kTag, 1); },
       pre + "unsupported Tag version 1 (expected 0)" + at(kTag)},
      {"metadata count 1", [](Bytes& x) { put_u64(x, kMetaCount, 1); },
       pre + "14 trailing bytes" + at(kMetaCount + 20)},
      {"huge metadata count", [](Bytes& x) { put_u64(x, kMetaCount, uint64_t{1} << 40); },
       pre +
           "length 1099511627776 of re-randomization metadata count exceeds the remaining 26 "
           "bytes" +
           at(kMetaCount)},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    Bytes x = t;
    r.mutate(x);
    if (r.message.empty()) {
      check_canonical(x, nullptr, r.what);
      EXPECT_NO_THROW(safe_deserialize_compressed_list(x, kCiphertextLimit, nullptr));
    } else {
      EXPECT_EQ(list_error(x), r.message);
    }
  }

  // Meta None with a GLWE: the Option tag then directly the info (shorter blob).
  Bytes no_meta(t.begin(), t.begin() + kMetaTag);
  no_meta.push_back(0);
  no_meta.insert(no_meta.end(), t.begin() + kInfoCount, t.end());
  EXPECT_EQ(list_error(no_meta), pre + "GLWEs without the list meta" + at(kMetaTag));

  // Metadata count differing from the info count.
  Bytes one_meta(t.begin(), t.begin() + kMetaCount);
  u64(one_meta, 1);
  u32(one_meta, 0);
  u64(one_meta, 0);
  EXPECT_EQ(list_error(one_meta),
            pre + "1 re-randomization metadata entries for 2 values" + at(kInfoCount));

  // String with a bad bool.
  CompressedList s = tiny_list();
  s.info[0] = DataKind{DataKindTag::String, 0, 0, false};  // 0 blocks
  s.info[1] = DataKind{DataKindTag::Unsigned, 2, 0, false};
  Bytes sb = safe_serialize(s);
  const std::size_t padded_at = kInfo0 + 12;
  ASSERT_EQ(sb[padded_at], 0);
  sb[padded_at] = 2;
  EXPECT_EQ(list_error(sb), pre + "info 0: invalid bool 2 for padded" + at(padded_at));
}

TEST(CompressedListMalformed, SizeLimit) {
  const Bytes b = tiny_list_expected();
  EXPECT_EQ(list_error(b, nullptr, b.size() - 1),
            "CompressedCiphertextList: " + std::to_string(b.size()) +
                " bytes exceed the size limit of " + std::to_string(b.size() - 1) + " bytes");
  EXPECT_NO_THROW(safe_deserialize_compressed_list(b, b.size(), nullptr));
  EXPECT_EQ(format_error([&] { safe_serialize(tiny_list(), b.size() - 1); }),
            "CompressedCiphertextList: serialized size " + std::to_string(b.size()) +
                " exceeds the size limit of " + std::to_string(b.size() - 1) + " bytes");
  // An FheUint blob is not a list.
  Bytes other;
  header(other, "high_level_api::FheUint");
  EXPECT_TRUE(contains(list_error(other), "unsupported type name \"high_level_api::FheUint\""));
}

// Random multi-byte mutations and truncations of a real-size list (structure and conformance).
TEST(CompressedListMalformed, RandomMutationsNeverCrash) {
  const uint64_t seed = static_cast<uint64_t>(test::test_seed(0x115d));
  std::mt19937_64 rng(seed);
  const Bytes tiny = tiny_list_expected();
  const Bytes real = safe_serialize(fhevm_list({unsigned_kind(32), unsigned_kind(4)}, 3));
  const uint8_t interesting[] = {0, 1, 2, 3, 4, 12, 0x7f, 0x80, 0xfe, 0xff};
  for (int iter = 0; iter < 4000; ++iter) {
    const bool on_tiny = iter % 2 == 0;
    Bytes x = on_tiny ? tiny : real;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      // The real blob: mostly outside the packed words (where any value is valid).
      std::size_t pos = rng() % x.size();
      if (!on_tiny && rng() % 4 != 0) {
        pos = rng() % 2 ? rng() % (kPackedLen + 8) : x.size() - 1 - rng() % 300;
      }
      x[pos] = (rng() % 2) ? interesting[rng() % 10] : static_cast<uint8_t>(rng());
    }
    if (rng() % 8 == 0) x.resize(rng() % x.size());
    check_canonical(x, on_tiny ? nullptr : &kFhevmMeta, "iter " + std::to_string(iter));
  }
}

TEST(CompressedListWriter, RejectsInconsistentLists) {
  const std::string pre = "CompressedCiphertextList: ";
  CompressedList l = tiny_list();
  l.glwes[0].packed_coeffs.pop_back();
  EXPECT_EQ(format_error([&] { safe_serialize(l); }),
            pre + "GLWE 0: packed_coeffs has 1 words, expected 2 for 6 values of 12 bits");
  l = tiny_list();
  l.has_meta = false;
  EXPECT_EQ(format_error([&] { safe_serialize(l); }), pre + "GLWEs without the list meta");
  l = tiny_list();
  l.re_randomization_metadata.pop_back();
  EXPECT_EQ(format_error([&] { safe_serialize(l); }),
            pre + "1 re-randomization metadata entries for 2 values");
  l = tiny_list();
  l.info[0].blocks = 0;
  EXPECT_EQ(format_error([&] { safe_serialize(l); }), pre + "info 0: Unsigned with 0 blocks");
  l = tiny_list();
  l.info[0].kind = static_cast<DataKindTag>(9);
  EXPECT_EQ(format_error([&] { safe_serialize(l); }), pre + "info 0: invalid DataKind 9");
  // Two GLWEs: the first must be full.
  l = fhevm_list({unsigned_kind(32)}, 1);
  l.glwes.push_back(l.glwes[0]);
  l.info.push_back(unsigned_kind(32));
  l.re_randomization_metadata.emplace_back();
  EXPECT_EQ(format_error([&] { safe_serialize(l); }),
            pre +
                "GLWE 0: bodies_count 32 differs from lwe_per_glwe 256 (only the last GLWE may "
                "be partial)");
}

// ---- CompactPublicKey ----

constexpr std::size_t kCpkSize = 33018;
constexpr std::size_t kCpkHeader = 8 + 3 + 4 + 8 + 3 + 8 + 32;
constexpr std::size_t kCpkDataLen = kCpkHeader + 24;
constexpr std::size_t kCpkData = kCpkDataLen + 8;
constexpr std::size_t kCpkPolySize = kCpkData + 8 * 4096 + 4;
constexpr std::size_t kCpkParams = kCpkPolySize + 8 + 28;  // u32 1
constexpr std::size_t kCpkDim = kCpkParams + 4 + 4;
constexpr std::size_t kCpkDistVariant = kCpkDim + 8 + 4;
constexpr std::size_t kCpkBound = kCpkDistVariant + 8;
constexpr std::size_t kCpkMsg = kCpkBound + 4 + 4;
constexpr std::size_t kCpkCarry = kCpkMsg + 12;
constexpr std::size_t kCpkExpansion = kCpkCarry + 8 + 28;  // u32 1 (version), u32 0
constexpr std::size_t kCpkZk = kCpkExpansion + 12;         // u32 2 (variant V2)
constexpr std::size_t kCpkTag = kCpkZk + 4;

CompactPublicKey random_cpk(uint64_t seed) {
  std::mt19937_64 rng(seed);
  CompactPublicKey pk;
  pk.a.resize(2048);
  pk.b.resize(2048);
  for (uint64_t& x : pk.a) x = rng();
  for (uint64_t& x : pk.b) x = rng();
  return pk;
}

// Everything but the coefficients, built by hand (reference/tfhe-rs.md §5.5).
Bytes cpk_expected(const CompactPublicKey& pk) {
  Bytes b;
  header(b, "high_level_api::CompactPublicKey");
  for (uint32_t v : {1u, 0u, 0u, 1u, 0u, 0u}) u32(b, v);
  u64(b, 4096);
  for (uint64_t x : pk.a) u64(b, x);
  for (uint64_t x : pk.b) u64(b, x);
  dim(b, 2048);  // PolynomialSize
  native_modulus(b);
  u32(b, 1);                                       // CompactPublicKeyEncryptionParameters V1
  dim(b, 2048);                                    // LweDimension
  for (uint32_t v : {0u, 1u, 0u, 17u}) u32(b, v);  // DynamicDistribution TUniform(17)
  dim(b, 4);
  dim(b, 4);
  native_modulus(b);
  u32(b, 1);  // expansion kind V1
  u32(b, 0);  // RequiresCasting
  u32(b, 0);  // ZK scheme V0
  u32(b, 2);  // V2
  u32(b, 0);  // Tag V0
  u64(b, pk.tag.size());
  b.insert(b.end(), pk.tag.begin(), pk.tag.end());
  return b;
}

TEST(CompactPublicKey, MatchesHandBuiltBytesAndRoundTrips) {
  const CompactPublicKey pk = random_cpk(5);
  const Bytes b = safe_serialize(pk);
  ASSERT_EQ(b.size(), kCpkSize);
  const Bytes expected = cpk_expected(pk);
  ASSERT_EQ(b.size(), expected.size());
  EXPECT_EQ(first_difference(b, expected), b.size());
  const CompactPublicKey back = safe_deserialize_compact_public_key(b);
  EXPECT_EQ(back.a, pk.a);
  EXPECT_EQ(back.b, pk.b);
  EXPECT_TRUE(back.tag.empty());
  EXPECT_EQ(safe_serialize(back), b);
  // Offsets used below.
  EXPECT_EQ(b[kCpkBound], 17);
  EXPECT_EQ(b[kCpkZk], 2);
  EXPECT_EQ(kCpkTag + 12, kCpkSize);

  CompactPublicKey tagged = pk;
  tagged.tag = {0xDE, 0xAD};
  const Bytes tb = safe_serialize(tagged);
  EXPECT_EQ(tb, cpk_expected(tagged));
  EXPECT_EQ(safe_deserialize_compact_public_key(tb).tag, tagged.tag);
}

TEST(CompactPublicKey, EveryTruncationFails) {
  const Bytes b = safe_serialize(random_cpk(6));
  for (std::size_t len = 0; len < b.size(); ++len) {
    const Bytes prefix(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(len));
    try {
      safe_deserialize_compact_public_key(prefix);
      ADD_FAILURE() << "prefix of length " << len << " accepted";
    } catch (const FormatError&) {
    }
  }
  Bytes longer = b;
  longer.push_back(0);
  EXPECT_EQ(cpk_error(longer), "CompactPublicKey: 1 trailing bytes (at byte 33018)");
  EXPECT_EQ(cpk_error(b, b.size() - 1),
            "CompactPublicKey: 33018 bytes exceed the size limit of 33017 bytes");
}

TEST(CompactPublicKey, RejectsOtherParameters) {
  const Bytes b = safe_serialize(random_cpk(7));
  const std::string pre = "CompactPublicKey: ";
  const std::string only = "; only " + std::string(kFhevmCpk.name) + " is supported)";
  auto at = [](std::size_t pos) { return " (at byte " + std::to_string(pos) + ")"; };
  struct Row {
    const char* what;
    std::function<void(Bytes&)> mutate;
    std::string message;
  };
  const std::vector<Row> rows = {
      {"type name", [](Bytes& x) { x[kCpkHeader - 1] = 'Y'; },
       pre +
           "unsupported type name \"high_level_api::CompactPublicKeY\" (expected "
           "\"high_level_api::CompactPublicKey\")" +
           at(0)},
      {"HL V0", [](Bytes& x) { put_u32(x, kCpkHeader, 0); },
       pre + "unsupported CompactPublicKey version 0 (expected 1)" + at(kCpkHeader)},
      {"shortint V0", [](Bytes& x) { put_u32(x, kCpkHeader + 12, 0); },
       pre + "unsupported shortint::CompactPublicKey version 0 (expected 1)" + at(kCpkHeader + 12)},
      {"data length 2048", [](Bytes& x) { put_u64(x, kCpkDataLen, 2048); },
       pre + "unsupported parameters (public key of 2048 coefficients, expected 4096" + only +
           at(kCpkDataLen)},
      {"data length huge", [](Bytes& x) { put_u64(x, kCpkDataLen, uint64_t{1} << 61); },
       pre + "length 2305843009213693952 of GLWE data exceeds the remaining 32920 bytes" +
           at(kCpkDataLen)},
      {"polynomial size", [](Bytes& x) { put_u64(x, kCpkPolySize, 1024); },
       pre + "unsupported parameters (polynomial_size 1024, expected 2048" + only +
           at(kCpkPolySize)},
      {"GLWE modulus", [](Bytes& x) { x[kCpkPolySize + 12] = 1; },
       pre + "unsupported public key ciphertext modulus (only the native 2^64 modulus)" +
           at(kCpkPolySize + 12)},
      {"params V0", [](Bytes& x) { put_u32(x, kCpkParams, 0); },
       pre + "unsupported CompactPublicKeyEncryptionParameters version 0 (expected 1)" +
           at(kCpkParams)},
      {"dimension", [](Bytes& x) { put_u64(x, kCpkDim, 1024); },
       pre + "unsupported parameters (encryption_lwe_dimension 1024, expected 2048" + only +
           at(kCpkDim)},
      {"Gaussian", [](Bytes& x) { put_u32(x, kCpkDistVariant, 0); },
       pre + "unsupported parameters (encryption_noise_distribution Gaussian, expected TUniform" +
           only + at(kCpkDistVariant)},
      {"distribution 2", [](Bytes& x) { put_u32(x, kCpkDistVariant, 2); },
       pre + "invalid DynamicDistribution variant 2" + at(kCpkDistVariant)},
      {"TUniform(43)", [](Bytes& x) { put_u32(x, kCpkBound, 43); },
       pre +
           "unsupported parameters (encryption_noise_distribution TUniform(43), expected "
           "TUniform(17)" +
           only + at(kCpkBound)},
      {"message", [](Bytes& x) { put_u64(x, kCpkMsg, 2); },
       pre + "unsupported parameters (message_modulus 2, expected 4" + only + at(kCpkMsg)},
      {"carry", [](Bytes& x) { put_u64(x, kCpkCarry, 8); },
       pre + "unsupported parameters (carry_modulus 8, expected 4" + only + at(kCpkCarry)},
      {"expansion V0", [](Bytes& x) { put_u32(x, kCpkExpansion, 0); },
       pre + "unsupported CompactCiphertextListExpansionKind version 0 (expected 1)" +
           at(kCpkExpansion)},
      {"NoCasting", [](Bytes& x) { put_u32(x, kCpkExpansion + 4, 1); },
       pre + "unsupported parameters (expansion_kind NoCasting, expected RequiresCasting" + only +
           at(kCpkExpansion + 4)},
      {"ZK V1", [](Bytes& x) { put_u32(x, kCpkZk, 1); },
       pre + "unsupported parameters (zk_scheme V1, expected V2" + only + at(kCpkZk)},
      {"ZK none", [](Bytes& x) { put_u32(x, kCpkZk, 0); },
       pre + "unsupported parameters (zk_scheme ZkNotSupported, expected V2" + only + at(kCpkZk)},
      {"ZK 3", [](Bytes& x) { put_u32(x, kCpkZk, 3); },
       pre + "invalid SupportedCompactPkeZkScheme variant 3" + at(kCpkZk)},
      {"Tag huge", [](Bytes& x) { put_u64(x, kCpkTag + 4, 100); },
       pre + "length 100 of Tag exceeds the remaining 0 bytes" + at(kCpkTag + 4)},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    Bytes x = b;
    r.mutate(x);
    EXPECT_EQ(cpk_error(x), r.message);
  }
}

// Every byte outside the coefficients replaced: FormatError or a canonical read.
TEST(CompactPublicKey, EverySingleByteCorruptionOutsideTheKey) {
  const Bytes b = safe_serialize(random_cpk(8));
  auto check = [&](std::size_t i) {
    for (const uint8_t v : {static_cast<uint8_t>(b[i] ^ 0x01), static_cast<uint8_t>(b[i] ^ 0x80),
                            uint8_t{0}, uint8_t{0xFF}}) {
      if (v == b[i]) continue;
      Bytes x = b;
      x[i] = v;
      try {
        const Bytes back = safe_serialize(safe_deserialize_compact_public_key(x));
        EXPECT_EQ(back, x) << "byte " << i << " = " << int{v} << " accepted non-canonically";
      } catch (const FormatError&) {
      }
    }
  };
  for (std::size_t i = 0; i < kCpkData; ++i) check(i);
  for (std::size_t i = kCpkData + 8 * 4096; i < b.size(); ++i) check(i);
}

TEST(CompactPublicKey, WriterRejectsWrongSizes) {
  CompactPublicKey pk = random_cpk(9);
  pk.b.pop_back();
  EXPECT_EQ(format_error([&] { safe_serialize(pk); }),
            "CompactPublicKey: mask / body have 2048 / 2047 coefficients, expected 2048 each");
  EXPECT_EQ(format_error([&] { safe_serialize(random_cpk(9), 1000); }),
            "CompactPublicKey: serialized size 33018 exceeds the size limit of 1000 bytes");
}

}  // namespace
}  // namespace fhe::tfhers
