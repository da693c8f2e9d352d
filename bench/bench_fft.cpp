// FFT benchmarks: the size-1024 complex FFT (ours, scalar, AVX2 and AVX-512, against FFTW with an
// FFTW_MEASURE plan, on the same data), the negacyclic transforms at N=2048 (ours against FFTW with
// glue loops on the same transform), the Fourier part of an external product (mul/mul_acc against
// external_mac), and the FFT work of one blind rotation on a synthetic Fourier bootstrapping key.
// print_fft_summary() prints the FFTW / ours ratios.
#include <benchmark/benchmark.h>
#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <random>
#include <string>

#include "bench_common.h"
#include "fft/fft_internal.h"
#include "fhe/aligned.h"
#include "fhe/fft.h"

namespace fhe::bench {
namespace {

constexpr std::size_t kM = 1024;

void fill_random(double* p, std::size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> d(-1.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) p[i] = d(rng);
}

// Counters: "flops" (flop/s by the convention of the benchmark) and "peak_frac" (that rate over
// the FMA peak measured at start-up).
void set_flop_counters(benchmark::State& state, double flops_per_iteration) {
  state.counters["flops"] =
      benchmark::Counter(flops_per_iteration, benchmark::Counter::kIsIterationInvariantRate);
  if (fma_peak() > 0) {
    state.counters["peak_frac"] = benchmark::Counter(flops_per_iteration / fma_peak(),
                                                     benchmark::Counter::kIsIterationInvariantRate);
  }
}

// 5 M log2 M flops for a complex FFT of size M.
double fft_flops(std::size_t m) {
  return 5.0 * static_cast<double>(m) * std::log2(static_cast<double>(m));
}

// Out of place: the input (random in [-1, 1]) is left unchanged, every iteration transforms the
// same data. In place: the buffer holds zeros, so repeated transforms neither overflow nor reach
// subnormals (x86 floating-point timing does not depend on the values otherwise).

// Our plain complex FFT: split re/im arrays, output in the module's permuted order.
void BM_OurFft(benchmark::State& state, FftKind kind, bool in_place) {
  if (!fft_kind_supported(kind)) {
    state.SkipWithError("backend not supported by this CPU");
    return;
  }
  const fft_internal::ComplexFft fft(kM, kind);
  AVec<double> in(2 * kM, 0.0), out(2 * kM, 0.0);
  if (!in_place) fill_random(in.data(), 2 * kM, 1);
  double* src = in_place ? out.data() : in.data();
  for (auto _ : state) {
    fft.forward(src, src + kM, out.data(), out.data() + kM);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, fft_flops(kM));
}
BENCHMARK_CAPTURE(BM_OurFft, avx2, FftKind::Avx2, false)->Name("fft1024/ours_avx2");
BENCHMARK_CAPTURE(BM_OurFft, avx2_in_place, FftKind::Avx2, true)
    ->Name("fft1024/ours_avx2_in_place");
BENCHMARK_CAPTURE(BM_OurFft, avx512, FftKind::Avx512, false)->Name("fft1024/ours_avx512");
BENCHMARK_CAPTURE(BM_OurFft, avx512_in_place, FftKind::Avx512, true)
    ->Name("fft1024/ours_avx512_in_place");
BENCHMARK_CAPTURE(BM_OurFft, scalar, FftKind::Scalar, false)->Name("fft1024/ours_scalar");

// FFTW, interleaved complex (its native layout), natural-order output.
void BM_FftwInterleaved(benchmark::State& state, bool in_place) {
  auto* in = static_cast<fftw_complex*>(fftw_malloc(sizeof(fftw_complex) * kM));
  auto* out = in_place ? in : static_cast<fftw_complex*>(fftw_malloc(sizeof(fftw_complex) * kM));
  fftw_plan plan = fftw_plan_dft_1d(static_cast<int>(kM), in, out, FFTW_FORWARD, FFTW_MEASURE);
  // After planning: FFTW_MEASURE overwrites the arrays.
  if (in_place) {
    std::fill(&in[0][0], &in[0][0] + 2 * kM, 0.0);
  } else {
    fill_random(&in[0][0], 2 * kM, 1);
  }
  for (auto _ : state) {
    fftw_execute(plan);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, fft_flops(kM));
  fftw_destroy_plan(plan);
  if (!in_place) fftw_free(out);
  fftw_free(in);
}
BENCHMARK_CAPTURE(BM_FftwInterleaved, out_of_place, false)
    ->Name("fft1024/fftw_measure_interleaved");
BENCHMARK_CAPTURE(BM_FftwInterleaved, in_place, true)
    ->Name("fft1024/fftw_measure_interleaved_in_place");

// FFTW on split re/im arrays (our layout), through the guru interface.
void BM_FftwSplit(benchmark::State& state, bool in_place) {
  auto* in = static_cast<double*>(fftw_malloc(sizeof(double) * 2 * kM));
  auto* out = in_place ? in : static_cast<double*>(fftw_malloc(sizeof(double) * 2 * kM));
  fftw_iodim dim{static_cast<int>(kM), 1, 1};
  fftw_plan plan =
      fftw_plan_guru_split_dft(1, &dim, 0, nullptr, in, in + kM, out, out + kM, FFTW_MEASURE);
  if (in_place) {
    std::fill(in, in + 2 * kM, 0.0);
  } else {
    fill_random(in, 2 * kM, 1);
  }
  for (auto _ : state) {
    fftw_execute(plan);
    benchmark::DoNotOptimize(out);
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, fft_flops(kM));
  fftw_destroy_plan(plan);
  if (!in_place) fftw_free(out);
  fftw_free(in);
}
BENCHMARK_CAPTURE(BM_FftwSplit, out_of_place, false)->Name("fft1024/fftw_measure_split");
BENCHMARK_CAPTURE(BM_FftwSplit, in_place, true)->Name("fft1024/fftw_measure_split_in_place");

// ---- Negacyclic transforms, N = 2048 ----

constexpr std::size_t kN = 2048;

struct NegacyclicData {
  AVec<int64_t> digits = AVec<int64_t>(kN);
  AVec<uint64_t> torus = AVec<uint64_t>(kN);
  AVec<double> f1 = AVec<double>(kN), f2 = AVec<double>(kN), f3 = AVec<double>(kN);
  AVec<uint64_t> acc = AVec<uint64_t>(kN, 0);
  NegacyclicData() {
    std::mt19937_64 rng(7);
    for (auto& d : digits) d = static_cast<int64_t>(rng() % (1u << 23)) - (1 << 22);
    for (auto& t : torus) t = rng();
  }
};

std::unique_ptr<Fft> make_or_skip(benchmark::State& state, FftKind kind) {
  if (!fft_kind_supported(kind)) {
    state.SkipWithError("backend not supported by this CPU");
    return nullptr;
  }
  return make_fft(kN, kind);
}

void BM_NegacyclicRoundTrip(benchmark::State& state, FftKind kind) {
  const auto fft = make_or_skip(state, kind);
  if (!fft) return;
  NegacyclicData d;
  for (auto _ : state) {
    fft->forward_int(d.digits.data(), d.f1.data());
    fft->backward_torus_add(d.f1.data(), d.acc.data());
    benchmark::DoNotOptimize(d.acc.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, 2 * fft_flops(kN / 2));  // two size-1024 FFTs (twisting not counted)
}
BENCHMARK_CAPTURE(BM_NegacyclicRoundTrip, avx2, FftKind::Avx2)
    ->Name("negacyclic2048/forward_int+backward_torus_add/avx2");
BENCHMARK_CAPTURE(BM_NegacyclicRoundTrip, avx512, FftKind::Avx512)
    ->Name("negacyclic2048/forward_int+backward_torus_add/avx512");
BENCHMARK_CAPTURE(BM_NegacyclicRoundTrip, scalar, FftKind::Scalar)
    ->Name("negacyclic2048/forward_int+backward_torus_add/scalar");

void BM_ForwardInt(benchmark::State& state, FftKind kind) {
  const auto fft = make_or_skip(state, kind);
  if (!fft) return;
  NegacyclicData d;
  for (auto _ : state) {
    fft->forward_int(d.digits.data(), d.f1.data());
    benchmark::DoNotOptimize(d.f1.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, fft_flops(kN / 2));
}
BENCHMARK_CAPTURE(BM_ForwardInt, avx2, FftKind::Avx2)->Name("negacyclic2048/forward_int/avx2");
BENCHMARK_CAPTURE(BM_ForwardInt, avx512, FftKind::Avx512)
    ->Name("negacyclic2048/forward_int/avx512");

// backward_torus_add uses its input as scratch: each iteration copies a fresh Fourier buffer
// first (a 16 KB memcpy, counted in the time; see memcpy16k for its cost alone).
void BM_BackwardTorusAdd(benchmark::State& state, FftKind kind) {
  const auto fft = make_or_skip(state, kind);
  if (!fft) return;
  NegacyclicData d;
  fft->forward_torus(d.torus.data(), d.f2.data());
  for (auto _ : state) {
    std::copy(d.f2.begin(), d.f2.end(), d.f1.begin());
    fft->backward_torus_add(d.f1.data(), d.acc.data());
    benchmark::DoNotOptimize(d.acc.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, fft_flops(kN / 2));
}
BENCHMARK_CAPTURE(BM_BackwardTorusAdd, avx2, FftKind::Avx2)
    ->Name("negacyclic2048/memcpy16k+backward_torus_add/avx2");
BENCHMARK_CAPTURE(BM_BackwardTorusAdd, avx512, FftKind::Avx512)
    ->Name("negacyclic2048/memcpy16k+backward_torus_add/avx512");

void BM_Memcpy16k(benchmark::State& state) {
  NegacyclicData d;
  for (auto _ : state) {
    std::copy(d.f2.begin(), d.f2.end(), d.f1.begin());
    benchmark::DoNotOptimize(d.f1.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_Memcpy16k)->Name("negacyclic2048/memcpy16k");

void BM_MulAcc(benchmark::State& state, FftKind kind) {
  const auto fft = make_or_skip(state, kind);
  if (!fft) return;
  NegacyclicData d;
  fill_random(d.f1.data(), kN, 1);
  fill_random(d.f2.data(), kN, 2);
  fill_random(d.f3.data(), kN, 3);
  for (auto _ : state) {
    fft->mul_acc(d.f3.data(), d.f1.data(), d.f2.data());
    benchmark::DoNotOptimize(d.f3.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, 8.0 * (kN / 2));
}
BENCHMARK_CAPTURE(BM_MulAcc, avx2, FftKind::Avx2)->Name("negacyclic2048/mul_acc/avx2");
BENCHMARK_CAPTURE(BM_MulAcc, avx512, FftKind::Avx512)->Name("negacyclic2048/mul_acc/avx512");

// The Fourier part of one external product at k = 1, l = 1 (2 rows x 2 columns): the mul/mul_acc
// sequence against the fused external_mac (packed key, padded in/out strides as in the blind
// rotation), operands in cache.
void BM_ExternalMac(benchmark::State& state, FftKind kind, bool fused) {
  const auto fft = make_or_skip(state, kind);
  if (!fft) return;
  constexpr std::size_t kStride = kN + 72;
  AVec<double> in(2 * kN), g(4 * kN), out(2 * kN), key(4 * kN), pin(2 * kStride), pout(2 * kStride);
  fill_random(in.data(), in.size(), 1);
  fill_random(g.data(), g.size(), 2);
  fill_random(pin.data(), pin.size(), 1);
  pack_key(kN, key.data(), g.data(), 4);
  for (auto _ : state) {
    if (fused) {
      fft->external_mac(pout.data(), kStride, pin.data(), kStride, 2, key.data(), 2);
    } else {
      fft->mul(out.data(), in.data(), g.data());
      fft->mul(out.data() + kN, in.data(), g.data() + kN);
      fft->mul_acc(out.data(), in.data() + kN, g.data() + 2 * kN);
      fft->mul_acc(out.data() + kN, in.data() + kN, g.data() + 3 * kN);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, 4 * 8.0 * (kN / 2));
}
BENCHMARK_CAPTURE(BM_ExternalMac, avx2_seq, FftKind::Avx2, false)
    ->Name("negacyclic2048/mul+mul_acc_2x2/avx2");
BENCHMARK_CAPTURE(BM_ExternalMac, avx2, FftKind::Avx2, true)
    ->Name("negacyclic2048/external_mac_2x2/avx2");
BENCHMARK_CAPTURE(BM_ExternalMac, avx512_seq, FftKind::Avx512, false)
    ->Name("negacyclic2048/mul+mul_acc_2x2/avx512");
BENCHMARK_CAPTURE(BM_ExternalMac, avx512, FftKind::Avx512, true)
    ->Name("negacyclic2048/external_mac_2x2/avx512");
BENCHMARK_CAPTURE(BM_ForwardInt, scalar, FftKind::Scalar)
    ->Name("negacyclic2048/forward_int/scalar");

// ---- Our negacyclic transform against FFTW on the same transform (N = 2048) ----
// forward: int64 digits -> Fourier; backward_add: Fourier -> torus, added into a u64 accumulator;
// ours = the Auto backend (forward_int, backward_torus_add). FFTW: FftwNegacyclic (glue loops
// around an FFTW_MEASURE plan, out of place), interleaved and split layouts; the summary takes the
// faster. Our backward uses its input as scratch, so its benchmark copies a fresh Fourier buffer
// first (16 KB memcpy, counted against us); FFTW's out-of-place plan preserves its input.

// Ours: the benchmarks above on the Auto backend.
BENCHMARK_CAPTURE(BM_ForwardInt, ours, FftKind::Auto)->Name("negacyclic2048/forward/ours");
BENCHMARK_CAPTURE(BM_BackwardTorusAdd, ours, FftKind::Auto)
    ->Name("negacyclic2048/backward_add/ours");
BENCHMARK_CAPTURE(BM_NegacyclicRoundTrip, ours, FftKind::Auto)
    ->Name("negacyclic2048/forward+backward_add/ours");

// what: 0 forward, 1 backward_add, 2 round trip.
void BM_NegaFftw(benchmark::State& state, bool split, int what) {
  const FftwNegacyclic fftw(kN, split);
  NegacyclicData d;
  double* f = fftw.alloc_fourier();
  fftw.forward(d.digits.data(), f);
  for (auto _ : state) {
    if (what != 1) fftw.forward(d.digits.data(), f);
    if (what != 0) fftw.backward_add(f, d.acc.data());
    benchmark::DoNotOptimize(f);
    benchmark::DoNotOptimize(d.acc.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, (what == 2 ? 2 : 1) * fft_flops(kN / 2));
  FftwNegacyclic::free_fourier(f);
}
BENCHMARK_CAPTURE(BM_NegaFftw, fwd_i, false, 0)->Name("negacyclic2048/forward/fftw_interleaved");
BENCHMARK_CAPTURE(BM_NegaFftw, fwd_s, true, 0)->Name("negacyclic2048/forward/fftw_split");
BENCHMARK_CAPTURE(BM_NegaFftw, bwd_i, false, 1)
    ->Name("negacyclic2048/backward_add/fftw_interleaved");
BENCHMARK_CAPTURE(BM_NegaFftw, bwd_s, true, 1)->Name("negacyclic2048/backward_add/fftw_split");
BENCHMARK_CAPTURE(BM_NegaFftw, rt_i, false, 2)
    ->Name("negacyclic2048/forward+backward_add/fftw_interleaved");
BENCHMARK_CAPTURE(BM_NegaFftw, rt_s, true, 2)
    ->Name("negacyclic2048/forward+backward_add/fftw_split");

// ---- The FFT work of one blind rotation at the FHEVM parameters (n=918, k=1, l=1, N=2048) ----
// Per step: forward_int of the 2 decomposed GLWE polynomials, 4 products with the step's GGSW
// (external_mac, or mul for the first row and mul_acc for the second), backward_torus_add of the
// 2 output polynomials.
// The Fourier key is synthetic (918 x 4 x N doubles = 60 MB, streamed from memory as in a PBS,
// each row fetched during the previous step's transforms); the rotation and the decomposition are
// left out.
void BM_BlindRotateFftCore(benchmark::State& state, FftKind kind, bool fused) {
  const auto fft = make_or_skip(state, kind);
  if (!fft) return;
  constexpr std::size_t kSteps = 918;
  AVec<double> bsk(kSteps * 4 * kN);
  fill_random(bsk.data(), bsk.size(), 5);
  NegacyclicData d;
  // One scratch buffer, padded strides: the layout of the blind rotation's (PbsScratch).
  constexpr std::size_t kStride = kN + 72;
  AVec<double> scratch(4 * kStride);
  double* fd0 = scratch.data();
  double* fd1 = fd0 + kStride;
  double* out0 = fd0 + 2 * kStride;
  double* out1 = fd0 + 3 * kStride;
  AVec<int64_t> digits1(kN);
  for (std::size_t j = 0; j < kN; ++j) digits1[j] = d.digits[(j * 7) % kN];
  for (auto _ : state) {
    for (std::size_t i = 0; i < kSteps; ++i) {
      const double* g = bsk.data() + i * 4 * kN;
      // The next row is fetched into L2 during this step's transforms, as in the blind rotation.
      const double* next = i + 1 < kSteps ? g + 4 * kN : nullptr;
      auto part = [&](std::size_t t) { return next != nullptr ? next + t * kN : nullptr; };
      fft->forward_int(d.digits.data(), fd0, part(0));
      fft->forward_int(digits1.data(), fd1, part(1));
      if (fused) {
        fft->external_mac(out0, kStride, fd0, kStride, 2, g, 2);  // random key: any layout
      } else {
        fft->mul(out0, fd0, g);
        fft->mul(out1, fd0, g + kN);
        fft->mul_acc(out0, fd1, g + 2 * kN);
        fft->mul_acc(out1, fd1, g + 3 * kN);
      }
      fft->backward_torus_add(out0, d.acc.data(), part(2));
      fft->backward_torus_add(out1, d.acc.data(), part(3));
    }
    benchmark::DoNotOptimize(d.acc.data());
    benchmark::ClobberMemory();
  }
  set_flop_counters(state, pbs_flops(918, 2048, 1, 1));
}
BENCHMARK_CAPTURE(BM_BlindRotateFftCore, auto, FftKind::Auto, false)
    -> Name("blind_rotate_fft_core/N2048") -> Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BlindRotateFftCore, auto_fused, FftKind::Auto, true)
    ->Name("blind_rotate_fft_core/N2048/external_mac")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BlindRotateFftCore, avx2, FftKind::Avx2, false)
    ->Name("blind_rotate_fft_core/N2048/avx2")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_BlindRotateFftCore, avx2_fused, FftKind::Avx2, true)
    ->Name("blind_rotate_fft_core/N2048/avx2/external_mac")
    ->Unit(benchmark::kMillisecond);

double best_positive(std::initializer_list<const char*> names) {
  double best = 0;
  for (const char* n : names) {
    const double t = result_seconds(n);
    if (t > 0 && (best == 0 || t < best)) best = t;
  }
  return best;
}

}  // namespace

void print_fft_summary() {
  auto ratio = [](double fftw, double ours) { return fftw > 0 && ours > 0 ? fftw / ours : NAN; };
  const double fwd = ratio(best_positive({"negacyclic2048/forward/fftw_interleaved",
                                          "negacyclic2048/forward/fftw_split"}),
                           result_seconds("negacyclic2048/forward/ours"));
  const double bwd = ratio(best_positive({"negacyclic2048/backward_add/fftw_interleaved",
                                          "negacyclic2048/backward_add/fftw_split"}),
                           result_seconds("negacyclic2048/backward_add/ours"));
  const double rt = ratio(best_positive({"negacyclic2048/forward+backward_add/fftw_interleaved",
                                         "negacyclic2048/forward+backward_add/fftw_split"}),
                          result_seconds("negacyclic2048/forward+backward_add/ours"));
  const double cplx =
      ratio(best_positive({"fft1024/fftw_measure_interleaved", "fft1024/fftw_measure_split"}),
            best_positive({"fft1024/ours_avx2", "fft1024/ours_avx512"}));
  const double cplx_ip =
      ratio(best_positive({"fft1024/fftw_measure_interleaved_in_place",
                           "fft1024/fftw_measure_split_in_place"}),
            best_positive({"fft1024/ours_avx2_in_place", "fft1024/ours_avx512_in_place"}));
  std::printf(
      "summary: FFTW / our time, negacyclic N=2048 (%s backend; FFTW_MEASURE, best FFTW layout, "
      "higher = ours faster): forward %.3f, backward_add %.3f, round trip %.3f\n",
      std::string(make_fft(kN)->name()).c_str(), fwd, bwd, rt);
  std::printf(
      "summary: FFTW / our time, size-1024 complex FFT (best of ours, best FFTW layout): %.3f out "
      "of place, %.3f in place\n",
      cplx, cplx_ip);
}

}  // namespace fhe::bench
