// coproc_pipeline_bench: the synthetic ERC20 workload through the whole coprocessor pipeline
// (PostgreSQL rows -> tfhe-worker: dependence-chain locks, re-randomization, the operators,
// compression, storage) with one worker, next to the engine-only rate of the same transfers
// measured in the same run (the five operators on in-memory ciphertexts). The ratio is the
// pipeline's overhead. Real FHEVM parameters; a private temporary PostgreSQL cluster.
//
//   coproc_pipeline_bench [--transfers N] [--accounts N] [--threads N]
#include <chrono>
#include <cstdio>
#include <string>

#include "coprocessor/ingest.h"
#include "coprocessor/tfhe_worker.h"
#include "coprocessor/workload.h"
#include "fhe/integer.h"
#include "fhe/native_format.h"
#include "fhe/threads.h"
#include "store/local_cluster.h"
#include "store/migrate.h"
#include "store/pg.h"

namespace {
using Clock = std::chrono::steady_clock;
double secs(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  std::size_t transfers = 8, accounts = 4;
  unsigned threads = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--transfers" && i + 1 < argc) {
      transfers = std::stoul(argv[++i]);
    } else if (a == "--accounts" && i + 1 < argc) {
      accounts = std::stoul(argv[++i]);
    } else if (a == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::stoul(argv[++i]));
    } else {
      std::printf("usage: coproc_pipeline_bench [--transfers N] [--accounts N] [--threads N]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  if (threads) fhe::set_thread_count(threads);
  std::fprintf(stderr, "pipeline bench: keys (real FHEVM parameters)...\n");
  fhe::ClientKey ck = fhe::generate_client_key(fhe::kFhevmCompute, 1);
  fhe::Csprng meta(2);
  fhe::add_meta_keys(ck, meta);
  const fhe::ServerKeyMaterial m = fhe::generate_server_key_material(ck, 3);
  const fhe::ServerKey sk = fhe::make_server_key(m);
  const coproc::Erc20Workload w = coproc::make_erc20_workload(accounts, transfers, 4);

  // Engine only: the same transfers on in-memory ciphertexts (no re-randomization, no
  // compression, no database).
  fhe::integer::Engine e(sk, threads);
  fhe::Csprng mask(5), noise(6);
  const fhe::FheType u64 = fhe::FheType::uint(64);
  std::vector<fhe::integer::Ciphertext> bal;
  for (std::size_t a = 0; a < accounts; ++a) {
    bal.push_back(fhe::integer::encrypt(ck, u64, fhe::U256{1000000}, mask, noise));
  }
  const uint64_t pbs0 = e.pbs_count();
  const auto t0 = Clock::now();
  for (std::size_t t = 0; t < transfers; ++t) {
    const std::size_t from = t % accounts, to = (t + 1) % accounts;
    const auto amount = fhe::integer::trivial(sk.params[0], u64, fhe::U256{100 + t});
    const auto ok = e.compare(fhe::integer::Cmp::Ge, bal[from], amount);
    bal[from] = e.if_then_else(ok, e.sub(bal[from], amount), bal[from]);
    bal[to] = e.if_then_else(ok, e.add(bal[to], amount), bal[to]);
  }
  const double engine_s = secs(t0);
  const double engine_rate = static_cast<double>(transfers) / engine_s;
  const uint64_t engine_pbs = (e.pbs_count() - pbs0) / transfers;

  // The pipeline.
  store::LocalCluster cluster(store::LocalCluster::Options{"", false, true});
  const std::string url = cluster.create_database("bench");
  double pipeline_s = 0;
  uint64_t pbs = 0;
  {
    store::Connection c(url);
    store::migrate(c);
    coproc::insert_keys(c, fhe::native::serialize_server_key(m), {}, nullptr);
    coproc::ingest(c, w.rows, 12345, 1);
    coproc::WorkerConfig cfg;
    cfg.database_url = url;
    cfg.quiet = true;
    cfg.threads = threads;
    coproc::TfheWorker worker(cfg);
    (void)worker.cycle();  // loads the key set (not part of the rate): the mint transaction
    const auto t1 = Clock::now();
    int idle = 0;
    while (idle < 2) {
      const auto s = worker.cycle();
      idle = s.found_work ? 0 : idle + 1;
      pbs += s.pbs;
    }
    pipeline_s = secs(t1);
  }
  const double pipeline_rate = static_cast<double>(transfers) / pipeline_s;
  std::printf("ERC20 transfers, FheUint64, %u threads, one worker:\n", e.threads());
  std::printf("  engine only : %6.3f transfers/s  (%llu PBS per transfer)\n", engine_rate,
              static_cast<unsigned long long>(engine_pbs));
  std::printf("  pipeline    : %6.3f transfers/s  (%.0f PBS per transfer, incl. decompression)\n",
              pipeline_rate, static_cast<double>(pbs) / static_cast<double>(transfers));
  std::printf("  pipeline / engine-only rate: %.2f\n", pipeline_rate / engine_rate);
  return 0;
}
