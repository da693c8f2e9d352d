// The tfhe-worker against a real PostgreSQL (a private cluster, tests/pg_cluster.h) on the toy
// set: the ERC20 workload end to end, the same stored bytes for any batch size and for two
// concurrent workers, error rows, inputs that never arrive, duplicate inserts, and a server
// restart during a run.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <thread>

#include "coprocessor/executor.h"
#include "coprocessor/ingest.h"
#include "coprocessor/storage.h"
#include "coprocessor/tfhe_worker.h"
#include "fhe/cpk.h"
#include "fhe/native_format.h"
#include "fhe/tfhers.h"
#include "pg_cluster.h"
#include "store/migrate.h"
#include "store/pg.h"
#include "test_util.h"

namespace coproc {
namespace {

using fhe::FheType;
using fhe::U256;

struct Keys {
  fhe::ClientKey ck;
  fhe::ServerKeyMaterial m;
  fhe::ServerKey sk;
  std::vector<uint8_t> sk_bytes;
};

const Keys& keys() {
  static Keys* k = [] {
    fhe::allow_insecure(true);
    auto* x = new Keys{fhe::generate_client_key(fhe::kToyInsecure, 191), {}, {}, {}};
    fhe::Csprng secret(192);
    fhe::add_meta_keys(x->ck, secret);
    x->m = fhe::generate_server_key_material(x->ck, 193);
    x->sk_bytes = fhe::native::serialize_server_key(x->m);
    x->sk = fhe::make_server_key(x->m);
    return x;
  }();
  return *k;
}

// A fresh migrated database with the toy keys.
std::string fresh_db(const std::string& name) {
  const std::string url = store::test::PgCluster::shared().create_database(name);
  store::Connection c(url);
  store::migrate(c);
  insert_keys(c, keys().sk_bytes, {}, nullptr);
  return url;
}

WorkerConfig config(const std::string& url, int batch = 100) {
  WorkerConfig cfg;
  cfg.database_url = url;
  cfg.work_items_batch_size = batch;
  cfg.polling_interval_ms = 50;
  cfg.quiet = true;
  return cfg;
}

// Cycles until a cycle finds nothing (twice in a row).
void drain(TfheWorker& w) {
  int idle = 0;
  for (int i = 0; i < 10000 && idle < 2; ++i) idle = w.cycle().found_work ? 0 : idle + 1;
}

std::map<Handle, Bytes> stored(const std::string& url) {
  store::Connection c(url);
  const store::Result r = c.exec("SELECT handle, ciphertext FROM ciphertexts");
  std::map<Handle, Bytes> out;
  for (int i = 0; i < r.rows(); ++i) {
    Handle h{};
    const Bytes b = r.get<Bytes>(i, 0);
    std::copy(b.begin(), b.end(), h.begin());
    out[h] = r.get<Bytes>(i, 1);
  }
  return out;
}

// The reference: the whole workload as one in-memory batch.
std::map<Handle, Bytes> reference(const Erc20Workload& w) {
  fhe::integer::Engine e(keys().sk);
  const Plan p = build_plan(w.rows);
  const auto r = run_plan(e, w.rows, p, {});
  std::map<Handle, Bytes> out;
  for (std::size_t k = 0; k < p.nodes.size(); ++k) {
    if (p.nodes[k].store) out[w.rows[p.nodes[k].row].output_handle] = r[k].ct64;
  }
  return out;
}

TEST(Worker, Erc20EndToEndAnyBatchSizeSameBytes) {
  const Erc20Workload w = make_erc20_workload(3, 5, static_cast<uint64_t>(fhe::test::test_seed(7)));
  const auto want = reference(w);
  for (int batch : {100, 1}) {
    const std::string url = fresh_db("erc20_batch_" + std::to_string(batch));
    {
      store::Connection c(url);
      ingest(c, w.rows, 12345, 1);
      ingest(c, w.rows, 12345, 1);  // a duplicate insert changes nothing
    }
    TfheWorker worker(config(url, batch));
    drain(worker);
    const auto got = stored(url);
    EXPECT_EQ(got, want) << "batch size " << batch;
    for (std::size_t a = 0; a < w.final_balances.size(); ++a) {
      const auto bal = decompress_ct64(keys().sk, got.at(w.final_balances[a]), FheType::uint(64));
      EXPECT_EQ(fhe::integer::decrypt(keys().ck, bal), U256{w.expected_balances[a]});
    }
    store::Connection c(url);
    EXPECT_EQ(c.exec("SELECT count(*) FROM computations WHERE NOT is_completed").get<int64_t>(0, 0),
              0);
    EXPECT_EQ(c.exec("SELECT count(*) FROM dependence_chain WHERE status <> 'processed'")
                  .get<int64_t>(0, 0),
              0);
  }
}

TEST(Worker, TwoConcurrentWorkersNeitherLoseNorDuplicate) {
  const Erc20Workload w = make_erc20_workload(4, 6, 11);
  const auto want = reference(w);
  const std::string url = fresh_db("two_workers");
  {
    store::Connection c(url);
    ingest(c, w.rows, 12345, 1);
  }
  std::atomic<bool> stop{false};
  std::atomic<int> computed{0};
  auto run = [&] {
    TfheWorker worker(config(url, 2));
    worker.run(stop, [&](const CycleStats& s) { computed += static_cast<int>(s.computed); });
  };
  std::thread t1(run), t2(run);
  for (int i = 0; i < 600 && stored(url).size() < want.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  t1.join();
  t2.join();
  EXPECT_EQ(stored(url), want);
  EXPECT_EQ(computed.load(), static_cast<int>(want.size()));  // each result computed once
}

Bytes be32(uint64_t v) {
  Bytes b(32, 0);
  for (int i = 0; i < 8; ++i)
    b[31 - static_cast<std::size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
  return b;
}
Handle hd(uint8_t id, uint8_t type) {
  Handle h{};
  h[0] = id;
  h[21] = 0xff;
  h[30] = type;
  return h;
}
Bytes hb(uint8_t id, uint8_t type) {
  const Handle h = hd(id, type);
  return Bytes(h.begin(), h.end());
}

TEST(Worker, ErrorRowsAndMissingInputs) {
  const std::string url = fresh_db("errors");
  const Bytes tx1{1}, tx2{2}, tx3{3}, tx4{4}, tx5{5};
  const std::vector<ComputationRow> rows = {
      {hd(1, 2), {be32(7), Bytes{2}}, 24, true, true, tx1},    // a = trivial uint8 7
      {hd(2, 3), {be32(9), Bytes{3}}, 24, true, true, tx1},    // b = trivial uint16 9
      {hd(3, 2), {hb(1, 2), hb(2, 3)}, 0, false, true, tx2},   // a + b: type mismatch
      {hd(4, 2), {hb(1, 2), be32(256)}, 3, true, true, tx3},   // a / 256 -> a / 0
      {hd(5, 9), {be32(1), Bytes{9}}, 24, true, true, tx4},    // unsupported type 9
      {hd(6, 2), {hb(1, 2), hb(99, 2)}, 0, false, true, tx5},  // input 99 never arrives
      {hd(7, 2), {hb(1, 2), be32(3)}, 0, true, true, tx3},     // fine: a + 3
  };
  {
    store::Connection c(url);
    ingest(c, rows, 12345, 1);
  }
  TfheWorker worker(config(url));
  drain(worker);
  store::Connection c(url);
  const store::Result r = c.exec(
      "SELECT output_handle, is_completed, is_error, coalesce(error_message, '') FROM "
      "computations");
  std::map<uint8_t, std::tuple<bool, bool, std::string>> st;
  for (int i = 0; i < r.rows(); ++i) {
    st[r.get<Bytes>(i, 0)[0]] = {r.get<bool>(i, 1), r.get<bool>(i, 2), r.get<std::string>(i, 3)};
  }
  auto [c3, e3, m3] = st[3];
  EXPECT_TRUE(e3) << m3;
  EXPECT_NE(m3.find("types differ"), std::string::npos) << m3;
  auto [c4, e4, m4] = st[4];
  EXPECT_TRUE(e4);
  EXPECT_NE(m4.find("zero"), std::string::npos) << m4;
  auto [c5, e5, m5] = st[5];
  EXPECT_TRUE(e5);
  EXPECT_NE(m5.find("unsupported FHE type 9"), std::string::npos) << m5;
  auto [c6, e6, m6] = st[6];
  EXPECT_FALSE(c6);  // still pending: its input may come later
  EXPECT_FALSE(e6);
  EXPECT_TRUE(std::get<0>(st[7]));
  EXPECT_FALSE(std::get<1>(st[7]));
  // The missing input arrives (say the zkproof-worker stored it): the computation completes.
  fhe::Csprng mask(1), noise(2);
  const auto in = fhe::integer::encrypt(keys().ck, FheType::uint(8), U256{30}, mask, noise);
  c.exec(
      "INSERT INTO ciphertexts(handle, ciphertext, ciphertext_version, ciphertext_type)"
      " VALUES ($1, $2, 0, 2)",
      hb(99, 2), compress_ct64(keys().sk, in));
  c.exec("UPDATE dependence_chain SET status = 'updated' WHERE dependence_chain_id = $1", tx5);
  drain(worker);
  const auto got = stored(url);
  const auto v = decompress_ct64(keys().sk, got.at(hd(6, 2)), FheType::uint(8));
  EXPECT_EQ(fhe::integer::decrypt(keys().ck, v), U256{37});
}

TEST(Worker, SurvivesADatabaseRestart) {
  const Erc20Workload w = make_erc20_workload(3, 5, 23);
  const auto want = reference(w);
  const std::string url = fresh_db("restart");
  {
    store::Connection c(url);
    ingest(c, w.rows, 12345, 1);
  }
  std::atomic<bool> stop{false};
  std::thread t([&] {
    TfheWorker worker(config(url, 1));
    worker.run(stop);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  store::test::PgCluster::shared().restart();
  for (int i = 0; i < 600 && stored(url).size() < want.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  t.join();
  EXPECT_EQ(stored(url), want);
}

// A worker process killed with SIGKILL in the middle of its work: another worker process takes
// its chain over once the lock expires and finishes; the stored bytes equal the reference.
pid_t spawn_worker(const std::string& url, int ttl, const std::string& id) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string ttl_s = std::to_string(ttl);
    execl(COPROCESSOR_BIN, COPROCESSOR_BIN, "tfhe-worker", "--database-url", url.c_str(),
          "--insecure-toy-keys", "--work-items-batch-size", "1", "--dcid-ttl-sec", ttl_s.c_str(),
          "--worker-polling-interval-ms", "100", "--worker-id", id.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

TEST(Worker, KilledWorkerIsTakenOverAfterTheLockExpires) {
  const Erc20Workload w = make_erc20_workload(3, 6, 31);
  const auto want = reference(w);
  const std::string url = fresh_db("kill9");
  {
    store::Connection c(url);
    ingest(c, w.rows, 12345, 1);
  }
  const std::string id_a = "00000000-0000-4000-8000-00000000000a";
  const pid_t a = spawn_worker(url, 3, id_a);
  ASSERT_GT(a, 0);
  std::size_t before = 0;
  store::Connection c(url);
  auto holds_a_chain = [&] {
    return c.exec(
                "SELECT count(*) FROM dependence_chain WHERE worker_id = $1::uuid AND"
                " status = 'processing'",
                id_a)
               .get<int64_t>(0, 0) > 0;
  };
  // Kill it once it has stored the mint and holds the next chain (computing a transfer).
  for (int i = 0; i < 3000; ++i) {
    before = stored(url).size();
    if (before >= 3 && holds_a_chain()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(a, SIGKILL);
  int status = 0;
  waitpid(a, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_LT(stored(url).size(), want.size()) << "the first worker finished before the kill";
  EXPECT_TRUE(holds_a_chain()) << "the killed worker's lock is left behind until it expires";
  std::printf("[kill9] first worker killed after %zu of %zu results\n", before, want.size());
  const pid_t b = spawn_worker(url, 3, "00000000-0000-4000-8000-00000000000b");
  for (int i = 0; i < 1200 && stored(url).size() < want.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(b, SIGTERM);
  waitpid(b, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  EXPECT_EQ(stored(url), want);
}

TEST(Worker, TwoWorkerProcessesShareTheWork) {
  const Erc20Workload w = make_erc20_workload(5, 8, 37);
  const auto want = reference(w);
  const std::string url = fresh_db("two_processes");
  {
    store::Connection c(url);
    ingest(c, w.rows, 12345, 1);
  }
  const pid_t a = spawn_worker(url, 30, "00000000-0000-4000-8000-0000000000a1");
  const pid_t b = spawn_worker(url, 30, "00000000-0000-4000-8000-0000000000b1");
  for (int i = 0; i < 1200 && stored(url).size() < want.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (pid_t p : {a, b}) {
    kill(p, SIGTERM);
    int status = 0;
    waitpid(p, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_EQ(stored(url), want);
  store::Connection c(url);
  // Only allowed results are stored (intermediates were pruned or passed in memory).
  std::size_t allowed = 0;
  for (const auto& r : w.rows) allowed += r.is_allowed ? 1 : 0;
  EXPECT_EQ(c.exec("SELECT count(*) FROM ciphertexts").get<int64_t>(0, 0),
            static_cast<int64_t>(allowed));
  EXPECT_EQ(c.exec("SELECT count(*) FROM dependence_chain WHERE worker_id IS NOT NULL")
                .get<int64_t>(0, 0),
            0);
}

}  // namespace
}  // namespace coproc
