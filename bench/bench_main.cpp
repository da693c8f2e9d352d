// fhe_bench entry point: measures the FMA peak once, runs the selected benchmarks, then prints a
// summary line with the ratios that matter ("our FFT / FFTW time", "PBS flop rate / FMA peak").
//
//   fhe_bench [--benchmark_filter=REGEX] [any Google Benchmark flag]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "bench_common.h"

namespace fhe::bench {
namespace {

std::map<std::string, double>& results() {
  static std::map<std::string, double> r;
  return r;
}

// Console output as usual, plus the best per-iteration CPU time of every benchmark.
class CapturingReporter : public benchmark::ConsoleReporter {
 public:
  explicit CapturingReporter(bool color) : ConsoleReporter(color ? OO_ColorTabular : OO_Tabular) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred || r.iterations == 0) continue;
      // CPU time: the machine may be shared, and every benchmark here runs on one thread.
      const double s = r.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
      auto [it, fresh] = results().emplace(r.benchmark_name(), s);
      if (!fresh) it->second = std::min(it->second, s);
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

void BM_FmaPeak(benchmark::State& state) {
  if (!cpu_has_avx2_fma()) {
    state.SkipWithError("no AVX2+FMA on this CPU");
    return;
  }
  constexpr uint64_t kIters = 1 << 16;
  for (auto _ : state) benchmark::DoNotOptimize(fma_kernel(kIters));
  state.counters["flops"] = benchmark::Counter(static_cast<double>(kIters) * kFlopsPerKernelIter,
                                               benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_FmaPeak)->Name("fma_peak/avx2_12chains");

double best_of(const char* a, const char* b) {
  const double x = result_seconds(a), y = result_seconds(b);
  if (x > 0 && y > 0) return std::min(x, y);
  return std::max(x, y);
}

void print_summary() {
  const double peak = fma_peak();
  const double ours = result_seconds("fft1024/ours_avx2");
  const double ours_ip = result_seconds("fft1024/ours_avx2_in_place");
  const double scalar = result_seconds("fft1024/ours_scalar");
  const double fftw = best_of("fft1024/fftw_measure_interleaved", "fft1024/fftw_measure_split");
  const double fftw_ip =
      best_of("fft1024/fftw_measure_interleaved_in_place", "fft1024/fftw_measure_split_in_place");
  const double pbs = result_seconds("pbs/fhevm");
  const double core = result_seconds("blind_rotate_fft_core/N2048");
  const double flops = pbs_flops(918, 2048, 1, 1);
  auto ratio = [](double a, double b) { return (a > 0 && b > 0) ? a / b : NAN; };
  auto rate_ratio = [&](double seconds) {
    return seconds > 0 ? ratio(flops / seconds, peak) : NAN;
  };
  std::printf("\nsummary (CPU time per iteration, best run):\n");
  std::printf("summary: FMA peak = %.1f GFLOP/s (one core, AVX2, 12 FMA chains)\n", peak * 1e-9);
  std::printf(
      "summary: our FFT / FFTW time (size-1024 complex, FFTW_MEASURE, best FFTW layout) = %.3f "
      "out of place, %.3f in place\n",
      ratio(ours, fftw), ratio(ours_ip, fftw_ip));
  std::printf("summary: our scalar / our avx2 FFT time = %.2f\n", ratio(scalar, ours));
  std::printf("summary: PBS flop rate / FMA peak = %.3f (PBS %.2f ms, %.1f Mflop convention)\n",
              rate_ratio(pbs), pbs * 1e3, flops * 1e-6);
  std::printf(
      "summary: FFT work of a blind rotation (918 x [2 forward_int + 4 mul/mul_acc + 2 "
      "backward_torus_add]) flop rate / FMA peak = %.3f (%.2f ms)\n",
      rate_ratio(core), core * 1e3);
}

}  // namespace

double result_seconds(const std::string& name) {
  const auto it = results().find(name);
  return it == results().end() ? 0.0 : it->second;
}

bool cpu_has_avx2_fma() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double measure_fma_peak(double seconds) {
  if (!cpu_has_avx2_fma()) return 0;
  using clock = std::chrono::steady_clock;
  uint64_t iters = 1 << 14;
  double best = 0;
  const auto deadline = clock::now() + std::chrono::duration<double>(seconds);
  while (clock::now() < deadline) {
    const double t0 = thread_cpu_seconds();
    benchmark::DoNotOptimize(fma_kernel(iters));
    const double dt = thread_cpu_seconds() - t0;
    if (dt < 0.01) {
      iters *= 2;
      continue;
    }
    best = std::max(best, static_cast<double>(iters) * kFlopsPerKernelIter / dt);
  }
  return best;
}

double fma_peak() {
  static const double peak = measure_fma_peak(0.3);
  return peak;
}

double pbs_flops(unsigned n, unsigned big_n, unsigned k, unsigned l) {
  const double m = big_n / 2.0;
  const double fft = 5.0 * m * std::log2(m);
  return n * (4.0 * fft + (k + 1.0) * (k + 1.0) * l * m * 8.0);
}

}  // namespace fhe::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::printf("FMA peak (measured before the benchmarks): %.1f GFLOP/s\n",
              fhe::bench::fma_peak() * 1e-9);
  fhe::bench::CapturingReporter reporter(isatty(STDOUT_FILENO) != 0);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  fhe::bench::print_summary();
  return 0;
}
