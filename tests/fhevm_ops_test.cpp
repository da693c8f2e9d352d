// FHEVM-specific operators on the toy set, against the plain reference: MulDiv (every allowed
// type, edge values), TrivialEncrypt's byte rules (every type), OPRF random values (every type:
// block layout, range, determinism).
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "fhe/integer.h"
#include "fhe/keys.h"
#include "integer_ref.h"
#include "test_util.h"

namespace fhe {
namespace {

using CT = integer::Ciphertext;

struct Keys {
  ClientKey ck;
  ServerKey sk;
};

const Keys& toy_keys() {
  static Keys* k = [] {
    allow_insecure(true);
    auto* x = new Keys{generate_client_key(kToyInsecure, 81), {}};
    x->sk = generate_server_key(x->ck, 82);
    return x;
  }();
  return *k;
}

std::vector<uint8_t> be32(const U256& x) {
  std::vector<uint8_t> out(32);
  for (int i = 0; i < 32; ++i) out[31 - i] = static_cast<uint8_t>(x.w[i / 8] >> (8 * (i % 8)));
  return out;
}

TEST(FhevmOps, MulDivEdgeValues) {
  const Keys& k = toy_keys();
  integer::Engine e(k.sk);
  Csprng mask(1), noise(2), rng(test::test_seed(3));
  // uint8: edge values and a random case, encrypted and scalar factor; uint16: one case (a
  // 32-bit division is about 5k PBS).
  for (uint32_t bits : {8u, 16u}) {
    const FheType t = FheType::uint(bits);
    const U256 max = U256::max().truncate(bits);
    std::vector<std::array<U256, 3>> cases = {{max, max, max - U256{2}}};
    if (bits == 8) {
      cases.push_back({max, max, U256{1}});
      cases.push_back({U256{0}, max, U256{3}});
      cases.push_back({U256{rng.next_u64()}.truncate(bits), U256{rng.next_u64()}.truncate(bits),
                       U256{rng.next_u64() | 1}.truncate(bits)});
    }
    for (const auto& [a, b, d] : cases) {
      const CT ca = integer::encrypt(k.ck, t, a, mask, noise);
      U256 q, r;
      U256::divmod(a * b, d, q, r);
      const std::string what =
          t.name() + " " + a.to_string() + "*" + b.to_string() + "/" + d.to_string();
      if (bits == 8) {
        const CT cb = integer::encrypt(k.ck, t, b, mask, noise);
        EXPECT_EQ(integer::decrypt(k.ck, integer::mul_div(e, ca, cb, d)), q.truncate(bits)) << what;
      }
      // Scalar factor (FHEVM scalarByte 0x03).
      const CT tb = integer::trivial(kToyInsecure, t, b);
      EXPECT_EQ(integer::decrypt(k.ck, integer::mul_div(e, ca, tb, d)), q.truncate(bits)) << what;
    }
    const CT z = integer::encrypt(k.ck, t, U256{1}, mask, noise);
    EXPECT_THROW(integer::mul_div(e, z, z, U256{1} << bits), integer::IntegerError);  // 0
  }
  const CT w = integer::trivial(kToyInsecure, FheType::uint(128), U256{1});
  EXPECT_THROW(integer::mul_div(e, w, w, U256{1}), integer::IntegerError);
}

TEST(FhevmOps, TrivialEncryptByteRulesEveryType) {
  const Keys& k = toy_keys();
  const U256 v = U256::parse("0xfedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543200");
  for (const char* name : {"bool", "uint2", "uint4", "uint8", "uint16", "uint32", "uint64",
                           "uint128", "uint160", "uint256"}) {
    const FheType t = parse_fhe_type(name);
    const CT c = integer::trivial_encrypt_fhevm(kToyInsecure, t, be32(v));
    EXPECT_EQ(c.blocks.size(), t.num_blocks());
    EXPECT_EQ(integer::decrypt(k.ck, c), t.is_bool ? U256{0} : v.truncate(t.bits)) << name;
  }
  const uint8_t one_then_zero[2] = {1, 0};  // 256: a bool is false (last byte), not true
  EXPECT_EQ(integer::decrypt(k.ck, integer::trivial_encrypt_fhevm(kToyInsecure, FheType::boolean(),
                                                                  one_then_zero)),
            U256{0});
  const uint8_t three[1] = {3};
  EXPECT_EQ(integer::decrypt(
                k.ck, integer::trivial_encrypt_fhevm(kToyInsecure, FheType::boolean(), three)),
            U256{1});
}

TEST(FhevmOps, RandEveryTypeAndBound) {
  const Keys& k = toy_keys();
  const u128 seed = test::test_seed(11);
  for (const char* name :
       {"bool", "uint4", "uint8", "uint16", "uint32", "uint64", "uint128", "uint160", "uint256"}) {
    const FheType t = parse_fhe_type(name);
    uint64_t pbs = 0;
    const CT r = integer::random(k.sk, t, seed, t.bits, &pbs);
    EXPECT_EQ(r.blocks.size(), t.num_blocks());
    EXPECT_EQ(pbs, t.num_blocks()) << name;
    const U256 v = integer::decrypt(k.ck, r);
    EXPECT_LE(v.bit_width(), t.bits) << name;
    EXPECT_EQ(integer::decrypt(k.ck, integer::random(k.sk, t, seed, t.bits)), v) << name;
    if (t.is_bool) continue;
    // RandBounded with upper bound 2^(bits-3): 3 fewer random bits, trivial zero blocks above.
    const uint64_t rb = integer::random_bits_for_bound(be32(U256{1} << (t.bits - 3)), t);
    EXPECT_EQ(rb, t.bits - 3);
    const U256 b = integer::decrypt(k.ck, integer::random(k.sk, t, seed, rb));
    EXPECT_LE(b.bit_width(), rb) << name;
  }
}

}  // namespace
}  // namespace fhe
