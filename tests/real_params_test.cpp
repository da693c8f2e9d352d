// Real FHEVM parameters: exhaustive lookup tables and noise measured against the prediction.
//
// Noise model (variances in units of 1 on Z_{2^64}; h = Hamming weight of the small key, w = of the
// GLWE key; a uniform rounding error of step 2^t has variance 2^(2t)/12; TUniform(b) has variance
// (2^(2b+1)+1)/6; a balanced digit of base B taken from a uniform value has E[d^2] = B^2/12 + 1/6
// (21.5 for B = 16, computed exactly below)):
//   fresh (big key)  : V_glwe
//   keyswitch output : V_in + w * 2^(2(64 - l*b))/12          (decomposition rounding)
//                           + kN * l * E[d^2] * V_lwe             (key noise)
//   PBS output       : sum over the n CMUX of
//                      (k+1) * l * N * E[d^2] * V_glwe            (bootstrapping key noise)
//                      + s_i * (1 + w) * 2^(2(64 - l*b))/12       (decomposition rounding)
//                      + FFT error (f64, 53-bit mantissa): TFHE-rs's fitted model per CMUX,
//                        0.00705 * 2^(2 log2 B - 2*53) * l^1.01827 * k^1.22003 * N^2.22003
//                        * (k+1)^1.01827 (in units of q^2; core_crypto/commons/noise_formulas/
//                        lwe_programmable_bootstrap.rs). Our FFT's error may be smaller, so the
//                        PBS's allowed range runs from the prediction without this term to the
//                        prediction with it.
// The measured variance of >= 1000 samples must lie within the statistical tolerance of the
// prediction: |ratio - 1| <= 6 * sqrt(2 / samples) (6 sigma of a variance estimate).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <thread>

#include "fhe/core.h"
#include "fhe/keys.h"
#include "fhe/shortint.h"
#include "fhe/threads.h"
#include "pbs_tables.h"
#include "test_util.h"

namespace fhe {
namespace {

class RealParams : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ck_ = new ClientKey(generate_client_key(kFhevmCompute, 21));
    sk_ = new ServerKey(generate_server_key(*ck_, 22));
  }
  static void TearDownTestSuite() {
    delete sk_;
    delete ck_;
  }
  static ClientKey* ck_;
  static ServerKey* sk_;
};
ClientKey* RealParams::ck_ = nullptr;
ServerKey* RealParams::sk_ = nullptr;

TEST_F(RealParams, EveryInputOfUnivariateTables) {
  test::check_every_univariate_input(*ck_, *sk_, test::test_seed(23));
}

// The batched keyswitch + blind rotation at the FHEVM parameters: exactly the bytes of the
// one-by-one path.
TEST_F(RealParams, BatchedPbsIsBitIdenticalToOneByOne) {
  const u128 seed = test::test_seed(51);
  Csprng mask(seed), noise(seed + 1);
  const auto lut = shortint::make_lut(kFhevmCompute, [](uint64_t x) { return (x + 1) % 4; });
  shortint::Evaluator one(*sk_), batched(*sk_);
  std::vector<shortint::Ciphertext> in, out(3);
  std::vector<shortint::LutJob> jobs;
  for (uint64_t m = 0; m < 3; ++m) in.push_back(shortint::encrypt(*ck_, m, mask, noise));
  for (std::size_t i = 0; i < 3; ++i) jobs.push_back({&in[i], &lut, &out[i]});
  batched.apply_lut_batch(jobs);
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(out[i].ct.data, one.apply_lut(in[i], lut).ct.data) << "ciphertext " << i;
    EXPECT_EQ(shortint::decrypt(*ck_, out[i]), (i + 1) % 4);
  }
}

TEST_F(RealParams, EveryPairOfBivariateTables) {
  test::check_every_bivariate_pair(*ck_, *sk_, test::test_seed(25));
}

// ---- Noise ----
double variance_of(const std::vector<int64_t>& e) {
  double s = 0, q = 0;
  for (int64_t x : e) {
    s += static_cast<double>(x);
    q += static_cast<double>(x) * static_cast<double>(x);
  }
  const double n = static_cast<double>(e.size());
  return q / n - (s / n) * (s / n);
}

double digit_second_moment(uint32_t base_log) {
  // Exact E[d^2] of a balanced digit of a uniform value: d uniform on (-B/2, B/2) plus +-B/2 with
  // total weight 1/B.
  const double b = std::ldexp(1.0, static_cast<int>(base_log));
  const double m = b / 2 - 1;  // 2 * sum_{d=1}^{m} d^2 + (B/2)^2, over B
  return (2.0 * m * (m + 1) * (2 * m + 1) / 6.0 + (b / 2) * (b / 2)) / b;
}

double weight(const SecretVec<uint64_t>& bits) {
  double w = 0;
  for (uint64_t b : bits) w += static_cast<double>(b);
  return w;
}

// Checks measured / predicted against [1 - tol, (1 + tol) * predicted_high / predicted].
void check_variance(const char* what, const std::vector<int64_t>& errors, double predicted,
                    double predicted_high = 0.0) {
  if (predicted_high < predicted) predicted_high = predicted;
  const double measured = variance_of(errors);
  const double ratio = measured / predicted;
  const double tol = 6.0 * std::sqrt(2.0 / static_cast<double>(errors.size()));
  const double hi = (1 + tol) * predicted_high / predicted;
  std::printf("[noise] %-10s samples %5zu  measured 2^%.3f  predicted 2^%.3f", what, errors.size(),
              std::log2(measured), std::log2(predicted));
  if (predicted_high > predicted)
    std::printf(" (2^%.3f with FFT error)", std::log2(predicted_high));
  std::printf("  ratio %.3f  allowed [%.3f, %.3f]\n", ratio, 1 - tol, hi);
  EXPECT_GE(ratio, 1 - tol) << what;
  EXPECT_LE(ratio, hi) << what;
}

constexpr int kSamples = 1000;

TEST_F(RealParams, FreshEncryptionNoise) {
  const ShortintParams& p = *ck_->params;
  Csprng mask(test::test_seed(27)), noise(28);
  std::vector<int64_t> e;
  for (int i = 0; i < 10 * kSamples; ++i) {
    const uint64_t m = static_cast<uint64_t>(i) % 4;
    const auto c = shortint::encrypt(*ck_, m, mask, noise);
    e.push_back(test::centered(lwe_phase(ck_->big_lwe(), c.ct) - m * p.delta()));
  }
  check_variance("fresh", e, p.glwe_noise.variance());
}

TEST_F(RealParams, KeyswitchNoise) {
  const ShortintParams& p = *ck_->params;
  Csprng mask(test::test_seed(29)), noise(30);
  shortint::Evaluator ev(*sk_);
  std::vector<int64_t> e;
  LweCiphertext out(p.lwe_dimension);
  for (int i = 0; i < kSamples; ++i) {
    const uint64_t m = static_cast<uint64_t>(i) % 4;
    const auto c = shortint::encrypt(*ck_, m, mask, noise);
    ev.keyswitch_raw(c.ct, out);
    e.push_back(test::centered(lwe_phase(ck_->lwe, out) - m * p.delta()));
  }
  const double w = weight(ck_->glwe.bits);
  const double step = std::ldexp(1.0, static_cast<int>(64 - p.ks.base_log * p.ks.level));
  const double predicted = p.glwe_noise.variance() + w * step * step / 12.0 +
                           p.big_lwe_dimension() * p.ks.level * digit_second_moment(p.ks.base_log) *
                               p.lwe_noise.variance();
  check_variance("keyswitch", e, predicted);
}

TEST_F(RealParams, PbsNoise) {
  const ShortintParams& p = *ck_->params;
  const uint64_t seed = static_cast<uint64_t>(test::test_seed(31));
  const auto lut = shortint::make_lut(p, [](uint64_t x) { return (x + 1) % 4; });
  // Two workers, each with its own evaluator and streams (samples are independent).
  std::vector<int64_t> e(kSamples);
  auto work = [&](int w) {
    shortint::Evaluator ev(*sk_);
    Csprng mask(seed * 2 + static_cast<uint64_t>(w)),
        noise(seed * 2 + 1000 + static_cast<uint64_t>(w));
    for (int i = w; i < kSamples; i += 2) {
      const uint64_t m = static_cast<uint64_t>(i) % 4;
      const auto r = ev.apply_lut(shortint::encrypt(*ck_, m, mask, noise), lut);
      e[static_cast<std::size_t>(i)] =
          test::centered(lwe_phase(ck_->big_lwe(), r.ct) - ((m + 1) % 4) * p.delta());
    }
  };
  std::thread t1(work, 1);
  work(0);
  t1.join();
  const double h = weight(ck_->lwe.bits);
  const double w = weight(ck_->glwe.bits);
  const double k1 = p.glwe_dimension + 1;
  const double step = std::ldexp(1.0, static_cast<int>(64 - p.pbs.base_log * p.pbs.level));
  const double key_noise = p.lwe_dimension * k1 * p.pbs.level * p.polynomial_size *
                           digit_second_moment(p.pbs.base_log) * p.glwe_noise.variance();
  const double rounding = h * (1.0 + w) * step * step / 12.0;
  const double k = p.glwe_dimension, big_n = p.polynomial_size, l = p.pbs.level;
  const double fft_per_cmux =
      0.00705 * std::exp2(2.0 * p.pbs.base_log - 2.0 * 53.0) * std::pow(l, 1.01827) *
      std::pow(k, 1.22003) * std::pow(big_n, 2.22003) * std::pow(k + 1, 1.01827) * std::exp2(128.0);
  const double fft = p.lwe_dimension * fft_per_cmux;
  check_variance("pbs", e, key_noise + rounding, key_noise + rounding + fft);
}

}  // namespace
}  // namespace fhe
