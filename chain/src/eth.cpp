// Typed Ethereum JSON-RPC methods; replies are checked field by field (chain/hex.h parsers).
#include "chain/eth.h"

#include <string>

#include "chain/anvil_rpc.h"

namespace chain {

namespace {

// The member `key` of a reply object; DecodeError if missing.
const json& member(const json& j, const char* key) {
  if (!j.is_object()) throw DecodeError(std::string("expected an object with \"") + key + "\"");
  const auto it = j.find(key);
  if (it == j.end()) throw DecodeError(std::string("missing \"") + key + "\"");
  return *it;
}

const std::string& str(const json& j, const char* what) {
  if (!j.is_string()) throw DecodeError(std::string(what) + ": expected a string");
  return j.get_ref<const std::string&>();
}

uint64_t u64(const json& j, const char* key) {
  return parse_quantity_u64(str(member(j, key), key));
}
fhe::U256 u256(const json& j, const char* key) {
  return parse_quantity_u256(str(member(j, key), key));
}
Hash32 hash(const json& j, const char* key) {
  return Hash32::from_hex(str(member(j, key), key));
}
Address address(const json& j, const char* key) {
  return Address::from_hex(str(member(j, key), key));
}
std::optional<Address> optional_address(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return Address::from_hex(str(*it, key));
}

// Decodes a reply with `parse`, naming the method in any DecodeError.
template <class F>
auto decode(std::string_view method, F&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const DecodeError& e) {
    throw DecodeError(std::string(method) + ": unexpected reply: " + e.what());
  } catch (const json::exception& e) {
    throw DecodeError(std::string(method) + ": unexpected reply: " + e.what());
  }
}

std::vector<Log> parse_logs(const json& j) {
  if (!j.is_array()) throw DecodeError("expected an array of logs");
  std::vector<Log> logs;
  logs.reserve(j.size());
  for (const json& l : j) logs.push_back(parse_log(l));
  return logs;
}

// 32-byte big-endian hex of a U256 (anvil_setStorageAt's value).
std::string word_hex(const fhe::U256& v) {
  std::array<uint8_t, 32> b{};
  for (int i = 0; i < 32; ++i) b[31 - i] = static_cast<uint8_t>(v.w[i / 8] >> (8 * (i % 8)));
  return to_hex(b);
}

}  // namespace

BlockRef BlockRef::number(uint64_t n) {
  return BlockRef(to_quantity(n));
}

json LogFilter::to_json() const {
  json j = json::object();
  if (!addresses.empty()) {
    json a = json::array();
    for (const Address& x : addresses) a.push_back(x.hex());
    j["address"] = std::move(a);
  }
  if (!topics.empty()) {
    json t = json::array();
    for (const auto& position : topics) {
      if (position.empty()) {
        t.push_back(nullptr);
      } else {
        json any = json::array();
        for (const Hash32& h : position) any.push_back(h.hex());
        t.push_back(std::move(any));
      }
    }
    j["topics"] = std::move(t);
  }
  return j;
}

json to_json(const CallRequest& request) {
  json j = json::object();
  if (request.from) j["from"] = request.from->hex();
  if (request.to) j["to"] = request.to->hex();
  j["input"] = to_hex(request.data);
  if (request.value) j["value"] = to_quantity(*request.value);
  if (request.gas) j["gas"] = to_quantity(*request.gas);
  return j;
}

BlockHeader parse_block_header(const json& j) {
  BlockHeader h;
  h.number = u64(j, "number");
  h.hash = hash(j, "hash");
  h.parent_hash = hash(j, "parentHash");
  h.timestamp = u64(j, "timestamp");
  return h;
}

Log parse_log(const json& j) {
  Log l;
  l.address = address(j, "address");
  const json& topics = member(j, "topics");
  if (!topics.is_array()) throw DecodeError("topics: expected an array");
  for (const json& t : topics) l.topics.push_back(Hash32::from_hex(str(t, "topic")));
  l.data = from_hex(str(member(j, "data"), "data"));
  l.block_number = u64(j, "blockNumber");
  l.block_hash = hash(j, "blockHash");
  l.transaction_hash = hash(j, "transactionHash");
  l.transaction_index = u64(j, "transactionIndex");
  l.log_index = u64(j, "logIndex");
  const auto removed = j.find("removed");
  l.removed = removed != j.end() && removed->is_boolean() && removed->get<bool>();
  return l;
}

Receipt parse_receipt(const json& j) {
  Receipt r;
  r.transaction_hash = hash(j, "transactionHash");
  r.transaction_index = u64(j, "transactionIndex");
  r.block_hash = hash(j, "blockHash");
  r.block_number = u64(j, "blockNumber");
  r.from = address(j, "from");
  r.to = optional_address(j, "to");
  r.contract_address = optional_address(j, "contractAddress");
  r.success = u64(j, "status") == 1;
  r.gas_used = u64(j, "gasUsed");
  r.cumulative_gas_used = u64(j, "cumulativeGasUsed");
  r.effective_gas_price = u256(j, "effectiveGasPrice");
  r.logs = parse_logs(member(j, "logs"));
  return r;
}

json EthClient::call_method(std::string_view method, json params) {
  return rpc_.call(method, std::move(params));
}

uint64_t EthClient::chain_id() {
  const json r = call_method("eth_chainId", json::array());
  return decode("eth_chainId", [&] { return parse_quantity_u64(str(r, "chain id")); });
}

uint64_t EthClient::block_number() {
  const json r = call_method("eth_blockNumber", json::array());
  return decode("eth_blockNumber", [&] { return parse_quantity_u64(str(r, "block number")); });
}

std::optional<BlockHeader> EthClient::block_by_number(const BlockRef& block) {
  const json r = call_method("eth_getBlockByNumber", json::array({block.to_json(), false}));
  if (r.is_null()) return std::nullopt;
  return decode("eth_getBlockByNumber", [&] { return parse_block_header(r); });
}

std::optional<BlockHeader> EthClient::block_by_hash(const Hash32& block_hash) {
  const json r = call_method("eth_getBlockByHash", json::array({block_hash.hex(), false}));
  if (r.is_null()) return std::nullopt;
  return decode("eth_getBlockByHash", [&] { return parse_block_header(r); });
}

std::vector<Log> EthClient::logs_by_block_hash(const Hash32& block_hash, const LogFilter& filter) {
  json f = filter.to_json();
  f["blockHash"] = block_hash.hex();
  const json r = call_method("eth_getLogs", json::array({std::move(f)}));
  return decode("eth_getLogs", [&] { return parse_logs(r); });
}

std::vector<Log> EthClient::logs_in_range(uint64_t from, uint64_t to, const LogFilter& filter) {
  json f = filter.to_json();
  f["fromBlock"] = to_quantity(from);
  f["toBlock"] = to_quantity(to);
  const json r = call_method("eth_getLogs", json::array({std::move(f)}));
  return decode("eth_getLogs", [&] { return parse_logs(r); });
}

Hash32 EthClient::send_raw_transaction(ByteView raw) {
  const json r = call_method("eth_sendRawTransaction", json::array({to_hex(raw)}));
  return decode("eth_sendRawTransaction", [&] { return Hash32::from_hex(str(r, "hash")); });
}

std::optional<Receipt> EthClient::transaction_receipt(const Hash32& tx_hash) {
  const json r = call_method("eth_getTransactionReceipt", json::array({tx_hash.hex()}));
  if (r.is_null()) return std::nullopt;
  return decode("eth_getTransactionReceipt", [&] { return parse_receipt(r); });
}

uint64_t EthClient::transaction_count(const Address& account, const BlockRef& block) {
  const json r =
      call_method("eth_getTransactionCount", json::array({account.hex(), block.to_json()}));
  return decode("eth_getTransactionCount", [&] { return parse_quantity_u64(str(r, "count")); });
}

Bytes EthClient::call(const CallRequest& request, const BlockRef& block) {
  const json r = call_method("eth_call", json::array({to_json(request), block.to_json()}));
  return decode("eth_call", [&] { return from_hex(str(r, "data")); });
}

uint64_t EthClient::estimate_gas(const CallRequest& request) {
  const json r = call_method("eth_estimateGas", json::array({to_json(request)}));
  return decode("eth_estimateGas", [&] { return parse_quantity_u64(str(r, "gas")); });
}

fhe::U256 EthClient::gas_price() {
  const json r = call_method("eth_gasPrice", json::array());
  return decode("eth_gasPrice", [&] { return parse_quantity_u256(str(r, "gas price")); });
}

fhe::U256 EthClient::balance(const Address& account, const BlockRef& block) {
  const json r = call_method("eth_getBalance", json::array({account.hex(), block.to_json()}));
  return decode("eth_getBalance", [&] { return parse_quantity_u256(str(r, "balance")); });
}

Bytes EthClient::code(const Address& account, const BlockRef& block) {
  const json r = call_method("eth_getCode", json::array({account.hex(), block.to_json()}));
  return decode("eth_getCode", [&] { return from_hex(str(r, "code")); });
}

fhe::U256 EthClient::storage_at(const Address& account, const fhe::U256& slot,
                                const BlockRef& block) {
  const json r = call_method("eth_getStorageAt",
                             json::array({account.hex(), to_quantity(slot), block.to_json()}));
  return decode("eth_getStorageAt", [&] {
    const Bytes word = from_hex(str(r, "storage word"));
    if (word.size() != 32) throw DecodeError("expected 32 bytes");
    return fhe::U256::from_be_bytes(word);
  });
}

// ---- AnvilClient ----

void AnvilClient::mine(uint64_t blocks, std::optional<uint64_t> interval_s) {
  json params = json::array({to_quantity(blocks)});
  if (interval_s) params.push_back(to_quantity(*interval_s));
  call_method("anvil_mine", std::move(params));
}

void AnvilClient::evm_mine(std::optional<uint64_t> timestamp) {
  json params = json::array();
  if (timestamp) params.push_back(to_quantity(*timestamp));
  call_method("evm_mine", std::move(params));
}

fhe::U256 AnvilClient::snapshot() {
  const json r = call_method("evm_snapshot", json::array());
  return decode("evm_snapshot", [&] { return parse_quantity_u256(str(r, "snapshot id")); });
}

bool AnvilClient::revert(const fhe::U256& snapshot) {
  const json r = call_method("evm_revert", json::array({to_quantity(snapshot)}));
  return decode("evm_revert", [&] { return r.get<bool>(); });
}

void AnvilClient::set_code(const Address& account, ByteView code) {
  call_method("anvil_setCode", json::array({account.hex(), to_hex(code)}));
}

void AnvilClient::set_storage_at(const Address& account, const fhe::U256& slot,
                                 const fhe::U256& value) {
  call_method("anvil_setStorageAt",
              json::array({account.hex(), to_quantity(slot), word_hex(value)}));
}

void AnvilClient::set_balance(const Address& account, const fhe::U256& wei) {
  call_method("anvil_setBalance", json::array({account.hex(), to_quantity(wei)}));
}

void AnvilClient::set_nonce(const Address& account, uint64_t nonce) {
  call_method("anvil_setNonce", json::array({account.hex(), to_quantity(nonce)}));
}

void AnvilClient::impersonate_account(const Address& account) {
  call_method("anvil_impersonateAccount", json::array({account.hex()}));
}

void AnvilClient::stop_impersonating_account(const Address& account) {
  call_method("anvil_stopImpersonatingAccount", json::array({account.hex()}));
}

void AnvilClient::set_automine(bool enabled) {
  call_method("evm_setAutomine", json::array({enabled}));
}

void AnvilClient::set_next_block_timestamp(uint64_t timestamp) {
  call_method("evm_setNextBlockTimestamp", json::array({to_quantity(timestamp)}));
}

std::vector<Address> AnvilClient::accounts() {
  const json r = call_method("eth_accounts", json::array());
  return decode("eth_accounts", [&] {
    std::vector<Address> out;
    for (const json& a : r) out.push_back(Address::from_hex(str(a, "account")));
    return out;
  });
}

Hash32 AnvilClient::send_transaction(const CallRequest& request) {
  const json r = call_method("eth_sendTransaction", json::array({to_json(request)}));
  return decode("eth_sendTransaction", [&] { return Hash32::from_hex(str(r, "hash")); });
}

}  // namespace chain
