// The chain layer's encodings against known answers: tests/data/chain/vectors.json (produced by
// tests/chain/make_vectors.cjs with ethers@6), the Keccak team's KAT messages, the FHEVM
// selectors and topics of the reference ABIs; plus malformed and hostile input, which must throw
// chain::DecodeError and never crash.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "chain/abi.h"
#include "chain/eip712.h"
#include "chain/hex.h"
#include "chain/rlp.h"
#include "chain/secp256k1.h"
#include "chain/tx.h"
#include "test_util.h"

namespace chain {
namespace {

using json = nlohmann::json;
using fhe::U256;

const json& vectors() {
  static const json v = [] {
    std::ifstream in(std::string(CHAIN_TEST_DATA_DIR) + "/chain/vectors.json");
    if (!in) throw std::runtime_error("cannot open tests/data/chain/vectors.json");
    return json::parse(in);
  }();
  return v;
}

U256 parse_decimal(const std::string& s) {
  if (!s.empty() && s[0] == '-') return U256(0) - U256::parse(s.substr(1));
  return U256::parse(s);
}

// A JSON value in the script's form (see make_vectors.cjs) as an ABI value of type t.
abi::Value to_value(const abi::Type& t, const json& j) {
  using K = abi::Type::Kind;
  switch (t.kind()) {
    case K::Uint:
    case K::Int:
      return abi::Value::int256(parse_decimal(j.get<std::string>()));
    case K::Bool:
      return abi::Value::boolean(j.get<bool>());
    case K::Address:
      return abi::Value::address(Address::from_hex(j.get<std::string>()));
    case K::FixedBytes:
    case K::Bytes:
      return abi::Value::bytes(from_hex(j.get<std::string>()));
    case K::String:
      return abi::Value::string(j.get<std::string>());
    case K::Array:
    case K::FixedArray: {
      std::vector<abi::Value> items;
      for (const json& e : j) items.push_back(to_value(t.element(), e));
      return abi::Value::list(std::move(items));
    }
    case K::Tuple: {
      std::vector<abi::Value> items;
      for (std::size_t i = 0; i < j.size(); ++i) items.push_back(to_value(t.components()[i], j[i]));
      return abi::Value::list(std::move(items));
    }
  }
  return {};
}

std::vector<abi::Value> to_values(const std::vector<abi::Type>& types, const json& j) {
  std::vector<abi::Value> out;
  for (std::size_t i = 0; i < types.size(); ++i) out.push_back(to_value(types[i], j.at(i)));
  return out;
}

TEST(Vectors, EverySectionIsPresent) {
  const std::pair<const char*, std::size_t> sections[] = {
      {"keccak", 10}, {"rlp", 15},   {"rlp_uint", 10}, {"abi", 20}, {"functions", 4}, {"errors", 9},
      {"events", 15}, {"eip55", 10}, {"keys", 5},      {"tx", 3},   {"eip712", 2}};
  for (const auto& [name, min] : sections) EXPECT_GE(vectors()[name].size(), min) << name;
}

// ---------------------------------------------------------------------------------------------
// hex

TEST(Hex, RoundTripAndStrictParsing) {
  EXPECT_EQ(to_hex(Bytes{}), "0x");
  EXPECT_EQ(to_hex(Bytes{0x00, 0xab, 0xff}), "0x00abff");
  EXPECT_EQ(from_hex("0x00AbfF"), (Bytes{0x00, 0xab, 0xff}));
  EXPECT_EQ(from_hex("0x"), Bytes{});
  EXPECT_EQ(from_hex_unprefixed("0aB1"), (Bytes{0x0a, 0xb1}));
  for (const char* bad : {"", "0", "00ab", "0x0", "0xabc", "0xgg", "0x 1", "x0ab", "0xab\n"}) {
    EXPECT_THROW(from_hex(bad), DecodeError) << bad;
  }
  EXPECT_THROW(from_hex_unprefixed("abc"), DecodeError);
  EXPECT_THROW(from_hex_unprefixed("0x"), DecodeError);
  // Error messages quote at most a short prefix of the input.
  try {
    from_hex("0x" + std::string(10000, 'z'));
    FAIL();
  } catch (const DecodeError& e) {
    EXPECT_LT(std::string(e.what()).size(), 100u);
  }
}

TEST(Hex, Quantities) {
  const std::pair<U256, const char*> rows[] = {
      {U256(0), "0x0"},
      {U256(1), "0x1"},
      {U256(0x41), "0x41"},
      {U256(0x400), "0x400"},
      {U256(~uint64_t{0}), "0xffffffffffffffff"},
      {U256::max(), "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},
  };
  for (const auto& [v, s] : rows) {
    EXPECT_EQ(to_quantity(v), s);
    EXPECT_EQ(parse_quantity_u256(s), v) << s;
  }
  EXPECT_EQ(to_quantity(uint64_t{1024}), "0x400");
  EXPECT_EQ(parse_quantity_u64("0xffffffffffffffff"), ~uint64_t{0});
  EXPECT_EQ(parse_quantity_u64("0xABC"), 0xabcu);
  for (const char* bad : {"0x", "0x0400", "00", "0xg", "1", "", "0x00"}) {
    EXPECT_THROW(parse_quantity_u64(bad), DecodeError) << bad;
    EXPECT_THROW(parse_quantity_u256(bad), DecodeError) << bad;
  }
  EXPECT_THROW(parse_quantity_u64("0x10000000000000000"), DecodeError);
  EXPECT_THROW(parse_quantity_u256("0x1" + std::string(64, '0')), DecodeError);
}

TEST(Hex, FixedBytes) {
  const Hash32 h = Hash32::from_hex("0x" + std::string(62, '0') + "2a");
  EXPECT_EQ(h.bytes[31], 0x2a);
  EXPECT_FALSE(h.is_zero());
  EXPECT_TRUE(Hash32{}.is_zero());
  EXPECT_LT(Hash32{}, h);
  EXPECT_THROW(Hash32::from_hex("0x2a"), DecodeError);
  EXPECT_THROW(Hash32::from_span(Bytes(31)), DecodeError);
  EXPECT_EQ(std::hash<Hash32>{}(h), std::hash<Hash32>{}(Hash32::from_span(h.view())));
}

TEST(Address, Eip55Vectors) {
  for (const json& v : vectors()["eip55"]) {
    const std::string lower = v["lower"], checksum = v["checksum"];
    const Address a = Address::from_hex(lower);
    EXPECT_EQ(a.hex(), lower);
    EXPECT_EQ(a.checksum_hex(), checksum);
    EXPECT_EQ(Address::from_hex(checksum), a);
    std::string upper = "0x";
    for (char c : lower.substr(2)) upper += static_cast<char>(std::toupper(c));
    EXPECT_EQ(Address::from_hex(upper), a);
    // Flipping the case of any one letter breaks the checksum.
    for (std::size_t i = 2; i < checksum.size(); ++i) {
      if (!std::isalpha(static_cast<unsigned char>(checksum[i]))) continue;
      std::string wrong = checksum;
      wrong[i] = static_cast<char>(std::islower(wrong[i]) ? std::toupper(wrong[i])
                                                          : std::tolower(wrong[i]));
      const bool all_same_case = Address::from_hex(lower).hex() == wrong || upper == wrong;
      if (!all_same_case) {
        EXPECT_THROW(Address::from_hex(wrong), DecodeError) << wrong;
      }
    }
  }
  EXPECT_THROW(Address::from_hex("0x2c7536e3605d9c16a7a3d7b1898e529396a65c"), DecodeError);
  EXPECT_THROW(Address::from_hex("2c7536e3605d9c16a7a3d7b1898e529396a65c23"), DecodeError);
}

// ---------------------------------------------------------------------------------------------
// Keccak-256

TEST(Keccak, KnownAnswers) {
  ASSERT_GE(vectors()["keccak"].size(), 6u);
  for (const json& v : vectors()["keccak"]) {
    EXPECT_EQ(keccak(from_hex(v["input"].get<std::string>())).hex(), v["digest"]);
  }
  // The Keccak team's ShortMsgKAT_256, Len = 8 (also asserted by the generator).
  EXPECT_EQ(keccak(Bytes{0xcc}).hex(),
            "0xeead6dbfc7340a56caedc044696a168870549a6a7f6f56961e84a54bd9970b8a");
}

// ---------------------------------------------------------------------------------------------
// RLP

rlp::Item to_item(const json& j) {
  if (j.is_string()) return rlp::Item::bytes(from_hex(j.get<std::string>()));
  std::vector<rlp::Item> items;
  for (const json& e : j) items.push_back(to_item(e));
  return rlp::Item::list(std::move(items));
}

TEST(Rlp, Vectors) {
  for (const json& v : vectors()["rlp"]) {
    const rlp::Item item = to_item(v["item"]);
    const Bytes enc = from_hex(v["rlp"].get<std::string>());
    EXPECT_EQ(to_hex(rlp::encode(item)), v["rlp"]);
    EXPECT_EQ(rlp::decode(enc), item) << v["rlp"];
    EXPECT_EQ(rlp::item_length(enc), enc.size());
    // Every strict prefix is malformed.
    for (std::size_t n = 0; n < enc.size(); ++n) {
      EXPECT_THROW(rlp::decode(ByteView(enc).first(n)), RlpError) << v["rlp"] << " prefix " << n;
    }
    // So is any trailing byte.
    Bytes longer = enc;
    longer.push_back(0);
    EXPECT_THROW(rlp::decode(longer), RlpError);
  }
}

TEST(Rlp, Integers) {
  for (const json& v : vectors()["rlp_uint"]) {
    const U256 x = U256::parse(v["value"].get<std::string>());
    EXPECT_EQ(to_hex(rlp::encode(rlp::Item::uint(x))), v["rlp"]);
    EXPECT_EQ(to_hex(rlp::encode_uint(x)), v["rlp"]);
    const rlp::Item item = rlp::decode(from_hex(v["rlp"].get<std::string>()));
    EXPECT_EQ(item.as_u256(), x);
    if (x.bit_width() <= 64) {
      EXPECT_EQ(item.as_u64(), x.low());
    } else {
      EXPECT_THROW(item.as_u64(), RlpError);
    }
  }
  EXPECT_THROW(rlp::decode(from_hex("0x820001")).as_u64(), RlpError);  // leading zero
  EXPECT_THROW(rlp::decode(from_hex("0x00")).as_u64(), RlpError);      // 0 must be 0x80
  EXPECT_THROW(rlp::decode(from_hex("0xc0")).as_u64(), RlpError);      // a list
  EXPECT_EQ(rlp::decode(from_hex("0x94" + std::string(40, 'a'))).as_address(),
            Address::from_hex("0x" + std::string(40, 'a')));
  EXPECT_THROW(rlp::decode(from_hex("0x93" + std::string(38, 'a'))).as_address(), RlpError);
}

TEST(Rlp, RejectsNonCanonicalAndMalformed) {
  const std::pair<const char*, const char*> rows[] = {
      {"0x", "empty input"},
      {"0x8100", "single byte 0x00 wrapped"},
      {"0x817f", "single byte 0x7f wrapped"},
      {"0xb800", "long form for an empty string"},
      {"0xb90038"
       "00",
       "length with a leading zero"},
      {"0xf800", "long list form for an empty list"},
      {"0x83646f", "string past the end"},
      {"0xc3836f67", "string longer than its list"},
      {"0xc2830102", "item longer than its list"},
      {"0xbf"
       "ffffffffffffffff",
       "8-byte length past the end"},
      {"0xbf"
       "ff",
       "truncated length bytes"},
      {"0xf9ffff", "list length past the end"},
      {"0x8080", "trailing item"},
      {"0xc1c0c0", "trailing byte after the list"},
  };
  for (const auto& [hex, why] : rows) {
    EXPECT_THROW(rlp::decode(from_hex(hex)), RlpError) << why;
  }
  // Long forms for payloads of 55 bytes (string and list).
  Bytes long55 = {0xb8, 55};
  long55.resize(2 + 55, 0x00);
  EXPECT_THROW(rlp::decode(long55), RlpError);
  long55[0] = 0xf8;
  long55.resize(2);
  long55.resize(2 + 55, 0x01);
  EXPECT_THROW(rlp::decode(long55), RlpError);
  EXPECT_THROW(rlp::Item::uint(1).as_list(), RlpError);
  EXPECT_THROW(rlp::Item::list({}).as_bytes(), RlpError);
}

TEST(Rlp, DepthLimit) {
  Bytes nested = {0x80};
  for (int i = 0; i < 100; ++i) nested = rlp::encode_list_payload(nested);
  EXPECT_THROW(rlp::decode(nested), RlpError);
  EXPECT_NO_THROW(rlp::decode(nested, 100));
  EXPECT_THROW(rlp::decode(nested, 99), RlpError);
}

TEST(Rlp, MutatedVectorsNeverCrash) {
  fhe::Csprng rng(fhe::test::test_seed(402));
  for (const json& v : vectors()["rlp"]) {
    const Bytes enc = from_hex(v["rlp"].get<std::string>());
    for (int i = 0; i < 300; ++i) {
      Bytes m = enc;
      const uint64_t r = rng.next_u64();
      const std::size_t pos = m.empty() ? 0 : (r >> 8) % m.size();
      switch (r % 4) {
        case 0:  // overwrite one byte
          if (!m.empty()) m[pos] = static_cast<uint8_t>(r >> 40);
          break;
        case 1:  // flip one bit
          if (!m.empty()) m[pos] ^= static_cast<uint8_t>(1u << ((r >> 40) % 8));
          break;
        case 2:  // insert a byte
          m.insert(m.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<uint8_t>(r >> 40));
          break;
        default:  // delete a byte
          if (!m.empty()) m.erase(m.begin() + static_cast<std::ptrdiff_t>(pos));
      }
      try {
        ASSERT_EQ(rlp::encode(rlp::decode(m)), m) << to_hex(m);
      } catch (const RlpError&) {
      }
    }
  }
}

TEST(Rlp, RandomBytesNeverCrash) {
  fhe::Csprng rng(fhe::test::test_seed(401));
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes data(rng.next_u64() % 40);
    rng.fill_bytes(data.data(), data.size());
    // Bias towards list and string headers.
    if (!data.empty()) data[0] = static_cast<uint8_t>(0xb0 + data[0] % 0x50);
    try {
      const rlp::Item item = rlp::decode(data);
      // Whatever decodes re-encodes to the same bytes (canonical form is unique).
      ASSERT_EQ(rlp::encode(item), data) << to_hex(data);
      ++accepted;
    } catch (const RlpError&) {
    }
  }
  std::printf("[rlp] %d of 20000 random inputs were canonical\n", accepted);
}

// ---------------------------------------------------------------------------------------------
// ABI

TEST(Abi, TypeParsing) {
  const std::pair<const char*, const char*> rows[] = {
      {"uint", "uint256"},
      {"int", "int256"},
      {"uint8", "uint8"},
      {"bytes1", "bytes1"},
      {"bytes32[]", "bytes32[]"},
      {"uint8[2][]", "uint8[2][]"},
      {"tuple(uint256,bytes)", "(uint256,bytes)"},
      {"(uint, (address,string)[3])[]", "(uint256,(address,string)[3])[]"},
  };
  for (const auto& [in, canon] : rows) EXPECT_EQ(abi::Type::parse(in).canonical(), canon) << in;
  const abi::Type t = abi::Type::parse("uint8[2][]");
  EXPECT_EQ(t.kind(), abi::Type::Kind::Array);
  EXPECT_EQ(t.element().kind(), abi::Type::Kind::FixedArray);
  EXPECT_EQ(t.element().size(), 2u);
  EXPECT_FALSE(abi::Type::parse("(uint256,address)[2]").is_dynamic());
  EXPECT_EQ(abi::Type::parse("(uint256,address)[2]").head_size(), 128u);
  EXPECT_TRUE(abi::Type::parse("(uint256,bytes)").is_dynamic());
  EXPECT_TRUE(abi::Type::parse("string[2]").is_dynamic());
  for (const char* bad : {"",
                          "uint7",
                          "uint264",
                          "uint08",
                          "int0",
                          "bytes0",
                          "bytes33",
                          "byte",
                          "uint256[0]",
                          "uint256[01]",
                          "uint256[",
                          "uint256[]]",
                          "()",
                          "(uint256",
                          "(uint256,)",
                          "uint256 x",
                          "function",
                          "uint256[65537]",
                          "uint256[65536][65536]",
                          "address payable"}) {
    EXPECT_THROW(abi::Type::parse(bad), std::invalid_argument) << bad;
  }
  std::string deep = "uint8";
  for (int i = 0; i < 40; ++i) deep += "[]";
  EXPECT_THROW(abi::Type::parse(deep), std::invalid_argument);
}

TEST(Abi, EncodeDecodeVectors) {
  for (const json& v : vectors()["abi"]) {
    std::vector<abi::Type> types;
    for (const json& t : v["types"]) types.push_back(abi::Type::parse(t.get<std::string>()));
    const std::vector<abi::Value> values = to_values(types, v["values"]);
    const std::string expected = v["encoded"];
    EXPECT_EQ(to_hex(abi::encode(types, values)), expected) << v["types"];
    EXPECT_EQ(abi::decode(types, from_hex(expected)), values) << v["types"];
  }
}

TEST(Abi, TruncatedVectorsThrowOrDecode) {
  // Truncation may leave a valid encoding (dropped trailing padding); it must never crash, and
  // cutting into the heads always throws.
  for (const json& v : vectors()["abi"]) {
    std::vector<abi::Type> types;
    std::size_t heads = 0;
    for (const json& t : v["types"]) {
      types.push_back(abi::Type::parse(t.get<std::string>()));
      heads += types.back().head_size();
    }
    const Bytes enc = from_hex(v["encoded"].get<std::string>());
    for (std::size_t n = 0; n < enc.size(); ++n) {
      if (n < heads) {
        EXPECT_THROW(abi::decode(types, ByteView(enc).first(n)), AbiError);
      } else {
        try {
          abi::decode(types, ByteView(enc).first(n));
        } catch (const AbiError&) {
        }
      }
    }
  }
}

Bytes word(const U256& v) {
  Bytes w(32);
  for (unsigned i = 0; i < 32; ++i) w[31 - i] = static_cast<uint8_t>(v.digit(i, 8));
  return w;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(Abi, HostileData) {
  const auto T = [](const char* s) { return std::vector<abi::Type>{abi::Type::parse(s)}; };
  const U256 huge = U256::max();
  const std::pair<std::vector<abi::Type>, Bytes> rows[] = {
      {T("bytes"), cat({word(32), word(huge)})},                     // length 2^256 - 1
      {T("bytes"), cat({word(32), word(U256(1) << 63)})},            // length 2^63
      {T("bytes"), cat({word(32), word(33), Bytes(32)})},            // length past the end
      {T("bytes"), cat({word(huge)})},                               // offset 2^256 - 1
      {T("bytes"), cat({word(U256(1) << 64)})},                      // offset 2^64
      {T("bytes"), cat({word(64)})},                                 // offset past the end
      {T("bytes"), cat({word(32)})},                                 // no length word
      {T("uint256[]"), cat({word(32), word(~uint64_t{0})})},         // 2^64 - 1 elements
      {T("uint256[]"), cat({word(32), word(3), word(1), word(2)})},  // 3 elements, 2 present
      {T("bytes[]"), cat({word(32), word(1 << 20)})},                // 2^20 offsets, none present
      {T("uint8"), word(256)},                                       // dirty high bits
      {T("int8"), word(128)},                                        // not sign-extended
      {T("int8"), word(U256::max() - 200)},                          // below -128
      {T("bool"), word(2)},
      {T("address"), word(U256(1) << 160)},
      {T("bytes1"), from_hex("0x0101" + std::string(60, '0'))},  // dirty padding
      {T("uint256"), Bytes(31)},
      {T("(uint256,uint256)"), Bytes(63)},
      {T("uint256[2]"), Bytes(32)},
  };
  for (const auto& [types, data] : rows) {
    EXPECT_THROW(abi::decode(types, data), AbiError) << types[0].canonical() << " " << to_hex(data);
  }
}

TEST(Abi, AliasedOffsetsHitTheBudget) {
  // uint256[][] whose n outer offsets all point at one inner array of m elements: n * m decoded
  // words from n + m words of input. Canonical encodings never alias; this one must throw
  // instead of allocating n * m values.
  const std::size_t n = 4096, m = 4096;
  Bytes data = cat({word(32), word(n)});
  for (std::size_t i = 0; i < n; ++i) data = cat({data, word(32 * n)});
  data = cat({data, word(m)});
  data.resize(data.size() + 32 * m, 0);
  EXPECT_THROW(abi::decode(abi::Type::parse("uint256[][]"), data), AbiError);
  // The same for bytes[] aliasing one long byte string.
  Bytes b = cat({word(32), word(n)});
  for (std::size_t i = 0; i < n; ++i) b = cat({b, word(32 * n)});
  b = cat({b, word(32 * m)});
  b.resize(b.size() + 32 * m, 0x55);
  EXPECT_THROW(abi::decode(abi::Type::parse("bytes[]"), b), AbiError);
  // Structure costs nothing: deeply nested static tuples and arrays, canonically encoded, decode.
  const abi::Type nested = abi::Type::parse("(" + std::string(16, '(') + "uint8" +
                                            std::string(16, ')') + "[2][1][2])[]");
  std::vector<abi::Value> elems;
  for (int i = 0; i < 300; ++i) {
    abi::Value leaf = abi::Value::uint(static_cast<uint64_t>(i % 256));
    for (int d = 0; d < 16; ++d) leaf = abi::Value::list({leaf});
    const abi::Value pair = abi::Value::list({leaf, leaf});
    const abi::Value one = abi::Value::list({pair});
    elems.push_back(abi::Value::list({abi::Value::list({one, one})}));
  }
  const abi::Value big = abi::Value::list(elems);
  EXPECT_EQ(abi::decode(nested, abi::encode(nested, big)), big);
  // A few aliases are fine (Solidity accepts them too).
  const Bytes small = cat({word(32), word(2), word(64), word(64), word(1), word(7)});
  const abi::Value v = abi::decode(abi::Type::parse("uint256[][]"), small);
  EXPECT_EQ(v.as_list().size(), 2u);
  EXPECT_EQ(v.as_list()[1].as_list()[0].as_u64(), 7u);
}

TEST(Abi, EncodeRejectsValuesThatDoNotFit) {
  const auto enc = [](const char* t, const abi::Value& v) { abi::encode(abi::Type::parse(t), v); };
  EXPECT_THROW(enc("uint8", abi::Value::uint(256)), std::invalid_argument);
  EXPECT_THROW(enc("int8", abi::Value::int_(128)), std::invalid_argument);
  EXPECT_THROW(enc("int8", abi::Value::int_(-129)), std::invalid_argument);
  EXPECT_NO_THROW(enc("int8", abi::Value::int_(-128)));
  EXPECT_THROW(enc("bytes4", abi::Value::fixed_bytes(Bytes(3))), std::invalid_argument);
  EXPECT_THROW(enc("uint256[2]", abi::Value::list({abi::Value::uint(1)})), std::invalid_argument);
  EXPECT_THROW(enc("(uint256,bool)", abi::Value::list({abi::Value::uint(1)})),
               std::invalid_argument);
  EXPECT_THROW(enc("address", abi::Value::uint(1)), AbiError);  // wrong kind of value
  EXPECT_EQ(abi::Value::int_(-5).as_i64(), -5);
  EXPECT_EQ(abi::Value::int_(INT64_MIN).as_i64(), INT64_MIN);
  EXPECT_THROW(abi::Value::uint(U256(1) << 63).as_i64(), AbiError);
  EXPECT_THROW(abi::Value::uint(U256(1) << 64).as_u64(), AbiError);
}

TEST(Abi, FunctionsAndErrors) {
  for (const char* key : {"functions", "errors"}) {
    for (const json& v : vectors()[key]) {
      const abi::Function f = abi::Function::parse(v["decl"].get<std::string>());
      EXPECT_EQ(f.signature(), v["signature"]);
      EXPECT_EQ(to_hex(f.selector()), v["selector"]);
      const std::vector<abi::Value> values =
          to_values(abi::Declaration::parse(v["decl"].get<std::string>()).types(), v["values"]);
      const std::string data = v.contains("calldata") ? v["calldata"] : v["data"];
      EXPECT_EQ(to_hex(f.encode_call(values)), data) << f.signature();
      EXPECT_EQ(f.decode_call(from_hex(data)), values) << f.signature();
      EXPECT_TRUE(f.matches(from_hex(data)));
      Bytes wrong = from_hex(data);
      wrong[0] ^= 1;
      EXPECT_THROW(f.decode_call(wrong), AbiError);
      EXPECT_THROW(f.decode_call(Bytes{}), AbiError);
    }
  }
  EXPECT_THROW(abi::Function::parse("f(uint256 indexed x)"), std::invalid_argument);
}

TEST(Abi, ReferenceSelectors) {
  // zk-and-eth-crypto.md §4.3 and fhevm-coprocessor.md §4.3-4.5.
  const std::pair<const char*, const char*> rows[] = {
      {"verifyProofResponse(uint256,bytes32[],bytes,bytes)", "0x31bedea3"},
      {"rejectProofResponse(uint256,bytes)", "0x338007fc"},
      {"addCiphertextMaterial(bytes32,uint256,bytes32,bytes32)", "0x90f30354"},
      {"CoprocessorAlreadyVerified(uint256,address,address)", "0xf9ed431f"},
      {"CoprocessorAlreadyRejected(uint256,address,address)", "0x2fa73174"},
      {"VerifyProofNotRequested(uint256)", "0x4711083f"},
      {"NotCoprocessorSigner(address)", "0x26cd75dc"},
      {"NotCoprocessorTxSender(address)", "0x52d725f5"},
      {"CoprocessorSignerDoesNotMatchTxSender(address,address)", "0xe134bf62"},
      {"CoprocessorAlreadyAdded(bytes32,address)", "0x1dd7250c"},
      {"Error(string)", "0x08c379a0"},
      {"Panic(uint256)", "0x4e487b71"},
  };
  for (const auto& [sig, sel] : rows) EXPECT_EQ(to_hex(abi::Function::parse(sig).selector()), sel);
}

TEST(Abi, ReferenceEventTopics) {
  // fhevm-coprocessor.md §4.1-4.6 (FheType is uint8 in the ABI).
  const std::pair<const char*, const char*> rows[] = {
      {"FheAdd(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0xdb9050d65240431621d61d6f94b970e63f53a67a5766614ee6e5c5bbd41c8e2e"},
      {"FheSub(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0xeb6d37bd271abe1395b21d6d78f3487d6584862872c29ffd3f90736ee99b7393"},
      {"FheMul(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0x215346a4f9f975e6d5484e290bd4e53ca14453a9d282ebd3ccedb2a0f171753d"},
      {"FheDiv(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0x3bab2ee0e2f90f4690c6a87bf63cf1a6b626086e95f231860b152966e8dabbf7"},
      {"FheRem(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0x0e691cd0bf8c4e9308e4ced1bb9c964117dc5c5bb9b9ab5bdfebf2c9b13a897c"},
      {"FheBitAnd(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0xe42486b0ccdbef81a2075c48c8e515c079aea73c8b82429997c72a2fe1bf4fef"},
      {"FheBitOr(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0x56df279bbfb03d9ed097bbe2f28d520ca0c1161206327926e98664d70d2c24c4"},
      {"FheBitXor(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0x4d32284bd3193ecaa44e1ceca32f41c5d6c32803a92e07967dd3ee4229721582"},
      {"FheShl(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0xe84282aaebcca698443e39a2a948a345d0d2ebc654af5cb657a2d7e8053bf6cb"},
      {"FheShr(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0x324220bfc9cb158b492991c03c309cd86e5345cac45aacae2092ddabe31fa3d8"},
      {"FheRotl(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0xeb0e4f8dc74058194d0602425fe602f955c222200f7f10c6fe67992f7b24c7e9"},
      {"FheRotr(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0xc148675905d07ad5496f8ef4d8195c907503f3ec12fd10ed5f21240abc693634"},
      {"FheEq(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 result)",
       "0xb3d5c664ec86575818e8d75ff25c5f867250df8954088549c41c848cd10e76cb"},
      {"FheNe(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 result)",
       "0x6960c1e88f61c352dba34d1bbf6753e302795264d5d8ae82f7983c7004651e5d"},
      {"FheGe(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 result)",
       "0x38c3a63c4230de5b741f494ffb54e3087104030279bc7bccee8ad9ad31712b21"},
      {"FheGt(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 result)",
       "0xc9ff8f0d18a3f766ce5de3de216076050140e4fc2652f5e0e745f6fc836cda8b"},
      {"FheLe(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 result)",
       "0xdef2e704a077284a07f3d0b436db88f5d981b69f58ab7c1ae623252718a6de01"},
      {"FheLt(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 result)",
       "0x0d483b100d8c73b208984ec697caa3091521ee5525ce69edcf97d7e395d3d059"},
      {"FheMin(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0xc11d62b13c360a83082487064be1ec0878b2f0be4f012bf59f89e128063d47ff"},
      {"FheMax(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 "
       "result)",
       "0xfd7c9208f956bf0c6ab76a667f04361245ad3e0a2d0eff92eb827acfcca68ea9"},
      {"FheNeg(address indexed caller, bytes32 ct, bytes32 result)",
       "0x8c664d3c3ca583fc5803b8a91c49644bbd9550bfa87967c73ad1de83027768c0"},
      {"FheNot(address indexed caller, bytes32 ct, bytes32 result)",
       "0x55aff4cc7a3d160c83f1f15b818011ede841a0b4597fb14dcd3603df3a11e5e0"},
      {"VerifyInput(address indexed caller, bytes32 inputHandle, address userAddress, bytes "
       "inputProof, uint8 inputType, bytes32 result)",
       "0xdc370db33589e73371dc3ee42c789c003d336eefcb7c3f56fe0f51ae5b1d9702"},
      {"Cast(address indexed caller, bytes32 ct, uint8 toType, bytes32 result)",
       "0x31ccae6a2f8e3ced1692f77c8f668133e4afdaaa35afe844ff4659a6c27e627f"},
      {"TrivialEncrypt(address indexed caller, uint256 pt, uint8 toType, bytes32 result)",
       "0x063ccd1bba45151d91f6a418065047a3d048d058a922535747bb2b575a01d236"},
      {"FheIfThenElse(address indexed caller, bytes32 control, bytes32 ifTrue, bytes32 ifFalse, "
       "bytes32 result)",
       "0x60be9d61aad849facc28c38b048cb5c4be3420b8fa2233e08cfa06be1b6d1c3e"},
      {"FheRand(address indexed caller, uint8 randType, bytes16 seed, bytes32 result)",
       "0x0c8aca6017003326051e19913ef02631f24b801125e1fa8a1d812e868319fda6"},
      {"FheRandBounded(address indexed caller, uint256 upperBound, uint8 randType, bytes16 seed, "
       "bytes32 result)",
       "0x5222d96b836727a1d6fe1ee9aef27f9bb507bd41794defa376ff6c648aaf8ff1"},
      {"FheSum(address indexed caller, bytes32[] values, bytes32 result)",
       "0xd24d1fc700ce6a96b04d0ef048cb74e4c9647351da21b84501d848e16c161deb"},
      {"FheIsIn(address indexed caller, bytes32 value, bytes32[] values, bytes32 result)",
       "0xa8b64ca323c46be8ad4087f46d85976cd3ab0bda32e171a8550a6c9b7c519a8a"},
      {"FheMulDiv(address indexed caller, bytes32 factor1, bytes32 factor2, bytes32 divisor, "
       "bytes1 scalarByte, bytes32 result)",
       "0xe5ed6be31c35a5bc572746ab3347fc754669f58bc0e9eaa3257350f10a62321e"},
      {"Allowed(address indexed caller, address indexed account, bytes32 handle)",
       "0xe2e1decee6e05ee246cd7c7f1337d25cdfd41dcbdcf8c57b61630be56cc7366a"},
      {"AllowedForDecryption(address indexed caller, bytes32[] handlesList)",
       "0xd913ac93a959116526793ef772233273d5249597d33cddfdc34f29920541fd0a"},
      {"DelegatedForUserDecryption(address indexed delegator, address indexed delegate, address "
       "contractAddress, uint64 delegationCounter, uint64 oldExpirationDate, uint64 "
       "newExpirationDate)",
       "0x527b025d7ff06689c1ab9d32dfd7881c964cce72ce8ac5b2fe1d3be8cfda5bfc"},
      {"VerifyProofRequest(uint256 indexed zkProofId, uint256 indexed contractChainId, address "
       "contractAddress, address userAddress, bytes ciphertextWithZKProof, bytes extraData)",
       "0x4ae54f6a6e900d806ffa5bb46ed91459523d2f6ac9b5d62404feab887686d005"},
      {"VerifyProofResponse(uint256 indexed zkProofId, bytes32[] ctHandles, bytes[] signatures)",
       "0xfe2c43585786a5a658d2ec5df5dea3fb3385b77c94f60f724ff810896f419835"},
      {"RejectProofResponse(uint256 indexed zkProofId)",
       "0xe465e141fa8abd95ab7e0855543307f8506ab0170ef664420fb71ab7de0183de"},
      {"AddCiphertextMaterial(bytes32 indexed ctHandle, uint256 keyId, bytes32 ciphertextDigest, "
       "bytes32 snsCiphertextDigest, address coprocessorTxSender)",
       "0x7249a80e5b91709d2170511b960e8a92e1d5849d200f320524dfffd8b50308f7"},
      {"ActivateKey(uint256 keyId, string[] kmsNodeStorageUrls, (uint8,bytes)[] keyDigests)",
       "0xeb85c26dbcad46b80a68a0f24cce7c2c90f0a1faded84184138839fc9e80a25b"},
      {"ActivateCrs(uint256 crsId, string[] kmsNodeStorageUrls, bytes crsDigest)",
       "0x2258b73faed33fb2e2ea454403bef974920caf682ab3a723484fcf67553b16a2"},
  };
  for (const auto& [decl, topic] : rows) {
    EXPECT_EQ(abi::Event::parse(decl).topic0().hex(), topic) << decl;
  }
}

TEST(Abi, EventLogs) {
  for (const json& v : vectors()["events"]) {
    const abi::Event e = abi::Event::parse(v["decl"].get<std::string>());
    EXPECT_EQ(e.signature(), v["signature"]);
    EXPECT_EQ(e.topic0().hex(), v["topic0"]);
    const std::vector<abi::Type> types =
        abi::Declaration::parse(v["decl"].get<std::string>()).types();
    std::vector<Hash32> topics;
    for (const json& t : v["topics"]) topics.push_back(Hash32::from_hex(t.get<std::string>()));
    const Bytes data = from_hex(v["data"].get<std::string>());
    // Decoded values: indexed non-value types come back as their topic (bytes32).
    std::vector<abi::Value> expected;
    for (std::size_t i = 0; i < types.size(); ++i) {
      const bool hashed = e.params()[i].indexed && !types[i].is_value_type();
      expected.push_back(hashed ? to_value(abi::Type::fixed_bytes(32), v["decoded"][i])
                                : to_value(types[i], v["decoded"][i]));
    }
    EXPECT_EQ(e.decode_log(topics, data), expected) << e.signature();
    const abi::Log log = e.encode_log(to_values(types, v["values"]));
    EXPECT_EQ(log.topics, topics) << e.signature();
    EXPECT_EQ(to_hex(log.data), v["data"]) << e.signature();
    // Wrong topic count, wrong topic0, dirty indexed word, truncated data.
    std::vector<Hash32> fewer(topics.begin(), topics.end() - 1);
    EXPECT_THROW(e.decode_log(fewer, data), AbiError);
    std::vector<Hash32> more = topics;
    more.push_back(Hash32{});
    EXPECT_THROW(e.decode_log(more, data), AbiError);
    std::vector<Hash32> other = topics;
    other[0].bytes[0] ^= 1;
    EXPECT_THROW(e.decode_log(other, data), AbiError);
    if (!data.empty()) {
      EXPECT_THROW(e.decode_log(topics, ByteView(data).first(31)), AbiError);
    }
    if (topics.size() > 1 && types[0] == abi::Type::address()) {
      std::vector<Hash32> dirty = topics;
      dirty[1].bytes[0] = 1;
      EXPECT_THROW(e.decode_log(dirty, data), AbiError);
    }
  }
}

TEST(Abi, DescribeRevert) {
  const abi::Function err = abi::Function::parse("Error(string)");
  EXPECT_EQ(abi::describe_revert(err.encode_call(std::vector{abi::Value::string("no\nway")})),
            "Error(string): no?way");
  const abi::Function panic = abi::Function::parse("Panic(uint256)");
  EXPECT_EQ(abi::describe_revert(panic.encode_call(std::vector{abi::Value::uint(0x11)})),
            "Panic(0x11)");
  EXPECT_EQ(abi::describe_revert(from_hex("0x08c379a0")), "0x08c379a0");
  EXPECT_EQ(abi::describe_revert(Bytes{}), "empty revert data");
}

// ---------------------------------------------------------------------------------------------
// secp256k1

std::array<uint8_t, 32> arr32(const json& j) {
  return Hash32::from_hex(j.get<std::string>()).bytes;
}

TEST(Secp256k1, KeysAndSignatures) {
  for (const json& k : vectors()["keys"]) {
    const PrivateKey key = PrivateKey::from_hex(k["private_key"].get<std::string>());
    EXPECT_EQ(to_hex(key.public_key().uncompressed()), k["public_key"]);
    EXPECT_EQ(key.address().checksum_hex(), k["address"]);
    EXPECT_EQ(PublicKey::parse(from_hex(k["public_key"].get<std::string>())), key.public_key());
    for (const json& s : k["signatures"]) {
      const Hash32 digest = Hash32::from_hex(s["digest"].get<std::string>());
      const Signature sig = key.sign(digest);
      EXPECT_EQ(to_hex(sig.r), s["r"]);
      EXPECT_EQ(to_hex(sig.s), s["s"]);
      EXPECT_EQ(27 + sig.recid, s["v"].get<int>());
      EXPECT_EQ(to_hex(sig.to_rsv()), s["rsv"]);
      EXPECT_EQ(Signature::from_rsv(from_hex(s["rsv"].get<std::string>())), sig);
      EXPECT_EQ(recover_address(digest, sig), key.address());
      EXPECT_EQ(recover_address(digest, arr32(s["r"]), arr32(s["s"]), s["v"].get<unsigned>()),
                key.address());
      // A different digest recovers someone else (or nobody).
      Hash32 other = digest;
      other.bytes[5] ^= 0x40;
      try {
        EXPECT_NE(recover_address(other, sig), key.address());
      } catch (const DecodeError&) {
      }
    }
  }
}

TEST(Secp256k1, RejectsBadKeysAndSignatures) {
  EXPECT_THROW(PrivateKey::from_hex(std::string(64, '0')), std::invalid_argument);
  EXPECT_THROW(
      PrivateKey::from_hex("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
      std::invalid_argument);  // n
  EXPECT_THROW(PrivateKey::from_hex("0x1234"), std::invalid_argument);
  try {
    PrivateKey::from_hex("0x" + std::string(63, '1') + "z");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("111"), std::string::npos) << "key echoed";
  }
  const PrivateKey key =
      PrivateKey::from_hex(vectors()["keys"][1]["private_key"].get<std::string>());
  const Hash32 digest = keccak(std::string_view("message"));
  const Signature sig = key.sign(digest);
  // The high-s twin (n - s, flipped parity) recovers the same key with ecrecover, but EIP-2 and
  // OpenZeppelin reject it.
  const U256 n = U256::parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  Signature high = sig;
  const U256 s_high = n - U256::from_be_bytes(sig.s);
  for (unsigned i = 0; i < 32; ++i) high.s[31 - i] = static_cast<uint8_t>(s_high.digit(i, 8));
  high.recid ^= 1;
  EXPECT_THROW(recover_address(digest, high), DecodeError);
  Signature zero = sig;
  zero.r = {};
  EXPECT_THROW(recover_address(digest, zero), DecodeError);
  Signature big = sig;
  big.r.fill(0xff);
  EXPECT_THROW(recover_address(digest, big), DecodeError);
  EXPECT_THROW(recover_address(digest, sig.r, sig.s, 2), DecodeError);
  const std::array<uint8_t, 65> rsv65 = sig.to_rsv();
  Bytes rsv(rsv65.begin(), rsv65.end());
  rsv[64] = 29;
  EXPECT_THROW(Signature::from_rsv(rsv), DecodeError);
  EXPECT_THROW(Signature::from_rsv(Bytes(64)), DecodeError);
  EXPECT_THROW(PublicKey::parse(Bytes(64, 0x01)), DecodeError);
  // Random keys sign and recover.
  const PrivateKey r = PrivateKey::random();
  EXPECT_EQ(recover_address(digest, r.sign(digest)), r.address());
}

TEST(Secp256k1, PersonalMessage) {
  const json& p = vectors()["personal"];
  EXPECT_EQ(personal_message_hash(from_hex(p["message"].get<std::string>())).hex(), p["hash"]);
}

// ---------------------------------------------------------------------------------------------
// EIP-1559 transactions

Eip1559Tx tx_of(const json& v) {
  Eip1559Tx t;
  t.chain_id = v["chain_id"].get<uint64_t>();
  t.nonce = U256::parse(v["nonce"].get<std::string>()).low();
  t.max_priority_fee_per_gas = U256::parse(v["max_priority_fee_per_gas"].get<std::string>());
  t.max_fee_per_gas = U256::parse(v["max_fee_per_gas"].get<std::string>());
  t.gas_limit = U256::parse(v["gas_limit"].get<std::string>()).low();
  if (!v["to"].is_null()) t.to = Address::from_hex(v["to"].get<std::string>());
  t.value = U256::parse(v["value"].get<std::string>());
  t.data = from_hex(v["data"].get<std::string>());
  for (const json& e : v["access_list"]) {
    AccessListEntry entry{Address::from_hex(e["address"].get<std::string>()), {}};
    for (const json& k : e["storage_keys"]) {
      entry.storage_keys.push_back(Hash32::from_hex(k.get<std::string>()));
    }
    t.access_list.push_back(entry);
  }
  return t;
}

TEST(Tx, Eip1559Vectors) {
  for (const json& v : vectors()["tx"]) {
    const Eip1559Tx t = tx_of(v);
    EXPECT_EQ(to_hex(t.signing_payload()), v["signing_payload"]);
    EXPECT_EQ(t.signing_hash().hex(), v["signing_hash"]);
    const PrivateKey key = PrivateKey::from_hex(v["signer_key"].get<std::string>());
    const SignedEip1559Tx s = sign(t, key);
    EXPECT_EQ(to_hex(s.raw()), v["raw"]);
    EXPECT_EQ(s.hash().hex(), v["hash"]);
    EXPECT_EQ(s.signature.recid, v["y_parity"].get<int>());
    EXPECT_EQ(s.sender().checksum_hex(), v["signer"]);
    const Bytes raw = from_hex(v["raw"].get<std::string>());
    const SignedEip1559Tx d = SignedEip1559Tx::decode(raw);
    EXPECT_EQ(d, s);
    EXPECT_EQ(d.sender(), key.address());
    for (std::size_t n = 0; n < raw.size(); ++n) {
      EXPECT_THROW(SignedEip1559Tx::decode(ByteView(raw).first(n)), DecodeError);
    }
  }
}

TEST(Tx, DecodeRejectsMalformed) {
  const Bytes raw = from_hex(vectors()["tx"][0]["raw"].get<std::string>());
  Bytes legacy = raw;
  legacy[0] = 0x01;
  EXPECT_THROW(SignedEip1559Tx::decode(legacy), DecodeError);
  // Eleven or thirteen fields.
  const rlp::Item top = rlp::decode(ByteView(raw).subspan(1));
  auto with_fields = [](std::vector<rlp::Item> f) {
    Bytes out{0x02};
    const Bytes body = rlp::encode(rlp::Item::list(std::move(f)));
    out.insert(out.end(), body.begin(), body.end());
    return out;
  };
  std::vector<rlp::Item> f = top.as_list();
  EXPECT_NO_THROW(SignedEip1559Tx::decode(with_fields(f)));
  std::vector<rlp::Item> g = f;
  g.pop_back();
  EXPECT_THROW(SignedEip1559Tx::decode(with_fields(g)), DecodeError);
  g = f;
  g.push_back(rlp::Item());
  EXPECT_THROW(SignedEip1559Tx::decode(with_fields(g)), DecodeError);
  g = f;
  g[9] = rlp::Item::uint(2);  // yParity
  EXPECT_THROW(SignedEip1559Tx::decode(with_fields(g)), DecodeError);
  g = f;
  g[5] = rlp::Item::bytes(Bytes(19));  // `to` of 19 bytes
  EXPECT_THROW(SignedEip1559Tx::decode(with_fields(g)), DecodeError);
  g = f;
  g[1] = rlp::Item::bytes(Bytes{0x00, 0x01});  // nonce with a leading zero
  EXPECT_THROW(SignedEip1559Tx::decode(with_fields(g)), DecodeError);
  g = f;
  g[10] = rlp::Item::uint(0);  // r = 0
  EXPECT_THROW(SignedEip1559Tx::decode(with_fields(g)), DecodeError);
  g = f;
  g[8] = rlp::Item::list({rlp::Item::list({rlp::Item::bytes(Bytes(20))})});  // entry not a pair
  EXPECT_THROW(SignedEip1559Tx::decode(with_fields(g)), DecodeError);
}

// ---------------------------------------------------------------------------------------------
// EIP-712

TEST(Eip712, CiphertextVerification) {
  EXPECT_EQ(keccak(eip712::CiphertextVerification::kEncodeType).hex(),
            "0x7572bd9d6960146795387efc75c1f9d948f0c5aa786c2bb453b4b150e49801b4");
  EXPECT_EQ(keccak(eip712::Domain::kEncodeType).hex(),
            "0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");
  for (const json& v : vectors()["eip712"]) {
    const json& d = v["domain"];
    const json& m = v["message"];
    EXPECT_EQ(d["name"], "InputVerification");
    const U256 gw_chain = U256(d["chainId"].get<uint64_t>());
    const Address verifying = Address::from_hex(d["verifyingContract"].get<std::string>());
    eip712::CiphertextVerification msg;
    for (const json& h : m["ctHandles"])
      msg.ct_handles.push_back(Hash32::from_hex(h.get<std::string>()));
    msg.user_address = Address::from_hex(m["userAddress"].get<std::string>());
    msg.contract_address = Address::from_hex(m["contractAddress"].get<std::string>());
    msg.contract_chain_id = U256::parse(m["contractChainId"].get<std::string>());
    msg.extra_data = from_hex(m["extraData"].get<std::string>());
    const Hash32 sep = eip712::input_verification_domain(gw_chain, verifying).separator();
    EXPECT_EQ(sep.hex(), v["domain_separator"]);
    EXPECT_EQ(msg.struct_hash().hex(), v["struct_hash"]);
    const Hash32 digest = eip712::ciphertext_verification_digest(gw_chain, verifying, msg);
    EXPECT_EQ(digest.hex(), v["digest"]);
    const PrivateKey key = PrivateKey::from_hex(v["signer_key"].get<std::string>());
    EXPECT_EQ(to_hex(key.sign(digest).to_rsv()), v["signature"]);
  }
}

TEST(Eip712, StructTypeIsStrict) {
  const auto t = eip712::StructType::parse(eip712::CiphertextVerification::kEncodeType);
  EXPECT_EQ(t.type_hash().hex(),
            "0x7572bd9d6960146795387efc75c1f9d948f0c5aa786c2bb453b4b150e49801b4");
  EXPECT_EQ(t.fields().size(), 5u);
  for (const char* bad : {"Mail(address to, string contents)", "Mail(address to,string)",
                          "Mail(uint to)", "Mail(address indexed to)", "Mail((uint256,bool) x)"}) {
    EXPECT_THROW(eip712::StructType::parse(bad), std::invalid_argument) << bad;
  }
  EXPECT_NO_THROW(eip712::StructType::parse("Mail(address to,string contents)"));
  EXPECT_THROW(t.hash_struct(std::vector<abi::Value>{}), std::invalid_argument);
}

}  // namespace
}  // namespace chain
