// FMA-peak microkernel (compiled with -mavx2 -mfma): 12 independent chains of _mm256_fmadd_pd,
// enough to cover FMA latency (4-5 cycles) times the number of FMA ports (2) on current x86.
// Only this file is built with AVX2 flags; callers check the CPU first (bench_main.cpp).
#include <immintrin.h>

#include "bench_common.h"

namespace fhe::bench {

double fma_kernel(uint64_t iters) {
  // acc <- acc * a + b converges to b / (1 - a): no overflow, no subnormals.
  const __m256d a = _mm256_set1_pd(0.999999);
  const __m256d b = _mm256_set1_pd(1e-6);
  __m256d c0 = _mm256_set1_pd(0.1), c1 = _mm256_set1_pd(0.2), c2 = _mm256_set1_pd(0.3);
  __m256d c3 = _mm256_set1_pd(0.4), c4 = _mm256_set1_pd(0.5), c5 = _mm256_set1_pd(0.6);
  __m256d c6 = _mm256_set1_pd(0.7), c7 = _mm256_set1_pd(0.8), c8 = _mm256_set1_pd(0.9);
  __m256d c9 = _mm256_set1_pd(1.0), c10 = _mm256_set1_pd(1.1), c11 = _mm256_set1_pd(1.2);
  for (uint64_t i = 0; i < iters; ++i) {
    c0 = _mm256_fmadd_pd(c0, a, b);
    c1 = _mm256_fmadd_pd(c1, a, b);
    c2 = _mm256_fmadd_pd(c2, a, b);
    c3 = _mm256_fmadd_pd(c3, a, b);
    c4 = _mm256_fmadd_pd(c4, a, b);
    c5 = _mm256_fmadd_pd(c5, a, b);
    c6 = _mm256_fmadd_pd(c6, a, b);
    c7 = _mm256_fmadd_pd(c7, a, b);
    c8 = _mm256_fmadd_pd(c8, a, b);
    c9 = _mm256_fmadd_pd(c9, a, b);
    c10 = _mm256_fmadd_pd(c10, a, b);
    c11 = _mm256_fmadd_pd(c11, a, b);
  }
  const __m256d s =
      _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(_mm256_add_pd(c0, c1), _mm256_add_pd(c2, c3)),
                                  _mm256_add_pd(_mm256_add_pd(c4, c5), _mm256_add_pd(c6, c7))),
                    _mm256_add_pd(_mm256_add_pd(c8, c9), _mm256_add_pd(c10, c11)));
  alignas(32) double out[4];
  _mm256_store_pd(out, s);
  return out[0] + out[1] + out[2] + out[3];
}

// 512-bit twin of fma_kernel, compiled for AVX-512F by a function attribute; called only when the
// CPU has AVX-512F.
__attribute__((target("avx512f"))) double fma_kernel_avx512(uint64_t iters) {
  const __m512d a = _mm512_set1_pd(0.999999);
  const __m512d b = _mm512_set1_pd(1e-6);
  __m512d c[12];
  for (int k = 0; k < 12; ++k) c[k] = _mm512_set1_pd(0.1 * (k + 1));
  for (uint64_t i = 0; i < iters; ++i) {
#pragma GCC unroll 12
    for (int k = 0; k < 12; ++k) c[k] = _mm512_fmadd_pd(c[k], a, b);
  }
  __m512d s = c[0];
  for (int k = 1; k < 12; ++k) s = _mm512_add_pd(s, c[k]);
  alignas(64) double out[8];
  _mm512_store_pd(out, s);
  double sum = 0;
  for (double x : out) sum += x;
  return sum;
}

}  // namespace fhe::bench
