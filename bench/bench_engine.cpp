// Engine benchmarks at the FHEVM compute parameters (n=918, k=1, N=2048, l=1), one thread
// (set_thread_count(1): key generation would otherwise use every core):
// key generation, keyswitch, PBS (modulus switch + blind rotation + sample extraction), and the
// KS->PBS pipeline through the shortint Evaluator. Keys are generated once per process (seeded).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <span>
#include <thread>
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

// Flop counters of `pbs` PBS per iteration.
void set_pbs_counters(benchmark::State& state, double pbs = 1.0) {
  const ShortintParams& p = params();
  const double flops =
      pbs * pbs_flops(p.lwe_dimension, p.polynomial_size, p.glwe_dimension, p.pbs.level);
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

// Batched PBS on one thread: `batch` modulus-switched ciphertexts blind-rotated in lockstep
// (each key row read once per batch), then sample-extracted. Time and flops per PBS.
void BM_PbsBatch(benchmark::State& state) {
  const Engine& e = engine();
  const ShortintParams& p = params();
  const std::size_t batch = static_cast<std::size_t>(state.range(0));
  shortint::Evaluator ev(e.sk);
  LweCiphertext small(p.lwe_dimension);
  ev.keyswitch_raw(e.ct.ct, small);
  std::vector<std::vector<uint32_t>> ms(batch, std::vector<uint32_t>(p.lwe_dimension + 1));
  std::vector<GlweCiphertext> accs(batch, GlweCiphertext(p.glwe_dimension, p.polynomial_size));
  std::vector<const uint32_t*> ms_ptr;
  std::vector<GlweCiphertext*> acc_ptr;
  for (std::size_t c = 0; c < batch; ++c) {
    ms_ptr.push_back(ms[c].data());
    acc_ptr.push_back(&accs[c]);
  }
  PbsScratch scratch;
  LweCiphertext out(p.big_lwe_dimension());
  for (auto _ : state) {
    for (std::size_t c = 0; c < batch; ++c) {
      modulus_switch(small, p.log2_2n(), p.mod_switch, ms[c].data());
      accs[c].data = e.lut.acc.data;
    }
    blind_rotate_batch(e.sk.bsk, *e.sk.fft, ms_ptr, acc_ptr, scratch);
    for (std::size_t c = 0; c < batch; ++c) sample_extract(accs[c], 0, out);
    benchmark::DoNotOptimize(out.data.data());
  }
  set_pbs_counters(state, static_cast<double>(batch));
}
BENCHMARK(BM_PbsBatch)
    ->Name("pbs_batch/fhevm")
    ->Arg(4)
    ->Arg(8)
    ->Arg(16)
    ->Unit(benchmark::kMillisecond);

// Batched keyswitch on one thread (time per ciphertext).
void BM_KeyswitchBatch(benchmark::State& state) {
  const Engine& e = engine();
  const std::size_t batch = static_cast<std::size_t>(state.range(0));
  std::vector<LweCiphertext> outs(batch, LweCiphertext(params().lwe_dimension));
  std::vector<const LweCiphertext*> in(batch, &e.ct.ct);
  std::vector<LweCiphertext*> out;
  for (auto& o : outs) out.push_back(&o);
  for (auto _ : state) {
    keyswitch_batch(e.sk.ksk, in, out);
    benchmark::DoNotOptimize(outs[0].data.data());
  }
  // Seconds per ciphertext (printed with an SI prefix: 1.2m = 1.2 ms).
  state.counters["s_per_ct"] =
      benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}
BENCHMARK(BM_KeyswitchBatch)->Name("keyswitch_batch/fhevm")->Arg(8)->Unit(benchmark::kMillisecond);

// KS+PBS throughput (Evaluator::apply_lut, the operation every integer PBS runs) with `threads`
// threads, each on its own ciphertexts: one by one (batch = 1) or apply_lut_batch. Wall-clock time
// per iteration; "pbs_per_s" is the throughput.
void BM_Throughput(benchmark::State& state) {
  const Engine& e = engine();
  const unsigned threads = static_cast<unsigned>(state.range(0));
  const std::size_t batch = static_cast<std::size_t>(state.range(1));
  constexpr std::size_t kPerThread = 16;
  std::vector<std::unique_ptr<shortint::Evaluator>> evs;
  std::vector<std::vector<shortint::Ciphertext>> outs(
      threads, std::vector<shortint::Ciphertext>(kPerThread));
  for (unsigned t = 0; t < threads; ++t) evs.push_back(std::make_unique<shortint::Evaluator>(e.sk));
  auto work = [&](unsigned t) {
    std::vector<shortint::LutJob> jobs;
    for (auto& o : outs[t]) jobs.push_back({&e.ct, &e.lut, &o});
    for (std::size_t i = 0; i < kPerThread; i += batch) {
      if (batch == 1) {
        outs[t][i] = evs[t]->apply_lut(e.ct, e.lut);
      } else {
        evs[t]->apply_lut_batch(
            std::span<const shortint::LutJob>(jobs.data() + i, std::min(batch, kPerThread - i)));
      }
    }
  };
  for (auto _ : state) {
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
  }
  state.counters["pbs_per_s"] = benchmark::Counter(static_cast<double>(threads * kPerThread),
                                                   benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Throughput)
    ->Name("throughput/ks_pbs")
    ->ArgNames({"threads", "batch"})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Args({1, 8})
    ->Args({2, 8})
    ->UseRealTime()
    ->MinTime(1.0)
    ->Unit(benchmark::kMillisecond);

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
