// AVX-512 backend (compiled with -mavx512f -mavx512dq -mavx512vl -mavx2 -mfma; selected at run time
// only when the CPU has all of them). Eight complex values per vector pair (re, im) on the split
// layout. The butterflies are the templates of fft_kernels.h, lane by lane, as in every backend:
// bit-identical results. What differs from the AVX2 backend is data movement and the conversions:
//
//   - the 32 vector registers hold a whole block of 64 (or 32) complex values, so the last regular
//     radix stage and the fused 16-point pass run on registers in one pass over memory ("tail"):
//     M = 1024 takes 3 passes over the buffer instead of 4;
//   - the 16-point pass works on two blocks of 16 at once: the 256-bit halves of each vector
//     belong to the two blocks (shuffles in to_groups/from_groups, measured slightly faster than
//     256-bit loads and stores of the halves), and the 4x4 transposes run in both halves;
//   - stage twiddles come from Plan::tw8 (the same values regrouped by 8 lanes);
//   - conversions use AVX-512DQ, with the same results as the reference formulas of fft_kernels.h
//     on their documented domains:
//       * forward_int: vcvtqq2pd is exact for |x| < 2^53, so it equals small_int_to_double on
//         -2^51 <= x < 2^51 (outside, the result is unspecified for every backend);
//       * forward_torus: vcvtqq2pd with round-to-nearest-even is the correctly rounded int64 ->
//         double conversion, which is what int_to_double computes for every int64;
//       * backward: torus_round computes round_half_even(v) mod 2^64 for v = (t - round(t)) 2^64
//         in [-2^63, 2^63] (exact). vcvtpd2qq with round-to-nearest-even gives round_half_even(v)
//         for every v in [-2^63, 2^63) (such a v >= 2^62 is already an integer), and for
//         v = 2^63 its out-of-range answer 0x8000000000000000, which is 2^63 mod 2^64, as the
//         reference. So the result equals torus_round for every finite t.
#if defined(__x86_64__) && defined(__AVX512F__) && defined(__AVX512DQ__) && \
    defined(__AVX512VL__) && defined(__FMA__)

// GCC 12's AVX-512 intrinsics start many operations from _mm512_undefined_*(), which its
// -Wmaybe-uninitialized reports inside the system header (a known false positive).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "fft/fft_external_mac.h"
#include "fft/fft_internal.h"
#include "fft/fft_kernels.h"

namespace fhe::fft_detail {
namespace {

using V = __m512d;
using IV = __m512i;

struct Avx512Ops {
  using V = __m512d;
  using IV = __m512i;
  static V set(double x) { return _mm512_set1_pd(x); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static V sub(V a, V b) { return _mm512_sub_pd(a, b); }
  static V mul(V a, V b) { return _mm512_mul_pd(a, b); }
  static V addm(V a, V b) { return _mm512_fmadd_pd(a, _mm512_set1_pd(1.0), b); }
  static V subm(V a, V b) { return _mm512_fnmadd_pd(b, _mm512_set1_pd(1.0), a); }
  static V fmadd(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static V fmsub(V a, V b, V c) { return _mm512_fmsub_pd(a, b, c); }
  static V fnmadd(V a, V b, V c) { return _mm512_fnmadd_pd(a, b, c); }
  // Round to integer in the current mode (imm 0x0C: scale 0, current direction, no exceptions).
  static V round(V x) {
    return _mm512_roundscale_pd(x, _MM_FROUND_CUR_DIRECTION | _MM_FROUND_NO_EXC);
  }
  static IV iset(uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }
  static IV iadd(IV a, IV b) { return _mm512_add_epi64(a, b); }
  static IV isub(IV a, IV b) { return _mm512_sub_epi64(a, b); }
  static IV ishl32(IV a) { return _mm512_slli_epi64(a, 32); }
  static IV iand(IV a, IV b) { return _mm512_and_si512(a, b); }
  static IV ior(IV a, IV b) { return _mm512_or_si512(a, b); }
  static IV high16_to_dword(IV x) { return _mm512_slli_epi64(_mm512_srai_epi64(x, 48), 32); }
  static IV to_bits(V x) { return _mm512_castpd_si512(x); }
  static V from_bits(IV x) { return _mm512_castsi512_pd(x); }
};
using O = Avx512Ops;

// As in the AVX2 backend: the empty asm keeps each loaded data vector in a register.
FHE_FFT_INLINE V ld(const double* p) {
  V v = _mm512_loadu_pd(p);
  asm("" : "+v"(v));
  return v;
}
FHE_FFT_INLINE void st(double* p, V v) {
  _mm512_storeu_pd(p, v);
}
FHE_FFT_INLINE IV ldi(const void* p) {
  return _mm512_loadu_si512(p);
}
FHE_FFT_INLINE void sti(void* p, IV v) {
  _mm512_storeu_si512(p, v);
}
// Exact conversions (see the header comment for why they equal the reference formulas).
FHE_FFT_INLINE V small_int_to_double_dq(IV x) {
  return _mm512_cvtepi64_pd(x);
}
FHE_FFT_INLINE V int_to_double_dq(IV x) {
  return _mm512_cvt_roundepi64_pd(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
FHE_FFT_INLINE IV torus_round_dq(V t) {
  const V f = O::sub(t, O::round(t));
  return _mm512_cvt_roundpd_epi64(O::mul(f, O::set(0x1p64)),
                                  _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

// Stage twiddles of lanes j..j+7 from Plan::tw8: Re, Im per slot.
template <unsigned R>
FHE_FFT_INLINE void load_tw8(const double* t, V* w) {
  for (unsigned k = 0; k < 2 * (R - 1); ++k) w[k] = _mm512_loadu_pd(t + 8 * k);
}

// Twiddles of the 16-point pass (lanes 0..3), the same in both 256-bit halves.
FHE_FFT_INLINE void load_tw16(const double* t, V* w) {
  for (unsigned k = 0; k < 6; ++k) w[k] = _mm512_broadcast_f64x4(_mm256_loadu_pd(t + 4 * k));
}

// x[0..3] = positions 0..31 of two blocks of 16 (A = 0..15, B = 16..31), 8 per vector ->
// x[k] = [A 4k..4k+3 | B 4k..4k+3].
FHE_FFT_INLINE void to_groups(V* x) {
  const V v0 = _mm512_shuffle_f64x2(x[0], x[2], 0x44);
  const V v1 = _mm512_shuffle_f64x2(x[0], x[2], 0xEE);
  const V v2 = _mm512_shuffle_f64x2(x[1], x[3], 0x44);
  const V v3 = _mm512_shuffle_f64x2(x[1], x[3], 0xEE);
  x[0] = v0, x[1] = v1, x[2] = v2, x[3] = v3;
}

// The inverse of to_groups.
FHE_FFT_INLINE void from_groups(V* x) {
  const V x0 = _mm512_shuffle_f64x2(x[0], x[1], 0x44);
  const V x1 = _mm512_shuffle_f64x2(x[2], x[3], 0x44);
  const V x2 = _mm512_shuffle_f64x2(x[0], x[1], 0xEE);
  const V x3 = _mm512_shuffle_f64x2(x[2], x[3], 0xEE);
  x[0] = x0, x[1] = x1, x[2] = x2, x[3] = x3;
}

// 4x4 transpose in each 256-bit half: out[e] lane k = in[k] lane e (lanes of the half).
FHE_FFT_INLINE void transpose4(V* x) {
  const V t0 = _mm512_unpacklo_pd(x[0], x[1]);
  const V t1 = _mm512_unpackhi_pd(x[0], x[1]);
  const V t2 = _mm512_unpacklo_pd(x[2], x[3]);
  const V t3 = _mm512_unpackhi_pd(x[2], x[3]);
  const __m512i lo = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13);
  const __m512i hi = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
  x[0] = _mm512_permutex2var_pd(t0, lo, t2);
  x[1] = _mm512_permutex2var_pd(t1, lo, t3);
  x[2] = _mm512_permutex2var_pd(t0, hi, t2);
  x[3] = _mm512_permutex2var_pd(t1, hi, t3);
}

// Same 4K-aliasing rule as the AVX2 backend (fft_avx2.cpp).
inline bool walk_down(const void* src, const void* dst, std::size_t q) {
  const std::uintptr_t g = std::min<std::uintptr_t>(4096, 8 * q);
  const std::uintptr_t d =
      (reinterpret_cast<std::uintptr_t>(dst) - reinterpret_cast<std::uintptr_t>(src)) & (g - 1);
  return d != 0 && d < g / 2;
}

// ---- Forward (DIF) ----

// One radix-R stage (q = s/R >= 8) on every block of size s, eight lanes at a time.
template <unsigned R, bool Down = false, class Load>
FHE_FFT_INLINE void dif_stage(std::size_t m, std::size_t s, const double* tab, double* re,
                              double* im, Load&& load) {
  const std::size_t q = s / R;
  constexpr std::ptrdiff_t kStep = (Down ? -16 : 16) * static_cast<std::ptrdiff_t>(R - 1);
  for (std::size_t b = 0; b < m; b += s) {
    const double* t = Down ? tab + (q / 8 - 1) * 16 * (R - 1) : tab;
    for (std::size_t n = 0; n < q; n += 8, t += kStep) {
      const std::size_t j = Down ? q - 8 - n : n;
      V r[R], i[R], w[2 * (R - 1)];
      for (std::size_t p = 0; p < R; ++p) load(b + j + p * q, r[p], i[p]);
      load_tw8<R>(t, w);
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

template <class Load>
FHE_FFT_INLINE void first_stage(const Plan& p, const void* src, double* re, double* im,
                                Load&& load) {
  const Stage& st = p.stages[0];
  const double* tab = p.tw8.data() + st.tw8;
  if (walk_down(src, re, st.s / st.radix)) {
    if (st.radix == 2) return dif_stage<2, true>(p.m, st.s, tab, re, im, load);
    return dif_stage<4, true>(p.m, st.s, tab, re, im, load);
  }
  if (st.radix == 2) return dif_stage<2>(p.m, st.s, tab, re, im, load);
  return dif_stage<4>(p.m, st.s, tab, re, im, load);
}

#define FHE_LAMBDA_INLINE __attribute__((always_inline))

// Calls f(std::integral_constant<unsigned, k>) for k = 0, Step, 2 Step, .. < End: every index is a
// compile-time constant, so the block arrays below stay in registers (a runtime loop over pointers
// into them made GCC keep them on the stack).
template <unsigned End, unsigned Step = 1, class F>
FHE_FFT_INLINE void static_for(F&& f) {
  [&]<unsigned... K>(std::integer_sequence<unsigned, K...>) FHE_LAMBDA_INLINE {
    (f(std::integral_constant<unsigned, K * Step>{}), ...);
  }
  (std::make_integer_sequence<unsigned, End / Step>{});
}

// The radix-R stage of block size S on a block held in r[S/8], i[S/8] (forward or inverse).
template <bool Inverse, unsigned R, unsigned S>
FHE_FFT_INLINE void block_stage(V* r, V* i, const double* tab) {
  constexpr unsigned q = S / R;
  static_for<q, 8>([&](auto jj) FHE_LAMBDA_INLINE {
    V xr[R], xi[R], w[2 * (R - 1)];
    static_for<R>([&](auto k) FHE_LAMBDA_INLINE {
      xr[k] = r[(jj + k * q) / 8];
      xi[k] = i[(jj + k * q) / 8];
    });
    load_tw8<R>(tab + (jj / 8) * 16 * (R - 1), w);
    if constexpr (Inverse) {
      dit<R, O>(xr, xi, w);
    } else {
      dif<R, O>(xr, xi, w);
    }
    static_for<R>([&](auto k) FHE_LAMBDA_INLINE {
      r[(jj + k * q) / 8] = xr[k];
      i[(jj + k * q) / 8] = xi[k];
    });
  });
}

// The tail: on each block of S (32 or 64) values held in registers, the last radix-R stage (block
// size S) then the fused 16-point pass of every pair of 16-blocks; results stored transposed
// (layout in fft_internal.h).
template <unsigned R, unsigned S, class Load>
FHE_FFT_INLINE void tail(const Plan& p, const double* tab, double* re, double* im, Load&& load) {
  constexpr unsigned kV = S / 8;
  V w16[6];
  load_tw16(p.tw.data() + p.tw16, w16);
  for (std::size_t b = 0; b < p.m; b += S) {
    V r[kV], i[kV];
    static_for<kV>([&](auto v) FHE_LAMBDA_INLINE { load(b + 8 * v, r[v], i[v]); });
    block_stage<false, R, S>(r, i, tab);
    static_for<kV, 4>([&](auto v) FHE_LAMBDA_INLINE {
      V xr[4] = {r[v], r[v + 1], r[v + 2], r[v + 3]};
      V xi[4] = {i[v], i[v + 1], i[v + 2], i[v + 3]};
      to_groups(xr);
      to_groups(xi);
      dif4<O>(xr, xi, w16);
      transpose4(xr);
      transpose4(xi);
      dif4_core<O, true>(xr, xi);
      const std::size_t a = b + 8 * v;  // two blocks of 16: a and a + 16
      from_groups(xr);
      from_groups(xi);
      static_for<4>([&](auto k) FHE_LAMBDA_INLINE {
        st(re + a + 8 * k, xr[k]);
        st(im + a + 8 * k, xi[k]);
      });
    });
  }
}

template <class Load>
FHE_FFT_INLINE void tail_any(const Plan& p, double* re, double* im, Load&& load) {
  const Stage& st = p.stages.back();
  const double* tab = p.tw8.data() + st.tw8;
  if (st.radix == 2) return tail<2, 32>(p, tab, re, im, load);  // M = 32 only
  if (st.s == 32) return tail<4, 32>(p, tab, re, im, load);
  return tail<4, 64>(p, tab, re, im, load);
}

template <class Load>
FHE_FFT_INLINE void forward(const Plan& p, const void* src, double* re, double* im, Load&& load) {
  auto in_place = [&](std::size_t pos, V& r, V& i) {
    r = ld(re + pos);
    i = ld(im + pos);
  };
  const std::size_t ns = p.stages.size();
  if (ns == 1) return tail_any(p, re, im, load);
  first_stage(p, src, re, im, load);
  for (std::size_t k = 1; k + 1 < ns; ++k) {
    const Stage& st = p.stages[k];
    dif_stage_in_place<4>(p.m, st.s, p.tw8.data() + st.tw8, re, im);
  }
  tail_any(p, re, im, in_place);
}

// ---- Backward (DIT) ----

// The mirror of tail: the fused 16-point pass on pairs of 16-blocks read from (in_re, in_im), then
// the radix-R DIT stage of block size S on registers; results go to store(position, re, im).
template <unsigned R, unsigned S, class Store>
FHE_FFT_INLINE void tail_inv(const Plan& p, const double* tab, const double* in_re,
                             const double* in_im, Store&& store) {
  constexpr unsigned kV = S / 8;
  V w16[6];
  load_tw16(p.tw.data() + p.tw16, w16);
  for (std::size_t b = 0; b < p.m; b += S) {
    V r[kV], i[kV];
    static_for<kV, 4>([&](auto v) FHE_LAMBDA_INLINE {
      V xr[4], xi[4];
      const std::size_t a = b + 8 * v;
      static_for<4>([&](auto k) FHE_LAMBDA_INLINE {
        xr[k] = ld(in_re + a + 8 * k);
        xi[k] = ld(in_im + a + 8 * k);
      });
      to_groups(xr);
      to_groups(xi);
      dit4_core<O, true>(xr, xi);
      transpose4(xr);
      transpose4(xi);
      dit4<O>(xr, xi, w16);
      from_groups(xr);
      from_groups(xi);
      static_for<4>([&](auto k) FHE_LAMBDA_INLINE {
        r[v + k] = xr[k];
        i[v + k] = xi[k];
      });
    });
    block_stage<true, R, S>(r, i, tab);
    static_for<kV>([&](auto v) FHE_LAMBDA_INLINE { store(b + 8 * v, r[v], i[v]); });
  }
}

template <class Store>
FHE_FFT_INLINE void tail_inv_any(const Plan& p, const double* in_re, const double* in_im,
                                 Store&& store) {
  const Stage& st = p.stages.back();
  const double* tab = p.tw8.data() + st.tw8;
  if (st.radix == 2) return tail_inv<2, 32>(p, tab, in_re, in_im, store);
  if (st.s == 32) return tail_inv<4, 32>(p, tab, in_re, in_im, store);
  return tail_inv<4, 64>(p, tab, in_re, in_im, store);
}

template <unsigned R, bool Down = false, class Store>
FHE_FFT_INLINE void dit_stage(std::size_t m, std::size_t s, const double* tab, const double* re,
                              const double* im, Store&& store) {
  const std::size_t q = s / R;
  constexpr std::ptrdiff_t kStep = (Down ? -16 : 16) * static_cast<std::ptrdiff_t>(R - 1);
  for (std::size_t b = 0; b < m; b += s) {
    const double* t = Down ? tab + (q / 8 - 1) * 16 * (R - 1) : tab;
    for (std::size_t n = 0; n < q; n += 8, t += kStep) {
      const std::size_t j = Down ? q - 8 - n : n;
      V r[R], i[R], w[2 * (R - 1)];
      for (std::size_t p = 0; p < R; ++p) {
        r[p] = ld(re + b + j + p * q);
        i[p] = ld(im + b + j + p * q);
      }
      load_tw8<R>(t, w);
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

template <class Store>
FHE_FFT_INLINE void last_stage_inv(const Plan& p, const double* re, const double* im,
                                   const void* dst, Store&& store) {
  const Stage& st = p.stages[0];
  const double* tab = p.tw8.data() + st.tw8;
  if (walk_down(re, dst, st.s / st.radix)) {
    if (st.radix == 2) return dit_stage<2, true>(p.m, st.s, tab, re, im, store);
    return dit_stage<4, true>(p.m, st.s, tab, re, im, store);
  }
  if (st.radix == 2) return dit_stage<2>(p.m, st.s, tab, re, im, store);
  return dit_stage<4>(p.m, st.s, tab, re, im, store);
}

// (in_re, in_im) -> work buffer (re, im) -> store. in_* may equal re/im.
template <class Store>
FHE_FFT_INLINE void backward(const Plan& p, const double* in_re, const double* in_im, double* re,
                             double* im, const void* dst, Store&& store) {
  const std::size_t ns = p.stages.size();
  if (ns == 1) return tail_inv_any(p, in_re, in_im, store);
  tail_inv_any(p, in_re, in_im, [&](std::size_t pos, V r, V i) {
    st(re + pos, r);
    st(im + pos, i);
  });
  for (std::size_t k = ns - 2; k >= 1; --k) {
    const Stage& st = p.stages[k];
    dit_stage_in_place<4>(p.m, st.s, p.tw8.data() + st.tw8, re, im);
  }
  last_stage_inv(p, re, im, dst, store);
}

// The `fetch` hint of forward_int and backward_torus_add: the stage that touches position j
// (every j < M once, 8 at a time) brings doubles [2j, 2j + 16) of the region into L2.
FHE_FFT_INLINE void fetch_lines(const double* fetch, std::size_t j) {
  for (std::size_t l = 0; l < 2 * 8; l += 8) {
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
    r = small_int_to_double_dq(ldi(in + j));
    i = small_int_to_double_dq(ldi(in + j + m));
    cmul<O>(r, i, ld(wr + j), ld(wi + j));
  });
}

void forward_torus(const Plan& p, const uint64_t* in, double* out) noexcept {
  const std::size_t m = p.m;
  const double* wr = p.twist.data();
  const double* wi = wr + m;
  const V scale = O::set(0x1p-64);
  forward(p, in, out, out + m, [&](std::size_t j, V& r, V& i) {
    r = O::mul(int_to_double_dq(ldi(in + j)), scale);
    i = O::mul(int_to_double_dq(ldi(in + j + m)), scale);
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
    sti(acc + j, O::iadd(ldi(acc + j), torus_round_dq(r)));
    sti(acc + j + m, O::iadd(ldi(acc + j + m), torus_round_dq(i)));
  });
}

// Prefetch of the key streams, as in the AVX2 backend (2 KiB ahead, into L2, once per line).
constexpr std::size_t kPrefetchAhead = 256;  // doubles

FHE_FFT_INLINE void prefetch_row(const double* b, std::size_t j, std::size_t m) {
  _mm_prefetch(reinterpret_cast<const char*>(b + j + kPrefetchAhead), _MM_HINT_T1);
  _mm_prefetch(reinterpret_cast<const char*>(b + m + j + kPrefetchAhead), _MM_HINT_T1);
}

void mul(const Plan& p, double* out, const double* a, const double* b) noexcept {
  const std::size_t m = p.m;
  for (std::size_t j = 0; j < m; j += 8) {
    prefetch_row(b, j, m);
    V r, i;
    pmul<O>(ld(a + j), ld(a + j + m), ld(b + j), ld(b + j + m), r, i);
    st(out + j, r);
    st(out + j + m, i);
  }
}

void mul_acc(const Plan& p, double* acc, const double* a, const double* b) noexcept {
  const std::size_t m = p.m;
  for (std::size_t j = 0; j < m; j += 8) {
    prefetch_row(b, j, m);
    V r = ld(acc + j), i = ld(acc + j + m);
    pmul_acc<O>(ld(a + j), ld(a + j + m), ld(b + j), ld(b + j + m), r, i);
    st(acc + j, r);
    st(acc + j + m, i);
  }
}

// external_mac (fft_external_mac.h): the key stream is prefetched 8 KiB ahead into L2.
struct MacPolicy {
  using V = fhe::fft_detail::V;
  using O = fhe::fft_detail::O;
  static constexpr std::size_t kLanes = 8;
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

constexpr Backend kAvx512{
    FftKind::Avx512, "avx512",     forward_int,     forward_torus,   backward_torus_add, mul,
    mul_acc,         external_mac, complex_forward, complex_backward};

}  // namespace

const Backend* avx512_backend() noexcept {
  return &kAvx512;
}

}  // namespace fhe::fft_detail

#pragma GCC diagnostic pop

#else  // no AVX-512 in this build

#include "fft/fft_internal.h"

namespace fhe::fft_detail {
const Backend* avx512_backend() noexcept {
  return nullptr;
}
}  // namespace fhe::fft_detail

#endif
