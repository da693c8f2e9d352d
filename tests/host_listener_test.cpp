// The host-listener against the real host contracts on anvil (tests/anvil.h,
// tests/chain/hostchain.cjs) and a private PostgreSQL: the rows equal what the chain emitted, a
// reorganization is marked as upstream marks it, a restart leaves no gap and no duplicate, and
// end to end the tfhe-worker's results decrypt to what the contract logic implies (toy keys).
#include "coprocessor/host_listener.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "anvil.h"
#include "chain/eth.h"
#include "coprocessor/ingest.h"
#include "coprocessor/storage.h"
#include "coprocessor/tfhe_worker.h"
#include "fhe/native_format.h"
#include "pg_cluster.h"
#include "store/migrate.h"
#include "store/pg.h"

namespace coproc {
namespace {

using json = nlohmann::json;

std::string run(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "";
  std::string out;
  char buf[65536];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << cmd;
  return out;
}

// Deploys the host contracts and our dApps on `rpc` and runs the scenario groups.
json scenario(const std::string& rpc, const std::string& groups) {
  const std::string cmd =
      "node " FHE_SOURCE_DIR "/tests/chain/hostchain.cjs deploy-and-run --rpc " + rpc +
      " --cache " FHE_BINARY_DIR "/contracts-cache --groups " + groups + " 2>/dev/null";
  return json::parse(run(cmd));
}

Bytes hex_bytes(const std::string& s) {
  Bytes b;
  for (std::size_t i = 2; i + 1 < s.size(); i += 2) {
    b.push_back(static_cast<uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  }
  return b;
}

struct Env {
  chain::test::AnvilNode anvil;
  std::string db;
  explicit Env(const std::string& name)
      : anvil(chain::test::AnvilNode::Options{}),
        db(store::test::PgCluster::shared().create_database(name)) {
    store::Connection c(db);
    store::migrate(c);
  }
  ListenerConfig config(const json& s) const {
    ListenerConfig cfg;
    cfg.url = anvil.ws_url();
    cfg.database_url = db;
    cfg.acl = chain::Address::from_hex(s["contracts"]["ACL"].get<std::string>());
    cfg.executor = chain::Address::from_hex(s["contracts"]["FHEVMExecutor"].get<std::string>());
    cfg.start_at_block = 0;
    cfg.catchup_finalization_in_blocks = 2;
    cfg.poll_interval_ms = 100;
    cfg.quiet = true;
    return cfg;
  }
};

// Runs the listener until it has ingested block `until`.
void listen_until(const ListenerConfig& base, uint64_t until) {
  ListenerConfig cfg = base;
  cfg.end_at_block = until;
  std::atomic<bool> stop{false};
  std::thread watchdog([&] {
    for (int i = 0; i < 600 && !stop; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
  });
  run_host_listener(cfg, stop);
  stop = true;
  watchdog.join();
}

uint64_t head(const Env& e) {
  chain::HttpRpcClient rpc(e.anvil.http_url());
  chain::EthClient eth(rpc);
  return eth.block_number();
}

TEST(HostListener, RowsEqualTheChainsEvents) {
  Env e("hl_rows");
  const json s = scenario(e.anvil.http_url(), "token,bool,u8,u64");
  ASSERT_TRUE(s["ok"].get<bool>());
  listen_until(e.config(s), head(e));
  store::Connection c(e.db);
  // Every executor event has its row, with the upstream mapping.
  std::size_t events = 0;
  std::map<std::string, int16_t> op_of = {
      {"FheAdd", 0}, {"FheSub", 1}, {"FheGe", 14}, {"FheIfThenElse", 25}, {"TrivialEncrypt", 24}};
  for (const auto& t : s["transactions"]) {
    for (const auto& ev : t["events"]) {
      if (ev["contract"] != "FHEVMExecutor" || !ev["args"].contains("result")) continue;
      ++events;
      const Bytes out = hex_bytes(ev["args"]["result"].get<std::string>());
      const store::Result r = c.exec(
          "SELECT fhe_operation, is_allowed, cardinality(dependencies) FROM computations"
          " WHERE output_handle = $1 AND transaction_id = $2",
          out, hex_bytes(t["hash"].get<std::string>()));
      ASSERT_EQ(r.rows(), 1) << ev.dump();
      const std::string name = ev["name"].get<std::string>();
      if (op_of.count(name)) {
        EXPECT_EQ(r.get<int16_t>(0, 0), op_of[name]) << name;
      }
      const auto& h = s["handles"][ev["args"]["result"].get<std::string>()];
      EXPECT_EQ(r.get<bool>(0, 1), h["allowed"].get<bool>()) << name;
    }
  }
  EXPECT_GT(events, 20u);
  const int64_t rows = c.exec("SELECT count(*) FROM computations").get<int64_t>(0, 0);
  EXPECT_LE(rows, static_cast<int64_t>(events));  // duplicates in one transaction collapse
  // Every block up to the head, once; the old ones finalized.
  const int64_t blocks = c.exec("SELECT count(*) FROM host_chain_blocks_valid").get<int64_t>(0, 0);
  EXPECT_EQ(blocks, static_cast<int64_t>(head(e)) + 1);
  EXPECT_GT(c.exec("SELECT count(*) FROM host_chain_blocks_valid WHERE block_status = 'finalized'")
                .get<int64_t>(0, 0),
            0);
  EXPECT_GT(c.exec("SELECT count(*) FROM allowed_handles").get<int64_t>(0, 0), 0);
  EXPECT_GT(c.exec("SELECT count(*) FROM dependence_chain").get<int64_t>(0, 0), 0);
}

TEST(HostListener, RestartLeavesNoGapAndNoDuplicate) {
  Env e("hl_restart");
  const json s1 = scenario(e.anvil.http_url(), "token");
  ListenerConfig cfg = e.config(s1);
  const uint64_t mid = head(e);
  listen_until(cfg, mid);
  // More transactions while the listener is down, then a restart from the database's position.
  const json s2 = scenario(e.anvil.http_url(), "u8");
  cfg.start_at_block.reset();
  listen_until(cfg, head(e));
  store::Connection c(e.db);
  EXPECT_EQ(c.exec("SELECT count(*) FROM host_chain_blocks_valid").get<int64_t>(0, 0),
            static_cast<int64_t>(head(e)) + 1);
  std::size_t events = 0;
  for (const json* s : {&s1, &s2}) {
    for (const auto& t : (*s)["transactions"]) {
      std::set<std::string> outs;
      for (const auto& ev : t["events"]) {
        if (ev["contract"] == "FHEVMExecutor" && ev["args"].contains("result")) {
          outs.insert(ev["args"]["result"].get<std::string>());
        }
      }
      events += outs.size();
    }
  }
  EXPECT_EQ(c.exec("SELECT count(*) FROM computations").get<int64_t>(0, 0),
            static_cast<int64_t>(events));
}

TEST(HostListener, ReorganizedBlocksAreOrphaned) {
  Env e("hl_reorg");
  const json s = scenario(e.anvil.http_url(), "token");
  ListenerConfig cfg = e.config(s);
  cfg.catchup_finalization_in_blocks = 3;
  chain::HttpRpcClient rpc(e.anvil.http_url());
  chain::EthClient eth(rpc);
  const json snap = rpc.call("evm_snapshot", json::array());
  rpc.call("anvil_mine", json::array({"0x2"}));
  const uint64_t old_head = eth.block_number();
  const auto old_block = eth.block_by_number(chain::BlockRef::number(old_head));
  listen_until(cfg, old_head);
  // Another branch from the snapshot: different blocks at the same heights, and more.
  rpc.call("evm_revert", json::array({snap}));
  rpc.call("anvil_setNextBlockTimestamp",
           json::array({std::to_string(old_block->timestamp + 100)}));
  rpc.call("anvil_mine", json::array({"0x8"}));
  const uint64_t new_head = eth.block_number();
  listen_until(cfg, new_head);
  store::Connection c(e.db);
  const store::Result r =
      c.exec("SELECT block_status FROM host_chain_blocks_valid WHERE block_hash = $1",
             Bytes(old_block->hash.bytes.begin(), old_block->hash.bytes.end()));
  ASSERT_EQ(r.rows(), 1);
  EXPECT_EQ(r.get<std::string>(0, 0), "orphaned");
  const auto canonical = eth.block_by_number(chain::BlockRef::number(old_head));
  const store::Result f =
      c.exec("SELECT block_status FROM host_chain_blocks_valid WHERE block_hash = $1",
             Bytes(canonical->hash.bytes.begin(), canonical->hash.bytes.end()));
  ASSERT_EQ(f.rows(), 1);
  EXPECT_EQ(f.get<std::string>(0, 0), "finalized");
}

TEST(HostListener, EndToEndResultsDecryptToTheContractsValues) {
  Env e("hl_e2e");
  fhe::allow_insecure(true);
  fhe::ClientKey ck = fhe::generate_client_key(fhe::kToyInsecure, 301);
  fhe::Csprng secret(302);
  fhe::add_meta_keys(ck, secret);
  const fhe::ServerKeyMaterial m = fhe::generate_server_key_material(ck, 303);
  const fhe::ServerKey sk = fhe::make_server_key(m);
  {
    store::Connection c(e.db);
    insert_keys(c, fhe::native::serialize_server_key(m), {}, nullptr);
  }
  const json s = scenario(e.anvil.http_url(), "token,bool,u8,u64");
  listen_until(e.config(s), head(e));
  WorkerConfig wc;
  wc.database_url = e.db;
  wc.quiet = true;
  TfheWorker worker(wc);
  int idle = 0;
  for (int i = 0; i < 10000 && idle < 2; ++i) idle = worker.cycle().found_work ? 0 : idle + 1;
  store::Connection c(e.db);
  std::size_t checked = 0;
  for (const auto& [h, info] : s["handles"].items()) {
    if (!info["allowed"].get<bool>() || info["value"].is_null()) continue;
    const store::Result r =
        c.exec("SELECT ciphertext FROM ciphertexts WHERE handle = $1", hex_bytes(h));
    ASSERT_EQ(r.rows(), 1) << h;
    const Handle hd = [&] {
      Handle x{};
      const Bytes b = hex_bytes(h);
      std::copy(b.begin(), b.end(), x.begin());
      return x;
    }();
    const auto ct = decompress_ct64(sk, r.get<Bytes>(0, 0), handle_type(hd));
    EXPECT_EQ(fhe::integer::decrypt(ck, ct).to_string(), info["value"].get<std::string>())
        << h << " " << info.dump();
    ++checked;
  }
  EXPECT_GT(checked, 20u);
  EXPECT_EQ(c.exec("SELECT count(*) FROM computations WHERE is_error").get<int64_t>(0, 0), 0);
}

}  // namespace
}  // namespace coproc
