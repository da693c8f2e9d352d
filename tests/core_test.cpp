// Core algorithms: decomposition, exact polynomial products, encryption, keyswitch, modulus
// switch, external product and blind rotation on the INSECURE toy set, exhaustively where small.
#include "fhe/core.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/rotate_decompose.h"
#include "fhe/keys.h"
#include "fhe/shortint.h"
#include "pbs_tables.h"
#include "test_util.h"

namespace fhe {
namespace {

TEST(Decomposition, RecomposesToClosestRepresentable) {
  Csprng rng(test::test_seed(1));
  for (Decomposition d : {Decomposition{23, 1}, Decomposition{4, 4}, Decomposition{4, 3},
                          Decomposition{24, 1}, Decomposition{10, 2}}) {
    const Decomposer dec{d.base_log, d.level};
    const int64_t half = int64_t{1} << (d.base_log - 1);
    int64_t digits[8];
    for (int t = 0; t < 20000; ++t) {
      uint64_t x = rng.next_u64();
      if (t < 64) x = uint64_t{1} << t;  // powers of two, ties included
      dec.decompose(x, digits);
      uint64_t sum = 0;
      for (uint32_t li = 0; li < d.level; ++li) {
        ASSERT_LE(digits[li], half);
        ASSERT_GE(digits[li], -half);
        const uint32_t level = d.level - li;
        sum += static_cast<uint64_t>(digits[li]) << (64 - d.base_log * level);
      }
      // Recomposition equals the closest representable value (up to the wrap of the top digit).
      ASSERT_EQ(sum, dec.closest_representable(x)) << "x=" << x;
    }
  }
}

TEST(Decomposition, KnownAnswers) {
  // Worked by hand from the algorithm (base 2^4, 2 levels, R = 8 bits kept):
  //   0xB8 << 56: top byte 184 > 128 -> state -72 -> digits (level 2, level 1) = (-8, -4)
  //   0x7F << 56: 127 -> digits (-1, 8)            (-1 + 8*16 = 127)
  //   0x0180 << 48: 1.5 units of 2^56, rounds up to 2 -> digits (2, 0)
  const Decomposer dec{4, 2};
  const struct {
    uint64_t x;
    int64_t d0, d1;
  } rows[] = {
      {uint64_t{0xB8} << 56, -8, -4},
      {uint64_t{0x7F} << 56, -1, 8},
      {uint64_t{0x0180} << 48, 2, 0},
  };
  for (const auto& r : rows) {
    int64_t d[2];
    dec.decompose(r.x, d);
    EXPECT_EQ(d[0], r.d0) << std::hex << r.x;
    EXPECT_EQ(d[1], r.d1) << std::hex << r.x;
  }
}

TEST(Decomposition, FusedRotateSubtractDecomposeMatchesGenericPath) {
  // The blind rotation's fused one-level path (scalar and AVX2 builds) against rotation,
  // subtraction and the generic decomposition.
  Csprng rng(test::test_seed(33));
  const std::size_t n = 2048;
  const Decomposer dec{23, 1};
  std::vector<uint64_t> p(n), rot(n);
  std::vector<int64_t> want(n), got(n), got_avx2(n);
  for (int t = 0; t < 50; ++t) {
    rng.fill_uniform(p);
    if (t == 0) {
      // Ties of the rounding: every value exactly half a step above a multiple of 2^41.
      for (std::size_t j = 0; j < n; ++j) p[j] = (j << 41) | (uint64_t{1} << 40);
    }
    const std::size_t a = 1 + rng.next_u64() % (2 * n - 1);
    poly_monomial_mul(rot.data(), p.data(), n, a);
    for (std::size_t j = 0; j < n; ++j) dec.decompose(rot[j] - p[j], &want[j]);
    detail::rotate_sub_decompose_l1(p.data(), n, a, 23, got.data());
    ASSERT_EQ(got, want) << "a=" << a;
    if (__builtin_cpu_supports("avx2")) {
      detail::rotate_sub_decompose_l1_avx2(p.data(), n, a, 23, got_avx2.data());
      ASSERT_EQ(got_avx2, want) << "a=" << a;
    }
    if (__builtin_cpu_supports("avx512f")) {
      detail::rotate_sub_decompose_l1_avx512(p.data(), n, a, 23, got_avx2.data());
      ASSERT_EQ(got_avx2, want) << "avx512, a=" << a;
    }
  }
}

TEST(Decomposition, FusedPathsAgreeOnRoundingEdges) {
  // Differences at the edges of the rounding: the half-way state 2^(B-1) with and without the
  // rounding bit, values just below and above each rounding boundary, every base log the
  // fused path may see, every rotation class (a < N, a >= N, segment ends off the vector width).
  if (!__builtin_cpu_supports("avx512f") && !__builtin_cpu_supports("avx2")) GTEST_SKIP();
  Csprng rng(test::test_seed(34));
  const std::size_t n = 256;
  std::vector<uint64_t> p(n);
  std::vector<int64_t> want(n), got(n);
  for (uint32_t b : {1u, 2u, 10u, 22u, 23u, 24u, 31u}) {
    const uint64_t step = uint64_t{1} << (64 - b), halfstep = step >> 1;
    const uint64_t edges[] = {0,
                              uint64_t{1} << 63,
                              (uint64_t{1} << 63) + halfstep - 1,
                              (uint64_t{1} << 63) + halfstep,
                              (uint64_t{1} << 63) - halfstep,
                              (uint64_t{1} << 63) - halfstep - 1,
                              halfstep,
                              halfstep - 1,
                              0 - halfstep,
                              0 - halfstep - 1,
                              step - 1,
                              ~uint64_t{0}};
    for (int t = 0; t < 40; ++t) {
      // Mostly zeros, so that many differences are +-one edge value.
      for (auto& x : p) {
        const uint64_t r = rng.next_u64();
        x = (r & 3) == 0 ? edges[(r >> 2) % std::size(edges)] : (r & 3) == 1 ? r : 0;
      }
      const std::size_t a = 1 + rng.next_u64() % (2 * n - 1);
      detail::rotate_sub_decompose_l1(p.data(), n, a, b, want.data());
      if (__builtin_cpu_supports("avx2")) {
        detail::rotate_sub_decompose_l1_avx2(p.data(), n, a, b, got.data());
        ASSERT_EQ(got, want) << "avx2, B=" << b << " a=" << a;
      }
      if (__builtin_cpu_supports("avx512f")) {
        detail::rotate_sub_decompose_l1_avx512(p.data(), n, a, b, got.data());
        ASSERT_EQ(got, want) << "avx512, B=" << b << " a=" << a;
      }
    }
  }
}

TEST(Poly, KaratsubaMatchesSchoolbookNegacyclic) {
  Csprng rng(test::test_seed(2));
  for (std::size_t n : {64, 256, 1024, 2048}) {
    std::vector<uint64_t> a(n), b(n), got(n, 7), want(n, 7);
    rng.fill_uniform(a);
    rng.fill_uniform(b);
    poly_mul_add(got.data(), a.data(), b.data(), n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        const uint64_t p = a[i] * b[j];
        if (i + j < n) {
          want[i + j] += p;
        } else {
          want[i + j - n] -= p;
        }
      }
    ASSERT_EQ(got, want) << "n=" << n;
  }
}

TEST(Poly, MonomialMulIsNegacyclicShift) {
  const std::size_t n = 16;
  std::vector<uint64_t> a(n), out(n);
  for (std::size_t i = 0; i < n; ++i) a[i] = i + 1;
  for (std::size_t d = 0; d < 2 * n; ++d) {
    poly_monomial_mul(out.data(), a.data(), n, d);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t e = i + d;  // a_i X^(i+d)
      const std::size_t pos = e % n;
      const bool neg = (e / n) % 2 == 1;
      ASSERT_EQ(out[pos], neg ? 0 - a[i] : a[i]) << "d=" << d << " i=" << i;
    }
  }
}

TEST(Csprng, OffsetMatchesSequentialStream) {
  Csprng a(12345);
  std::vector<uint8_t> seq(10000);
  a.fill_bytes(seq.data(), seq.size());
  for (uint64_t off : {0ull, 1ull, 15ull, 16ull, 17ull, 4095ull, 4096ull, 5000ull}) {
    Csprng b(12345, off);
    for (uint64_t i = off; i < off + 100; ++i) ASSERT_EQ(b.next_byte(), seq[i]) << off;
  }
}

TEST(Csprng, TUniformRangeAndMoments) {
  Csprng rng(test::test_seed(3));
  const uint32_t b = 5;
  const int n = 200000;
  double sum = 0, sq = 0;
  int64_t lo = 0, hi = 0;
  for (int i = 0; i < n; ++i) {
    const int64_t x = rng.tuniform(b);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    sum += static_cast<double>(x);
    sq += static_cast<double>(x * x);
  }
  EXPECT_EQ(lo, -32);
  EXPECT_EQ(hi, 32);
  const double var = sq / n - (sum / n) * (sum / n);
  EXPECT_NEAR(var / TUniform{b}.variance(), 1.0, 0.02);
  EXPECT_NEAR(sum / n, 0.0, 0.1);
}

TEST(Lwe, EncryptDecryptAndKeyswitch) {
  allow_insecure(true);
  const ShortintParams& p = kToyInsecure;
  Csprng secret(test::test_seed(4)), mask(5), noise(6);
  const ClientKey ck = generate_client_key(p, 7);
  const LweSecretKey big = ck.big_lwe();
  Csprng km(8), kn(9);
  const LweKeyswitchKey ksk = generate_keyswitch_key(big, ck.lwe, p.ks, p.lwe_noise, km, kn);
  LweCiphertext out(p.lwe_dimension);
  for (uint64_t m = 0; m < 16; ++m) {
    const LweCiphertext ct = lwe_encrypt(big, m * p.delta(), p.glwe_noise, mask, noise);
    const int64_t e = test::centered(lwe_phase(big, ct) - m * p.delta());
    ASSERT_LE(std::llabs(e), int64_t{1} << p.glwe_noise.bound_log2);
    keyswitch(ksk, ct, out);
    const int64_t e2 = test::centered(lwe_phase(ck.lwe, out) - m * p.delta());
    // KS noise std is about 2^53 here; 2^57 = Delta/4 leaves > 10 sigma.
    ASSERT_LT(std::llabs(e2), int64_t{1} << 57) << "m=" << m;
  }
}

TEST(ModulusSwitch, CenteredMeanKeepsPhase) {
  Csprng rng(test::test_seed(10));
  const uint32_t n = 918, log_mod = 12;
  LweSecretKey sk;
  sk.bits.resize(n);
  rng.fill_binary(sk.bits);
  std::vector<uint32_t> ms(n + 1);
  double sum_err = 0, sum_sq = 0;
  const int trials = 2000;
  for (int t = 0; t < trials; ++t) {
    Csprng mask(100 + static_cast<uint64_t>(t)), noise(200 + static_cast<uint64_t>(t));
    const uint64_t m = static_cast<uint64_t>(t % 16) << 59;
    const LweCiphertext ct = lwe_encrypt(sk, m, TUniform{45}, mask, noise);
    modulus_switch(ct, log_mod, ModSwitch::CenteredMeanNoiseReduction, ms.data());
    uint64_t phase = ms[n];
    for (uint32_t i = 0; i < n; ++i) phase -= uint64_t{ms[i]} * sk.bits[i];
    phase &= (1u << log_mod) - 1;
    const int64_t want = static_cast<int64_t>(m >> (64 - log_mod));
    int64_t err = static_cast<int64_t>(phase) - want;
    if (err > 2048) err -= 4096;
    if (err < -2048) err += 4096;
    sum_err += static_cast<double>(err);
    sum_sq += static_cast<double>(err * err);
    ASSERT_LT(std::llabs(err), 64) << "t=" << t;  // half a box at N=2048
  }
  // TFHE-rs removes the expected mask rounding error and, on purpose, half a step from the body
  // (centering on the redundant LUT): the mean error is -1/2 unit (std of the estimate ~0.1).
  EXPECT_NEAR(sum_err / trials, -0.5, 0.35);
  // Variance near n/48 + 1/12 (binary key, uniform rounding errors).
  const double var = sum_sq / trials - (sum_err / trials) * (sum_err / trials);
  EXPECT_NEAR(var / (n / 48.0 + 1.0 / 12.0), 1.0, 0.2);
}

TEST(Ggsw, EncryptDecryptAndBootstrapKeyHoldsTheSmallKey) {
  allow_insecure(true);
  const ShortintParams& p = kToyInsecure;
  const ClientKey ck = generate_client_key(p, 41);
  Csprng mask(test::test_seed(42)), noise(43);
  for (Decomposition d : {Decomposition{23, 1}, Decomposition{10, 2}, Decomposition{4, 3}}) {
    const std::size_t len =
        std::size_t{d.level} * (p.glwe_dimension + 1) * (p.glwe_dimension + 1) * p.polynomial_size;
    std::vector<uint64_t> g(len);
    for (uint64_t m = 0; m < 4; ++m) {
      ggsw_encrypt(ck.glwe, m, d, p.glwe_noise, mask, noise, g.data());
      ASSERT_EQ(ggsw_decrypt(ck.glwe, g.data(), d), m) << "base 2^" << d.base_log;
    }
  }
  // Every GGSW of a bootstrapping key decrypts to its bit of the small key.
  const ServerKeyMaterial m = generate_server_key_material(ck, 44);
  const std::size_t ggsw_len = m.bsk.data.size() / m.bsk.input_dimension;
  for (std::size_t i = 0; i < m.bsk.input_dimension; ++i) {
    ASSERT_EQ(ggsw_decrypt(ck.glwe, m.bsk.data.data() + i * ggsw_len, p.pbs), ck.lwe.bits[i])
        << "i=" << i;
  }
}

class ToyPbs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    allow_insecure(true);
    ck_ = new ClientKey(generate_client_key(kToyInsecure, 11));
    sk_ = new ServerKey(generate_server_key(*ck_, 12));
  }
  static void TearDownTestSuite() {
    delete sk_;
    delete ck_;
  }
  static ClientKey* ck_;
  static ServerKey* sk_;
};
ClientKey* ToyPbs::ck_ = nullptr;
ServerKey* ToyPbs::sk_ = nullptr;

TEST_F(ToyPbs, ExternalProductMultipliesByKeyBit) {
  // ExtProd(GGSW(s_i), GLWE(m)) decrypts to s_i * m.
  const ShortintParams& p = *ck_->params;
  Csprng mask(test::test_seed(13)), noise(14);
  std::vector<uint64_t> pt(p.polynomial_size), ph(p.polynomial_size);
  for (std::size_t j = 0; j < pt.size(); ++j) pt[j] = static_cast<uint64_t>(j % 16) << 59;
  GlweCiphertext in(p.glwe_dimension, p.polynomial_size);
  glwe_encrypt(ck_->glwe, pt.data(), p.glwe_noise, mask, noise, in);
  PbsScratch scratch;
  for (std::size_t i = 0; i < 8; ++i) {
    GlweCiphertext acc(p.glwe_dimension, p.polynomial_size);
    external_product_add(sk_->bsk.ggsw(i), *sk_->fft, in, acc, p.pbs, scratch);
    glwe_phase(ck_->glwe, acc, ph.data());
    for (std::size_t j = 0; j < pt.size(); ++j) {
      const int64_t e = test::centered(ph[j] - ck_->lwe.bits[i] * pt[j]);
      ASSERT_LT(std::llabs(e), int64_t{1} << 54) << "i=" << i << " j=" << j;
    }
  }
}

TEST_F(ToyPbs, EveryInputOfUnivariateTables) {
  test::check_every_univariate_input(*ck_, *sk_, test::test_seed(15));
}

TEST_F(ToyPbs, EveryPairOfBivariateTables) {
  test::check_every_bivariate_pair(*ck_, *sk_, test::test_seed(17));
}

TEST_F(ToyPbs, ManyLutGivesEveryFunctionFromOneBlindRotation) {
  shortint::Evaluator ev(*sk_);
  Csprng mask(test::test_seed(47)), noise(48);
  const std::vector<std::function<uint64_t(uint64_t)>> two = {[](uint64_t x) { return x % 4; },
                                                              [](uint64_t x) { return x / 4; }};
  const std::vector<std::function<uint64_t(uint64_t)>> four = {
      [](uint64_t x) { return x; }, [](uint64_t x) { return 3 - x; },
      [](uint64_t x) { return x * x; }, [](uint64_t) { return 2; }};
  for (const auto* fs : {&two, &four}) {
    const auto lut = shortint::make_many_lut(kToyInsecure, *fs);
    EXPECT_EQ(lut.max_input_degree, 16 / fs->size() - 1);
    for (uint64_t m = 0; m <= lut.max_input_degree; ++m) {
      const auto c = shortint::encrypt_without_padding_reduction(*ck_, m, mask, noise);
      const uint64_t before = ev.pbs_count();
      const auto outs = ev.apply_many_lut(c, lut);
      EXPECT_EQ(ev.pbs_count(), before + 1);
      ASSERT_EQ(outs.size(), fs->size());
      for (std::size_t i = 0; i < fs->size(); ++i) {
        ASSERT_EQ(shortint::decrypt_message_and_carry(*ck_, outs[i]), (*fs)[i](m))
            << "function " << i << " m=" << m;
        ASSERT_LE((*fs)[i](m), outs[i].degree);
      }
    }
  }
  // An input beyond the table's maximum degree would land in the next function's range.
  const auto lut = shortint::make_many_lut(kToyInsecure, two);
  const auto c = shortint::encrypt_without_padding_reduction(*ck_, 9, mask, noise);
  EXPECT_THROW(ev.apply_many_lut(c, lut), shortint::ShortintError);
}

// Batched keyswitch and blind rotation give exactly the bytes of the one-by-one path, for any
// batch size and split, with outputs aliasing inputs.
TEST_F(ToyPbs, BatchedPbsIsBitIdenticalToOneByOne) {
  const u128 seed = test::test_seed(49);
  Csprng mask(seed), noise(seed + 1);
  const std::vector<shortint::LookupTable> luts = {
      shortint::make_lut(kToyInsecure, [](uint64_t x) { return (x * x + 1) % 4; }),
      shortint::make_lut(kToyInsecure, [](uint64_t x) { return x / 2; }),
      shortint::make_lut(kToyInsecure, [](uint64_t x) { return 3 - x % 4; })};
  constexpr std::size_t kCount = 13;
  std::vector<shortint::Ciphertext> in, expected;
  shortint::Evaluator one(*sk_);
  for (std::size_t i = 0; i < kCount; ++i) {
    in.push_back(shortint::encrypt(*ck_, (i * 7 + 3) % 16 % 4, mask, noise));
    expected.push_back(one.apply_lut(in[i], luts[i % luts.size()]));
  }
  // Keyswitch alone.
  std::vector<LweCiphertext> ks_out(kCount, LweCiphertext(kToyInsecure.lwe_dimension));
  std::vector<const LweCiphertext*> ks_in_ptr;
  std::vector<LweCiphertext*> ks_out_ptr;
  for (std::size_t i = 0; i < kCount; ++i) {
    ks_in_ptr.push_back(&in[i].ct);
    ks_out_ptr.push_back(&ks_out[i]);
  }
  keyswitch_batch(sk_->ksk, ks_in_ptr, ks_out_ptr);
  for (std::size_t i = 0; i < kCount; ++i) {
    LweCiphertext single(kToyInsecure.lwe_dimension);
    keyswitch(sk_->ksk, in[i].ct, single);
    ASSERT_EQ(single.data, ks_out[i].data) << "keyswitch, ciphertext " << i;
  }
  shortint::Evaluator batched(*sk_);
  for (std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{8}, kCount}) {
    std::vector<shortint::Ciphertext> out = in;  // outputs alias the inputs
    std::vector<shortint::LutJob> jobs;
    for (std::size_t i = 0; i < kCount; ++i) jobs.push_back({&out[i], &luts[i % 3], &out[i]});
    for (std::size_t i = 0; i < kCount; i += batch) {
      batched.apply_lut_batch(
          std::span<const shortint::LutJob>(jobs.data() + i, std::min(batch, kCount - i)));
    }
    for (std::size_t i = 0; i < kCount; ++i) {
      ASSERT_EQ(out[i].ct.data, expected[i].ct.data) << "batch " << batch << ", ciphertext " << i;
      EXPECT_EQ(out[i].degree, expected[i].degree);
      EXPECT_EQ(out[i].noise_level, expected[i].noise_level);
    }
  }
  EXPECT_EQ(batched.pbs_count(), 4 * kCount);
  // A bad input fails the whole batch before any work.
  auto noisy = in[0];
  noisy.noise_level = kToyInsecure.max_noise_level + 1;
  std::vector<shortint::Ciphertext> out(2);
  const std::vector<shortint::LutJob> bad = {{&in[1], &luts[0], &out[0]},
                                             {&noisy, &luts[0], &out[1]}};
  EXPECT_THROW(batched.apply_lut_batch(bad), shortint::ShortintError);
  EXPECT_EQ(batched.pbs_count(), 4 * kCount);
}

TEST_F(ToyPbs, LinearOpsAndExtraction) {
  shortint::Evaluator ev(*sk_);
  Csprng mask(test::test_seed(19)), noise(20);
  for (uint64_t a = 0; a < 4; ++a)
    for (uint64_t b = 0; b < 4; ++b) {
      const auto ca = shortint::encrypt(*ck_, a, mask, noise);
      const auto cb = shortint::encrypt(*ck_, b, mask, noise);
      const auto s = ev.add(ca, cb);
      EXPECT_EQ(s.degree, 6u);
      EXPECT_EQ(s.noise_level, 2u);
      EXPECT_EQ(shortint::decrypt_message_and_carry(*ck_, s), a + b);
      EXPECT_EQ(shortint::decrypt(*ck_, ev.message_extract(s)), (a + b) % 4);
      EXPECT_EQ(shortint::decrypt(*ck_, ev.carry_extract(s)), (a + b) / 4);
      EXPECT_EQ(shortint::decrypt_message_and_carry(*ck_, ev.scalar_mul(ca, 3)), 3 * a);
      EXPECT_EQ(shortint::decrypt_message_and_carry(*ck_, ev.scalar_add(ca, 2)), a + 2);
      EXPECT_EQ(shortint::decrypt(*ck_, ev.bitnot(ca)), 3 - a);
      uint64_t z = 0;
      const auto n = ev.neg_with_correcting_term(ca, &z);
      EXPECT_EQ(z, 4u);
      EXPECT_EQ(shortint::decrypt_message_and_carry(*ck_, n), (z - a) % 16);
    }
}

TEST_F(ToyPbs, RejectsBrokenPreconditions) {
  shortint::Evaluator ev(*sk_);
  Csprng mask(test::test_seed(45)), noise(46);
  const auto a = shortint::encrypt(*ck_, 3, mask, noise);
  // A table built for another parameter set.
  const auto real_lut = shortint::make_lut(kFhevmCompute, [](uint64_t x) { return x; });
  EXPECT_THROW(ev.apply_lut(a, real_lut), ParamError);
  // lhs * 4 + rhs would reach the padding bit (degree 4*6 + 3 > 15).
  const auto lut =
      shortint::make_bivariate_lut(kToyInsecure, [](uint64_t x, uint64_t) { return x; });
  EXPECT_THROW(ev.apply_bivariate_lut(ev.add(a, a), a, lut), shortint::ShortintError);
  // Degrees beyond 15 in linear operations, noise beyond the maximum at a bootstrap.
  EXPECT_THROW(ev.scalar_mul(a, 6), shortint::ShortintError);
  EXPECT_THROW(ev.scalar_add(ev.scalar_mul(a, 4), 4), shortint::ShortintError);
  auto noisy = a;
  noisy.noise_level = kToyInsecure.max_noise_level + 1;
  EXPECT_THROW(ev.message_extract(noisy), shortint::ShortintError);
}

TEST_F(ToyPbs, RejectsCiphertextsOfAnotherParameterSet) {
  shortint::Evaluator ev(*sk_);
  const auto c = shortint::trivial(kFhevmCompute, 1);
  EXPECT_THROW(ev.message_extract(c), ParamError);
  EXPECT_THROW(shortint::decrypt(*ck_, c), ParamError);
}

TEST(Params, ToySetNeedsOptIn) {
  allow_insecure(false);
  EXPECT_THROW(params_by_name("toy"), ParamError);
  EXPECT_THROW(generate_client_key(kToyInsecure, 1), ParamError);
  EXPECT_EQ(&params_by_name("fhevm"), &kFhevmCompute);
  allow_insecure(true);
  EXPECT_EQ(&params_by_name("toy"), &kToyInsecure);
}

TEST(Params, FhevmValues) {
  const ShortintParams& p = kFhevmCompute;
  EXPECT_EQ(p.lwe_dimension, 918u);
  EXPECT_EQ(p.glwe_dimension, 1u);
  EXPECT_EQ(p.polynomial_size, 2048u);
  EXPECT_EQ(p.lwe_noise.bound_log2, 45u);
  EXPECT_EQ(p.glwe_noise.bound_log2, 17u);
  EXPECT_EQ(p.pbs.base_log, 23u);
  EXPECT_EQ(p.pbs.level, 1u);
  EXPECT_EQ(p.ks.base_log, 4u);
  EXPECT_EQ(p.ks.level, 4u);
  EXPECT_EQ(p.delta(), uint64_t{1} << 59);
  EXPECT_EQ(p.log2_2n(), 12u);
  EXPECT_EQ(p.max_noise_level, 5u);
  EXPECT_EQ(kFhevmMeta.compression->packing_polynomial_size, 256u);
  EXPECT_EQ(kFhevmMeta.noise_squashing->decomp.level, 3u);
}

}  // namespace
}  // namespace fhe
