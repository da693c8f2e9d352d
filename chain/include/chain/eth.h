// Typed Ethereum JSON-RPC methods over an RpcClient: what the host-listener and the
// transaction-sender need (chain id, heads, blocks, logs by block hash, transactions, eth_call).
//
// Quantities are uint64_t (block numbers, nonces, gas, indices) or fhe::U256 (wei, storage);
// data are Bytes. Errors: RpcError and TransportError from the client (chain/rpc.h), and
// DecodeError (chain/hex.h) when the node's reply does not have the expected shape.
//
// Thread safety: EthClient holds only a reference to its RpcClient, which must outlive it; it is
// as thread-safe as that client (both of ours are).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chain/hex.h"
#include "chain/rpc.h"
#include "fhe/u256.h"

namespace chain {

// A block header as far as the listeners need it (eth_getBlockBy*, newHeads notifications).
struct BlockHeader {
  uint64_t number = 0;
  Hash32 hash;
  Hash32 parent_hash;
  uint64_t timestamp = 0;
  friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

// A log as eth_getLogs, receipts and "logs" subscriptions return it. `removed` is true when a
// reorg dropped the block that held it (delivered by "logs" subscriptions).
struct Log {
  Address address;
  std::vector<Hash32> topics;
  Bytes data;
  uint64_t block_number = 0;
  Hash32 block_hash;
  Hash32 transaction_hash;
  uint64_t transaction_index = 0;
  uint64_t log_index = 0;
  bool removed = false;
  friend bool operator==(const Log&, const Log&) = default;
};

struct Receipt {
  Hash32 transaction_hash;
  uint64_t transaction_index = 0;
  Hash32 block_hash;
  uint64_t block_number = 0;
  Address from;
  std::optional<Address> to;                // nullopt: contract creation
  std::optional<Address> contract_address;  // the created contract
  bool success = false;                     // status 0x1
  uint64_t gas_used = 0;
  uint64_t cumulative_gas_used = 0;
  fhe::U256 effective_gas_price;
  std::vector<Log> logs;
};

// eth_call / eth_estimateGas / eth_sendTransaction arguments.
// Members have initializers so that designated initializers may name only some of them.
struct CallRequest {
  std::optional<Address> from{};
  std::optional<Address> to{};  // nullopt: contract creation (eth_sendTransaction)
  Bytes data{};
  std::optional<fhe::U256> value{};
  std::optional<uint64_t> gas{};
};

// eth_getLogs filter beyond the block selection. Empty members match anything; topic position
// i matches any of topics[i] (an empty inner list is a wildcard).
struct LogFilter {
  std::vector<Address> addresses{};
  std::vector<std::vector<Hash32>> topics{};
  // {"address": [...], "topics": [...]}, only the members that constrain; the params of a "logs"
  // subscription.
  json to_json() const;
};

// A block selector: a number or a tag.
class BlockRef {
 public:
  static BlockRef number(uint64_t n);
  static BlockRef latest() { return BlockRef("latest"); }
  static BlockRef pending() { return BlockRef("pending"); }
  static BlockRef earliest() { return BlockRef("earliest"); }
  static BlockRef safe() { return BlockRef("safe"); }
  static BlockRef finalized() { return BlockRef("finalized"); }
  json to_json() const { return value_; }

 private:
  explicit BlockRef(std::string value) : value_(std::move(value)) {}
  std::string value_;
};

// Parsers for node replies and subscription notifications; throw DecodeError.
BlockHeader parse_block_header(const json& j);
Log parse_log(const json& j);
Receipt parse_receipt(const json& j);

class EthClient {
 public:
  explicit EthClient(RpcClient& rpc) : rpc_(rpc) {}

  RpcClient& rpc() { return rpc_; }

  uint64_t chain_id();
  uint64_t block_number();
  // nullopt when the node has no such block.
  std::optional<BlockHeader> block_by_number(const BlockRef& block);
  std::optional<BlockHeader> block_by_hash(const Hash32& hash);
  // eth_getLogs by block hash (one block, immune to a reorg between the head and the query); an
  // RpcError when the node does not know the block.
  std::vector<Log> logs_by_block_hash(const Hash32& block_hash, const LogFilter& filter = {});
  // eth_getLogs over [from, to] (catch-up); nodes cap the range or the result size.
  std::vector<Log> logs_in_range(uint64_t from, uint64_t to, const LogFilter& filter = {});

  Hash32 send_raw_transaction(ByteView raw);
  // nullopt while the transaction is not mined (or unknown).
  std::optional<Receipt> transaction_receipt(const Hash32& tx_hash);
  uint64_t transaction_count(const Address& account, const BlockRef& block = BlockRef::pending());
  // eth_call; a revert is an RpcError whose data() holds the revert data as hex.
  Bytes call(const CallRequest& request, const BlockRef& block = BlockRef::latest());
  uint64_t estimate_gas(const CallRequest& request);
  fhe::U256 gas_price();
  fhe::U256 balance(const Address& account, const BlockRef& block = BlockRef::latest());
  Bytes code(const Address& account, const BlockRef& block = BlockRef::latest());
  fhe::U256 storage_at(const Address& account, const fhe::U256& slot,
                       const BlockRef& block = BlockRef::latest());

 protected:
  json call_method(std::string_view method, json params);

 private:
  RpcClient& rpc_;
};

// Serializes a CallRequest as the JSON-RPC transaction object.
json to_json(const CallRequest& request);

}  // namespace chain
