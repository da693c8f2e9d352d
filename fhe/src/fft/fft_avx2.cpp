// AVX2+FMA backend (compiled with -mavx2 -mfma; selected at run time only when the CPU has both).
// Four complex values per vector pair (re, im) on the split layout; the same operations as the
// scalar reference, lane by lane (fft_kernels.h), hence bit-identical results.
#if defined(__x86_64__) && defined(__AVX2__) && defined(__FMA__)

#include <immintrin.h>

#include <algorithm>
#include <cstdint>

#include "fft/fft_external_mac.h"
#include "fft/fft_internal.h"
#include "fft/fft_kernels.h"

namespace fhe::fft_detail {
namespace {

using V = __m256d;
using IV = __m256i;

struct Avx2Ops {
  using V = __m256d;
  using IV = __m256i;
  static V set(double x) { return _mm256_set1_pd(x); }
  static V add(V a, V b) { return _mm256_add_pd(a, b); }
  static V sub(V a, V b) { return _mm256_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  static V addm(V a, V b) { return _mm256_fmadd_pd(a, _mm256_set1_pd(1.0), b); }
  static V subm(V a, V b) { return _mm256_fnmadd_pd(b, _mm256_set1_pd(1.0), a); }
  static V fmadd(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  static V fmsub(V a, V b, V c) { return _mm256_fmsub_pd(a, b, c); }
  static V fnmadd(V a, V b, V c) { return _mm256_fnmadd_pd(a, b, c); }
  static V round(V x) { return _mm256_round_pd(x, _MM_FROUND_CUR_DIRECTION | _MM_FROUND_NO_EXC); }
  static IV iset(uint64_t x) { return _mm256_set1_epi64x(static_cast<long long>(x)); }
  static IV iadd(IV a, IV b) { return _mm256_add_epi64(a, b); }
  static IV isub(IV a, IV b) { return _mm256_sub_epi64(a, b); }
  static IV ishl32(IV a) { return _mm256_slli_epi64(a, 32); }
  static IV iand(IV a, IV b) { return _mm256_and_si256(a, b); }
  static IV ior(IV a, IV b) { return _mm256_or_si256(a, b); }
  // Per 64-bit lane: high dword = (int32)(x >> 32) >> 16 = x >> 48 (arithmetic), low dword = 0.
  static IV high16_to_dword(IV x) {
    return _mm256_blend_epi32(_mm256_srai_epi32(x, 16), _mm256_setzero_si256(), 0x55);
  }
  static IV to_bits(V x) { return _mm256_castpd_si256(x); }
  static V from_bits(IV x) { return _mm256_castsi256_pd(x); }
};
using O = Avx2Ops;

// Data loads go through an empty asm so that the compiler keeps each loaded vector in a register
// instead of folding the same memory operand into several instructions (GCC does that for the
// operands of cmul, which doubles the load traffic of a butterfly).
FHE_FFT_INLINE V ld(const double* p) {
  V v = _mm256_loadu_pd(p);
  asm("" : "+x"(v));
  return v;
}
FHE_FFT_INLINE void st(double* p, V v) {
  _mm256_storeu_pd(p, v);
}
FHE_FFT_INLINE IV ldi(const void* p) {
  return _mm256_loadu_si256(static_cast<const __m256i*>(p));
}
FHE_FFT_INLINE void sti(void* p, IV v) {
  _mm256_storeu_si256(static_cast<__m256i*>(p), v);
}

// Twiddles are plain loads: the compiler folds them into the multiplies (measured faster than
// keeping them in registers, which are short with 8 data vectors live).
template <unsigned R>
FHE_FFT_INLINE void load_tw(const double* t, V* w) {
  for (unsigned k = 0; k < 2 * (R - 1); ++k) w[k] = _mm256_loadu_pd(t + 4 * k);
}

// In-register 4x4 transpose: out[e] lane k = in[k] lane e.
FHE_FFT_INLINE void transpose4(V* x) {
  const V t0 = _mm256_unpacklo_pd(x[0], x[1]);
  const V t1 = _mm256_unpackhi_pd(x[0], x[1]);
  const V t2 = _mm256_unpacklo_pd(x[2], x[3]);
  const V t3 = _mm256_unpackhi_pd(x[2], x[3]);
  x[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
  x[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
  x[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
  x[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

// Loads running ahead of stores to another buffer at an address equal modulo 4 KiB ("4K
// aliasing") are falsely held back by memory disambiguation. The first forward stage (loads from
// the caller's input, stores to the output) and the last backward stage (loads from the work
// buffer, stores to the accumulator) walk their positions downwards when the destination lies
// just above the source modulo the stage's address period g, upwards otherwise. The iteration
// order does not change any result.
inline bool walk_down(const void* src, const void* dst, std::size_t q) {
  const std::uintptr_t g = std::min<std::uintptr_t>(4096, 8 * q);
  const std::uintptr_t d =
      (reinterpret_cast<std::uintptr_t>(dst) - reinterpret_cast<std::uintptr_t>(src)) & (g - 1);
  return d != 0 && d < g / 2;
}

// ---- Forward (DIF) ----

// One radix-R stage on every block of size s, four lanes j..j+3 at a time: x_p = load(b + j +
// p*q), results stored at the same positions of (re, im).
template <unsigned R, bool Down = false, class Load>
FHE_FFT_INLINE void dif_stage(std::size_t m, std::size_t s, const double* tab, double* re,
                              double* im, Load&& load) {
  const std::size_t q = s / R;
  constexpr std::ptrdiff_t kStep = (Down ? -8 : 8) * static_cast<std::ptrdiff_t>(R - 1);
  for (std::size_t b = 0; b < m; b += s) {
    const double* t = Down ? tab + (q / 4 - 1) * 8 * (R - 1) : tab;
    for (std::size_t n = 0; n < q; n += 4, t += kStep) {
      const std::size_t j = Down ? q - 4 - n : n;
      V r[R], i[R], w[2 * (R - 1)];
      for (std::size_t p = 0; p < R; ++p) load(b + j + p * q, r[p], i[p]);
      load_tw<R>(t, w);
      dif<R, O>(r, i, w);
      for (std::size_t p = 0; p < R; ++p) {
        st(re + b + j + p * q, r[p]);
        st(im + b + j + p * q, i[p]);
      }
    }
  }
}

template <unsigned R>
void dif_stage_in_place(std::size_t m, std::size_t s, const double* tab, double* re, double* im) {
  dif_stage<R>(m, s, tab, re, im, [&](std::size_t pos, V& r, V& i) {
    r = ld(re + pos);
    i = ld(im + pos);
  });
}

// The first stage (s = M), loading from `src` through `load`.
template <class Load>
FHE_FFT_INLINE void first_stage(const Plan& p, const void* src, double* re, double* im,
                                Load&& load) {
  const Stage& st = p.stages[0];
  const double* tab = p.tw.data() + st.tw;
  if (walk_down(src, re, st.s / st.radix)) {
    if (st.radix == 2) return dif_stage<2, true>(p.m, st.s, tab, re, im, load);
    return dif_stage<4, true>(p.m, st.s, tab, re, im, load);
  }
  if (st.radix == 2) return dif_stage<2>(p.m, st.s, tab, re, im, load);
  return dif_stage<4>(p.m, st.s, tab, re, im, load);
}

// Fused final pass on each block of 16: radix-4 with twiddles across the four vectors, transpose,
// radix-4 without twiddles; the result stays transposed (layout in fft_internal.h).
void last_pass(std::size_t m, const double* tab, double* re, double* im) {
  V w[6];
  load_tw<4>(tab, w);
  for (std::size_t b = 0; b < m; b += 16) {
    V r[4], i[4];
    for (std::size_t k = 0; k < 4; ++k) r[k] = ld(re + b + 4 * k), i[k] = ld(im + b + 4 * k);
    dif4<O>(r, i, w);
    transpose4(r);
    transpose4(i);
    dif4_core<O, true>(r, i);  // first layer on the FMA pipes: the add pipes are the bottleneck
    for (std::size_t k = 0; k < 4; ++k) st(re + b + 4 * k, r[k]), st(im + b + 4 * k, i[k]);
  }
}

template <class Load>
FHE_FFT_INLINE void forward(const Plan& p, const void* src, double* re, double* im, Load&& load) {
  first_stage(p, src, re, im, load);
  for (std::size_t k = 1; k < p.stages.size(); ++k) {
    const Stage& st = p.stages[k];
    const double* tab = p.tw.data() + st.tw;
    dif_stage_in_place<4>(p.m, st.s, tab, re, im);
  }
  last_pass(p.m, p.tw.data() + p.tw16, re, im);
}

// ---- Backward (DIT) ----

void first_pass_inv(std::size_t m, const double* tab, const double* in_re, const double* in_im,
                    double* re, double* im) {
  V w[6];
  load_tw<4>(tab, w);
  for (std::size_t b = 0; b < m; b += 16) {
    V r[4], i[4];
    for (std::size_t k = 0; k < 4; ++k) r[k] = ld(in_re + b + 4 * k), i[k] = ld(in_im + b + 4 * k);
    dit4_core<O, true>(r, i);  // first layer on the FMA pipes: the add pipes are the bottleneck
    transpose4(r);
    transpose4(i);
    dit4<O>(r, i, w);
    for (std::size_t k = 0; k < 4; ++k) st(re + b + 4 * k, r[k]), st(im + b + 4 * k, i[k]);
  }
}

// One radix-R DIT stage on every block: reads (re, im), results go to store(position, re, im).
template <unsigned R, bool Down = false, class Store>
FHE_FFT_INLINE void dit_stage(std::size_t m, std::size_t s, const double* tab, const double* re,
                              const double* im, Store&& store) {
  const std::size_t q = s / R;
  constexpr std::ptrdiff_t kStep = (Down ? -8 : 8) * static_cast<std::ptrdiff_t>(R - 1);
  for (std::size_t b = 0; b < m; b += s) {
    const double* t = Down ? tab + (q / 4 - 1) * 8 * (R - 1) : tab;
    for (std::size_t n = 0; n < q; n += 4, t += kStep) {
      const std::size_t j = Down ? q - 4 - n : n;
      V r[R], i[R], w[2 * (R - 1)];
      for (std::size_t p = 0; p < R; ++p) {
        r[p] = ld(re + b + j + p * q);
        i[p] = ld(im + b + j + p * q);
      }
      load_tw<R>(t, w);
      dit<R, O>(r, i, w);
      for (std::size_t p = 0; p < R; ++p) store(b + j + p * q, r[p], i[p]);
    }
  }
}

template <unsigned R>
void dit_stage_in_place(std::size_t m, std::size_t s, const double* tab, double* re, double* im) {
  dit_stage<R>(m, s, tab, re, im, [&](std::size_t pos, V r, V i) {
    st(re + pos, r);
    st(im + pos, i);
  });
}

// The last stage (s = M), storing through `store` into `dst`.
template <class Store>
FHE_FFT_INLINE void last_stage_inv(const Plan& p, const double* re, const double* im,
                                   const void* dst, Store&& store) {
  const Stage& st = p.stages[0];
  const double* tab = p.tw.data() + st.tw;
  if (walk_down(re, dst, st.s / st.radix)) {
    if (st.radix == 2) return dit_stage<2, true>(p.m, st.s, tab, re, im, store);
    return dit_stage<4, true>(p.m, st.s, tab, re, im, store);
  }
  if (st.radix == 2) return dit_stage<2>(p.m, st.s, tab, re, im, store);
  return dit_stage<4>(p.m, st.s, tab, re, im, store);
}

template <class Store>
FHE_FFT_INLINE void backward(const Plan& p, const double* in_re, const double* in_im, double* re,
                             double* im, const void* dst, Store&& store) {
  first_pass_inv(p.m, p.tw.data() + p.tw16, in_re, in_im, re, im);
  for (std::size_t k = p.stages.size() - 1; k >= 1; --k) {
    const Stage& st = p.stages[k];
    const double* tab = p.tw.data() + st.tw;
    dit_stage_in_place<4>(p.m, st.s, tab, re, im);
  }
  last_stage_inv(p, re, im, dst, store);
}

// The `fetch` hint of forward_int and backward_torus_add: the stage that touches position j
// (every j < M once, 4 at a time) brings doubles [2j, 2j + 8) of the region into L2.
FHE_FFT_INLINE void fetch_lines(const double* fetch, std::size_t j) {
  for (std::size_t l = 0; l < 2 * 4; l += 8) {
    _mm_prefetch(reinterpret_cast<const char*>(fetch + 2 * j + l), _MM_HINT_T1);
  }
}

// ---- Public operations ----

void forward_int(const Plan& p, const int64_t* in, double* out, const double* fetch) noexcept {
  const std::size_t m = p.m;
  const double* wr = p.twist.data();
  const double* wi = wr + m;
  forward(p, in, out, out + m, [&](std::size_t j, V& r, V& i) {
    if (fetch != nullptr) fetch_lines(fetch, j);
    r = small_int_to_double<O>(ldi(in + j));
    i = small_int_to_double<O>(ldi(in + j + m));
    cmul<O>(r, i, ld(wr + j), ld(wi + j));
  });
}

void forward_torus(const Plan& p, const uint64_t* in, double* out) noexcept {
  const std::size_t m = p.m;
  const double* wr = p.twist.data();
  const double* wi = wr + m;
  const V scale = O::set(0x1p-64);
  forward(p, in, out, out + m, [&](std::size_t j, V& r, V& i) {
    r = O::mul(int_to_double<O>(ldi(in + j)), scale);
    i = O::mul(int_to_double<O>(ldi(in + j + m)), scale);
    cmul<O>(r, i, ld(wr + j), ld(wi + j));
  });
}

void backward_torus_add(const Plan& p, double* in, uint64_t* acc, const double* fetch) noexcept {
  const std::size_t m = p.m;
  const double* ur = p.untwist.data();
  const double* ui = ur + m;
  backward(p, in, in + m, in, in + m, acc, [&](std::size_t j, V r, V i) {
    if (fetch != nullptr) fetch_lines(fetch, j);
    cmul<O>(r, i, ld(ur + j), ld(ui + j));
    sti(acc + j, O::iadd(ldi(acc + j), torus_round<O>(r)));
    sti(acc + j + m, O::iadd(ldi(acc + j + m), torus_round<O>(i)));
  });
}

// In a blind rotation `b` is a row of the Fourier bootstrapping key, streamed from DRAM: prefetch
// both of its streams 2 KiB ahead into L2, once per cache line (measured: -6% time per blind
// rotation step with the key out of cache, neutral in cache). Prefetches never fault.
constexpr std::size_t kPrefetchAhead = 256;  // doubles

FHE_FFT_INLINE void prefetch_row(const double* b, std::size_t j, std::size_t m) {
  _mm_prefetch(reinterpret_cast<const char*>(b + j + kPrefetchAhead), _MM_HINT_T1);
  _mm_prefetch(reinterpret_cast<const char*>(b + m + j + kPrefetchAhead), _MM_HINT_T1);
}

void mul(const Plan& p, double* out, const double* a, const double* b) noexcept {
  const std::size_t m = p.m;
  for (std::size_t j0 = 0; j0 < m; j0 += 8) {
    prefetch_row(b, j0, m);
    for (std::size_t j = j0; j < j0 + 8; j += 4) {
      V r, i;
      pmul<O>(ld(a + j), ld(a + j + m), ld(b + j), ld(b + j + m), r, i);
      st(out + j, r);
      st(out + j + m, i);
    }
  }
}

void mul_acc(const Plan& p, double* acc, const double* a, const double* b) noexcept {
  const std::size_t m = p.m;
  for (std::size_t j0 = 0; j0 < m; j0 += 8) {
    prefetch_row(b, j0, m);
    for (std::size_t j = j0; j < j0 + 8; j += 4) {
      V r = ld(acc + j), i = ld(acc + j + m);
      pmul_acc<O>(ld(a + j), ld(a + j + m), ld(b + j), ld(b + j + m), r, i);
      st(acc + j, r);
      st(acc + j + m, i);
    }
  }
}

// external_mac (fft_external_mac.h): the key stream is prefetched 8 KiB ahead into L2.
struct MacPolicy {
  using V = fhe::fft_detail::V;
  using O = fhe::fft_detail::O;
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kKeyAhead = 1024;  // doubles
  static V ld(const double* p) { return fhe::fft_detail::ld(p); }
  static void st(double* p, V v) { fhe::fft_detail::st(p, v); }
  static void prefetch_key(const double* blk, std::size_t count) {
    for (std::size_t l = 0; l < 2 * count; ++l) {
      _mm_prefetch(reinterpret_cast<const char*>(blk + kKeyAhead + 8 * l), _MM_HINT_T1);
    }
  }
};

void external_mac(const Plan& p, double* out, std::size_t os, const double* in, std::size_t is,
                  std::size_t rows, const double* key, std::size_t cols) noexcept {
  external_mac_simd<MacPolicy>(p, out, os, in, is, rows, key, cols);
}

void complex_forward(const Plan& p, const double* in_re, const double* in_im, double* out_re,
                     double* out_im) noexcept {
  forward(p, in_re, out_re, out_im, [&](std::size_t j, V& r, V& i) {
    r = ld(in_re + j);
    i = ld(in_im + j);
  });
}

void complex_backward(const Plan& p, const double* in_re, const double* in_im, double* out_re,
                      double* out_im) noexcept {
  backward(p, in_re, in_im, out_re, out_im, out_re, [&](std::size_t j, V r, V i) {
    st(out_re + j, r);
    st(out_im + j, i);
  });
}

constexpr Backend kAvx2{FftKind::Avx2, "avx2",  forward_int,  forward_torus,   backward_torus_add,
                        mul,           mul_acc, external_mac, complex_forward, complex_backward};

}  // namespace

const Backend* avx2_backend() noexcept {
  return &kAvx2;
}

}  // namespace fhe::fft_detail

#else  // no AVX2 in this build

#include "fft/fft_internal.h"

namespace fhe::fft_detail {
const Backend* avx2_backend() noexcept {
  return nullptr;
}
}  // namespace fhe::fft_detail

#endif
