// Compact public key encryption, expansion, the PKE -> big keyswitching key and re-randomization
// (fhe/cpk.h) on the INSECURE toy set, plus one run on the FHEVM parameters.
#include "fhe/cpk.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fhe/hash.h"
#include "fhe/keys.h"
#include "fhe/shortint.h"
#include "test_util.h"

namespace fhe {
namespace {

using shortint::Ciphertext;

// Schoolbook reference of lhs(X) * rev(rhs)(X) mod X^n + 1.
std::vector<uint64_t> reference_convolution(const std::vector<uint64_t>& lhs,
                                            const std::vector<uint64_t>& rhs) {
  const std::size_t n = lhs.size();
  std::vector<uint64_t> out(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const uint64_t prod = lhs[i] * rhs[n - 1 - j];
      if (i + j < n) {
        out[i + j] += prod;
      } else {
        out[i + j - n] -= prod;
      }
    }
  }
  return out;
}

uint64_t decode(uint64_t phase, uint64_t delta, uint64_t modulus) {
  return ((phase + delta / 2) / delta) % modulus;
}

std::size_t hamming_weight(const LweSecretKey& k) {
  std::size_t h = 0;
  for (uint64_t b : k.bits) h += b;
  return h;
}

TEST(CpkCore, ConvolutionKnownAnswer) {
  // (1 + 2X + 3X^2 + 4X^3) * (8 + 7X + 6X^2 + 5X^3) mod X^4 + 1 = -48 - 16X + 24X^2 + 70X^3.
  const uint64_t lhs[4] = {1, 2, 3, 4}, rhs[4] = {5, 6, 7, 8};
  uint64_t out[4];
  semi_reverse_negacyclic_convolution(out, lhs, rhs, 4);
  EXPECT_EQ(static_cast<int64_t>(out[0]), -48);
  EXPECT_EQ(static_cast<int64_t>(out[1]), -16);
  EXPECT_EQ(out[2], 24u);
  EXPECT_EQ(out[3], 70u);
}

TEST(CpkCore, ConvolutionMatchesSchoolbook) {
  Csprng rng(test::test_seed(1));
  for (std::size_t n : {8u, 64u, 512u}) {
    std::vector<uint64_t> a(n), s(n), out(n);
    rng.fill_uniform(a);
    rng.fill_binary(s);
    semi_reverse_negacyclic_convolution(out.data(), a.data(), s.data(), n);
    EXPECT_EQ(out, reference_convolution(a, s)) << "n=" << n;
    rng.fill_uniform(s);  // non-binary right-hand side too
    semi_reverse_negacyclic_convolution(out.data(), a.data(), s.data(), n);
    EXPECT_EQ(out, reference_convolution(a, s)) << "n=" << n;
  }
}

TEST(CpkCore, GenerationDrawsAndRelation) {
  Csprng secret(test::test_seed(2));
  const LweSecretKey s = generate_lwe_key(kToyCpk.encryption_lwe_dimension, secret);
  Csprng mask(3), noise(4);
  const CompactPublicKey pk = generate_compact_public_key(s, kToyCpk, mask, noise);
  const std::size_t n = kToyCpk.encryption_lwe_dimension;
  EXPECT_EQ(mask.bytes_consumed(), 8 * n);
  EXPECT_EQ(noise.bytes_consumed(), Csprng::tuniform_bytes(17) * n);
  // a is the first n uniform words of the mask stream; b - a (*) s is the noise stream's draws.
  Csprng mask2(3), noise2(4);
  std::vector<uint64_t> a(n), e(n, 0);
  mask2.fill_uniform(a);
  noise2.fill_tuniform_add(e, kToyCpk.encryption_noise);
  EXPECT_EQ(pk.a, a);
  std::vector<uint64_t> as(n);
  semi_reverse_negacyclic_convolution(as.data(), a.data(), s.bits.data(), n);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(pk.b[i] - as[i], e[i]) << i;
  EXPECT_EQ(pk.params, &kToyCpk);
  EXPECT_THROW(generate_compact_public_key(LweSecretKey{}, kToyCpk, mask, noise), ParamError);
}

std::vector<uint8_t> read_fixture(const char* name) {
  std::ifstream f(std::string(FHE_TEST_DATA_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(f.good()) << name;
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

uint64_t le64(const std::vector<uint8_t>& b, std::size_t off) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[off + static_cast<std::size_t>(i)];
  return v;
}

// The u64 vector of a safe_serialize blob that is prefixed by its length `len` and followed by
// u32 0 (a version tag) and the u64 `next` (reference/tfhe-rs.md §5.5-5.6).
std::vector<uint64_t> find_vec(const std::vector<uint8_t>& b, uint64_t len, uint64_t next) {
  for (std::size_t off = 0; off + 8 + len * 8 + 12 <= b.size(); ++off) {
    const std::size_t end = off + 8 + len * 8;
    if (le64(b, off) == len && b[end] == 0 && b[end + 1] == 0 && b[end + 2] == 0 &&
        b[end + 3] == 0 && le64(b, end + 4) == next) {
      std::vector<uint64_t> w(len);
      for (std::size_t i = 0; i < len; ++i) w[i] = le64(b, off + 8 + 8 * i);
      return w;
    }
  }
  ADD_FAILURE() << "vector of " << len << " words not found";
  return {};
}

// Known answer from node-tfhe@1.7.0 (tests/data/make_cpk_fixtures.js; TFHE-rs 1.6.3 has the same
// CPK encryption code): a seeded packed list equals ours byte for byte -- r / e1 / e2 draw order,
// XofSeed(seed, "TFHE_Enc"), the convolutions and the shortint encoding.
TEST(TfhersCpk, SeededListMatchesNodeTfhe) {
  const std::vector<uint8_t> cpk_bytes = read_fixture("cpk_fhevm.bin");
  const std::vector<uint8_t> list_bytes = read_fixture("cpk_list_seeded.bin");
  // CPK: data = [a | b] (a k=1, N=2048 GLWE), then PolynomialSize V0 2048.
  const std::vector<uint64_t> ab = find_vec(cpk_bytes, 4096, 2048);
  ASSERT_EQ(ab.size(), 4096u);
  CompactPublicKey pk;
  pk.params = &kFhevmCpk;
  pk.a.assign(ab.begin(), ab.begin() + 2048);
  pk.b.assign(ab.begin() + 2048, ab.end());
  // List: one mask (2048) + 7 bodies, then LweSize V0 2049.
  const std::vector<uint64_t> data = find_vec(list_bytes, 2048 + 7, 2049);
  ASSERT_EQ(data.size(), 2055u);
  // Blocks (2 bits, LSB first) of 0xB4, 0x1234, true, packed in pairs low + 4 * high.
  const std::vector<uint64_t> packed = {4, 11, 4, 3, 2, 1, 1};
  uint8_t seed[32];
  for (int i = 0; i < 32; ++i) seed[i] = static_cast<uint8_t>(7 * i + 1);
  const LweCompactCiphertextList mine = encrypt_compact_messages_seeded(pk, packed, 16, seed);
  ASSERT_EQ(mine.masks.size() + mine.bodies.size(), data.size());
  EXPECT_TRUE(std::equal(mine.masks.begin(), mine.masks.end(), data.begin()));
  EXPECT_TRUE(std::equal(mine.bodies.begin(), mine.bodies.end(), data.begin() + 2048));
}

class ToyCpk : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    allow_insecure(true);
    ck_ = new ClientKey(generate_client_key(kToyInsecure, 31));
    Csprng secret(32);
    cpk_sk_ = new LweSecretKey(generate_lwe_key(kToyCpk.encryption_lwe_dimension, secret));
    Csprng mask(33), noise(34);
    cpk_ = new CompactPublicKey(generate_compact_public_key(*cpk_sk_, kToyCpk, mask, noise));
    Csprng kmask(35), knoise(36);
    ksk_ = new LweKeyswitchKey(
        generate_cpk_keyswitch_key(*cpk_sk_, *ck_, kFhevmRerandKsk, kmask, knoise));
  }
  static void TearDownTestSuite() {
    delete ksk_;
    delete cpk_;
    delete cpk_sk_;
    delete ck_;
  }
  // Fresh encryptions of m_i under the big key.
  static std::vector<Ciphertext> encrypt_blocks(const std::vector<uint64_t>& ms, u128 seed) {
    Csprng mask(seed), noise(seed + 1);
    std::vector<Ciphertext> out;
    for (uint64_t m : ms) out.push_back(shortint::encrypt(*ck_, m, mask, noise));
    return out;
  }
  static shortint::ReRandomizationSeed seed_of(uint8_t v) {
    shortint::ReRandomizationSeed s;
    s.bytes.fill(v);
    s.public_encryption_domain = {'T', 'F', 'H', 'E', '_', 'E', 'n', 'c'};
    return s;
  }
  static ClientKey* ck_;
  static LweSecretKey* cpk_sk_;
  static CompactPublicKey* cpk_;
  static LweKeyswitchKey* ksk_;
};
ClientKey* ToyCpk::ck_ = nullptr;
LweSecretKey* ToyCpk::cpk_sk_ = nullptr;
CompactPublicKey* ToyCpk::cpk_ = nullptr;
LweKeyswitchKey* ToyCpk::ksk_ = nullptr;

TEST_F(ToyCpk, ListEncryptsAndExpands) {
  const uint64_t delta = (uint64_t{1} << 63) / 16;
  Csprng msg_rng(test::test_seed(40));
  const std::size_t n = kToyCpk.encryption_lwe_dimension;
  for (std::size_t count : {std::size_t{1}, std::size_t{37}, n, n + 1, 2 * n + 76}) {
    std::vector<uint64_t> ms(count);
    for (auto& m : ms) m = msg_rng.next_u64() % 16;
    Csprng rng(41 + count);
    const LweCompactCiphertextList list = encrypt_compact_messages(*cpk_, ms, 16, rng);
    const std::size_t bins = (count + n - 1) / n;
    ASSERT_EQ(list.bin_count(), bins);
    ASSERT_EQ(list.count(), count);
    // Draws: bins*n bits (8 per byte), bins*n mask noises, count body noises, 3 bytes each.
    EXPECT_EQ(rng.bytes_consumed(), bins * n / 8 + 3 * (bins * n) + 3 * count);
    const std::vector<LweCiphertext> lwes = expand_compact_list(list);
    ASSERT_EQ(lwes.size(), count);
    for (std::size_t i = 0; i < count; ++i) {
      ASSERT_EQ(lwes[i].dimension(), n);
      const uint64_t phase = lwe_phase(*cpk_sk_, lwes[i]);
      ASSERT_EQ(decode(phase, delta, 32), ms[i]) << "count=" << count << " i=" << i;
      // The noise is small: TUniform(17) sums over about n terms.
      const int64_t err = static_cast<int64_t>(phase - ms[i] * delta);
      ASSERT_LT(std::llabs(err), int64_t{1} << 30) << i;
    }
  }
  Csprng unused(1);
  EXPECT_THROW(encrypt_compact_messages(*cpk_, std::vector<uint64_t>{1}, 17, unused), ParamError);
}

TEST_F(ToyCpk, EncryptionUsesOneStreamInOrder) {
  // Recompute one bin by hand from a copy of the stream: r bits, then e1, then e2.
  const std::size_t n = kToyCpk.encryption_lwe_dimension;
  const std::vector<uint64_t> pts = {5, 6, 7};
  Csprng rng(50), copy(50);
  const LweCompactCiphertextList list = encrypt_compact_list(*cpk_, pts, rng);
  std::vector<uint64_t> r(n), e1(n, 0), e2(3, 0);
  for (std::size_t i = 0; i < n; i += 8) {
    const uint8_t byte = copy.next_byte();
    for (std::size_t k = 0; k < 8; ++k) r[i + k] = (byte >> k) & 1;
  }
  copy.fill_tuniform_add(e1, kToyCpk.encryption_noise);
  copy.fill_tuniform_add(e2, kToyCpk.encryption_noise);
  std::vector<uint64_t> mask(n), conv(n);
  semi_reverse_negacyclic_convolution(mask.data(), cpk_->a.data(), r.data(), n);
  for (std::size_t i = 0; i < n; ++i) mask[i] += e1[i];
  EXPECT_EQ(list.masks, mask);
  semi_reverse_negacyclic_convolution(conv.data(), cpk_->b.data(), r.data(), n);
  for (std::size_t j = 0; j < 3; ++j) EXPECT_EQ(list.bodies[j], conv[n - 1 - j] + e2[j] + pts[j]);
}

TEST_F(ToyCpk, KeyswitchKeyIsPlainKskUnderBigKey) {
  Csprng m1(35), n1(36);
  const LweKeyswitchKey plain = generate_keyswitch_key(*cpk_sk_, ck_->big_lwe(), kFhevmRerandKsk.ks,
                                                       kToyInsecure.glwe_noise, m1, n1);
  EXPECT_EQ(plain.data, ksk_->data);
  EXPECT_EQ(ksk_->input_dimension, kToyCpk.encryption_lwe_dimension);
  EXPECT_EQ(ksk_->output_dimension, kToyInsecure.big_lwe_dimension());
  // A CPK encryption keyswitched to the big key decrypts there.
  const uint64_t delta = kToyInsecure.delta();
  Csprng rng(37);
  const std::vector<uint64_t> ms = {0, 1, 2, 3, 9, 15};
  const LweCompactCiphertextList list = encrypt_compact_messages(*cpk_, ms, 16, rng);
  for (std::size_t i = 0; i < ms.size(); ++i) {
    LweCiphertext out(ksk_->output_dimension);
    keyswitch(*ksk_, expand_compact_list_entry(list, i), out);
    EXPECT_EQ(decode(lwe_phase(ck_->big_lwe(), out), delta, 32), ms[i]);
  }
}

TEST(ReRandomizationContext, SeedDerivation) {
  allow_insecure(true);
  const ClientKey ck = generate_client_key(kToyInsecure, 60);
  Csprng mask(61), noise(62);
  std::vector<Ciphertext> x, y;
  for (uint64_t m : {1, 2, 3}) x.push_back(shortint::encrypt(ck, m, mask, noise));
  y.push_back(shortint::encrypt(ck, 0, mask, noise));
  const uint8_t meta_x[] = {0xAA, 0xBB}, meta_y[] = {0xCC};

  shortint::ReRandomizationContext ctx = shortint::fhevm_operation_context(0x01020304);
  ctx.add_ciphertext(x, meta_x);
  ctx.add_ciphertext(y, meta_y);
  shortint::ReRandomizationSeedGen gen = ctx.finalize();

  // Expected: BLAKE3("TFHE_Rrd" || x coefficients || y coefficients || meta_x || meta_y ||
  // opcode BE || LE8(i)); all ciphertext data precedes all metadata.
  Blake3 h;
  const uint8_t dom[] = {'T', 'F', 'H', 'E', '_', 'R', 'r', 'd'};
  h.update(dom);
  auto absorb = [&](const std::vector<Ciphertext>& v) {
    for (const Ciphertext& c : v) {
      for (uint64_t w : c.ct.data) {
        uint8_t le[8];
        for (int i = 0; i < 8; ++i) le[i] = static_cast<uint8_t>(w >> (8 * i));
        h.update(le);
      }
    }
  };
  absorb(x);
  absorb(y);
  h.update(meta_x);
  h.update(meta_y);
  const uint8_t fn[] = {1, 2, 3, 4};
  h.update(fn);
  for (uint64_t i = 0; i < 2; ++i) {
    Blake3 hi = h;
    uint8_t le[8];
    for (int k = 0; k < 8; ++k) le[k] = static_cast<uint8_t>(i >> (8 * k));
    hi.update(le);
    const shortint::ReRandomizationSeed s = gen.next_seed();
    EXPECT_EQ(s.bytes, hi.finalize()) << "seed " << i;
    const std::array<char, 8> enc = {'T', 'F', 'H', 'E', '_', 'E', 'n', 'c'};
    EXPECT_EQ(s.public_encryption_domain, enc);
  }
  // One seed per added ciphertext, no more.
  EXPECT_EQ(gen.remaining(), 0u);
  EXPECT_THROW(gen.next_seed(), shortint::ShortintError);
  // Finalizing again gives the same seeds; another opcode gives others.
  shortint::ReRandomizationContext other = shortint::fhevm_operation_context(0x01020305);
  other.add_ciphertext(x, meta_x);
  other.add_ciphertext(y, meta_y);
  shortint::ReRandomizationContext again = shortint::fhevm_operation_context(0x01020304);
  again.add_ciphertext(x, meta_x);
  again.add_ciphertext(y, meta_y);
  EXPECT_NE(other.finalize().next_seed().bytes, again.finalize().next_seed().bytes);
  EXPECT_EQ(ctx.finalize().next_seed().bytes, again.finalize().next_seed().bytes);
  EXPECT_THROW(shortint::ReRandomizationContext("short", {}, "TFHE_Enc"), shortint::ShortintError);
}

TEST_F(ToyCpk, RerandomizePreservesMessagesAndChangesBytes) {
  std::vector<uint64_t> ms;
  for (uint64_t m = 0; m < 4; ++m) ms.push_back(m);
  std::vector<Ciphertext> blocks = encrypt_blocks(ms, test::test_seed(70));
  blocks[2].noise_level = 0;  // trivial-like noise level is allowed and becomes nominal
  const std::vector<Ciphertext> before = blocks;
  shortint::rerandomize(blocks, *cpk_, *ksk_, seed_of(7));
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_NE(blocks[i].ct.data, before[i].ct.data) << i;
    EXPECT_EQ(shortint::decrypt(*ck_, blocks[i]), ms[i]) << i;
    EXPECT_EQ(shortint::decrypt_message_and_carry(*ck_, blocks[i]), ms[i]) << i;
    EXPECT_EQ(blocks[i].noise_level, 1u);
    EXPECT_EQ(blocks[i].degree, before[i].degree);
  }
  // A trivial ciphertext becomes a real encryption of the same value.
  std::vector<Ciphertext> triv = {shortint::trivial(kToyInsecure, 3)};
  shortint::rerandomize(triv, *cpk_, *ksk_, seed_of(8));
  EXPECT_EQ(shortint::decrypt(*ck_, triv[0]), 3u);
  bool mask_nonzero = false;
  for (std::size_t j = 0; j + 1 < triv[0].ct.data.size(); ++j)
    mask_nonzero |= triv[0].ct.data[j] != 0;
  EXPECT_TRUE(mask_nonzero);
}

TEST_F(ToyCpk, RerandomizeIsDeterministicInTheSeed) {
  const std::vector<Ciphertext> in = encrypt_blocks({1, 3, 0, 2, 1}, 80);
  std::vector<Ciphertext> a = in, b = in, c = in;
  shortint::rerandomize(a, *cpk_, *ksk_, seed_of(1));
  shortint::rerandomize(b, *cpk_, *ksk_, seed_of(1));
  shortint::rerandomize(c, *cpk_, *ksk_, seed_of(2));
  for (std::size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(a[i].ct.data, b[i].ct.data) << i;
    EXPECT_NE(a[i].ct.data, c[i].ct.data) << i;
  }
  // The public-encryption domain is part of the seed.
  shortint::ReRandomizationSeed other = seed_of(1);
  other.public_encryption_domain[7] = 'd';
  std::vector<Ciphertext> d = in;
  shortint::rerandomize(d, *cpk_, *ksk_, other);
  EXPECT_NE(a[0].ct.data, d[0].ct.data);
  // Block j gets zero j of one list, and within one bin r and e1 do not depend on the count
  // (n bits and n mask noises are drawn per bin): a prefix gets the same first zeros.
  std::vector<Ciphertext> prefix(in.begin(), in.begin() + 2);
  shortint::rerandomize(prefix, *cpk_, *ksk_, seed_of(1));
  EXPECT_EQ(prefix[0].ct.data, a[0].ct.data);
  EXPECT_EQ(prefix[1].ct.data, a[1].ct.data);
}

TEST_F(ToyCpk, RerandomizeChecksPreconditions) {
  std::vector<Ciphertext> blocks = encrypt_blocks({1, 2}, 90);
  blocks[1].noise_level = 2;
  EXPECT_THROW(shortint::rerandomize(blocks, *cpk_, *ksk_, seed_of(1)), shortint::ShortintError);
  blocks[1].noise_level = 1;
  LweKeyswitchKey wrong = *ksk_;
  wrong.input_dimension = 256;
  EXPECT_THROW(shortint::rerandomize(blocks, *cpk_, wrong, seed_of(1)), shortint::ShortintError);
  wrong = *ksk_;
  wrong.output_dimension = 512;
  EXPECT_THROW(shortint::rerandomize(blocks, *cpk_, wrong, seed_of(1)), shortint::ShortintError);
  ServerKey no_keys;
  EXPECT_THROW(shortint::rerandomize(blocks, no_keys, seed_of(1)), shortint::ShortintError);
  std::vector<Ciphertext> none;
  shortint::rerandomize(none, *cpk_, *ksk_, seed_of(1));  // nothing to do
}

TEST_F(ToyCpk, FhevmStyleOperationAndPbs) {
  // Two operands of one op, FHEVM style, then a PBS on each re-randomized block.
  const ServerKey sk = generate_server_key(*ck_, 100);
  shortint::Evaluator ev(sk);
  std::vector<Ciphertext> lhs = encrypt_blocks({3, 1}, 101), rhs = encrypt_blocks({2, 0}, 102);
  shortint::ReRandomizationContext ctx = shortint::fhevm_operation_context(0);
  ctx.add_ciphertext(lhs);
  ctx.add_ciphertext(rhs);
  shortint::ReRandomizationSeedGen seeds = ctx.finalize();
  shortint::rerandomize(lhs, *cpk_, *ksk_, seeds.next_seed());
  shortint::rerandomize(rhs, *cpk_, *ksk_, seeds.next_seed());
  const shortint::LookupTable lut =
      shortint::make_lut(kToyInsecure, [](uint64_t x) { return (x * 3 + 1) % 4; });
  const uint64_t in[4] = {3, 1, 2, 0};
  const Ciphertext* blocks[4] = {&lhs[0], &lhs[1], &rhs[0], &rhs[1]};
  for (int i = 0; i < 4; ++i) {
    const Ciphertext out = ev.apply_lut(*blocks[i], lut);
    EXPECT_EQ(shortint::decrypt(*ck_, out), (in[i] * 3 + 1) % 4) << i;
  }
  // The server-key overload uses sk.cpk / sk.rerand_ksk.
  ServerKey with = generate_server_key(*ck_, 100);
  with.cpk = *cpk_;
  with.rerand_ksk = *ksk_;
  std::vector<Ciphertext> x = encrypt_blocks({2}, 103), y = x;
  shortint::rerandomize(x, with, seed_of(5));
  shortint::rerandomize(y, *cpk_, *ksk_, seed_of(5));
  EXPECT_EQ(x[0].ct.data, y[0].ct.data);
}

TEST_F(ToyCpk, CompactListRerandomization) {
  const std::size_t n = kToyCpk.encryption_lwe_dimension;
  std::vector<uint64_t> m1(n + 3), m2(5);
  for (std::size_t i = 0; i < m1.size(); ++i) m1[i] = i % 16;
  for (std::size_t i = 0; i < m2.size(); ++i) m2[i] = (7 * i) % 16;
  Csprng rng(110);
  std::vector<LweCompactCiphertextList> lists = {encrypt_compact_messages(*cpk_, m1, 16, rng),
                                                 encrypt_compact_messages(*cpk_, m2, 16, rng)};
  const std::vector<LweCompactCiphertextList> before = lists;
  const uint8_t blob_hash[32] = {9};
  shortint::ReRandomizationContext ctx = shortint::fhevm_input_list_context(blob_hash);
  const uint8_t proofs[] = {1, 2, 3};
  ctx.add_compact_lists(lists, proofs);
  shortint::ReRandomizationSeedGen seeds = ctx.finalize();
  shortint::rerandomize_compact_lists(lists, *cpk_, seeds.next_seed());
  EXPECT_THROW(seeds.next_seed(), shortint::ShortintError);
  const uint64_t delta = (uint64_t{1} << 63) / 16;
  for (std::size_t l = 0; l < 2; ++l) {
    EXPECT_NE(lists[l].masks, before[l].masks);
    const std::vector<uint64_t>& ms = l == 0 ? m1 : m2;
    for (std::size_t i = 0; i < ms.size(); ++i) {
      EXPECT_EQ(decode(lwe_phase(*cpk_sk_, expand_compact_list_entry(lists[l], i)), delta, 32),
                ms[i]);
    }
  }
}

// Noise added by re-randomization = phase(after) - phase(before) under the big key, i.e. the
// phase of the keyswitched encryption of zero. With s the CPK key (weight h, dimension n),
// sigma^2 = Var(TUniform(17)) = (2^35 + 1) / 6, B = 2^24, l = 1:
//   CPK encryption of zero:  (1 + n/2 + h) * sigma^2      (e2, the r-weighted pk noise, e1 . s)
//   keyswitch rounding:      h * 2^80 / 12                (a_i rounded to a multiple of 2^40)
//   keyswitch key noise:     n * E[d^2] * sigma^2, E[d^2] = 2^48 / 12 (digits in [-2^23, 2^23])
// Toy (n = 512): about 9.5e25, sigma ~ 2^43.1 -- vs the decoding margin delta / 2 = 2^58.
TEST_F(ToyCpk, AddedNoiseMatchesTheFormula) {
  const double n = kToyCpk.encryption_lwe_dimension;
  const double s2 = kToyCpk.encryption_noise.variance();
  const double h = static_cast<double>(hamming_weight(*cpk_sk_));
  const double predicted = (1.0 + n / 2.0 + h) * s2 + h * std::ldexp(1.0, 80) / 12.0 +
                           n * std::ldexp(1.0, 48) / 12.0 * kToyInsecure.glwe_noise.variance();
  const LweSecretKey big = ck_->big_lwe();
  double sum = 0, sum2 = 0, max_abs = 0;
  std::size_t samples = 0;
  for (uint8_t seed = 0; seed < 8; ++seed) {
    std::vector<Ciphertext> blocks =
        encrypt_blocks(std::vector<uint64_t>(64, seed % 4), 200 + seed);
    std::vector<uint64_t> ph(blocks.size());
    for (std::size_t i = 0; i < blocks.size(); ++i) ph[i] = lwe_phase(big, blocks[i].ct);
    shortint::rerandomize(blocks, *cpk_, *ksk_, seed_of(static_cast<uint8_t>(100 + seed)));
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const double e =
          static_cast<double>(static_cast<int64_t>(lwe_phase(big, blocks[i].ct) - ph[i]));
      sum += e;
      sum2 += e * e;
      max_abs = std::max(max_abs, std::fabs(e));
      ++samples;
    }
  }
  const double var = sum2 / static_cast<double>(samples);
  const double mean = sum / static_cast<double>(samples);
  std::printf(
      "[noise] toy re-randomization: %zu samples, log2 sigma measured %.2f, predicted %.2f, "
      "log2 max %.2f, mean/sigma %.3f\n",
      samples, 0.5 * std::log2(var), 0.5 * std::log2(predicted), std::log2(max_abs),
      mean / std::sqrt(var));
  // 512 samples: the variance estimate is within about 6% (1 sd) of the truth; accept a factor
  // 1.5 either way. No sample beyond 7 predicted sigmas (near-Gaussian: P ~ 1e-11 per sample),
  // which is far below the decoding margin 2^58.
  EXPECT_LT(var, 1.5 * predicted);
  EXPECT_GT(var, predicted / 1.5);
  EXPECT_LT(max_abs, 7.0 * std::sqrt(predicted));
  EXPECT_LT(std::fabs(mean), 0.25 * std::sqrt(predicted));
}

// FHEVM parameters: CPK n = 2048, PKE_TO_BIG key (B = 2^24, l = 1) to the 2048 big key.
TEST(RealCpk, RerandomizeFhevmBlock) {
  const ClientKey ck = generate_client_key(kFhevmCompute, test::test_seed(300));
  Csprng secret(301);
  const LweSecretKey cpk_sk = generate_lwe_key(kFhevmCpk.encryption_lwe_dimension, secret);
  Csprng mask(302), noise(303);
  const CompactPublicKey cpk = generate_compact_public_key(cpk_sk, kFhevmCpk, mask, noise);
  const LweKeyswitchKey ksk = generate_cpk_keyswitch_key(cpk_sk, ck, kFhevmRerandKsk, mask, noise);
  ASSERT_EQ(ksk.input_dimension, 2048u);
  ASSERT_EQ(ksk.output_dimension, 2048u);
  Csprng em(304), en(305);
  std::vector<Ciphertext> blocks;
  for (uint64_t m = 0; m < 4; ++m) blocks.push_back(shortint::encrypt(ck, m, em, en));
  const std::vector<Ciphertext> before = blocks;
  shortint::ReRandomizationContext ctx = shortint::fhevm_operation_context(7);
  ctx.add_ciphertext(blocks);
  shortint::rerandomize(blocks, cpk, ksk, ctx.finalize().next_seed());
  const LweSecretKey big = ck.big_lwe();
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_NE(blocks[i].ct.data, before[i].ct.data);
    EXPECT_EQ(shortint::decrypt(ck, blocks[i]), i);
    const int64_t e =
        static_cast<int64_t>(lwe_phase(big, blocks[i].ct) - lwe_phase(big, before[i].ct));
    // Predicted sigma ~ 2^44.6 (see the toy test's formula with n = 2048); margin 2^58.
    EXPECT_LT(std::llabs(e), int64_t{1} << 49) << i;
  }
}

}  // namespace
}  // namespace fhe
