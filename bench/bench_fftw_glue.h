// The element loops of the FFTW negacyclic glue (bench_fftw_negacyclic.cpp), written once and
// compiled for AVX2 (bench_fftw_glue_avx2.cpp) and AVX-512 (bench_fftw_glue_avx512.cpp): the
// glue runs with the best instruction set the CPU has, like our own backends, so the comparison
// with FFTW is fair. Plain loops; the compiler vectorizes them.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace fhe::bench {

struct FftwGlue {
  // z = (in_j + i in_{j+m}) (wr_j + i wi_j), split (z re at z[j], im at z[j+m]) or interleaved.
  void (*twist)(const int64_t* in, double* z, const double* wr, const double* wi, std::size_t m,
                bool split);
  // t_j = x_j (ur_j + i ui_j); acc_j += torus(Re t_j), acc_{j+m} += torus(Im t_j).
  void (*untwist_add)(const double* x, uint64_t* acc, const double* ur, const double* ui,
                      std::size_t m, bool split);
};
FftwGlue fftw_glue_avx2();
FftwGlue fftw_glue_avx512();

namespace {
// round(frac(t) 2^64) mod 2^64 (the cast truncates: within one unit of 2^-64 of the rounding).
[[maybe_unused]] inline uint64_t glue_to_torus(double t) {
  const double v = (t - std::nearbyint(t)) * 0x1p64;
  return v >= 0x1p63 ? uint64_t{1} << 63 : static_cast<uint64_t>(static_cast<int64_t>(v));
}

[[maybe_unused]] void glue_twist(const int64_t* __restrict in, double* __restrict z,
                                 const double* __restrict wr, const double* __restrict wi,
                                 std::size_t m, bool split) {
  if (split) {
    for (std::size_t j = 0; j < m; ++j) {
      const double r = static_cast<double>(in[j]), i = static_cast<double>(in[j + m]);
      z[j] = r * wr[j] - i * wi[j];
      z[j + m] = r * wi[j] + i * wr[j];
    }
  } else {
    for (std::size_t j = 0; j < m; ++j) {
      const double r = static_cast<double>(in[j]), i = static_cast<double>(in[j + m]);
      z[2 * j] = r * wr[j] - i * wi[j];
      z[2 * j + 1] = r * wi[j] + i * wr[j];
    }
  }
}

[[maybe_unused]] void glue_untwist_add(const double* __restrict x, uint64_t* __restrict acc,
                                       const double* __restrict ur, const double* __restrict ui,
                                       std::size_t m, bool split) {
  const std::size_t step = split ? 1 : 2, im = split ? m : 1;
  for (std::size_t j = 0; j < m; ++j) {
    const double xr = x[step * j], xi = x[step * j + im];
    acc[j] += glue_to_torus(xr * ur[j] - xi * ui[j]);
    acc[j + m] += glue_to_torus(xr * ui[j] + xi * ur[j]);
  }
}
}  // namespace

}  // namespace fhe::bench
