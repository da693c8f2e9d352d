// Shared pieces of fhe_bench: the machine's measured FMA peak, the PBS flop convention, and the
// results the summary line compares.
#pragma once

#include <cstdint>
#include <string>

namespace fhe::bench {

// FMA peak of one core in flop/s (AVX2: 4 lanes x 2 flops per FMA), measured once per process
// with many independent FMA chains; 0 when the CPU has no AVX2+FMA.
double fma_peak();
// One measurement of about `seconds` (bench_peak_avx2.cpp). Returns flop/s, 0 without AVX2+FMA.
double measure_fma_peak(double seconds);
// Runs `iters` iterations of the FMA microkernel (12 chains x 4 lanes); returns a value that
// depends on every FMA.
double fma_kernel(uint64_t iters);
inline constexpr double kFlopsPerKernelIter = 12 * 4 * 2;
bool cpu_has_avx2_fma();

// Flop convention for one PBS: n x [4 complex FFTs of size M = N/2 at 5 M log2 M flops +
// (k+1)^2 l M complex multiply-adds at 8 flops]. FHEVM: n=918, N=2048, k=1, l=1 -> 218.1 Mflop.
double pbs_flops(unsigned n, unsigned big_n, unsigned k, unsigned l);

// Per-iteration real time (seconds) of a finished benchmark run, or 0 when it did not run.
double result_seconds(const std::string& name);

}  // namespace fhe::bench
