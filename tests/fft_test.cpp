// FFT backends (fhe/fft.h): negacyclic products against an exact schoolbook product, the plain
// complex FFT against a long-double DFT, known answers for the torus rounding edge cases, and
// bit-identity of the scalar, AVX2 and AVX-512 backends on every method (DESIGN.md §3).
#include "fhe/fft.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "fft/fft_internal.h"
#include "fhe/aligned.h"
#include "test_util.h"

namespace fhe {
namespace {

using fft_internal::ComplexFft;

std::mt19937_64 seeded_rng(uint64_t fallback) {
  return std::mt19937_64(static_cast<uint64_t>(test::test_seed(fallback)));
}

// Exact c = a * b in Z_{2^64}[X]/(X^N + 1) (wrapping u64 arithmetic).
std::vector<uint64_t> negacyclic_exact(const std::vector<int64_t>& a,
                                       const std::vector<uint64_t>& b) {
  const std::size_t n = a.size();
  std::vector<uint64_t> c(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const uint64_t ai = static_cast<uint64_t>(a[i]);
    for (std::size_t j = 0; j < n; ++j) {
      const uint64_t p = ai * b[j];
      if (i + j < n) {
        c[i + j] += p;
      } else {
        c[i + j - n] -= p;
      }
    }
  }
  return c;
}

std::vector<int64_t> random_small(std::mt19937_64& rng, std::size_t n, int64_t bound) {
  std::uniform_int_distribution<int64_t> d(-bound, bound);
  std::vector<int64_t> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

std::vector<uint64_t> random_torus(std::mt19937_64& rng, std::size_t n) {
  std::vector<uint64_t> v(n);
  for (auto& x : v) x = rng();
  return v;
}

double norm2_int(const std::vector<int64_t>& a) {
  long double s = 0;
  for (int64_t x : a) s += static_cast<long double>(x) * static_cast<long double>(x);
  return static_cast<double>(std::sqrt(s));
}

double norm2_torus(const std::vector<uint64_t>& b) {
  long double s = 0;
  for (uint64_t x : b) {
    const long double t = std::ldexp(static_cast<long double>(static_cast<int64_t>(x)), -64);
    s += t * t;
  }
  return static_cast<double>(std::sqrt(s));
}

// Error bound of one FFT product, in units of 2^-64 (one u64 step): the classical forward error
// bound of an FFT-based convolution (Higham, "Accuracy and Stability of Numerical Algorithms",
// §24.1; Brisebarre et al. 2020) is ||c' - c||_inf <= ||a||_2 ||b||_2 * ~3 log2(M) * (eps (1 +
// sqrt 5) + mu) with eps = 2^-53 and mu the twiddle error (<= eps here); the twist/untwist
// products, the int->double conversions and the 2^-64 scaling add a few eps more. We allow
// 16 (log2 N + 2) eps ||a||_2 ||b||_2 (b in torus units), plus 1 for the final rounding.
double product_error_bound(std::size_t n, double norm_a, double norm_b) {
  const double eps = 0x1p-53;
  return std::ldexp(16.0 * (std::log2(static_cast<double>(n)) + 2.0) * eps * norm_a * norm_b, 64) +
         1.0;
}

// acc += a * b through the FFT; returns the largest |error| against the exact product.
double max_product_error(const Fft& fft, const std::vector<int64_t>& a,
                         const std::vector<uint64_t>& b, const std::vector<uint64_t>& acc0) {
  const std::size_t n = a.size();
  AVec<int64_t> ai(a.begin(), a.end());
  AVec<uint64_t> bi(b.begin(), b.end());
  AVec<double> fa(n), fb(n), fc(n);
  AVec<uint64_t> acc(acc0.begin(), acc0.end());
  fft.forward_int(ai.data(), fa.data());
  fft.forward_torus(bi.data(), fb.data());
  fft.mul(fc.data(), fa.data(), fb.data());
  fft.backward_torus_add(fc.data(), acc.data());
  const auto exact = negacyclic_exact(a, b);
  double worst = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const int64_t err = static_cast<int64_t>(acc[j] - acc0[j] - exact[j]);
    worst = std::max(worst, std::fabs(static_cast<double>(err)));
  }
  return worst;
}

std::vector<FftKind> supported_kinds() {
  std::vector<FftKind> k{FftKind::Scalar};
  if (fft_kind_supported(FftKind::Avx2)) k.push_back(FftKind::Avx2);
  if (fft_kind_supported(FftKind::Avx512)) k.push_back(FftKind::Avx512);
  return k;
}

// The SIMD backends this CPU and build can run (each is compared with the scalar reference).
std::vector<FftKind> simd_kinds() {
  std::vector<FftKind> k = supported_kinds();
  k.erase(k.begin());
  return k;
}

// ---------------------------------------------------------------------------------------------

TEST(Fft, RejectsUnsupportedSizes) {
  for (std::size_t n : {0u, 32u, 100u, 1000u, 8192u}) {
    EXPECT_THROW(make_fft(n, FftKind::Scalar), std::invalid_argument) << n;
  }
  for (std::size_t n = 64; n <= 4096; n *= 2) {
    const auto fft = make_fft(n, FftKind::Scalar);
    EXPECT_EQ(fft->polynomial_size(), n);
    EXPECT_EQ(fft->kind(), FftKind::Scalar);
  }
}

TEST(Fft, EnvironmentOverridesAuto) {
  const char* old = std::getenv("FHE_FFT");
  const std::string saved = old ? old : "";
  setenv("FHE_FFT", "scalar", 1);
  EXPECT_EQ(default_fft_kind(), FftKind::Scalar);
  EXPECT_EQ(make_fft(1024)->kind(), FftKind::Scalar);
  setenv("FHE_FFT", "bogus", 1);
  EXPECT_THROW(default_fft_kind(), std::invalid_argument);
  if (fft_kind_supported(FftKind::Avx2)) {
    setenv("FHE_FFT", "avx2", 1);
    EXPECT_EQ(make_fft(1024)->kind(), FftKind::Avx2);
  }
  if (fft_kind_supported(FftKind::Avx512)) {
    setenv("FHE_FFT", "avx512", 1);
    EXPECT_EQ(make_fft(1024)->kind(), FftKind::Avx512);
  }
  setenv("FHE_FFT", "auto", 1);
  const FftKind best = fft_kind_supported(FftKind::Avx512) ? FftKind::Avx512
                       : fft_kind_supported(FftKind::Avx2) ? FftKind::Avx2
                                                           : FftKind::Scalar;
  EXPECT_EQ(default_fft_kind(), best);
  unsetenv("FHE_FFT");
  EXPECT_EQ(default_fft_kind(), best);
  EXPECT_EQ(make_fft(1024)->kind(), best);
  if (old) {
    setenv("FHE_FFT", saved.c_str(), 1);
  } else {
    unsetenv("FHE_FFT");
  }
}

// The plain complex FFT and its documented output permutation, against a long-double DFT.
TEST(Fft, ComplexFftMatchesDft) {
  auto rng = seeded_rng(11);
  std::uniform_real_distribution<double> d(-1.0, 1.0);
  for (FftKind kind : supported_kinds()) {
    for (std::size_t m = 32; m <= 2048; m *= 2) {
      const ComplexFft fft(m, kind);
      AVec<double> re(m), im(m), fr(m), fi(m), br(m), bi(m);
      for (std::size_t j = 0; j < m; ++j) re[j] = d(rng), im[j] = d(rng);
      fft.forward(re.data(), im.data(), fr.data(), fi.data());
      std::vector<bool> seen(m, false);
      const long double pi = 3.141592653589793238462643383279503L;
      std::vector<long double> cs(m), sn(m);  // exp(-2 pi i t / m)
      for (std::size_t t = 0; t < m; ++t) {
        cs[t] = std::cos(2 * pi * static_cast<long double>(t) / static_cast<long double>(m));
        sn[t] = -std::sin(2 * pi * static_cast<long double>(t) / static_cast<long double>(m));
      }
      double worst = 0;
      for (std::size_t p = 0; p < m; ++p) {
        const std::size_t k = fft.frequency(p);
        ASSERT_LT(k, m);
        ASSERT_FALSE(seen[k]) << "frequency() is not a permutation";
        seen[k] = true;
        long double sr = 0, si = 0;
        for (std::size_t j = 0; j < m; ++j) {
          const std::size_t t = (j * k) % m;
          sr += re[j] * cs[t] - im[j] * sn[t];
          si += re[j] * sn[t] + im[j] * cs[t];
        }
        worst = std::max(worst, static_cast<double>(std::fabs(sr - fr[p])));
        worst = std::max(worst, static_cast<double>(std::fabs(si - fi[p])));
      }
      EXPECT_LT(worst, 1e-13 * static_cast<double>(m)) << "M=" << m << " " << fft.name();
      // Inverse: backward(forward(x)) = M x.
      fft.backward(fr.data(), fi.data(), br.data(), bi.data());
      double rt = 0;
      for (std::size_t j = 0; j < m; ++j) {
        rt = std::max(rt, std::fabs(br[j] / static_cast<double>(m) - re[j]));
        rt = std::max(rt, std::fabs(bi[j] / static_cast<double>(m) - im[j]));
      }
      EXPECT_LT(rt, 1e-14) << "M=" << m << " " << fft.name();
      // In place gives the same bits as out of place.
      AVec<double> ir = re, ii = im;
      fft.forward(ir.data(), ii.data(), ir.data(), ii.data());
      EXPECT_EQ(0, std::memcmp(ir.data(), fr.data(), m * sizeof(double)));
      EXPECT_EQ(0, std::memcmp(ii.data(), fi.data(), m * sizeof(double)));
    }
  }
}

// (a)+(b): small-integer times torus negacyclic products equal the exact product mod 2^64 up to
// product_error_bound(), for digits of a binary key, of base 2^10 and of base 2^23 (|d| <= 2^22,
// the PBS decomposition of the FHEVM parameters).
TEST(Fft, NegacyclicProductMatchesSchoolbook) {
  auto rng = seeded_rng(1);
  for (FftKind kind : supported_kinds()) {
    for (std::size_t n : {64u, 256u, 1024u, 2048u, 4096u}) {
      const auto fft = make_fft(n, kind);
      for (int64_t bound : {int64_t{1}, int64_t{1} << 10, int64_t{1} << 22}) {
        auto a = random_small(rng, n, bound);
        if (bound == 1) {
          for (auto& x : a) x = x < 0 ? 0 : x;  // binary (key bits)
        }
        const auto b = random_torus(rng, n);
        const auto acc0 = random_torus(rng, n);
        const double err = max_product_error(*fft, a, b, acc0);
        const double lim = product_error_bound(n, norm2_int(a), norm2_torus(b));
        EXPECT_LE(err, lim) << "N=" << n << " |a|<=" << bound << " " << fft->name();
        std::printf("  %-6s N=%-5zu |a|<=2^%-2d max error 2^%5.1f, bound 2^%5.1f\n",
                    std::string(fft->name()).c_str(), n,
                    static_cast<int>(std::log2(static_cast<double>(bound))),
                    std::log2(std::max(err, 1.0)), std::log2(lim));
      }
    }
  }
}

// (d): an external-product-like accumulation: acc = sum_k a_k * b_k in the Fourier domain (mul
// for the first term, mul_acc for the others), one backward transform; error bound scaled by the
// number of terms. Also: mul_acc into zeros gives the same bits as mul.
TEST(Fft, MulAccAccumulates) {
  auto rng = seeded_rng(2);
  constexpr std::size_t kTerms = 4;
  for (FftKind kind : supported_kinds()) {
    for (std::size_t n : {256u, 1024u, 2048u}) {
      const auto fft = make_fft(n, kind);
      AVec<double> fa(n), fb(n), facc(n), fzero(n, 0.0), fmul(n);
      AVec<int64_t> ai(n);
      AVec<uint64_t> bi(n);
      std::vector<uint64_t> exact(n, 0);
      double bound = 1.0;
      for (std::size_t t = 0; t < kTerms; ++t) {
        const auto a = random_small(rng, n, int64_t{1} << 22);
        const auto b = random_torus(rng, n);
        std::copy(a.begin(), a.end(), ai.begin());
        std::copy(b.begin(), b.end(), bi.begin());
        fft->forward_int(ai.data(), fa.data());
        fft->forward_torus(bi.data(), fb.data());
        if (t == 0) {
          fft->mul(facc.data(), fa.data(), fb.data());
          fft->mul(fmul.data(), fa.data(), fb.data());
          fft->mul_acc(fzero.data(), fa.data(), fb.data());
          EXPECT_EQ(0, std::memcmp(fmul.data(), fzero.data(), n * sizeof(double)));
        } else {
          fft->mul_acc(facc.data(), fa.data(), fb.data());
        }
        const auto e = negacyclic_exact(a, b);
        for (std::size_t j = 0; j < n; ++j) exact[j] += e[j];
        bound += product_error_bound(n, norm2_int(a), norm2_torus(b));
      }
      AVec<uint64_t> acc(n, 0);
      fft->backward_torus_add(facc.data(), acc.data());
      double worst = 0;
      for (std::size_t j = 0; j < n; ++j) {
        worst = std::max(worst,
                         std::fabs(static_cast<double>(static_cast<int64_t>(acc[j] - exact[j]))));
      }
      EXPECT_LE(worst, bound) << "N=" << n << " " << fft->name();
    }
  }
}

// Known answers of the backward conversion, including t * 2^64 = +-2^63 and halfway cases: a
// constant Fourier buffer c (real) / c i (imaginary) transforms back exactly to t = c at
// coefficient 0 / M, and 0 elsewhere.
TEST(Fft, BackwardRoundingEdgeCases) {
  struct Case {
    double c;
    uint64_t expect;
  };
  const Case cases[] = {
      {0.5, 0x8000000000000000},          // v = +2^63
      {-0.5, 0x8000000000000000},         // v = -2^63
      {1.5, 0x8000000000000000},          // frac(1.5) = -0.5 (1.5 rounds to 2)
      {2.5, 0x8000000000000000},          // frac(2.5) = 0.5 (2.5 rounds to 2)
      {0x1p-65, 0},                       // 0.5 -> 0 (ties to even)
      {0x1.8p-64, 2},                     // 1.5 -> 2
      {-0x1.8p-64, ~uint64_t{1}},         // -1.5 -> -2
      {0x1.4p-63, 2},                     // 2.5 -> 2
      {0.25, 0x4000000000000000},         //
      {-0.25, 0xC000000000000000},        //
      {3.0 + 0x1p-40, 0x1000000},         // integer part dropped
      {0x1p-33 + 0x1p-65, 0x80000000},    // 2^31 + 0.5 -> 2^31 (even)
      {0x1p-33 + 0x1.8p-64, 0x80000002},  // 2^31 + 1.5 -> 2^31 + 2
      {0.5 - 0x1p-54, 0x7FFFFFFFFFFFFC00},
  };
  for (FftKind kind : supported_kinds()) {
    for (std::size_t n : {64u, 2048u}) {
      const auto fft = make_fft(n, kind);
      const std::size_t m = n / 2;
      for (const Case& c : cases) {
        for (int part = 0; part < 2; ++part) {
          AVec<double> f(n, 0.0);
          for (std::size_t p = 0; p < m; ++p) f[part * m + p] = c.c;
          AVec<uint64_t> acc(n, 7);
          fft->backward_torus_add(f.data(), acc.data());
          for (std::size_t j = 0; j < n; ++j) {
            const uint64_t want = j == part * m ? c.expect + 7 : 7;
            ASSERT_EQ(acc[j], want) << "c=" << c.c << " part=" << part << " j=" << j << " N=" << n
                                    << " " << fft->name();
          }
        }
      }
    }
  }
}

// forward_torus of a single coefficient t at position 0 gives the constant t * 2^-64 (as a
// correctly rounded double) in every Fourier slot: checks the int64 -> double conversion.
TEST(Fft, ForwardTorusConversionIsCorrectlyRounded) {
  const uint64_t values[] = {0,
                             1,
                             0x8000000000000000,
                             0x7FFFFFFFFFFFFFFF,
                             0xFFFFFFFFFFFFFFFF,
                             0x0020000000000001,  // 2^53 + 1: tie, rounds to even
                             0x0020000000000003,  // 2^53 + 3: tie, rounds up
                             0xFFDFFFFFFFFFFFFF,
                             0x123456789ABCDEF1,
                             0xFEDCBA9876543211};
  for (FftKind kind : supported_kinds()) {
    const std::size_t n = 256;
    const auto fft = make_fft(n, kind);
    for (uint64_t v : values) {
      AVec<uint64_t> in(n, 0);
      in[0] = v;
      AVec<double> out(n);
      fft->forward_torus(in.data(), out.data());
      const double want = std::ldexp(static_cast<double>(static_cast<int64_t>(v)), -64);
      for (std::size_t p = 0; p < n / 2; ++p) {
        ASSERT_EQ(out[p], want) << std::hex << v << " " << fft->name();
        ASSERT_EQ(out[n / 2 + p], 0.0) << std::hex << v << " " << fft->name();
      }
    }
  }
}

// external_mac equals mul for row 0 then mul_acc for rows 1.. in order, bit for bit, on every
// backend, for 1..5 rows (5: the generic path) and 1..3 columns; buffers are realistic (transformed
// digits and torus keys) and the output buffer starts dirty.
TEST(Fft, ExternalMacMatchesMulSequence) {
  auto rng = seeded_rng(9);
  for (FftKind kind : supported_kinds()) {
    for (std::size_t n : {64u, 256u, 2048u}) {
      const auto fft = make_fft(n, kind);
      for (std::size_t rows = 1; rows <= 5; ++rows) {
        for (std::size_t cols = 1; cols <= 3; ++cols) {
          AVec<double> in(rows * n), g(rows * cols * n), out(cols * n), want(cols * n);
          for (std::size_t r = 0; r < rows; ++r) {
            AVec<int64_t> d(n);
            for (auto& x : d) x = static_cast<int64_t>(rng() % (1u << 23)) - (1 << 22);
            fft->forward_int(d.data(), in.data() + r * n);
          }
          for (std::size_t k = 0; k < rows * cols; ++k) {
            AVec<uint64_t> t(n);
            for (auto& x : t) x = rng();
            fft->forward_torus(t.data(), g.data() + k * n);
          }
          for (auto& x : out) x = std::ldexp(static_cast<double>(rng()), -30);
          for (std::size_t c = 0; c < cols; ++c) {
            fft->mul(want.data() + c * n, in.data(), g.data() + c * n);
            for (std::size_t r = 1; r < rows; ++r) {
              fft->mul_acc(want.data() + c * n, in.data() + r * n, g.data() + (r * cols + c) * n);
            }
          }
          // Packed key; padded strides for in and out (as the blind rotation uses them).
          AVec<double> key(g.size()), in_pad(rows * (n + 72)), out_pad(cols * (n + 72));
          pack_key(n, key.data(), g.data(), rows * cols);
          for (std::size_t r = 0; r < rows; ++r) {
            std::copy_n(in.data() + r * n, n, in_pad.data() + r * (n + 72));
          }
          for (auto& x : out_pad) x = std::ldexp(static_cast<double>(rng()), -30);
          fft->external_mac(out.data(), n, in.data(), n, rows, key.data(), cols);
          ASSERT_EQ(0, std::memcmp(out.data(), want.data(), cols * n * sizeof(double)))
              << fft->name() << " N=" << n << " rows=" << rows << " cols=" << cols;
          fft->external_mac(out_pad.data(), n + 72, in_pad.data(), n + 72, rows, key.data(), cols);
          for (std::size_t c = 0; c < cols; ++c) {
            ASSERT_EQ(0, std::memcmp(out_pad.data() + c * (n + 72), want.data() + c * n,
                                     n * sizeof(double)))
                << fft->name() << " strided, N=" << n << " rows=" << rows << " cols=" << cols;
          }
        }
      }
    }
  }
}

// The fetch hint of forward_int and backward_torus_add changes nothing in the results.
TEST(Fft, FetchHintChangesNothing) {
  auto rng = seeded_rng(10);
  for (FftKind kind : supported_kinds()) {
    for (std::size_t n : {64u, 2048u}) {
      const auto fft = make_fft(n, kind);
      AVec<int64_t> d(n);
      for (auto& x : d) x = static_cast<int64_t>(rng() % (1u << 23)) - (1 << 22);
      AVec<double> region(n, 1.0), f1(n), f2(n);
      fft->forward_int(d.data(), f1.data());
      fft->forward_int(d.data(), f2.data(), region.data());
      ASSERT_EQ(0, std::memcmp(f1.data(), f2.data(), n * sizeof(double))) << fft->name();
      AVec<uint64_t> a1(n, 7), a2(n, 7);
      fft->backward_torus_add(f1.data(), a1.data());
      fft->backward_torus_add(f2.data(), a2.data(), region.data());
      EXPECT_EQ(a1, a2) << fft->name();
    }
  }
}

// The packed key layout: a permutation (unpack inverts pack), chunk t of buffer k at
// (t count + k) 16.
TEST(Fft, PackedKeyLayoutIsAPermutation) {
  for (std::size_t n : {64u, 2048u}) {
    const std::size_t count = 3, m = n / 2;
    AVec<double> in(count * n), packed(count * n), back(count * n);
    for (std::size_t x = 0; x < in.size(); ++x) in[x] = static_cast<double>(x);
    pack_key(n, packed.data(), in.data(), count);
    unpack_key(n, back.data(), packed.data(), count);
    EXPECT_EQ(back, in);
    // Buffer 2, frequency position 13 (chunk 1, lane 5): real then imaginary part.
    EXPECT_EQ(packed[(1 * count + 2) * 16 + 5], in[2 * n + 13]);
    EXPECT_EQ(packed[(1 * count + 2) * 16 + 8 + 5], in[2 * n + m + 13]);
  }
}

// Known-answer digest of every method at N = 2048 and N = 256, for every backend: pins the
// bit-level results across machines, compilers and build types (DESIGN.md §3). Inputs come from
// std::mt19937_64 (fully specified by the standard) without distributions. If the FFT arithmetic
// is changed on purpose, update kGolden with the printed values.
uint64_t fnv1a(uint64_t h, const void* p, std::size_t n) {
  const auto* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 0x100000001b3;
  return h;
}

uint64_t golden_digest(const Fft& fft) {
  const std::size_t n = fft.polynomial_size();
  std::mt19937_64 rng(20240611);
  AVec<int64_t> d0(n), d1(n);
  AVec<uint64_t> t0(n), t1(n), acc(n);
  for (auto& x : d0) x = static_cast<int64_t>(rng() % (uint64_t{1} << 23)) - (int64_t{1} << 22);
  for (auto& x : d1) x = static_cast<int64_t>(rng() % 2);
  for (auto& x : t0) x = rng();
  for (auto& x : t1) x = rng();
  for (auto& x : acc) x = rng();
  AVec<double> f0(n), f1(n), g0(n), g1(n), p(n);
  fft.forward_int(d0.data(), f0.data());
  fft.forward_int(d1.data(), f1.data());
  fft.forward_torus(t0.data(), g0.data());
  fft.forward_torus(t1.data(), g1.data());
  fft.mul(p.data(), f0.data(), g0.data());
  fft.mul_acc(p.data(), f1.data(), g1.data());
  uint64_t h = 0xcbf29ce484222325;
  for (const auto* buf : {&f0, &f1, &g0, &g1, &p}) h = fnv1a(h, buf->data(), n * sizeof(double));
  fft.backward_torus_add(p.data(), acc.data());
  return fnv1a(h, acc.data(), n * sizeof(uint64_t));
}

TEST(Fft, GoldenDigest) {
  struct Golden {
    std::size_t n;
    uint64_t digest;
  };
  constexpr Golden kGolden[] = {{256, 0xfa163bd1a6cc7faf}, {2048, 0x9f60fd4744233db0}};
  for (FftKind kind : supported_kinds()) {
    for (const Golden& g : kGolden) {
      const auto fft = make_fft(g.n, kind);
      const uint64_t d = golden_digest(*fft);
      std::printf("  %-6s N=%-5zu digest 0x%016llx\n", std::string(fft->name()).c_str(), g.n,
                  static_cast<unsigned long long>(d));
      EXPECT_EQ(d, g.digest) << "N=" << g.n << " " << fft->name();
    }
  }
}

// (c): the scalar reference and every SIMD backend give bit-identical outputs for every method,
// on many random inputs.
class FftBitIdentity : public ::testing::TestWithParam<std::size_t> {};

void check_bit_identity(std::size_t n, FftKind kind) {
  const std::size_t m = n / 2;
  auto rng = seeded_rng(3 + n);
  const auto s = make_fft(n, FftKind::Scalar);
  const auto v = make_fft(n, kind);
  const ComplexFft cs(m, FftKind::Scalar), cv(m, kind);
  auto same = [&](const void* x, const void* y, const char* what, int it) {
    ASSERT_EQ(0, std::memcmp(x, y, n * 8))
        << what << " N=" << n << " " << v->name() << " iteration " << it;
  };
  const int iterations = n <= 1024 ? 200 : 60;
  for (int it = 0; it < iterations; ++it) {
    // Integer inputs (forward_int's domain is |x| < 2^51): key bits, PBS digits, values up to
    // 2^50, and values at the ends of the domain.
    AVec<int64_t> ai(n);
    const int shape = it % 4;
    for (auto& x : ai) {
      const uint64_t r = rng();
      switch (shape) {
        case 0:
          x = static_cast<int64_t>(r % 2);
          break;
        case 1:
          x = static_cast<int64_t>(r % (uint64_t{1} << 23)) - (int64_t{1} << 22);
          break;
        case 2:
          x = static_cast<int64_t>(r) >> (13 + r % 50);  // |x| <= 2^50
          break;
        default:
          x = (r & 1) ? (int64_t{1} << 51) - 1 - static_cast<int64_t>(r % 1024 >> 1)
                      : -(int64_t{1} << 51) + static_cast<int64_t>(r % 1024 >> 1);
      }
    }
    AVec<uint64_t> bi(n);
    for (auto& x : bi) x = rng();
    if (it % 5 == 0) {
      static constexpr uint64_t kEdges[] = {0,
                                            1,
                                            0x8000000000000000,
                                            0x7FFFFFFFFFFFFFFF,
                                            0xFFFFFFFFFFFFFFFF,
                                            0x0020000000000001,
                                            0xFFDFFFFFFFFFFFFF,
                                            0x8000000000000400};
      for (uint64_t e : kEdges) bi[rng() % n] = e;
    }

    AVec<double> fa_s(n), fa_v(n), fb_s(n), fb_v(n);
    s->forward_int(ai.data(), fa_s.data());
    v->forward_int(ai.data(), fa_v.data());
    same(fa_s.data(), fa_v.data(), "forward_int", it);
    s->forward_torus(bi.data(), fb_s.data());
    v->forward_torus(bi.data(), fb_v.data());
    same(fb_s.data(), fb_v.data(), "forward_torus", it);

    AVec<double> p_s(n), p_v(n);
    s->mul(p_s.data(), fa_s.data(), fb_s.data());
    v->mul(p_v.data(), fa_s.data(), fb_s.data());
    same(p_s.data(), p_v.data(), "mul", it);

    // mul_acc on random doubles (large dynamic range) and on the product above.
    AVec<double> x(n), y(n), acc_s(n), acc_v(n);
    for (std::size_t j = 0; j < n; ++j) {
      x[j] = std::ldexp(static_cast<double>(static_cast<int64_t>(rng())), -40 - (int)(rng() % 40));
      y[j] = std::ldexp(static_cast<double>(static_cast<int64_t>(rng())), -60 - (int)(rng() % 20));
      acc_s[j] = acc_v[j] = p_s[j];
    }
    s->mul_acc(acc_s.data(), x.data(), y.data());
    v->mul_acc(acc_v.data(), x.data(), y.data());
    same(acc_s.data(), acc_v.data(), "mul_acc", it);

    // backward_torus_add on a realistic Fourier buffer (the accumulated product) and on random
    // doubles of large magnitude (which hit the frac/rounding paths everywhere).
    AVec<double> in_s = acc_s, in_v = acc_s;
    if (it % 3 == 2) {
      for (std::size_t j = 0; j < n; ++j) {
        in_s[j] = in_v[j] =
            std::ldexp(static_cast<double>(static_cast<int64_t>(rng())), -50 + (int)(rng() % 30));
      }
    }
    AVec<uint64_t> r_s(n), r_v(n);
    for (std::size_t j = 0; j < n; ++j) r_s[j] = r_v[j] = rng();
    s->backward_torus_add(in_s.data(), r_s.data());
    v->backward_torus_add(in_v.data(), r_v.data());
    same(r_s.data(), r_v.data(), "backward_torus_add", it);

    // The plain complex transforms (used by the benchmark).
    AVec<double> c_s(n), c_v(n);
    cs.forward(x.data(), x.data() + m, c_s.data(), c_s.data() + m);
    cv.forward(x.data(), x.data() + m, c_v.data(), c_v.data() + m);
    same(c_s.data(), c_v.data(), "complex forward", it);
    cs.backward(y.data(), y.data() + m, c_s.data(), c_s.data() + m);
    cv.backward(y.data(), y.data() + m, c_v.data(), c_v.data() + m);
    same(c_s.data(), c_v.data(), "complex backward", it);
    // In place.
    AVec<double> ip_s = x, ip_v = x;
    cs.forward(ip_s.data(), ip_s.data() + m, ip_s.data(), ip_s.data() + m);
    cv.forward(ip_v.data(), ip_v.data() + m, ip_v.data(), ip_v.data() + m);
    same(ip_s.data(), ip_v.data(), "complex forward in place", it);
    cs.backward(ip_s.data(), ip_s.data() + m, ip_s.data(), ip_s.data() + m);
    cv.backward(ip_v.data(), ip_v.data() + m, ip_v.data(), ip_v.data() + m);
    same(ip_s.data(), ip_v.data(), "complex backward in place", it);

    // external_mac (rows, cols vary with the iteration) against the scalar one.
    const std::size_t rows = 1 + it % 4, cols = 1 + (it / 4) % 3;
    AVec<double> in(rows * n), g(rows * cols * n), o_s(cols * n), o_v(cols * n);
    for (auto& e : in) e = std::ldexp(static_cast<double>(static_cast<int64_t>(rng())), -40);
    for (auto& e : g) e = std::ldexp(static_cast<double>(static_cast<int64_t>(rng())), -70);
    s->external_mac(o_s.data(), n, in.data(), n, rows, g.data(), cols);
    v->external_mac(o_v.data(), n, in.data(), n, rows, g.data(), cols);
    for (std::size_t c = 0; c < cols; ++c)
      same(o_s.data() + c * n, o_v.data() + c * n, "external_mac", it);
  }
}

TEST_P(FftBitIdentity, ScalarAndSimdAgree) {
  if (simd_kinds().empty()) {
    GTEST_SKIP() << "this CPU (or build) has no SIMD backend: only the scalar backend can run";
  }
  for (FftKind kind : simd_kinds()) {
    check_bit_identity(GetParam(), kind);
    if (HasFatalFailure()) return;
  }
}

// The SIMD backends walk their first/last stage up or down depending on where the buffers lie
// (4K-aliasing avoidance); results must not depend on it. Buffers are carved from one pool at
// offsets (multiples of 64 bytes) that select both directions.
void check_placement(std::size_t n, FftKind kind) {
  const std::size_t m = n / 2;
  auto rng = seeded_rng(5 + n);
  const auto s = make_fft(n, FftKind::Scalar);
  const auto v = make_fft(n, kind);
  const ComplexFft cv(m, kind), cs(m, FftKind::Scalar);
  AVec<int64_t> digits(n);
  for (auto& x : digits) x = static_cast<int64_t>(rng() % (uint64_t{1} << 23)) - (int64_t{1} << 22);
  AVec<double> ref_f(n), ref_c(n), fourier(n);
  AVec<uint64_t> ref_acc(n, 3);
  s->forward_int(digits.data(), ref_f.data());
  fourier = ref_f;
  s->backward_torus_add(fourier.data(), ref_acc.data());
  cs.forward(ref_f.data(), ref_f.data() + m, ref_c.data(), ref_c.data() + m);

  // Pool in doubles; each buffer needs n slots (u64 and double have the same size).
  AVec<double> pool(8 * n + 4096);
  for (std::size_t off : {0u, 8u, 64u, 256u, 504u}) {  // in doubles: 0, 64, 512, 2048, 4032 bytes
    double* src = pool.data();
    double* dst = pool.data() + 2 * n + off;
    auto* ints = reinterpret_cast<int64_t*>(src);
    std::copy(digits.begin(), digits.end(), ints);
    v->forward_int(ints, dst);
    ASSERT_EQ(0, std::memcmp(dst, ref_f.data(), n * 8)) << "forward_int, offset " << off;
    // backward: work buffer `dst`, accumulator at `src` (+ offset in the other direction too).
    for (double* acc_at : {src, dst + n + off}) {
      auto* acc = reinterpret_cast<uint64_t*>(acc_at);
      std::fill(acc, acc + n, 3);
      std::copy(ref_f.begin(), ref_f.end(), dst);
      v->backward_torus_add(dst, acc);
      ASSERT_EQ(0, std::memcmp(acc, ref_acc.data(), n * 8)) << "backward, offset " << off;
    }
    std::copy(ref_f.begin(), ref_f.end(), src);
    cv.forward(src, src + m, dst, dst + m);
    ASSERT_EQ(0, std::memcmp(dst, ref_c.data(), n * 8)) << "complex forward, offset " << off;
  }
}

TEST_P(FftBitIdentity, IndependentOfBufferPlacement) {
  if (simd_kinds().empty()) {
    GTEST_SKIP() << "this CPU (or build) has no SIMD backend: only the scalar backend can run";
  }
  for (FftKind kind : simd_kinds()) {
    SCOPED_TRACE(std::string(make_fft(GetParam(), kind)->name()));
    check_placement(GetParam(), kind);
    if (HasFatalFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(AllSizes, FftBitIdentity,
                         ::testing::Values(64, 128, 256, 512, 1024, 2048, 4096),
                         [](const auto& p) { return "N" + std::to_string(p.param); });

}  // namespace
}  // namespace fhe
