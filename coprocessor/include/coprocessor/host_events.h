// Host-chain events -> database rows (reference/fhevm-coprocessor.md §1.1 "per-block ingest",
// the event -> computations mapping table, §4.1-4.2 ABIs, §10.2 dependence chains).
//
// decode_block: the FHEVMExecutor logs of a block become `computations` rows (dependencies and
// is_scalar exactly as upstream maps them; is_allowed when the result handle receives a persistent
// ACL allow in the same block), the ACL's Allowed / AllowedForDecryption become allowed-handle
// rows (and SnS work), the delegation events become delegate_user_decrypt rows. Logs of other
// addresses and other events are ignored; a malformed log of a watched contract is an error.
//
// ingest_block: one database transaction per block: event_new_block notification, computations
// (intermediates that are not allowed are inserted completed, as upstream), ACL rows, dependence
// chains, and the block in host_chain_blocks_valid. Duplicate ingestion changes nothing.
//
// Dependence chains (per block, "no fork" grouping): a transaction depends on an earlier one of
// the block whose allowed output it reads; it extends that transaction's chain when that is its
// only dependency and it is that transaction's only dependent, else it starts a chain named by its
// hash. A transaction reading an allowed output of an earlier block depends on that output's
// chain while the chain is not processed (checked in the database, under a row lock, so a worker
// releasing that chain concurrently cannot miss the new dependent). schedule_order = block time +
// the transaction's in-block dependency depth in microseconds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "chain/eth.h"
#include "coprocessor/ingest.h"

namespace coproc {

class EventError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

BlockRows decode_block(uint64_t chain_id, const chain::BlockHeader& header,
                       const std::vector<chain::Log>& logs, const chain::Address& acl,
                       const chain::Address& executor);

}  // namespace coproc
