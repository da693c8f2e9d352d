// List compression (fhe/compression.h) and OPRF (fhe/oprf.h, integer::random) on the toy set,
// with one real-parameter check of each under the "real" label.
#include "fhe/compression.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "fhe/cpk.h"
#include "fhe/integer.h"
#include "fhe/keys.h"
#include "fhe/native_format.h"
#include "fhe/oprf.h"
#include "fhe/shortint.h"
#include "fhe/threads.h"
#include "test_util.h"

namespace fhe {
namespace {

struct Keys {
  ClientKey ck;
  ServerKey sk;
};

const Keys& keys(const ShortintParams& p) {
  static std::map<const ShortintParams*, std::unique_ptr<Keys>> cache;
  auto& k = cache[&p];
  if (!k) {
    allow_insecure(true);
    k = std::make_unique<Keys>();
    k->ck = generate_client_key(p, 71);
    Csprng secret(72);
    add_meta_keys(k->ck, secret);
    k->sk = generate_server_key(k->ck, 73);
  }
  return *k;
}

TEST(Compression, PackIntegersRoundTrip) {
  Csprng rng(test::test_seed(5));
  for (uint32_t log : {1u, 11u, 12u, 13u, 63u, 64u}) {
    for (std::size_t count : {0u, 1u, 5u, 64u, 1037u}) {
      std::vector<uint64_t> v(count);
      for (auto& x : v)
        x = log == 64 ? rng.next_u64() : rng.next_u64() & ((uint64_t{1} << log) - 1);
      const auto packed = shortint::pack_integers(v, log);
      EXPECT_EQ(packed.size(), (count * log + 63) / 64);
      EXPECT_EQ(shortint::unpack_integers(packed, log, count), v) << log << " " << count;
    }
  }
  // LSB first: element e at bits [12e, 12e + 12).
  const std::vector<uint64_t> v{0xABC, 0x123, 0xFFF, 0x001, 0x456, 0x789};
  const auto packed = shortint::pack_integers(v, 12);
  EXPECT_EQ(packed[0] & 0xFFFFFF, 0x123ABCu);
  EXPECT_EQ(packed[0] >> 60, 0x9u);  // low 4 bits of element 5 (0x789)
  EXPECT_EQ(packed[1], 0x78u);
}

void round_trip(const ShortintParams& p, std::size_t count, uint64_t seed) {
  const Keys& k = keys(p);
  Csprng rng(test::test_seed(seed)), mask(seed + 1), noise(seed + 2);
  shortint::Evaluator ev(k.sk);
  const auto id = shortint::make_lut(p, [](uint64_t x) { return x % 4; });
  std::vector<shortint::Ciphertext> blocks;
  std::vector<uint64_t> want;
  for (std::size_t i = 0; i < count; ++i) {
    want.push_back(rng.next_byte() % 4);
    auto c = shortint::encrypt(k.ck, want.back(), mask, noise);
    // Alternate fresh encryptions and PBS outputs (the usual case).
    blocks.push_back(i % 2 ? ev.apply_lut(c, id) : c);
  }
  const shortint::CompressedBlocks list = shortint::compress(k.sk, blocks);
  ASSERT_EQ(list.size(), count);
  ASSERT_EQ(list.glwes.size(), (count + 255) / 256);
  for (std::size_t i = 0; i < count; ++i) {
    const shortint::Ciphertext d = shortint::decompress(ev, list, i);
    EXPECT_EQ(d.degree, 3u);
    EXPECT_EQ(d.noise_level, 1u);
    ASSERT_EQ(shortint::decrypt(k.ck, d), want[i]) << "block " << i;
    // Still a valid PBS input.
    EXPECT_EQ(shortint::decrypt(k.ck, ev.apply_lut(d, id)), want[i]);
  }
}

TEST(Compression, ToyRoundTripAcrossGlwes) {
  round_trip(kToyInsecure, 300, 11);
}

TEST(Compression, ToyRejectsCarriesAndNoise) {
  const Keys& k = keys(kToyInsecure);
  Csprng mask(1), noise(2);
  shortint::Evaluator ev(k.sk);
  auto a = shortint::encrypt(k.ck, 3, mask, noise);
  const std::vector<shortint::Ciphertext> carry{ev.add(a, a)};
  EXPECT_THROW(shortint::compress(k.sk, carry), shortint::ShortintError);
  auto z = shortint::encrypt(k.ck, 0, mask, noise);
  const std::vector<shortint::Ciphertext> noisy{ev.add(z, z)};  // degree 3, noise 2
  EXPECT_THROW(shortint::compress(k.sk, noisy), shortint::ShortintError);
  const auto list = shortint::compress(k.sk, std::vector<shortint::Ciphertext>{a});
  EXPECT_THROW(shortint::decompress(ev, list, 1), shortint::ShortintError);
}

TEST(Compression, ToyIdenticalForAnyThreadCount) {
  const Keys& k = keys(kToyInsecure);
  Csprng mask(3), noise(4);
  std::vector<shortint::Ciphertext> blocks;
  for (int i = 0; i < 40; ++i) blocks.push_back(shortint::encrypt(k.ck, i % 4, mask, noise));
  set_thread_count(1);
  const auto one = shortint::compress(k.sk, blocks);
  set_thread_count(3);
  const auto three = shortint::compress(k.sk, blocks);
  set_thread_count(0);
  ASSERT_EQ(one.glwes.size(), three.glwes.size());
  EXPECT_EQ(one.glwes[0].packed, three.glwes[0].packed);
}

TEST(CompressionReal, RoundTrip) {
  round_trip(kFhevmCompute, 10, 21);
}

// ---- Re-randomization through the server key, and the keys' native format ----

TEST(Rerand, ToyOperationInputsKeepTheirValues) {
  const Keys& k = keys(kToyInsecure);
  ASSERT_TRUE(k.sk.cpk && k.sk.rerand_ksk);
  Csprng mask(5), noise(6);
  const auto a = integer::encrypt(k.ck, FheType::uint(8), 201, mask, noise);
  const auto b = integer::encrypt(k.ck, FheType::uint(8), 77, mask, noise);
  auto ctx = shortint::fhevm_operation_context(0);  // FheAdd
  ctx.add_ciphertext(a.blocks);
  ctx.add_ciphertext(b.blocks);
  auto seeds = ctx.finalize();
  auto ra = a, rb = b;
  shortint::rerandomize(ra.blocks, k.sk, seeds.next_seed());
  shortint::rerandomize(rb.blocks, k.sk, seeds.next_seed());
  EXPECT_NE(ra.blocks[0].ct.data, a.blocks[0].ct.data);
  EXPECT_EQ(integer::decrypt(k.ck, ra).low(), 201u);
  EXPECT_EQ(integer::decrypt(k.ck, rb).low(), 77u);
  integer::Engine e(k.sk);
  EXPECT_EQ(integer::decrypt(k.ck, e.add(ra, rb)).low(), (201u + 77u) % 256u);
  // Same inputs, same seeds: same bytes.
  auto ctx2 = shortint::fhevm_operation_context(0);
  ctx2.add_ciphertext(a.blocks);
  ctx2.add_ciphertext(b.blocks);
  auto seeds2 = ctx2.finalize();
  auto ra2 = a;
  shortint::rerandomize(ra2.blocks, k.sk, seeds2.next_seed());
  for (std::size_t i = 0; i < ra.blocks.size(); ++i)
    EXPECT_EQ(ra.blocks[i].ct.data, ra2.blocks[i].ct.data);
}

TEST(Rerand, ToyKeysSurviveTheNativeFormat) {
  const Keys& k = keys(kToyInsecure);
  const ServerKeyMaterial m = generate_server_key_material(k.ck, 73);
  const ClientKey ck2 = native::deserialize_client_key(native::serialize_client_key(k.ck));
  ASSERT_TRUE(ck2.compression && ck2.cpk && ck2.oprf_lwe);
  EXPECT_EQ(ck2.compression->bits, k.ck.compression->bits);
  EXPECT_EQ(ck2.cpk->bits, k.ck.cpk->bits);
  const auto bytes = native::serialize_server_key(m);
  const ServerKey sk2 = make_server_key(native::deserialize_server_key(bytes));
  ASSERT_TRUE(sk2.oprf_bsk && sk2.packing_ksk && sk2.decompression_bsk && sk2.cpk &&
              sk2.rerand_ksk);
  EXPECT_EQ(sk2.packing_ksk->data, k.sk.packing_ksk->data);
  EXPECT_EQ(sk2.cpk->b, k.sk.cpk->b);
  Csprng mask(7), noise(8);
  const std::vector<shortint::Ciphertext> blocks{shortint::encrypt(k.ck, 2, mask, noise)};
  shortint::Evaluator ev(sk2);
  EXPECT_EQ(shortint::decrypt(k.ck, shortint::decompress(ev, shortint::compress(sk2, blocks), 0)),
            2u);
}

// ---- OPRF ----

TEST(Oprf, InputsFollowTheSeedAndDescriptor) {
  const uint8_t seed[16] = {1, 2, 3};
  const auto a = shortint::oprf_inputs(seed, 8, 2, 918, 12);
  const auto b = shortint::oprf_inputs(seed, 8, 2, 918, 12);
  ASSERT_EQ(a.blocks.size(), 4u);
  EXPECT_EQ(a.last_block_bits, 2u);
  EXPECT_EQ(a.blocks, b.blocks);
  for (const auto& blk : a.blocks) {
    EXPECT_EQ(blk.back(), 0u);  // body
    for (uint32_t v : blk) EXPECT_LT(v, 4096u);
  }
  EXPECT_NE(a.blocks[0], a.blocks[1]);
  const auto c = shortint::oprf_inputs(seed, 7, 2, 918, 12);  // other descriptor
  EXPECT_EQ(c.last_block_bits, 1u);
  EXPECT_NE(c.blocks[0], a.blocks[0]);
  EXPECT_TRUE(shortint::oprf_inputs(seed, 0, 2, 918, 12).blocks.empty());
}

TEST(Oprf, ToyValuesAreInRangeDeterministicAndSpread) {
  const Keys& k = keys(kToyInsecure);
  const u128 base = test::test_seed(77);
  std::vector<int> hist(8, 0);
  for (u128 s = 0; s < 160; ++s) {
    uint64_t pbs = 0;
    const auto ct = integer::random(k.sk, FheType::uint(8), base + s, 3, &pbs);
    EXPECT_EQ(pbs, 2u);  // 2 + 1 bits
    ASSERT_EQ(ct.blocks.size(), 4u);
    EXPECT_EQ(ct.blocks[0].degree, 3u);
    EXPECT_EQ(ct.blocks[1].degree, 1u);
    EXPECT_EQ(ct.blocks[2].noise_level, 0u);  // trivial zero
    const U256 v = integer::decrypt(k.ck, ct);
    ASSERT_LT(v.low(), 8u);
    hist[v.low()]++;
  }
  // 160 draws over 8 values: each expected 20; a generous band (a broken table gives 0 or 160).
  for (int c : hist) {
    EXPECT_GT(c, 5);
    EXPECT_LT(c, 40);
  }
  const auto x = integer::random(k.sk, FheType::uint(16), base, 16);
  const auto y = integer::random(k.sk, FheType::uint(16), base, 16);
  for (std::size_t i = 0; i < x.blocks.size(); ++i)
    EXPECT_EQ(x.blocks[i].ct.data, y.blocks[i].ct.data);
  EXPECT_EQ(integer::decrypt(k.ck, x), integer::decrypt(k.ck, y));
  int ones = 0;
  for (u128 s = 0; s < 64; ++s) {
    const auto b = integer::random(k.sk, FheType::boolean(), base + s, 1);
    EXPECT_EQ(b.blocks[0].degree, 1u);
    ones += integer::decrypt(k.ck, b).low() == 1;
  }
  EXPECT_GT(ones, 12);
  EXPECT_LT(ones, 52);
}

TEST(Oprf, BoundBits) {
  const uint8_t b256[2] = {1, 0};  // 256 big endian
  EXPECT_EQ(integer::random_bits_for_bound(b256, FheType::uint(16)), 8u);
  EXPECT_EQ(integer::random_bits_for_bound(b256, FheType::uint(4)), 4u);
  const uint8_t b8[1] = {8};
  EXPECT_EQ(integer::random_bits_for_bound(b8, FheType::uint(64)), 3u);
  const uint8_t zero[2] = {0, 0};
  EXPECT_EQ(integer::random_bits_for_bound(zero, FheType::uint(8)), 8u);
  EXPECT_THROW(integer::random_bits_for_bound({}, FheType::uint(8)), integer::IntegerError);
}

TEST(OprfReal, Uint8InRange) {
  const Keys& k = keys(kFhevmCompute);
  ASSERT_TRUE(k.sk.oprf_bsk.has_value());
  const auto ct = integer::random(k.sk, FheType::uint(8), test::test_seed(3), 8);
  EXPECT_LT(integer::decrypt(k.ck, ct).low(), 256u);
}

// Every FHEVM type: re-randomized (values kept, bytes changed), compressed, decompressed.
TEST(Rerand, ToyEveryTypeRerandomizeCompressDecompress) {
  const Keys& k = keys(kToyInsecure);
  Csprng mask(11), noise(12), rng(test::test_seed(13));
  for (const char* name :
       {"bool", "uint4", "uint8", "uint16", "uint32", "uint64", "uint128", "uint160", "uint256"}) {
    const FheType t = parse_fhe_type(name);
    U256 v;
    for (auto& w : v.w) w = rng.next_u64();
    v = t.is_bool ? U256{v.low() & 1} : v.truncate(t.bits);
    const auto ct = integer::encrypt(k.ck, t, v, mask, noise);
    auto r = ct;
    auto ctx = shortint::fhevm_operation_context(21);
    ctx.add_ciphertext(r.blocks);
    auto seeds = ctx.finalize();
    shortint::rerandomize(r.blocks, k.sk, seeds.next_seed());
    EXPECT_NE(r.blocks[0].ct.data, ct.blocks[0].ct.data) << name;
    EXPECT_EQ(integer::decrypt(k.ck, r), v) << name;
    integer::Ciphertext back{t, shortint::decompress_all(k.sk, shortint::compress(k.sk, r.blocks))};
    if (t.is_bool) back.blocks[0].degree = 1;
    EXPECT_EQ(integer::decrypt(k.ck, back), v) << name;
  }
}

}  // namespace
}  // namespace fhe
