// Engine benchmarks at the FHEVM compute parameters (n=918, k=1, N=2048, l=1), one thread
// (set_thread_count(1): key generation would otherwise use every core):
// key generation, keyswitch, PBS (modulus switch + blind rotation + sample extraction), and the
// KS->PBS pipeline through the shortint Evaluator. Keys are generated once per process (seeded).
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "bench_common.h"
#include "fhe/core.h"
#include "fhe/keys.h"
#include "fhe/params.h"
#include "fhe/random.h"
#include "fhe/shortint.h"
#include "fhe/threads.h"

namespace fhe::bench {
namespace {

const ShortintParams& params() {
  return kFhevmCompute;
}

struct Engine {
  ClientKey ck;
  ServerKey sk;
  shortint::LookupTable lut;
  shortint::Ciphertext ct;  // under the big key (KS->PBS order)
};

const Engine& engine() {
  static const std::unique_ptr<Engine> e = [] {
    set_thread_count(1);
    auto x = std::make_unique<Engine>();
    x->ck = generate_client_key(params(), 1);
    x->sk = generate_server_key(x->ck, 2);
    x->lut = shortint::make_lut(params(), [](uint64_t v) { return (v * v + 1) % 4; });
    Csprng mask(3), noise(4);
    x->ct = shortint::encrypt(x->ck, 2, mask, noise);
    return x;
  }();
  return *e;
}

void set_pbs_counters(benchmark::State& state) {
  const ShortintParams& p = params();
  const double flops = pbs_flops(p.lwe_dimension, p.polynomial_size, p.glwe_dimension, p.pbs.level);
  state.counters["flops"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
  if (fma_peak() > 0) {
    state.counters["peak_frac"] =
        benchmark::Counter(flops / fma_peak(), benchmark::Counter::kIsIterationInvariantRate);
  }
}

void BM_ClientKeygen(benchmark::State& state) {
  u128 seed = 10;
  for (auto _ : state) benchmark::DoNotOptimize(generate_client_key(params(), seed++));
}
BENCHMARK(BM_ClientKeygen)->Name("keygen/client_key")->Unit(benchmark::kMillisecond);

void BM_ServerKeygen(benchmark::State& state) {
  const ClientKey& ck = engine().ck;
  set_thread_count(1);
  u128 seed = 20;
  for (auto _ : state) benchmark::DoNotOptimize(generate_server_key(ck, seed++));
}
BENCHMARK(BM_ServerKeygen)->Name("keygen/server_key")->Unit(benchmark::kSecond)->Iterations(3);

void BM_Keyswitch(benchmark::State& state) {
  const Engine& e = engine();
  shortint::Evaluator ev(e.sk);
  LweCiphertext out(params().lwe_dimension);
  for (auto _ : state) {
    ev.keyswitch_raw(e.ct.ct, out);
    benchmark::DoNotOptimize(out.data.data());
  }
}
BENCHMARK(BM_Keyswitch)->Name("keyswitch/fhevm")->Unit(benchmark::kMillisecond);

// The PBS alone: modulus switch, blind rotation, sample extraction of a small-key ciphertext.
void BM_Pbs(benchmark::State& state) {
  const Engine& e = engine();
  const ShortintParams& p = params();
  shortint::Evaluator ev(e.sk);
  LweCiphertext small(p.lwe_dimension);
  ev.keyswitch_raw(e.ct.ct, small);
  std::vector<uint32_t> ms(p.lwe_dimension + 1);
  GlweCiphertext acc(p.glwe_dimension, p.polynomial_size);
  PbsScratch scratch;
  LweCiphertext out(p.big_lwe_dimension());
  for (auto _ : state) {
    modulus_switch(small, p.log2_2n(), p.mod_switch, ms.data());
    acc.data = e.lut.acc.data;
    blind_rotate(e.sk.bsk, *e.sk.fft, ms.data(), acc, scratch);
    sample_extract(acc, 0, out);
    benchmark::DoNotOptimize(out.data.data());
  }
  set_pbs_counters(state);
}
BENCHMARK(BM_Pbs)->Name("pbs/fhevm")->Unit(benchmark::kMillisecond);

// Evaluator::bootstrap_raw on a big-key ciphertext (keyswitch included in this pipeline).
void BM_KsPbsRaw(benchmark::State& state) {
  const Engine& e = engine();
  shortint::Evaluator ev(e.sk);
  LweCiphertext out(params().big_lwe_dimension());
  for (auto _ : state) {
    ev.bootstrap_raw(e.ct.ct, e.lut, out);
    benchmark::DoNotOptimize(out.data.data());
  }
  set_pbs_counters(state);
}
BENCHMARK(BM_KsPbsRaw)->Name("ks_pbs/bootstrap_raw")->Unit(benchmark::kMillisecond);

void BM_ApplyLut(benchmark::State& state) {
  const Engine& e = engine();
  shortint::Evaluator ev(e.sk);
  for (auto _ : state) benchmark::DoNotOptimize(ev.apply_lut(e.ct, e.lut));
  set_pbs_counters(state);
}
BENCHMARK(BM_ApplyLut)->Name("ks_pbs/apply_lut")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fhe::bench
