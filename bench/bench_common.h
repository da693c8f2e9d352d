// Shared pieces of fhe_bench: the machine's measured FMA peak, the PBS flop convention, and the
// results the summary line compares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace fhe::bench {

// FMA peak of one core in flop/s (AVX2: 4 lanes x 2 flops per FMA; AVX-512 where the CPU has it:
// the larger rate), measured once per process with many independent FMA chains; 0 when the CPU
// has no AVX2+FMA.
double fma_peak();
// One measurement of about `seconds` (bench_peak_avx2.cpp). Returns flop/s, 0 without AVX2+FMA.
double measure_fma_peak(double seconds);
// Runs `iters` iterations of the FMA microkernel (12 chains x 4 lanes); returns a value that
// depends on every FMA.
double fma_kernel(uint64_t iters);
inline constexpr double kFlopsPerKernelIter = 12 * 4 * 2;
bool cpu_has_avx2_fma();
// The same with 512-bit vectors (12 chains x 8 lanes), for CPUs with AVX-512F: the peak is the
// larger of the two rates (on Zen 4, which splits 512-bit operations, they are equal).
double fma_kernel_avx512(uint64_t iters);
inline constexpr double kFlopsPerKernelIter512 = 12 * 8 * 2;
bool cpu_has_avx512f();

// Flop convention for one PBS: n x [4 complex FFTs of size M = N/2 at 5 M log2 M flops +
// (k+1)^2 l M complex multiply-adds at 8 flops]. FHEVM: n=918, N=2048, k=1, l=1 -> 218.1 Mflop.
double pbs_flops(unsigned n, unsigned big_n, unsigned k, unsigned l);

// Per-iteration real time (seconds) of a finished benchmark run, or 0 when it did not run.
double result_seconds(const std::string& name);

}  // namespace fhe::bench

namespace fhe::bench {

// Prints the "summary:" lines of the FFT benchmarks (bench_fft.cpp): FFTW time / our time for the
// negacyclic forward transform, the backward transform with torus rounding and accumulation, the
// round trip, and the plain size-1024 complex FFT (higher = ours faster). Call after the run.
void print_fft_summary();

// FFTW glue for the negacyclic transform at polynomial size N (bench_fftw_negacyclic.cpp, compiled
// with the flags of our AVX2 backend): straightforward loops around an FFTW_MEASURE plan of size
// M = N/2, on FFTW's interleaved layout or on split re/im arrays, out of place.
//   forward     : int64 digits -> z_j = (a_j + i a_{j+M}) exp(i pi j / N) -> FFT -> `fourier`
//   backward_add: `fourier` -> inverse FFT -> t_j = X_j exp(-i pi j / N) / M -> acc_j +=
//                 round(frac(Re t_j) 2^64), acc_{j+M} += round(frac(Im t_j) 2^64) (mod 2^64)
class FftwNegacyclic {
 public:
  FftwNegacyclic(std::size_t n, bool split);
  ~FftwNegacyclic();
  FftwNegacyclic(const FftwNegacyclic&) = delete;
  FftwNegacyclic& operator=(const FftwNegacyclic&) = delete;
  // Fourier buffers hold N doubles (interleaved or split re/im).
  double* alloc_fourier() const;
  static void free_fourier(double* p);
  void forward(const int64_t* in, double* fourier) const;
  void backward_add(const double* fourier, uint64_t* acc) const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace fhe::bench
