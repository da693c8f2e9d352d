// coprocessor: the FHEVM coprocessor services as subcommands (DESIGN.md §4).
//
//   coprocessor migrate --database-url URL
//   coprocessor keygen --database-url URL [--params fhevm|toy] [--seed N] [--with-client-key]
//   coprocessor keys-import --database-url URL --keys DIR [--with-client-key]
//   coprocessor tfhe-worker --database-url URL [--work-items-batch-size N] [--dcid-ttl-sec S] ...
//   coprocessor host-listener --url ws://... --acl-contract-address A --tfhe-contract-address T
//               --database-url URL [--start-at-block N] [--catchup-finalization-in-blocks N] ...
//   coprocessor ingest-erc20 --database-url URL [--accounts N] [--transfers N] [--seed N]
//   coprocessor balances --database-url URL [--accounts N] [--transfers N] [--seed N]
//   coprocessor demo [--dir DIR] [--accounts N] [--transfers N] [--seed N]
//
// Errors print one line "coprocessor: error: ..." and exit 1; usage errors exit 2.
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

#include "../common/cli_util.h"
#include "coprocessor/host_listener.h"
#include "coprocessor/ingest.h"
#include "coprocessor/storage.h"
#include "coprocessor/tfhe_worker.h"
#include "coprocessor/workload.h"
#include "fhe/cpk.h"
#include "fhe/keys.h"
#include "fhe/native_format.h"
#include "fhe/tfhers.h"
#include "store/local_cluster.h"
#include "store/migrate.h"
#include "store/pg.h"

using namespace cli;  // NOLINT: the shared CLI helpers

namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) {
  g_stop = true;
}

struct KeygenLog : fhe::KeygenProgress {
  Clock::time_point t0 = Clock::now();
  void report(const char* stage, std::size_t done, std::size_t total) override {
    std::fprintf(stderr, "keygen: [%zu/%zu] %s (%.2f s)\n", done, total, stage, seconds_since(t0));
  }
};

// The keys table row of a key set: server key (native), CPK (TFHE-rs), optionally the client key
// (native; only for the test role standing in for the KMS).
int64_t store_keys(store::Connection& c, const fhe::ClientKey& ck, const fhe::ServerKeyMaterial& m,
                   bool with_client_key) {
  if (!m.cpk) throw CliError("the server key has no compact public key");
  fhe::tfhers::CompactPublicKey pk;
  pk.a = m.cpk->a;
  pk.b = m.cpk->b;
  std::vector<uint8_t> pks;
  if (m.cpk->params == &fhe::kFhevmCpk) pks = fhe::tfhers::safe_serialize(pk);
  const SecretBytes cks(with_client_key ? fhe::native::serialize_client_key(ck)
                                        : std::vector<uint8_t>{});
  return coproc::insert_keys(c, fhe::native::serialize_server_key(m), pks,
                             with_client_key ? &cks.v : nullptr);
}

int64_t cmd_keygen(const std::string& url, const std::string& params, const std::string& seed_s,
                   bool with_ck) {
  if (params == "toy") fhe::allow_insecure(true);
  const u128 seed = seed_s.empty() ? fhe::Csprng::os_seed() : parse_seed(seed_s);
  fhe::Csprng seeds(seed);
  fhe::ClientKey ck = fhe::generate_client_key(fhe::params_by_name(params), seeds.next_u128());
  const u128 server_seed = seeds.next_u128();
  fhe::Csprng meta(seeds.next_u128());
  fhe::add_meta_keys(ck, meta);
  KeygenLog log;
  const fhe::ServerKeyMaterial m = fhe::generate_server_key_material(ck, server_seed, &log);
  store::Connection c(url);
  const int64_t seq = store_keys(c, ck, m, with_ck);
  std::fprintf(stderr, "keygen: key set %lld stored in the keys table (%.1f s)\n",
               static_cast<long long>(seq), seconds_since(log.t0));
  return seq;
}

void cmd_keys_import(const std::string& url, const std::string& dir, bool with_ck) {
  const SecretBytes ckb(read_file(fs::path(dir) / "client_key.bin", uint64_t{1} << 30));
  {
    // Toy keys need the explicit opt-in (the parameter-set id is at bytes 12..15).
    if (ckb.v.size() >= 16 && ckb.v[12] == static_cast<uint8_t>(fhe::ParamSetId::Toy)) {
      fhe::allow_insecure(true);
    }
  }
  const fhe::ClientKey ck = fhe::native::deserialize_client_key(ckb.v);
  const fhe::ServerKeyMaterial m = fhe::native::deserialize_server_key(
      read_file(fs::path(dir) / "server_key.bin", uint64_t{2} << 30));
  store::Connection c(url);
  const int64_t seq = store_keys(c, ck, m, with_ck);
  std::fprintf(stderr, "keys-import: key set %lld stored from %s\n", static_cast<long long>(seq),
               dir.c_str());
}

void cmd_migrate(const std::string& url) {
  store::Connection c(url);
  const int applied = store::migrate(c);
  std::fprintf(stderr, "migrate: %d migration(s) applied, schema version %lld (%s)\n", applied,
               static_cast<long long>(store::schema_version(c)), c.description().c_str());
}

coproc::Erc20Workload workload(std::size_t accounts, std::size_t transfers, uint64_t seed) {
  if (accounts < 2) throw CliError("at least 2 accounts");
  return coproc::make_erc20_workload(accounts, transfers, seed);
}

// The test role standing in for the KMS: decrypts the final balances with the stored client key.
std::size_t print_balances(store::Connection& c, const coproc::Erc20Workload& w) {
  const store::Result k = c.exec(
      "SELECT cks_key, sks_key FROM keys WHERE cks_key IS NOT NULL"
      " ORDER BY sequence_number DESC LIMIT 1");
  if (k.rows() == 0) throw CliError("no client key in the keys table (keygen --with-client-key)");
  const SecretBytes ckb(k.get<store::Bytes>(0, 0));
  if (ckb.v.size() >= 16 && ckb.v[12] == static_cast<uint8_t>(fhe::ParamSetId::Toy)) {
    fhe::allow_insecure(true);
  }
  const fhe::ClientKey ck = fhe::native::deserialize_client_key(ckb.v);
  const fhe::ServerKey sk =
      fhe::make_server_key(fhe::native::deserialize_server_key(k.get<store::Bytes>(0, 1)));
  std::size_t wrong = 0;
  std::printf("  account  balance (decrypted)  expected\n");
  for (std::size_t a = 0; a < w.final_balances.size(); ++a) {
    const coproc::Handle& h = w.final_balances[a];
    const store::Result r = c.exec("SELECT ciphertext FROM ciphertexts WHERE handle = $1",
                                   store::Bytes(h.begin(), h.end()));
    std::string got = "(missing)";
    if (r.rows() == 1) {
      const auto ct =
          coproc::decompress_ct64(sk, r.get<store::Bytes>(0, 0), fhe::FheType::uint(64));
      got = fhe::integer::decrypt(ck, ct).to_string();
    }
    const std::string want = std::to_string(w.expected_balances[a]);
    if (got != want) ++wrong;
    std::printf("  %7zu  %19s  %8s%s\n", a, got.c_str(), want.c_str(),
                got == want ? "" : "  WRONG");
  }
  std::fflush(stdout);
  return wrong;
}

void run_worker(const coproc::WorkerConfig& cfg) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  coproc::TfheWorker w(cfg);
  std::fprintf(stderr, "tfhe-worker %s: listening on %s\n", w.worker_id().c_str(),
               store::redact_conninfo(cfg.database_url).c_str());
  w.run(g_stop, [&](const coproc::CycleStats& s) {
    if (s.computed || s.errors) {
      std::fprintf(stderr, "tfhe-worker: %zu results stored, %zu errors, %llu PBS\n", s.computed,
                   s.errors, static_cast<unsigned long long>(s.pbs));
    }
  });
  std::fprintf(stderr, "tfhe-worker: stopped\n");
}

void cmd_demo(const std::string& dir, std::size_t accounts, std::size_t transfers,
              const std::string& seed_s, const std::string& params) {
  const auto t0 = Clock::now();
  const uint64_t seed = seed_s.empty() ? 42 : static_cast<uint64_t>(parse_seed(seed_s));
  std::printf("coprocessor demo: %zu confidential ERC20 transfers between %zu accounts\n",
              transfers, accounts);
  std::printf("1. PostgreSQL: a private cluster in %s\n", dir.c_str());
  std::fflush(stdout);
  store::LocalCluster cluster(store::LocalCluster::Options{dir, true, false});
  const std::string db = "coprocessor_demo";
  cluster.ensure_database(db);
  const std::string url = cluster.conninfo(db);
  {
    store::Connection c(url);
    // A fresh run each time: the demo's own database is dropped and recreated.
    c.exec_script(
        "DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP TABLE IF EXISTS "
        "coprocessor_migrations");
  }
  cmd_migrate(url);
  std::printf("2. keys (%s parameters)\n", params.c_str());
  std::fflush(stdout);
  cmd_keygen(url, params, std::to_string(seed), true);
  const coproc::Erc20Workload w = workload(accounts, transfers, seed);
  {
    store::Connection c(url);
    coproc::ingest(c, w.rows, 12345, 1);
  }
  std::printf("3. %zu computations inserted as the host-listener does (%zu transactions)\n",
              w.rows.size(), w.transactions.size());
  std::printf("4. tfhe-worker computing\n");
  std::fflush(stdout);
  coproc::WorkerConfig cfg;
  cfg.database_url = url;
  cfg.quiet = true;
  cfg.polling_interval_ms = 100;
  coproc::TfheWorker worker(cfg);
  std::size_t done = 0, total_allowed = 0;
  for (const auto& r : w.rows) total_allowed += r.is_allowed ? 1 : 0;
  uint64_t pbs = 0;
  const auto t1 = Clock::now();
  int idle = 0;
  while (idle < 2 && !g_stop) {
    const coproc::CycleStats s = worker.cycle();
    idle = s.found_work ? 0 : idle + 1;
    done += s.computed;
    pbs += s.pbs;
    if (s.computed) {
      std::printf("   %zu/%zu results stored (%.1f s)\n", done, total_allowed, seconds_since(t1));
      std::fflush(stdout);
    }
  }
  const double secs = seconds_since(t1);
  std::printf("5. the test KMS role decrypts the final balances\n");
  std::fflush(stdout);
  store::Connection c(url);
  const std::size_t wrong = print_balances(c, w);
  std::printf(
      "\n%zu transfers in %.1f s: %.2f transfers/s, %llu PBS (%.0f per transfer); "
      "total %.1f s\n",
      transfers, secs, static_cast<double>(transfers) / secs, static_cast<unsigned long long>(pbs),
      static_cast<double>(pbs) / static_cast<double>(transfers), seconds_since(t0));
  if (wrong) throw CliError(std::to_string(wrong) + " balance(s) wrong");
  std::printf("all balances correct\n");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"FHEVM coprocessor services"};
  app.require_subcommand(1);
  std::string url, dir, params = "fhevm", seed, keys_dir;
  bool with_ck = false, toy_keys = false;
  std::size_t accounts = 4, transfers = 8;
  coproc::WorkerConfig wc;

  auto* mig = app.add_subcommand("migrate", "Apply the schema migrations (idempotent)");
  mig->add_option("--database-url", url, "PostgreSQL conninfo or URL")->required();

  auto* kg = app.add_subcommand("keygen", "Generate a key set and store it in the keys table");
  kg->add_option("--database-url", url, "PostgreSQL conninfo or URL")->required();
  kg->add_option("--params", params, "fhevm, or toy (INSECURE)")
      ->check(CLI::IsMember({"fhevm", "toy"}));
  kg->add_option("--seed", seed, "Decimal seed (default: random)");
  kg->add_flag("--with-client-key", with_ck,
               "Also store the client key (only for the test role standing in for the KMS)");

  auto* ki = app.add_subcommand("keys-import", "Store the keys of an `fhe keygen` directory");
  ki->add_option("--database-url", url, "PostgreSQL conninfo or URL")->required();
  ki->add_option("--keys", keys_dir, "Keys directory")->required();
  ki->add_flag("--with-client-key", with_ck, "Also store the client key (test KMS role only)");

  auto* tw = app.add_subcommand("tfhe-worker", "Run the tfhe-worker until SIGINT/SIGTERM");
  tw->add_option("--database-url", wc.database_url, "PostgreSQL conninfo or URL")->required();
  tw->add_option("--worker-id", wc.worker_id, "UUID (default: random)");
  tw->add_option("--work-items-batch-size", wc.work_items_batch_size,
                 "Pending allowed computations per batch")
      ->capture_default_str();
  tw->add_option("--dcid-ttl-sec", wc.dcid_ttl_sec, "Dependence-chain lock lifetime")
      ->capture_default_str();
  tw->add_option("--worker-polling-interval-ms", wc.polling_interval_ms,
                 "Polling interval besides LISTEN work_available")
      ->capture_default_str();
  tw->add_option("--coprocessor-fhe-threads", wc.threads, "Engine threads (0: all cores)")
      ->capture_default_str();
  tw->add_flag("--insecure-toy-keys", toy_keys, "Accept key sets of the INSECURE toy parameters");

  coproc::ListenerConfig lc;
  std::string acl_s, exec_s;
  int64_t start_at = 0;
  uint64_t end_at = 0;
  auto* hl = app.add_subcommand(
      "host-listener", "Follow the host chain: FHEVMExecutor and ACL events into the database");
  hl->add_option("--url", lc.url, "Host chain node: ws://... (newHeads) or http://... (polling)")
      ->required();
  hl->add_option("--acl-contract-address", acl_s, "ACL contract address")->required();
  hl->add_option("--tfhe-contract-address", exec_s, "FHEVMExecutor contract address")->required();
  hl->add_option("--database-url", lc.database_url, "PostgreSQL conninfo or URL")->required();
  auto* start_opt = hl->add_option("--start-at-block", start_at,
                                   "First block (negative: relative to the head); default: the "
                                   "last ingested block minus --catchup-margin, else the head");
  auto* end_opt = hl->add_option("--end-at-block", end_at, "Stop after this block");
  hl->add_option("--catchup-margin", lc.catchup_margin, "Blocks re-read on restart")
      ->capture_default_str();
  hl->add_option("--reorg-maximum-duration-in-blocks", lc.reorg_maximum_duration_in_blocks,
                 "Deepest reorganization followed")
      ->capture_default_str();
  hl->add_option("--catchup-finalization-in-blocks", lc.catchup_finalization_in_blocks,
                 "Blocks below the head before finalization")
      ->capture_default_str();
  hl->add_option("--poll-interval-ms", lc.poll_interval_ms, "Polling interval")
      ->capture_default_str();

  auto* ing = app.add_subcommand("ingest-erc20",
                                 "Insert a synthetic ERC20 workload as the host-listener would");
  auto* bal = app.add_subcommand("balances",
                                 "Decrypt the synthetic workload's final balances (test KMS role)");
  for (auto* s : {ing, bal}) {
    s->add_option("--database-url", url, "PostgreSQL conninfo or URL")->required();
    s->add_option("--accounts", accounts, "Accounts")->capture_default_str();
    s->add_option("--transfers", transfers, "Transfers")->capture_default_str();
    s->add_option("--seed", seed, "Workload seed (default 42)");
  }

  auto* demo = app.add_subcommand(
      "demo", "Private PostgreSQL, keys, a synthetic ERC20 workload, the tfhe-worker, decryption");
  demo->add_option("--dir", dir, "Directory of the private PostgreSQL cluster")
      ->default_str(".coprocessor/pg");
  demo->add_option("--accounts", accounts, "Accounts")->capture_default_str();
  demo->add_option("--transfers", transfers, "Transfers")->capture_default_str();
  demo->add_option("--seed", seed, "Seed of keys and workload (default 42)");
  demo->add_option("--params", params, "fhevm, or toy (INSECURE, fast)")
      ->check(CLI::IsMember({"fhevm", "toy"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*mig) cmd_migrate(url);
    if (*kg) cmd_keygen(url, params, seed, with_ck);
    if (*ki) cmd_keys_import(url, keys_dir, with_ck);
    if (*hl) {
      lc.acl = chain::Address::from_hex(acl_s);
      lc.executor = chain::Address::from_hex(exec_s);
      if (*start_opt) lc.start_at_block = start_at;
      if (*end_opt) lc.end_at_block = end_at;
      std::signal(SIGINT, on_signal);
      std::signal(SIGTERM, on_signal);
      const auto st = coproc::run_host_listener(lc, g_stop, {});
      std::fprintf(stderr, "host-listener: stopped after %llu blocks (%llu computations)\n",
                   static_cast<unsigned long long>(st.blocks),
                   static_cast<unsigned long long>(st.computations));
    }
    if (*tw) {
      if (toy_keys) fhe::allow_insecure(true);
      run_worker(wc);
    }
    const uint64_t wseed = seed.empty() ? 42 : static_cast<uint64_t>(parse_seed(seed));
    if (*ing) {
      store::Connection c(url);
      const auto w = workload(accounts, transfers, wseed);
      coproc::ingest(c, w.rows, 12345, 1);
      std::fprintf(stderr, "ingest-erc20: %zu computations in %zu transactions\n", w.rows.size(),
                   w.transactions.size());
    }
    if (*bal) {
      store::Connection c(url);
      if (print_balances(c, workload(accounts, transfers, wseed)) != 0) {
        throw CliError("balances differ from the expected ones");
      }
    }
    if (*demo) cmd_demo(dir.empty() ? ".coprocessor/pg" : dir, accounts, transfers, seed, params);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "coprocessor: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
