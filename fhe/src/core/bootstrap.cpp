// Bootstrapping key, external product, blind rotation and sample extraction
// (reference/tfhe-rs.md §2.4, §2.8, §2.9; Chillotti et al., "TFHE", J. Cryptology 2020).
#include <cassert>

#include "core/parallel.h"
#include "core/rotate_decompose.h"
#include "fhe/core.h"

namespace fhe {

StandardBootstrapKey generate_bootstrap_key(const LweSecretKey& small, const GlweSecretKey& glwe,
                                            Decomposition d, TUniform noise, u128 mask_seed,
                                            u128 noise_seed) {
  const uint32_t k = glwe.glwe_dimension, n = glwe.polynomial_size;
  const std::size_t k1 = k + 1;
  StandardBootstrapKey bsk;
  bsk.input_dimension = static_cast<uint32_t>(small.dimension());
  bsk.glwe_dimension = k;
  bsk.polynomial_size = n;
  bsk.decomp = d;
  const std::size_t glwe_len = k1 * n;
  const std::size_t ggsw_len = std::size_t{d.level} * k1 * glwe_len;
  bsk.data.assign(small.dimension() * ggsw_len, 0);
  // Stream windows of one GGSW: (l * (k+1)) GLWE encryptions.
  const uint64_t mask_bytes = uint64_t{d.level} * k1 * k * n * 8;
  const uint64_t noise_bytes =
      uint64_t{d.level} * k1 * n * Csprng::tuniform_bytes(noise.bound_log2);

  detail::parallel_for(small.dimension(), [&](std::size_t i) {
    Csprng mask(mask_seed, i * mask_bytes);
    Csprng noise_rng(noise_seed, i * noise_bytes);
    ggsw_encrypt(glwe, small.bits[i], d, noise, mask, noise_rng, bsk.data.data() + i * ggsw_len);
  });
  return bsk;
}

void ggsw_encrypt(const GlweSecretKey& sk, uint64_t m, Decomposition d, TUniform noise,
                  Csprng& mask, Csprng& noise_rng, uint64_t* out) {
  const uint32_t k = sk.glwe_dimension, n = sk.polynomial_size;
  const std::size_t k1 = k + 1, glwe_len = k1 * n;
  SecretVec<uint64_t> pt(n);  // S_r * f: secret-dependent
  GlweCiphertext g(k, n);
  for (uint32_t li = 0; li < d.level; ++li) {
    const uint32_t level = d.level - li;  // storage index 0 = level l
    const uint64_t factor = uint64_t{1} << (64 - d.base_log * level);
    const uint64_t f = (0 - m) * factor;  // (-m) * q / B^level
    for (uint32_t r = 0; r <= k; ++r) {
      if (r < k) {
        // Row r: phase S_r * f (= -m * S_r * q/B^level).
        const uint64_t* s = sk.bits.data() + std::size_t{r} * n;
        for (uint32_t j = 0; j < n; ++j) pt[j] = s[j] * f;
      } else {
        // Row k: phase m * q/B^level in the constant term.
        std::fill(pt.begin(), pt.end(), 0);
        pt[0] = 0 - f;
      }
      glwe_encrypt(sk, pt.data(), noise, mask, noise_rng, g);
      std::copy(g.data.begin(), g.data.end(), out + (li * k1 + r) * glwe_len);
    }
  }
}

uint64_t ggsw_decrypt(const GlweSecretKey& sk, const uint64_t* ggsw, Decomposition d) {
  const uint32_t k = sk.glwe_dimension, n = sk.polynomial_size;
  const std::size_t k1 = k + 1, glwe_len = k1 * n;
  // Level 1 (most significant) is stored last.
  GlweCiphertext row(k, n);
  std::copy(ggsw + ((d.level - 1) * k1 + k) * glwe_len,
            ggsw + ((d.level - 1) * k1 + k + 1) * glwe_len, row.data.begin());
  std::vector<uint64_t> phase(n);
  glwe_phase(sk, row, phase.data());
  const uint32_t shift = 64 - d.base_log;
  return ((phase[0] + (uint64_t{1} << (shift - 1))) >> shift) & ((uint64_t{1} << d.base_log) - 1);
}

FourierBootstrapKey to_fourier(const StandardBootstrapKey& bsk, const Fft& fft) {
  assert(fft.polynomial_size() == bsk.polynomial_size);
  FourierBootstrapKey f;
  f.input_dimension = bsk.input_dimension;
  f.glwe_dimension = bsk.glwe_dimension;
  f.polynomial_size = bsk.polynomial_size;
  f.decomp = bsk.decomp;
  const std::size_t n = bsk.polynomial_size;
  const std::size_t per_ggsw =
      std::size_t{bsk.decomp.level} * (bsk.glwe_dimension + 1) * (bsk.glwe_dimension + 1);
  f.data.assign(bsk.data.size(), 0.0);
  detail::parallel_for(bsk.input_dimension, [&](std::size_t i) {
    AVec<double> tmp(per_ggsw * n);
    const uint64_t* src = bsk.data.data() + i * per_ggsw * n;
    for (std::size_t k = 0; k < per_ggsw; ++k) fft.forward_torus(src + k * n, tmp.data() + k * n);
    pack_key(n, f.data.data() + i * per_ggsw * n, tmp.data(), per_ggsw);
  });
  return f;
}

static void ensure_scratch(PbsScratch& s, uint32_t k, uint32_t n, uint32_t levels) {
  const std::size_t k1 = k + 1;
  if (s.diff.polynomial_size != n || s.diff.glwe_dimension != k) s.diff = GlweCiphertext(k, n);
  if (s.digits.size() != levels * k1 * n) s.digits.assign(levels * k1 * n, 0);
  // A pad of 72 doubles (576 bytes): the buffers' streams start in different 4 KiB-modulo sets.
  s.fourier_stride = n + 72;
  const std::size_t fourier = (levels * k1 + k1) * s.fourier_stride;
  if (s.fourier.size() != fourier) s.fourier.assign(fourier, 0.0);
}

// digits[level][row][coefficient] of a GLWE (generic number of levels).
static void decompose_glwe(const GlweCiphertext& in, Decomposition d, int64_t* digits) {
  const std::size_t k1 = std::size_t{in.glwe_dimension} + 1, n = in.polynomial_size;
  const Decomposer dec{d.base_log, d.level};
  int64_t tmp[64];
  for (std::size_t r = 0; r < k1; ++r) {
    const uint64_t* p = in.poly(static_cast<uint32_t>(r));
    for (std::size_t j = 0; j < n; ++j) {
      dec.decompose(p[j], tmp);
      for (uint32_t li = 0; li < d.level; ++li) digits[(li * k1 + r) * n + j] = tmp[li];
    }
  }
}

// ACC += sum over (level, row) of F(digits[level][row]) * GGSW[level][row][c], transformed back:
// the external product of a GGSW with an already decomposed GLWE (storage order of the key). All
// digit rows are transformed first, then one fused pass per key row block (Fft::external_mac)
// accumulates every output column.
static void external_product_digits(const double* ggsw, const Fft& fft, const int64_t* digits,
                                    GlweCiphertext& acc, Decomposition d, PbsScratch& s,
                                    const double* next_ggsw = nullptr) {
  const std::size_t k1 = std::size_t{acc.glwe_dimension} + 1, n = acc.polynomial_size;
  const std::size_t rows = std::size_t{d.level} * k1;
  const std::size_t stride = s.fourier_stride;
  double* in = s.fourier.data();
  double* out = in + rows * stride;
  // The next key row (rows * k1 buffers of N doubles) is fetched into L2 during this step's
  // transforms, one buffer per transform while they last.
  const std::size_t key_buffers = rows * k1;
  auto fetch = [&](std::size_t t) -> const double* {
    return next_ggsw != nullptr && t < key_buffers ? next_ggsw + t * n : nullptr;
  };
  for (std::size_t r = 0; r < rows; ++r) {
    fft.forward_int(digits + r * n, in + r * stride, fetch(r));
  }
  fft.external_mac(out, stride, in, stride, rows, ggsw, k1);
  for (std::size_t c = 0; c < k1; ++c) {
    fft.backward_torus_add(out + c * stride, acc.poly(static_cast<uint32_t>(c)), fetch(rows + c));
  }
}

void external_product_add(const double* ggsw, const Fft& fft, const GlweCiphertext& in,
                          GlweCiphertext& acc, Decomposition d, PbsScratch& s) {
  ensure_scratch(s, in.glwe_dimension, in.polynomial_size, d.level);
  decompose_glwe(in, d, s.digits.data());
  external_product_digits(ggsw, fft, s.digits.data(), acc, d, s);
}

// One CMUX step of a blind rotation: ACC += ExtProd(GGSW, ACC * X^a - ACC), 0 < a < 2N.
static void cmux_step(const FourierBootstrapKey& bsk, const double* ggsw, const double* next_ggsw,
                      const Fft& fft, std::size_t a, GlweCiphertext& acc, PbsScratch& s,
                      detail::RotateSubDecomposeFn fused) {
  const uint32_t k = bsk.glwe_dimension, n = bsk.polynomial_size;
  if (bsk.decomp.level == 1) {
    // Rotation, subtraction and decomposition in one pass (integer-exact).
    for (uint32_t r = 0; r <= k; ++r) {
      fused(acc.poly(r), n, a, bsk.decomp.base_log, s.digits.data() + std::size_t{r} * n);
    }
  } else {
    for (uint32_t r = 0; r <= k; ++r) {
      uint64_t* dst = s.diff.poly(r);
      const uint64_t* src = acc.poly(r);
      poly_monomial_mul(dst, src, n, a);
      for (uint32_t j = 0; j < n; ++j) dst[j] -= src[j];
    }
    decompose_glwe(s.diff, bsk.decomp, s.digits.data());
  }
  external_product_digits(ggsw, fft, s.digits.data(), acc, bsk.decomp, s, next_ggsw);
}

// ACC <- ACC * X^(-b')
static void rotate_by_body(const FourierBootstrapKey& bsk, std::size_t b, GlweCiphertext& acc,
                           PbsScratch& s) {
  if (b == 0) return;
  const uint32_t k = bsk.glwe_dimension, n = bsk.polynomial_size;
  for (uint32_t r = 0; r <= k; ++r) {
    poly_monomial_mul(s.diff.poly(r), acc.poly(r), n, 2 * std::size_t{n} - b);
  }
  std::swap(s.diff.data, acc.data);
}

void blind_rotate(const FourierBootstrapKey& bsk, const Fft& fft, const uint32_t* ms,
                  GlweCiphertext& acc, PbsScratch& s) {
  const uint32_t* const one_ms[1] = {ms};
  GlweCiphertext* const one_acc[1] = {&acc};
  blind_rotate_batch(bsk, fft, one_ms, one_acc, s);
}

void blind_rotate_batch(const FourierBootstrapKey& bsk, const Fft& fft,
                        std::span<const uint32_t* const> ms, std::span<GlweCiphertext* const> accs,
                        PbsScratch& s) {
  assert(ms.size() == accs.size());
  ensure_scratch(s, bsk.glwe_dimension, bsk.polynomial_size, bsk.decomp.level);
  for (std::size_t c = 0; c < accs.size(); ++c) {
    rotate_by_body(bsk, ms[c][bsk.input_dimension], *accs[c], s);
  }
  const detail::RotateSubDecomposeFn fused = detail::rotate_sub_decompose_l1_best();
  // Key row i is read from memory once per batch: the first step that uses it fetches row i + 1
  // into L2 meanwhile, so that the next row's read overlaps with the FFT work. Each ciphertext
  // goes through exactly the steps of blind_rotate, in the same order.
  for (std::size_t i = 0; i < bsk.input_dimension; ++i) {
    const double* ggsw = bsk.ggsw(i);
    const double* next = i + 1 < bsk.input_dimension ? bsk.ggsw(i + 1) : nullptr;
    for (std::size_t c = 0; c < accs.size(); ++c) {
      const std::size_t a = ms[c][i];
      if (a == 0) continue;
      cmux_step(bsk, ggsw, next, fft, a, *accs[c], s, fused);
      next = nullptr;  // fetched once
    }
  }
}

namespace detail {
RotateSubDecomposeFn rotate_sub_decompose_l1_best() noexcept {
  static const RotateSubDecomposeFn fn = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return &rotate_sub_decompose_l1_avx512;
    if (__builtin_cpu_supports("avx2")) return &rotate_sub_decompose_l1_avx2;
    return static_cast<RotateSubDecomposeFn>(
        [](const uint64_t* p, std::size_t n, std::size_t a, uint32_t base_log,
           int64_t* digits) noexcept { rotate_sub_decompose_l1(p, n, a, base_log, digits); });
  }();
  return fn;
}
}  // namespace detail

void sample_extract(const GlweCiphertext& glwe, std::size_t nth, LweCiphertext& out) {
  const uint32_t k = glwe.glwe_dimension, n = glwe.polynomial_size;
  assert(nth < n);
  if (out.data.size() != std::size_t{k} * n + 1) out = LweCiphertext(std::size_t{k} * n);
  // a_{r,j} = A_r[nth - j] for j <= nth, -A_r[N + nth - j] for j > nth.
  for (uint32_t r = 0; r < k; ++r) {
    const uint64_t* a = glwe.poly(r);
    uint64_t* o = out.data.data() + std::size_t{r} * n;
    for (std::size_t j = 0; j <= nth; ++j) o[j] = a[nth - j];
    for (std::size_t j = nth + 1; j < n; ++j) o[j] = 0 - a[n + nth - j];
  }
  out.body() = glwe.poly(k)[nth];
}

}  // namespace fhe
