// Inserting computations as the host-listener does (reference/fhevm-coprocessor.md §1.1, §10.2):
// `computations` rows (intermediates that are not allowed are inserted completed, as upstream),
// one dependence chain per host transaction with its dependency_count (producer chains of this
// insert or still pending) and dependents, and for allowed handles `allowed_handles` and
// `pbs_computations` rows. Idempotent: inserting the same workload twice changes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coprocessor/workload.h"

namespace store {
class Connection;
}

namespace coproc {

// The rows of one host-chain block (host_events.h decodes them from logs).
struct AllowedRow {
  Handle handle{};
  std::string account_address;  // EIP-55 hex; '' for AllowedForDecryption
  int16_t event_type = 0;       // 0 AllowedAccount, 1 AllowedForDecryption
  Bytes transaction_id;
};

struct DelegationRow {
  Bytes delegator, delegate, contract_address;  // 20 bytes each
  uint64_t delegation_counter = 0;
  uint64_t old_expiration_date = 0, new_expiration_date = 0;  // revoke: new = 0
  Bytes transaction_id;
};

struct BlockRows {
  uint64_t chain_id = 0;
  uint64_t number = 0;
  Bytes hash, parent_hash;  // 32 bytes each
  uint64_t timestamp = 0;   // seconds
  bool finalized = false;
  std::vector<ComputationRow> computations;  // in log order
  std::vector<AllowedRow> allowed;
  std::vector<DelegationRow> delegations;
  std::size_t fhe_event_count = 0, allow_event_count = 0;
};

// One database transaction per block: event_new_block, computations (intermediates that are not
// allowed inserted completed, as upstream), ACL rows, dependence chains (see host_events.h), the
// block in host_chain_blocks_valid. A block already in host_chain_blocks_valid is skipped.
void ingest_block(store::Connection& conn, const BlockRows& block);

// The synthetic workload as one block `block_number` (allowed results allowed for decryption).
void ingest(store::Connection& conn, const std::vector<ComputationRow>& rows,
            uint64_t host_chain_id, int64_t block_number);

// The keys table: our server key (native format), the compact public key (TFHE-rs format) and,
// for the test role that stands in for the KMS only, the client key (native format).
int64_t insert_keys(store::Connection& conn, const std::vector<uint8_t>& server_key,
                    const std::vector<uint8_t>& compact_public_key,
                    const std::vector<uint8_t>* client_key);

}  // namespace coproc
