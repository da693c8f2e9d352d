// rotate_sub_decompose_l1 with AVX-512 (integer-exact: identical output to the scalar loop).
//
// With y = x + 2^(63-B) (wrapping), the signed top B bits v = y >>arith (64-B) are the rounded
// state modulo 2^B in [-2^(B-1), 2^(B-1)): Decomposer::init_state's value, except at the
// half-way state 2^(B-1), which init_state keeps positive unless the rounding bit (bit 63-B of x)
// is set. So digit = v, plus 2^B when v = -2^(B-1) and the rounding bit is clear. AVX2 has no
// 64-bit arithmetic shift; AVX-512F does.
#include <immintrin.h>

#include "core/rotate_decompose.h"

namespace fhe::detail {

void rotate_sub_decompose_l1_avx512(const uint64_t* p, std::size_t n, std::size_t a,
                                    uint32_t base_log, int64_t* digits) noexcept {
  const Decomposer dec{base_log, 1};
  const bool neg = a >= n;
  const std::size_t s = neg ? a - n : a;
  const __m512i half = _mm512_set1_epi64(static_cast<long long>(uint64_t{1} << (63 - base_log)));
  const __m512i low_state = _mm512_set1_epi64(-(1LL << (base_log - 1)));
  const __m512i two_b = _mm512_set1_epi64(1LL << base_log);
  const __m128i shift = _mm_cvtsi32_si128(static_cast<int>(64 - base_log));
  auto digit = [&](__m512i x) {
    // (maskz with a full mask: the plain intrinsic trips a false GCC 12 warning)
    const __m512i v = _mm512_maskz_sra_epi64(0xFF, _mm512_add_epi64(x, half), shift);
    const __mmask8 fix = _mm512_cmpeq_epi64_mask(v, low_state) & _mm512_testn_epi64_mask(x, half);
    return _mm512_mask_add_epi64(v, fix, v, two_b);
  };
  // digits[j] = init_state(sign * src[j] - p[j]) for j in [lo, hi), src read at offset `off`.
  auto run = [&](std::size_t lo, std::size_t hi, const uint64_t* src, bool plus) {
    std::size_t j = lo;
    for (; j + 8 <= hi; j += 8) {
      const __m512i r = _mm512_loadu_si512(src + j);
      const __m512i q = _mm512_loadu_si512(p + j);
      const __m512i x = plus ? _mm512_sub_epi64(r, q)
                             : _mm512_sub_epi64(_mm512_setzero_si512(), _mm512_add_epi64(r, q));
      _mm512_storeu_si512(digits + j, digit(x));
    }
    for (; j < hi; ++j) digits[j] = dec.init_state((plus ? src[j] : 0 - src[j]) - p[j]);
  };
  // (X^a p)_j = +-p[j - s] for j >= s, -+p[j - s + n] for j < s (negacyclic wrap).
  run(0, s, p + n - s, neg);
  run(s, n, p - s, !neg);
}

}  // namespace fhe::detail
