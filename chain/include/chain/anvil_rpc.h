// anvil's test methods (anvil_*, evm_*) and unsigned transactions from its unlocked dev accounts,
// on top of EthClient. For tests and the local demo only: real nodes answer these with
// "Method not found" (an RpcError).
//
// Reorgs: evm_snapshot then evm_revert drops the blocks mined since the snapshot; mining again
// gives new blocks with the same numbers and different hashes, which is how tests make a reorg.
//
// Thread safety: as EthClient.
#pragma once

#include <cstdint>
#include <optional>

#include "chain/eth.h"

namespace chain {

class AnvilClient : public EthClient {
 public:
  explicit AnvilClient(RpcClient& rpc) : EthClient(rpc) {}

  // anvil_mine: `blocks` new blocks, `interval_s` seconds apart in timestamp (anvil's default
  // when nullopt: 1).
  void mine(uint64_t blocks = 1, std::optional<uint64_t> interval_s = std::nullopt);
  // evm_mine: one block, at `timestamp` if given.
  void evm_mine(std::optional<uint64_t> timestamp = std::nullopt);
  // evm_snapshot: an id for revert().
  fhe::U256 snapshot();
  // evm_revert: back to the state and head of `snapshot` (which is consumed); false if unknown.
  bool revert(const fhe::U256& snapshot);

  void set_code(const Address& account, ByteView code);
  void set_storage_at(const Address& account, const fhe::U256& slot, const fhe::U256& value);
  void set_balance(const Address& account, const fhe::U256& wei);
  void set_nonce(const Address& account, uint64_t nonce);
  // Lets eth_sendTransaction send from `account` without its key.
  void impersonate_account(const Address& account);
  void stop_impersonating_account(const Address& account);
  // evm_setAutomine: mine a block per transaction (anvil's default) or only on request.
  void set_automine(bool enabled);
  void set_next_block_timestamp(uint64_t timestamp);

  // The dev accounts (eth_accounts); their keys are unlocked.
  std::vector<Address> accounts();
  // eth_sendTransaction from an unlocked or impersonated account; the transaction hash.
  Hash32 send_transaction(const CallRequest& request);
};

}  // namespace chain
