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
#include "chain/abi.h"
#include "chain/eth.h"
#include "chain/tx.h"
#include "coprocessor/host_events.h"
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
  std::size_t events = 0, binary_checked = 0;
  std::map<std::string, int16_t> op_of = {
      {"FheAdd", 0}, {"FheSub", 1}, {"FheGe", 14}, {"FheIfThenElse", 25}, {"TrivialEncrypt", 24}};
  for (const auto& t : s["transactions"]) {
    for (const auto& ev : t["events"]) {
      if (ev["contract"] != "FHEVMExecutor" || !ev["args"].contains("result")) continue;
      ++events;
      const Bytes out = hex_bytes(ev["args"]["result"].get<std::string>());
      const store::Result r = c.exec(
          "SELECT fhe_operation, is_allowed, cardinality(dependencies), dependencies, is_scalar,"
          " dependence_chain_id IN (SELECT dependence_chain_id FROM dependence_chain)"
          " FROM computations WHERE output_handle = $1 AND transaction_id = $2",
          out, hex_bytes(t["hash"].get<std::string>()));
      ASSERT_EQ(r.rows(), 1) << ev.dump();
      EXPECT_TRUE(r.get<bool>(0, 5)) << "no dependence chain for " << ev.dump();
      const auto& args = ev["args"];
      if (args.contains("lhs") && args.contains("scalarByte")) {  // the binary operators
        const auto deps = r.get<std::vector<Bytes>>(0, 3);
        ASSERT_EQ(deps.size(), 2u);
        EXPECT_EQ(deps[0], hex_bytes(args["lhs"].get<std::string>()));
        EXPECT_EQ(deps[1], hex_bytes(args["rhs"].get<std::string>()));
        EXPECT_EQ(r.get<bool>(0, 4), args["scalarByte"].get<std::string>() != "0x00") << ev.dump();
        ++binary_checked;
      }
      const std::string name = ev["name"].get<std::string>();
      if (op_of.count(name)) {
        EXPECT_EQ(r.get<int16_t>(0, 0), op_of[name]) << name;
      }
      const auto& h = s["handles"][ev["args"]["result"].get<std::string>()];
      EXPECT_EQ(r.get<bool>(0, 1), h["allowed"].get<bool>()) << name;
    }
  }
  EXPECT_GT(events, 20u);
  EXPECT_GT(binary_checked, 10u);
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

// An EIP-1559 transaction we sign is accepted by anvil under the hash we computed.
TEST(Chain, SignedTransactionAcceptedWithOurHash) {
  chain::test::AnvilNode anvil;
  chain::HttpRpcClient rpc(anvil.http_url());
  chain::EthClient eth(rpc);
  // anvil's first development account (its well-known test mnemonic).
  const auto key = chain::PrivateKey::from_hex(
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  chain::Eip1559Tx tx;
  tx.chain_id = eth.chain_id();
  tx.nonce = eth.transaction_count(key.address());
  tx.max_priority_fee_per_gas = fhe::U256{1000000000};
  tx.max_fee_per_gas = fhe::U256{100000000000ULL};
  tx.gas_limit = 21000;
  tx.to = chain::Address::from_hex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  tx.value = fhe::U256{12345};
  const chain::SignedEip1559Tx signed_tx = chain::sign(tx, key);
  EXPECT_EQ(eth.send_raw_transaction(signed_tx.raw()), signed_tx.hash());
  std::optional<chain::Receipt> receipt;
  for (int i = 0; i < 100 && !receipt; ++i) {
    receipt = eth.transaction_receipt(signed_tx.hash());
    if (!receipt) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(receipt);
  EXPECT_TRUE(receipt->success);
  EXPECT_EQ(receipt->from, key.address());
}

// The events the host contracts of this version never emit (FheSum, FheIsIn, FheMulDiv) and the
// others with special layouts, decoded from logs we encode: the upstream row mapping.
TEST(HostEvents, EveryEventLayoutMapsAsUpstream) {
  using chain::abi::Event;
  using chain::abi::Value;
  const chain::Address acl = chain::Address::from_hex("0x50157CFfD6bBFA2DECe204a89ec419c23ef5755D");
  const chain::Address exec =
      chain::Address::from_hex("0xe3a9105a3a932253A70F126eb1E3b589C643dD24");
  const chain::Address caller =
      chain::Address::from_hex("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  auto h32 = [](uint8_t id) {
    Bytes b(32, 0);
    b[0] = id;
    b[30] = 5;
    return b;
  };
  chain::BlockHeader header;
  header.number = 7;
  header.hash.bytes[0] = 0xbb;
  header.timestamp = 1000;
  std::vector<chain::Log> logs;
  auto add = [&](const chain::Address& at, const std::string& decl, std::vector<Value> args) {
    const Event ev = Event::parse(decl);
    const chain::abi::Log l = ev.encode_log(args);
    chain::Log log;
    log.address = at;
    log.topics = l.topics;
    log.data = l.data;
    log.block_hash = header.hash;
    log.block_number = 7;
    log.transaction_hash.bytes[0] = 0x11;
    log.log_index = logs.size();
    logs.push_back(log);
  };
  const Value who = Value::address(caller);
  add(exec, "FheSum(address indexed caller, bytes32[] values, bytes32 result)",
      {who, Value::list({Value::fixed_bytes(h32(1)), Value::fixed_bytes(h32(2))}),
       Value::fixed_bytes(h32(10))});
  add(exec, "FheIsIn(address indexed caller, bytes32 value, bytes32[] values, bytes32 result)",
      {who, Value::fixed_bytes(h32(3)), Value::list({Value::fixed_bytes(h32(4))}),
       Value::fixed_bytes(h32(11))});
  add(exec,
      "FheMulDiv(address indexed caller, bytes32 factor1, bytes32 factor2, bytes32 divisor, bytes1 "
      "scalarByte, bytes32 result)",
      {who, Value::fixed_bytes(h32(5)), Value::fixed_bytes(h32(6)), Value::fixed_bytes(h32(7)),
       Value::fixed_bytes(Bytes{0x03}), Value::fixed_bytes(h32(12))});
  add(exec,
      "FheRandBounded(address indexed caller, uint256 upperBound, uint8 randType, bytes16 seed, "
      "bytes32 result)",
      {who, Value::uint(fhe::U256{256}), Value::uint(fhe::U256{5}),
       Value::fixed_bytes(Bytes(16, 9)), Value::fixed_bytes(h32(13))});
  add(exec, "Cast(address indexed caller, bytes32 ct, uint8 toType, bytes32 result)",
      {who, Value::fixed_bytes(h32(10)), Value::uint(fhe::U256{2}), Value::fixed_bytes(h32(14))});
  add(acl, "Allowed(address indexed caller, address indexed account, bytes32 handle)",
      {who, who, Value::fixed_bytes(h32(12))});
  add(acl, "AllowedForDecryption(address indexed caller, bytes32[] handlesList)",
      {who, Value::list({Value::fixed_bytes(h32(13))})});
  add(acl,
      "DelegatedForUserDecryption(address indexed delegator, address indexed delegate, address "
      "contractAddress, uint64 delegationCounter, uint64 oldExpirationDate, uint64 "
      "newExpirationDate)",
      {who, who, who, Value::uint(fhe::U256{1}), Value::uint(fhe::U256{0}),
       Value::uint(fhe::U256{99})});
  add(caller,
      "FheAdd(address indexed caller, bytes32 lhs, bytes32 rhs, bytes1 scalarByte, bytes32 result)",
      {who, Value::fixed_bytes(h32(1)), Value::fixed_bytes(h32(2)), Value::fixed_bytes(Bytes{0}),
       Value::fixed_bytes(h32(15))});  // another address: ignored
  const BlockRows b = decode_block(12345, header, logs, acl, exec);
  ASSERT_EQ(b.computations.size(), 5u);
  EXPECT_EQ(b.computations[0].fhe_operation, 28);
  EXPECT_EQ(b.computations[0].dependencies, (std::vector<Bytes>{h32(1), h32(2)}));
  EXPECT_EQ(b.computations[1].dependencies, (std::vector<Bytes>{h32(3), h32(4)}));
  EXPECT_EQ(b.computations[2].fhe_operation, 30);
  EXPECT_TRUE(b.computations[2].is_scalar);
  EXPECT_TRUE(b.computations[2].is_allowed);                   // Allowed in the same block
  EXPECT_EQ(b.computations[3].dependencies[0], Bytes(16, 9));  // seed, bound, type
  EXPECT_EQ(b.computations[3].dependencies[2], Bytes{5});
  EXPECT_TRUE(b.computations[3].is_allowed);  // AllowedForDecryption
  EXPECT_EQ(b.computations[4].dependencies[1], Bytes{2});
  EXPECT_TRUE(b.computations[4].is_scalar);
  EXPECT_FALSE(b.computations[4].is_allowed);
  ASSERT_EQ(b.allowed.size(), 2u);
  EXPECT_EQ(b.allowed[0].account_address, caller.checksum_hex());
  EXPECT_EQ(b.allowed[1].event_type, 1);
  ASSERT_EQ(b.delegations.size(), 1u);
  EXPECT_EQ(b.delegations[0].new_expiration_date, 99u);
  // A malformed log of a watched contract is an error, not a silent skip.
  logs[0].data.resize(40);
  EXPECT_THROW(decode_block(12345, header, logs, acl, exec), EventError);
}

}  // namespace
}  // namespace coproc
