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
#include <set>
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
      // Plain runs (the best one is kept) and, with --benchmark_repetitions, the medians.
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if ((r.run_type != Run::RT_Iteration && !median) || r.error_occurred || r.iterations == 0) {
        continue;
      }
      // CPU time: the machine may be shared, and every benchmark here runs on one thread, except
      // the multi-threaded throughput runs, which are timed by the wall clock.
      const bool wall = r.benchmark_name().rfind("throughput/", 0) == 0;
      const double s = (wall ? r.GetAdjustedRealTime() : r.GetAdjustedCPUTime()) /
                       benchmark::GetTimeUnitMultiplier(r.time_unit);
      static std::set<std::string> has_median;
      const std::string name = r.run_name.str();
      if (median) {
        has_median.insert(name);
        results()[name] = s;
      } else if (has_median.count(name) == 0) {
        auto [it, fresh] = results().emplace(name, s);
        if (!fresh) it->second = std::min(it->second, s);
      }
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

void BM_FmaPeak512(benchmark::State& state) {
  if (!cpu_has_avx512f()) {
    state.SkipWithError("no AVX-512F on this CPU");
    return;
  }
  constexpr uint64_t kIters = 1 << 16;
  for (auto _ : state) benchmark::DoNotOptimize(fma_kernel_avx512(kIters));
  state.counters["flops"] = benchmark::Counter(static_cast<double>(kIters) * kFlopsPerKernelIter512,
                                               benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_FmaPeak512)->Name("fma_peak/avx512_12chains");

void print_summary() {
  const double peak = fma_peak();
  const double pbs = result_seconds("pbs/fhevm");
  const double core = result_seconds("blind_rotate_fft_core/N2048/external_mac");
  const double flops = pbs_flops(918, 2048, 1, 1);
  auto ratio = [](double a, double b) { return (a > 0 && b > 0) ? a / b : NAN; };
  auto rate_ratio = [&](double seconds) {
    return seconds > 0 ? ratio(flops / seconds, peak) : NAN;
  };
  std::printf("\nsummary (time per iteration: best run, or median of the repetitions):\n");
  std::printf(
      "summary: FMA peak = %.1f GFLOP/s (one core, 12 FMA chains, best of AVX2 and AVX-512)\n",
      peak * 1e-9);
  print_fft_summary();
  std::printf(
      "summary: PBS flop rate / FMA peak = %.3f unbatched (PBS %.2f ms, %.1f Mflop convention)\n",
      rate_ratio(pbs), pbs * 1e3, flops * 1e-6);
  // Batched PBS on one thread at the engine's batch size (shortint::kMaxPbsBatch), time per PBS.
  const double batched = result_seconds("pbs_batch/fhevm/8") / 8.0;
  std::printf(
      "summary: PBS flop rate / FMA peak = %.3f batched, one thread (batch of 8 as the engine "
      "forms them, %.2f ms per PBS)\n",
      rate_ratio(batched), batched * 1e3);
  // KS+PBS throughput (wall clock): 16 per thread per iteration.
  auto rate = [](const char* name, double threads) {
    const double t = result_seconds(name);
    return t > 0 ? threads * 16 / t : 0.0;
  };
  const double u1 = rate("throughput/ks_pbs/threads:1/batch:1/min_time:1.000/real_time", 1);
  const double u2 = rate("throughput/ks_pbs/threads:2/batch:1/min_time:1.000/real_time", 2);
  const double b1 = rate("throughput/ks_pbs/threads:1/batch:8/min_time:1.000/real_time", 1);
  const double b2 = rate("throughput/ks_pbs/threads:2/batch:8/min_time:1.000/real_time", 2);
  std::printf(
      "summary: KS+PBS throughput per second: unbatched %.1f (1 thread), %.1f (2 threads); "
      "batched %.1f (1 thread), %.1f (2 threads)\n",
      u1, u2, b1, b2);
  std::printf(
      "summary: batched 2-thread throughput / unbatched 1-thread = %.2f, / unbatched 2-thread = "
      "%.2f\n",
      ratio(b2, u1), ratio(b2, u2));
  std::printf(
      "summary: FFT work of a blind rotation (918 x [2 forward_int + external_mac 2x2 + 2 "
      "backward_torus_add], key from memory) flop rate / FMA peak = %.3f (%.2f ms)\n",
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

namespace {
// Best rate of `kernel` over about `seconds` of thread CPU time.
double measure_kernel(double seconds, double (*kernel)(uint64_t), double flops_per_iter) {
  using clock = std::chrono::steady_clock;
  uint64_t iters = 1 << 14;
  double best = 0;
  const auto deadline = clock::now() + std::chrono::duration<double>(seconds);
  while (clock::now() < deadline) {
    const double t0 = thread_cpu_seconds();
    benchmark::DoNotOptimize(kernel(iters));
    const double dt = thread_cpu_seconds() - t0;
    if (dt < 0.01) {
      iters *= 2;
      continue;
    }
    best = std::max(best, static_cast<double>(iters) * flops_per_iter / dt);
  }
  return best;
}
}  // namespace

double measure_fma_peak(double seconds) {
  if (!cpu_has_avx2_fma()) return 0;
  double best = measure_kernel(seconds, fma_kernel, kFlopsPerKernelIter);
  if (cpu_has_avx512f()) {
    best = std::max(best, measure_kernel(seconds, fma_kernel_avx512, kFlopsPerKernelIter512));
  }
  return best;
}

bool cpu_has_avx512f() {
#if defined(__x86_64__)
  return __builtin_cpu_supports("avx512f");
#else
  return false;
#endif
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
