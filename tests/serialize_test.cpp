// TFHE-rs wire formats (fhe/tfhers.h): node-tfhe@1.7.0 known-answer fixtures (tests/data, made by
// tests/data/make_fixtures.js), byte-identical round trips, and malformed input (truncation at
// every length, wrong names and versions, huge lengths, size limits, random mutations), which
// must give FormatError and never a crash (run under the debug preset: ASan + UBSan).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "fhe/keys.h"
#include "fhe/params.h"
#include "fhe/random.h"
#include "fhe/shortint.h"
#include "fhe/tfhers.h"
#include "test_util.h"

namespace fhe::tfhers {
namespace {

using Bytes = std::vector<uint8_t>;

// ---- fixture files and byte offsets (layouts in fhe/src/serialize/{client_key,ciphertext}.cpp)
// ----

constexpr const char* kKeyFile = "tfhers_client_key_seed42.bin";
constexpr const char* kBoolFile = "tfhers_fhebool_true.bin";  // FheBool true
constexpr const char* kUint2File = "tfhers_fheuint2_2.bin";   // FheUint2 2

// ClientKey (31,458 bytes): header 59 B ("high_level_api::ClientKey"), 7 u32 version/variant
// tags, GLWE key, polynomial size, LWE key, parameters, 7 Options, the OPRF key, the tag.
constexpr std::size_t kKeySize = 31458;
constexpr std::size_t kKeyTags = 59;                                   // ClientKey version
constexpr std::size_t kKeyIntegerVersion = 63;                         // IntegerClientKey V8
constexpr std::size_t kKeyGlweLen = 91;                                // u64 2048
constexpr std::size_t kKeyGlweData = kKeyGlweLen + 8;                  // 2048 u64
constexpr std::size_t kKeyLweLen = kKeyGlweData + 8 * 2048 + 12 + 4;   // u64 918
constexpr std::size_t kKeyLweData = kKeyLweLen + 8;                    // 918 u64
constexpr std::size_t kKeyParams = kKeyLweData + 8 * 918;              // PBSParameters V0
constexpr std::size_t kKeyLweDim = kKeyParams + 12 + 4;                // u64 918
constexpr std::size_t kKeyLweNoiseVariant = kKeyParams + 12 + 36 + 4;  // u32 1 (TUniform)
constexpr std::size_t kKeyLog2PFail = kKeyParams + 12 + 36 + 32 + 84;  // f64
constexpr std::size_t kKeyModSwitch = kKeyLog2PFail + 8 + 28 + 8 + 4;  // u32 2
constexpr std::size_t kKeyWopbs = kKeyModSwitch + 4;                   // Option None
constexpr std::size_t kKeyOprfOption = kKeyWopbs + 6;                  // Option Some
constexpr std::size_t kKeyOprfLen = kKeyOprfOption + 1 + 20;           // u64 918
constexpr std::size_t kKeyTag = kKeyOprfLen + 8 + 8 * 918;             // Tag V0, u64 0

// FheBool (16,593 bytes) / FheUint2 (16,601 bytes): header 57 B, 3 version tags, [u64 count],
// one block (LWE size 2049), Tag, ReRandomizationMetadata.
constexpr std::size_t kCtVersion = 57;
constexpr std::size_t kBoolBlock = kCtVersion + 12;
constexpr std::size_t kUintCount = kCtVersion + 12;
constexpr std::size_t kUintBlock = kUintCount + 8;
// Offsets inside a block.
constexpr std::size_t kBlkLweLen = 8;
constexpr std::size_t kBlkModulus = kBlkLweLen + 8 + 8 * 2049 + 4;
constexpr std::size_t kBlkDegree = kBlkModulus + 24 + 4;
constexpr std::size_t kBlkNoise = kBlkDegree + 12;
constexpr std::size_t kBlkMsg = kBlkNoise + 12;
constexpr std::size_t kBlkAtomicPattern = kBlkMsg + 24;
constexpr std::size_t kBlkPbsOrder = kBlkAtomicPattern + 8;
constexpr std::size_t kBlkSize = kBlkPbsOrder + 4;

Bytes read_fixture(const char* name) {
  const std::string path = std::string(FHE_TEST_DATA_DIR) + "/" + name;
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open fixture " + path);
  return Bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

void put_u32(Bytes& b, std::size_t at, uint32_t v) {
  std::memcpy(b.data() + at, &v, 4);
}
void put_u64(Bytes& b, std::size_t at, uint64_t v) {
  std::memcpy(b.data() + at, &v, 8);
}
void put_f64(Bytes& b, std::size_t at, double v) {
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

std::string key_error(const Bytes& b, uint64_t limit = kKeyLimit) {
  return format_error([&] { safe_deserialize_client_key(b, limit); });
}
std::string ct_error(const Bytes& b, const FheType* expected = nullptr,
                     uint64_t limit = kCiphertextLimit) {
  return format_error([&] { safe_deserialize_ciphertext(b, limit, expected); });
}

// Accepts success or FormatError (for mutation tests where either is legitimate).
template <class F>
void ok_or_format_error(F&& f, const std::string& context) {
  try {
    f();
  } catch (const FormatError&) {
  } catch (const std::exception& e) {
    ADD_FAILURE() << context << ": unexpected exception: " << e.what();
  }
}

struct InsecureGuard {
  InsecureGuard() { allow_insecure(true); }
  ~InsecureGuard() { allow_insecure(false); }
};

// A toy FheUint with `blocks` blocks of random coefficients (small blobs for exhaustive tests).
FheCiphertext toy_ciphertext(std::size_t blocks, bool is_bool, uint64_t seed) {
  std::mt19937_64 rng(seed);
  FheCiphertext ct;
  ct.is_bool = is_bool;
  for (std::size_t i = 0; i < blocks; ++i) {
    shortint::Ciphertext c;
    c.params = &kToyInsecure;
    c.ct = LweCiphertext(kToyInsecure.ciphertext_lwe_dimension());
    for (uint64_t& x : c.ct.data) x = rng();
    c.degree = rng() % 16;
    c.noise_level = rng() % 6;
    ct.blocks.push_back(std::move(c));
  }
  return ct;
}

bool same_blocks(const FheCiphertext& a, const FheCiphertext& b) {
  if (a.is_bool != b.is_bool || a.blocks.size() != b.blocks.size() || a.tag != b.tag ||
      a.re_randomization_metadata != b.re_randomization_metadata) {
    return false;
  }
  for (std::size_t i = 0; i < a.blocks.size(); ++i) {
    const auto& x = a.blocks[i];
    const auto& y = b.blocks[i];
    if (x.params != y.params || x.degree != y.degree || x.noise_level != y.noise_level ||
        x.ct.data != y.ct.data) {
      return false;
    }
  }
  return true;
}

// ---- FheType ----

TEST(FheType, ParsesEveryNameAndCountsBlocks) {
  struct Row {
    const char* name;
    bool is_bool;
    uint32_t bits;
    uint32_t blocks;
  };
  const Row rows[] = {
      {"bool", true, 1, 1},         {"uint2", false, 2, 1},      {"uint4", false, 4, 2},
      {"uint8", false, 8, 4},       {"uint16", false, 16, 8},    {"uint32", false, 32, 16},
      {"uint64", false, 64, 32},    {"uint128", false, 128, 64}, {"uint160", false, 160, 80},
      {"uint256", false, 256, 128},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name);
    const FheType t = parse_fhe_type(r.name);
    EXPECT_EQ(t.is_bool, r.is_bool);
    EXPECT_EQ(t.bits, r.bits);
    EXPECT_EQ(t.num_blocks(), r.blocks);
    EXPECT_EQ(t.name(), r.name);
  }
  EXPECT_EQ(parse_fhe_type("uint8").num_blocks(2), 8u);
}

TEST(FheType, RejectsUnknownNames) {
  for (const char* s : {"", "uint", "uint3", "uint512", "int8", "Bool", "uint8 ", "euint8"}) {
    SCOPED_TRACE(s);
    const std::string msg = format_error([&] { parse_fhe_type(s); });
    EXPECT_NE(msg.find("unknown FHE type"), std::string::npos) << msg;
  }
}

// ---- ClientKey: node-tfhe fixture ----

TEST(ClientKeyFixture, ParsesNodeTfheDefaultKey) {
  const Bytes bytes = read_fixture(kKeyFile);
  ASSERT_EQ(bytes.size(), kKeySize);
  const ClientKey ck = safe_deserialize_client_key(bytes);
  EXPECT_EQ(ck.params, &kFhevmCompute);
  EXPECT_EQ(ck.glwe.glwe_dimension, 1u);
  EXPECT_EQ(ck.glwe.polynomial_size, 2048u);
  ASSERT_EQ(ck.glwe.bits.size(), 2048u);
  ASSERT_EQ(ck.lwe.bits.size(), 918u);
  ASSERT_TRUE(ck.oprf_lwe.has_value());
  ASSERT_EQ(ck.oprf_lwe->bits.size(), 918u);
  EXPECT_EQ(std::memcmp(ck.glwe.bits.data(), bytes.data() + kKeyGlweData, 8 * 2048), 0);
  EXPECT_EQ(std::memcmp(ck.lwe.bits.data(), bytes.data() + kKeyLweData, 8 * 918), 0);
  EXPECT_EQ(std::memcmp(ck.oprf_lwe->bits.data(), bytes.data() + kKeyOprfLen + 8, 8 * 918), 0);
}

TEST(ClientKeyFixture, ReserializesByteIdentical) {
  const Bytes bytes = read_fixture(kKeyFile);
  const ClientKey ck = safe_deserialize_client_key(bytes);
  EXPECT_EQ(safe_serialize(ck), bytes);
}

// TFHE-rs's ClientKey::generate_with_seed(Seed(42)) (reference/tfhe-rs.md §2.2): root stream
// K = LE16(42) from its second byte; s1 = next 16 bytes; s2 = first 16 bytes of Ctr(s1); the
// secret stream Ctr(s2) gives the LWE key, the GLWE key, then the OPRF key, one byte per bit.
TEST(ClientKeyFixture, KeyBitsAreTheSeed42Streams) {
  const ClientKey ck = safe_deserialize_client_key(read_fixture(kKeyFile));
  auto next_le128 = [](Csprng& g) {
    uint8_t b[16];
    g.fill_bytes(b, 16);
    u128 v = 0;
    for (int i = 15; i >= 0; --i) v = (v << 8) | b[i];
    return v;
  };
  Csprng root(42);
  root.next_byte();
  Csprng derived(next_le128(root));
  Csprng secret(next_le128(derived));
  SecretVec<uint64_t> lwe(918), glwe(2048), oprf(918);
  secret.fill_binary(lwe);
  secret.fill_binary(glwe);
  secret.fill_binary(oprf);
  EXPECT_EQ(ck.lwe.bits, lwe);
  EXPECT_EQ(ck.glwe.bits, glwe);
  EXPECT_EQ(ck.oprf_lwe->bits, oprf);
}

TEST(ClientKeyFixture, KeyWithoutOprfKeyWritesNone) {
  const Bytes bytes = read_fixture(kKeyFile);
  ClientKey ck = safe_deserialize_client_key(bytes);
  ck.oprf_lwe.reset();
  const Bytes out = safe_serialize(ck);
  // What TFHE-rs writes without a dedicated OPRF key: Option None, nothing else changes.
  Bytes expected(bytes.begin(), bytes.begin() + kKeyOprfOption);
  expected.push_back(0);
  expected.insert(expected.end(), bytes.begin() + kKeyTag, bytes.end());
  EXPECT_EQ(out, expected);
  const ClientKey back = safe_deserialize_client_key(out);
  EXPECT_FALSE(back.oprf_lwe.has_value());
  EXPECT_EQ(back.lwe.bits, ck.lwe.bits);
  EXPECT_EQ(back.glwe.bits, ck.glwe.bits);
}

TEST(ClientKeyFixture, OwnKeygenRoundTrips) {
  const ClientKey ck = generate_client_key(kFhevmCompute, 7);
  const Bytes out = safe_serialize(ck);
  EXPECT_EQ(out.size(), kKeySize - (ck.oprf_lwe ? 0 : 7372));
  const ClientKey back = safe_deserialize_client_key(out);
  EXPECT_EQ(back.params, &kFhevmCompute);
  EXPECT_EQ(back.lwe.bits, ck.lwe.bits);
  EXPECT_EQ(back.glwe.bits, ck.glwe.bits);
  EXPECT_EQ(back.oprf_lwe.has_value(), ck.oprf_lwe.has_value());
  EXPECT_EQ(safe_serialize(back), out);
}

// ---- ciphertexts: node-tfhe fixtures ----

TEST(CiphertextFixture, DecryptsWithFixtureKey) {
  const ClientKey ck = safe_deserialize_client_key(read_fixture(kKeyFile));
  const FheCiphertext b = safe_deserialize_ciphertext(read_fixture(kBoolFile));
  ASSERT_TRUE(b.is_bool);
  ASSERT_EQ(b.blocks.size(), 1u);
  EXPECT_EQ(b.blocks[0].params, &kFhevmCompute);
  EXPECT_EQ(b.blocks[0].degree, 1u);
  EXPECT_EQ(b.blocks[0].noise_level, 1u);
  EXPECT_EQ(shortint::decrypt(ck, b.blocks[0]), 1u);

  const FheCiphertext u = safe_deserialize_ciphertext(read_fixture(kUint2File));
  ASSERT_FALSE(u.is_bool);
  ASSERT_EQ(u.blocks.size(), 1u);
  EXPECT_EQ(u.blocks[0].degree, 3u);
  EXPECT_EQ(u.blocks[0].noise_level, 1u);
  EXPECT_TRUE(u.tag.empty());
  EXPECT_TRUE(u.re_randomization_metadata.empty());
  EXPECT_EQ(shortint::decrypt(ck, u.blocks[0]), 2u);
}

TEST(CiphertextFixture, ReserializesByteIdentical) {
  for (const char* f : {kBoolFile, kUint2File}) {
    SCOPED_TRACE(f);
    const Bytes bytes = read_fixture(f);
    EXPECT_EQ(safe_serialize(safe_deserialize_ciphertext(bytes)), bytes);
  }
}

TEST(CiphertextFixture, ChecksTheExpectedType) {
  const Bytes b = read_fixture(kBoolFile);
  const Bytes u = read_fixture(kUint2File);
  const FheType t_bool = parse_fhe_type("bool");
  const FheType t_u2 = parse_fhe_type("uint2");
  const FheType t_u8 = parse_fhe_type("uint8");
  EXPECT_NO_THROW(safe_deserialize_ciphertext(b, kCiphertextLimit, &t_bool));
  EXPECT_NO_THROW(safe_deserialize_ciphertext(u, kCiphertextLimit, &t_u2));
  EXPECT_NE(ct_error(b, &t_u2).find("does not match the expected type uint2"), std::string::npos);
  EXPECT_NE(ct_error(u, &t_bool).find("does not match the expected type bool"), std::string::npos);
  EXPECT_EQ(ct_error(u, &t_u8), "FheUint: 1 blocks, expected 4 for uint8 (at byte 69)");
}

TEST(CiphertextFixture, EncryptionsOfOurOwnDecrypt) {
  const ClientKey ck = safe_deserialize_client_key(read_fixture(kKeyFile));
  Csprng mask(1), noise(2);
  FheCiphertext ct;
  for (uint64_t m : {3u, 0u, 2u, 1u}) ct.blocks.push_back(shortint::encrypt(ck, m, mask, noise));
  const FheCiphertext back = safe_deserialize_ciphertext(safe_serialize(ct));
  ASSERT_TRUE(same_blocks(ct, back));
  EXPECT_EQ(shortint::decrypt(ck, back.blocks[0]), 3u);
  EXPECT_EQ(shortint::decrypt(ck, back.blocks[3]), 1u);
}

// ---- toy parameters (small blobs) ----

TEST(Toy, CiphertextRoundTripsAndNeedsOptIn) {
  Bytes blob;
  {
    InsecureGuard insecure;
    FheCiphertext ct = toy_ciphertext(3, false, 11);
    ct.tag = {1, 2, 3};
    ct.re_randomization_metadata = {9, 8};
    blob = safe_serialize(ct);
    const FheCiphertext back = safe_deserialize_ciphertext(blob);
    EXPECT_TRUE(same_blocks(ct, back));
    EXPECT_EQ(safe_serialize(back), blob);

    const FheCiphertext b = toy_ciphertext(1, true, 12);
    EXPECT_TRUE(same_blocks(b, safe_deserialize_ciphertext(safe_serialize(b))));
  }
  EXPECT_EQ(ct_error(blob),
            "FheUint: block 0: unsupported LWE size 1025 (expected 2049) (at byte 85)");
}

TEST(Toy, ClientKeyRoundTripsAndNeedsOptIn) {
  Bytes blob;
  {
    InsecureGuard insecure;
    const ClientKey ck = generate_client_key(kToyInsecure, 5);
    blob = safe_serialize(ck);
    const ClientKey back = safe_deserialize_client_key(blob);
    EXPECT_EQ(back.params, &kToyInsecure);
    EXPECT_EQ(back.glwe.bits, ck.glwe.bits);
    EXPECT_EQ(back.lwe.bits, ck.lwe.bits);
    EXPECT_EQ(safe_serialize(back), blob);
  }
  EXPECT_NE(key_error(blob).find("unsupported parameters (lwe_dimension 256, expected 918)"),
            std::string::npos);
}

// ---- malformed input ----

TEST(Malformed, EveryPrefixOfSmallBlobsIsRejected) {
  InsecureGuard insecure;
  const Bytes blobs[] = {safe_serialize(toy_ciphertext(2, false, 3)),
                         safe_serialize(toy_ciphertext(1, true, 4))};
  for (const Bytes& blob : blobs) {
    ASSERT_NO_THROW(safe_deserialize_ciphertext(blob));
    for (std::size_t n = 0; n < blob.size(); ++n) {
      const Bytes prefix(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(n));
      const std::string msg = ct_error(prefix);
      ASSERT_FALSE(msg.empty()) << "prefix " << n;
    }
  }
}

TEST(Malformed, EveryPrefixOfFixturesIsRejected) {
  const Bytes key = read_fixture(kKeyFile);
  for (std::size_t n = 0; n < key.size(); ++n) {
    const std::string msg =
        key_error(Bytes(key.begin(), key.begin() + static_cast<std::ptrdiff_t>(n)));
    ASSERT_FALSE(msg.empty()) << "prefix " << n;
  }
  const Bytes b = read_fixture(kBoolFile);
  for (std::size_t n = 0; n < b.size(); ++n) {
    const std::string msg = ct_error(Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n)));
    ASSERT_FALSE(msg.empty()) << "prefix " << n;
  }
  EXPECT_EQ(ct_error(Bytes(b.begin(), b.begin() + 100)),
            "FheBool: length 2049 of LWE ciphertext data exceeds the remaining 15 bytes (at byte "
            "77)");
}

TEST(Malformed, TrailingBytesAreRejected) {
  Bytes key = read_fixture(kKeyFile);
  key.push_back(0);
  EXPECT_EQ(key_error(key), "ClientKey: 1 trailing bytes (at byte 31458)");
  Bytes b = read_fixture(kBoolFile);
  b.insert(b.end(), {1, 2, 3});
  EXPECT_EQ(ct_error(b), "FheBool: 3 trailing bytes (at byte 16593)");
}

TEST(Malformed, WrongTypeNames) {
  const Bytes key = read_fixture(kKeyFile);
  const Bytes b = read_fixture(kBoolFile);
  EXPECT_EQ(key_error(b),
            "ClientKey: unsupported type name \"high_level_api::FheBool\" (expected "
            "\"high_level_api::ClientKey\") (at byte 0)");
  EXPECT_EQ(ct_error(key),
            "ciphertext: unsupported type name \"high_level_api::ClientKey\" (expected "
            "\"high_level_api::FheBool\" or \"high_level_api::FheUint\") (at byte 0)");
  Bytes bad = b;
  bad[26 + 8 + 19] = 'X';  // high_level_api::FheXool
  EXPECT_NE(ct_error(bad).find("unsupported type name \"high_level_api::FheXool\""),
            std::string::npos);
  Bytes odd = b;
  odd[26 + 8 + 3] = 0x01;
  EXPECT_NE(ct_error(odd).find("\\x01"), std::string::npos);
}

TEST(Malformed, WrongVersionTags) {
  const Bytes key = read_fixture(kKeyFile);
  const Bytes b = read_fixture(kBoolFile);
  const Bytes u = read_fixture(kUint2File);
  {
    Bytes x = key;
    x[10] = '6';  // header version "0.6"
    EXPECT_EQ(key_error(x),
              "ClientKey: unsupported safe_serialize header version \"0.6\" (expected \"0.5\") (at "
              "byte 0)");
  }
  {
    Bytes x = key;
    put_u32(x, 11, 1);
    EXPECT_EQ(key_error(x),
              "ClientKey: unversioned safe_serialize blobs are not supported (at byte 11)");
  }
  {
    Bytes x = key;
    x[25] = '2';
    EXPECT_NE(key_error(x).find("unsupported versioning version \"0.2\""), std::string::npos);
  }
  {
    Bytes x = key;
    put_u32(x, kKeyTags, 0);
    EXPECT_EQ(key_error(x), "ClientKey: unsupported ClientKey version 0 (expected 1) (at byte 59)");
  }
  {
    Bytes x = key;
    put_u32(x, kKeyIntegerVersion, 7);
    EXPECT_EQ(key_error(x),
              "ClientKey: unsupported IntegerClientKey version 7 (expected 8) (at byte 63)");
  }
  // Every version / variant u32 of the key's prefix, the parameters and the OPRF key.
  for (std::size_t at = kKeyTags; at < kKeyGlweLen; at += 4) {
    Bytes x = key;
    put_u32(x, at, 0x7fffffff);
    EXPECT_FALSE(key_error(x).empty()) << "offset " << at;
  }
  for (std::size_t at = kKeyOprfOption + 1; at < kKeyOprfLen; at += 4) {
    Bytes x = key;
    put_u32(x, at, 3);
    EXPECT_FALSE(key_error(x).empty()) << "offset " << at;
  }
  {
    Bytes x = u;
    put_u32(x, kCtVersion, 1);
    EXPECT_EQ(ct_error(x), "FheUint: unsupported FheUint version 1 (expected 2) (at byte 57)");
  }
  {
    Bytes x = b;
    put_u32(x, kBoolBlock, 0);
    EXPECT_EQ(ct_error(x),
              "FheBool: block 0: unsupported shortint::Ciphertext version 0 (expected 1) (at byte "
              "69)");
  }
  for (std::size_t at : {kCtVersion + 4, kCtVersion + 8, kBoolBlock + 4}) {
    Bytes x = b;
    put_u32(x, at, 1);
    EXPECT_FALSE(ct_error(x).empty()) << "offset " << at;
  }
}

TEST(Malformed, HugeLengthFields) {
  const Bytes key = read_fixture(kKeyFile);
  const Bytes b = read_fixture(kBoolFile);
  const Bytes u = read_fixture(kUint2File);
  for (uint64_t len : {~uint64_t{0}, uint64_t{1} << 61, uint64_t{1} << 32, uint64_t{4000}}) {
    SCOPED_TRACE(len);
    Bytes x = key;
    put_u64(x, kKeyGlweLen, len);
    EXPECT_NE(key_error(x).find("of GLWE secret key exceeds the remaining"), std::string::npos);
    x = key;
    put_u64(x, 26, len);  // the type name's length
    EXPECT_FALSE(key_error(x).empty());
    x = key;
    put_u64(x, 0, len);  // the header version's length
    EXPECT_FALSE(key_error(x).empty());
    x = u;
    put_u64(x, kUintCount, len);
    EXPECT_FALSE(ct_error(x).empty());
    x = u;
    put_u64(x, kUintBlock + kBlkLweLen, len);
    EXPECT_FALSE(ct_error(x).empty());
    x = b;
    put_u64(x, b.size() - 20, len);  // the tag's length
    EXPECT_NE(ct_error(x).find("of Tag exceeds the remaining"), std::string::npos);
  }
  Bytes x = u;
  put_u64(x, kUintCount, 2);
  EXPECT_EQ(ct_error(x),
            "FheUint: block 1: unsupported shortint::Ciphertext version 0 (expected 1) (at byte "
            "16577)");
  x = u;
  put_u64(x, kUintCount, 0);
  EXPECT_EQ(ct_error(x), "FheUint: no blocks (at byte 69)");
}

TEST(Malformed, SizeLimit) {
  const Bytes key = read_fixture(kKeyFile);
  const Bytes b = read_fixture(kBoolFile);
  EXPECT_NO_THROW(safe_deserialize_client_key(key, key.size()));
  EXPECT_EQ(key_error(key, key.size() - 1),
            "ClientKey: 31458 bytes exceed the size limit of 31457 bytes");
  EXPECT_EQ(key_error(key, 0), "ClientKey: 31458 bytes exceed the size limit of 0 bytes");
  EXPECT_NO_THROW(safe_deserialize_ciphertext(b, b.size()));
  EXPECT_EQ(ct_error(b, nullptr, 100),
            "ciphertext: 16593 bytes exceed the size limit of 100 bytes");

  const ClientKey ck = safe_deserialize_client_key(key);
  EXPECT_EQ(safe_serialize(ck, key.size()), key);
  EXPECT_EQ(format_error([&] { safe_serialize(ck, key.size() - 1); }),
            "ClientKey: serialized size 31458 exceeds the size limit of 31457 bytes");
  const FheCiphertext ct = safe_deserialize_ciphertext(b);
  EXPECT_EQ(format_error([&] { safe_serialize(ct, 16000); }),
            "FheBool: serialized size 16593 exceeds the size limit of 16000 bytes");
}

TEST(Malformed, ClientKeyContents) {
  const Bytes key = read_fixture(kKeyFile);
  struct Row {
    const char* what;
    std::function<void(Bytes&)> mutate;
    std::string message;
  };
  const std::string at_params = " (at byte " + std::to_string(kKeyParams) + ")";
  const Row rows[] = {
      {"lwe dimension 866", [](Bytes& x) { put_u64(x, kKeyLweDim, 866); },
       "ClientKey: unsupported parameters (lwe_dimension 866, expected 918)" + at_params},
      {"Gaussian lwe noise", [](Bytes& x) { put_u32(x, kKeyLweNoiseVariant, 0); },
       "ClientKey: unsupported parameters (lwe_noise_distribution Gaussian, expected TUniform) "
       "(at byte " +
           std::to_string(kKeyLweNoiseVariant) + ")"},
      {"glwe noise 18", [](Bytes& x) { put_u32(x, kKeyLweNoiseVariant + 24, 18); },
       "ClientKey: unsupported parameters (glwe_noise_distribution TUniform(18), expected "
       "TUniform(17))" +
           at_params},
      {"log2_p_fail", [](Bytes& x) { put_f64(x, kKeyLog2PFail, -128.0); },
       "ClientKey: unsupported parameters (log2_p_fail -128, expected -129.581)" + at_params},
      {"standard mod switch", [](Bytes& x) { put_u32(x, kKeyModSwitch, 0); },
       "ClientKey: unsupported parameters (modulus_switch_noise_reduction_params Standard, "
       "expected CenteredMeanNoiseReduction)" +
           at_params},
      {"drift mod switch", [](Bytes& x) { put_u32(x, kKeyModSwitch, 1); },
       "ClientKey: unsupported parameters (modulus_switch_noise_reduction_params "
       "DriftTechniqueNoiseReduction, expected CenteredMeanNoiseReduction) (at byte " +
           std::to_string(kKeyModSwitch) + ")"},
      {"small key choice", [](Bytes& x) { put_u32(x, kKeyModSwitch - 8, 1); },
       "ClientKey: unsupported parameters (encryption_key_choice Small (BootstrapKeyswitch), "
       "expected Big (KeyswitchBootstrap))" +
           at_params},
      {"wopbs Some", [](Bytes& x) { x[kKeyWopbs] = 1; },
       "ClientKey: unsupported component: wopbs parameters (only keys of node-tfhe's default "
       "config are supported) (at byte " +
           std::to_string(kKeyWopbs) + ")"},
      {"bad option tag", [](Bytes& x) { x[kKeyWopbs + 1] = 2; },
       "ClientKey: invalid Option tag 2 for dedicated compact private key (at byte " +
           std::to_string(kKeyWopbs + 1) + ")"},
      {"non-binary GLWE key", [](Bytes& x) { put_u64(x, kKeyGlweData + 8 * 5, 2); },
       "ClientKey: GLWE secret key is not binary (at byte 91)"},
      {"non-binary OPRF key", [](Bytes& x) { put_u64(x, kKeyOprfLen + 8, 1ull << 63); },
       "ClientKey: OPRF secret key is not binary (at byte " + std::to_string(kKeyOprfLen) + ")"},
      {"non-empty tag", [](Bytes& x) { put_u64(x, kKeyTag + 4, 1); },
       "ClientKey: length 1 of tag exceeds the remaining 0 bytes (at byte " +
           std::to_string(kKeyTag + 4) + ")"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    Bytes x = key;
    r.mutate(x);
    EXPECT_EQ(key_error(x), r.message);
  }
  // A tag that is really there.
  Bytes x = key;
  put_u64(x, kKeyTag + 4, 2);
  x.insert(x.end(), {7, 7});
  EXPECT_EQ(key_error(x),
            "ClientKey: non-empty tag not supported (at byte " + std::to_string(kKeyTag + 4) + ")");
  // A GLWE key of the wrong length (consistent framing: the rest shifted).
  x = Bytes(key.begin(), key.begin() + kKeyGlweLen);
  const uint64_t shorter = 2047;
  x.resize(x.size() + 8);
  put_u64(x, kKeyGlweLen, shorter);
  x.insert(x.end(), key.begin() + kKeyGlweData + 8, key.end());
  EXPECT_EQ(key_error(x),
            "ClientKey: GLWE secret key has 2047 coefficients, expected 2048 (at byte 91)");
}

TEST(Malformed, CiphertextContents) {
  const Bytes u = read_fixture(kUint2File);
  const std::size_t blk = kUintBlock;
  struct Row {
    const char* what;
    std::function<void(Bytes&)> mutate;
    std::string message;
  };
  auto at = [](std::size_t off) { return " (at byte " + std::to_string(off) + ")"; };
  const Row rows[] = {
      {"degree 16", [&](Bytes& x) { put_u64(x, blk + kBlkDegree, 16); },
       "FheUint: block 0: degree 16 exceeds 15" + at(blk + kBlkDegree)},
      {"noise 6", [&](Bytes& x) { put_u64(x, blk + kBlkNoise, 6); },
       "FheUint: block 0: noise level 6 exceeds the maximum 5" + at(blk + kBlkNoise)},
      {"message modulus 8", [&](Bytes& x) { put_u64(x, blk + kBlkMsg, 8); },
       "FheUint: block 0: message modulus 8 does not match the parameter set "
       "PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128 (expected 4)" +
           at(blk + kBlkMsg)},
      {"carry modulus 2", [&](Bytes& x) { put_u64(x, blk + kBlkMsg + 12, 2); },
       "FheUint: block 0: carry modulus 2 does not match the parameter set "
       "PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128 (expected 4)" +
           at(blk + kBlkMsg + 12)},
      {"non-native modulus", [&](Bytes& x) { put_u64(x, blk + kBlkModulus, 12289); },
       "FheUint: block 0: unsupported ciphertext modulus (only the native 2^64 modulus)" +
           at(blk + kBlkModulus)},
      {"KeySwitch32", [&](Bytes& x) { put_u32(x, blk + kBlkAtomicPattern, 1); },
       "FheUint: block 0: unsupported atomic pattern KeySwitch32 (expected Standard)" +
           at(blk + kBlkAtomicPattern)},
      {"BootstrapKeyswitch", [&](Bytes& x) { put_u32(x, blk + kBlkPbsOrder, 1); },
       "FheUint: block 0: PBS order 1 does not match the parameter set "
       "PARAM_MESSAGE_2_CARRY_2_KS_PBS_TUNIFORM_2M128" +
           at(blk + kBlkPbsOrder)},
  };
  ASSERT_EQ(blk + kBlkSize + 24, u.size());
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    Bytes x = u;
    r.mutate(x);
    EXPECT_EQ(ct_error(x), r.message);
  }
  // The degree is from the bytes: every value up to 15 is accepted.
  for (uint64_t d = 0; d < 16; ++d) {
    Bytes x = u;
    put_u64(x, blk + kBlkDegree, d);
    EXPECT_EQ(safe_deserialize_ciphertext(x).blocks[0].degree, d);
  }
}

// Random byte mutations (outside the coefficient arrays, where any value is valid): the reader
// returns or throws FormatError, never anything else. The seed is printed for replay.
TEST(Malformed, RandomMutationsNeverCrash) {
  const uint64_t seed = static_cast<uint64_t>(test::test_seed(0x5eed));
  std::mt19937_64 rng(seed);
  const Bytes key = read_fixture(kKeyFile);
  const Bytes u = read_fixture(kUint2File);
  const std::pair<std::size_t, std::size_t> key_regions[] = {{0, kKeyGlweData},
                                                             {kKeyLweLen - 16, kKeyLweData},
                                                             {kKeyParams, kKeyOprfLen + 8},
                                                             {kKeyTag, kKeySize}};
  const std::pair<std::size_t, std::size_t> ct_regions[] = {
      {0, kUintBlock + kBlkLweLen + 8}, {kUintBlock + kBlkModulus - 4, u.size()}};
  const uint8_t interesting[] = {0, 1, 2, 3, 0x7f, 0x80, 0xfe, 0xff};
  for (int iter = 0; iter < 3000; ++iter) {
    const bool on_key = iter % 2 == 0;
    Bytes x = on_key ? key : u;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const auto& region = on_key ? key_regions[rng() % 4] : ct_regions[rng() % 2];
      const std::size_t pos = region.first + rng() % (region.second - region.first);
      x[pos] = (rng() % 2) ? interesting[rng() % 8] : static_cast<uint8_t>(rng());
    }
    if (rng() % 8 == 0) x.resize(rng() % x.size());
    if (on_key) {
      ok_or_format_error([&] { safe_deserialize_client_key(x); },
                         "key iter " + std::to_string(iter));
    } else {
      ok_or_format_error([&] { safe_deserialize_ciphertext(x); },
                         "ct iter " + std::to_string(iter));
    }
  }
}

// ---- writer-side validation ----

TEST(Writer, RejectsInconsistentObjects) {
  const ClientKey ck = safe_deserialize_client_key(read_fixture(kKeyFile));
  const FheCiphertext good = safe_deserialize_ciphertext(read_fixture(kUint2File));

  FheCiphertext empty;
  EXPECT_EQ(format_error([&] { safe_serialize(empty); }), "FheUint: no blocks");
  FheCiphertext two_bools = good;
  two_bools.is_bool = true;
  two_bools.blocks.push_back(good.blocks[0]);
  EXPECT_EQ(format_error([&] { safe_serialize(two_bools); }),
            "FheBool: 2 blocks (a boolean has exactly one)");
  FheCiphertext deg = good;
  deg.blocks[0].degree = 99;
  EXPECT_EQ(format_error([&] { safe_serialize(deg); }), "FheUint: block 0: degree 99 exceeds 15");
  FheCiphertext short_lwe = good;
  short_lwe.blocks[0].ct.data.pop_back();
  EXPECT_EQ(format_error([&] { safe_serialize(short_lwe); }),
            "FheUint: block 0: LWE size 2048 (expected 2049)");
  {
    InsecureGuard insecure;
    FheCiphertext mixed = good;
    mixed.blocks.push_back(toy_ciphertext(1, false, 1).blocks[0]);
    EXPECT_NE(format_error([&] { safe_serialize(mixed); }).find("block 1: parameter set differs"),
              std::string::npos);
  }

  ClientKey no_params = ck;
  no_params.params = nullptr;
  EXPECT_EQ(format_error([&] { safe_serialize(no_params); }), "ClientKey: no parameter set");
  ClientKey short_key = ck;
  short_key.lwe.bits.pop_back();
  EXPECT_EQ(format_error([&] { safe_serialize(short_key); }),
            "ClientKey: LWE secret key has 917 coefficients, expected 918");
  ClientKey non_binary = ck;
  non_binary.glwe.bits[3] = 5;
  EXPECT_EQ(format_error([&] { safe_serialize(non_binary); }),
            "ClientKey: GLWE secret key is not binary");
}

}  // namespace
}  // namespace fhe::tfhers
