// FFTW glue for the negacyclic transform (bench_common.h: FftwNegacyclic): what a user of FFTW
// would write around an FFTW_MEASURE plan to get TFHE's negacyclic products, as plain loops.
// The element loops (bench_fftw_glue.h) run with the best instruction set of the CPU (AVX-512 F/DQ
// where available, else AVX2), like our own backends.
#include <fftw3.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "bench_common.h"
#include "bench_fftw_glue.h"

namespace fhe::bench {

struct FftwNegacyclic::Impl {
  std::size_t n = 0, m = 0;
  bool split = false;
  std::vector<double> wr, wi;  // exp(i pi j / N)
  std::vector<double> ur, ui;  // exp(-i pi j / N) / M
  double* in = nullptr;        // FFTW's input of the forward plan (N doubles)
  double* work = nullptr;      // output of the backward plan (N doubles)
  fftw_plan fwd = nullptr, bwd = nullptr;
};

namespace {

double* fftw_doubles(std::size_t count) {
  return static_cast<double*>(fftw_malloc(sizeof(double) * count));
}

FftwGlue best_glue() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                 __builtin_cpu_supports("avx512vl")
             ? fftw_glue_avx512()
             : fftw_glue_avx2();
}

}  // namespace

FftwNegacyclic::FftwNegacyclic(std::size_t n, bool split) : impl_(new Impl) {
  Impl& d = *impl_;
  d.n = n;
  d.m = n / 2;
  d.split = split;
  const std::size_t m = d.m;
  d.wr.resize(m), d.wi.resize(m), d.ur.resize(m), d.ui.resize(m);
  for (std::size_t j = 0; j < m; ++j) {
    const double a = std::numbers::pi * static_cast<double>(j) / static_cast<double>(n);
    d.wr[j] = std::cos(a);
    d.wi[j] = std::sin(a);
    d.ur[j] = std::cos(a) / static_cast<double>(m);
    d.ui[j] = -std::sin(a) / static_cast<double>(m);
  }
  d.in = fftw_doubles(n);
  d.work = fftw_doubles(n);
  double* out = fftw_doubles(n);
  const int im = static_cast<int>(m);
  if (split) {
    fftw_iodim dim{im, 1, 1};
    d.fwd =
        fftw_plan_guru_split_dft(1, &dim, 0, nullptr, d.in, d.in + m, out, out + m, FFTW_MEASURE);
    // Inverse through the split interface: swap re and im of input and output.
    d.bwd = fftw_plan_guru_split_dft(1, &dim, 0, nullptr, out + m, out, d.work + m, d.work,
                                     FFTW_MEASURE);
  } else {
    auto* ci = reinterpret_cast<fftw_complex*>(d.in);
    auto* co = reinterpret_cast<fftw_complex*>(out);
    auto* cw = reinterpret_cast<fftw_complex*>(d.work);
    d.fwd = fftw_plan_dft_1d(im, ci, co, FFTW_FORWARD, FFTW_MEASURE);
    d.bwd = fftw_plan_dft_1d(im, co, cw, FFTW_BACKWARD, FFTW_MEASURE);
  }
  fftw_free(out);
}

FftwNegacyclic::~FftwNegacyclic() {
  fftw_destroy_plan(impl_->fwd);
  fftw_destroy_plan(impl_->bwd);
  fftw_free(impl_->in);
  fftw_free(impl_->work);
  delete impl_;
}

double* FftwNegacyclic::alloc_fourier() const {
  return fftw_doubles(impl_->n);
}

void FftwNegacyclic::free_fourier(double* p) {
  fftw_free(p);
}

void FftwNegacyclic::forward(const int64_t* in, double* fourier) const {
  const Impl& d = *impl_;
  const std::size_t m = d.m;
  const double* wr = d.wr.data();
  const double* wi = d.wi.data();
  double* z = d.in;
  best_glue().twist(in, z, wr, wi, m, d.split);
  if (d.split) {
    fftw_execute_split_dft(d.fwd, z, z + m, fourier, fourier + m);
  } else {
    fftw_execute_dft(d.fwd, reinterpret_cast<fftw_complex*>(z),
                     reinterpret_cast<fftw_complex*>(fourier));
  }
}

void FftwNegacyclic::backward_add(const double* fourier, uint64_t* acc) const {
  const Impl& d = *impl_;
  const std::size_t m = d.m;
  const double* ur = d.ur.data();
  const double* ui = d.ui.data();
  double* t = d.work;
  auto* f = const_cast<double*>(fourier);  // out of place: FFTW preserves the input
  if (d.split) {
    fftw_execute_split_dft(d.bwd, f + m, f, t + m, t);
  } else {
    fftw_execute_dft(d.bwd, reinterpret_cast<fftw_complex*>(f), reinterpret_cast<fftw_complex*>(t));
  }
  best_glue().untwist_add(t, acc, ur, ui, m, d.split);
}

}  // namespace fhe::bench
